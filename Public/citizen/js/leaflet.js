// Leaflet, fetched only when a map is first opened (it is most of the page's weight), and the
// tile address from /api/v1/meta: without one the map draws nothing but our markers.
import { api } from './api.js';

let ready = null;

function inject(tag, attrs) {
  return new Promise((resolve, reject) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    node.addEventListener('load', resolve, { once: true });
    node.addEventListener('error', () => reject(new Error('地图组件加载失败，请检查网络后重试')), { once: true });
    document.head.append(node);
  });
}

/** Resolves to {L, tileURL}. */
export function loadLeaflet() {
  ready ??= Promise.all([
    window.L ? null : inject('link', { rel: 'stylesheet', href: '/vendor/leaflet/leaflet.css' }),
    window.L ? null : inject('script', { src: '/vendor/leaflet/leaflet.min.js' }),
    api.meta().catch(() => ({})),
  ]).then(([, , meta]) => {
    if (!window.L) throw new Error('地图组件加载失败');
    return { L: window.L, tileURL: meta?.tileURL || null };
  });
  ready.catch(() => { ready = null; });
  return ready;
}

/** A small map in `container`: tiles when configured, a scale, no attribution otherwise. */
export async function makeMap(container) {
  const { L, tileURL } = await loadLeaflet();
  const map = L.map(container, { attributionControl: Boolean(tileURL), zoomSnap: 0.5, minZoom: 3, maxZoom: 19 });
  if (tileURL) L.tileLayer(tileURL, { maxZoom: 19 }).addTo(map);
  else container.classList.add('no-tiles');
  L.control.scale({ imperial: false }).addTo(map);
  map.setView([35, 105], 4);
  return { L, map, tiles: Boolean(tileURL) };
}
