// JSON API client: the session cookie, the CSRF header, idempotency keys, and the last answers kept for offline.
import { idb } from './db.js';

export class ApiError extends Error {
  constructor(status, code, message, field = null, fields = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    /** Every rejected field of a form: [{field, message}]. */
    this.fields = fields;
  }

  /** No answer at all: offline, or the server is unreachable. */
  get offline() { return this.status === 0; }
}

let unauthorized = () => {};
let account = '';

/** `fn(error)` runs whenever a request answers 401 (the session is gone). */
export function onUnauthorized(fn) { unauthorized = fn; }

/** Cached answers are kept per account. */
export function setAccount(id) { account = id ? String(id) : ''; }

/**
 * One request. `body` is JSON-encoded unless `type` is given (then sent as is, e.g. a JPEG Blob);
 * a string `body` with no `type` is taken as JSON already encoded. `key` sets Idempotency-Key.
 * With `withStatus`, answers `{status, data}` (201 created / 200 updated) instead of the data alone.
 */
export async function request(method, path, { body, type, key, quiet401 = false, withStatus = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-Requested-With'] = 'wangge';
  if (key) headers['Idempotency-Key'] = key;
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = type || 'application/json';
    init.body = type || typeof body === 'string' ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', '网络不可用');
  }
  let data = null;
  try {
    data = response.status === 204 ? null : await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const e = data && data.error;
    const error = e ? new ApiError(response.status, e.code, e.message, e.field ?? null, Array.isArray(e.fields) ? e.fields : [])
      : new ApiError(response.status, `http_${response.status}`, `服务器返回错误（${response.status}）`);
    if (response.status === 401 && !quiet401) unauthorized(error);
    throw error;
  }
  return withStatus ? { status: response.status, data } : data;
}

/**
 * A GET whose answer is kept on the phone: offline (or with the server unreachable) the last
 * answer comes back instead, as `{data, stale: true, at}`. Fresh answers are `{data, stale: false}`.
 */
export async function cachedGet(path) {
  const k = `${account}:${path}`;
  try {
    const data = await request('GET', path);
    idb.put('cache', { k, data, at: Date.now() }).catch(() => {});
    return { data, stale: false, at: Date.now() };
  } catch (error) {
    if (!error.offline) throw error;
    const hit = await idb.get('cache', k).catch(() => null);
    if (!hit) throw error;
    return { data: hit.data, stale: true, at: hit.at };
  }
}

/** The cached answer for `path`, without asking the server (null when none). */
export async function peekCache(path) {
  const hit = await idb.get('cache', `${account}:${path}`).catch(() => null);
  return hit ? hit.data : null;
}

const enc = encodeURIComponent;

export const api = {
  login: (username, password) => request('POST', '/api/v1/auth/login', { body: { username, password }, quiet401: true }),
  logout: () => request('POST', '/api/v1/auth/logout', { quiet401: true }),
  me: () => request('GET', '/api/v1/auth/me', { quiet401: true }),
  locate: (lat, lon) => request('GET', `/api/v1/grids/locate?lat=${enc(lat)}&lon=${enc(lon)}`),
  attachments: (id) => request('GET', `/api/v1/events/${enc(id)}/attachments`),
};

export const attachmentURL = (id) => `/api/v1/attachments/${enc(id)}`;
