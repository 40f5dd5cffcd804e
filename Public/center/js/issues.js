// "需关注的网格": unit grids outside the size norm, without a leader, without a worker — for one subtree.
import { api } from './api.js';
import { el, replace, byId } from './dom.js';

const MAX_ITEMS = 200;
const EMPTY = { norms: '没有超出规模标准的网格。', leader: '所有网格都有网格长。', worker: '所有网格都有网格员。' };

export class IssuesPanel {
  constructor({ onSelect, onFlags }) {
    this.onSelect = onSelect;
    this.onFlags = onFlags;
    this.scope = null;
    this.token = 0;
    this.tabs = [...document.querySelectorAll('.issues .tab')];
    this.lists = Object.fromEntries([...document.querySelectorAll('.issue-list')].map((ul) => [ul.dataset.list, ul]));
    this.counts = Object.fromEntries([...document.querySelectorAll('.issues .count')].map((s) => [s.dataset.count, s]));
    for (const tab of this.tabs) tab.addEventListener('click', () => this.show(tab.dataset.tab));
  }

  show(name) {
    for (const tab of this.tabs) tab.setAttribute('aria-selected', String(tab.dataset.tab === name));
    for (const [key, ul] of Object.entries(this.lists)) ul.hidden = key !== name;
  }

  /** Loads the three lists for the subtree of `scope` (a GridSummary), unless already shown. */
  async load(scope) {
    if (this.scope === scope.code) return;
    this.scope = scope.code;
    const token = ++this.token;
    byId('issues-scope').textContent = `范围：${scope.name}`;
    for (const key of Object.keys(this.lists)) {
      this.counts[key].textContent = '';
      replace(this.lists[key], el('li', { class: 'muted' }, '加载中…'));
    }
    const [norms, leader, worker] = await Promise.allSettled([
      api.outsideNorms(scope.code), api.staffing(scope.code, 'leader'), api.staffing(scope.code, 'worker'),
    ]);
    if (token !== this.token) return;
    this.#fill('norms', norms, (i) => i.message);
    this.#fill('leader', leader, (i) => i.roster.label);
    this.#fill('worker', worker, (i) => i.roster.label);
    const codes = (r) => new Set(r.status === 'fulfilled' ? r.value.items.map((i) => i.grid.code) : []);
    const staff = codes(leader);
    for (const c of codes(worker)) staff.add(c);
    this.onFlags({ norm: codes(norms), staff });
  }

  #fill(key, result, describe) {
    const ul = this.lists[key];
    if (result.status === 'rejected') {
      const e = result.reason;
      this.counts[key].textContent = '';
      replace(ul, el('li', { class: 'muted' }, e.status === 403 ? '当前账号无权查看。' : e.message));
      return;
    }
    const items = result.value.items;
    this.counts[key].textContent = String(items.length);
    this.counts[key].classList.toggle('count-bad', items.length > 0);
    if (!items.length) {
      replace(ul, el('li', { class: 'muted' }, EMPTY[key]));
      return;
    }
    replace(ul, ...items.slice(0, MAX_ITEMS).map((item) => el('li', {},
      el('button', {
        type: 'button', class: 'issue', dataset: { code: item.grid.code },
        on: { click: () => this.onSelect(item.grid.code) },
      },
      el('span', { class: 'issue-name' }, item.grid.name),
      el('span', { class: 'issue-code muted' }, item.grid.code),
      el('span', { class: 'issue-text' }, describe(item))))));
    if (items.length > MAX_ITEMS) ul.append(el('li', { class: 'muted' }, `另有 ${items.length - MAX_ITEMS} 个未列出，请选择下级查看。`));
  }

  clear() {
    this.token++;
    this.scope = null;
    byId('issues-scope').textContent = '';
    for (const key of Object.keys(this.lists)) {
      this.counts[key].textContent = '';
      replace(this.lists[key]);
    }
    this.show('norms');
  }
}
