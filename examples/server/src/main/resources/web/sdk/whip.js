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

/** DELETEs a WHIP/WHEP session resource; errors are ignored (the server may already have dropped it). */
export async function deleteResource(locationUrl, token) {
  if (!locationUrl) return;
  const headers = {};
  if (token) headers['Authorization'] = 'Bearer ' + token;
  try { await fetch(locationUrl, { method: 'DELETE', headers, keepalive: true }); } catch { /* ignore */ }
}
