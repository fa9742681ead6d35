// The call's media on the page's <mb-publisher> and <mb-subscriber>: capture, then WHIP publishing retried with
// backoff; the WHEP player of the other party, kept across a customer's transfer; the customer's hold music;
// the stats panel (every second); the mic, camera and unmute buttons. Writes window.cskit's capture,
// publishState, publishError, playState, playError, lastStats, lastPublishStats and holdMusicPlaying.
import { $, sleep } from '../util.js';
import { setIcon } from '../icons.js';
import { captureBlocker, mediaStatus, nextPlayer, publishBackoff, statsText, whepUrl, whipUrl } from './state.js';

const HOLD_MUSIC = '/sounds/music.mp3';

/** `onPlayerChange()` is called whenever the player's state changes (the call's state may follow it). */
export function createMedia({ cs, opts, banner, notice, onPlayerChange }) {
  const { publisher, subscriber } = cs;
  const { sessionId, token, audioOnly, role } = opts;
  let playingId = null;
  // Customer only: after call_transferred, until the new agent is in the room, the WHEP player is kept (the
  // server switches it to the new agent's stream), so the customer never reconnects.
  let transferring = false;
  let holdAudio = null;
  let kickPublish = () => {};

  publisher.addEventListener('statechange', (e) => { cs.publishState = e.detail.state; renderStatus(); });
  publisher.addEventListener('icerestarted', (e) => { cs.iceRestarts = (cs.iceRestarts || []).concat(e.detail); });
  subscriber.addEventListener('statechange', (e) => { cs.playState = e.detail.state; renderStatus(); onPlayerChange(); });
  subscriber.addEventListener('substate', () => { renderStatus(); onPlayerChange(); });
  subscriber.addEventListener('retry', (e) => { cs.playError = e.detail.error && e.detail.error.message; renderStatus(); });
  subscriber.addEventListener('autoplayblocked', () => { $('unmute-remote').hidden = false; });
  $('unmute-remote').addEventListener('click', () => {
    subscriber.video.muted = false;
    subscriber.video.play().catch(() => {});
    publisher.resumeAudio();
    $('unmute-remote').hidden = true;
  });

  /** Plays the other party's stream while connecting or connected, and stops it otherwise. */
  function ensurePlaying() {
    const next = nextPlayer({ state: cs.state, remoteId: cs.remoteId, transferring, playingId, subscriberState: subscriber.state });
    if (!next) return;
    playingId = next.play;
    if (!playingId) { if (subscriber.state !== 'idle' && subscriber.state !== 'stopped') subscriber.stop(); return; }
    subscriber.play({ url: whepUrl(sessionId, playingId), token });
  }

  /** The call was transferred to `newId` (customer): keep a running player, which the server switches over. */
  function followTransfer(newId, newIdPresent) {
    if (playingId && subscriber.state !== 'stopped' && subscriber.state !== 'idle') {
      transferring = !newIdPresent;
      playingId = newId;
      if (transferring) subscriber.watchMedia = false;
    } else {
      subscriber.stop();
    }
  }

  /** The other party left the room: stop playing it (ensurePlaying starts again once it is back). */
  function stopPlayer() { subscriber.stop(); }

  /** A user joined the room: if it is the agent a transfer waits for, the player watches its media again. */
  function userJoined(userId) {
    if (transferring && userId === cs.remoteId) { transferring = false; subscriber.watchMedia = !cs.held; }
  }

  /** The call was held or resumed: no media watchdog on hold, and the customer hears hold music instead. */
  function setHeld(held) {
    subscriber.watchMedia = !held;
    if (role === 'customer') {
      if (held) {
        if (!holdAudio) { holdAudio = new Audio(HOLD_MUSIC); holdAudio.loop = true; holdAudio.volume = 0.4; }
        holdAudio.play().catch(() => banner('On hold (tap anywhere to hear the hold music)', 'info'));
        subscriber.video.muted = true;
      } else {
        if (holdAudio) holdAudio.pause();
        subscriber.video.muted = false;
      }
    }
    cs.holdMusicPlaying = !!(holdAudio && !holdAudio.paused && held);
  }
  document.addEventListener('pointerdown', () => {
    if (cs.held && holdAudio && holdAudio.paused && role === 'customer') holdAudio.play().catch(() => {});
  });

  /**
   * Captures the camera and microphone (the preview shows while waiting) and starts the stats panel. Where the
   * browser cannot capture at all (plain HTTP on a name other than localhost), it says so in the banner and on
   * the local tile, and the call goes on receive-only.
   */
  async function capture() {
    const blocked = captureBlocker({ secureContext: window.isSecureContext,
      hasGetUserMedia: !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia), origin: location.origin });
    if (blocked) {
      cs.capture = { audio: false, video: false, error: blocked.text, blocked: blocked.code };
      notice(`${blocked.text}\n${blocked.howTo}`);
      $('local-media').textContent = 'no mic · no camera';
      showBlocked(blocked);
      bindButtons();
      setInterval(pollStats, 1000);
      return;
    }
    const cap = await publisher.startCapture({ audio: true, video: !audioOnly }).catch((e) => ({ audio: false, video: false, error: e.message }));
    cs.capture = cap;
    if (cap.error) banner(`Media devices: ${cap.error}. ${cap.audio || cap.video ? 'Continuing with what is available.' : 'You can still see and hear the other party.'}`, 'info');
    $('local-media').textContent = [cap.audio ? '' : 'no mic', cap.video ? '' : 'no camera'].filter(Boolean).join(' · ');
    $('camera-off-note').hidden = !!cap.video || audioOnly;
    if (audioOnly) { $('btn-camera').disabled = true; $('btn-camera').setAttribute('aria-pressed', 'false'); setIcon($('btn-camera'), 'camera-off'); }
    bindButtons();
    setInterval(pollStats, 1000);
  }

  /** The local tile says why there is no camera, where the preview would be. */
  function showBlocked({ code, title, howTo }) {
    const note = $('camera-off-note');
    const head = document.createElement('strong');
    head.textContent = title;
    const how = document.createElement('span');
    how.className = 'local-off-how';
    how.textContent = howTo;
    note.replaceChildren(head, how);
    note.dataset.reason = code;
    note.classList.add('blocked');
    note.hidden = false;
  }

  /** Publishes as `userId` until the call ends, again whenever the connection fails. */
  async function publish(userId) {
    const url = whipUrl(sessionId, userId);
    let attempt = 0;
    while (!cs.ended) {
      try {
        cs.publishState = 'publishing';
        renderStatus();
        await publisher.startPublish({ url, token });
        cs.publishError = null;
        renderStatus();
        // A failed connection is restarted on the same WHIP resource (ICE restart, same SSRCs, no gap in the
        // room); publish again only when the restarts give up or the connection is closed.
        await new Promise((resolve) => {
          const pc = publisher.pc;
          const check = () => {
            if (cs.ended || publisher.pc !== pc || publisher.iceGaveUp || pc.connectionState === 'closed') {
              pc.removeEventListener('connectionstatechange', check);
              publisher.removeEventListener('icegiveup', check);
              resolve();
            }
          };
          pc.addEventListener('connectionstatechange', check);
          publisher.addEventListener('icegiveup', check);
          check();
        });
        if (cs.ended) return;
        attempt = 0;
        await sleep(1000);
      } catch (e) {
        cs.publishError = e.message;
        cs.publishState = 'retrying';
        renderStatus();
        if (attempt === 2) banner(`Publishing your camera/microphone failed: ${e.message} — retrying.`);
        // Back off, but wake up at once when the call is accepted (a server may refuse WHIP before that).
        await Promise.race([sleep(publishBackoff(attempt++)), new Promise((r) => { kickPublish = r; })]);
      }
    }
  }

  /** Retries a publish that is backing off now (the call was just accepted). */
  function kick() { kickPublish(); }

  function bindButtons() {
    $('btn-mic').addEventListener('click', () => {
      const on = !publisher.micEnabled;
      publisher.setMicEnabled(on);
      $('btn-mic').setAttribute('aria-pressed', String(on));
      setIcon($('btn-mic'), on ? 'mic' : 'mic-off');
    });
    $('btn-camera').addEventListener('click', () => {
      const on = !publisher.cameraEnabled;
      publisher.setCameraEnabled(on);
      $('btn-camera').setAttribute('aria-pressed', String(on));
      setIcon($('btn-camera'), on ? 'camera' : 'camera-off');
      $('camera-off-note').hidden = on && !!publisher.videoTrack;
    });
  }

  async function pollStats() {
    if (cs.ended) return;
    try {
      const st = await subscriber.getStats();
      cs.lastStats = st;
      const out = await publisher.getStats();
      cs.lastPublishStats = out;
      renderStats(st, out);
    } catch { /* a closing peer connection */ }
    renderStatus();
  }

  function renderStats(st, out) {
    const t = statsText(st, out);
    $('stat-bitrate').textContent = t.bitrate;
    $('stat-loss').textContent = t.loss;
    $('stat-jitter').textContent = t.jitter;
    $('stat-rtt').textContent = t.rtt;
    $('stat-video').textContent = t.video;
    $('stat-frames').textContent = t.frames;
    $('stat-audio-level').style.width = t.audioLevel;
    $('stat-out-bitrate').textContent = t.outBitrate;
    $('stat-out-video').textContent = t.outVideo;
    $('remote-media').textContent = t.remote;
  }

  function renderStatus() {
    const s = mediaStatus({ publishError: cs.publishError, publishState: cs.publishState,
      pcState: publisher.pc ? publisher.connectionState : null,
      playerState: subscriber.state, playerConnectionState: subscriber.connectionState });
    $('stat-publish').textContent = s.publish;
    $('stat-publish').title = cs.publishError || '';
    $('stat-play').textContent = s.play;
    $('stat-play').title = subscriber.lastError ? subscriber.lastError.message : '';
  }

  /** Ends all media: the player, the publisher, the hold music. */
  function stop() {
    if (holdAudio) holdAudio.pause();
    subscriber.stop();
    publisher.stop();
  }

  return { capture, publish, ensurePlaying, stopPlayer, followTransfer, userJoined, setHeld, kick, stop };
}
