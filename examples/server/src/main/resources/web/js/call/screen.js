// Screen share, both ways. This page's share: getDisplayMedia published as a WHIP resource of its own on
// customer-service/{session}/{user}/screen (RFC 9725: one track per kind, no renegotiation of the camera's);
// "Stop sharing", or the browser's own stop (the track's `ended`), DELETEs that resource and nothing else.
// The other party's share: the room frame `screen_share` {user_id, active, stream_path} starts or stops a second
// WHEP player, shown large with the cameras as thumbnails (.call[data-screen=remote]).
// Writes window.cskit's screenShare ({state: idle|starting|sharing, error, track}) and remoteScreen ({userId, state}).
import { $ } from '../util.js';
import { setIcon } from '../icons.js';
import { negotiate, deleteResource } from '../../sdk/whip.js';
import '../../sdk/mb-subscriber.js';
import { whepUrl, whipUrl } from './state.js';

const SCREEN = '/screen';

export function createScreenShare({ cs, opts, banner }) {
  const { sessionId, token } = opts;
  const root = $('call');
  const btn = $('btn-screen');
  const tile = $('screen-tile');
  let share = null; // this page's: {pc, stream, location}
  let player = null; // the other party's: an <mb-subscriber> in the screen tile
  cs.screenShare = { state: 'idle', error: null };
  cs.remoteScreen = null;

  if (!navigator.mediaDevices || !navigator.mediaDevices.getDisplayMedia) {
    btn.disabled = true;
    btn.title = 'This browser cannot share its screen';
  }
  btn.addEventListener('click', () => (share ? stop() : start()));

  /** Asks for a screen, window or tab and publishes it. */
  async function start() {
    if (share || cs.ended || !cs.userId) return;
    let stream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch (e) {
      cs.screenShare = { state: 'idle', error: e.message };
      if (e.name !== 'NotAllowedError') banner(`Screen share: ${e.message}`, 'info');
      return;
    }
    const track = stream.getVideoTracks()[0];
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
    const mine = { pc, stream, location: null };
    share = mine;
    cs.screenShare.track = track; // what a test ends as the browser's own "Stop sharing" would
    track.addEventListener('ended', () => { if (share === mine) stop(); }); // the browser's "Stop sharing"
    render('starting');
    try {
      const { location } = await negotiate(pc, whipUrl(sessionId, cs.userId) + SCREEN, token);
      mine.location = location;
      if (share !== mine) { deleteResource(location, token); return; } // stopped while it was negotiated
      render('sharing');
    } catch (e) {
      cs.screenShare.error = e.message;
      banner(`Sharing your screen failed: ${e.message}`);
      if (share === mine) await stop();
    }
  }

  /** Stops this page's share: DELETE its WHIP resource first (the server tells the other party), then close. */
  async function stop() {
    const s = share;
    share = null;
    if (!s) return;
    cs.screenShare.track = null;
    render('idle');
    s.stream.getTracks().forEach((t) => t.stop());
    if (s.location) await deleteResource(s.location, token);
    s.pc.close();
  }

  function render(state) {
    cs.screenShare = { ...cs.screenShare, state };
    const on = state !== 'idle';
    btn.setAttribute('aria-pressed', String(on));
    btn.querySelector('.ctl-label').textContent = on ? 'Stop sharing' : 'Share screen';
    btn.title = on ? 'Stop sharing your screen' : 'Share your screen';
    setIcon(btn, 'screen');
    $('local-sharing').hidden = state !== 'sharing';
  }

  /** A `screen_share` frame: the other party's share started or stopped. */
  function onFrame(d) {
    if (!d || !d.user_id || d.user_id === cs.userId) return; // our own share, as the server saw it
    if (d.active) show(d.user_id); else hide(d.user_id);
  }

  function show(userId) {
    if (cs.remoteScreen && cs.remoteScreen.userId === userId && player) return;
    hide(cs.remoteScreen && cs.remoteScreen.userId);
    player = document.createElement('mb-subscriber');
    player.id = 'screen-subscriber';
    player.dataset.testid = 'screen-subscriber';
    player.video.muted = true; // a screen has no sound; muted video always autoplays
    player.watchMedia = !cs.held; // a held call sends nothing: no stall to repair
    player.addEventListener('substate', (e) => { if (cs.remoteScreen) cs.remoteScreen.state = e.detail.state; });
    tile.prepend(player);
    tile.hidden = false;
    root.dataset.screen = 'remote';
    cs.remoteScreen = { userId, state: 'connecting' };
    player.play({ url: whepUrl(sessionId, userId) + SCREEN, token });
  }

  /** Removes the other party's screen player (its WHEP resource is DELETEd) and gives the stage back. */
  function hide(userId) {
    if (!cs.remoteScreen || (userId && cs.remoteScreen.userId !== userId)) return;
    const p = player;
    player = null;
    cs.remoteScreen = null;
    delete root.dataset.screen;
    tile.hidden = true;
    if (p) { p.stop(); p.remove(); }
  }

  /** The call ended or this page leaves: both directions stop. */
  function stopAll() {
    hide(null);
    return stop();
  }

  /** The call was held or resumed: the screen player, like the camera's, does not wait for media on hold. */
  function setHeld(held) {
    if (player) player.watchMedia = !held;
  }

  cs.room.addEventListener('screen_share', (e) => onFrame(e.detail));
  return { stop: stopAll, otherLeft: (userId) => hide(userId), setHeld };
}
