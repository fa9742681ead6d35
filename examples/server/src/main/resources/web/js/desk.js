// Agent desk (/desk.html): the signed-in agent's lobby room (`/room?type=cs_agent`, room `agent/{id}`,
// joined with the login token from the lobby). Shows the agent's state and today's stats, toggles
// Ready / Not ready, rings on `incoming_call` and answers it; on `incoming_accepted` the call page of that
// session opens over the desk, and when the call page reports the end of the call the desk comes back.
//
// This module owns the agent's state in window.cskitDesk (state, stateSince, wantReady, roomState, states,
// cancelled, errors) and turns the room's frames into it; the parts of the page are modules of their own:
//   desk/state.js       the pure logic: ready-again rule, status texts, countdown (unit-tested in Node)
//   desk/status.js      the status card with the toggle, and today's stats
//   desk/ringing.js     the ringing card, countdown, chime and answer buttons
//   desk/call-frame.js  the accepted call's page over the desk
//
// window.cskitDesk (read by tests): {agent, state, stateSince, wantReady, roomState, ringing, countdown,
// ringPlaying, call, stats, states: [{t, state}], incoming: [frames], cancelled: [frames], errors, signedOut}.
// Without a login the desk shows its own sign-in form; a `signed_out` frame (agent disabled, removed or given
// a new password) brings it back.
import '../sdk/mb-room.js';
import { defaultWsUrl } from '../sdk/mb-room.js';
import { CsApi } from '../sdk/api.js';
import { storedAgent, AGENT_KEY } from './lobby.js';
import { $ } from './util.js';
import { callerName, cancelText, readyIntent, reconnectText } from './desk/state.js';
import { createStatus } from './desk/status.js';
import { createRinging } from './desk/ringing.js';
import { createCallFrame } from './desk/call-frame.js';

const WANT_READY_KEY = 'cskit.desk.wantReady';
const STATS_REFRESH_MS = 15000;
const BANNER_MS = 8000;
const LOG_LINES = 30;

const desk = {
  agent: null, state: 'offline', stateSince: null, wantReady: false, roomState: 'idle', ringing: null,
  countdown: null, ringPlaying: false, call: null, stats: null, states: [], incoming: [], cancelled: [], errors: [],
};
window.cskitDesk = desk;

const agent = storedAgent();
desk.agent = agent;
if (!agent) {
  showSignIn();
} else {
  start(agent);
}

// The sign-in form of the desk itself (the lobby has the same one): the login is kept for this tab.
function showSignIn(why) {
  $('desk-signin').hidden = false;
  $('desk-logout').hidden = true;
  for (const id of ['desk-status-card', 'desk-stats-card', 'desk-log-card']) $(id).hidden = true;
  if (why) { $('desk-login-error').textContent = why; $('desk-login-error').hidden = false; }
}
$('desk-login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const id = $('desk-login-id').value.trim();
  $('desk-login-submit').disabled = true;
  try {
    const r = await new CsApi().login(id, $('desk-login-password').value);
    sessionStorage.setItem(AGENT_KEY, JSON.stringify({
      token: r.token, agent_id: r.agent_id || id, agent_name: r.agent_name || id, expires_at: r.expires_at || null,
    }));
    location.reload();
  } catch (err) {
    $('desk-login-error').textContent = 'Sign-in failed: ' + err.message;
    $('desk-login-error').hidden = false;
    $('desk-login-submit').disabled = false;
  }
});

function banner(msg) { $('desk-banner').textContent = msg || ''; $('desk-banner').hidden = !msg; }

function log(text) {
  const li = document.createElement('li');
  const t = document.createElement('time');
  t.textContent = new Date().toLocaleTimeString();
  li.append(t, ' ', text);
  $('desk-log').prepend(li);
  while ($('desk-log').children.length > LOG_LINES) $('desk-log').lastChild.remove();
}

function setWantReady(on) {
  desk.wantReady = on;
  sessionStorage.setItem(WANT_READY_KEY, on ? '1' : '0');
}

