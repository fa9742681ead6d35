// WHIP (RFC 9725) / WHEP offer-answer exchange, non-trickle: the offer is POSTed once ICE gathering
// has completed (or after a short timeout) so it carries every candidate; the server is ICE-lite. ICE restarts
// of the resource (PATCH, RFC 9725 §4.3.2) are in ice.js.

/** An error from a WHIP/WHEP endpoint; `status` is the HTTP status (0 if the server was unreachable). */
export class WhipError extends Error {
  constructor(message, status = 0) {
    super(message);
    this.name = 'WhipError';
    this.status = status;
  }
}

/** Resolves when `pc` has gathered all ICE candidates, or after `timeoutMs`. */
export function waitForIceGathering(pc, timeoutMs = 2000) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      pc.removeEventListener('icecandidate', onCandidate);
      resolve();
    };
    const check = () => { if (pc.iceGatheringState === 'complete') done(); };
    const onCandidate = (e) => { if (!e.candidate) done(); };
    const timer = setTimeout(done, timeoutMs);
    pc.addEventListener('icegatheringstatechange', check);
    pc.addEventListener('icecandidate', onCandidate);
  });
}

/**
 * Creates the offer on `pc`, POSTs it to `url` and applies the answer.
 * Returns `{ location, etag, answer }`: the absolute URL of the WHIP/WHEP session resource (DELETE it when done),
 * its ETag and the SDP answer (what an ICE restart updates).
 */
export async function negotiate(pc, url, token, { gatherTimeoutMs = 2000, signal } = {}) {
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  await waitForIceGathering(pc, gatherTimeoutMs);
  const headers = { 'Content-Type': 'application/sdp', 'Accept': 'application/sdp' };
  if (token) headers['Authorization'] = 'Bearer ' + token;
  let res;
  try {
    res = await fetch(url, { method: 'POST', headers, body: pc.localDescription.sdp, signal, cache: 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new WhipError(`Cannot reach ${url}: ${e.message}`, 0);
  }
  const text = await res.text();
  if (res.status !== 201 && res.status !== 200) {
    let message = text;
    try { const j = JSON.parse(text); if (j && j.message) message = j.message; } catch { /* SDP or plain text */ }
    throw new WhipError(`${new URL(url, location.href).pathname} answered HTTP ${res.status}: ${(message || res.statusText || '').slice(0, 300)}`, res.status);
  }
  if (pc.signalingState === 'closed') throw new WhipError('peer connection closed during negotiation', 0);
  await pc.setRemoteDescription({ type: 'answer', sdp: text });
  const loc = res.headers.get('Location');
  return { location: loc ? new URL(loc, new URL(url, location.href)).href : null, etag: res.headers.get('ETag'),
    answer: text };
}

/**
 * The ICE servers of RFC 9725 §4.6 `Link: <turn:…>; rel="ice-server"; username=…; credential=…` header values
 * (fetch joins repeated headers with ", "), as RTCIceServer objects.
 */
export function parseIceServerLinks(header) {
  const out = [];
  if (!header) return out;
  const re = /<([^>]*)>((?:\s*;\s*[\w-]+\s*=\s*(?:"[^"]*"|[^;,]*))*)/g;
  let m;
  while ((m = re.exec(header))) {
    const params = {};
    for (const p of m[2].matchAll(/;\s*([\w-]+)\s*=\s*(?:"([^"]*)"|([^;,]*))/g)) params[p[1].toLowerCase()] = p[2] ?? p[3].trim();
    if (params.rel !== 'ice-server') continue;
    const server = { urls: m[1] };
    if (params.username !== undefined) { server.username = params.username; server.credential = params.credential; }
    out.push(server);
  }
  return out;
}

/**
 * The RTCConfiguration parts a WHIP/WHEP endpoint hands out before the offer (RFC 9725 §4.6): an OPTIONS of `url`
 * with the party's token; `{iceServers, iceTransportPolicy}`, or `{}` when it has none or cannot be reached.
 */
export async function fetchIceConfig(url, token) {
  const headers = {};
  if (token) headers['Authorization'] = 'Bearer ' + token;
  try {
    const res = await fetch(url, { method: 'OPTIONS', headers, cache: 'no-store' });
    if (!res.ok) return {};
    const iceServers = parseIceServerLinks(res.headers.get('Link'));
    const policy = res.headers.get('Cskit-Ice-Transport-Policy');
    const out = {};
    if (iceServers.length) out.iceServers = iceServers;
    if (policy === 'relay' || policy === 'all') out.iceTransportPolicy = policy;
    return out;
  } catch {
    return {};
  }
}

/** DELETEs a WHIP/WHEP session resource; errors are ignored (the server may already have dropped it). */
export async function deleteResource(locationUrl, token) {
  if (!locationUrl) return;
  const headers = {};
  if (token) headers['Authorization'] = 'Bearer ' + token;
  try { await fetch(locationUrl, { method: 'DELETE', headers, keepalive: true }); } catch { /* ignore */ }
}
