// 基础数据: the registers of a subtree — 底数 (counts by child), 实有人口 (search), 特殊人群与关爱对象 and
// 数据导入. The scope follows the node selected in the grid tree and can be narrowed by drilling into a
// row of the counts; the cards (person, house, building) open in the drawer.
import { el, replace, byId } from './dom.js';
import { store } from './store.js';
import { forgetCodeTables } from './registers-common.js';
import { closeReveal } from './registers-reveal.js';
import * as counts from './registers-counts.js';
import * as people from './registers-people.js';
import * as roles from './registers-roles.js';
import * as importer from './registers-import.js';

const PARTS = { counts, people, roles, import: importer };
const tabs = [...document.querySelectorAll('#registers-view .reg-tabs .tab')];
const state = { scopes: [], followed: null, part: 'counts', active: false, shown: new Map() };

const scope = () => state.scopes.at(-1)?.code ?? null;

function renderScope() {
  const last = state.scopes.length - 1;
  replace(byId('reg-scope'), el('span', { class: 'muted' }, '范围：'), ...state.scopes.flatMap((s, i) => [
    i === last ? el('strong', { id: 'reg-root', dataset: { code: s.code } }, s.name)
      : el('button', { type: 'button', class: 'crumb', dataset: { code: s.code }, on: { click: () => setScopes(state.scopes.slice(0, i + 1)) } }, s.name),
    i === last ? null : el('span', { class: 'crumb-sep', 'aria-hidden': 'true' }, '›'),
  ]));
}

/** A new scope: the part on show reloads, the others when they are next shown. */
function setScopes(scopes) {
  state.scopes = scopes;
  state.shown.clear();
  renderScope();
  if (state.active) showPart(state.part);
}

/** The counts' row of a child was clicked: narrow the scope to it. */
function drill(row) {
  setScopes([...state.scopes, { code: row.code, name: row.name }]);
}

/** The tree's selection, when it changed since the registers last followed it. */
function follow() {
  const g = store.grid;
  if (g && g.code !== state.followed) {
    state.followed = g.code;
    state.scopes = [...g.ancestors, g].map((n) => ({ code: n.code, name: n.name }));
    state.shown.clear();
  }
  if (!state.scopes.length && store.me) { // opened before the tree selected anything (a reload on #registers)
    const t = store.me.territory;
    state.scopes = [{ code: t.code, name: t.name }];
    state.followed = t.code; // the tree starts there too: selecting it later is no change
  }
  renderScope();
}

async function showPart(name) {
  if (!PARTS[name] || byId(`reg-tab-${name}`).hidden) name = 'counts';
  state.part = name;
  for (const tab of tabs) tab.setAttribute('aria-selected', String(tab.dataset.reg === name));
  for (const key of Object.keys(PARTS)) byId(`reg-${key}`).hidden = key !== name;
  byId('reg-scope').hidden = name === 'import'; // imports name their grids in each row
  const code = scope();
  if (name !== 'import' && state.shown.get(name) === code) return; // the imports list is always fresh
  state.shown.set(name, code);
  await PARTS[name].show({ grid: code, onDrill: drill });
}

for (const tab of tabs) tab.addEventListener('click', () => showPart(tab.dataset.reg));

// Arrow keys move between the sub-tabs (the tablist pattern).
byId('registers-view').querySelector('.reg-tabs').addEventListener('keydown', (e) => {
  if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
  const visible = tabs.filter((t) => !t.hidden);
  const i = visible.indexOf(document.activeElement);
  if (i < 0) return;
  const next = visible[(i + (e.key === 'ArrowRight' ? 1 : visible.length - 1)) % visible.length];
  next.focus();
  showPart(next.dataset.reg);
});

export async function activate() {
  state.active = true;
  byId('reg-tab-import').hidden = !store.me?.permissions?.includes('importRegisters');
  follow();
  await showPart(state.part);
}

export function deactivate() {
  state.active = false; // a running import goes on being followed
}

export function clear() {
  state.active = false;
  state.scopes = [];
  state.followed = null;
  state.part = 'counts';
  state.shown.clear();
  replace(byId('reg-scope'));
  for (const part of Object.values(PARTS)) part.clear();
  closeReveal();
  forgetCodeTables();
}
