// Open events on the grid view's map: circle markers coloured by status; a click opens the event.
import { api } from './api.js';
import { el, byId } from './dom.js';
import { STATUS, OPEN_STATUSES } from './format.js';
import { openEvent } from './eventpanel.js';
import { onChange, store } from './store.js';

const L = window.L;
const LIMIT = 200;

export class EventLayer {
  /** `gridMap` is the GridMap of the grid view (its Leaflet map is `gridMap.map`). */
  constructor(gridMap) {
    this.gridMap = gridMap;
    this.map = gridMap.map;
    // Above the grid polygons (overlayPane, 400) whatever order they are redrawn in; below tooltips.
    this.pane = this.map.getPane('events') ?? this.map.createPane('events');
    this.pane.style.zIndex = '450';
    this.group = L.layerGroup().addTo(this.map);
    this.toggle = byId('events-toggle');
    this.count = byId('events-count');
    this.token = 0;
    this.root = null;
    this.toggle.addEventListener('change', () => this.#visible());
    onChange(() => {
      if (store.me && !byId('grid-view').hidden) this.load();
    });
  }

  /** Loads the open events under `root` (the node the map shows; by default the last one). */
  async load(root = this.root) {
    this.root = root;
    const token = ++this.token;
    let answer;
    try {
      answer = await api.events({ status: OPEN_STATUSES.join(','), pageSize: LIMIT, root });
    } catch (error) {
      if (token === this.token && error.status !== 401) this.count.textContent = '（事件加载失败）';
      return;
    }
    if (token !== this.token) return;
    this.group.clearLayers();
    let shown = 0;
    for (const e of answer.items) {
      if (typeof e.lat !== 'number' || typeof e.lon !== 'number') continue;
      this.#marker(e).addTo(this.group);
      shown++;
    }
    this.count.textContent = answer.total > answer.items.length
      ? `（办理中 ${answer.total} 件，地图显示最近 ${shown} 件）` : `（办理中 ${answer.total} 件）`;
    this.gridMap.container.dataset.events = String(shown);
    this.#visible();
  }

  #marker(e) {
    const colour = STATUS[e.status]?.color ?? '#334155';
    const marker = L.circleMarker([e.lat, e.lon], {
      pane: 'events', radius: e.urgent ? 8 : 6, color: e.overdue ? '#b91c1c' : '#ffffff', weight: e.overdue ? 3 : 2,
      fillColor: colour, fillOpacity: 0.95, className: `event-marker st-${e.status}${e.urgent ? ' urgent' : ''}`,
    });
    marker.bindTooltip(el('span', {},
      el('strong', {}, e.itemName), ` ${e.statusLabel}`, el('br'), `${e.serial} · ${e.gridName}`,
      e.overdue ? el('span', { class: 'error' }, ' 超期') : null), { direction: 'top', offset: [0, -6] });
    marker.on('click', () => {
      if (!this.gridMap.picking) openEvent(e.id);
    });
    // Selenium and keyboard users reach the marker through its SVG path.
    marker.on('add', () => {
      const path = marker.getElement();
      if (path) path.dataset.id = String(e.id);
    });
    return marker;
  }

  #visible() {
    const on = this.toggle.checked;
    this.pane.hidden = !on;
  }

  clear() {
    this.token++;
    this.root = null;
    this.group.clearLayers();
    this.count.textContent = '';
    delete this.gridMap.container.dataset.events;
  }
}
