// 附近的问题: what others reported around a point — the kind of problem, its status, a rounded position.
import { api } from './api.js';
import { el, replace, byId } from './dom.js';
import { time, distance, metres, statusClass } from './format.js';
import { PositionPicker } from './position.js';

export class NearbyView {
  constructor() {
    this.list = byId('n-list');
    this.message = byId('n-message');
    this.items = [];
    this.layer = null;
    this.token = 0;
    this.position = new PositionPicker(byId('n-position'), {
      onChange: (pos) => pos && this.load(),
      onMapReady: () => this.#markers(),
    });
    byId('n-search').addEventListener('click', () => this.load());
  }

  /** Fills the position from elsewhere on the page when none was given here. */
  suggest(pos) {
    if (pos && !this.position.touched()) this.position.set(pos, 'typed');
  }

  async load() {
    const pos = this.position.value();
    if (!pos) {
      this.message.textContent = '请先定位，或输入纬度和经度';
      return;
    }
    const token = ++this.token;
    this.message.textContent = '正在查询…';
    this.list.setAttribute('aria-busy', 'true');
    try {
      const answer = await api.nearby(pos.lat, pos.lon);
      if (token !== this.token) return;
      this.items = answer.items ?? [];
      this.#render(pos);
    } catch (error) {
      if (token !== this.token) return;
      this.message.textContent = error.message;
    } finally {
      if (token === this.token) this.list.removeAttribute('aria-busy');
    }
  }

  #render(pos) {
    const rows = this.items.map((item) => ({ ...item, far: distance(pos, item) })).sort((a, b) => a.far - b.far);
    this.message.textContent = rows.length ? `附近有 ${rows.length} 个问题正在办理或近期办结` : '附近暂无正在办理或近期办结的问题';
    replace(this.list, rows.map((item) => el('li', { class: 'nearby-item' },
      el('span', { class: 'nearby-name' }, item.itemName),
      el('span', { class: `badge ${statusClass(item.statusLabel)}` }, item.statusLabel),
      el('span', { class: 'muted nearby-meta' }, `${metres(item.far)} · ${time(item.reportedAt)}`))));
    this.list.dataset.loaded = String(Date.now());
    this.list.dataset.count = String(rows.length);
    this.#markers();
  }

  /** The problems as dots on the map, when it is open. */
  #markers() {
    const view = this.position.view;
    if (!view) return;
    this.layer?.remove();
    const { L, map } = view;
    this.layer = L.layerGroup(this.items.map((item) => L.circleMarker([item.lat, item.lon], {
      radius: 7, weight: 2, color: '#fff', fillOpacity: 0.9, className: `nearby-marker ${statusClass(item.statusLabel)}`,
    }).bindTooltip(el('span', {}, `${item.itemName}（${item.statusLabel}）`)))).addTo(map);
    const pos = this.position.value();
    if (this.items.length && pos) {
      const bounds = L.latLngBounds(this.items.map((i) => [i.lat, i.lon])).extend([pos.lat, pos.lon]);
      map.fitBounds(bounds.pad(0.15), { maxZoom: 17 });
    }
  }
}
