// el, replace and byId are shared by the three apps; what follows is this app's own.
import { el, replace, byId } from '/lib/dom.js';

export { el, replace, byId } from '/lib/dom.js';

/** 12345 → "12,345" in Chinese number formatting. */
export const num = (n) => (typeof n === 'number' ? n.toLocaleString('zh-CN') : '—');

/** How many characters of a code are shared by a node and its subtree, by level. */
export const PREFIX = { city: 4, county: 6, township: 9, community: 12, grid: 15 };

/** The label for "children of a node of this level". */
export const CHILD_LABEL = {
  city: '县(区)',
  county: '乡镇(街道)',
  township: '村(社区)及专属网格',
  community: '网格',
};
