// 查询进度: a report by its tracking number — status, the public timeline, and the rating.
import { api } from './api.js';
import { el, replace, byId, clearErrors, showFieldError } from './dom.js';
import { time, normalizeTracking, trackingNode, statusClass } from './format.js';
import { list as myReports, forget } from './mine.js';

const TRACKING = /^[0-9A-Z]{6,40}$/;
const STARS = [
  [1, '非常不满意'], [2, '不满意'], [3, '一般'], [4, '满意'], [5, '非常满意'],
];
const starLabel = (n) => STARS.find(([v]) => v === n)?.[1] ?? '';

export class TrackView {
  constructor() {
    this.form = byId('track-form');
    this.input = byId('t-number');
    this.result = byId('track-result');
    this.token = 0;
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.lookup(this.input.value);
    });
    byId('mine-clear').addEventListener('click', () => {
      forget();
      this.showMine();
    });
  }

  /** Shows the reports remembered on this phone. */
  showMine() {
    const items = myReports();
    byId('mine').hidden = items.length === 0;
    replace(byId('mine-list'), items.map((m) => el('li', {},
      el('button', { type: 'button', class: 'link mine-open', dataset: { tracking: m.trackingNumber }, on: { click: () => this.lookup(m.trackingNumber) } },
        trackingNode(m.trackingNumber, 'tn-small')),
      el('span', { class: 'muted' }, ` ${m.itemName ?? ''} · ${time(m.at)}`))));
  }

  async lookup(raw) {
    const number = normalizeTracking(raw ?? '');
    this.input.value = number;
    clearErrors(this.form);
    if (!TRACKING.test(number)) {
      showFieldError(this.form, 'trackingNumber', '请输入上报成功后得到的查询码（12位字母和数字）');
      return;
    }
    const token = ++this.token;
    const button = byId('t-submit');
    button.disabled = true;
    this.result.setAttribute('aria-busy', 'true');
    try {
      const report = await api.lookup(number);
      if (token !== this.token) return;
      this.#render(report);
      history.replaceState(null, '', `#track/${encodeURIComponent(number)}`); // a reload shows it again
    } catch (error) {
      if (token !== this.token) return;
      this.result.hidden = true;
      const message = error.status === 404 ? '没有找到这个查询码，请核对后重试' : error.message;
      showFieldError(this.form, 'trackingNumber', message);
    } finally {
      if (token === this.token) {
        button.disabled = false;
        this.result.removeAttribute('aria-busy');
      }
    }
  }

  #render(r) {
    const box = this.result;
    box.dataset.tracking = r.trackingNumber;
    box.dataset.status = r.status ?? '';
    const timeline = (r.timeline ?? []).map((step) => el('li', {},
      el('time', { class: 'step-at' }, time(step.at)), el('span', { class: 'step-label' }, step.label)));
    replace(box,
      el('div', { class: 'result-head' },
        el('h2', { class: 'card-title' }, r.itemName ?? '问题'),
        el('span', { id: 'track-status', class: `badge ${statusClass(r.statusLabel)}` }, r.statusLabel ?? '')),
      el('dl', { class: 'facts' },
        el('dt', {}, '查询码'), el('dd', {}, trackingNode(r.trackingNumber, 'tn-small')),
        el('dt', {}, '上报时间'), el('dd', {}, time(r.reportedAt)),
        el('dt', {}, '所在社区'), el('dd', {}, r.place ?? '—'),
        r.satisfaction ? [el('dt', {}, '我的评价'), el('dd', { id: 'track-rated' }, `${'★'.repeat(r.satisfaction)} ${starLabel(r.satisfaction)}`)] : null),
      el('h3', { class: 'sub-title' }, '办理进度'),
      timeline.length ? el('ol', { id: 'track-timeline', class: 'timeline' }, timeline.reverse())
        : el('p', { class: 'muted' }, '暂无进度'),
      r.canRate ? this.#rating(r) : null);
    box.hidden = false;
  }

  #rating(r) {
    let chosen = 0;
    const error = el('p', { class: 'field-error', role: 'alert', dataset: { field: 'satisfaction' }, hidden: true });
    const stars = STARS.map(([value, label]) => el('button', {
      type: 'button', class: 'star', role: 'radio', 'aria-checked': 'false', 'aria-label': `${value} 星 ${label}`,
      title: label, dataset: { value },
      on: { click: () => pick(value) },
    }, '★'));
    const said = el('span', { class: 'star-label muted' }, '请点星打分');
    const submit = el('button', { type: 'submit', id: 'rate-submit', class: 'primary', disabled: true }, '提交评价');
    const pick = (value) => {
      chosen = value;
      for (const s of stars) {
        const v = Number(s.dataset.value);
        s.classList.toggle('on', v <= value);
        s.setAttribute('aria-checked', String(v === value));
      }
      said.textContent = starLabel(value);
      submit.disabled = false;
    };
    const form = el('form', { id: 'rate-form', class: 'rate', novalidate: true },
      el('h3', { class: 'sub-title' }, '事情已办结，请评价办理结果'),
      el('div', { class: 'stars', role: 'radiogroup', 'aria-label': '满意度' }, stars, said),
      error, submit);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!chosen) return;
      submit.disabled = true;
      error.hidden = true;
      try {
        this.#render(await api.rate(r.trackingNumber, chosen));
      } catch (failure) {
        error.textContent = failure.message;
        error.hidden = false;
        submit.disabled = false;
      }
    });
    return form;
  }
}
