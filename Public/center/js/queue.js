// 事件: the queue of the caller's territory — filters, paging, selection and 批量派遣.
import { api } from './api.js';
import { el, replace, byId } from './dom.js';
import { STATUS, SOURCE, dayToSeconds } from './format.js';
import { catalog, departments, canReport, role, announceChange, onChange } from './store.js';
import { fillRows, pageInfo } from './eventtable.js';
import { openEvent } from './eventpanel.js';

const form = byId('queue-filters');
const rows = byId('queue-rows');
const table = byId('queue-table');
const statusBox = byId('f-status');
const category = byId('f-category');
const item = byId('f-item');
const bulkTo = byId('bulk-to');
const bulkButton = byId('bulk-dispatch');
const results = byId('bulk-results');

const state = { page: 1, items: [], selected: new Set(), token: 0, prepared: null, active: false, total: 0 };

const canDispatch = () => ['operator', 'grid_leader'].includes(role());

for (const [code, s] of Object.entries(STATUS)) {
  statusBox.append(el('label', { class: 'check' },
    el('input', { type: 'checkbox', name: 'status', value: code, on: { change: summarizeStatus } }), ` ${s.label}`));
}
for (const [code, label] of Object.entries(SOURCE)) byId('f-source').append(el('option', { value: code }, label));

function checkedStatuses() {
  return [...statusBox.querySelectorAll('input:checked')].map((i) => i.value);
}

function summarizeStatus() {
  const picked = checkedStatuses();
  byId('f-status-summary').textContent = picked.length ? picked.map((s) => STATUS[s].label).join('、') : '全部';
}

/** The item select: the items of the chosen category, or all of them grouped by category. */
async function fillItems() {
  const c = await catalog();
  const wanted = category.value;
  const groups = c.categories.filter((cat) => !wanted || cat.code === wanted).map((cat) => el('optgroup', { label: cat.name },
    ...c.items.filter((i) => i.categoryCode === cat.code).map((i) => el('option', { value: i.code }, `${i.code} ${i.name}`))));
  replace(item, el('option', { value: '' }, '全部'), ...groups);
}

async function prepare() {
  const c = await catalog();
  replace(category, el('option', { value: '' }, '全部'), ...c.categories.map((x) => el('option', { value: x.code }, x.name)));
  await fillItems();
  byId('report-open').hidden = !canReport();
  const bulk = canDispatch();
  table.classList.toggle('no-select', !bulk);
  for (const node of [byId('bulk-count'), bulkTo.parentElement, byId('bulk-note'), bulkButton]) node.hidden = !bulk;
  if (bulk) {
    const list = await departments().catch(() => []);
    replace(bulkTo, el('option', { value: '' }, '选择职能部门…'),
      ...list.map((d) => el('option', { value: `department:${d.id}` }, `${d.name}（${d.kindLabel}）`)));
  }
}

function params() {
  return {
    status: checkedStatuses().join(','), category: category.value, item: item.value, source: byId('f-source').value,
    from: dayToSeconds(byId('f-from').value), to: dayToSeconds(byId('f-to').value, true),
    overdue: byId('f-overdue').checked, page: state.page, pageSize: Number(byId('queue-size').value),
  };
}

async function load() {
  const token = ++state.token;
  rows.classList.add('loading');
  let answer;
  try {
    answer = await api.events(params());
  } catch (error) {
    if (token === state.token && error.status !== 401) {
      fillRows(rows, [], { selected: null, empty: `加载失败：${error.message}` });
    }
    return;
  } finally {
    if (token === state.token) rows.classList.remove('loading');
  }
  if (token !== state.token) return;
  state.items = answer.items;
  state.total = answer.total;
  state.selected.clear();
  fillRows(rows, answer.items, { selected: canDispatch() ? state.selected : null, onOpen: openEvent, onToggle: toggle });
  pageInfo(byId('queue-page'), byId('queue-prev'), byId('queue-next'), answer);
  byId('queue-summary').textContent = `共 ${answer.total} 件`;
  table.dataset.total = String(answer.total);
  table.dataset.loaded = String(state.token);
  selectionChanged();
}

