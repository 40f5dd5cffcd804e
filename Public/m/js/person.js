// 登记人员: add a person who lives in a house, or update one who does. POST /people with the
// house's code: the server finds the person by certificate number (201 added, 200 updated) and
// records where they live. Online, the server's answer comes back to the form, each rejected field
// under its box; offline, or when the network drops on the way, the form waits in the outbox under
// the same Idempotency-Key, so that an attempt that did arrive is not made twice.
//
// POST /people replaces the whole record, and the phone only ever sees ID and phone numbers
// masked: an update carries over what it was given in clear (户籍地, 现住址, 办证类型 …) and asks
// for the masked numbers again rather than clearing them without a word.
import { cachedGet, peekCache, request } from './api.js';
import { el, messageLine, newKey } from './dom.js';
import { enqueue, personSteps } from './outbox.js';

export const TABLES_PATH = '/api/v1/code-tables';

const KINDS = [['registered', '户籍人口'], ['floating', '流动人口'], ['foreign', '境外人员']];
const ROLES = [['owner', '产权人'], ['tenant', '承租人'], ['resident', '居住人']];
const CERTS = [['resident_id', '居民身份证'], ['passport', '护照'], ['foreign_permanent_resident', '外国人永久居留身份证'],
  ['hk_macao_taiwan', '港澳台居民证件'], ['other', '其他证件']];
const NATIONS = [['KOR', '韩国'], ['JPN', '日本'], ['USA', '美国'], ['RUS', '俄罗斯'], ['VNM', '越南'], ['MMR', '缅甸'],
  ['LAO', '老挝'], ['THA', '泰国'], ['MNG', '蒙古'], ['PRK', '朝鲜'], ['IND', '印度'], ['PAK', '巴基斯坦'], ['PHL', '菲律宾'],
  ['MYS', '马来西亚'], ['IDN', '印度尼西亚'], ['GBR', '英国'], ['FRA', '法国'], ['DEU', '德国'], ['CAN', '加拿大'], ['AUS', '澳大利亚']];
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** What is wrong with a resident ID number (GB 11643), or null. 15-digit old numbers are left to the server. */
export function idProblem(raw) {
  const v = String(raw).trim().toUpperCase();
  if (/^\d{15}$/.test(v)) return null;
  if (!/^\d{17}[\dX]$/.test(v)) return '身份证号应为18位：前17位为数字，第18位为数字或X';
  const sum = [...v.slice(0, 17)].reduce((s, c, i) => s + Number(c) * WEIGHTS[i], 0);
  const check = '10X98765432'[sum % 11];
  return v[17] === check ? null : `身份证号校验码错误：第18位应为${check}，收到${v[17]}`;
}

/** Whether a number typed in agrees with the masked one the server gave (520521********2595). */
export function fitsMask(typed, masked) {
  const t = String(typed).trim().toUpperCase();
  return t.length === masked.length && [...masked].every((c, i) => c === '*' || c.toUpperCase() === t[i]);
}

/** 民族, 流入原因, 来华目的 … by name: from the phone once read (they do not change), else from the server. */
export async function codeTables() {
  const data = (await peekCache(TABLES_PATH)) ?? (await cachedGet(TABLES_PATH)).data;
  return Object.fromEntries(data.tables.map((t) => [t.name, t.entries]));
}

const options = (entries, placeholder) => [
  placeholder === null ? null : el('option', { value: '' }, placeholder),
  ...entries.map(([value, label]) => el('option', { value }, label)),
];
const tableOptions = (entries = []) => entries.map((e) => [e.code, e.label]);
const today = () => new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 10);

/**
 * The form, for `house` (HouseDTO). `residence` (a ResidenceDTO of the house) makes it an update of
 * that person. `done({name, created, queued, personId})` after saving; `cancel()` on 取消.
 */
