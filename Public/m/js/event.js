// 处理: one event — its facts and timeline, and what I may do with it (签收, 处置反馈, 申请延期),
// only what the server lists in allowedActions. Actions go through the outbox like everything else.
import { api, attachmentURL, cachedGet } from './api.js';
import { el, field, messageLine, newKey, replace } from './dom.js';
import { deadlineText, secondsToLocal, localToSeconds, staleNote, statusTag, time } from './format.js';
import { actionSteps, enqueue, list as outboxJobs, subscribe } from './outbox.js';
import { photoPicker } from './photos.js';

const OFFERED = { sign: '签收', handle: '处置反馈', request_extension: '申请延期' };

let flash = ''; // a message for the next render of this view

const fact = (label, value) => (value ? el('div', { class: 'fact' }, el('dt', {}, label), el('dd', {}, value)) : null);

function timeline(steps) {
  return el('ol', { id: 'event-timeline', class: 'timeline' }, steps.map((s) => el('li', { dataset: { action: s.action } },
    el('div', { class: 'step-head' }, el('strong', {}, s.actionLabel), el('span', { class: 'muted' }, `${time(s.at)} ${s.actor}`)),
    s.toUnit ? el('p', { class: 'muted' }, `至 ${s.toUnit.name}`) : null,
    s.note ? el('p', {}, s.note) : null,
    s.attachments?.length ? el('p', { class: 'muted' }, `附照片 ${s.attachments.length} 张`) : null)));
}

/** 查看照片: loaded only when asked for (photos are heavy on a slow network). */
function photosButton(id) {
  const box = el('div', { class: 'event-photos' });
  const button = el('button', { type: 'button', class: 'plain', on: { click: async () => {
    button.disabled = true;
    try {
      const { items } = await api.attachments(id);
      replace(box, items.length ? items.map((a) => el('a', { href: attachmentURL(a.id), target: '_blank', rel: 'noopener' },
        el('img', { class: 'photo', src: attachmentURL(a.id), alt: a.filename, loading: 'lazy' })))
        : el('p', { class: 'muted' }, '没有照片'));
    } catch (error) {
      replace(box, el('p', { class: 'msg error' }, error.offline ? '离线，无法查看照片' : error.message));
      button.disabled = false;
    }
  } } }, '查看照片');
  return el('div', {}, button, box);
}

