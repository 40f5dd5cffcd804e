// Formats shared by the three parts of the page.
import { el } from './dom.js';

const pad = (n) => String(n).padStart(2, '0');

/** Unix seconds (or an ISO text) → "2026-11-22 10:05" in local time. */
export function time(value) {
  if (value === null || value === undefined || value === '') return '—';
  const d = new Date(typeof value === 'number' ? value * 1000 : value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** What a citizen types for a tracking number: upper case, no spaces or dashes. */
export const normalizeTracking = (text) => text.toUpperCase().replace(/[\s\-_]/g, '');

/** The tracking number in groups of four (easy to read out); copying the text gives it whole. */
export function trackingNode(number, cls = 'tracking-number') {
  const groups = number.match(/.{1,4}/g) ?? [number];
  return el('span', { class: cls, dataset: { tracking: number } }, groups.map((g) => el('span', { class: 'tn-group' }, g)));
}

/** Metres between two points (haversine), for "约 350 米". */
export function distance(a, b) {
  const r = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(h));
}

export function metres(m) {
  if (m < 1000) return `约 ${Math.max(10, Math.round(m / 10) * 10)} 米`;
  return `约 ${(m / 1000).toFixed(1)} 公里`;
}

/** Open problems in amber, finished ones in grey; anything else in blue. */
export function statusClass(label) {
  if (/办结|评价/.test(label ?? '')) return 'st-done';
  if (/不予受理|并单/.test(label ?? '')) return 'st-other';
  return 'st-open';
}
