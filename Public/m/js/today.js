// 今日工作: events held by my grid's center (or by me), overdue first, then by deadline.
import { cachedGet } from './api.js';
import { el, replace } from './dom.js';
import { eventCard, staleNote } from './format.js';

export const TODAY_PATH = '/api/v1/events?holder=mine&status=dispatched,signed,accepted,reported&pageSize=100';

/** Overdue first, then the nearest deadline, then the oldest report. */
export function byUrgency(a, b) {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  const da = a.deadline ?? Infinity;
  const db = b.deadline ?? Infinity;
  if (da !== db) return da - db;
  return a.reportedAt - b.reportedAt;
}

export async function render(main, { me }) {
  const list = el('ul', { id: 'today-list', class: 'cards' });
  const head = el('div', { class: 'section-head' },
    el('h2', {}, '今日工作'), el('span', { id: 'today-count', class: 'muted' }));
  main.append(head, list);
  try {
    const answer = await cachedGet(TODAY_PATH);
    const items = [...answer.data.items].sort(byUrgency);
    const overdue = items.filter((e) => e.overdue).length;
    head.querySelector('#today-count').textContent = `${answer.data.total} 件${overdue ? `，超期 ${overdue} 件` : ''}`;
    list.dataset.loaded = String(Date.now());
    const note = staleNote(answer);
    if (note) head.after(note);
    if (!items.length) replace(list, el('li', { class: 'empty' }, `${me.territory.name}暂无待办事件`));
    else replace(list, items.map(eventCard));
  } catch (error) {
    list.after(el('p', { class: 'msg error' }, error.offline ? '离线，手机上还没有保存过今日工作' : error.message));
  }
  return null;
}