export async function personForm({ house, residents = [], residence = null, done, cancel }) {
  const tables = await codeTables();
  let base = residence?.person ?? null; // the person as registered (masked), when updating
  let confirmed = base?.id ?? null; // an update the worker has seen announced
  const key = newKey(); // one key per opened form: a double tap, or a retry from the outbox, saves once
  const slots = {};

  /** A labelled box with its error line under it; `slots[name]` shows and clears the error. */
  function slot(name, label, control, hint = null, group = false) {
    const error = el('p', { id: `person-${name}-error`, class: 'field-error', role: 'alert', hidden: true });
    const hintNode = el('p', { class: 'hint', id: `person-${name}-hint`, hidden: !hint }, hint);
    const wrap = group
      ? el('fieldset', { class: 'field group', dataset: { field: name } }, el('legend', { class: 'label' }, label), control, hintNode, error)
      : el('div', { class: 'field', dataset: { field: name } }, el('label', { for: control.id }, label), control, hintNode, error);
    const focusable = group ? control.querySelector('input') : control;
    slots[name] = {
      wrap,
      hint(text) {
        hintNode.textContent = text ?? '';
        hintNode.hidden = !text;
      },
      show(text) {
        error.textContent = text;
        error.hidden = !text;
        wrap.classList.toggle('invalid', !!text);
        focusable.setAttribute('aria-invalid', text ? 'true' : 'false');
        focusable.setAttribute('aria-describedby', error.id);
      },
      focus() { focusable.focus({ preventScroll: true }); wrap.scrollIntoView({ block: 'center' }); },
    };
    return wrap;
  }

  function radios(name, choices, value) {
    return el('div', { class: 'seg', id: `person-${name}`, role: 'radiogroup' }, choices.map(([v, label]) => el('label', { class: 'seg-item' },
      el('input', { type: 'radio', name: `person-${name}`, value: v, checked: v === value }), el('span', {}, label))));
  }
  const picked = (group) => group.querySelector('input:checked')?.value ?? '';

  const input = (name, attrs = {}) => el('input', { id: `person-${name}`, type: 'text', autocomplete: 'off', ...attrs });
  const select = (name, entries, placeholder = '请选择…') => el('select', { id: `person-${name}` }, options(entries, placeholder));

  const name = input('name', { maxlength: 50, value: base?.name, autocomplete: 'off' });
  const kind = radios('kind', KINDS, base?.kind ?? 'registered');
  const certType = select('certificateType', CERTS, null);
  certType.value = base?.certificateType ?? 'resident_id';
  const cert = input('certificateNumber', { maxlength: 40, autocapitalize: 'characters', spellcheck: 'false',
    placeholder: base ? base.certificateNumber : '18位身份证号' });
  const sex = select('sex', [['male', '男'], ['female', '女']]);
  sex.value = base?.sex ?? '';
  const birth = input('birthDate', { type: 'date', max: today(), value: base?.birthDate });
  const phone = input('phone', { type: 'tel', inputmode: 'tel', maxlength: 20, autocomplete: 'off', placeholder: base?.phone ?? '手机或固定电话' });
  const ethnicity = select('ethnicity', tableOptions(tables['民族']));
  ethnicity.value = base?.ethnicity ?? (base ? '' : '01');
  const inflow = select('inflowReason', tableOptions(tables['流入原因']));
  inflow.value = base?.inflowReason ?? '';
  const permit = input('permitNumber', { maxlength: 40, autocapitalize: 'characters', placeholder: base?.permitNumber ?? '' });
  const nation = input('nationality', { maxlength: 3, autocapitalize: 'characters', list: 'person-nations', value: base?.nationality,
    placeholder: '三位字母代码，如 KOR、USA' });
  const nations = el('datalist', { id: 'person-nations' }, NATIONS.map(([code, label]) => el('option', { value: code }, label)));
  const purpose = select('visitPurpose', tableOptions(tables['来华目的']));
  purpose.value = base?.visitPurpose ?? '';
  const roleChoices = residence?.role === 'registered_only' ? [...ROLES, ['registered_only', '户在人不在']] : ROLES;
  const role = radios('residenceRole', roleChoices, residence?.role ?? (house.rented ? 'tenant' : 'resident'));
  const movedIn = input('movedIn', { type: 'date', max: today(), value: residence?.movedIn });

  const rows = {
    name: slot('name', '姓名', name),
    kind: slot('kind', '人员类别', kind, null, true),
    certificateType: slot('certificateType', '证件类型', certType),
    certificateNumber: slot('certificateNumber', '证件号码', cert),
    sex: slot('sex', '性别', sex),
    birthDate: slot('birthDate', '出生日期', birth),
    phone: slot('phone', '联系电话', phone),
    ethnicity: slot('ethnicity', '民族', ethnicity),
    inflowReason: slot('inflowReason', '流入原因', inflow),
    permitNumber: slot('permitNumber', '办证号码', permit),
    nationality: slot('nationality', '国籍', nation),
    visitPurpose: slot('visitPurpose', '来华目的', purpose),
    residenceRole: slot('residenceRole', '居住关系', role, null, true),
    movedIn: slot('movedIn', '入住日期', movedIn, '不详可不填'),
  };

  // What shows depends on the kind and the certificate: 流入原因 for 流动人口, 国籍 and 来华目的 for
  // 境外人员 (who have no 民族 and no resident ID), 性别 and 出生日期 where no resident ID gives them.
  function arrange() {
    const k = picked(kind);
    const resident = certType.querySelector('[value=resident_id]');
    resident.disabled = k === 'foreign';
    if (k === 'foreign' && certType.value === 'resident_id') certType.value = 'passport';
    const id = certType.value === 'resident_id';
    rows.sex.hidden = id;
    rows.birthDate.hidden = id;
    rows.ethnicity.hidden = k === 'foreign';
    rows.inflowReason.hidden = k !== 'floating';
    rows.permitNumber.hidden = !(k === 'floating' && base?.permitNumber);
    rows.nationality.hidden = k !== 'foreign';
    rows.visitPurpose.hidden = k !== 'foreign';
    cert.placeholder = base && base.certificateType === certType.value ? base.certificateNumber : id ? '18位身份证号' : '证件上的号码';
  }
  /** The masked numbers of the registered person: typed again in full, or the update would clear them. */
  function hints() {
    slots.certificateNumber.hint(base ? `请输入完整号码（已登记 ${base.certificateNumber}）` : null);
    slots.phone.hint(base?.phone ? `已登记 ${base.phone}：请重新填写完整号码，否则将被清除` : null);
    slots.permitNumber.hint(base?.permitNumber ? `已登记 ${base.permitNumber}：请重新填写，否则将被清除` : null);
    if (base?.phone) phone.placeholder = base.phone;
    if (base?.permitNumber) permit.placeholder = base.permitNumber;
  }
  hints();
  kind.addEventListener('change', arrange);
  certType.addEventListener('change', arrange);
  arrange();

  const message = messageLine('person-message');
  const notice = el('p', { id: 'person-existing', class: 'msg warn', hidden: true });
  const submit = el('button', { type: 'submit', id: 'person-submit', class: 'primary' }, '保存');
  const cancelButton = el('button', { type: 'button', id: 'person-cancel', on: { click: () => cancel() } }, '取消');
  const form = el('form', { id: 'person-form', class: 'form person-form', novalidate: true, dataset: { key, mode: base ? 'update' : 'add' } },
    el('h3', {}, base ? `更新：${base.name}` : '登记人员'),
    el('p', { class: 'hint' }, `${house.address}`),
    Object.values(rows), nations, notice, message, el('div', { class: 'form-buttons' }, cancelButton, submit));

  const value = (node) => node.value.trim();

  /** The body of POST /people, as it will be sent (and, offline, kept). */
  function body() {
    const k = picked(kind);
    const type = certType.value;
    const person = { name: value(name), kind: k, certificateType: type, certificateNumber: value(cert).toUpperCase(), grid: house.grid };
    const add = (field, v) => { if (v) person[field] = v; };
    add('phone', value(phone));
    if (type !== 'resident_id') {
      add('sex', sex.value);
      add('birthDate', birth.value);
    }
    if (k !== 'foreign') add('ethnicity', ethnicity.value);
    if (k === 'floating') add('inflowReason', inflow.value);
    if (k === 'foreign') {
      add('nationality', value(nation).toUpperCase());
      add('visitPurpose', purpose.value);
    }
    // Carried over in clear, so that the update does not clear them.
    add('registeredDivision', base?.registeredDivision);
    add('registeredAddress', base?.registeredAddress);
    add('currentAddress', base?.currentAddress || house.address);
    if (k === 'floating' && base?.kind === 'floating') {
      add('permitType', base.permitType);
      add('permitExpiry', base.permitExpiry);
      add('permitNumber', value(permit).toUpperCase());
    }
    if (k === 'foreign' && base?.kind === 'foreign') add('foreignName', base.foreignName);
    const answer = { person, houseCode: house.code, residenceRole: picked(role) };
    if (movedIn.value) answer.movedIn = movedIn.value;
    return answer;
  }

  /** Problems the phone can see: always those of the masked numbers; offline also what the server would say first. */
  function problems(b, offline) {
    const p = b.person;
    const found = [];
    if (base) {
      if (p.certificateNumber && base.certificateType === p.certificateType && !fitsMask(p.certificateNumber, base.certificateNumber)) {
        found.push(['certificateNumber', `与已登记的证件号码 ${base.certificateNumber} 不符`]);
      }
      if (base.phone && !p.phone) found.push(['phone', `已登记 ${base.phone}：请重新填写完整号码`]);
      if (base.permitNumber && !rows.permitNumber.hidden && !p.permitNumber) found.push(['permitNumber', `已登记 ${base.permitNumber}：请重新填写`]);
    }
    if (offline) {
      if (!p.name) found.push(['name', '请填写姓名']);
      if (!p.certificateNumber) found.push(['certificateNumber', '请填写证件号码']);
      else if (p.certificateType === 'resident_id') {
        const wrong = idProblem(p.certificateNumber);
        if (wrong) found.push(['certificateNumber', wrong]);
      }
      if (p.certificateType !== 'resident_id' && !p.sex) found.push(['sex', '请选择性别']);
      if (p.certificateType !== 'resident_id' && !p.birthDate) found.push(['birthDate', '请填写出生日期']);
      if (p.kind === 'floating' && !p.inflowReason) found.push(['inflowReason', '请选择流入原因']);
      if (p.kind === 'foreign' && !/^[A-Z]{3}$/.test(p.nationality ?? '')) found.push(['nationality', '国籍应为三位字母代码，如 USA、KOR']);
      if (p.kind === 'foreign' && !p.visitPurpose) found.push(['visitPurpose', '请选择来华目的']);
    }
    return found;
  }

  function clearErrors() {
    for (const s of Object.values(slots)) s.show('');
    message.show('');
  }

  /** The server's refusal: each field under its box, the rest (and a summary) above 保存. */
  function showErrors(list, fallback) {
    const rest = [];
    let first = null;
    for (const { field, message: text } of list) {
      const s = slots[field];
      if (s && !rows[field].hidden) {
        s.show(text);
        first ??= s;
      } else rest.push(text);
    }
    message.show(rest.length ? rest.join('；') : first ? '请修改标出的内容' : fallback, 'error');
    if (first) first.focus();
  }

  /** A person with this resident ID registered already (online only): the update is announced once. */
  async function registered(p) {
    if (confirmed || !navigator.onLine || p.certificateType !== 'resident_id' || idProblem(p.certificateNumber)) return null;
    try {
      const found = await request('GET', `/api/v1/people?q=${encodeURIComponent(p.certificateNumber)}&limit=1`);
      return found.items[0] ?? null;
    } catch {
      return null; // the save will tell
    }
  }

  async function queue(json, why) {
    await enqueue({ key, kind: 'person', title: `登记人员：${value(name)}（门牌 ${house.code}）`, houseCode: house.code, steps: personSteps(json) });
    done({ name: value(name), queued: true, why });
  }

  let busy = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    clearErrors();
    busy = true;
    submit.disabled = true;
    try {
      const offline = !navigator.onLine;
      let b = body();
      const existing = await registered(b.person);
      if (existing) {
        // Someone the territory knows: this is an update of their whole record.
        base = existing;
        confirmed = existing.id;
        arrange();
        notice.textContent = `该证件号码已登记为 ${existing.name}（${existing.labels?.kind ?? ''}）：保存将更新其登记信息，请核对后再点“保存”`;
        notice.hidden = false;
        hints();
        const here = residents.find((r) => r.current && r.person?.id === existing.id);
        if (here?.movedIn && !movedIn.value) movedIn.value = here.movedIn;
        const found = problems(body(), false);
        if (found.length) showErrors(found.map(([field, text]) => ({ field, message: text })), '');
        return;
      }
      const found = problems(b, offline);
      if (found.length) return showErrors(found.map(([field, text]) => ({ field, message: text })), '');
      b = body();
      const json = JSON.stringify(b); // the same bytes now and from the outbox, under the same key
      if (offline) return await queue(json, 'offline');
      try {
        const { status, data } = await request('POST', '/api/v1/people', { body: json, key, withStatus: true });
        done({ name: data.name, personId: data.id, created: status === 201, queued: false });
      } catch (error) {
        // No answer (or a server in trouble, or the session gone): the outbox sends it later, under
        // this key, so an attempt that did arrive is answered rather than made again.
        if (error.offline || error.status >= 500 || error.status === 408 || error.status === 429 || error.status === 401) {
          return await queue(json, error.offline ? 'offline' : 'retry');
        }
        showErrors(error.fields?.length ? error.fields : error.field ? [{ field: error.field, message: error.message }] : [], error.message);
      }
    } catch (error) {
      message.show(`保存失败：${error.message}`, 'error');
    } finally {
      busy = false;
      submit.disabled = false;
    }
  });

  return { node: form, focus: () => (base ? cert : name).focus({ preventScroll: true }) };
}
