// The drawer on the right: one event's fields, cards, photos, timeline and actions (or another form).
import { api, attachmentURL } from './api.js';
import { el, replace, byId } from './dom.js';
import { time, statusTag, deadlineText, LEVEL } from './format.js';
import { announceChange } from './store.js';
import { actionBlock } from './actions.js';

const panel = byId('event-panel');
let token = 0;

function closeButton() {
  return el('button', { type: 'button', class: 'drawer-close', 'aria-label': '关闭', on: { click: closePanel } }, '×');
}

/** Shows `content` in the drawer under a title (used by the report form too). */
export function openPanel(title, ...content) {
  token++;
  panel.dispatchEvent(new Event('drawer-close')); // whatever was shown may clean up (the report form's map)
  replace(panel, el('div', { class: 'drawer-head' }, el('h2', { class: 'drawer-title' }, title), closeButton()), ...content);
  panel.hidden = false;
  panel.scrollTop = 0;
  return token;
}

export function closePanel() {
  token++;
  panel.dispatchEvent(new Event('drawer-close'));
  panel.hidden = true;
  replace(panel);
  delete panel.dataset.id;
}

/** Opens event `id`; `preset` opens one action form at once (e.g. {action: 'merge', into}). */
export async function openEvent(id, preset = null) {
  const t = openPanel('事件详情', el('p', { class: 'muted' }, '加载中…'));
  panel.dataset.id = String(id);
  try {
    const [detail, files] = await Promise.all([api.event(id), attachmentsOf(id)]);
    if (t === token) render(detail, files, { preset });
  } catch (error) {
    if (t === token && error.status !== 401) openPanel('事件详情', el('p', { class: 'error' }, error.message));
  }
}

/** The event's files by id; an empty map when they cannot be listed. */
async function attachmentsOf(id) {
  try {
    return new Map((await api.attachments(id)).items.map((a) => [a.id, a]));
  } catch {
    return new Map();
  }
}

function render(detail, files, { message = '', preset = null } = {}) {
  const e = detail.event;
  const t = openPanel('事件详情',
    el('div', { class: 'event-head' },
      el('span', { id: 'event-serial', class: 'event-serial', dataset: { id: String(e.id), status: e.status } }, e.serial),
      statusTag(e.status, e.statusLabel),
      e.urgent ? el('span', { class: 'tag tag-urgent' }, '加急') : null,
      e.overdue ? el('span', { class: 'tag tag-bad' }, '超期') : null),
    cards(detail.cards),
    message ? el('p', { id: 'event-message', class: 'event-message', role: 'status' }, message) : null,
    actionBlock(detail, { preset, onDone: (next, label) => done(next, label) }),
    facts(e),
    photos(files),
    timeline(detail.timeline, files));
  panel.dataset.id = String(e.id);
  return t;
}

async function done(next, label) {
  const files = await attachmentsOf(next.event.id);
  render(next, files, { message: `已${label}。当前状态：${next.event.statusLabel}` });
  announceChange({ id: next.event.id });
}

function cards(list) {
  if (!list.length) return null;
  return el('div', { id: 'event-cards', class: 'cards' }, ...list.map((c) => el('span', {
    class: `card card-${c.color}`, dataset: { kind: c.kind, color: c.color }, title: time(c.at),
  }, c.label, el('small', {}, ` ${time(c.at)}`))));
}

function facts(e) {
  const rows = [
    ['事项', `${e.itemName}（${e.itemCode}）`],
    ['来源', e.sourceLabel],
    ['描述', el('span', { class: 'pre' }, e.description)],
    ['位置', [e.gridName, e.lat !== undefined && e.lat !== null ? el('span', { class: 'muted small' }, ` ${e.lat.toFixed(6)}, ${e.lon.toFixed(6)}`) : null]],
    ['地址', e.address],
    ['上报人', e.reporterName ? [e.reporterName, e.reporterPhone ? el('span', { class: 'phone muted' }, ` ${e.reporterPhone}`) : null] : e.reporterPhone],
    ['当事人', e.parties],
    ['涉及金额', typeof e.amount === 'number' ? `${e.amount.toLocaleString('zh-CN')} 元` : null],
    ['当前单位', e.holder?.name],
    ['派遣单位', e.dispatcher?.name],
    ['处置时限', e.deadline ? deadlineText(e) : null],
    ['申请延期至', e.requestedDeadline ? time(e.requestedDeadline) : null],
    ['办结层级', e.resolvedLevel ? LEVEL[e.resolvedLevel] ?? e.resolvedLevel : null],
    ['满意度', e.satisfaction ? `${e.satisfaction}分` : null],
    ['并入事件', e.mergedInto ? String(e.mergedInto) : null],
    ['查询码', el('code', {}, e.trackingNumber)],
    ['上报时间', time(e.reportedAt)],
    ['受理时间', e.acceptedAt ? time(e.acceptedAt) : null],
    ['派遣时间', e.dispatchedAt ? time(e.dispatchedAt) : null],
    ['签收时间', e.signedAt ? time(e.signedAt) : null],
    ['处置时间', e.handledAt ? time(e.handledAt) : null],
    ['办结时间', e.closedAt ? time(e.closedAt) : null],
  ].filter(([, v]) => v !== null && v !== undefined && v !== '');
  return el('dl', { id: 'event-facts', class: 'facts event-facts' }, ...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

/** A thumbnail for an image, a link for anything else. */
function fileLink(id, files) {
  const a = files.get(id);
  const url = attachmentURL(id);
  const name = a?.filename ?? `附件${id}`;
  if (a && a.contentType.startsWith('image/')) {
    return el('a', { href: url, target: '_blank', rel: 'noopener', class: 'thumb-link', title: name },
      el('img', { src: url, alt: name, class: 'thumb', loading: 'lazy' }));
  }
  return el('a', { href: url, target: '_blank', rel: 'noopener', class: 'file-link' }, name);
}

function photos(files) {
  if (!files.size) return null;
  return el('section', { id: 'event-photos', class: 'event-photos' },
    el('h3', { class: 'section-title' }, `照片与附件（${files.size}）`),
    el('div', { class: 'thumbs' }, ...[...files.keys()].map((id) => fileLink(id, files))));
}

function timeline(steps, files) {
  return el('section', { class: 'event-timeline' },
    el('h3', { class: 'section-title' }, '办理过程'),
    el('ol', { id: 'event-timeline', class: 'timeline' }, ...steps.map((s) => el('li', { class: 'step', dataset: { action: s.action } },
      el('div', { class: 'step-head' },
        el('strong', { class: 'step-action' }, s.actionLabel),
        el('span', { class: 'step-actor' }, s.actor),
        el('time', { class: 'step-time muted' }, time(s.at))),
      el('div', { class: 'step-units muted small' },
        s.fromUnit ? s.fromUnit.name : null,
        s.toUnit ? ` → ${s.toUnit.name}` : null,
        ` · ${s.toStatusLabel}`),
      s.note ? el('p', { class: 'step-note pre' }, s.note) : null,
      s.attachments.length ? el('div', { class: 'thumbs' }, ...s.attachments.map((id) => fileLink(id, files))) : null))));
}

// The drawer belongs to the page it was opened from.
document.addEventListener('wangge:view-changed', () => {
  if (!panel.hidden) closePanel();
});

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && !panel.hidden) closePanel();
});
