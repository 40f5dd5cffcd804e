// Labels and formats of events.
import { el } from './dom.js';

export const STATUS = {
  reported: '已上报', accepted: '已受理', dispatched: '已派遣', signed: '已签收', handled: '已处置',
  closed: '已办结', evaluated: '已评价', rejected: '不予受理', merged: '已并单',
};

const pad = (n) => String(n).padStart(2, '0');

/** Unix seconds → "11-22 10:05" this year, "2025-11-22 10:05" otherwise; '—' when absent. */
export function time(sec) {
  if (sec === null || sec === undefined) return '—';
  const d = new Date(sec * 1000);
  const hm = `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.getFullYear() === new Date().getFullYear() ? hm : `${d.getFullYear()}-${hm}`;
}

/** Milliseconds → "10:05" (for "cached at"). */
export const clock = (ms) => {
  const d = new Date(ms);
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/** An <input type=datetime-local> value → unix seconds. */
export function localToSeconds(value) {
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? null : Math.floor(t / 1000);
}

/** Unix seconds → an <input type=datetime-local> value. */
export function secondsToLocal(sec) {
  const d = new Date(sec * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function statusTag(status, label) {
  return el('span', { class: `tag st-${status}`, dataset: { status } }, label ?? STATUS[status] ?? status);
}

/** The deadline, red with 超期 when overdue. */
export function deadlineText(e, prefix = '时限 ') {
  if (e.deadline === null || e.deadline === undefined) return null;
  return el('span', { class: e.overdue ? 'deadline overdue' : 'deadline' },
    `${prefix}${time(e.deadline)}`, e.overdue ? ' 超期' : null);
}

/** One event as a tappable card (today's work, my reports). */
export function eventCard(e) {
  return el('li', { class: e.overdue ? 'card overdue' : 'card', dataset: { id: e.id, status: e.status } },
    el('a', { class: 'card-link', href: `#/event/${e.id}` },
      el('div', { class: 'card-head' },
        el('span', { class: 'card-title' }, e.itemName),
        statusTag(e.status, e.statusLabel)),
      el('p', { class: 'card-text' }, e.description),
      el('div', { class: 'card-meta' },
        el('span', {}, e.serial),
        el('span', {}, e.gridName),
        deadlineText(e) ?? el('span', {}, `上报 ${time(e.reportedAt)}`))));
}

/** "离线：显示 11-22 10:05 保存的内容" above a list read from the phone. */
export function staleNote(answer) {
  return answer.stale ? el('p', { class: 'msg muted stale' }, `离线：显示 ${clock(answer.at)} 保存的内容`) : null;
}
