// Where the report is: the phone's position (with its accuracy) or coordinates typed by hand,
// and the grid the point falls in (asked of the server before sending).
import { api } from './api.js';
import { el, field } from './dom.js';

const valid = (lat, lon) => Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;

export function positionPicker() {
  let point = null; // {lat, lon, accuracy, source: 'gps' | 'manual'}
  let asked = 0;
  const status = el('p', { id: 'pos-status', class: 'pos-status' }, '尚未定位');
  const grid = el('p', { id: 'pos-grid', class: 'pos-grid', 'aria-live': 'polite' });
  const lat = el('input', { id: 'pos-lat', type: 'text', inputmode: 'decimal', placeholder: '纬度，如 28.40', autocomplete: 'off' });
  const lon = el('input', { id: 'pos-lon', type: 'text', inputmode: 'decimal', placeholder: '经度，如 106.30', autocomplete: 'off' });
  const manual = el('details', { id: 'pos-manual', class: 'pos-manual' },
    el('summary', {}, '手动输入坐标'), field('纬度', lat), field('经度', lon));
  const gpsButton = el('button', { type: 'button', id: 'pos-gps', class: 'plain' }, '重新定位');

  async function locate() {
    const n = ++asked;
    grid.className = 'pos-grid';
    if (!point) return (grid.textContent = '');
    grid.textContent = '正在查询所在网格…';
    try {
      const answer = await api.locate(point.lat, point.lon);
      if (n !== asked) return;
      const chain = [...(answer.ancestors || []).map((a) => a.name), answer.grid.name].join(' › ');
      grid.textContent = `所在网格：${chain}`;
      grid.dataset.code = answer.grid.code;
      grid.classList.add('ok');
    } catch (error) {
      if (n !== asked) return;
      delete grid.dataset.code;
      grid.textContent = error.offline ? '离线：暂无法确认所在网格，发送时由服务器确定' : error.message;
      grid.classList.add(error.offline ? 'muted' : 'warn');
    }
  }

  function set(p) {
    point = p;
    status.textContent = p.source === 'gps'
      ? `已定位 ${p.lat.toFixed(6)}, ${p.lon.toFixed(6)}（精度约 ±${Math.round(p.accuracy)} 米）`
      : `手动坐标 ${p.lat.toFixed(6)}, ${p.lon.toFixed(6)}`;
    status.dataset.source = p.source;
    locate();
  }

  function onManual() {
    const la = Number(lat.value.trim());
    const lo = Number(lon.value.trim());
    if (lat.value.trim() && lon.value.trim() && valid(la, lo)) set({ lat: la, lon: lo, accuracy: null, source: 'manual' });
    else if (point?.source === 'manual') {
      point = null;
      status.textContent = '请输入有效的经纬度';
      locate();
    }
  }
  lat.addEventListener('change', onManual);
  lon.addEventListener('change', onManual);

  function gps() {
    if (!navigator.geolocation) {
      status.textContent = '此设备不能定位，请手动输入坐标';
      manual.open = true;
      return;
    }
    status.textContent = '正在定位…';
    navigator.geolocation.getCurrentPosition((pos) => {
      if (point?.source === 'manual') return; // typed coordinates win
      set({ lat: pos.coords.latitude, lon: pos.coords.longitude, accuracy: pos.coords.accuracy, source: 'gps' });
    }, (error) => {
      if (point?.source === 'manual') return;
      status.textContent = error.code === 1 ? '未获准定位，请在浏览器中允许定位，或手动输入坐标' : '定位失败，请重试或手动输入坐标';
      manual.open = true;
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 30000 });
  }
  gpsButton.addEventListener('click', () => {
    if (point?.source === 'manual') point = null;
    lat.value = '';
    lon.value = '';
    gps();
  });

  return {
    node: el('div', { class: 'position' }, el('div', { class: 'pos-row' }, status, gpsButton), grid, manual),
    start: gps,
    get value() {
      // Typed coordinates count even if the box was never left (no change event yet).
      const la = Number(lat.value.trim());
      const lo = Number(lon.value.trim());
      if (lat.value.trim() && lon.value.trim() && valid(la, lo) && (point?.lat !== la || point?.lon !== lo)) {
        set({ lat: la, lon: lo, accuracy: null, source: 'manual' });
      }
      return point;
    },
    reset() {
      point = null;
      lat.value = '';
      lon.value = '';
      grid.textContent = '';
      status.textContent = '尚未定位';
      gps();
    },
  };
}
