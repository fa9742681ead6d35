// ICE restart over WHIP/WHEP PATCH (RFC 9725 §4.3.2, fragments per RFC 8840): the WHIP/WHEP resource, its DTLS
// association, SRTP and SSRCs stay; only the ICE credentials change. IceRestarter restarts when the connection
// fails, stays disconnected for a while, the network comes back (`online`), or the page calls pc.restartIce();
// with capped backoff, and gives up (the caller then republishes) after a few attempts.
import { WhipError, waitForIceGathering } from './whip.js';

/** Media type of a trickle ICE fragment (RFC 8840 §9). */
export const SDPFRAG = 'application/trickle-ice-sdpfrag';

function lines(sdp) { return sdp.split(/\r?\n/).filter((l) => l.length); }

/**
 * The trickle fragment of a local description: its ICE credentials, its first m= line (the BUNDLE transport)
 * with that section's mid and candidates, and end-of-candidates when `complete`.
 */
export function iceFragment(sdp, complete = true) {
  let ufrag = null, pwd = null, mline = null, mid = null;
  const candidates = [];
  let section = 0;
  for (const l of lines(sdp)) {
    if (l.startsWith('m=')) { section++; if (section === 1) mline = l; continue; }
    if (section > 1) continue;
    if (l.startsWith('a=ice-ufrag:')) ufrag = ufrag || l.slice(12);
    else if (l.startsWith('a=ice-pwd:')) pwd = pwd || l.slice(10);
    else if (section === 1 && l.startsWith('a=mid:')) mid = l.slice(6);
    else if (section === 1 && l.startsWith('a=candidate:')) candidates.push(l);
  }
  if (!ufrag || !pwd || !mline || mid === null) throw new Error('the local description has no ICE credentials or m= line');
  const out = [`a=ice-ufrag:${ufrag}`, `a=ice-pwd:${pwd}`, mline, `a=mid:${mid}`, ...candidates];
  if (complete) out.push('a=end-of-candidates');
  return out.join('\r\n') + '\r\n';
}

/** `sdp` with every a=ice-ufrag / a=ice-pwd replaced (one BUNDLE transport: every section has the same). */
export function withIceCredentials(sdp, ufrag, pwd) {
  return sdp.replace(/^a=ice-ufrag:.*$/gm, `a=ice-ufrag:${ufrag}`).replace(/^a=ice-pwd:.*$/gm, `a=ice-pwd:${pwd}`);
}

/** The ice-ufrag and ice-pwd of a fragment or description (the first of each). */
export function iceCredentials(sdp) {
  const u = /^a=ice-ufrag:(.+?)\r?$/m.exec(sdp);
  const p = /^a=ice-pwd:(.+?)\r?$/m.exec(sdp);
  return u && p ? { ufrag: u[1], pwd: p[1] } : null;
}

/**
 * One ICE restart of `pc` on `resource` ({location, etag, answer}, as negotiate() returns it): a new offer with
 * new credentials, PATCHed with If-Match "*", and the server's new credentials applied to the last answer.
 * Updates resource.etag and resource.answer. Throws a WhipError (after rolling the offer back) on failure.
 */
export async function restartIce(pc, resource, token, { gatherTimeoutMs = 2000 } = {}) {
  if (!resource || !resource.location || !resource.answer) throw new WhipError('nothing to restart: no resource', 0);
  const offer = await pc.createOffer({ iceRestart: true });
  await pc.setLocalDescription(offer);
  await waitForIceGathering(pc, gatherTimeoutMs);
  const headers = { 'Content-Type': SDPFRAG, 'If-Match': '*' };
  if (token) headers['Authorization'] = 'Bearer ' + token;
  let res, text;
  try {
    res = await fetch(resource.location, { method: 'PATCH', headers, body: iceFragment(pc.localDescription.sdp,
      pc.iceGatheringState === 'complete'), cache: 'no-store' });
    text = await res.text();
  } catch (e) {
    await rollback(pc);
    throw new WhipError(`Cannot reach ${resource.location}: ${e.message}`, 0);
  }
  const creds = res.status === 200 ? iceCredentials(text) : null;
  if (!creds) {
    await rollback(pc);
    let message = text;
    try { const j = JSON.parse(text); if (j && j.message) message = j.message; } catch { /* plain text */ }
    throw new WhipError(`ICE restart answered HTTP ${res.status}: ${(message || '').slice(0, 300)}`, res.status);
  }
  if (pc.signalingState === 'closed') throw new WhipError('peer connection closed during the ICE restart', 0);
  const answer = withIceCredentials(resource.answer, creds.ufrag, creds.pwd);
  await pc.setRemoteDescription({ type: 'answer', sdp: answer });
  resource.answer = answer;
  resource.etag = res.headers.get('ETag') || resource.etag;
  return resource;
}

