// The command-center page: wires login, tree, map, detail, issues and locate together, and the
// tabs of the event pages (loaded when first needed).
import { api, onUnauthorized } from './api.js';
import { byId } from './dom.js';
import { showLogin, showApp, bindLogin, bindLogout, isLoggedInView } from './session.js';
import { GridTree } from './tree.js';
import { GridMap } from './map.js';
import { renderDetail, renderDetailMessage } from './detail.js';
import { IssuesPanel } from './issues.js';
import { LocateBox } from './locate.js';
import { store, setMe } from './store.js';
import { bindNav, show, initialView, resetViews } from './nav.js';

const EXPIRED = '会话已过期，请重新登录';

const state = { meta: { name: '网格化服务管理平台', tileURL: null }, map: null, selectToken: 0, events: null };

const tree = new GridTree(byId('tree'), { onSelect: (code) => select(code) });
const issues = new IssuesPanel({
  onSelect: (code) => select(code),
  onFlags: (flags) => state.map?.setFlags(flags),
});
const locate = new LocateBox({ onFound: (code) => select(code), getMap: () => state.map });

/** Shows a node: detail, tree path, map (its children, or its siblings for a leaf) and the issue lists. */
async function select(code) {
  const token = ++state.selectToken;
  const detail = byId('detail');
  detail.classList.add('loading');
  let d;
  try {
    d = await api.grid(code);
  } catch (error) {
    if (token === state.selectToken && error.status !== 401) renderDetailMessage(detail, error.message, true);
    return;
  } finally {
    if (token === state.selectToken) detail.classList.remove('loading');
  }
  if (token !== state.selectToken) return;
  store.grid = { code: d.grid.code, name: d.grid.name, level: d.grid.level, ancestors: d.ancestors };
  renderDetail(detail, d, { onSelect: (c) => select(c) });
  const parent = d.ancestors.at(-1);
  const leaf = !(d.grid.childCount > 0) && parent;
  tree.reveal(d.ancestors, d.grid);
  const shown = leaf ? parent.code : d.grid.code;
  state.events?.then((parts) => parts.layer.load(shown)).catch(() => {});
  await Promise.all([
    state.map.show(leaf ? parent.code : d.grid.code, leaf ? d.grid.code : null).catch((error) => {
      if (error.status !== 401) renderDetailMessage(detail, `地图加载失败：${error.message}`, true);
    }),
    issues.load(d.grid.level === 'grid' && parent ? parent : d.grid).catch(() => {}),
  ]);
}

/** The event pages' shared parts: the markers on the map and the drawer (loaded after login). */
function eventParts() {
  state.events ??= Promise.all([import('./eventlayer.js'), import('./eventpanel.js'), import('./inbox.js')])
    .then(([layer, panel, inbox]) => ({ layer: new layer.EventLayer(state.map), panel, inbox }));
  return state.events;
}

async function enter(me) {
  setMe(me);
  showApp(me);
  if (!state.map) {
    state.map = new GridMap(byId('map'), {
      tileURL: state.meta.tileURL,
      onSelect: (code) => select(code),
      onPick: (latlng) => locate.pick(latlng),
    });
  } else {
    state.map.resize();
  }
  const view = initialView();
  eventParts().then((parts) => parts.inbox.refreshCount()).catch(() => {});
  if (view !== 'grid') show(view);
  try {
    const roots = await tree.load();
    if (roots.length) await select(roots[0].code);
    else renderDetailMessage(byId('detail'), '当前账号没有可查看的网格。');
  } catch (error) {
    if (error.status !== 401) renderDetailMessage(byId('detail'), error.message, true);
  }
}

/** Back to the login form, forgetting everything shown. */
function leave(notice) {
  state.selectToken++;
  setMe(null);
  resetViews().catch(() => {});
  state.events?.then((parts) => {
    parts.panel.closePanel();
    parts.layer.clear();
  }).catch(() => {});
  tree.clear();
  issues.clear();
  locate.clear();
  state.map?.clear();
  renderDetailMessage(byId('detail'), '请选择网格。');
  showLogin(notice);
}

async function boot() {
  if (!window.L) {
    byId('boot').textContent = '地图组件(Leaflet)未能加载，请联系系统管理员检查 /vendor/leaflet。';
    return;
  }
  try {
    state.meta = await api.meta();
  } catch {
    // keep the defaults: the page still works without a tile layer
  }
  store.meta = state.meta;
  for (const node of document.querySelectorAll('.app-name')) node.textContent = state.meta.name;
  document.title = `指挥中心 · ${state.meta.name}`;
  onUnauthorized(() => {
    if (isLoggedInView()) leave(EXPIRED);
  });
  bindNav({ gridShown: () => state.events?.then((parts) => parts.layer.load()).catch(() => {}) });
  bindLogin(enter);
  bindLogout(() => leave('您已退出登录。'));
  let me = null;
  try {
    me = await api.me();
  } catch (error) {
    showLogin(error.status === 401 ? '' : error.message);
    return;
  }
  await enter(me);
}

boot();
