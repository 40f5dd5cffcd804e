// 登记事件: a center (or grid staff) enters an event — item, description, a point on the map, address, parties.
import { api } from './api.js';
import { el, replace, byId } from './dom.js';
import { CENTER_SOURCES, SOURCE, time, statusTag } from './format.js';
import { catalog, store, role, announceChange } from './store.js';
import { openPanel, openEvent } from './eventpanel.js';

const L = window.L;
const OUTLINE = { color: '#1e3a8a', weight: 1, opacity: 0.7, fillColor: '#93c5fd', fillOpacity: 0.08, interactive: false };

const input = (id, attrs = {}) => el('input', { id, name: id, ...attrs });
function field(label, control, { required = false, wide = false } = {}) {
  return el('label', { class: `form-field${wide ? ' wide' : ''}` },
    el('span', { class: 'form-label' }, label, required ? el('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null),
    control);
}

export async function openReport() {
  const c = await catalog();
  const item = el('select', { id: 'report-item', required: true }, el('option', { value: '' }, '请选择事项…'),
    ...c.categories.map((cat) => el('optgroup', { label: cat.name },
      ...c.items.filter((i) => i.categoryCode === cat.code).map((i) => el('option', { value: i.code }, `${i.code} ${i.name}`)))));
  const source = el('select', { id: 'report-source' }, ...CENTER_SOURCES.map((s) => el('option', { value: s }, SOURCE[s])));
  source.value = ['grid_worker', 'grid_leader'].includes(role()) ? 'grid_app' : 'pc';
  const lat = input('report-lat', { type: 'text', inputmode: 'decimal', size: '11' });
  const lon = input('report-lon', { type: 'text', inputmode: 'decimal', size: '11' });
  const where = el('output', { id: 'report-where', class: 'muted small' }, '在地图上点击事件位置，或填写经纬度。');
  const mapBox = el('div', { id: 'report-map', class: 'report-map' });
  const error = el('p', { id: 'report-error', class: 'form-error', role: 'alert', hidden: true });
  const submit = el('button', { id: 'report-submit', type: 'submit', class: 'primary small-button' }, '登记');
  const controls = {
    itemCode: item, description: el('textarea', { id: 'report-description', rows: '3', maxlength: '2000', required: true }),
    lat, lon, address: input('report-address', { type: 'text', maxlength: '200' }),
    reporterName: input('report-reporter', { type: 'text', maxlength: '50' }),
    reporterPhone: input('report-phone', { type: 'tel', maxlength: '20' }),
    parties: input('report-parties', { type: 'text', maxlength: '500' }),
    amount: input('report-amount', { type: 'number', min: '0', step: '0.01' }),
  };
  const form = el('form', { id: 'report-form', class: 'report-form', novalidate: true },
    field('事项', item, { required: true, wide: true }),
    field('来源', source),
    field('描述', controls.description, { required: true, wide: true }),
    el('div', { class: 'form-field wide' }, el('span', { class: 'form-label' }, '位置', el('span', { class: 'required' }, ' *')),
      mapBox, el('div', { class: 'latlon' }, el('label', {}, '纬度 ', lat), el('label', {}, '经度 ', lon)), where),
    field('地址', controls.address, { wide: true }),
    field('上报人', controls.reporterName), field('联系电话', controls.reporterPhone),
    field('当事人', controls.parties, { wide: true }), field('涉及金额(元)', controls.amount),
    error, el('div', { class: 'form-buttons wide' }, submit));
  openPanel('登记事件', form);

  const map = pointMap(mapBox, lat, lon, where);
  byId('event-panel').addEventListener('drawer-close', () => map.remove(), { once: true });

  const fail = (text, control) => {
    error.textContent = text;
    error.hidden = false;
    for (const x of Object.values(controls)) x.removeAttribute('aria-invalid');
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      control.focus();
    }
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const draft = { source: source.value };
    for (const key of ['itemCode', 'description', 'address', 'reporterName', 'reporterPhone', 'parties']) {
      const v = controls[key].value.trim();
      if (v) draft[key] = v;
    }
    if (!draft.itemCode) return fail('请选择事项', item);
    if (!draft.description) return fail('请填写事件描述', controls.description);
    draft.lat = Number.parseFloat(lat.value);
    draft.lon = Number.parseFloat(lon.value);
    if (!Number.isFinite(draft.lat) || !Number.isFinite(draft.lon)) return fail('请在地图上点选位置或填写经纬度', lat);
    if (controls.amount.value !== '') {
      draft.amount = Number(controls.amount.value);
      if (!Number.isFinite(draft.amount) || draft.amount < 0) return fail('涉及金额应为不小于0的数', controls.amount);
    }
    submit.disabled = true;
    try {
      const answer = await api.report(draft);
      announceChange({ id: answer.event.id });
      reported(answer);
    } catch (err) {
      if (err.status !== 401) fail(err.message, controls[err.field] ?? null);
    } finally {
      submit.disabled = false;
    }
  });
}

