// 底数清: the scope's children (or a unit grid itself) × the categories of the registers, with a total
// row; a child's row drills into it.
import { el, replace, byId, num } from './dom.js';
import { regApi, codeTables, messageRow } from './registers-common.js';

const table = byId('reg-counts-table');
const head = byId('reg-counts-head');
const rows = byId('reg-counts-rows');
const foot = byId('reg-counts-total');
const message = byId('reg-counts-message');
let token = 0;

const PEOPLE = ['person:registered', 'person:floating', 'person:foreign'];

/** The column groups of the table; the role kinds come from /code-tables in their order. */
function groups(t) {
  const kinds = (group) => t.roleKinds.filter((k) => k.group === group).map((k) => ({ key: `role:${k.key}`, label: k.label }));
  const groupLabel = (group, fallback) => t.roleKinds.find((k) => k.group === group)?.groupLabel ?? fallback;
  return [
    { label: '实有人口', columns: [
      { key: 'person', label: '合计', title: '实有人口合计', sum: PEOPLE },
      { key: 'person:registered', label: '户籍', title: '户籍人口' },
      { key: 'person:floating', label: '流动', title: '流动人口' },
      { key: 'person:foreign', label: '境外', title: '境外人员' }] },
    { label: '房屋', columns: [{ key: 'house', label: '合计', title: '房屋' }, { key: 'house:rented', label: '出租', title: '出租房屋' }] },
    { label: '楼栋', columns: [{ key: 'building', label: '楼栋' }] },
    { label: groupLabel('special', '特殊人群'), columns: kinds('special') },
    { label: groupLabel('care', '关爱对象'), columns: kinds('care') },
    { label: '组织', columns: [
      { key: 'organisation:enterprise', label: '企业', title: '非公有制经济组织' },
      { key: 'organisation:social', label: '社会组织', title: '社会组织' }] },
    { label: '部件', columns: [{ key: 'component', label: '部件', title: '城市部件' }] },
  ].filter((g) => g.columns.length);
}

const value = (counts, column) => (column.sum
  ? column.sum.reduce((n, key) => n + (counts[key] ?? 0), 0)
  : counts[column.key] ?? 0);

function renderHead(list) {
  const single = (g) => g.columns.length === 1 && g.columns[0].label === g.label;
  replace(head,
    el('tr', {},
      el('th', { scope: 'col', rowspan: 2, class: 'col-unit' }, '单位'),
      ...list.map((g) => (single(g)
        ? el('th', { scope: 'col', rowspan: 2, class: 'num', title: g.columns[0].title ?? null }, g.label)
        : el('th', { scope: 'colgroup', colspan: g.columns.length, class: 'group' }, g.label)))),
    el('tr', {}, ...list.filter((g) => !single(g)).flatMap((g) => g.columns.map((c) => el('th', { scope: 'col', class: 'num', title: c.title ?? null }, c.label)))));
}

function cells(counts, columns) {
  return columns.map((c) => {
    const v = value(counts, c);
    return el('td', { class: v ? 'num' : 'num zero', dataset: { cat: c.key }, title: c.title ?? c.label }, num(v));
  });
}

/** A child that has children of its own (not a 15-digit unit or special grid, not the scope itself). */
const drillable = (row, grid) => row.code !== grid && row.code.length < 15;

function render(answer, list, onDrill) {
  const columns = list.flatMap((g) => g.columns);
  renderHead(list);
  if (!answer.rows.length) {
    replace(rows, messageRow(columns.length + 1, '没有下级单位。'));
  } else {
    replace(rows, ...answer.rows.map((row) => {
      const canDrill = drillable(row, answer.grid);
      return el('tr', {
        class: canDrill ? 'count-row drillable' : 'count-row', dataset: { code: row.code },
        title: canDrill ? `查看${row.name}的下级` : null,
        on: canDrill ? { click: () => onDrill(row) } : {},
      },
      el('th', { scope: 'row', class: 'col-unit' },
        canDrill ? el('button', { type: 'button', class: 'link count-drill', dataset: { code: row.code } }, row.name) : row.name),
      ...cells(row.counts, columns));
    }));
  }
  replace(foot, el('tr', { class: 'count-total' }, el('th', { scope: 'row', class: 'col-unit' }, '合计'), ...cells(answer.total, columns)));
  const people = value(answer.total, columns[0]);
  message.textContent = `${answer.name}：实有人口 ${num(people)} 人，房屋 ${num(answer.total.house ?? 0)} 套`
    + (answer.rows.some((r) => drillable(r, answer.grid)) ? '。点击一行查看其下级。' : '');
  table.dataset.code = answer.grid;
}

/** Loads the counts of `grid`. */
export async function show({ grid, onDrill }) {
  const t = ++token;
  delete table.dataset.code;
  rows.classList.add('loading');
  message.textContent = '统计中…';
  let answer;
  let tables;
  try {
    [answer, tables] = await Promise.all([regApi.counts(grid), codeTables()]);
  } catch (error) {
    if (t === token && error.status !== 401) {
      message.textContent = '';
      replace(rows, messageRow(1, `加载失败：${error.message}`, true));
      replace(foot);
    }
    return;
  } finally {
    if (t === token) rows.classList.remove('loading');
  }
  if (t !== token) return;
  render(answer, groups(tables), onDrill);
}

export function clear() {
  token++;
  replace(head);
  replace(rows);
  replace(foot);
  message.textContent = '';
  delete table.dataset.code;
}
