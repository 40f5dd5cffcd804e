// 实有人口: one search box — a complete ID number or phone finds that person, anything else is the start
// of a name — with a filter by kind, paged; numbers stay masked as the API gives them.
import { el, replace, byId } from './dom.js';
import { regApi, pager, messageRow, maskedText, kindTag, linkButton, PAGE_SIZE } from './registers-common.js';
import { openPerson } from './registers-cards.js';

const form = byId('reg-search');
const input = byId('reg-q');
const kind = byId('reg-kind');
const rows = byId('reg-people-rows');
const table = byId('reg-people-table');
const COLUMNS = 7;
const state = { grid: null, offset: 0, token: 0 };
const showPage = pager('reg-people', state, load);

function render(items) {
  if (!items.length) {
    replace(rows, messageRow(COLUMNS, input.value.trim() ? '没有找到符合条件的人员。' : '没有人员。'));
    return;
  }
  replace(rows, ...items.map((p) => el('tr', { class: 'person-row', dataset: { id: String(p.id) } },
    el('td', {}, linkButton(p.name, () => openPerson(p.id), { class: 'link person-open', dataset: { id: String(p.id) } })),
    el('td', {}, p.labels?.sex ?? '—'),
    el('td', {}, p.birthDate ?? '—'),
    el('td', {}, kindTag(p)),
    el('td', { class: 'col-number' }, maskedText(p.certificateNumber)),
    el('td', { class: 'col-number' }, maskedText(p.phone)),
    el('td', { class: 'col-address' }, p.currentAddress ?? '—'))));
}

/** The box's text; a number pasted with spaces or dashes (an ID or a phone) is sent without them. */
function queryText() {
  const q = input.value.trim();
  const compact = q.replace(/[\s-]/g, '');
  return /^\d{10,17}[\dXx]$/.test(compact) ? compact : q;
}

async function load() {
  const t = ++state.token;
  const q = queryText();
  rows.classList.add('loading');
  delete table.dataset.loaded;
  let answer;
  try {
    answer = await regApi.people({ grid: state.grid, q, kind: kind.value, offset: state.offset, limit: PAGE_SIZE });
  } catch (error) {
    if (t === state.token && error.status !== 401) {
      replace(rows, messageRow(COLUMNS, `查询失败：${error.message}`, true));
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

form.addEventListener('submit', (e) => {
  e.preventDefault();
  state.offset = 0;
  load();
});
kind.addEventListener('change', () => {
  state.offset = 0;
  load();
});

/** The list of the scope `grid` (with whatever is in the search box). */
export async function show({ grid }) {
  state.grid = grid;
  state.offset = 0;
  await load();
}

export function clear() {
  state.token++;
  state.grid = null;
  state.offset = 0;
  form.reset();
  replace(rows);
  showPage(null);
  delete table.dataset.loaded;
  delete table.dataset.total;
}
