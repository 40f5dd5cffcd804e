// 我的上报: what I reported and where it stands, with what is still waiting on the phone.
import { cachedGet } from './api.js';
import { el, replace } from './dom.js';
import { clock, eventCard, staleNote } from './format.js';
import { list as outboxJobs } from './outbox.js';

export const MINE_PATH = '/api/v1/events?reporter=me&pageSize=50';

export async function render(main) {
  const waiting = el('ul', { id: 'mine-waiting', class: 'cards' });
  const list = el('ul', { id: 'mine-list', class: 'cards' });
  const head = el('div', { class: 'section-head' }, el('h2', {}, '我的上报'), el('span', { id: 'mine-count', class: 'muted' }));
  main.append(head, waiting, list);

  const queued = (await outboxJobs()).filter((j) => j.kind === 'report' && j.state !== 'sent');
  replace(waiting, queued.map((j) => el('li', { class: 'card queued', dataset: { key: j.key } },
    el('a', { class: 'card-link', href: '#/outbox' },
      el('div', { class: 'card-head' }, el('span', { class: 'card-title' }, j.title.replace(/^上报：/, '')),
        el('span', { class: j.state === 'failed' ? 'tag failed' : 'tag pending' }, j.state === 'failed' ? '失败' : '待发送')),
      el('p', { class: 'card-text' }, j.state === 'failed' ? j.error : `${clock(j.createdAt)} 保存在手机上`)))));

  try {
    const answer = await cachedGet(MINE_PATH);
    head.querySelector('#mine-count').textContent = `共 ${answer.data.total} 件`;
    list.dataset.loaded = String(Date.now());
    const note = staleNote(answer);
    if (note) head.after(note);
    if (!answer.data.items.length && !queued.length) replace(list, el('li', { class: 'empty' }, '还没有上报过事件'));
    else replace(list, answer.data.items.map(eventCard));
  } catch (error) {
    list.after(el('p', { class: 'msg error' }, error.offline ? '离线，手机上还没有保存过我的上报' : error.message));
  }
  return null;
}