export async function render(main, { params, refresh }) {
  const id = Number(params[0]);
  let answer;
  try {
    answer = await cachedGet(`/api/v1/events/${id}`);
  } catch (error) {
    main.append(el('p', { class: 'msg error' }, error.offline ? '离线，手机上没有保存过这个事件' : error.message));
    return null;
  }
  const { event: e, timeline: steps, allowedActions, cards } = answer.data;
  const queued = (await outboxJobs()).filter((j) => j.eventId === id && j.kind !== 'report' && j.state === 'pending');
  // Offline, a queued 签收 lets the worker go on to feed back; the server checks it all when it arrives.
  const allowed = new Set(allowedActions.filter((a) => OFFERED[a]));
  if (queued.some((j) => j.kind === 'sign')) {
    allowed.delete('sign');
    allowed.add('handle');
    allowed.add('request_extension');
  }
  for (const j of queued) allowed.delete(j.kind);

  const message = messageLine('event-message');
  if (flash) message.show(flash, 'ok');
  flash = '';
  const actions = el('div', { id: 'event-actions', class: 'actions' });
  const formBox = el('div', { id: 'event-form-box' });
  replace(main,
    el('div', { class: 'section-head' },
      el('h2', { id: 'event-serial', dataset: { id, status: e.status } }, e.serial), statusTag(e.status, e.statusLabel)),
    staleNote(answer),
    el('dl', { id: 'event-facts', class: 'facts' },
      fact('事项', e.itemName), fact('描述', e.description), fact('网格', e.gridName), fact('地址', e.address),
      fact('当前单位', e.holder?.name), fact('上报', time(e.reportedAt)),
      e.deadline ? el('div', { class: 'fact' }, el('dt', {}, '时限'), el('dd', {}, deadlineText(e, ''))) : null,
      e.requestedDeadline ? fact('申请延期至', `${time(e.requestedDeadline)}（待批）`) : null,
      cards?.length ? fact('督办', cards.map((c) => c.label).join('、')) : null),
    queued.length ? el('p', { class: 'msg pending', id: 'event-queued' }, `待发送：${queued.map((j) => OFFERED[j.kind]).join('、')}`) : null,
    actions, formBox, message, photosButton(id), el('h3', {}, '办理过程'), timeline(steps));

  function queue(kind, steps, key) {
    return enqueue({ key, kind, title: `${OFFERED[kind]}：${e.serial}`, eventId: id, steps }).then(() => {
      // Shown again with what is queued (and, offline, what may follow a queued 签收).
      flash = navigator.onLine ? `${OFFERED[kind]}已保存，正在发送…` : `${OFFERED[kind]}已保存在手机上，联网后自动发送`;
      refresh();
    }, (error) => message.show(`保存失败：${error.message}`, 'error'));
  }

  function actionForm(kind) {
    const key = newKey(); // one key per opened form: a double tap sends it once
    const note = el('textarea', { id: 'action-note', rows: 3, maxlength: 2000, required: true,
      placeholder: kind === 'handle' ? '处置经过和结果' : '延期理由' });
    const photos = kind === 'handle' ? photoPicker('action-photos') : null;
    const deadline = kind === 'request_extension'
      ? el('input', { id: 'action-deadline', type: 'datetime-local', value: secondsToLocal((e.deadline ?? Date.now() / 1000) + 3 * 86400) })
      : null;
    const submit = el('button', { type: 'submit', id: 'action-submit', class: 'primary block' }, `提交${OFFERED[kind]}`);
    const form = el('form', { id: 'action-form', class: 'form', dataset: { action: kind, key }, novalidate: true },
      field('说明', note), photos ? el('div', { class: 'field' }, el('span', { class: 'label' }, '处置照片'), photos.node) : null,
      deadline ? field('申请延期至', deadline) : null, submit);
    let busy = false;
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (busy) return;
      const text = note.value.trim();
      if (!text) return message.show(`“${OFFERED[kind]}”须填写说明`, 'error');
      const input = { note: text };
      if (deadline) {
        input.deadline = localToSeconds(deadline.value);
        if (!input.deadline || input.deadline <= (e.deadline ?? Date.now() / 1000)) return message.show('申请的新时限须晚于当前时限', 'error');
      }
      busy = true;
      submit.disabled = true;
      if (photos) await photos.busy;
      await queue(kind, actionSteps(kind, input, photos ? photos.photos : []), key);
      busy = false;
      submit.disabled = false;
    });
    replace(formBox, form);
    message.show('');
    note.focus();
  }

  const signKey = newKey(); // one key for this page's 签收 button: a double tap queues it once
  replace(actions, [...allowed].map((kind) => el('button', {
    type: 'button', class: kind === 'sign' ? 'primary' : '', dataset: { action: kind },
    on: { click: (ev) => {
      if (kind !== 'sign') return actionForm(kind);
      ev.currentTarget.disabled = true;
      return queue('sign', actionSteps('sign', {}), signKey);
    } },
  }, OFFERED[kind])));
  if (!allowed.size && !queued.length) actions.append(el('p', { class: 'muted' }, '您对此事件暂无可办理的操作'));

  // When one of this event's jobs has gone through, show the event as it is now.
  // (Not while a form is being filled in: that would lose what was typed.)
  return subscribe(({ sent }) => {
    if (!sent || sent.eventId !== id || sent.kind === 'report') return;
    if (formBox.firstChild) message.show(`${OFFERED[sent.kind]}已发送：${sent.result?.statusLabel ?? ''}`, 'ok');
    else refresh();
  });
}
