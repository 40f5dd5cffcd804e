// 待办: what the caller's own unit holds — a department's inbox, or the events at an operator's center.
import { api } from './api.js';
import { byId } from './dom.js';
import { OPEN_STATUSES } from './format.js';
import { role, onChange, store } from './store.js';
import { fillRows, pageInfo } from './eventtable.js';
import { openEvent } from './eventpanel.js';

const PAGE_SIZE = 50;
const rows = byId('inbox-rows');
const table = byId('inbox-table');
const state = { page: 1, token: 0, active: false };

function scope() {
  return document.querySelector('input[name="inbox-scope"]:checked')?.value ?? 'open';
}

function title() {
  const a = store.me?.account;
  if (role() === 'department' && a?.department) return `${a.department.name} · 待办`;
  const place = store.me?.territory.name ?? '';
  return ['grid_leader', 'grid_worker'].includes(role()) ? `${place} · 待办` : `${place}指挥中心 · 待办`;
}

async function load() {
  const token = ++state.token;
  byId('inbox-title').textContent = title();
  let answer;
  try {
    answer = await api.events({
      holder: 'mine', status: scope() === 'open' ? OPEN_STATUSES.join(',') : '', page: state.page, pageSize: PAGE_SIZE,
    });
  } catch (error) {
    if (token === state.token && error.status !== 401) fillRows(rows, [], { empty: `加载失败：${error.message}` });
    return;
  }
  if (token !== state.token) return;
  fillRows(rows, answer.items, { onOpen: openEvent, empty: scope() === 'open' ? '没有待办事件。' : '没有事件。' });
  pageInfo(byId('inbox-page'), byId('inbox-prev'), byId('inbox-next'), answer);
  byId('inbox-summary').textContent = `共 ${answer.total} 件`;
  table.dataset.total = String(answer.total);
  table.dataset.loaded = String(token);
  if (scope() === 'open' && state.page === 1) showCount(answer.total);
}

/** The number on the 待办 tab. */
function showCount(n) {
  const badge = byId('inbox-count');
  badge.textContent = n ? String(n) : '';
}

/** Refreshes only the number on the tab (at login, after changes). */
export async function refreshCount() {
  try {
    const answer = await api.events({ holder: 'mine', status: OPEN_STATUSES.join(','), pageSize: 1 });
    showCount(answer.total);
  } catch {
    // the tab simply shows no number
  }
}

for (const radio of document.querySelectorAll('input[name="inbox-scope"]')) {
  radio.addEventListener('change', () => { state.page = 1; load(); });
}
byId('inbox-prev').addEventListener('click', () => { state.page = Math.max(1, state.page - 1); load(); });
byId('inbox-next').addEventListener('click', () => { state.page += 1; load(); });
onChange(() => (state.active ? load() : store.me && refreshCount()));

export async function activate() {
  state.active = true;
  await load();
}

export function deactivate() {
  state.active = false;
}

export function clear() {
  state.active = false;
  state.token++;
  state.page = 1;
  rows.replaceChildren();
  byId('inbox-summary').textContent = '';
  byId('inbox-page').textContent = '';
  byId('inbox-count').textContent = '';
  delete table.dataset.total;
  delete table.dataset.loaded;
  const open = document.querySelector('input[name="inbox-scope"][value="open"]');
  if (open) open.checked = true;
}
