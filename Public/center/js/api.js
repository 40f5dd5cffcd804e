// JSON API client. Relies on the HttpOnly session cookie; every request carries the CSRF header.

export class ApiError extends Error {
  constructor(status, code, message, field = null, allowed = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.allowed = allowed;
  }
}

let unauthorizedHandler = null;

/** Called with the ApiError whenever a request (other than a quiet one) answers 401. */
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

export async function request(method, path, body, { quiet401 = false, contentType = null } = {}) {
  const headers = { 'X-Requested-With': 'wangge', Accept: 'application/json, application/geo+json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (contentType) {
    headers['Content-Type'] = contentType; // a raw body (a File), sent as is
    init.body = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试');
  }
  const text = response.status === 204 ? '' : await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const e = data && data.error;
    const error = e
      ? new ApiError(response.status, e.code, e.message, e.field ?? null, e.allowed ?? null)
      : new ApiError(response.status, `http_${response.status}`, `服务器返回错误（${response.status}）`);
    if (response.status === 401 && !quiet401 && unauthorizedHandler) unauthorizedHandler(error);
    throw error;
  }
  return data;
}

const enc = encodeURIComponent;

/** `{a: 1, b: '', c: null}` → `?a=1` (empty values left out). */
export function query(params) {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== '' && v !== false)
    .map(([k, v]) => `${enc(k)}=${enc(v === true ? '1' : v)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

export const api = {
  meta: () => request('GET', '/api/v1/meta', undefined, { quiet401: true }),
  login: (username, password) => request('POST', '/api/v1/auth/login', { username, password }, { quiet401: true }),
  logout: () => request('POST', '/api/v1/auth/logout', undefined, { quiet401: true }),
  me: () => request('GET', '/api/v1/auth/me', undefined, { quiet401: true }),
  roots: () => request('GET', '/api/v1/grids'),
  children: (code) => request('GET', `/api/v1/grids/${enc(code)}/children`),
  grid: (code) => request('GET', `/api/v1/grids/${enc(code)}`),
  map: (code) => request('GET', `/api/v1/grids/${enc(code)}/map`),
  locate: (lat, lon) => request('GET', `/api/v1/grids/locate?lat=${enc(lat)}&lon=${enc(lon)}`),
  outsideNorms: (root) => request('GET', `/api/v1/grids/outside-norms?root=${enc(root)}`),
  staffing: (root, missing) =>
    request('GET', `/api/v1/grids/staffing?root=${enc(root)}${missing ? `&missing=${enc(missing)}` : ''}`),
  departments: () => request('GET', '/api/v1/departments'),
  catalog: () => request('GET', '/api/v1/catalog'),
  events: (params) => request('GET', `/api/v1/events${query(params)}`),
  event: (id) => request('GET', `/api/v1/events/${enc(id)}`),
  act: (id, action, input) => request('POST', `/api/v1/events/${enc(id)}/actions/${enc(action)}`, input),
  report: (draft) => request('POST', '/api/v1/events', draft),
  dispatchMany: (body) => request('POST', '/api/v1/events/dispatch', body),
  stats: (params) => request('GET', `/api/v1/events/stats${query(params)}`),
  attachments: (id) => request('GET', `/api/v1/events/${enc(id)}/attachments`),
  upload: (id, file) => request('POST', `/api/v1/events/${enc(id)}/attachments${query({ filename: file.name })}`, file,
    { contentType: file.type || 'application/octet-stream' }),
  notifications: (params) => request('GET', `/api/v1/notifications${query(params)}`),
  retryNotification: (id) => request('POST', `/api/v1/notifications/${enc(id)}/retry`),
  endpoints: (department) => request('GET', `/api/v1/departments/${enc(department)}/endpoints`),
  setEndpoints: (department, body) => request('PUT', `/api/v1/departments/${enc(department)}/endpoints`, body),
};

/** The address of an uploaded file (for <img src> and links; the session cookie goes along). */
export const attachmentURL = (id) => `/api/v1/attachments/${enc(id)}`;
