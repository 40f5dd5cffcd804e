// Tiny DOM helpers. Text always goes in through textContent, never as HTML.

/** el('li', {class: 'x', dataset: {a: 1}, on: {click: fn}}, 'text', childNode, …) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'on') for (const [event, fn] of Object.entries(value)) node.addEventListener(event, fn);
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

/** Shows `message` in the `.field-error[data-field=…]` inside `scope`; false when there is none. */
export function showFieldError(scope, field, message) {
  const box = field && scope.querySelector(`.field-error[data-field="${CSS.escape(field)}"]`);
  if (!box) return false;
  box.textContent = message;
  box.hidden = false;
  return true;
}

/** Hides every field error inside `scope` (and the form-wide one, when given). */
export function clearErrors(scope, formError = null) {
  for (const box of scope.querySelectorAll('.field-error')) {
    box.hidden = true;
    box.textContent = '';
  }
  if (formError) {
    formError.hidden = true;
    formError.textContent = '';
  }
}

/** Shows an error next to its field, or in `formError` when the field is not on the form. */
export function showError(scope, formError, error) {
  if (showFieldError(scope, error.field, error.message)) return;
  formError.textContent = error.message;
  formError.hidden = false;
}
