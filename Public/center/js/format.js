// Labels, colours and formats of events, shared by the queue, the inbox, the map and the charts.
import { el } from './dom.js';

export const STATUS = {
  reported: { label: '已上报', color: '#d97706' },
  accepted: { label: '已受理', color: '#7c3aed' },
  dispatched: { label: '已派遣', color: '#2563eb' },
  signed: { label: '已签收', color: '#0891b2' },
  handled: { label: '已处置', color: '#16a34a' },
  closed: { label: '已办结', color: '#475569' },
  evaluated: { label: '已评价', color: '#64748b' },
  rejected: { label: '不予受理', color: '#b91c1c' },
  merged: { label: '已并单', color: '#94a3b8' },
};
export const OPEN_STATUSES = ['reported', 'accepted', 'dispatched', 'signed', 'handled'];

export const SOURCE = {
  grid_app: '网格员APP', citizen: '群众随手拍', hotline_12345: '12345热线', police_110: '110非警务转办',
  city_management: '数字城管', iot: '物联感知', pc: 'PC录入', visit: '走访', open311: 'Open311接口',
};
/** The channels a center may enter an event for (citizens and Open311 have their own doors). */
export const CENTER_SOURCES = ['pc', 'hotline_12345', 'police_110', 'city_management', 'iot', 'visit', 'grid_app'];

export const LEVEL = {
  city: '市级', county: '县级', township: '乡镇(街道)', community: '村(社区)', grid: '网格', department: '职能部门',
};
const LEVEL_ORDER = ['city', 'county', 'township', 'community', 'grid'];
export const levelRank = (level) => LEVEL_ORDER.indexOf(level);

const pad = (n) => String(n).padStart(2, '0');

/** Unix seconds → "2026-11-22 10:05" (local time); '—' when absent. */
export function time(sec) {
  if (sec === null || sec === undefined) return '—';
  const d = new Date(sec * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A rate 0…1 → "95.2%"; '—' when there is nothing to divide. */
export const pct = (rate) => (typeof rate === 'number' ? `${(rate * 100).toFixed(1)}%` : '—');

/** "2026-11-22" (an <input type=date>) → unix seconds at the start (or the end) of that local day. */
export function dayToSeconds(value, endOfDay = false) {
  if (!value) return null;
  const d = new Date(`${value}T00:00:00`);
  if (Number.isNaN(d.getTime())) return null;
  if (endOfDay) d.setDate(d.getDate() + 1);
  return Math.floor(d.getTime() / 1000) - (endOfDay ? 1 : 0);
}

/** An <input type=datetime-local> value → unix seconds. */
export function localToSeconds(value) {
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? null : Math.floor(t / 1000);
}

/** Unix seconds → an <input type=datetime-local> value. */
export function secondsToLocal(sec) {
  const d = new Date(sec * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function statusTag(status, label) {
  return el('span', { class: `status st-${status}`, dataset: { status } }, label ?? STATUS[status]?.label ?? status);
}

/** The deadline, red with 超期 when overdue. */
export function deadlineText(e) {
  if (e.deadline === null || e.deadline === undefined) return el('span', { class: 'muted' }, '—');
  return el('span', { class: e.overdue ? 'deadline overdue' : 'deadline' }, time(e.deadline), e.overdue ? ' 超期' : null);
}
