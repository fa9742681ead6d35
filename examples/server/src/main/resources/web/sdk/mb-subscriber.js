// <mb-subscriber>: plays a remote stream via WHEP (recvonly audio + video) into a <video>.
//
// play({url, token}) retries with capped exponential backoff while the stream does not exist yet
// (WHEP answers 404/409 for a path nobody publishes) or the server is unreachable, until stop().
// A failed or disconnected connection is first restarted on the same WHEP resource (ICE restart, ice.js); a
// watchdog re-plays when the restarts give up or media stops arriving (the publisher left and came back, or
// the call was transferred and the page pointed it at a new url).
//
// Events: "playing" ({location}), "retry" ({attempt, delay, error}), "stalled" ({reason}),
// "statechange" ({state}), "track" ({track}).

import { negotiate, deleteResource, fetchIceConfig } from './whip.js';
import { IceRestarter } from './ice.js';

export class MbSubscriber extends HTMLElement {
  constructor() {
    super();
    this.pc = null;
    this.location = null;
    this.url = null;
    this.token = null;
    this.state = 'idle'; // idle | connecting | retrying | playing | stopped
    this.lastError = null;
    this.attempt = 0;
    this.minBackoffMs = 500;
    this.maxBackoffMs = 5000;
    this.stallTimeoutMs = 8000;
    this.autoReplay = true;
    /** When false the "no media received" check is skipped (e.g. while the call is on hold). */
    this.watchMedia = true;
    this.stream = null;
    this._gen = 0;
    this._retryTimer = null;
    this._watchTimer = null;
    this._last = null;
    this._lastProgress = 0;
    this._video = document.createElement('video');
    this._video.autoplay = true;
    this._video.playsInline = true;
    this._video.setAttribute('playsinline', '');
    this._video.setAttribute('part', 'video');
  }

  connectedCallback() {
    if (!this._video.isConnected) this.appendChild(this._video);
  }

  get video() { return this._video; }
  get connectionState() { return this.pc ? this.pc.connectionState : 'new'; }

  /** Starts playing `url` (replacing any current playback); resolves once the first attempt settles. */
  async play({ url, token } = {}) {
    if (!url) throw new Error('play needs {url}');
    await this._teardown();
    this.url = url;
    this.token = token || null;
    this.attempt = 0;
    const gen = ++this._gen;
    return this._attempt(gen);
  }

  async _attempt(gen) {
    if (gen !== this._gen) return;
    this._setState(this.attempt ? 'retrying' : 'connecting');
    // The server's STUN/TURN servers and relay policy come before the peer connection (RFC 9725 §4.6).
    const ice = await fetchIceConfig(this.url, this.token);
    if (gen !== this._gen) return;
    this.iceConfig = ice;
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', ...ice });
    this.pc = pc;
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.addTransceiver('video', { direction: 'recvonly' });
    const stream = new MediaStream();
    this.stream = stream;
    pc.addEventListener('track', (e) => {
      stream.addTrack(e.track);
      if (this._video.srcObject !== stream) this._video.srcObject = stream;
      this._video.play().catch(() => {
        // Autoplay with sound blocked: play muted and let the page offer to unmute.
        this._video.muted = true;
        this._video.play().catch(() => {});
        this.dispatchEvent(new CustomEvent('autoplayblocked'));
      });
      this.dispatchEvent(new CustomEvent('track', { detail: { track: e.track } }));
    });
    pc.addEventListener('connectionstatechange', () => {
      if (this.pc !== pc) return;
      this.dispatchEvent(new CustomEvent('statechange', { detail: { state: pc.connectionState } }));
    });
    try {
      const resource = await negotiate(pc, this.url, this.token);
      const { location } = resource;
      if (gen !== this._gen) { pc.close(); if (location) deleteResource(location, this.token); return; }
      this.location = location;
      if (this._ice) this._ice.stop();
      this._ice = new IceRestarter(pc, resource, this.token, {
        onRestart: (detail) => this.dispatchEvent(new CustomEvent('icerestarted', { detail })),
        onGiveUp: () => this._stalled(gen, 'connection failed'),
      });
      this.lastError = null;
      this.attempt = 0;
      this._lastProgress = performance.now();
      this._last = null;
      this._setState('playing');
      this.dispatchEvent(new CustomEvent('playing', { detail: { location } }));
      this._startWatchdog(gen);
    } catch (error) {
      pc.close();
      if (this.pc === pc) this.pc = null;
      if (gen !== this._gen) return;
      this.lastError = error;
      const fatal = error.status === 401 || error.status === 403 || error.status === 400;
      const delay = Math.min(this.maxBackoffMs, this.minBackoffMs * 2 ** this.attempt) * (fatal ? 4 : 1);
      this.attempt++;
      this._setState('retrying');
      this.dispatchEvent(new CustomEvent('retry', { detail: { attempt: this.attempt, delay, error } }));
      clearTimeout(this._retryTimer);
      this._retryTimer = setTimeout(() => this._attempt(gen), delay);
    }
  }

