// 网格通: the grid worker's phone app. Boot, login, the top bar and its 待发送 badge, and the views.
import { api, cachedGet, onUnauthorized, setAccount } from './api.js';
import { idb } from './db.js';
import { byId, el, replace } from './dom.js';
import * as outbox from './outbox.js';

// Loaded when first opened, so that the first screen needs only this module and a few small ones.
const VIEWS = {
  today: () => import('./today.js'),
  report: () => import('./report.js'),
  mine: () => import('./mine.js'),
  event: () => import('./event.js'),
  house: () => import('./house.js'),
  outbox: () => import('./sync.js'),
};
const TAB_OF = { event: 'today', outbox: null };

let me = null;
let cleanup = null;
let renders = 0;

/** A door plate's QR opens /m/#house/CODE (the phone's own camera app does that): it is #/house/CODE. */
function plateHash() {
  const m = /^#house\/([^/?#]*)/.exec(location.hash);
  if (m) history.replaceState(history.state, '', `#/house/${m[1]}`);
  const code = /^#\/house\/([^/?#]+)/.exec(location.hash);
  try {
    return code ? decodeURIComponent(code[1]) : null;
  } catch {
    return code[1];
  }
}

async function route() {
  plateHash();
  if (!me) return;
  const [, name, ...params] = location.hash.split('/');
  const view = VIEWS[name] ? name : 'today';
  const tab = view in TAB_OF ? TAB_OF[view] : view;
  for (const a of document.querySelectorAll('.tabbar a')) {
    if (a.dataset.view === tab) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (cleanup) cleanup();
  cleanup = null;
  const n = ++renders;
  const node = el('div', { id: `view-${view}`, class: 'view', dataset: { view } });
  replace(byId('main'), node);
  try {
    const module = await VIEWS[view]();
    const done = await module.render(node, { me, params, refresh: route });
    if (n !== renders) return done && done();
    cleanup = done;
    node.dataset.ready = '1';
  } catch (error) {
    node.append(el('p', { class: 'msg error' }, navigator.onLine ? `页面加载失败：${error.message}` : '离线，此页面尚未保存到手机上'));
  }
}

function showLogin(notice = '') {
  me = null;
  setAccount(null);
  outbox.start(null);
  byId('boot').hidden = true;
  byId('app-view').hidden = true;
  byId('login-view').hidden = false;
  const plate = plateHash();
  if (!notice && plate) notice = `登录后显示门牌 ${plate} 的房屋`;
  const n = byId('login-notice');
  n.textContent = notice;
  n.hidden = !notice;
  byId('login-error').hidden = true;
  byId('password').value = '';
  byId('login-button').disabled = false;
}

function enter(who) {
  me = who;
  setAccount(who.account.id);
  byId('grid-name').textContent = who.territory.name;
  byId('user-name').textContent = `${who.account.displayName} · ${who.account.roleLabel}`;
  byId('boot').hidden = true;
  byId('login-view').hidden = true;
  byId('app-view').hidden = false;
  outbox.start(who.account.id);
  // The catalog is kept on the phone after the first screen, so that 上报 works offline too.
  route().then(() => cachedGet('/api/v1/catalog')).then(() => {
    document.documentElement.dataset.catalog = 'cached';
  }, () => {});
}

async function boot() {
  onUnauthorized(() => showLogin('登录已失效，请重新登录（未发送的内容仍保存在手机上）'));
  let who = null;
  try {
    who = await api.me();
    idb.put('cache', { k: 'me', data: who, at: Date.now() }).catch(() => {});
  } catch (error) {
    // Offline: open with who was signed in last; the outbox and the cached lists still work.
    if (error.offline) who = (await idb.get('cache', 'me').catch(() => null))?.data ?? null;
  }
  if (who) enter(who);
  else showLogin();
}

byId('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const username = byId('username').value.trim();
  const password = byId('password').value;
  const error = byId('login-error');
  const show = (text) => { error.textContent = text; error.hidden = !text; };
  if (!username || !password) return show('请输入用户名和密码');
  byId('login-button').disabled = true;
  show('');
  try {
    await api.login(username, password);
    const who = await api.me();
    await idb.put('cache', { k: 'me', data: who, at: Date.now() }).catch(() => {});
    byId('password').value = '';
    enter(who);
  } catch (e) {
    show(e.offline ? '离线时无法登录，请联网后再试' : e.message);
    byId('login-button').disabled = false;
  }
});

byId('logout-button').addEventListener('click', async () => {
  const pending = (await outbox.list()).filter((j) => j.state === 'pending').length;
  if (pending && !window.confirm(`还有 ${pending} 项未发送，将在您再次登录后发送。确定退出？`)) return;
  await api.logout().catch(() => {});
  await idb.clear('cache').catch(() => {}); // nothing personal stays readable on the phone
  location.hash = '';
  showLogin();
});

outbox.subscribe(({ pending, failed }) => {
  const badge = byId('outbox-badge');
  badge.textContent = `待发送 ${pending}`;
  badge.hidden = !pending;
  badge.dataset.count = String(pending);
  const f = byId('outbox-failed');
  f.textContent = `失败 ${failed}`;
  f.hidden = !failed;
});

function network() {
  byId('net-state').hidden = navigator.onLine;
}
window.addEventListener('online', network);
window.addEventListener('offline', network);
window.addEventListener('hashchange', route);
// Tapping the tab of the view on screen reloads it (a fresh 今日工作 after a walk).
document.querySelector('.tabbar').addEventListener('click', (event) => {
  if (event.target.closest('a')?.getAttribute('href') === location.hash) route();
});
network();

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/m/sw.js', { scope: '/m/' }).then(async (registration) => {
    await navigator.serviceWorker.ready;
    document.documentElement.dataset.sw = navigator.serviceWorker.controller ? 'controlled' : 'ready';
    registration.addEventListener('updatefound', () => {
      const next = registration.installing;
      next?.addEventListener('statechange', () => {
        if (next.state === 'installed' && navigator.serviceWorker.controller) byId('update-chip').hidden = false;
      });
    });
  }, () => {});
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    document.documentElement.dataset.sw = 'controlled';
  });
  byId('update-chip').addEventListener('click', async () => {
    const registration = await navigator.serviceWorker.getRegistration('/m/');
    registration?.waiting?.postMessage('skipWaiting');
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
  });
}

boot();