/** A small map of the caller's territory; a click (or typed coordinates) sets the point. */
function pointMap(box, lat, lon, where) {
  const map = L.map(box, { attributionControl: Boolean(store.meta?.tileURL), zoomSnap: 0.25 });
  map.setView([35, 105], 4);
  if (store.meta?.tileURL) L.tileLayer(store.meta.tileURL, { maxZoom: 19 }).addTo(map);
  let marker = null;
  let token = 0;
  api.map(store.me.territory.code).then((data) => {
    const layer = L.geoJSON(data, { style: OUTLINE, filter: (f) => f.geometry !== null }).addTo(map);
    if (layer.getBounds().isValid()) map.fitBounds(layer.getBounds(), { padding: [10, 10] });
  }).catch(() => {});
  const place = async (la, lo) => {
    marker?.remove();
    marker = L.circleMarker([la, lo], { radius: 7, color: '#b91c1c', weight: 3, fillColor: '#fff', fillOpacity: 1,
      className: 'report-marker', interactive: false }).addTo(map);
    const t = ++token;
    where.textContent = '查询所在网格…';
    try {
      const { grid, ancestors } = await api.locate(la, lo);
      if (t === token) where.textContent = `位于：${[...ancestors.map((a) => a.name), grid.name].join(' › ')}`;
    } catch (error) {
      if (t === token) where.textContent = error.status === 404 ? '该点不在任何网格中' : error.message;
    }
  };
  map.on('click', (e) => {
    lat.value = e.latlng.lat.toFixed(6);
    lon.value = e.latlng.lng.toFixed(6);
    place(e.latlng.lat, e.latlng.lng);
  });
  const typed = () => {
    const la = Number.parseFloat(lat.value);
    const lo = Number.parseFloat(lon.value);
    if (Number.isFinite(la) && Number.isFinite(lo) && Math.abs(la) <= 90 && Math.abs(lo) <= 180) place(la, lo);
  };
  lat.addEventListener('change', typed);
  lon.addEventListener('change', typed);
  requestAnimationFrame(() => map.invalidateSize());
  return map;
}

/** The answer: the new serial, and the open reports that look like the same problem (并单). */
function reported({ event, possibleDuplicates }) {
  const dupes = possibleDuplicates.map((d) => {
    const message = el('span', { class: 'dup-message small' });
    const merge = el('button', { type: 'button', class: 'plain dup-merge', dataset: { into: String(d.id) }, on: { click: async () => {
      merge.disabled = true;
      try {
        await api.act(event.id, 'merge', { into: d.id, note: `与${d.serial}为同一问题` });
        announceChange({ id: event.id });
        openEvent(d.id);
      } catch (err) {
        message.className = 'dup-message small error';
        message.textContent = err.message;
        merge.disabled = false;
      }
    } } }, '并单');
    return el('li', { class: 'dup', dataset: { id: String(d.id) } },
      el('button', { type: 'button', class: 'link', on: { click: () => openEvent(d.id) } }, d.serial), ' ',
      statusTag(d.status, d.statusLabel), ` ${d.itemName} · ${d.gridName} · ${time(d.reportedAt)}`,
      el('p', { class: 'small muted' }, d.description), merge, message);
  });
  openPanel('登记事件',
    el('p', { id: 'report-done', class: 'event-message', dataset: { id: String(event.id) } }, '已登记，编号 ',
      el('strong', { id: 'report-serial' }, event.serial), `，由${event.holder.name}受理。`),
    el('p', {}, el('button', { type: 'button', class: 'primary small-button', on: { click: () => openEvent(event.id) } }, '查看事件')),
    dupes.length ? el('section', { id: 'report-duplicates' },
      el('h3', { class: 'section-title' }, `附近有 ${dupes.length} 件同类事件仍在办理，可能是同一问题：`),
      el('ul', { class: 'dup-list' }, dupes)) : null);
}
