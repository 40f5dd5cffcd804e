// JSON API client. Relies on the HttpOnly session cookie; every request carries the CSRF header.

export class ApiError extends Error {
  constructor(status, code, message, field = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

let unauthorizedHandler = null;

/** Called with the ApiError whenever a request (other than a quiet one) answers 401. */
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

async function request(method, path, body, { quiet401 = false } = {}) {
  const headers = { 'X-Requested-With': 'wangge', Accept: 'application/json, application/geo+json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
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
      ? new ApiError(response.status, e.code, e.message, e.field ?? null)
      : new ApiError(response.status, `http_${response.status}`, `服务器返回错误（${response.status}）`);
    if (response.status === 401 && !quiet401 && unauthorizedHandler) unauthorizedHandler(error);
    throw error;
  }
  return data;
}

const enc = encodeURIComponent;

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
};