async function rollback(pc) {
  if (pc.signalingState === 'have-local-offer') {
    try { await pc.setLocalDescription({ type: 'rollback' }); } catch { /* closed meanwhile */ }
  }
}

/**
 * Keeps `pc` connected to its WHIP/WHEP `resource` with ICE restarts.
 * The defaults (3 attempts, 1-2 s apart, 6 s each to connect) end within the server's 30 s consent timeout. `onGiveUp(error)` is called once when
 * `maxAttempts` restarts in a row did not bring the connection back (or the resource is gone): republish then.
 * `onRestart({ms, attempt})` after each restart that connected again, with the time since the trouble began.
 */
export class IceRestarter {
  constructor(pc, resource, token, { onGiveUp = () => {}, onRestart = () => {}, maxAttempts = 3, baseDelayMs = 1000,
    maxDelayMs = 8000, disconnectedGraceMs = 2500, connectTimeoutMs = 6000 } = {}) {
    Object.assign(this, { pc, resource, token, onGiveUp, onRestart, maxAttempts, baseDelayMs, maxDelayMs,
      disconnectedGraceMs, connectTimeoutMs });
    this.attempt = 0;
    this.restarts = 0;
    this.busy = false;
    this.stopped = false;
    this._troubleSince = 0;
    this._timer = null;
    this._graceTimer = null;
    this._onState = () => this._state();
    this._onOnline = () => this.trigger('online');
    this._onNegotiation = () => { if (!this.busy && pc.signalingState === 'stable') this.trigger('restartIce'); };
    pc.addEventListener('connectionstatechange', this._onState);
    pc.addEventListener('negotiationneeded', this._onNegotiation);
    window.addEventListener('online', this._onOnline);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this._timer);
    clearTimeout(this._graceTimer);
    this.pc.removeEventListener('connectionstatechange', this._onState);
    this.pc.removeEventListener('negotiationneeded', this._onNegotiation);
    window.removeEventListener('online', this._onOnline);
  }

  _state() {
    const s = this.pc.connectionState;
    if (s === 'connected') {
      clearTimeout(this._graceTimer);
      if (this._troubleSince && !this.busy) this._recovered();
    } else if (s === 'failed') {
      this.trigger('failed');
    } else if (s === 'disconnected') {
      clearTimeout(this._graceTimer);
      if (!this._troubleSince) this._troubleSince = performance.now();
      this._graceTimer = setTimeout(() => {
        if (this.pc.connectionState === 'disconnected') this.trigger('disconnected');
      }, this.disconnectedGraceMs);
    }
  }

  _recovered() {
    const ms = Math.round(performance.now() - this._troubleSince);
    this._troubleSince = 0;
    if (this.attempt > 0) this.onRestart({ ms, attempt: this.attempt });
    this.attempt = 0;
  }

  /** Restarts ICE now (or after the backoff of the attempt in progress); `reason` is for the log. */
  trigger(reason) {
    if (this.stopped || this.busy || this._timer) return;
    if (!this._troubleSince) this._troubleSince = performance.now();
    if (!navigator.onLine) return; // `online` triggers again
    const delay = this.attempt === 0 ? 0 : Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (this.attempt - 1));
    this._timer = setTimeout(() => { this._timer = null; this._run(reason); }, delay);
  }

  async _run(reason) {
    if (this.stopped || this.pc.signalingState === 'closed') return;
    this.busy = true;
    this.attempt++;
    this.lastReason = reason;
    try {
      await restartIce(this.pc, this.resource, this.token);
      this.restarts++;
      await this._connected();
    } catch (e) {
      this.lastError = e;
      if (e.status === 404 || e.status === 401 || e.status === 403) { this.busy = false; this._giveUp(e); return; }
    } finally {
      this.busy = false;
    }
    if (this.stopped) return;
    if (this.pc.connectionState === 'connected') { this._recovered(); return; }
    if (this.attempt >= this.maxAttempts) { this._giveUp(this.lastError || new WhipError('ICE restarts did not reconnect', 0)); return; }
    this.trigger(reason);
  }

  _connected() {
    return new Promise((resolve) => {
      const done = () => { clearTimeout(t); this.pc.removeEventListener('connectionstatechange', check); resolve(); };
      const check = () => { if (this.pc.connectionState === 'connected' || this.pc.connectionState === 'closed') done(); };
      const t = setTimeout(done, this.connectTimeoutMs);
      this.pc.addEventListener('connectionstatechange', check);
      check();
    });
  }

  _giveUp(error) {
    if (this.stopped) return;
    this.stop();
    this.onGiveUp(error);
  }
}
