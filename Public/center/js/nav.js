// The tabs of the top bar: 网格 (the grid view), 基础数据, 事件, 待办, 统计, and 通知 for administrators
// (session.js hides the tabs an account may not use). Views other than the grid are modules loaded the first time they
// are opened, each with activate/deactivate/clear.
import { byId } from './dom.js';

const MODULES = {
  registers: () => import('./registers.js'),
  events: () => import('./queue.js'),
  inbox: () => import('./inbox.js'),
  stats: () => import('./dashboard.js'),
  notify: () => import('./notifications.js'),
};
const NAMES = ['grid', ...Object.keys(MODULES)];
const loaded = new Map();
const tabs = [...document.querySelectorAll('.nav-tab')];
let current = 'grid';
let onGridShown = () => {};

/** A view exists and its tab is shown to this account. */
const allowed = (name) => NAMES.includes(name) && !byId(`nav-${name}`).hidden;

function module(name) {
  if (!loaded.has(name)) loaded.set(name, MODULES[name]());
  return loaded.get(name);
}

/** The view named in the address (#events …), for a reload to come back to it. */
export function initialView() {
  const name = location.hash.slice(1);
  return allowed(name) ? name : 'grid';
}

/** Switches to a view and (re)loads its data. */
export async function show(name) {
  if (!allowed(name)) name = 'grid';
  const previous = current;
  current = name;
  for (const tab of tabs) tab.setAttribute('aria-selected', String(tab.dataset.view === name));
  for (const n of NAMES) byId(`${n}-view`).hidden = n !== name;
  history.replaceState(null, '', name === 'grid' ? `${location.pathname}${location.search}` : `#${name}`);
  if (previous !== name) document.dispatchEvent(new Event('wangge:view-changed'));
  if (previous !== name && previous !== 'grid') (await module(previous)).deactivate();
  if (name === 'grid') return onGridShown();
  const view = await module(name);
  if (current === name) await view.activate();
}

export function bindNav({ gridShown }) {
  onGridShown = gridShown;
  for (const tab of tabs) tab.addEventListener('click', () => show(tab.dataset.view));
}

/** At logout: every view forgets its data; the grid view is shown again (without loading anything). */
export async function resetViews() {
  current = 'grid';
  for (const tab of tabs) tab.setAttribute('aria-selected', String(tab.dataset.view === 'grid'));
  for (const n of NAMES) byId(`${n}-view`).hidden = n !== 'grid';
  history.replaceState(null, '', `${location.pathname}${location.search}`);
  for (const pending of loaded.values()) (await pending).clear();
}
