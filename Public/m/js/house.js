// 扫门牌: find a house by its QR door plate — scanned with the camera where the browser reads QR
// codes (BarcodeDetector), or its code typed in — and see who lives there, with ID and phone
// numbers masked as the server gives them. #/house/CODE shows one house; a plate's QR opens
// /m/#house/CODE, which app.js turns into that. From the house, 登记人员 adds or updates a person
// living there (person.js, loaded when the form is opened).
import { cachedGet, peekCache } from './api.js';
import { el, messageLine, replace } from './dom.js';
import { staleNote } from './format.js';
import { subscribe } from './outbox.js';

const CODE = /^[A-Z0-9_-]{1,40}$/;
const TABLES_PATH = '/api/v1/code-tables'; // as person.js, which is not loaded until needed

/**
 * The house code in what a plate's QR holds or what was typed: an address ending in
 * /m/#house/CODE (or #/house/CODE), or the bare code. null for anything else (another QR code).
 */
export function codeFrom(text) {
  const raw = String(text ?? '').normalize('NFKC').trim();
  let code;
  const plate = /#\/?house\/([^/?#\s]+)/.exec(raw);
  if (plate) {
    try {
      code = decodeURIComponent(plate[1]);
    } catch {
      return null;
    }
  } else if (/^[a-z][a-z0-9+.-]*:|\//i.test(raw)) {
    return null; // a link, but not to a door plate
  } else {
    code = raw.replace(/\s+/g, '');
  }
  code = code.toUpperCase();
  return CODE.test(code) ? code : null;
}

export const housePath = (code) => `/api/v1/houses/by-code/${encodeURIComponent(code)}`;

let flash = null; // {text, personId} for the next render of a house
let styled = null;

/** house.css, added once when the view is first opened; the view waits for it so as never to show unstyled. */
function stylesheet() {
  styled ??= new Promise((resolve) => {
    const link = el('link', { rel: 'stylesheet', href: '/m/house.css' });
    link.addEventListener('load', resolve);
    link.addEventListener('error', () => {
      link.remove();
      styled = null; // tried again next time
      resolve();
    });
    document.head.append(link);
  });
  return styled;
}

const fact = (label, value) => (value ? el('div', { class: 'fact' }, el('dt', {}, label), el('dd', {}, value)) : null);

/** The camera and BarcodeDetector, where the browser has both: `found(code)` with the first door plate seen. */
function scanner(found, message) {
  if (!('BarcodeDetector' in window) || !navigator.mediaDevices?.getUserMedia) return null;
  let stream = null;
  let timer = null;
  let wrongAt = 0;
  const video = el('video', { class: 'scan-video', playsinline: true, muted: true, autoplay: true });
  const box = el('div', { id: 'house-camera', class: 'scan-box', hidden: true }, video, el('div', { class: 'scan-frame', 'aria-hidden': 'true' }));
  const button = el('button', { type: 'button', id: 'house-scan', class: 'primary block scan-button' }, '扫描门牌二维码');
  const onHidden = () => { if (document.hidden) stop(); };

  function stop() {
    clearTimeout(timer);
    stream?.getTracks().forEach((t) => t.stop());
    stream = null;
    video.srcObject = null;
    box.hidden = true;
    button.textContent = '扫描门牌二维码';
    document.removeEventListener('visibilitychange', onHidden);
  }

  async function start() {
    const formats = await window.BarcodeDetector.getSupportedFormats?.().catch(() => []) ?? ['qr_code'];
    if (!formats.includes('qr_code')) {
      button.hidden = true;
      return message.show('此浏览器不能识别二维码，请输入门牌下方的编码', 'warn');
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
    } catch (error) {
      stream = null;
      return message.show(error.name === 'NotAllowedError' ? '未获准使用相机：请在浏览器设置中允许，或输入门牌编码'
        : error.name === 'NotFoundError' ? '没有可用的相机，请输入门牌编码' : '无法打开相机，请输入门牌编码', 'error');
    }
    message.show('');
    video.srcObject = stream;
    box.hidden = false;
    button.textContent = '停止扫描';
    document.addEventListener('visibilitychange', onHidden);
    await video.play().catch(() => {});
    box.scrollIntoView({ block: 'nearest' });
    const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    const tick = async () => {
      if (!stream) return;
      const codes = video.readyState >= 2 ? await detector.detect(video).catch(() => []) : [];
      if (!stream) return;
      const code = codes.map((c) => codeFrom(c.rawValue)).find(Boolean);
      if (code) {
        stop();
        navigator.vibrate?.(60);
        return found(code);
      }
      if (codes.length && Date.now() - wrongAt > 3000) {
        wrongAt = Date.now();
        message.show('这不是门牌二维码，请对准门牌上的二维码', 'warn');
      }
      timer = setTimeout(tick, 250);
    };
    tick();
  }

  button.addEventListener('click', () => (stream ? stop() : start()));
  return { nodes: [button, box], stop };
}

