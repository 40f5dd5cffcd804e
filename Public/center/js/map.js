// The Leaflet map: the selected node's polygon and its children's, from /grids/{code}/map.
import { api } from './api.js';
import { el, PREFIX } from './dom.js';

const L = window.L;
const MAX_LABELS = 40;

const STYLE = {
  frame: { color: '#1e3a8a', weight: 3, opacity: 0.9, fillColor: '#93c5fd', fillOpacity: 0.06, dashArray: null },
  focus: { color: '#1d4ed8', weight: 4, opacity: 1, fillColor: '#2563eb', fillOpacity: 0.45 },
  normal: { color: '#475569', weight: 1.2, opacity: 0.9, fillColor: '#60a5fa', fillOpacity: 0.28 },
  norm: { color: '#475569', weight: 1.2, opacity: 0.9, fillColor: '#f59e0b', fillOpacity: 0.45 },
  staff: { color: '#475569', weight: 1.2, opacity: 0.9, fillColor: '#dc2626', fillOpacity: 0.38 },
};

export class GridMap {
  constructor(container, { tileURL, onSelect, onPick }) {
    this.container = container;
    this.onSelect = onSelect;
    this.onPick = onPick;
    this.map = L.map(container, { attributionControl: Boolean(tileURL), zoomSnap: 0.25, minZoom: 3, maxZoom: 19 });
    this.map.setView([35, 105], 4);
    if (tileURL) L.tileLayer(tileURL, { maxZoom: 19 }).addTo(this.map);
    this.layer = null;
    this.marker = null;
    this.code = null;
    this.focus = null;
    this.flags = { norm: new Set(), staff: new Set() };
    this.picking = false;
    this.token = 0;
    this.map.on('click', (e) => {
      if (this.picking) this.onPick(e.latlng);
    });
    this.bounds = null;
    // The layout can change the container's size after a redraw (detail rendered, window resized).
    new ResizeObserver(() => this.resize()).observe(container);
  }

  /** Redraws the map for `code`; `focus` (a child of `code`) is emphasised instead of the frame. */
  async show(code, focus = null) {
    const token = ++this.token;
    const data = await api.map(code);
    if (token !== this.token) return;
    this.#draw(data, code, focus);
  }

  #draw(data, code, focus) {
    if (this.layer) this.layer.remove();
    this.code = code;
    this.focus = focus;
    const children = data.features.filter((f) => f.properties.code !== code);
    const labels = children.length <= MAX_LABELS;
    const layer = L.geoJSON(data, {
      style: (f) => ({ ...this.#style(f), className: this.#className(f) }),
      onEachFeature: (f, lyr) => {
        const p = f.properties;
        if (p.code === code) return;
        lyr.bindTooltip(this.#label(p), labels
          ? { permanent: true, direction: 'center', className: 'grid-label' }
          : { sticky: true, className: 'grid-tip' });
        lyr.on('click', () => {
          if (!this.picking) this.onSelect(p.code);
        });
      },
      filter: (f) => f.geometry !== null,
    });
    const target = focus && layer.getLayers().find((l) => l.feature.properties.code === focus);
    const bounds = target ? target.getBounds().pad(1.2) : layer.getBounds();
    this.bounds = bounds.isValid() ? bounds : null;
    this.#fit();
    layer.addTo(this.map);
    this.layer = layer;
    this.marker?.bringToFront();
    this.container.dataset.code = code;
    this.container.dataset.children = String(children.length);
    if (focus) this.container.dataset.focus = focus;
    else delete this.container.dataset.focus;
  }

  #className(f) {
    const p = f.properties;
    if (p.code === this.code) return 'grid-polygon grid-frame';
    return p.code === this.focus ? 'grid-polygon grid-child grid-focus' : 'grid-polygon grid-child';
  }

  #style(f) {
    const p = f.properties;
    if (p.code === this.code) return { ...STYLE.frame, interactive: false };
    const base = this.#flagged(this.flags.staff, p) ? STYLE.staff : this.#flagged(this.flags.norm, p) ? STYLE.norm : STYLE.normal;
    return p.code === this.focus ? { ...base, color: STYLE.focus.color, weight: STYLE.focus.weight, fillOpacity: 0.6 } : base;
  }

  /** A unit grid is coloured by its own status; higher levels show counts in their label instead. */
  #flagged(set, p) {
    return p.level === 'grid' && set.has(p.code);
  }

  /** How many flagged unit grids lie under a child of a higher level. */
  #countUnder(set, p) {
    const prefix = p.code.slice(0, PREFIX[p.level] ?? p.code.length);
    let n = 0;
    for (const code of set) if (code.startsWith(prefix)) n++;
    return n;
  }

  /** The label of a child: its name, and for a higher level the number of grids needing attention. */
  #label(p) {
    const label = el('span', {}, el('span', { class: 'grid-label-name' }, p.name));
    if (p.level === 'grid') return label;
    const norm = this.#countUnder(this.flags.norm, p);
    const staff = this.#countUnder(this.flags.staff, p);
    if (norm) label.append(el('span', { class: 'grid-label-count norm' }, `超标${norm}`));
    if (staff) label.append(el('span', { class: 'grid-label-count staff' }, `缺员${staff}`));
    return label;
  }

  /** Unit-grid codes outside the size norm / missing a leader or worker, used to colour the children. */
  setFlags({ norm, staff }) {
    this.flags = { norm: norm ?? new Set(), staff: staff ?? new Set() };
    this.layer?.eachLayer((lyr) => {
      const p = lyr.feature.properties;
      lyr.setStyle(this.#style(lyr.feature));
      if (p.code !== this.code && lyr.getTooltip()) lyr.setTooltipContent(this.#label(p));
    });
  }

  setPicking(on) {
    this.picking = on;
    this.container.classList.toggle('picking', on);
  }

  /** Marks a located point. */
  mark(latlng) {
    this.marker?.remove();
    this.marker = L.circleMarker(latlng, {
      radius: 7, color: '#b91c1c', weight: 3, fillColor: '#fff', fillOpacity: 1,
      interactive: false, className: 'locate-marker',
    }).addTo(this.map);
  }

  clear() {
    this.token++;
    this.layer?.remove();
    this.marker?.remove();
    this.layer = this.marker = this.code = this.focus = this.bounds = null;
    this.flags = { norm: new Set(), staff: new Set() };
    delete this.container.dataset.code;
    delete this.container.dataset.focus;
    delete this.container.dataset.children;
  }

  #fit() {
    if (this.bounds) this.map.fitBounds(this.bounds, { padding: [20, 20] });
  }

  /** After a change of the container's size: re-measure and show the current node whole again. */
  resize() {
    if (!this.container.offsetWidth) return;
    this.map.invalidateSize();
    this.#fit();
  }
}
