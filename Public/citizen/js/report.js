// 随手拍: the report form, the phone verification code, and the answer with the tracking number.
import { api, uuid } from './api.js';
import { el, replace, byId, clearErrors, showError, showFieldError } from './dom.js';
import { trackingNode } from './format.js';
import { PhotoPicker } from './photos.js';
import { PositionPicker } from './position.js';
import { remember } from './mine.js';

const PHONE = /^1\d{10}$/;
const COOLDOWN = 60;

export class ReportForm {
  constructor({ onTrack }) {
    this.form = byId('report-form');
    this.done = byId('report-done');
    this.error = byId('r-error');
    this.category = byId('r-category');
    this.item = byId('r-item');
    this.onTrack = onTrack;
    this.catalog = { categories: [], items: [] };
    this.attempt = null; // {key, body}: the key is reused only to retry the very same body
    this.created = null;
    this.photos = new PhotoPicker(byId('r-photos'), byId('r-thumbs'), (message) => this.#photoError(message));
    this.position = new PositionPicker(byId('r-position'));
    this.category.addEventListener('change', () => this.#fillItems());
    byId('r-send-code').addEventListener('click', () => this.#sendCode());
    byId('r-phone').addEventListener('input', () => this.#phoneChanged());
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.#submit();
    });
    byId('done-copy').addEventListener('click', () => this.#copy());
    byId('done-retry').addEventListener('click', () => this.#upload());
    byId('done-again').addEventListener('click', () => this.reset());
    byId('done-track').addEventListener('click', (e) => {
      e.preventDefault();
      if (this.created) this.onTrack(this.created.trackingNumber);
    });
  }

  async loadCatalog() {
    try {
      this.catalog = await api.catalog();
    } catch (error) {
      replace(this.category, el('option', { value: '' }, '分类加载失败'));
      showError(this.form, this.error, { field: 'itemCode', message: `${error.message}（刷新页面重试）` });
      return;
    }
    replace(this.category, el('option', { value: '' }, '请选择分类'),
      this.catalog.categories.map((c) => el('option', { value: c.code }, c.name)));
    this.form.dataset.ready = '';
  }

  #fillItems() {
    const code = this.category.value;
    const items = this.catalog.items.filter((i) => i.categoryCode === code);
    replace(this.item, el('option', { value: '' }, code ? '请选择事项' : '请先选择分类'),
      items.map((i) => el('option', { value: i.code }, i.name)));
    this.item.disabled = !code;
    if (items.length === 1) this.item.value = items[0].code;
  }

  #photoError(message) {
    const box = this.form.querySelector('.field-error[data-field="photos"]');
    box.textContent = message;
    box.hidden = !message;
  }

  #phoneChanged() {
    const phone = byId('r-phone').value.trim();
    if (!phone) {
      byId('r-code-row').hidden = true;
      byId('r-code-sent').hidden = true;
    }
  }

  async #sendCode() {
    const phone = byId('r-phone').value.trim();
    for (const box of this.form.querySelectorAll('.field-error[data-field="phone"], .field-error[data-field="code"]')) box.hidden = true;
    if (!PHONE.test(phone)) {
      showFieldError(this.form, 'phone', '请输入11位手机号码');
      return;
    }
    const button = byId('r-send-code');
    button.disabled = true;
    try {
      await api.sendCode(phone);
    } catch (error) {
      button.disabled = false;
      showFieldError(this.form, error.field === 'code' ? 'code' : 'phone', error.message);
      return;
    }
    const sent = byId('r-code-sent');
    sent.textContent = `验证码已发送至 ${phone.slice(0, 3)}****${phone.slice(7)}，请查看短信`;
    sent.hidden = false;
    byId('r-code-row').hidden = false;
    byId('r-code').focus();
    let left = COOLDOWN;
    const tick = () => {
      if (left <= 0) {
        button.textContent = '重新获取';
        button.disabled = false;
        return;
      }
      button.textContent = `${left--} 秒后重发`;
      setTimeout(tick, 1000);
    };
    tick();
  }

