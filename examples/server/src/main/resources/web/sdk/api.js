// cskit REST API wrapper. Every response is an envelope {"code":0,"data":…} or
// {"code":N,"message":"…"}; this module turns it into the data or a thrown ApiError.

/** An error from the cskit HTTP API (or from reaching it at all). */
export class ApiError extends Error {
  constructor(message, { status = 0, code = 0, body = null } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

/**
 * Small client for `/customer-service`. `token` is sent as `Authorization: Bearer <token>` when set
 * (admin token for the dashboard, link or login token for the call page); pass `{token}` per call to
 * override it.
 */
export class CsApi {
  constructor({ base = '/customer-service', token = '' } = {}) {
    this.base = base.replace(/\/$/, '');
    this.token = token;
  }

  async request(method, path, body, { token, raw = false } = {}) {
    const headers = {};
    const bearer = token !== undefined ? token : this.token;
    if (bearer) headers['Authorization'] = 'Bearer ' + bearer;
    // A FormData body goes as multipart/form-data: the browser writes the Content-Type with its boundary.
    const form = typeof FormData !== 'undefined' && body instanceof FormData;
    if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetch(this.base + path, {
        method,
        headers,
        body: body === undefined || form ? body : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch (e) {
      throw new ApiError(`Cannot reach the cskit server (${method} ${path}): ${e.message}`);
    }
    if (raw) {
      if (!res.ok) throw await errorFrom(res, method, path);
      return res;
    }
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: reported below */ }
    if (!json || typeof json !== 'object') {
      throw new ApiError(
        `${method} ${path} answered HTTP ${res.status} ${res.statusText || ''} without a JSON envelope` +
          (res.status === 404 ? ' — is the cskit server running behind this page?' : ''),
        { status: res.status });
    }
    if (json.code !== 0 || !res.ok) {
      throw new ApiError(json.message || `${method} ${path} failed with HTTP ${res.status}`,
        { status: res.status, code: json.code, body: json });
    }
    return json.data !== undefined ? json.data : json;
  }

  // Sessions
  listSessions({ status, q, page, page_size, sort, order } = {}) {
    const p = new URLSearchParams();
    if (status) p.set('status', status);
    if (q) p.set('q', q);
    if (sort) p.set('sort', sort);
    if (order) p.set('order', order);
    if (page) p.set('page', String(page));
    if (page_size) p.set('page_size', String(page_size));
    const qs = p.toString();
    return this.request('GET', '/sessions' + (qs ? '?' + qs : ''));
  }
  getSession(id, opts) { return this.request('GET', '/sessions/' + enc(id), undefined, opts); }
  createSession({ title, customer_name, description }) {
    const body = { title, customer_name };
    if (description) body.description = description;
    return this.request('POST', '/sessions', body);
  }
  closeSession(id) { return this.request('DELETE', '/sessions/' + enc(id)); }
  assign(id, agent_id, agent_name) {
    return this.request('POST', `/sessions/${enc(id)}/assign`, { agent_id, agent_name });
  }
  transfer(id, to_agent_id, to_agent_name) {
    return this.request('POST', `/sessions/${enc(id)}/transfer`, { to_agent_id, to_agent_name });
  }
  links(id) { return this.request('GET', `/sessions/${enc(id)}/links`); }
  qrUrl(id, role) { return `${this.base}/sessions/${enc(id)}/qr?role=${enc(role)}`; }
  /** Fetches the QR PNG (with the bearer token) and returns an object URL for an <img>. */
  async qrObjectUrl(id, role) {
    const res = await this.request('GET', `/sessions/${enc(id)}/qr?role=${enc(role)}`, undefined, { raw: true });
    return URL.createObjectURL(await res.blob());
  }
  // Files in a call's chat: the party's token (or admin). An upload resolves to {id, name, size, content_type, url}
  // and the other party gets a `chat` frame with it as `file`.
  uploadFile(id, file, opts) {
    const form = new FormData();
    form.append('file', file, file.name || 'file');
    return this.request('POST', `/sessions/${enc(id)}/files`, form, opts);
  }
  listFiles(id, opts) { return this.request('GET', `/sessions/${enc(id)}/files`, undefined, opts); }
  /** The file's content as a Blob (the bearer token in a header, never in the URL). */
  async fileBlob(id, fileId, opts = {}) {
    const res = await this.request('GET', `/sessions/${enc(id)}/files/${enc(fileId)}`, undefined, { ...opts, raw: true });
    return res.blob();
  }
  /** `{enabled, active, recorded, consent_notice}`: with an admin token, or a party's token of that session. */
  recording(id, opts) { return this.request('GET', `/sessions/${enc(id)}/recording`, undefined, opts); }
  /** Admin: `setRecording(id, false)` turns the session's recording off (for good). */
  setRecording(id, enabled) { return this.request('POST', `/sessions/${enc(id)}/recording`, { enabled }); }
  rate(id, stars, comment, customerToken) {
    return this.request('POST', `/sessions/${enc(id)}/rating`, { stars, comment }, { token: customerToken });
  }

  // Agents, stats, rooms
  login(agent_id, password) {
    return this.request('POST', '/agents/login', { agent_id, password }, { token: '' });
  }
  agents() { return this.request('GET', '/agents'); }
  stats() { return this.request('GET', '/stats'); }
  rooms() { return this.request('GET', '/rooms'); }
}

async function errorFrom(res, method, path) {
  let message = `${method} ${path} failed with HTTP ${res.status}`;
  try {
    const json = JSON.parse(await res.text());
    if (json && json.message) message = json.message;
  } catch { /* keep the generic message */ }
  return new ApiError(message, { status: res.status });
}

function enc(s) { return encodeURIComponent(s); }

export default CsApi;