function residentCard(r, canEdit, fresh) {
  const p = r.person;
  if (!p) {
    // Registered in another territory: counted, not shown.
    return el('li', { class: 'card resident other' },
      el('div', { class: 'resident-body' }, el('span', { class: 'muted' }, `辖区外登记的人员（${r.roleLabel}）`)));
  }
  const detail = [r.roleLabel, p.labels?.sex, p.labels?.ethnicity,
    p.kind === 'floating' && p.labels?.inflowReason ? `流入原因：${p.labels.inflowReason}` : null,
    p.kind === 'foreign' ? [p.nationality, p.labels?.visitPurpose].filter(Boolean).join(' ') : null].filter(Boolean);
  const dates = [r.movedIn ? `${r.movedIn} 入住` : null, r.movedOut ? `${r.movedOut} 迁出` : null].filter(Boolean);
  return el('li', { class: `card resident${fresh ? ' fresh' : ''}`, dataset: { personId: p.id, residence: r.id } },
    el('div', { class: 'resident-body' },
      el('div', { class: 'card-head' },
        el('span', { class: 'card-title' }, p.name),
        el('span', { class: `tag kind-${p.kind}` }, p.labels?.kind ?? p.kind)),
      el('p', { class: 'resident-line' }, detail.join(' · ')),
      el('p', { class: 'resident-line numbers' },
        el('span', { class: 'masked cert' }, p.certificateNumber),
        p.phone ? el('span', { class: 'masked phone' }, p.phone) : null),
      dates.length ? el('p', { class: 'resident-line muted' }, dates.join('，')) : null),
    canEdit && r.current ? el('button', { type: 'button', class: 'plain small resident-edit', dataset: { edit: r.id } }, '更新') : null);
}

