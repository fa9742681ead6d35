// <mb-publisher>: local capture, audio mixing and WHIP publishing.
//
// Audio path (as in the product description): one AudioContext; microphone → GainNode (mic volume)
// → one MediaStreamAudioDestinationNode; each mixAudio(id, url, volume) source is an
// HTMLAudioElement (loop) → MediaElementAudioSourceNode → GainNode(volume) → the same destination.
// The destination's audio track is what is published, installed on the audio RTCRtpSender with
// replaceTrack, so mixing never renegotiates. The camera track is published as is.
//
// The connection is kept with ICE restarts on the same WHIP resource (ice.js): when it fails, stays
// disconnected, the network comes back, or pc.restartIce() is called.
//
// Events: "capture" ({audio, video, error?}), "publishing" ({location}), "statechange"
// ({state}: RTCPeerConnection connectionState), "publisherror" ({error}), "icerestarted" ({ms, attempt}),
// "icegiveup" ({error}): ICE restarts did not bring the connection back; publish again.

import { negotiate, deleteResource, fetchIceConfig } from './whip.js';
import { IceRestarter } from './ice.js';

export class MbPublisher extends HTMLElement {
  constructor() {
    super();
    this.stream = null;          // raw capture stream (mic + camera)
    this.previewStream = null;   // camera only, shown muted in the preview
    this.pc = null;
    this.location = null;
    this.micEnabled = true;
    this.cameraEnabled = true;
    this.micVolume = 1;
    this.captureError = null;
    this._ctx = null;
    this._dest = null;
    this._micSource = null;
    this._micGain = null;
    this._mixes = new Map();
    this._token = null;
    this._video = document.createElement('video');
    this._video.muted = true;
    this._video.autoplay = true;
    this._video.playsInline = true;
    this._video.setAttribute('playsinline', '');
    this._video.setAttribute('part', 'video');
  }

  connectedCallback() {
    if (!this._video.isConnected) this.appendChild(this._video);
  }

  /** The <video> element showing the local camera preview. */
  get video() { return this._video; }
  get audioContext() { return this._ctx; }
  get videoTrack() { return this.stream ? this.stream.getVideoTracks()[0] || null : null; }
  /** The track that is (or will be) published: the mixer's destination track. */
  get audioTrack() { return this._dest ? this._dest.stream.getAudioTracks()[0] || null : null; }
  get mixes() { return [...this._mixes.keys()]; }

