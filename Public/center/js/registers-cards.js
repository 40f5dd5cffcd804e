// The cards of the registers in the drawer: a person (masked numbers, 查看完整号码, houses, roles), a house
// (building, use, residents, QR door plate) and a building (its houses). A card opened from another
// one can go back to it.
import { el, byId } from './dom.js';
import { openPanel } from './eventpanel.js';
import { regApi, plateURL, maskedText, kindTag, attentionTag, linkButton, period } from './registers-common.js';
import { askReveal } from './registers-reveal.js';

const panel = byId('event-panel');
const TITLE = { person: '人员信息', house: '房屋信息', building: '楼栋信息' };
const LOAD = { person: regApi.person, house: regApi.house, building: regApi.building };
const FIELD = { certificateNumber: '证件号码', phone: '联系电话' };
let trail = []; // the cards opened one from another: [{kind, id}]
let seq = 0;

/** Opens a person's card from a list (a new trail). */
export function openPerson(id) {
  trail = [{ kind: 'person', id }];
  return show('person', id);
}

/** Opens a card from inside another card. */
function openFrom(kind, id) {
  trail.push({ kind, id });
  return show(kind, id);
}

function back() {
  trail.pop();
  const last = trail.at(-1);
  if (last) show(last.kind, last.id);
}

function backButton() {
  if (trail.length < 2) return null;
  const previous = trail.at(-2);
  return el('button', { id: 'card-back', type: 'button', class: 'plain card-back', on: { click: back } }, `‹ 返回${TITLE[previous.kind]}`);
}

async function show(kind, id) {
  const mine = ++seq;
  openPanel(TITLE[kind], backButton(), el('p', { class: 'muted' }, '加载中…'));
  let data;
  try {
    data = await LOAD[kind](id);
  } catch (error) {
    if (mine === seq && !panel.hidden && error.status !== 401) {
      openPanel(TITLE[kind], backButton(), el('p', { class: 'error', role: 'alert' }, error.message));
    }
    return;
  }
  if (mine !== seq || panel.hidden) return; // closed, or another card asked for meanwhile
  const render = { person: personCard, house: houseCard, building: buildingCard }[kind];
  openPanel(TITLE[kind], backButton(), render(data));
}

