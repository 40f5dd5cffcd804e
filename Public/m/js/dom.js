// Tiny DOM helpers. Text always goes in through textContent, never as HTML.

/** el('li', {class: 'x', dataset: {id}, on: {click: fn}}, 'text', childNode, …) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'on') for (const [event, fn] of Object.entries(value)) node.addEventListener(event, fn);
    else if (key === 'text') node.textContent = value;
    else if (key === 'value') node.value = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of `node`. */
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

export const byId = (id) => document.getElementById(id);

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
