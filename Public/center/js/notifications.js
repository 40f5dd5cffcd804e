// 通知 (administrators): the outbox — every webhook and SMS with its status, attempts and last error,
// filtered by status, with 重试 for failed and abandoned ones; below it, each department's endpoints.
import { api } from './api.js';
import { el, replace, byId, num } from './dom.js';
import { time } from './format.js';
import { departments, onChange } from './store.js';
import { openEvent } from './eventpanel.js';
import * as endpoints from './endpoints.js';

/** The server's statuses, in the order of the filter, with its labels. */
export const NOTIFY_STATUS = {
  pending: '待发送',
  failed: '失败待重试',
  dead: '已放弃',
  sent: '已发送',
};
const KIND = {
  dispatched: '派遣', card: '督办', closed: '办结', copied: '抄告', returned: '回退', reopened: '核查不通过',
  urgent: '加急', instructed: '领导批示', extension: '延期',
};
const CHANNEL = { webhook: 'Webhook', sms: '短信' };
const RETRYABLE = new Set(['failed', 'dead']);
/** While the tab is open the list follows the delivery worker (which runs every few seconds). */
const REFRESH_MS = 10_000;

const rows = byId('notify-rows');
const table = byId('notify-table');
const filter = byId('notify-status');
const message = byId('notify-message');
const state = { page: 1, token: 0, active: false, timer: null, shown: '', names: null };

for (const [code, label] of [['', '全部'], ...Object.entries(NOTIFY_STATUS)]) {
  filter.append(el('label', { class: `check ns-filter${code ? ` ns-${code}` : ''}` },
    el('input', { type: 'radio', name: 'notify-status', value: code, checked: !code, on: { change: () => { state.page = 1; load(); } } }),
    ` ${label}`, el('span', { class: 'count', dataset: { count: code || 'all' } })));
}

const status = () => filter.querySelector('input:checked')?.value ?? '';

/** Unix seconds → "2026-11-22 10:05:09". */
function clock(sec) {
  if (sec === null || sec === undefined) return '—';
  return `${time(sec)}:${String(new Date(sec * 1000).getSeconds()).padStart(2, '0')}`;
}

/** The serial of the event, read from what was sent (the webhook's JSON, or the SMS text); else its id. */
function serialOf(n) {
  if (n.channel === 'webhook') {
    try {
      const serial = JSON.parse(n.payload)?.event?.serial;
      if (serial) return String(serial);
    } catch {
      // not JSON: fall through
    }
  } else {
    const found = /事件(\d{6,})/.exec(n.payload ?? '');
    if (found) return found[1];
  }
  return `#${n.eventId}`;
}

/** Department names by id, for the 接收方 column (loaded once per session). */
async function names() {
  state.names ??= departments().then((list) => new Map(list.map((d) => [String(d.id), d.name]))).catch(() => {
    state.names = null;
    return new Map();
  });
  return state.names;
}

function recipient(n, known) {
  const [kind, id] = n.recipient.split(':');
  if (kind === 'department') return known.get(id) ?? `部门${id}`;
  if (kind === 'center') return `${id} 指挥中心`;
  if (kind === 'reporter') return '上报群众';
  return n.recipient;
}

function row(n, known) {
  const label = n.statusLabel ?? NOTIFY_STATUS[n.status] ?? n.status;
  return el('tr', { class: `notify-row ns-row-${n.status}`, dataset: {
    id: String(n.id), status: n.status, event: n.eventId ?? '', attempts: String(n.attempts), channel: n.channel,
  } },
  el('td', { class: 'col-time' }, clock(n.createdAt)),
  el('td', { class: 'col-serial' }, n.eventId === null || n.eventId === undefined ? '—' : el('button', {
    type: 'button', class: 'event-open link', dataset: { id: String(n.eventId) }, title: '查看事件详情',
    on: { click: () => openEvent(n.eventId) },
  }, serialOf(n))),
  el('td', { class: 'col-kind' }, KIND[n.kind] ?? n.kind),
  el('td', { class: 'col-channel' }, CHANNEL[n.channel] ?? n.channel),
  el('td', { class: 'col-recipient' }, recipient(n, known), el('div', { class: 'muted small target', title: n.target }, n.target)),
  el('td', { class: 'col-status' }, el('span', {
    class: `status ns-${n.status}`, dataset: { status: n.status }, title: n.sentAt ? `发送于 ${clock(n.sentAt)}` : null,
  }, label)),
  el('td', { class: 'col-attempts' }, num(n.attempts)),
  el('td', { class: 'col-next' }, clock(n.nextAttemptAt)),
  el('td', { class: 'col-error', title: n.lastError ?? '' }, n.lastError ?? el('span', { class: 'muted' }, '—')),
  el('td', { class: 'col-actions' }, RETRYABLE.has(n.status) ? el('button', {
    type: 'button', class: 'plain notify-retry', dataset: { id: String(n.id) }, on: { click: (e) => retry(n, e.currentTarget) },
  }, '重试') : null));
}

