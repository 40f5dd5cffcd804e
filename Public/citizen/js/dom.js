// el, replace and byId are shared by the three apps; what follows is this app's own.
import { el, replace, byId } from '/lib/dom.js';

export { el, replace, byId } from '/lib/dom.js';

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
