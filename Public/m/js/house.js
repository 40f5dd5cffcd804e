// 扫码查房: find a house by its QR door-plate (camera scan where BarcodeDetector exists, or the
// code typed in). The house registers are not there yet: a 404 from the route says so.
import { api } from './api.js';
import { el, field, messageLine, replace } from './dom.js';

/** A door-plate QR may hold the bare code or an address ending in it (…/h/CODE or …?code=CODE). */
export function codeFrom(text) {
  const raw = String(text).trim();
  try {
    const url = new URL(raw);
    return url.searchParams.get('code') || url.pathname.split('/').filter(Boolean).pop() || raw;
  } catch {
    return raw;
  }
}

function showHouse(box, answer) {
  const house = answer.house ?? answer;
  const residents = answer.residents ?? house.residents ?? [];
  replace(box,
    el('h3', {}, house.address ?? house.name ?? house.code),
    el('p', { class: 'muted' }, [house.gridName, house.code].filter(Boolean).join(' · ')),
    el('ul', { class: 'residents' }, residents.length
      ? residents.map((p) => el('li', {}, [p.name, p.relation, p.idNumber, p.phone].filter(Boolean).join('  ')))
      : el('li', { class: 'muted' }, '没有登记住户')));
}

export async function render(main) {
  const input = el('input', { id: 'house-code', type: 'text', autocomplete: 'off', maxlength: 64, placeholder: '门牌二维码下方的编码' });
  const message = messageLine('house-message');
  const result = el('div', { id: 'house-result', class: 'house' });
  const form = el('form', { id: 'house-form', class: 'form', novalidate: true },
    field('门牌编码', input), el('button', { type: 'submit', id: 'house-submit', class: 'primary block' }, '查询'), message);
  main.append(el('div', { class: 'section-head' }, el('h2', {}, '扫码查房')), form, result);

  async function lookup(code) {
    replace(result);
    if (!code) return message.show('请输入门牌编码', 'error');
    message.show('正在查询…');
    try {
      showHouse(result, await api.house(code));
      message.show('');
    } catch (error) {
      if (error.status === 404) {
        // No route at all (the registers are not installed) vs. no such house.
        message.show(error.message === '没有这个地址' ? '房屋登记功能尚未开通' : `未找到门牌 ${code}：${error.message}`, 'warn');
      } else {
        message.show(error.offline ? '离线，无法查询门牌' : error.message, 'error');
      }
    }
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    lookup(codeFrom(input.value));
  });

  if (!('BarcodeDetector' in window) || !navigator.mediaDevices?.getUserMedia) return null;
  let stream = null;
  let timer = null;
  const video = el('video', { class: 'scan-video', playsinline: true, muted: true, hidden: true });
  const stop = () => {
    clearTimeout(timer);
    stream?.getTracks().forEach((t) => t.stop());
    stream = null;
    video.hidden = true;
    scan.textContent = '扫描门牌二维码';
  };
  const scan = el('button', { type: 'button', id: 'house-scan', class: 'block', on: { click: async () => {
    if (stream) return stop();
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch {
      return message.show('无法打开相机，请输入编码', 'error');
    }
    video.srcObject = stream;
    video.hidden = false;
    scan.textContent = '停止扫描';
    await video.play().catch(() => {});
    const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    const tick = async () => {
      if (!stream) return;
      const found = await detector.detect(video).catch(() => []);
      if (found.length) {
        input.value = codeFrom(found[0].rawValue);
        stop();
        lookup(input.value);
      } else timer = setTimeout(tick, 300);
    };
    tick();
  } } }, '扫描门牌二维码');
  form.before(scan, video);
  return stop;
}
