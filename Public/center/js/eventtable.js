// The rows of an events table (queue and inbox): serial, item, grid, status, holder, deadline, reported.
import { el, replace } from './dom.js';
import { statusTag, deadlineText, time } from './format.js';

/**
 * Fills `tbody` with `items`. With `selected` (a Set of ids) each row starts with a checkbox;
 * `onOpen(id)` opens an event, `onToggle(id, on)` follows the checkboxes.
 */
export function fillRows(tbody, items, { selected = null, onOpen, onToggle, empty = '没有符合条件的事件。' }) {
  const columns = selected ? 8 : 7;
  if (!items.length) {
    replace(tbody, el('tr', { class: 'empty' }, el('td', { colspan: columns, class: 'muted' }, empty)));
    return;
  }
  replace(tbody, ...items.map((e) => el('tr', {
    class: ['event-row', e.urgent ? 'urgent' : '', e.overdue ? 'is-overdue' : ''].join(' ').trim(),
    dataset: { id: String(e.id), status: e.status },
  },
  selected && el('td', { class: 'col-check' }, el('input', {
    type: 'checkbox', class: 'row-check', 'aria-label': `选择${e.serial}`, checked: selected.has(e.id),
    on: { change: (ev) => onToggle(e.id, ev.target.checked) },
  })),
  el('td', { class: 'col-serial' },
    e.urgent ? el('span', { class: 'tag tag-urgent', title: '加急' }, '急') : null,
    el('button', { type: 'button', class: 'event-open link', dataset: { id: String(e.id) }, on: { click: () => onOpen(e.id) } },
      e.serial)),
  el('td', { class: 'col-item' }, e.itemName),
  el('td', { class: 'col-grid', title: e.address ?? '' }, e.gridName),
  el('td', { class: 'col-status' }, statusTag(e.status, e.statusLabel)),
  el('td', { class: 'col-holder' }, e.holder?.name ?? '—'),
  el('td', { class: 'col-deadline' }, deadlineText(e)),
  el('td', { class: 'col-time' }, time(e.reportedAt)))));
}

/** "第 2/5 页，共 230 件" and the state of the two paging buttons. */
export function pageInfo(label, prev, next, { total, page, pageSize }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  label.textContent = `第 ${page}/${pages} 页，共 ${total} 件`;
  prev.disabled = page <= 1;
  next.disabled = page >= pages;
}