function start(agent) {
  const api = new CsApi({ token: agent.token });
  const room = $('desk-room');
  let rejoined = false;
  let wrapTimer = null;

  document.title = `Desk · ${agent.agent_name || agent.agent_id}`;
  $('desk-agent').textContent = `${agent.agent_name || agent.agent_id} (${agent.agent_id})`;
  for (const id of ['desk-status-card', 'desk-stats-card', 'desk-log-card']) $(id).hidden = false;
  desk.wantReady = sessionStorage.getItem(WANT_READY_KEY) === '1';

  const status = createStatus({ desk, room, api, agent, banner, setWantReady });
  const ringing = createRinging({ desk, room, log, banner });
  const callFrame = createCallFrame({ desk, token: agent.token, log,
    onOpened: status.render, onClosed: () => { status.loadStats(); status.render(); } });

  room.setAttribute('ws-url', defaultWsUrl('cs_agent'));
  room.setAttribute('room-id', 'agent/' + agent.agent_id);
  room.setAttribute('user-id', agent.agent_id);
  room.setAttribute('token', agent.token);

  room.addEventListener('connection', (e) => {
    const st = e.detail.state;
    desk.roomState = st;
    $('desk-conn').dataset.state = st;
    $('desk-conn').title = 'Desk connection: ' + st;
    if (st === 'reconnecting') banner(reconnectText(e.detail));
    if (st === 'refused') {
      const err = room.lastError || {};
      if (err.code === 'unauthorized') { sessionStorage.removeItem(AGENT_KEY); banner(`Your sign-in is no longer valid (${err.message}). Sign in again in the lobby.`); }
      else banner(`The desk cannot check in: ${err.message || err.code}`);
    }
    if (st === 'open') rejoined = true; // the join goes out now: the next agent_state answers it
    if (st === 'joined') banner('');
    status.render();
  });
  room.addEventListener('agent_state', (e) => onState(e.detail));
  room.addEventListener('incoming_call', (e) => ringing.show(e.detail));
  room.addEventListener('incoming_cancelled', (e) => {
    desk.cancelled.push(e.detail);
    if (desk.ringing && desk.ringing.session_id === e.detail.session_id) {
      log(`Call from ${callerName(desk.ringing)} ${cancelText(e.detail.reason)}`);
      ringing.clear();
    }
  });
  room.addEventListener('incoming_accepted', (e) => {
    const d = e.detail;
    ringing.clear();
    log(`Accepted ${d.media === 'audio' ? 'audio-only ' : ''}call: ${(d.session && d.session.title) || d.session_id}`);
    callFrame.open(d.session_id, d.media || 'video');
  });
  // The admin disabled or removed this agent, or set a new password: the server took the seat.
  room.addEventListener('signed_out', (e) => {
    desk.signedOut = e.detail;
    room.leave();
    sessionStorage.removeItem(AGENT_KEY);
    sessionStorage.removeItem(WANT_READY_KEY);
    ringing.clear();
    log('Signed out: ' + (e.detail.message || e.detail.reason));
    showSignIn('Signed out by the server: ' + (e.detail.message || e.detail.reason));
  });
  room.addEventListener('error', (e) => {
    const d = e.detail || {};
    desk.errors.push(d);
    if (room.state === 'refused') return; // shown by the connection handler
    banner(d.message || d.code || 'error');
    setTimeout(() => banner(''), BANNER_MS);
    ringing.refused();
  });

  function onState(f) {
    const prev = desk.state;
    desk.state = f.state;
    desk.stateSince = f.since || null;
    desk.states.push({ t: Date.now(), state: f.state });
    const intent = readyIntent({ rejoined, wantReady: desk.wantReady, prev, state: f.state });
    rejoined = false;
    if (intent.sendReady) room.send('agent_ready');
    if (intent.wantReady !== null) setWantReady(intent.wantReady);
    if (intent.missed) log('Missed call: you are set to not ready.');
    // The toggle's text changes when wrap-up is over.
    clearTimeout(wrapTimer);
    if (f.state === 'wrap_up' && f.wrap_up_until) {
      const left = Date.parse(f.wrap_up_until) - Date.now();
      wrapTimer = setTimeout(status.render, Math.max(0, left) + 50);
    }
    if (f.state !== 'ringing' && desk.ringing && !f.ringing_session) ringing.clear();
    if (prev !== f.state) status.loadStats();
    status.render();
  }

  $('desk-logout').addEventListener('click', () => {
    room.leave();
    sessionStorage.removeItem(AGENT_KEY);
    sessionStorage.removeItem(WANT_READY_KEY);
    location.href = '/?role=agent';
  });

  status.loadStats();
  setInterval(status.loadStats, STATS_REFRESH_MS);
  status.render();
  room.connect();
}