  /**
   * getUserMedia + local preview + mixer set-up. With `fallback` (default true) a failed request for
   * audio+video falls back to audio only, then video only, then no device (the mixer still publishes);
   * the result says what was captured: {audio, video, error}.
   */
  async startCapture({ audio = true, video = true, fallback = true } = {}) {
    this._stopCaptureTracks();
    const attempts = [{ audio, video }];
    if (fallback && audio && video) attempts.push({ audio: true, video: false }, { audio: false, video: true });
    let stream = null;
    let firstError = null;
    for (const c of attempts) {
      if (!c.audio && !c.video) continue;
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          audio: c.audio ? { echoCancellation: true, noiseSuppression: true } : false,
          video: c.video ? { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 24 } } : false,
        });
        break;
      } catch (e) {
        firstError = firstError || e;
      }
    }
    if (!stream && !fallback && firstError) throw firstError;
    this.stream = stream || new MediaStream();
    this.captureError = stream ? (firstError && (firstError.message || firstError.name)) || null
      : firstError ? describeMediaError(firstError) : null;

    this._ensureMixer();
    const mic = this.stream.getAudioTracks()[0];
    if (mic) {
      this._micSource = this._ctx.createMediaStreamSource(new MediaStream([mic]));
      this._micSource.connect(this._micGain);
    }
    this._applyMicGain();
    const cam = this.videoTrack;
    if (cam) cam.enabled = this.cameraEnabled;
    this.previewStream = new MediaStream(cam ? [cam] : []);
    this._video.srcObject = this.previewStream;
    this._video.play().catch(() => {});
    this.toggleAttribute('no-video', !cam);

    if (this.pc) await this._installTracks();
    const result = { audio: !!mic, video: !!cam, error: this.captureError };
    this.dispatchEvent(new CustomEvent('capture', { detail: result }));
    return result;
  }

  _ensureMixer() {
    if (this._ctx) return;
    const Ctx = window.AudioContext || window.webkitAudioContext;
    this._ctx = new Ctx();
    this._dest = this._ctx.createMediaStreamDestination();
    this._micGain = this._ctx.createGain();
    this._micGain.connect(this._dest);
    this.resumeAudio();
    // Autoplay policy: a context created without a user gesture may start suspended.
    const resume = () => this.resumeAudio();
    document.addEventListener('pointerdown', resume, { capture: true });
    document.addEventListener('keydown', resume, { capture: true });
  }

  /** Resumes the AudioContext (needed after autoplay blocking); safe to call any time. */
  resumeAudio() {
    if (this._ctx && this._ctx.state === 'suspended') this._ctx.resume().catch(() => {});
  }

  /** Publishes via WHIP: sendonly audio (mixer output) + video (camera). */
  async startPublish({ url, token } = {}) {
    if (!url) throw new Error('startPublish needs {url}');
    if (!this._ctx) await this.startCapture({ audio: true, video: true });
    await this.stopPublish();
    this._token = token || null;
    // The server's STUN/TURN servers and relay policy come before the peer connection (RFC 9725 §4.6).
    const ice = await fetchIceConfig(url, token);
    this.iceConfig = ice;
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', ...ice });
    this.pc = pc;
    const streams = [new MediaStream()];
    this._audioTx = pc.addTransceiver('audio', { direction: 'sendonly', streams });
    this._videoTx = pc.addTransceiver('video', { direction: 'sendonly', streams });
    await this._installTracks();
    pc.addEventListener('connectionstatechange', () => {
      this.dispatchEvent(new CustomEvent('statechange', { detail: { state: pc.connectionState } }));
    });
    try {
      const resource = await negotiate(pc, url, token);
      const { location } = resource;
      if (this.pc !== pc) return null;
      this.location = location;
      this.iceGaveUp = false;
      this._ice = new IceRestarter(pc, resource, token, {
        onRestart: (detail) => this.dispatchEvent(new CustomEvent('icerestarted', { detail })),
        onGiveUp: (error) => {
          if (this.pc !== pc) return;
          this.iceGaveUp = true;
          this.dispatchEvent(new CustomEvent('icegiveup', { detail: { error } }));
        },
      });
      this.dispatchEvent(new CustomEvent('publishing', { detail: { location } }));
      return location;
    } catch (error) {
      if (this.pc === pc) { pc.close(); this.pc = null; }
      this.dispatchEvent(new CustomEvent('publisherror', { detail: { error } }));
      throw error;
    }
  }

  async _installTracks() {
    if (!this._audioTx || !this._videoTx) return;
    await this._audioTx.sender.replaceTrack(this.audioTrack);
    await this._videoTx.sender.replaceTrack(this.videoTrack);
  }

  get connectionState() { return this.pc ? this.pc.connectionState : 'new'; }

  /** ICE restarts that reconnected on the current WHIP resource. */
  get iceRestarts() { return this._ice ? this._ice.restarts : 0; }

  /** Mutes/unmutes the microphone at its GainNode (mixed sounds keep flowing). */
  setMicEnabled(enabled) {
    this.micEnabled = !!enabled;
    this._applyMicGain();
    this.toggleAttribute('mic-off', !this.micEnabled);
  }

  /** Sets the microphone volume 0..1 (the mic GainNode). */
  setMicVolume(v) {
    this.micVolume = clamp01(v);
    this._applyMicGain();
  }

  _applyMicGain() {
    if (!this._micGain) return;
    this._micGain.gain.setTargetAtTime(this.micEnabled ? this.micVolume : 0, this._ctx.currentTime, 0.01);
    const mic = this.stream && this.stream.getAudioTracks()[0];
    if (mic) mic.enabled = this.micEnabled;
  }

  /** Enables/disables the camera track (the receiver gets black frames while off). */
  setCameraEnabled(enabled) {
    this.cameraEnabled = !!enabled;
    const cam = this.videoTrack;
    if (cam) cam.enabled = this.cameraEnabled;
    this.toggleAttribute('camera-off', !this.cameraEnabled);
  }

  /**
   * Mixes a looping audio file into the published audio at `volume` (0..1). With `monitor` > 0 the
   * local user also hears it at that level. Resolves when playback starts.
   */
  async mixAudio(id, url, volume = 0.5, { loop = true, monitor = 0 } = {}) {
    this._ensureMixer();
    this.unmixAudio(id);
    const el = new Audio();
    el.src = url;
    el.loop = loop;
    el.crossOrigin = 'anonymous';
    const source = this._ctx.createMediaElementSource(el);
    const gain = this._ctx.createGain();
    gain.gain.value = clamp01(volume);
    source.connect(gain);
    gain.connect(this._dest);
    let monitorGain = null;
    if (monitor > 0) {
      monitorGain = this._ctx.createGain();
      monitorGain.gain.value = clamp01(monitor);
      gain.connect(monitorGain);
      monitorGain.connect(this._ctx.destination);
    }
    const mix = { id, url, el, source, gain, monitorGain, volume: clamp01(volume) };
    this._mixes.set(id, mix);
    el.addEventListener('ended', () => { if (this._mixes.get(id) === mix) this.unmixAudio(id); });
    this.resumeAudio();
    await el.play();
    return mix;
  }

  /** Sets the volume (0..1) of a mixed source. */
  setMixVolume(id, v) {
    const mix = this._mixes.get(id);
    if (!mix) return false;
    mix.volume = clamp01(v);
    mix.gain.gain.setTargetAtTime(mix.volume, this._ctx.currentTime, 0.01);
    return true;
  }

  /** Stops and removes a mixed source. */
  unmixAudio(id) {
    const mix = this._mixes.get(id);
    if (!mix) return false;
    this._mixes.delete(id);
    try { mix.el.pause(); } catch { /* ignore */ }
    mix.el.removeAttribute('src');
    try { mix.source.disconnect(); mix.gain.disconnect(); if (mix.monitorGain) mix.monitorGain.disconnect(); } catch { /* ignore */ }
    return true;
  }

  /** Outbound stats: {bitrate (kbps), packetsSent, framesEncoded, rtt (ms), …}. */
  async getStats() {
    if (!this.pc) return null;
    const report = await this.pc.getStats();
    const now = performance.now();
    let bytes = 0, packetsSent = 0, framesEncoded = 0, frameWidth = 0, frameHeight = 0, fps = 0, rtt = null;
    report.forEach((s) => {
      if (s.type === 'outbound-rtp') {
        bytes += s.bytesSent || 0;
        packetsSent += s.packetsSent || 0;
        if (s.kind === 'video') {
          framesEncoded = s.framesEncoded || 0;
          frameWidth = s.frameWidth || 0;
          frameHeight = s.frameHeight || 0;
          fps = s.framesPerSecond || 0;
        }
      } else if (s.type === 'candidate-pair' && (s.nominated || s.selected) && s.state === 'succeeded') {
        if (s.currentRoundTripTime !== undefined) rtt = Math.round(s.currentRoundTripTime * 1000);
      }
    });
    let bitrate = 0;
    if (this._lastStats && now > this._lastStats.t) {
      bitrate = Math.max(0, Math.round(((bytes - this._lastStats.bytes) * 8) / (now - this._lastStats.t)));
    }
    this._lastStats = { t: now, bytes };
    return { bitrate, bytesSent: bytes, packetsSent, framesEncoded, frameWidth, frameHeight, fps, rtt,
      connectionState: this.pc.connectionState };
  }

  /** Stops publishing (DELETEs the WHIP resource) but keeps the capture. */
  async stopPublish() {
    const pc = this.pc;
    const loc = this.location;
    this.pc = null;
    this.location = null;
    this._audioTx = this._videoTx = null;
    this._lastStats = null;
    if (this._ice) { this._ice.stop(); this._ice = null; }
    if (pc) pc.close();
    if (loc) await deleteResource(loc, this._token);
  }

  _stopCaptureTracks() {
    if (this._micSource) { try { this._micSource.disconnect(); } catch { /* ignore */ } this._micSource = null; }
    if (this.stream) this.stream.getTracks().forEach((t) => t.stop());
    this.stream = null;
  }

  /** Stops publishing, every mixed source and the capture; closes the AudioContext. */
  async stop() {
    await this.stopPublish();
    for (const id of [...this._mixes.keys()]) this.unmixAudio(id);
    this._stopCaptureTracks();
    this._video.srcObject = null;
    if (this._ctx) { this._ctx.close().catch(() => {}); this._ctx = null; this._dest = null; this._micGain = null; }
  }
}

function clamp01(v) {
  const n = Number(v);
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}

function describeMediaError(e) {
  if (!e) return null;
  if (e.name === 'NotAllowedError') return 'Camera/microphone permission was denied';
  if (e.name === 'NotFoundError') return 'No camera or microphone found';
  if (e.name === 'NotReadableError') return 'Camera or microphone is in use by another application';
  if (!window.isSecureContext) return 'Camera/microphone need HTTPS or localhost';
  return e.message || e.name || String(e);
}

if (!customElements.get('mb-publisher')) customElements.define('mb-publisher', MbPublisher);