export async function render(main, { me, params, refresh }) {
  await stylesheet();
  let asked = null;
  if (params[0]) {
    try {
      asked = codeFrom(decodeURIComponent(params[0]));
    } catch {
      asked = null;
    }
  }
  const canEdit = (me.permissions ?? []).includes('editRegisters');
  const message = messageLine('house-message');
  const input = el('input', { id: 'house-code', type: 'text', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false',
    maxlength: 200, placeholder: '门牌二维码下方的编码', 'aria-label': '门牌编码', value: asked ?? params[0] ?? '' });
  const form = el('form', { id: 'house-form', class: 'code-row', novalidate: true, role: 'search' },
    input, el('button', { type: 'submit', id: 'house-submit', class: 'primary' }, '查询'));
  const result = el('div', { id: 'house-result', class: 'house' });
  const scan = scanner(open, message);
  replace(main, el('div', { class: 'section-head' }, el('h2', {}, '扫门牌')),
    scan ? scan.nodes : null,
    scan || asked ? null : el('p', { class: 'hint scan-hint' }, '也可以用手机自带的相机扫描门牌二维码，会直接打开这里'),
    form, message, result);

  function open(code) {
    const hash = `#/house/${encodeURIComponent(code)}`;
    if (location.hash === hash) refresh();
    else location.hash = hash;
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    const code = codeFrom(text);
    if (!text) return message.show('请输入门牌编码', 'error');
    if (!code) return message.show('门牌编码由字母、数字、“-”或“_”组成，请核对', 'error');
    open(code);
  });

  const stopScan = () => scan?.stop();
  if (!asked) {
    if (params[0]) message.show(`“${params[0]}”不是门牌编码`, 'error');
    return stopScan;
  }

  message.show('正在查询…');
  let answer;
  try {
    answer = await cachedGet(housePath(asked));
  } catch (error) {
    if (error.status === 404) message.show(`未找到门牌 ${asked}：没有找到该房屋，或不在您的网格内`, 'warn');
    else message.show(error.offline ? `离线，手机上没有保存过门牌 ${asked} 的信息，请联网后再查` : error.message, 'error');
    return stopScan;
  }
  message.show('');
  const shown = flash;
  flash = null;
  if (shown) message.show(shown.text, shown.kind ?? 'ok');

  const { house, building, residents } = answer.data;
  const current = residents.filter((r) => r.current);
  const past = residents.filter((r) => !r.current);
  const where = [house.unit, house.floor !== null && house.floor !== undefined ? `${house.floor}层` : null, house.room].filter(Boolean).join(' ');
  const list = el('ul', { id: 'house-residents', class: 'cards residents' },
    current.length ? current.map((r) => residentCard(r, canEdit, r.person && r.person.id === shown?.personId))
      : el('li', { class: 'empty' }, '没有登记现住人员'));
  const queued = el('ul', { id: 'house-queued', class: 'cards', hidden: true });
  const formBox = el('div', { id: 'house-form-box' });
  const add = canEdit ? el('button', { type: 'button', id: 'house-add-person', class: 'plain' }, '登记人员') : null;

  replace(result,
    el('section', { id: 'house-card', class: 'facts-card', dataset: { code: house.code, grid: house.grid, id: house.id } },
      el('h3', { id: 'house-address', class: 'house-address' }, house.address),
      el('div', { class: 'house-tags' },
        house.useLabel ? el('span', { class: 'tag' }, house.useLabel) : null,
        house.rented ? el('span', { class: 'tag rented' }, `出租${house.rentalUseLabel ? `（${house.rentalUseLabel}）` : ''}`) : null),
      el('dl', { id: 'house-facts', class: 'facts' },
        fact('门牌编码', house.code),
        fact('楼栋', building ? [building.name, building.useLabel, building.floors ? `${building.floors}层` : null].filter(Boolean).join(' · ') : null),
        fact('位置', where),
        fact('面积', house.area ? `${house.area} ㎡` : null))),
    staleNote(answer),
    el('div', { class: 'section-head residents-head' }, el('h3', {}, `现住人员 ${current.length} 人`), add),
    formBox, queued, list,
    past.length ? el('details', { id: 'house-moved-out', class: 'moved-out' },
      el('summary', {}, `已迁出 ${past.length} 人`),
      el('ul', { class: 'cards residents' }, past.map((r) => residentCard(r, false, false)))) : null);
  result.dataset.code = house.code;

  // The form: inline, in place of the 登记人员 button, until saved or cancelled.
  async function openForm(residence) {
    if (formBox.firstChild) return;
    if (add) add.hidden = true;
    formBox.append(el('p', { class: 'muted' }, '正在打开…'));
    try {
      const { personForm } = await import('./person.js');
      const form = await personForm({
        house, residents, residence,
        cancel: closeForm,
        done: ({ name, created, queued: waiting, why, personId }) => {
          flash = waiting
            ? { text: why === 'offline' ? `${name}：已保存在手机上，联网后自动发送` : `${name}：网络不稳定，已保存在手机上，稍后自动发送`, kind: 'pending' }
            : { text: created ? `已登记 ${name}` : `已更新 ${name}`, personId };
          closeForm();
          refresh();
        },
      });
      replace(formBox, form.node);
      form.node.scrollIntoView({ block: 'start' });
      form.focus();
    } catch (error) {
      replace(formBox, el('p', { class: 'msg error' }, error.offline ? '离线，手机上还没有民族等代码表，请联网后再登记' : `无法打开表单：${error.message}`));
      if (add) add.hidden = false;
    }
  }
  function closeForm() {
    replace(formBox);
    if (add) add.hidden = false;
  }
  add?.addEventListener('click', () => openForm(null));
  list.addEventListener('click', (ev) => {
    const id = ev.target.closest('[data-edit]')?.dataset.edit;
    if (id) openForm(residents.find((r) => String(r.id) === id));
  });

  // The form needs the code tables: read them now, while there is a network, so that it opens offline.
  if (canEdit && !answer.stale) peekCache(TABLES_PATH).then((hit) => hit || cachedGet(TABLES_PATH)).catch(() => {});

  // People registered here from this phone and not yet sent (or refused); once one goes through, the house as it is now.
  const unsubscribe = subscribe(({ jobs, sent }) => {
    const mine = jobs.filter((j) => j.kind === 'person' && j.houseCode === house.code && j.state !== 'sent');
    queued.hidden = !mine.length;
    replace(queued, mine.map((j) => el('li', { class: `card queued ${j.state}`, dataset: { key: j.key, state: j.state } },
      el('a', { class: 'card-link', href: '#/outbox' },
        el('div', { class: 'card-head' }, el('span', { class: 'card-title' }, j.title.replace(/^登记人员：/, '').replace(/（门牌 .*）$/, '')),
          el('span', { class: `tag ${j.state}` }, j.state === 'failed' ? '失败' : '待发送')),
        j.error ? el('p', { class: j.state === 'failed' ? 'job-error' : 'muted' }, j.error) : null))));
    if (sent?.kind === 'person' && sent.houseCode === house.code && !formBox.firstChild) {
      flash = { text: `${sent.result?.name ?? ''}：已发送`, personId: sent.result?.personId };
      refresh();
    }
  });
  return () => {
    stopScan();
    unsubscribe();
  };
}