/** A <dl> of the rows with a value. */
function facts(rows, id) {
  const shown = rows.filter(([, v]) => v !== null && v !== undefined && v !== '');
  return el('dl', { id, class: 'facts card-facts' }, ...shown.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

function section(title, ...content) {
  return el('section', { class: 'card-section' }, el('h3', { class: 'section-title' }, title), ...content);
}

// ---- person -------------------------------------------------------------------------------------

/** A masked number and, when the caller may, the button that reveals it after asking why. */
function numberFact(person, field, canReveal) {
  const value = person[field];
  if (!value) return null;
  const shown = el('span', { id: `person-${field}`, class: 'masked' }, value);
  if (!canReveal) return shown;
  const button = el('button', {
    type: 'button', class: 'plain reveal-button', dataset: { field }, 'aria-label': `查看完整号码：${FIELD[field]}`,
    on: {
      click: async () => {
        const full = await askReveal(person, field);
        if (full === null || !shown.isConnected) return;
        shown.textContent = full;
        shown.classList.add('revealed');
        shown.dataset.revealed = 'true';
        button.replaceWith(el('span', { class: 'revealed-note', role: 'status' }, '本次查看已记入审计日志'));
      },
    },
  }, '查看完整号码');
  return el('span', { class: 'number-fact' }, shown, button);
}

function personCard(d) {
  const p = d.person;
  const l = p.labels ?? {};
  return el('article', { id: 'reg-card', class: 'reg-card', dataset: { kind: 'person', id: String(p.id) } },
    el('div', { class: 'event-head' },
      el('h3', { id: 'card-name', class: 'card-name' }, p.name), kindTag(p),
      ...d.roles.map((r) => el('span', { class: `tag grp-${r.group}` }, r.kindLabel))),
    facts([
      ['证件类型', l.certificateType ?? p.certificateType],
      ['证件号码', numberFact(p, 'certificateNumber', d.canReveal)],
      ['性别', l.sex],
      ['出生日期', p.birthDate],
      ['民族', l.ethnicity],
      ['联系电话', numberFact(p, 'phone', d.canReveal)],
      ['外文姓名', p.foreignName],
      ['国籍', p.nationality],
      ['来华目的', l.visitPurpose ?? p.visitPurpose],
      ['流入原因', l.inflowReason ?? p.inflowReason],
      ['办证类型', l.permitType ?? p.permitType],
      ['办证号码', p.permitNumber ? maskedText(p.permitNumber) : null],
      ['有效期至', p.permitExpiry],
      ['户籍地', p.registeredDivision ? el('code', {}, p.registeredDivision) : null],
      ['户籍地址', p.registeredAddress],
      ['现住址', p.currentAddress],
      ['所属网格', el('code', {}, p.grid)],
    ], 'person-facts'),
    d.canReveal ? el('p', { class: 'audit-note' }, '证件号码和电话只显示部分。查看完整号码须填写原因，每次查看都记入审计日志。') : null,
    residences(d.residences),
    roles(d.roles));
}

function residences(list) {
  const sorted = [...list].sort((a, b) => Number(b.current) - Number(a.current));
  return section(`住房（${list.length}）`, sorted.length
    ? el('ul', { id: 'person-houses', class: 'card-list' }, ...sorted.map((r) => el('li', {
      class: r.current ? 'residence' : 'residence moved-out', dataset: { house: String(r.house.id), current: String(r.current) },
    },
    linkButton(r.house.address, () => openFrom('house', r.house.id), { class: 'link house-open', dataset: { id: String(r.house.id) } }),
    el('span', { class: 'card-list-meta' },
      el('span', { class: 'tag' }, r.roleLabel),
      el('span', { class: r.current ? 'tag tag-ok' : 'tag tag-past' }, r.current ? '现住' : '已迁出'),
      el('span', { class: 'muted small' }, period(r.movedIn, r.movedOut))))))
    : el('p', { class: 'muted' }, '没有登记住房。'));
}

function roles(list) {
  if (!list.length) return null;
  return section(`特殊人群与关爱对象（${list.length}）`, el('ul', { id: 'person-roles', class: 'card-list' }, ...list.map((r) => el('li', {
    class: 'role-item', dataset: { kind: r.kind },
  },
  el('div', { class: 'card-list-meta' },
    el('strong', {}, r.kindLabel),
    el('span', { class: `tag grp-${r.group}` }, r.group === 'special' ? '特殊人群' : '关爱对象'),
    attentionTag(r), el('span', { class: 'muted small' }, `关注 · 每${r.visitEveryDays}天走访 · ${period(r.since, r.until)}`)),
  r.display?.length ? facts(r.display.map((f) => [f.label, f.value])) : null))));
}

// ---- house and building -------------------------------------------------------------------------

function houseCard(d) {
  const h = d.house;
  const b = d.building;
  const residents = [...d.residents].sort((x, y) => Number(y.current) - Number(x.current));
  return el('article', { id: 'reg-card', class: 'reg-card', dataset: { kind: 'house', id: String(h.id) } },
    el('div', { class: 'event-head' }, el('h3', { id: 'card-name', class: 'card-name' }, h.address),
      h.rented ? el('span', { class: 'tag tag-warn' }, '出租') : null),
    facts([
      ['房屋编码', el('code', {}, h.code)],
      ['楼栋', b ? linkButton(b.name, () => openFrom('building', b.id), { class: 'link building-open', dataset: { id: String(b.id) } }) : null],
      ['单元', h.unit],
      ['楼层', h.floor],
      ['房号', h.room],
      ['房屋用途', h.useLabel ?? h.use],
      ['出租', h.rented ? `是${h.rentalUseLabel ? `（${h.rentalUseLabel}）` : ''}` : '否'],
      ['面积', typeof h.area === 'number' ? `${h.area} 平方米` : null],
      ['所属网格', el('code', {}, h.grid)],
    ], 'house-facts'),
    el('figure', { class: 'plate' },
      el('img', { id: 'house-plate', src: plateURL(h.id), alt: `房屋门牌二维码 ${h.code}`, class: 'plate-img' }),
      el('figcaption', {}, el('a', { id: 'house-plate-link', href: plateURL(h.id), target: '_blank', rel: 'noopener' }, '打开门牌二维码（可打印）'))),
    section(`住户（现住 ${residents.filter((r) => r.current).length} 人）`, residents.length
      ? el('table', { id: 'house-residents', class: 'staff' },
        el('thead', {}, el('tr', {}, ...['姓名', '居住关系', '证件号码', '入住', '迁出'].map((t) => el('th', { scope: 'col' }, t)))),
        el('tbody', {}, ...residents.map((r) => el('tr', {
          class: r.current ? 'resident' : 'resident moved-out', dataset: { current: String(r.current), person: r.person ? String(r.person.id) : '' },
        },
        el('td', {}, r.person
          ? linkButton(r.person.name, () => openFrom('person', r.person.id), { class: 'link person-open', dataset: { id: String(r.person.id) } })
          : el('span', { class: 'muted' }, '辖区外人员')),
        el('td', {}, r.roleLabel),
        el('td', {}, maskedText(r.person?.certificateNumber)),
        el('td', {}, r.movedIn ?? '—'),
        el('td', {}, r.current ? el('span', { class: 'tag tag-ok' }, '现住') : r.movedOut ?? '已迁出')))))
      : el('p', { class: 'muted' }, '没有登记住户。')));
}

function buildingCard(d) {
  const b = d.building;
  return el('article', { id: 'reg-card', class: 'reg-card', dataset: { kind: 'building', id: String(b.id) } },
    el('div', { class: 'event-head' }, el('h3', { id: 'card-name', class: 'card-name' }, b.name)),
    facts([
      ['楼栋编码', el('code', {}, b.code)],
      ['地址', b.address],
      ['建筑用途', b.useLabel ?? b.use],
      ['层数', b.floors],
      ['单元数', b.units],
      ['所属网格', el('code', {}, b.grid)],
      ['坐标', typeof b.lat === 'number' ? `${b.lat.toFixed(6)}, ${b.lon.toFixed(6)}` : null],
    ], 'building-facts'),
    section(`房屋（${d.houses.length} 套）`, d.houses.length
      ? el('table', { id: 'building-houses', class: 'staff' },
        el('thead', {}, el('tr', {}, ...['单元', '楼层', '房号', '用途', '出租用途', '住户'].map((t) => el('th', { scope: 'col' }, t)))),
        el('tbody', {}, ...d.houses.map(({ house: h, residents: n }) => el('tr', { dataset: { house: String(h.id) } },
          el('td', {}, h.unit ?? '—'),
          el('td', {}, h.floor ?? '—'),
          el('td', {}, linkButton(h.room, () => openFrom('house', h.id), { class: 'link house-open', dataset: { id: String(h.id) }, 'aria-label': `${h.room}室：${h.address}` })),
          el('td', {}, h.useLabel ?? '—'),
          el('td', {}, h.rented ? h.rentalUseLabel ?? '出租' : el('span', { class: 'muted' }, '未出租')),
          el('td', { class: n ? 'num' : 'num zero' }, `${n} 人`)))))
      : el('p', { class: 'muted' }, '没有登记房屋。')));
}