function showCounts(counts) {
  let all = 0;
  for (const code of Object.keys(NOTIFY_STATUS)) {
    const n = counts?.[code] ?? 0;
    all += n;
    const badge = filter.querySelector(`[data-count="${code}"]`);
    badge.textContent = `(${num(n)})`;
    badge.classList.toggle('count-bad', (code === 'failed' || code === 'dead') && n > 0);
  }
  filter.querySelector('[data-count="all"]').textContent = `(${num(all)})`;
}

function pager({ total, page, pageSize }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  byId('notify-page').textContent = `第 ${page}/${pages} 页，共 ${num(total)} 条`;
  byId('notify-prev').disabled = page <= 1;
  byId('notify-next').disabled = page >= pages;
}

/** Loads the page; rows are only rebuilt when something changed (the list refreshes itself). */
async function load() {
  const token = ++state.token;
  let answer;
  let known;
  try {
    [answer, known] = await Promise.all([
      api.notifications({ status: status(), page: state.page, pageSize: Number(byId('notify-size').value) }), names()]);
  } catch (error) {
    if (token === state.token && error.status !== 401) {
      state.shown = '';
      replace(rows, el('tr', { class: 'empty' }, el('td', { colspan: 10, class: 'error' }, `加载失败：${error.message}`)));
    }
    return;
  }
  if (token !== state.token) return;
  const pages = Math.max(1, Math.ceil(answer.total / answer.pageSize));
  if (state.page > pages) { // the last page emptied meanwhile
    state.page = pages;
    load();
    return;
  }
  const shown = JSON.stringify(answer);
  if (shown !== state.shown) {
    state.shown = shown;
    if (answer.items.length) replace(rows, ...answer.items.map((n) => row(n, known)));
    else replace(rows, el('tr', { class: 'empty' }, el('td', { colspan: 10, class: 'muted' }, '没有符合条件的通知。')));
  }
  showCounts(answer.counts);
  pager(answer);
  table.dataset.total = String(answer.total);
  table.dataset.loaded = String(token);
}

async function retry(n, button) {
  button.disabled = true;
  message.classList.remove('error');
  try {
    const next = await api.retryNotification(n.id);
    message.textContent = `通知${n.id}已重新排队，${next.statusLabel ?? '待发送'}`;
  } catch (error) {
    if (error.status === 401) return;
    message.textContent = error.message;
    message.classList.add('error');
  }
  await load();
}

function stopTimer() {
  clearInterval(state.timer);
  state.timer = null;
}

byId('notify-refresh').addEventListener('click', () => load());
byId('notify-size').addEventListener('change', () => { state.page = 1; load(); });
byId('notify-prev').addEventListener('click', () => { state.page = Math.max(1, state.page - 1); load(); });
byId('notify-next').addEventListener('click', () => { state.page += 1; load(); });
onChange(() => { if (state.active) load(); });

export async function activate() {
  state.active = true;
  stopTimer();
  state.timer = setInterval(() => { if (!document.hidden) load(); }, REFRESH_MS);
  endpoints.prepare();
  await load();
}

export function deactivate() {
  state.active = false;
  stopTimer();
}

/** At logout: nothing of the previous account stays on the page. */
export function clear() {
  deactivate();
  state.token++;
  state.page = 1;
  state.shown = '';
  state.names = null;
  replace(rows);
  message.textContent = '';
  message.classList.remove('error');
  byId('notify-page').textContent = '';
  for (const badge of filter.querySelectorAll('.count')) badge.textContent = '';
  const all = filter.querySelector('input[value=""]');
  if (all) all.checked = true;
  delete table.dataset.total;
  delete table.dataset.loaded;
  endpoints.clear();
}
