// A position: typed latitude/longitude, the phone's geolocation, or a click on a small map.
import { makeMap } from './leaflet.js';

const DEG = /^-?\d{1,3}(\.\d+)?$/;

/** The number in a coordinate box, or null when it is empty or not a valid coordinate. */
function read(input, limit) {
  const text = input.value.trim().replace(/[，,]/g, '.');
  if (!DEG.test(text)) return null;
  const n = Number(text);
  return Math.abs(n) <= limit ? n : null;
}

export class PositionPicker {
  /**
   * @param {HTMLElement} box the fieldset with [data-role=lat|lon|locate|map-toggle|map|map-hint|status]
   * @param {{onChange?: (pos) => void, onMapReady?: (view) => void}} options
   */
  constructor(box, { onChange = () => {}, onMapReady = () => {} } = {}) {
    this.box = box;
    this.onChange = onChange;
    this.onMapReady = onMapReady;
    this.part = (role) => box.querySelector(`[data-role="${role}"]`);
    this.lat = this.part('lat');
    this.lon = this.part('lon');
    this.status = this.part('status');
    this.view = null; // {L, map, marker}
    this.accuracy = null;
    for (const input of [this.lat, this.lon]) {
      input.addEventListener('change', () => this.#typed());
    }
    this.part('locate').addEventListener('click', () => this.locate());
    this.part('map-toggle').addEventListener('click', () => this.toggleMap());
  }

  /** {lat, lon} from the boxes, or null. */
  value() {
    const lat = read(this.lat, 90);
    const lon = read(this.lon, 180);
    return lat === null || lon === null ? null : { lat, lon };
  }

  /** Whether something (possibly invalid) was typed. */
  touched() {
    return this.lat.value.trim() !== '' || this.lon.value.trim() !== '';
  }

  set({ lat, lon }, source = 'map') {
    this.lat.value = lat.toFixed(6);
    this.lon.value = lon.toFixed(6);
    if (source !== 'gps') this.accuracy = null;
    this.#say(source === 'gps' && this.accuracy !== null ? `已定位，精度约 ${Math.round(this.accuracy)} 米` : '');
    this.#mark(true);
    this.onChange(this.value());
  }

  clear() {
    this.lat.value = '';
    this.lon.value = '';
    this.accuracy = null;
    this.#say('');
    this.view?.marker?.remove();
    if (this.view) this.view.marker = null;
  }

  #typed() {
    const pos = this.value();
    if (this.touched() && !pos && this.lat.value.trim() && this.lon.value.trim()) {
      this.#say('坐标格式不对：纬度 -90～90，经度 -180～180，用小数表示', true);
    } else {
      this.#say('');
    }
    this.accuracy = null;
    this.#mark(true);
    if (pos) this.onChange(pos);
  }

  #say(text, bad = false) {
    this.status.textContent = text;
    this.status.classList.toggle('bad', bad);
  }

  /** The phone's position (asks for permission the first time). */
  locate() {
    if (!window.isSecureContext) {
      this.#say('通过 https 访问本页才能使用手机定位；请在地图上选点或输入坐标', true);
      return;
    }
    if (!navigator.geolocation) {
      this.#say('此浏览器不支持定位，请在地图上选点或输入坐标', true);
      return;
    }
    const button = this.part('locate');
    button.disabled = true;
    this.#say('正在定位…');
    navigator.geolocation.getCurrentPosition(
      (p) => {
        button.disabled = false;
        this.accuracy = p.coords.accuracy;
        this.set({ lat: p.coords.latitude, lon: p.coords.longitude }, 'gps');
      },
      (e) => {
        button.disabled = false;
        const why = e.code === 1 ? '没有定位权限，请在浏览器设置中允许，或在地图上选点、输入坐标'
          : e.code === 3 ? '定位超时，请到开阔处重试，或在地图上选点、输入坐标'
            : '暂时无法定位，请在地图上选点或输入坐标';
        this.#say(why, true);
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 },
    );
  }

  async toggleMap() {
    const toggle = this.part('map-toggle');
    const container = this.part('map');
    const open = container.hidden;
    container.hidden = !open;
    this.part('map-hint').hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? toggle.dataset.close : toggle.dataset.open;
    if (!open) return;
    if (this.view) {
      this.view.map.invalidateSize();
      return;
    }
    toggle.disabled = true;
    container.classList.add('loading');
    try {
      const { L, map } = await makeMap(container);
      this.view = { L, map, marker: null };
      map.on('click', (e) => this.set({ lat: e.latlng.lat, lon: e.latlng.lng }));
      this.#mark(true);
      container.dataset.ready = '';
      this.onMapReady(this.view);
    } catch (error) {
      container.hidden = true;
      this.part('map-hint').hidden = true;
      toggle.setAttribute('aria-expanded', 'false');
      toggle.textContent = toggle.dataset.open;
      this.#say(error.message, true);
    } finally {
      toggle.disabled = false;
      container.classList.remove('loading');
    }
  }

  /** Moves the marker to the typed position (and the map to it when `pan`). */
  #mark(pan) {
    const v = this.view;
    if (!v) return;
    const pos = this.value();
    if (!pos) {
      v.marker?.remove();
      v.marker = null;
      return;
    }
    const at = [pos.lat, pos.lon];
    if (v.marker) v.marker.setLatLng(at);
    else {
      v.marker = v.L.circleMarker(at, {
        radius: 9, color: '#b91c1c', weight: 3, fillColor: '#fff', fillOpacity: 1, interactive: false,
        className: 'pick-marker',
      }).addTo(v.map);
    }
    if (pan) v.map.setView(at, Math.max(v.map.getZoom(), 16));
  }
}
