// Photos: each picked image is drawn into a canvas no larger than 1600 px and sent as JPEG,
// so that a 12-megapixel phone photo travels as a few hundred kilobytes.
import { el, replace } from './dom.js';

export const MAX_PHOTOS = 3;
const MAX_SIDE = 1600;
const QUALITY = 0.82;
const THUMB = 160;

/** An ImageBitmap (or an <img> from a data: address; the page's CSP allows no blob: images). */
async function decode(file) {
  if (window.createImageBitmap) {
    try {
      return await createImageBitmap(file, { imageOrientation: 'from-image' });
    } catch {
      // fall through: an older browser, or a format the bitmap decoder does not take
    }
  }
  const url = await new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
  const img = new Image();
  img.src = url;
  await img.decode();
  return img;
}

function draw(source, side) {
  const w0 = source.naturalWidth || source.width;
  const h0 = source.naturalHeight || source.height;
  const scale = Math.min(1, side / Math.max(w0, h0));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(w0 * scale));
  canvas.height = Math.max(1, Math.round(h0 * scale));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff'; // a transparent PNG becomes white, not black, as JPEG
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
  return canvas;
}

/** file → {blob (image/jpeg, ≤1600 px), thumb (a small data: URL), width, height}. */
export async function prepare(file) {
  let source;
  try {
    source = await decode(file);
  } catch {
    throw new Error(`无法读取“${file.name}”，请换一张照片（JPEG、PNG 等常见格式）`);
  }
  const canvas = draw(source, MAX_SIDE);
  const thumb = draw(canvas, THUMB).toDataURL('image/jpeg', 0.7);
  source.close?.();
  const blob = await new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('照片处理失败，请重试'))), 'image/jpeg', QUALITY));
  const { width, height } = canvas;
  canvas.width = canvas.height = 0; // frees the pixels on phones with little memory
  return { blob, thumb, width, height, name: file.name };
}

/** The photos picked for one report, with their thumbnails and a remove button each. */
export class PhotoPicker {
  constructor(input, list, onError) {
    this.input = input;
    this.list = list;
    this.onError = onError;
    this.photos = [];
    this.busy = null;
    input.addEventListener('change', () => {
      this.busy = this.#add([...input.files]);
      input.value = '';
    });
  }

  async #add(files) {
    this.onError('');
    const room = MAX_PHOTOS - this.photos.length;
    if (files.length > room) this.onError(`最多 ${MAX_PHOTOS} 张照片，多出的未加入`);
    for (const file of files.slice(0, Math.max(0, room))) {
      if (file.type && !file.type.startsWith('image/')) {
        this.onError(`“${file.name}”不是图片`);
        continue;
      }
      const slot = el('li', { class: 'thumb loading' }, '处理中…');
      this.list.append(slot);
      try {
        const photo = await prepare(file);
        this.photos.push(photo);
        this.#render();
      } catch (error) {
        slot.remove();
        this.onError(error.message);
      }
    }
    this.#render();
  }

  /** Waits for photos still being processed. */
  async ready() {
    await this.busy;
  }

  #render() {
    replace(this.list, this.photos.map((p, i) => el('li', { class: 'thumb', dataset: { index: i } },
      el('img', { src: p.thumb, alt: `照片 ${i + 1}` }),
      el('button', { type: 'button', class: 'thumb-remove', 'aria-label': `删除照片 ${i + 1}`, on: { click: () => this.remove(i) } }, '×'))));
    this.input.disabled = this.photos.length >= MAX_PHOTOS;
  }

  remove(i) {
    this.photos.splice(i, 1);
    this.#render();
  }

  clear() {
    this.photos = [];
    this.#render();
    this.onError('');
  }
}
