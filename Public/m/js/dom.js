// el, replace and byId are shared by the three apps; what follows is this app's own.
import { el, replace, byId } from '/lib/dom.js';

export { el, replace, byId } from '/lib/dom.js';

/** A labelled form field: <div class="field"><label for=id>label</label>control hint</div>. */
export function field(label, control, hint = null) {
  return el('div', { class: 'field' }, el('label', { for: control.id }, label), control,
    hint ? el('p', { class: 'hint' }, hint) : null);
}

/** A message line that can be set, cleared and styled (info / ok / error). */
export function messageLine(id) {
  const node = el('p', { id, class: 'msg', role: 'status', hidden: true });
  node.show = (text, kind = 'info') => {
    node.textContent = text;
    node.className = `msg ${kind}`;
    node.hidden = !text;
  };
  return node;
}

/** A random idempotency key (crypto.randomUUID where available). */
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
