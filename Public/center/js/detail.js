// The selected node's detail: figures, ancestors, size norm, roster and staff table.
import { el, replace, num, CHILD_LABEL } from './dom.js';

const NORM_CLASS = { urban: '城市', rural: '农村' };

/** Renders `/grids/{code}` into `container`; `onSelect(code)` for the breadcrumb links. */
export function renderDetail(container, d, { onSelect }) {
  const g = d.grid;
  const crumbs = el('nav', { class: 'breadcrumb', 'aria-label': '上级' },
    ...d.ancestors.flatMap((a) => [
      el('button', { type: 'button', class: 'crumb', dataset: { code: a.code }, on: { click: () => onSelect(a.code) } }, a.name),
      el('span', { class: 'crumb-sep', 'aria-hidden': 'true' }, '›'),
    ]),
    el('span', { class: 'crumb-current' }, g.name));

  const facts = [
    ['编码', el('code', {}, g.code)],
    ['层级', g.levelLabel],
    ['类型', g.typeLabel],
    ['户数', `${num(g.households)} 户`],
    ['人口', `${num(g.population)} 人`],
  ];
  if (g.level !== 'grid') facts.push([`下级${CHILD_LABEL[g.level] ?? '节点'}`, `${num(g.childCount ?? 0)} 个`]);
  const dl = el('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));

  replace(container,
    el('div', { class: 'detail-head' },
      el('h2', { id: 'detail-name', class: 'detail-name', dataset: { code: g.code } }, g.name),
      el('span', { class: `tag level-${g.level}` }, g.levelLabel)),
    crumbs,
    dl,
    normBlock(d.norm, g),
    rosterBlock(d.roster),
    staffTable(d.staff, g));
}

function normBlock(norm, g) {
  if (g.level !== 'grid') return null;
  if (!norm) {
    return el('p', { id: 'detail-norm', class: 'norm norm-none' }, '专属网格不适用规模标准');
  }
  const standard = `${NORM_CLASS[norm.normClass] ?? ''}标准：不超过 ${num(norm.maxHouseholds)} 户或 ${num(norm.maxPopulation)} 人`;
  return el('div', { id: 'detail-norm', class: `norm ${norm.within ? 'norm-ok' : 'norm-bad'}` },
    el('strong', {}, norm.within ? '符合标准' : '超出规模标准'),
    el('span', { class: 'norm-message' }, norm.message),
    el('span', { class: 'norm-standard muted' }, standard));
}

function rosterBlock(roster) {
  if (!roster) return null;
  const gaps = [];
  if (!roster.hasLeader) gaps.push('缺网格长');
  if (!roster.hasWorker) gaps.push('缺网格员');
  return el('p', { id: 'detail-roster', class: 'roster' },
    el('span', { class: 'muted' }, '人员配备：'),
    el('strong', {}, roster.label),
    ...gaps.map((t) => el('span', { class: 'tag tag-bad' }, t)));
}

function staffTable(staff, g) {
  if (!staff.length) {
    return g.level === 'grid' ? el('p', { id: 'detail-staff-empty', class: 'muted' }, '本网格尚未登记工作人员。') : null;
  }
  return el('table', { id: 'detail-staff', class: 'staff' },
    el('caption', {}, g.level === 'grid' ? '网格工作人员' : '工作人员'),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, '职务'), el('th', { scope: 'col' }, '姓名'), el('th', { scope: 'col' }, '电话'))),
    el('tbody', {}, ...staff.map((s) => el('tr', {},
      el('td', {}, s.roleLabel), el('td', {}, s.name), el('td', {}, s.phone ? el('span', { class: 'phone' }, s.phone) : '—')))));
}

/** A message instead of the detail (loading, error). */
export function renderDetailMessage(container, text, isError = false) {
  replace(container, el('p', { class: isError ? 'error' : 'muted' }, text));
}
