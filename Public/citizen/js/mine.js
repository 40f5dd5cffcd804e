// The tracking numbers reported from this phone, kept only in this browser (localStorage).
const KEY = 'wangge.citizen.reports';
const MAX = 20;

export function list() {
  try {
    const items = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(items) ? items.filter((x) => x && typeof x.trackingNumber === 'string') : [];
  } catch {
    return [];
  }
}

export function remember(entry) {
  const items = [entry, ...list().filter((x) => x.trackingNumber !== entry.trackingNumber)].slice(0, MAX);
  try {
    localStorage.setItem(KEY, JSON.stringify(items));
  } catch {
    // private mode or full storage: the number is still on the screen
  }
}

export function forget() {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // nothing to do
  }
}
