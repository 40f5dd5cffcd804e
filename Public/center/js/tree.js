// The territory tree, expanded lazily level by level.
import { api } from './api.js';
import { el, replace } from './dom.js';

export class GridTree {
  /** @param {HTMLElement} container the <ul role=tree> */
  constructor(container, { onSelect }) {
    this.container = container;
    this.onSelect = onSelect;
    this.nodes = new Map(); // code → { grid, li, row, toggle, list, badge, loaded, loading }
    this.selected = null;
  }

  clear() {
    this.nodes.clear();
    this.selected = null;
    replace(this.container);
  }

  /** Draws the caller's root(s) and opens the first one; returns the root summaries. */
  async load() {
    this.clear();
    const { items } = await api.roots();
    for (const grid of items) this.container.append(this.#node(grid));
    if (items.length) await this.expand(items[0].code);
    return items;
  }

  /** "滨河社区第1网格" under "滨河社区" is shown as "第1网格" (full name in the tooltip). */
  #shortName(grid) {
    const parent = grid.parent && this.nodes.get(grid.parent)?.grid.name;
    return parent && grid.name.length > parent.length && grid.name.startsWith(parent)
      ? grid.name.slice(parent.length) : grid.name;
  }

  #node(grid) {
    const hasChildren = (grid.childCount ?? 0) > 0;
    const toggle = el('button', {
      type: 'button', class: 'tree-toggle', 'aria-label': hasChildren ? `展开${grid.name}` : null,
      'aria-expanded': hasChildren ? 'false' : null, disabled: !hasChildren,
      on: { click: () => this.toggle(grid.code) },
    }, hasChildren ? '▸' : '·');
    const badge = el('span', { class: 'tree-roster' });
    const label = el('button', {
      type: 'button', class: 'tree-label', title: `${grid.name}（${grid.code}）`,
      on: { click: () => this.onSelect(grid.code) },
    },
    el('span', { class: 'tree-name' }, this.#shortName(grid)),
    el('span', { class: `tree-level level-${grid.level}` }, grid.level === 'grid' ? grid.typeLabel : grid.levelLabel),
    badge);
    const row = el('div', { class: 'tree-row' }, toggle, label);
    const list = el('ul', { class: 'tree-children', role: 'group', hidden: true });
    const li = el('li', { class: 'tree-node', role: 'treeitem', dataset: { code: grid.code, level: grid.level } }, row, list);
    this.nodes.set(grid.code, { grid, li, row, toggle, list, badge, loaded: false, loading: null });
    return li;
  }

  /** Opens or closes a node. */
  async toggle(code) {
    const n = this.nodes.get(code);
    if (!n) return;
    if (n.list.hidden) await this.expand(code);
    else this.#setOpen(n, false);
  }

  /** Opens a node, fetching its children the first time. */
  async expand(code) {
    const n = this.nodes.get(code);
    if (!n || !(n.grid.childCount > 0)) return;
    if (!n.loaded) {
      n.loading ??= this.#loadChildren(n).finally(() => { n.loading = null; });
      await n.loading;
    }
    this.#setOpen(n, true);
  }

  #setOpen(n, open) {
    n.list.hidden = !open;
    n.toggle.textContent = open ? '▾' : '▸';
    n.toggle.setAttribute('aria-expanded', String(open));
    n.toggle.setAttribute('aria-label', `${open ? '收起' : '展开'}${n.grid.name}`);
  }

  async #loadChildren(n) {
    replace(n.list, el('li', { class: 'tree-loading muted' }, '加载中…'));
    n.list.hidden = false;
    try {
      const { items } = await api.children(n.grid.code);
      replace(n.list, ...items.map((g) => this.#node(g)));
      n.loaded = true;
      if (items.some((g) => g.level === 'grid')) this.#loadRosters(n.grid.code, items);
    } catch (error) {
      replace(n.list, el('li', { class: 'tree-error' }, error.message));
      throw error;
    }
  }

  /** Adds "一长三员" to the unit grids just listed (one staffing request for the parent). */
  async #loadRosters(parentCode, items) {
    let rows;
    try {
      ({ items: rows } = await api.staffing(parentCode));
    } catch {
      return; // no permission to read rosters: leave the badges empty
    }
    const wanted = new Set(items.map((g) => g.code));
    for (const { grid, roster } of rows) {
      const n = wanted.has(grid.code) && this.nodes.get(grid.code);
      if (!n) continue;
      n.badge.textContent = roster.label;
      n.badge.classList.toggle('warn', !roster.hasLeader || !roster.hasWorker);
    }
  }

  /** Opens the path to a grid (ancestors root first) and highlights it. */
  async reveal(ancestors, grid) {
    for (const a of ancestors) {
      if (!this.nodes.has(a.code)) continue;
      try {
        await this.expand(a.code);
      } catch {
        return;
      }
    }
    this.highlight(grid.code);
    if (grid.childCount > 0) this.expand(grid.code).catch(() => {});
  }

  highlight(code) {
    const previous = this.selected && this.nodes.get(this.selected);
    if (previous) {
      previous.row.classList.remove('selected');
      previous.li.removeAttribute('aria-selected');
    }
    this.selected = code;
    const n = this.nodes.get(code);
    if (!n) return;
    n.row.classList.add('selected');
    n.li.setAttribute('aria-selected', 'true');
    this.#scrollTo(n.row);
  }

  /** Brings a row into view inside the tree panel only (scrollIntoView would also scroll the page). */
  #scrollTo(row) {
    const panel = this.container.closest('.tree-panel');
    if (!panel) return;
    const box = panel.getBoundingClientRect();
    const r = row.getBoundingClientRect();
    if (r.top < box.top + 36) panel.scrollTop -= box.top + 36 - r.top;
    else if (r.bottom > box.bottom) panel.scrollTop += r.bottom - box.bottom;
  }
}
