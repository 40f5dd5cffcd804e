// The 定位 box: latitude/longitude typed in or picked on the map → the unit grid there.
import { api } from './api.js';
import { byId } from './dom.js';

export class LocateBox {
  /** `map` is a GridMap (or null until created); `onFound(code)` selects the answer. */
  constructor({ onFound, getMap }) {
    this.onFound = onFound;
    this.getMap = getMap;
    this.form = byId('locate-form');
    this.lat = byId('locate-lat');
    this.lon = byId('locate-lon');
    this.pickButton = byId('locate-pick');
    this.result = byId('locate-result');
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.#submit();
    });
    this.pickButton.addEventListener('click', () => this.setPicking(!this.picking));
    this.picking = false;
  }

  setPicking(on) {
    this.picking = on;
    this.pickButton.setAttribute('aria-pressed', String(on));
    this.getMap()?.setPicking(on);
    if (on) this.#say('请在地图上点击要查询的位置。');
  }

  /** A click on the map while picking. */
  pick(latlng) {
    this.setPicking(false);
    this.lat.value = latlng.lat.toFixed(6);
    this.lon.value = latlng.lng.toFixed(6);
    this.run(latlng.lat, latlng.lng);
  }

  #submit() {
    const lat = Number.parseFloat(this.lat.value.trim());
    const lon = Number.parseFloat(this.lon.value.trim());
    if (!Number.isFinite(lat) || lat < -90 || lat > 90) return this.#say('请输入−90到90之间的纬度。', 'error');
    if (!Number.isFinite(lon) || lon < -180 || lon > 180) return this.#say('请输入−180到180之间的经度。', 'error');
    return this.run(lat, lon);
  }

  async run(lat, lon) {
    this.#say('查询中…');
    this.getMap()?.mark([lat, lon]);
    try {
      const { grid, ancestors } = await api.locate(lat, lon);
      this.#say(`位于：${[...ancestors.map((a) => a.name), grid.name].join(' › ')}`, 'ok');
      await this.onFound(grid.code);
    } catch (error) {
      if (error.status === 404) this.#say('不在任何网格中', 'error');
      else if (error.status !== 401) this.#say(error.message, 'error');
    }
  }

  #say(text, kind = '') {
    this.result.textContent = text;
    this.result.className = `locate-result ${kind}`;
  }

  clear() {
    this.setPicking(false);
    this.lat.value = '';
    this.lon.value = '';
    this.#say('');
  }
}