  /** The body to send, or null after showing what is missing. */
  #draft() {
    const missing = [];
    const body = { itemCode: this.item.value, description: byId('r-description').value.trim() };
    if (!body.itemCode) missing.push(['itemCode', '请选择问题分类和具体事项']);
    const pos = this.position.value();
    if (!pos) missing.push(['lat', this.position.touched() ? '坐标格式不对：纬度 -90～90，经度 -180～180' : '请定位、在地图上选点或输入坐标']);
    else Object.assign(body, pos);
    if (!body.description) missing.push(['description', '请描述一下问题']);
    const address = byId('r-address').value.trim();
    if (address) body.address = address;
    const phone = byId('r-phone').value.trim();
    if (phone) {
      const code = byId('r-code').value.trim();
      if (!PHONE.test(phone)) missing.push(['phone', '请输入11位手机号码，或不填']);
      else if (!code) missing.push([byId('r-code-row').hidden ? 'phone' : 'code', '请先获取并填写短信验证码（不留电话可清空号码）']);
      else Object.assign(body, { phone, code });
    }
    for (const [field, message] of missing) showFieldError(this.form, field, message);
    if (missing.length) this.form.querySelector('.field-error:not([hidden])')?.scrollIntoView({ block: 'center' });
    return missing.length ? null : body;
  }

  async #submit() {
    const button = byId('r-submit');
    if (button.disabled) return;
    clearErrors(this.form, this.error);
    button.disabled = true;
    button.textContent = '正在提交…';
    try {
      await this.photos.ready();
      const body = this.#draft();
      if (!body) return;
      const text = JSON.stringify(body);
      if (!this.attempt || this.attempt.body !== text) this.attempt = { key: uuid(), body: text };
      let created;
      try {
        created = await api.report(body, this.attempt.key);
      } catch (error) {
        // A refused body will change before it is sent again; only a lost answer keeps its key.
        if (error.status !== 0 && error.status < 500) this.attempt = null;
        showError(this.form, this.error, error);
        this.form.querySelector('.field-error:not([hidden]), .form-error:not([hidden])')?.scrollIntoView({ block: 'center' });
        return;
      }
      this.attempt = null;
      this.#created(created, body);
    } finally {
      button.disabled = false;
      button.textContent = '提交上报';
    }
  }

  #created(created, body) {
    this.created = created;
    const item = this.catalog.items.find((i) => i.code === body.itemCode);
    remember({ trackingNumber: created.trackingNumber, itemName: item?.name ?? '', at: Math.floor(Date.now() / 1000) });
    const tracking = trackingNode(created.trackingNumber);
    tracking.id = 'done-tracking';
    byId('done-tracking').replaceWith(tracking);
    byId('done-serial').textContent = created.serial ?? '—';
    // The answer names the unit grid (gridName) or, more coarsely, the community (place).
    byId('done-where-label').textContent = created.gridName ? '所属网格' : '所在社区';
    byId('done-grid').textContent = created.gridName || created.place || '—';
    byId('done-status').textContent = created.statusLabel ?? '已上报';
    byId('done-copied').textContent = '';
    this.form.hidden = true;
    this.done.hidden = false;
    this.done.dataset.tracking = created.trackingNumber;
    this.pending = this.photos.photos.map((p, i) => ({ ...p, index: i, key: uuid(), state: 'waiting', message: '' }));
    window.scrollTo(0, 0);
    this.#upload();
  }

  /** Sends the photos not yet sent, one after the other (a phone's upload is narrow). */
  async #upload() {
    const list = byId('done-photos');
    const retry = byId('done-retry');
    retry.hidden = true;
    const draw = () => replace(list, this.pending.map((p) => el('li', { class: `upload ${p.state}`, dataset: { state: p.state } },
      `照片 ${p.index + 1}：`, { waiting: '等待上传', sending: '正在上传…', sent: '已上传', failed: `上传失败：${p.message}` }[p.state])));
    for (const p of this.pending) {
      if (p.state === 'sent') continue;
      p.state = 'sending';
      draw();
      try {
        await api.photo(this.created.trackingNumber, p.blob, p.key);
        p.state = 'sent';
      } catch (error) {
        p.state = 'failed';
        p.message = error.message;
      }
      draw();
    }
    const failed = this.pending.some((p) => p.state === 'failed');
    retry.hidden = !failed;
    if (this.pending.length) this.done.dataset.photos = failed ? 'failed' : 'sent';
    else this.done.dataset.photos = 'none';
  }

  async #copy() {
    const text = this.created?.trackingNumber;
    if (!text) return;
    const out = byId('done-copied');
    try {
      await navigator.clipboard.writeText(text);
      out.textContent = '已复制';
    } catch {
      // No clipboard (an http page on a phone): select the number so that it can be copied by hand.
      const range = document.createRange();
      range.selectNodeContents(byId('done-tracking'));
      const sel = getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      out.textContent = '请长按已选中的查询码复制';
    }
  }

  reset() {
    this.form.reset();
    clearErrors(this.form, this.error);
    this.photos.clear();
    this.position.clear();
    this.#fillItems();
    byId('r-code-row').hidden = true;
    byId('r-code-sent').hidden = true;
    this.attempt = null;
    this.created = null;
    this.done.hidden = true;
    delete this.done.dataset.tracking;
    delete this.done.dataset.photos;
    this.form.hidden = false;
    window.scrollTo(0, 0);
  }
}
