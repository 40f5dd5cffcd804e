// 特殊人群与关爱对象: the population roles of the scope, filtered by kind (from /code-tables), paged;
// each person links to their card.
import { el, replace, byId } from './dom.js';
import { regApi, codeTables, pager, messageRow, maskedText, attentionTag, linkButton, period, PAGE_SIZE } from './registers-common.js';
import { openPerson } from './registers-cards.js';

const form = byId('reg-roles-filters');
const kind = byId('reg-role-kind');
const rows = byId('reg-roles-rows');
const table = byId('reg-roles-table');
const COLUMNS = 7;
const state = { grid: null, offset: 0, token: 0, filled: false };
const showPage = pager('reg-roles', state, load);

/** The kinds grouped as 特殊人群 / 关爱对象. */
async function fillKinds() {
  if (state.filled) return;
  const t = await codeTables();
  const groups = new Map();
  for (const k of t.roleKinds) {
    if (!groups.has(k.group)) groups.set(k.group, { label: k.groupLabel, kinds: [] });
    groups.get(k.group).kinds.push(k);
  }
  replace(kind, el('option', { value: '' }, '全部'), ...[...groups.values()].map((g) => el('optgroup', { label: g.label },
    ...g.kinds.map((k) => el('option', { value: k.key }, k.label)))));
  state.filled = true;
}

function render(items) {
  if (!items.length) {
    replace(rows, messageRow(COLUMNS, '没有符合条件的人员。'));
    return;
  }
  replace(rows, ...items.map((r) => el('tr', { class: 'role-row', dataset: { id: String(r.id), kind: r.kind } },
    el('td', {}, el('span', { class: `tag grp-${r.group}` }, r.kindLabel)),
    el('td', {}, r.person
      ? linkButton(r.person.name, () => openPerson(r.personID), { class: 'link person-open', dataset: { id: String(r.personID) } })
      : '—'),
    el('td', { class: 'col-number' }, maskedText(r.person?.certificateNumber)),
    el('td', {}, attentionTag(r)),
    el('td', {}, `每${r.visitEveryDays}天`),
    el('td', {}, period(r.since, r.until)),
    el('td', { class: 'col-display' }, (r.display ?? []).map((f) => `${f.label}：${f.value}`).join('；') || '—'))));
}

async function load() {
  const t = ++state.token;
  rows.classList.add('loading');
  delete table.dataset.loaded;
  let answer;
  try {
    await fillKinds();
    answer = await regApi.roles({ grid: state.grid, kind: kind.value, offset: state.offset, limit: PAGE_SIZE });
  } catch (error) {
    if (t === state.token && error.status !== 401) {
      replace(rows, messageRow(COLUMNS, `加载失败：${error.message}`, true));
      showPage(null);
    }
    return;
  } finally {
    if (t === state.token) rows.classList.remove('loading');
  }
  if (t !== state.token) return;
  render(answer.items);
  showPage(answer);
  table.dataset.loaded = String(t);
  table.dataset.total = String(answer.total);
}

function reload() {
  state.offset = 0;
  load();
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  reload();
});
kind.addEventListener('change', reload);

export async function show({ grid }) {
  state.grid = grid;
  state.offset = 0;
  await load();
}

export function clear() {
  state.token++;
  state.grid = null;
  state.offset = 0;
  state.filled = false;
  replace(kind, el('option', { value: '' }, '全部'));
  replace(rows);
  showPage(null);
  delete table.dataset.loaded;
  delete table.dataset.total;
}