  _startWatchdog(gen) {
    clearInterval(this._watchTimer);
    this._watchTimer = setInterval(async () => {
      if (gen !== this._gen || !this.pc) return;
      let bytes = 0;
      try {
        const r = await this.pc.getStats();
        r.forEach((s) => { if (s.type === 'inbound-rtp') bytes += s.bytesReceived || 0; });
      } catch { return; }
      const now = performance.now();
      if (this._watchBytes === undefined || bytes > this._watchBytes) this._lastProgress = now;
      this._watchBytes = bytes;
      if (!this.watchMedia || (this._ice && (this._ice.busy || this._ice._timer))) { this._lastProgress = now; return; }
      if (now - this._lastProgress > this.stallTimeoutMs) {
        // No media and the ICE path is down: an ICE restart on the same resource first; play anew only when the
        // path is up and nothing comes (the publisher left) or the restarts gave up.
        const ice = this.pc.connectionState;
        if (this._ice && !this._ice.stopped && (ice === 'disconnected' || ice === 'failed')) {
          this._lastProgress = now;
          this._ice.trigger('no media');
          return;
        }
        this._stalled(gen, 'no media received');
      }
    }, 2000);
  }

  _stalled(gen, reason) {
    if (gen !== this._gen) return;
    this.dispatchEvent(new CustomEvent('stalled', { detail: { reason } }));
    if (!this.autoReplay || !this.url) return;
    this.replay();
  }

  /** Tears down the current playback and plays the same url again (with retries). */
  replay() {
    if (!this.url) return Promise.resolve();
    return this.play({ url: this.url, token: this.token });
  }

  _setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.toggleAttribute('playing', state === 'playing');
    this.dispatchEvent(new CustomEvent('substate', { detail: { state } }));
  }

  async _teardown() {
    this._gen++;
    clearTimeout(this._retryTimer);
    clearInterval(this._watchTimer);
    this._watchBytes = undefined;
    if (this._ice) { this._ice.stop(); this._ice = null; }
    const pc = this.pc;
    const loc = this.location;
    this.pc = null;
    this.location = null;
    this._last = null;
    if (pc) pc.close();
    if (loc) await deleteResource(loc, this.token);
  }

  /** Stops playback (DELETEs the WHEP resource) and stops retrying. */
  async stop() {
    await this._teardown();
    this._video.srcObject = null;
    this.stream = null;
    this._setState('stopped');
  }

  /**
   * Inbound stats: {bitrate (kbps, audio+video), videoBitrate, audioBitrate, packetsLost, packetsReceived,
   * lossPercent, jitter (ms), rtt (ms), framesDecoded, framesDropped, fps, frameWidth, frameHeight,
   * audioLevel (0..1), connectionState}; null when not connected.
   */
  async getStats() {
    if (!this.pc) return null;
    const report = await this.pc.getStats();
    const now = performance.now();
    const out = { bitrate: 0, videoBitrate: 0, audioBitrate: 0, packetsLost: 0, packetsReceived: 0,
      lossPercent: 0, jitter: 0, rtt: null, framesDecoded: 0, framesDropped: 0, fps: 0, frameWidth: 0,
      frameHeight: 0, audioLevel: 0, bytesReceived: 0, connectionState: this.pc.connectionState };
    let vBytes = 0, aBytes = 0;
    report.forEach((s) => {
      if (s.type === 'inbound-rtp') {
        out.packetsLost += Math.max(0, s.packetsLost || 0);
        out.packetsReceived += s.packetsReceived || 0;
        out.jitter = Math.max(out.jitter, Math.round((s.jitter || 0) * 1000));
        if (s.kind === 'video') {
          vBytes += s.bytesReceived || 0;
          out.framesDecoded = s.framesDecoded || 0;
          out.framesDropped = s.framesDropped || 0;
          out.fps = s.framesPerSecond || 0;
          out.frameWidth = s.frameWidth || 0;
          out.frameHeight = s.frameHeight || 0;
        } else if (s.kind === 'audio') {
          aBytes += s.bytesReceived || 0;
          if (typeof s.audioLevel === 'number') out.audioLevel = s.audioLevel;
        }
      } else if (s.type === 'candidate-pair' && (s.nominated || s.selected) && s.state === 'succeeded') {
        if (s.currentRoundTripTime !== undefined) out.rtt = Math.round(s.currentRoundTripTime * 1000);
      }
    });
    out.bytesReceived = vBytes + aBytes;
    const total = out.packetsLost + out.packetsReceived;
    out.lossPercent = total ? Math.round((out.packetsLost / total) * 1000) / 10 : 0;
    if (this._last && now > this._last.t) {
      const dt = now - this._last.t;
      out.videoBitrate = Math.max(0, Math.round(((vBytes - this._last.v) * 8) / dt));
      out.audioBitrate = Math.max(0, Math.round(((aBytes - this._last.a) * 8) / dt));
      out.bitrate = out.videoBitrate + out.audioBitrate;
    }
    this._last = { t: now, v: vBytes, a: aBytes };
    return out;
  }
}

if (!customElements.get('mb-subscriber')) customElements.define('mb-subscriber', MbSubscriber);
