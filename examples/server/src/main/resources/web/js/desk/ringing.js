// The ringing card: an `incoming_call` shows who calls and why, a countdown to `expires_at` and the looped
// chime; the buttons answer with accept_incoming {session_id, media} or reject_incoming. Writes
// window.cskitDesk's ringing, countdown, ringPlaying and incoming.
import { $ } from '../util.js';
import { callerName, incomingKind, ringCountdown } from './state.js';

const BUTTONS = ['incoming-accept-video', 'incoming-accept-audio', 'incoming-reject'];
const TICK_MS = 250;

export function createRinging({ desk, room, log, banner }) {
  const ring = new Audio('/sounds/chime.mp3');
  ring.loop = true;
  ring.volume = 0.7;
  let countdownTimer = null;

  const enableButtons = (on) => { for (const id of BUTTONS) $(id).disabled = !on; };

  /** Rings for an `incoming_call` frame. */
  function show(f) {
    desk.incoming.push(f);
    desk.ringing = f;
    const s = f.session || {};
    $('incoming-kind').textContent = incomingKind(f);
    $('incoming-customer').textContent = callerName(f);
    $('incoming-title').textContent = s.title || f.session_id;
    $('incoming-description').textContent = s.description || '';
    enableButtons(true);
    $('incoming').hidden = false;
    $('desk').classList.add('is-ringing');
    clearInterval(countdownTimer);
    tick();
    countdownTimer = setInterval(tick, TICK_MS);
    ring.currentTime = 0;
    ring.play().then(() => { desk.ringPlaying = true; }, () => {
      desk.ringPlaying = false;
      log('The browser blocked the ring sound: click anywhere on the desk once to allow it.');
    });
    log(`${f.transfer ? 'Transfer' : 'Call'} ringing: ${callerName(f)} — ${s.title || f.session_id}`);
  }

  function tick() {
    if (!desk.ringing) return;
    const c = ringCountdown(desk.ringing, Date.now());
    desk.countdown = c.seconds;
    $('incoming-countdown').textContent = `${c.seconds} s`;
    $('incoming-bar').style.width = `${c.percent}%`;
  }

  /** Stops ringing and hides the card. */
  function clear() {
    desk.ringing = null;
    desk.countdown = null;
    clearInterval(countdownTimer);
    ring.pause();
    desk.ringPlaying = false;
    $('incoming').hidden = true;
    $('desk').classList.remove('is-ringing');
  }

  function answer(action, media) {
    const f = desk.ringing;
    if (!f) return;
    enableButtons(false);
    ring.pause();
    desk.ringPlaying = false;
    if (!room.send(action, media ? { session_id: f.session_id, media } : { session_id: f.session_id })) {
      banner('Not connected: try again in a moment.');
      enableButtons(true);
      return;
    }
    if (action === 'reject_incoming') { log(`Rejected the call from ${callerName(f)}`); clear(); }
  }

  $('incoming-accept-video').addEventListener('click', () => answer('accept_incoming', 'video'));
  $('incoming-accept-audio').addEventListener('click', () => answer('accept_incoming', 'audio'));
  $('incoming-reject').addEventListener('click', () => answer('reject_incoming'));
  document.addEventListener('pointerdown', () => {
    if (desk.ringing && ring.paused) ring.play().then(() => { desk.ringPlaying = true; }, () => {});
  });

  /** The server refused an answer: the buttons can be used again. */
  const refused = () => enableButtons(true);

  return { show, clear, refused };
}
