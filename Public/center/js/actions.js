// The buttons for the actions the server allows on an event, and the small form each one opens.
import { api } from './api.js';
import { el, replace } from './dom.js';
import { localToSeconds, secondsToLocal, time } from './format.js';
import { targetGroups } from './units.js';

export const ACTION_LABEL = {
  accept: '受理', reject: '不予受理', escalate: '上报', dispatch: '派遣', sign: '签收', handle: '处置反馈', return: '回退',
  verify_pass: '核查通过', verify_fail: '核查不通过', evaluate: '评价', merge: '并单', copy: '抄告', urgent: '加急',
  request_extension: '申请延期', approve_extension: '同意延期', reject_extension: '不同意延期', instruct: '领导批示', supervise: '督办',
};
const NEEDS_NOTE = new Set(['reject', 'return', 'verify_fail', 'handle', 'instruct', 'supervise', 'request_extension']);
const WITH_FILES = new Set(['handle', 'verify_pass', 'verify_fail', 'return']);
const PRIMARY = new Set(['accept', 'dispatch', 'sign', 'handle', 'verify_pass', 'approve_extension', 'evaluate']);
const CAUTION = new Set(['reject', 'return', 'verify_fail', 'reject_extension']);
const NOTE_HINT = {
  reject: '不予受理的理由', return: '回退的理由', verify_fail: '核查发现的问题', handle: '处置情况', instruct: '批示内容',
  supervise: '督办意见', request_extension: '延期的理由', dispatch: '派遣要求（选填）',
};
const SATISFACTION = [[5, '非常满意'], [4, '满意'], [3, '基本满意'], [2, '不满意'], [1, '很不满意']];
const MAX_BYTES = 10 * 1024 * 1024;
const FILE_TYPES = 'image/jpeg,image/png,image/webp,application/pdf';

/**
 * The action block of `detail`. `onDone(newDetail, label)` runs after a successful action;
 * `preset` ({action, into}) opens one form straight away (并单 from a report's duplicates).
 */
export function actionBlock(detail, { onDone, preset = null }) {
  const slot = el('div', { class: 'action-form-slot' });
  const allowed = detail.allowedActions;
  const buttons = allowed.map((a) => el('button', {
    type: 'button', class: `action-btn${PRIMARY.has(a) ? ' main' : ''}${CAUTION.has(a) ? ' caution' : ''}`,
    dataset: { action: a }, 'aria-expanded': 'false', on: { click: () => open(a) },
  }, ACTION_LABEL[a] ?? a));
  const close = () => {
    for (const b of buttons) b.setAttribute('aria-expanded', 'false');
    replace(slot);
  };
  const open = (action, values = {}) => {
    if (slot.firstChild?.dataset.action === action && !values.into) return close();
    for (const b of buttons) b.setAttribute('aria-expanded', String(b.dataset.action === action));
    replace(slot, actionForm(detail, action, values, { onDone, onCancel: close }));
    slot.querySelector('textarea, select, input')?.focus();
  };
  if (preset && allowed.includes(preset.action)) queueMicrotask(() => open(preset.action, preset));
  return el('section', { id: 'event-actions', class: 'event-actions' },
    el('h3', { class: 'section-title' }, '办理'),
    allowed.length ? el('div', { class: 'action-buttons' }, buttons) : el('p', { class: 'muted' }, '您当前没有可执行的操作。'),
    slot);
}

