// The public JSON API (no account, no cookie). Errors come as {"error":{code,message,field}}.

export class ApiError extends Error {
  constructor(status, code, message, field = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

const BASE = '/api/v1/public';
const enc = encodeURIComponent;

async function request(method, path, { json, body, contentType, headers = {} } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'omit', cache: 'no-store' };
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(json);
  } else if (body !== undefined) {
    init.headers['Content-Type'] = contentType;
    init.body = body;
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', '网络不通，请检查网络后重试');
  }
  const text = response.status === 204 ? '' : await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const e = data && data.error;
    if (e) throw new ApiError(response.status, e.code, e.message, e.field ?? null);
    const message = response.status === 429 ? '操作太频繁，请稍后再试' : `服务器暂时无法处理（${response.status}），请稍后重试`;
    throw new ApiError(response.status, `http_${response.status}`, message);
  }
  return data;
}

/** A random UUID; crypto.randomUUID exists only on secure pages (https, localhost). */
export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const api = {
  meta: () => request('GET', '/api/v1/meta'),
  catalog: () => request('GET', `${BASE}/catalog`),
  sendCode: (phone) => request('POST', `${BASE}/phone-codes`, { json: { phone } }),
  report: (draft, key) => request('POST', `${BASE}/reports`, { json: draft, headers: { 'Idempotency-Key': key } }),
  photo: (tracking, blob, key) => request('POST', `${BASE}/reports/${enc(tracking)}/photos`,
    { body: blob, contentType: 'image/jpeg', headers: { 'Idempotency-Key': key } }),
  lookup: (tracking) => request('GET', `${BASE}/reports/${enc(tracking)}`),
  rate: (tracking, satisfaction) => request('POST', `${BASE}/reports/${enc(tracking)}/rating`, { json: { satisfaction } }),
  nearby: (lat, lon) => request('GET', `${BASE}/nearby?lat=${enc(lat)}&lon=${enc(lon)}`),
};
