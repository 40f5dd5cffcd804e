// What the 基础数据 pages share: the registers' API calls, the code tables, paging and small formats.
import { request, query } from './api.js';
import { el, byId } from './dom.js';

const enc = encodeURIComponent;

export const regApi = {
  counts: (grid) => request('GET', `/api/v1/registers/counts${query({ grid })}`),
  people: (params) => request('GET', `/api/v1/people${query(params)}`),
  person: (id) => request('GET', `/api/v1/people/${enc(id)}`),
  reveal: (id, field, reason) => request('POST', `/api/v1/people/${enc(id)}/reveal`, { field, reason }),
  house: (id) => request('GET', `/api/v1/houses/${enc(id)}`),
  building: (id) => request('GET', `/api/v1/buildings/${enc(id)}`),
  roles: (params) => request('GET', `/api/v1/population-roles${query(params)}`),
  codeTables: () => request('GET', '/api/v1/code-tables'),
  sheets: () => request('GET', '/api/v1/registers/sheets'),
  imports: () => request('GET', '/api/v1/registers/imports'),
  importJob: (id) => request('GET', `/api/v1/registers/imports/${enc(id)}`),
  startImport: (sheet, mode, file) => request('POST',
    `/api/v1/registers/imports${query({ sheet, mode, filename: file.name })}`, file,
    { contentType: file.type || 'application/octet-stream' }),
};

/** A link the API gave (a template, an error report), kept only when it points into the API. */
export const apiLink = (url) => (typeof url === 'string' && url.startsWith('/api/v1/') ? url : null);

/** The printable QR door plate of a house (same origin: the page's CSP allows it as an image). */
export const plateURL = (id) => `/api/v1/houses/${enc(id)}/plate.svg`;

let tables = null;

/** /code-tables once per login: {tables, roleKinds, kind: Map key → roleKind}. */
export function codeTables() {
  tables ??= regApi.codeTables()
    .then((t) => ({ ...t, kind: new Map(t.roleKinds.map((k) => [k.key, k])) }))
    .catch((error) => { tables = null; throw error; });
  return tables;
}

/** At logout: the next account loads its own. */
export function forgetCodeTables() {
  tables = null;
}

export const PAGE_SIZE = 50;

/**
 * The paging of a list whose label and buttons are `${prefix}-page`, `-prev` and `-next`: the
 * buttons move `state.offset` by a page and call `load`. Returns what shows an answer's page
 * ("第 2/5 页，共 230 人") and enables the buttons; with no answer, it clears the label.
 */
export function pager(prefix, state, load, unit = '人') {
  const [label, prev, next] = ['page', 'prev', 'next'].map((part) => byId(`${prefix}-${part}`));
  prev.addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - PAGE_SIZE);
    load();
  });
  next.addEventListener('click', () => {
    state.offset += PAGE_SIZE;
    load();
  });
  return (answer) => {
    if (!answer) {
      label.textContent = '';
      return;
    }
    const { total, offset, limit } = answer;
    const pages = Math.max(1, Math.ceil(total / limit));
    const page = Math.floor(offset / limit) + 1;
    label.textContent = `第 ${page}/${pages} 页，共 ${total.toLocaleString('zh-CN')} ${unit}`;
    prev.disabled = page <= 1;
    next.disabled = page >= pages;
  };
}

/** A table body with one line of text across all columns. */
export function messageRow(columns, text, error = false) {
  return el('tr', { class: 'empty' }, el('td', { colspan: columns, class: error ? 'error' : 'muted' }, text));
}

/** A masked number as the API gives it ('—' when absent). */
export function maskedText(value) {
  return value ? el('span', { class: 'masked' }, value) : el('span', { class: 'muted' }, '—');
}

/** The kind of a person (户籍/流动/境外) as a coloured tag. */
export function kindTag(person) {
  return el('span', { class: `tag pk-${person.kind}` }, person.labels?.kind ?? person.kind);
}

/** 关注程度 01 高 / 02 中 / 03 低 as a coloured tag. */
export function attentionTag(role) {
  return el('span', { class: `tag att-${role.attention}` }, role.attentionLabel ?? role.attention);
}

/** A link-like button. */
export function linkButton(text, onClick, attrs = {}) {
  return el('button', { type: 'button', class: 'link', ...attrs, on: { click: onClick } }, text);
}

/** "2019-08-07 至 2020-03-12", "2019-08-07 起" or '—'. */
export function period(from, to) {
  if (from && to) return `${from} 至 ${to}`;
  if (from) return `${from} 起`;
  if (to) return `至 ${to}`;
  return '—';
}
