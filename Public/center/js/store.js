// What the event pages share: who is signed in, cached reference data, and a change signal.
import { api } from './api.js';

/** `grid`: the node last selected in the tree, {code, name, level, ancestors} (基础数据 follows it). */
export const store = { me: null, grid: null };
const cache = new Map();

/** After login (or with null at logout): forgets everything cached for the previous account. */
export function setMe(me) {
  store.me = me;
  store.grid = null;
  cache.clear();
}

function cached(key, load) {
  if (!cache.has(key)) cache.set(key, load().catch((error) => { cache.delete(key); throw error; }));
  return cache.get(key);
}

/** The catalog with lookups: {categories, items, category: Map, item: Map}. */
export const catalog = () => cached('catalog', async () => {
  const c = await api.catalog();
  return { ...c, category: new Map(c.categories.map((x) => [x.code, x])), item: new Map(c.items.map((x) => [x.code, x])) };
});

/** The departments the caller works with (those serving its territory and above it). */
export const departments = () => cached('departments', async () => (await api.departments()).items);

export const role = () => store.me?.account.role ?? null;

/** Who may register an event from the center (the server's rule for POST /events). */
export const canReport = () => ['operator', 'grid_leader', 'grid_worker'].includes(role());

/** Tells every view that events changed (after an action, a report, a bulk dispatch). */
export function announceChange(detail = {}) {
  document.dispatchEvent(new CustomEvent('wangge:events-changed', { detail }));
}

export function onChange(fn) {
  document.addEventListener('wangge:events-changed', (e) => fn(e.detail));
}