function field(label, control, { required = false, hint = null } = {}) {
  return el('label', { class: 'form-field' },
    el('span', { class: 'form-label' }, label, required ? el('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null),
    control,
    hint ? el('span', { class: 'form-hint muted' }, hint) : null);
}

function actionForm(detail, action, values, { onDone, onCancel }) {
  const e = detail.event;
  const label = ACTION_LABEL[action] ?? action;
  const error = el('p', { id: 'action-error', class: 'form-error', role: 'alert', hidden: true });
  const controls = {};
  const parts = [];

  if (action === 'dispatch' || action === 'copy') {
    controls.to = el('select', { id: 'action-to', required: true }, el('option', { value: '' }, '加载中…'));
    targetGroups(e, action).then((groups) => {
      replace(controls.to, el('option', { value: '' }, '请选择…'), ...groups);
      controls.to.dataset.ready = 'true';
    }).catch((err) => replace(controls.to, el('option', { value: '' }, err.message)));
    parts.push(field(action === 'dispatch' ? '派遣至' : '抄告至', controls.to, { required: true }));
  }
  if (action === 'dispatch' || action === 'request_extension') {
    controls.deadline = el('input', { id: 'action-deadline', type: 'datetime-local', required: action === 'request_extension' });
    if (action === 'request_extension') {
      controls.deadline.value = secondsToLocal(Math.max(e.deadline ?? 0, Math.floor(Date.now() / 1000)) + 2 * 86400);
    }
    parts.push(field(action === 'dispatch' ? '处置时限' : '申请延期至', controls.deadline, {
      required: action === 'request_extension',
      hint: action === 'dispatch' ? '留空则按事件清单的时限计算（工作日历）' : `当前时限：${time(e.deadline)}`,
    }));
  }
  if (action === 'evaluate') {
    controls.satisfaction = el('select', { id: 'action-satisfaction', required: true },
      ...SATISFACTION.map(([n, text]) => el('option', { value: String(n) }, `${n}分 · ${text}`)));
    parts.push(field('满意度', controls.satisfaction, { required: true }));
  }
  if (action === 'merge') {
    controls.into = el('input', { id: 'action-into', type: 'number', min: '1', step: '1', required: true, value: values.into ?? null });
    parts.push(field('并入事件（编号ID）', controls.into, { required: true, hint: '同一事项下仍在办理的另一事件' }));
  }
  const needsNote = NEEDS_NOTE.has(action);
  controls.note = el('textarea', { id: 'action-note', rows: '3', maxlength: '2000', required: needsNote,
    placeholder: NOTE_HINT[action] ?? '说明（选填）' });
  parts.push(field('说明', controls.note, { required: needsNote }));
  if (WITH_FILES.has(action)) {
    controls.files = el('input', { id: 'action-files', type: 'file', multiple: true, accept: FILE_TYPES });
    parts.push(field('照片/附件', controls.files, { hint: 'JPEG、PNG、WebP 或 PDF，每个不超过10MB' }));
  }

  const submit = el('button', { id: 'action-submit', type: 'submit', class: 'primary small-button' }, `确定${label}`);
  const form = el('form', { id: 'action-form', class: 'action-form', dataset: { action }, novalidate: true },
    el('h4', { class: 'form-title' }, label), ...parts, error,
    el('div', { class: 'form-buttons' }, submit,
      el('button', { type: 'button', class: 'plain', on: { click: onCancel } }, '取消')));

  const fail = (text, control = null) => {
    error.textContent = text;
    error.hidden = false;
    for (const c of Object.values(controls)) c.removeAttribute('aria-invalid');
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      control.focus();
    }
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const input = {};
    const note = controls.note.value.trim();
    if (needsNote && !note) return fail(`“${label}”须填写说明`, controls.note);
    if (note) input.note = note;
    if (controls.to) {
      if (!controls.to.value) return fail('请选择对象', controls.to);
      input.to = controls.to.value;
    }
    if (controls.deadline?.value) {
      input.deadline = localToSeconds(controls.deadline.value);
      if (input.deadline === null) return fail('时限格式不正确', controls.deadline);
    } else if (controls.deadline?.required) return fail('请填写新的时限', controls.deadline);
    if (controls.satisfaction) input.satisfaction = Number(controls.satisfaction.value);
    if (controls.into) {
      const into = Number(controls.into.value);
      if (!Number.isInteger(into) || into < 1) return fail('请填写并入的事件ID', controls.into);
      input.into = into;
    }
    const files = controls.files ? [...controls.files.files] : [];
    const big = files.find((f) => f.size > MAX_BYTES);
    if (big) return fail(`${big.name} 超过10MB`, controls.files);
    submit.disabled = true;
    error.hidden = true;
    try {
      if (files.length) {
        input.attachments = [];
        for (const file of files) {
          submit.textContent = `上传 ${file.name}…`;
          try {
            input.attachments.push((await api.upload(e.id, file)).id);
          } catch (err) {
            throw Object.assign(err, { message: `上传${file.name}失败：${err.message}`, field: 'files' });
          }
        }
      }
      submit.textContent = '提交中…';
      onDone(await api.act(e.id, action, input), label);
    } catch (err) {
      if (err.status === 401) return;
      const byField = { to: controls.to, deadline: controls.deadline, satisfaction: controls.satisfaction, into: controls.into,
        note: controls.note, files: controls.files };
      fail(err.message, byField[err.field] ?? null);
    } finally {
      submit.disabled = false;
      submit.textContent = `确定${label}`;
    }
  });
  return form;
}
