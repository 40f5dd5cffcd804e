// 部门接收设置 (in the 通知 tab): where a department is told — its webhook (with a signing secret that is
// never shown again; empty keeps the stored one) and its duty SMS phone.
import { api } from './api.js';
import { el, replace, byId } from './dom.js';
import { departments } from './store.js';

const form = byId('endpoints-form');
const select = byId('ep-department');
const webhook = byId('ep-webhook');
const secret = byId('ep-secret');
const phone = byId('ep-phone');
const save = byId('ep-save');
const errorBox = byId('ep-error');
const message = byId('ep-message');
/** The server's field names → the inputs. */
const FIELDS = { webhookUrl: webhook, webhookSecret: secret, smsPhone: phone };
const state = { prepared: null, token: 0 };

function setEnabled(on) {
  for (const input of Object.values(FIELDS)) input.disabled = !on;
  save.disabled = !on;
}

function clearErrors() {
  errorBox.hidden = true;
  errorBox.textContent = '';
  for (const [name, input] of Object.entries(FIELDS)) {
    input.removeAttribute('aria-invalid');
    const slot = form.querySelector(`.field-error[data-field="${name}"]`);
    slot.textContent = '';
    slot.hidden = true;
  }
}

/** The server's message under the field it names (or above the buttons when it names none). */
function showError(error) {
  const input = error.field ? FIELDS[error.field] : null;
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    const slot = form.querySelector(`.field-error[data-field="${error.field}"]`);
    slot.textContent = error.message;
    slot.hidden = false;
    input.focus();
  } else {
    errorBox.textContent = error.message;
    errorBox.hidden = false;
  }
}

function fill(answer) {
  webhook.value = answer.webhookUrl ?? '';
  phone.value = answer.smsPhone ?? '';
  secret.value = '';
  secret.placeholder = answer.hasSecret ? '已设置（留空则不变）' : '至少16个字符';
  byId('ep-secret-hint').textContent = answer.hasSecret ? '已设置密钥；填写则更换' : '未设置';
  form.dataset.department = String(answer.departmentId);
  form.dataset.hasSecret = String(Boolean(answer.hasSecret));
}

function blank() {
  for (const input of Object.values(FIELDS)) input.value = '';
  secret.placeholder = '';
  byId('ep-secret-hint').textContent = '';
  delete form.dataset.department;
  delete form.dataset.hasSecret;
}

/** The departments, grouped by the area they serve (the county's bureaus, then each township's). */
async function fillDepartments() {
  const list = await departments();
  const groups = new Map();
  for (const d of list) {
    const area = d.servesName ?? d.serves;
    if (!groups.has(area)) groups.set(area, []);
    groups.get(area).push(d);
  }
  replace(select, el('option', { value: '' }, '选择职能部门…'), ...[...groups].map(([area, items]) => el('optgroup', { label: area },
    ...items.map((d) => el('option', { value: String(d.id) }, `${d.name}（${d.kindLabel}）`)))));
  select.dataset.ready = '';
}

/** Fills the department list the first time the tab is opened. */
export function prepare() {
  state.prepared ??= fillDepartments().catch((error) => {
    state.prepared = null;
    if (error.status !== 401) showError(error);
  });
  return state.prepared;
}

async function choose() {
  const token = ++state.token;
  clearErrors();
  message.textContent = '';
  setEnabled(false);
  blank();
  const id = select.value;
  if (!id) return;
  message.textContent = '加载中…';
  try {
    const answer = await api.endpoints(id);
    if (token !== state.token) return;
    fill(answer);
    message.textContent = '';
    setEnabled(true);
  } catch (error) {
    if (token !== state.token || error.status === 401) return;
    message.textContent = '';
    showError(error);
  }
}

async function submit(event) {
  event.preventDefault();
  const id = select.value;
  if (!id || save.disabled) return;
  const token = ++state.token;
  clearErrors();
  message.textContent = '';
  delete form.dataset.saved;
  const body = { webhookUrl: webhook.value.trim(), smsPhone: phone.value.trim() };
  if (secret.value.trim()) body.webhookSecret = secret.value; // absent: the stored secret stays
  save.disabled = true;
  try {
    const answer = await api.setEndpoints(id, body);
    if (token !== state.token) return;
    fill(answer);
    message.textContent = `已保存${select.selectedOptions[0]?.textContent ?? ''}的接收设置。`;
    form.dataset.saved = String(token);
  } catch (error) {
    if (token === state.token && error.status !== 401) showError(error);
  } finally {
    if (token === state.token) save.disabled = false;
  }
}

select.addEventListener('change', choose);
form.addEventListener('submit', submit);
for (const [name, input] of Object.entries(FIELDS)) {
  input.addEventListener('input', () => {
    if (input.getAttribute('aria-invalid') !== 'true') return;
    input.removeAttribute('aria-invalid');
    form.querySelector(`.field-error[data-field="${name}"]`).hidden = true;
  });
}

/** At logout: the form forgets the department, its settings and the list. */
export function clear() {
  state.token++;
  state.prepared = null;
  clearErrors();
  blank();
  setEnabled(false);
  replace(select, el('option', { value: '' }, '选择职能部门…'));
  delete select.dataset.ready;
  delete form.dataset.saved;
  message.textContent = '';
}
