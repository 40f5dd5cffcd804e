// 查看完整号码: a modal dialog asks why (required, at least 4 characters), then POST /people/{id}/reveal.
// The server writes every view into the audit log; the dialog says so before anything is shown.
import { el, byId } from './dom.js';
import { regApi } from './registers-common.js';

const MIN_REASON = 4;
const FIELD = { certificateNumber: '证件号码', phone: '联系电话' };
let dialog = null;
let pending = null; // {person, field, resolve}

function build() {
  const reason = el('textarea', {
    id: 'reveal-reason', rows: 3, maxlength: 200, required: true,
    'aria-describedby': 'reveal-note reveal-error', placeholder: '例如：入户走访核实身份',
  });
  dialog = el('dialog', { id: 'reveal-dialog', class: 'dialog', 'aria-labelledby': 'reveal-title' },
    el('form', { id: 'reveal-form', class: 'dialog-form', novalidate: true, on: { submit } },
      el('h2', { id: 'reveal-title', class: 'drawer-title' }, '查看完整号码'),
      el('p', { id: 'reveal-note', class: 'audit-note' }),
      el('label', { for: 'reveal-reason', class: 'form-label' }, '查看原因', el('span', { class: 'required' }, ' *')),
      reason,
      el('p', { id: 'reveal-error', class: 'form-error', role: 'alert', hidden: true }),
      el('div', { class: 'form-buttons' },
        el('button', { id: 'reveal-submit', type: 'submit', class: 'primary small-button' }, '确认查看'),
        el('button', { id: 'reveal-cancel', type: 'button', class: 'plain', on: { click: () => finish(null) } }, '取消'))));
  // Escape closes the dialog only, not the drawer under it.
  dialog.addEventListener('keydown', (e) => { if (e.key === 'Escape') e.stopPropagation(); });
  dialog.addEventListener('cancel', (e) => { e.preventDefault(); finish(null); });
  document.body.append(dialog);
}

function setError(text) {
  const e = byId('reveal-error');
  e.textContent = text;
  e.hidden = !text;
  byId('reveal-reason').setAttribute('aria-invalid', String(Boolean(text)));
}

function finish(value) {
  const p = pending;
  pending = null;
  if (dialog.open) dialog.close();
  p?.resolve(value);
}

async function submit(event) {
  event.preventDefault();
  if (!pending) return;
  const reason = byId('reveal-reason').value.trim();
  if (reason.length < MIN_REASON) {
    setError(`请填写查看原因（至少${MIN_REASON}个字）。`);
    byId('reveal-reason').focus();
    return;
  }
  const button = byId('reveal-submit');
  button.disabled = true;
  setError('');
  const asked = pending;
  try {
    const answer = await regApi.reveal(asked.person.id, asked.field, reason);
    if (pending === asked) finish(answer.value);
  } catch (error) {
    if (pending === asked && error.status !== 401) setError(error.message);
    else if (pending === asked) finish(null);
  } finally {
    button.disabled = false;
  }
}

/** Asks for a reason and reveals `field` of `person`; resolves to the full value, or null when cancelled. */
export function askReveal(person, field) {
  if (!dialog) build();
  if (pending) finish(null);
  byId('reveal-note').textContent = `查看${person.name}的完整${FIELD[field] ?? '号码'}需填写原因。`
    + '查看人、时间、原因和所查看的人员将记入审计日志。';
  byId('reveal-reason').value = '';
  setError('');
  dialog.dataset.field = field;
  dialog.showModal();
  byId('reveal-reason').focus();
  return new Promise((resolve) => { pending = { person, field, resolve }; });
}

/** At logout. */
export function closeReveal() {
  if (dialog) finish(null);
}
