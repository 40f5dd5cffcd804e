// Whom an event can be dispatched or copied to: the departments and the centers on its grid's path.
import { api } from './api.js';
import { el } from './dom.js';
import { levelRank } from './format.js';
import { catalog, departments } from './store.js';

/** "3d" → "3个工作日", "4h" → "4个工作小时". */
export function deadlineSpec(spec) {
  const m = /^(\d+)([dh])$/.exec(spec ?? '');
  if (!m) return spec ?? '';
  return `${m[1]}${m[2] === 'd' ? '个工作日' : '个工作小时'}`;
}

/**
 * <optgroup>s for the `to` select of `action` (dispatch or copy) on `event`:
 * the departments whose kind the catalog names for the item first, then the other departments,
 * then the centers of the nodes between the holder and the event's grid (for dispatch: strictly
 * below the holder; for copy: any of them but the holder).
 */
export async function targetGroups(event, action) {
  const [list, c, path] = await Promise.all([
    departments().catch(() => []), catalog(), api.grid(event.grid).catch(() => null),
  ]);
  const kinds = new Set(c.item.get(event.itemCode)?.departments ?? []);
  const option = (d) => el('option', { value: `department:${d.id}` }, `${d.name}（${d.kindLabel}）`);
  const responsible = list.filter((d) => kinds.has(d.kind));
  const others = list.filter((d) => !kinds.has(d.kind));

  const holder = event.holder.unit.startsWith('center:') ? event.holder.unit.slice('center:'.length) : null;
  const nodes = path ? [...path.ancestors, path.grid] : [];
  const holderNode = nodes.find((n) => n.code === holder);
  const centers = nodes.filter((n) => {
    if (n.code === holder) return false;
    if (action !== 'dispatch') return true;
    return holderNode ? levelRank(n.level) > levelRank(holderNode.level) : false;
  });
  const centerLabel = (n) => (n.level === 'grid' ? `${n.name}（网格长）` : `${n.name}（${n.levelLabel}）`);

  return [
    responsible.length && el('optgroup', { label: '责任部门' }, ...responsible.map(option)),
    others.length && el('optgroup', { label: responsible.length ? '其他职能部门' : '职能部门' }, ...others.map(option)),
    centers.length && el('optgroup', { label: action === 'dispatch' ? '下级单位' : '各级中心' },
      ...centers.map((n) => el('option', { value: `center:${n.code}` }, centerLabel(n)))),
  ].filter(Boolean);
}
