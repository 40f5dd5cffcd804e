// 统计: the dashboard figures of a subtree as tiles and Chart.js charts, with drill-down to children.
import { api } from './api.js';
import { el, replace, byId, num } from './dom.js';
import { STATUS, SOURCE, LEVEL, pct } from './format.js';
import { catalog, store } from './store.js';

const CHART_URL = '/vendor/chart.js/chart.min.js';
const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#4f46e5', '#0d9488',
  '#b91c1c', '#475569'];
const LEVEL_ORDER = ['grid', 'community', 'township', 'county', 'city', 'department'];
const TOP = 15;

const view = byId('stats-view');
const state = { scopes: [], token: 0, charts: new Map() };
let chartLoader = null;

/** Chart.js from Debian's libjs-chart.js, loaded the first time the dashboard is opened. */
function loadChart() {
  if (window.Chart) return Promise.resolve(window.Chart);
  chartLoader ??= new Promise((resolve, reject) => {
    const script = el('script', { src: CHART_URL });
    script.addEventListener('load', () => (window.Chart ? resolve(window.Chart) : reject(new Error('Chart.js 未能初始化'))));
    script.addEventListener('error', () => {
      chartLoader = null;
      script.remove();
      reject(new Error(`图表组件(Chart.js)未能加载，请检查 ${CHART_URL}`));
    });
    document.head.append(script);
  });
  return chartLoader;
}

function tile(key, label, value, kind = '') {
  return el('div', { class: `tile ${kind}`, dataset: { tile: key } },
    el('span', { class: 'tile-label' }, label), el('strong', { class: 'tile-value' }, value));
}

function renderTiles(f) {
  replace(byId('stats-tiles'),
    tile('total', '事件总数', num(f.total)),
    tile('completed', '办结', num(f.completed)),
    tile('completionRate', '办结率', pct(f.completionRate), 'rate'),
    tile('onTimeRate', '按期办结率', pct(f.onTimeRate), 'rate'),
    tile('satisfactionRate', '满意率', pct(f.satisfactionRate), 'rate'),
    tile('overdue', '超期', num(f.overdue), f.overdue ? 'bad' : ''),
    tile('unsigned', '未签收', num(f.unsigned), f.unsigned ? 'warn' : ''));
}

/** [[label, value, colour]] → a chart on canvas `id` (replacing the one drawn before). */
function draw(Chart, id, type, rows, options = {}) {
  state.charts.get(id)?.destroy();
  const canvas = byId(id);
  const horizontal = options.indexAxis === 'y';
  const chart = new Chart(canvas, {
    type,
    data: {
      labels: rows.map((r) => r[0]),
      datasets: [{ label: '事件数', maxBarThickness: 56, data: rows.map((r) => r[1]), backgroundColor: rows.map((r, i) => r[2] ?? PALETTE[i % PALETTE.length]) }],
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: { duration: 250 },
      plugins: { legend: { display: type === 'doughnut', position: 'right' } },
      scales: type === 'doughnut' ? {} : { [horizontal ? 'x' : 'y']: { beginAtZero: true, ticks: { precision: 0 } } },
      ...options,
    },
  });
  state.charts.set(id, chart);
  canvas.dataset.points = String(rows.length);
}

function drawChildren(Chart, children) {
  const top = children.slice(0, TOP);
  state.charts.get('chart-children')?.destroy();
  state.charts.set('chart-children', new Chart(byId('chart-children'), {
    type: 'bar',
    data: {
      labels: top.map((c) => c.name),
      datasets: [
        { label: '事件数', maxBarThickness: 22, data: top.map((c) => c.total), backgroundColor: '#93c5fd' },
        { label: '办结', maxBarThickness: 22, data: top.map((c) => c.completed), backgroundColor: '#16a34a' },
      ],
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: { duration: 250 }, indexAxis: 'y',
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  }));
  byId('chart-children').dataset.points = String(top.length);
  replace(byId('stats-children'), ...(children.length ? children.map((c, i) => el('tr', {},
    el('td', {}, String(i + 1)),
    el('td', {}, el('button', { type: 'button', class: 'link', dataset: { code: c.code }, on: { click: () => drill(c) } }, c.name)),
    el('td', {}, num(c.total)), el('td', {}, num(c.completed)), el('td', {}, pct(c.completionRate))))
    : [el('tr', {}, el('td', { colspan: 5, class: 'muted' }, '没有下级数据。'))]));
}

function renderScope() {
  const last = state.scopes.length - 1;
  replace(byId('stats-scope'), el('span', { class: 'muted' }, '范围：'), ...state.scopes.flatMap((s, i) => [
    i === last ? el('strong', { id: 'stats-root', dataset: { code: s.code } }, s.name)
      : el('button', { type: 'button', class: 'crumb', on: { click: () => { state.scopes.length = i + 1; load(); } } }, s.name),
    i === last ? null : el('span', { class: 'crumb-sep', 'aria-hidden': 'true' }, '›'),
  ]));
}

function drill(child) {
  state.scopes.push({ code: child.code, name: child.name });
  load();
}

async function load() {
  const token = ++state.token;
  const scope = state.scopes.at(-1);
  renderScope();
  delete view.dataset.ready;
  const message = byId('stats-message');
  message.textContent = '统计中…';
  let figures;
  let Chart;
  let c;
  try {
    [figures, Chart, c] = await Promise.all([
      api.stats({ root: scope.code, from: byId('s-from').value || undefined, to: byId('s-to').value || undefined }),
      loadChart(), catalog(),
    ]);
  } catch (error) {
    if (token === state.token && error.status !== 401) message.textContent = error.message;
    return;
  }
  if (token !== state.token) return;
  message.textContent = '';
  Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
  renderTiles(figures);
  const present = (map, order) => order.filter((k) => map[k]).concat(Object.keys(map).filter((k) => !order.includes(k) && map[k]));
  draw(Chart, 'chart-status', 'doughnut',
    present(figures.byStatus, Object.keys(STATUS)).map((k) => [STATUS[k]?.label ?? k, figures.byStatus[k], STATUS[k]?.color]));
  draw(Chart, 'chart-category', 'bar',
    present(figures.byCategory, c.categories.map((x) => x.code)).map((k) => [c.category.get(k)?.name ?? k, figures.byCategory[k]]));
  draw(Chart, 'chart-source', 'bar',
    present(figures.bySource, Object.keys(SOURCE)).map((k) => [SOURCE[k] ?? k, figures.bySource[k]]));
  draw(Chart, 'chart-level', 'bar',
    present(figures.byResolvedLevel, LEVEL_ORDER).map((k) => [LEVEL[k] ?? k, figures.byResolvedLevel[k]]));
  drawChildren(Chart, figures.children);
  view.dataset.ready = 'true';
  view.dataset.total = String(figures.total);
}

byId('stats-filters').addEventListener('submit', (e) => {
  e.preventDefault();
  load();
});

export async function activate() {
  if (!state.scopes.length && store.me) state.scopes = [{ code: store.me.territory.code, name: store.me.territory.name }];
  await load();
}

export function deactivate() {}

export function clear() {
  state.token++;
  state.scopes = [];
  for (const chart of state.charts.values()) chart.destroy();
  state.charts.clear();
  replace(byId('stats-tiles'));
  replace(byId('stats-children'));
  replace(byId('stats-scope'));
  byId('stats-filters').reset();
  byId('stats-message').textContent = '';
  delete view.dataset.ready;
  delete view.dataset.total;
}