function toggle(id, on) {
  if (on) state.selected.add(id);
  else state.selected.delete(id);
  selectionChanged();
}

function selectionChanged() {
  const n = state.selected.size;
  byId('bulk-count').textContent = n ? `已选 ${n} 件` : '未选择';
  bulkButton.disabled = !n || !bulkTo.value;
  const all = byId('queue-all');
  all.checked = n > 0 && n === state.items.length;
  all.indeterminate = n > 0 && n < state.items.length;
}

async function bulkDispatch() {
  const ids = [...state.selected];
  if (!ids.length || !bulkTo.value) return;
  const serials = new Map(state.items.map((e) => [e.id, e.serial]));
  bulkButton.disabled = true;
  results.hidden = false;
  replace(results, el('li', { class: 'muted' }, `正在派遣 ${ids.length} 件…`));
  try {
    const note = byId('bulk-note').value.trim();
    const answer = await api.dispatchMany({ ids, to: bulkTo.value, note: note || undefined });
    const ok = answer.results.filter((r) => r.ok).length;
    replace(results,
      el('li', { class: 'bulk-head' }, `派遣至 ${bulkTo.selectedOptions[0].textContent}：成功 ${ok} 件，失败 ${answer.results.length - ok} 件`),
      ...answer.results.map((r) => el('li', { class: r.ok ? 'ok' : 'error', dataset: { id: String(r.id) } },
        `${serials.get(r.id) ?? r.id}：${r.ok ? '已派遣' : r.error}`)));
    announceChange({ ids });
  } catch (error) {
    if (error.status !== 401) replace(results, el('li', { class: 'error' }, error.message));
  }
  await load();
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  byId('f-status-box').open = false;
  state.page = 1;
  load();
});
document.addEventListener('click', (e) => {
  const box = byId('f-status-box');
  if (box.open && !box.contains(e.target)) box.open = false;
});
form.addEventListener('reset', () => setTimeout(() => { // after the browser has reset the fields
  summarizeStatus();
  if (state.active) fillItems().then(() => { state.page = 1; load(); });
}));
category.addEventListener('change', () => fillItems());
byId('queue-size').addEventListener('change', () => { state.page = 1; load(); });
byId('queue-prev').addEventListener('click', () => { state.page = Math.max(1, state.page - 1); load(); });
byId('queue-next').addEventListener('click', () => { state.page += 1; load(); });
byId('queue-all').addEventListener('change', (e) => {
  for (const ev of state.items) if (e.target.checked) state.selected.add(ev.id); else state.selected.delete(ev.id);
  for (const box of rows.querySelectorAll('.row-check')) box.checked = e.target.checked;
  selectionChanged();
});
bulkTo.addEventListener('change', selectionChanged);
bulkButton.addEventListener('click', bulkDispatch);
byId('report-open').addEventListener('click', async () => (await import('./report.js')).openReport());
onChange(() => { if (state.active) load(); });

export async function activate() {
  state.active = true;
  state.prepared ??= prepare().catch((error) => { state.prepared = null; throw error; });
  try {
    await state.prepared;
  } catch (error) {
    if (error.status !== 401) byId('queue-summary').textContent = error.message;
  }
  await load();
}

export function deactivate() {
  state.active = false;
}

/** At logout: nothing of the previous account stays on the page. */
export function clear() {
  state.active = false;
  state.token++;
  state.prepared = null;
  state.page = 1;
  state.items = [];
  state.selected.clear();
  form.reset();
  summarizeStatus();
  replace(rows);
  replace(results);
  results.hidden = true;
  byId('queue-summary').textContent = '';
  byId('queue-page').textContent = '';
  delete table.dataset.total;
  delete table.dataset.loaded;
}
