// Photos from the camera, scaled down on the phone (≤1600 px, JPEG) before they are queued.
import { el, replace } from './dom.js';

const MAX_SIDE = 1600;
const QUALITY = 0.8;
const MAX_PHOTOS = 9;

function readDataURL(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** A drawable of the picture (createImageBitmap, or an <img> from a data: URL — the CSP allows no blob: images). */
async function decode(file) {
  if (window.createImageBitmap) {
    try {
      return await createImageBitmap(file, { imageOrientation: 'from-image' });
    } catch {
      // fall back to an <img>
    }
  }
  const img = new Image();
  img.src = await readDataURL(file);
  await img.decode();
  return img;
}

function draw(source, side) {
  const w = source.width;
  const h = source.height;
  const scale = Math.min(1, side / Math.max(w, h));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(w * scale));
  canvas.height = Math.max(1, Math.round(h * scale));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff'; // transparent PNGs become white, not black, in a JPEG
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
  return canvas;
}

/** A file from the camera → {blob: JPEG ≤1600 px, thumb: small data: URL, width, height}. */
export async function downscale(file) {
  const source = await decode(file);
  const canvas = draw(source, MAX_SIDE);
  const blob = await new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('无法压缩照片'))), 'image/jpeg', QUALITY));
  const thumb = draw(canvas, 160).toDataURL('image/jpeg', 0.6);
  if (source.close) source.close();
  return { blob, thumb, width: canvas.width, height: canvas.height };
}

/**
 * A photo picker: a camera button and thumbnails with 删除. `picker.photos` is the list so far;
 * `picker.busy` is a promise that settles once every chosen photo has been scaled down.
 */
export function photoPicker(id) {
  const photos = [];
  let chain = Promise.resolve(); // one photo at a time: a phone has little memory for 12-megapixel images
  const input = el('input', { id, type: 'file', accept: 'image/*', capture: 'environment', multiple: true, class: 'file-input' });
  const list = el('ul', { class: 'thumbs', id: `${id}-list` });
  const note = el('p', { class: 'hint', hidden: true });
  const render = () => {
    replace(list, photos.map((p, i) => el('li', { class: 'thumb-item' },
      el('img', { src: p.thumb, alt: `照片${i + 1}`, class: 'thumb' }),
      el('button', { type: 'button', class: 'thumb-remove', 'aria-label': `删除照片${i + 1}`,
        on: { click: () => { photos.splice(i, 1); render(); } } }, '×'))));
    list.dataset.count = String(photos.length);
  };
  input.addEventListener('change', () => {
    const files = [...input.files].slice(0, MAX_PHOTOS - photos.length);
    input.value = '';
    note.hidden = true;
    for (const file of files) {
      chain = chain.then(() => downscale(file)).then((p) => { photos.push(p); render(); }, () => {
        note.textContent = `无法读取照片“${file.name}”`;
        note.hidden = false;
      });
    }
  });
  const label = el('label', { for: id, class: 'button camera' }, '拍照 / 选择照片');
  render();
  return {
    node: el('div', { class: 'photos' }, label, input, list, note),
    photos,
    get busy() { return chain; },
    clear() { photos.length = 0; render(); },
  };
}
