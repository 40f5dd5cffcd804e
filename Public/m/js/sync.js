// 待发送: what the outbox holds — waiting, sent (with the server's answer) or failed (with the server's reason).
import { el, replace } from './dom.js';
import { clock } from './format.js';
import { flush, remove, subscribe } from './outbox.js';

const STATE = { pending: '待发送', sent: '已发送', failed: '失败' };

function item(job) {
  const done = job.steps.filter((s) => s.done).length;
  const photos = job.steps.filter((s) => s.kind === 'upload').length;
  return el('li', { class: `job ${job.state}`, dataset: { key: job.key, state: job.state } },
    el('div', { class: 'card-head' },
      el('span', { class: 'card-title' }, job.title),
      el('span', { class: `tag ${job.state}` }, STATE[job.state])),
    el('p', { class: 'muted' }, `${clock(job.createdAt)} 保存${photos ? `，含照片 ${photos} 张` : ''}`,
      job.state === 'pending' && done ? `，已完成 ${done}/${job.steps.length} 步` : '',
      job.sentAt ? `，${clock(job.sentAt)} 发送` : ''),
    job.result?.serial ? el('p', {}, el('a', { href: `#/event/${job.result.id}` }, `${job.result.serial} ${job.result.statusLabel ?? ''}`)) : null,
    job.houseCode ? el('p', {}, el('a', { href: `#/house/${encodeURIComponent(job.houseCode)}` }, `查看房屋 ${job.houseCode}`)) : null,
    job.error ? el('p', { class: job.state === 'failed' ? 'job-error' : 'muted' },
      job.state === 'failed' ? job.error : `${job.error}（稍后重试）`) : null,
    job.state !== 'pending' ? el('button', { type: 'button', class: 'plain small', on: { click: () => remove(job.key) } },
      job.state === 'failed' ? '放弃' : '移除') : null);
}

export async function render(main) {
  const list = el('ul', { id: 'outbox-list', class: 'cards' });
  const send = el('button', { type: 'button', id: 'outbox-send', class: 'plain', on: { click: () => flush() } }, '立即发送');
  main.append(el('div', { class: 'section-head' }, el('h2', {}, '发送记录'), send),
    el('p', { class: 'muted small' }, '没有网络时的上报、办理和人员登记保存在手机上，联网后按顺序自动发送；重复发送不会重复登记。'), list);
  return subscribe(({ jobs }) => {
    const shown = [...jobs].reverse();
    replace(list, shown.length ? shown.map(item) : el('li', { class: 'empty' }, '没有待发送或发送过的内容'));
  });
}
