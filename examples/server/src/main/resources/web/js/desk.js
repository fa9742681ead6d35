// Agent desk (/desk.html): the signed-in agent's lobby room (`/room?type=cs_agent`, room `agent/{id}`,
// joined with the login token from the lobby). Shows the agent's state and today's stats, toggles
// Ready / Not ready, rings on `incoming_call` (card, countdown to `expires_at`, chime) and answers with
// accept_incoming {session_id, media} or reject_incoming. On `incoming_accepted` the call page of that
// session opens over the desk, in this tab (an iframe, so the desk keeps its seat and the agent stays
// checked in: the server then moves it busy → wrap_up → ready by itself); when the call page reports
// the end of the call the desk comes back.
//
// window.cskitDesk (read by tests): {agent, state, stateSince, wantReady, roomState, ringing, countdown,
// ringPlaying, call, stats, states: [{t, state}], incoming: [frames], cancelled: [frames], errors}.
import '../sdk/mb-room.js';
import { defaultWsUrl } from '../sdk/mb-room.js';
import { CsApi } from '../sdk/api.js';
import { storedAgent, AGENT_KEY } from './lobby.js';
import { $, fmtDuration } from './util.js';

const WANT_READY_KEY = 'cskit.desk.wantReady';
const STATE_LABELS = {
  offline: 'Offline', online: 'Online · not ready', ready: 'Ready', ringing: 'Ringing', busy: 'In a call', wrap_up: 'Wrap-up',
};

const desk = {
  agent: null, state: 'offline', stateSince: null, wantReady: false, roomState: 'idle', ringing: null,
  countdown: null, ringPlaying: false, call: null, stats: null, states: [], incoming: [], cancelled: [], errors: [],
};
window.cskitDesk = desk;

const agent = storedAgent();
desk.agent = agent;
if (!agent) {
  $('desk-signin').hidden = false;
  $('desk-logout').hidden = true;
} else {
  start(agent);
}

function start(agent) {
  const api = new CsApi({ token: agent.token });
  const room = $('desk-room');
  const ring = new Audio('/sounds/chime.mp3');
  ring.loop = true;
  ring.volume = 0.7;
  let countdownTimer = null;
  let rejoined = false;
  let wrapTimer = null;

  document.title = `Desk · ${agent.agent_name || agent.agent_id}`;
  $('desk-agent').textContent = `${agent.agent_name || agent.agent_id} (${agent.agent_id})`;
  for (const id of ['desk-status-card', 'desk-stats-card', 'desk-log-card']) $(id).hidden = false;
  desk.wantReady = sessionStorage.getItem(WANT_READY_KEY) === '1';

  function banner(msg) { $('desk-banner').textContent = msg || ''; $('desk-banner').hidden = !msg; }
  function log(text) {
    const li = document.createElement('li');
    const t = document.createElement('time');
    t.textContent = new Date().toLocaleTimeString();
    li.append(t, ' ', text);
    $('desk-log').prepend(li);
    while ($('desk-log').children.length > 30) $('desk-log').lastChild.remove();
  }
  function setWantReady(on) {
    desk.wantReady = on;
    sessionStorage.setItem(WANT_READY_KEY, on ? '1' : '0');
  }

  // ------------------------------------------------------------ room
  room.setAttribute('ws-url', defaultWsUrl('cs_agent'));
  room.setAttribute('room-id', 'agent/' + agent.agent_id);
  room.setAttribute('user-id', agent.agent_id);
  room.setAttribute('token', agent.token);

  room.addEventListener('connection', (e) => {
    const st = e.detail.state;
    desk.roomState = st;
    $('desk-conn').dataset.state = st;
    $('desk-conn').title = 'Desk connection: ' + st;
    if (st === 'reconnecting') banner(`Connection lost — reconnecting (attempt ${e.detail.attempt}, in ${Math.round((e.detail.delay || 0) / 100) / 10} s)…`);
    if (st === 'refused') {
      const err = room.lastError || {};
      if (err.code === 'unauthorized') { sessionStorage.removeItem(AGENT_KEY); banner(`Your sign-in is no longer valid (${err.message}). Sign in again in the lobby.`); }
      else banner(`The desk cannot check in: ${err.message || err.code}`);
    }
    if (st === 'open') rejoined = true; // the join goes out now: the next agent_state answers it
    if (st === 'joined') banner('');
    render();
  });
  room.addEventListener('agent_state', (e) => onState(e.detail));
  room.addEventListener('incoming_call', (e) => onIncoming(e.detail));
  room.addEventListener('incoming_cancelled', (e) => {
    desk.cancelled.push(e.detail);
    if (desk.ringing && desk.ringing.session_id === e.detail.session_id) {
      log(`Call from ${callerName(desk.ringing)} ${cancelText(e.detail.reason)}`);
      clearRinging();
    }
  });
  room.addEventListener('incoming_accepted', (e) => {
    const d = e.detail;
    clearRinging();
    log(`Accepted ${d.media === 'audio' ? 'audio-only ' : ''}call: ${(d.session && d.session.title) || d.session_id}`);
    openCall(d.session_id, d.media || 'video');
  });
  room.addEventListener('error', (e) => {
    const d = e.detail || {};
    desk.errors.push(d);
    if (room.state === 'refused') return; // shown by the connection handler
    banner(d.message || d.code || 'error');
    setTimeout(() => banner(''), 8000);
    for (const id of ['incoming-accept-video', 'incoming-accept-audio', 'incoming-reject']) $(id).disabled = false;
  });

  function onState(f) {
    const prev = desk.state;
    desk.state = f.state;
    desk.stateSince = f.since || null;
    desk.states.push({ t: Date.now(), state: f.state });
    // Right after a (re)join the server has forgotten that we were ready (a lost seat is "not ready"):
    // ask for it again. Otherwise the server's word is the truth (a missed ring makes the agent not ready).
    if (rejoined) {
      rejoined = false;
      if (desk.wantReady && f.state === 'online') room.send('agent_ready');
    } else if (f.state === 'ready') {
      setWantReady(true);
    } else if (f.state === 'online' && (prev === 'ready' || prev === 'ringing')) {
      setWantReady(false);
      if (prev === 'ringing') log('Missed call: you are set to not ready.');
    }
    clearTimeout(wrapTimer);
    if (f.state === 'wrap_up' && f.wrap_up_until) {
      const left = Date.parse(f.wrap_up_until) - Date.now();
      wrapTimer = setTimeout(render, Math.max(0, left) + 50);
    }
    if (f.state !== 'ringing' && desk.ringing && !f.ringing_session) clearRinging();
    if (prev !== f.state) loadStats();
    render();
  }

  // ------------------------------------------------------------ ringing
  function onIncoming(f) {
    desk.incoming.push(f);
    desk.ringing = f;
    const s = f.session || {};
    $('incoming-kind').textContent = f.transfer ? `Transfer from ${f.from_agent_id || 'another agent'}` : 'Incoming call';
    $('incoming-customer').textContent = callerName(f);
    $('incoming-title').textContent = s.title || f.session_id;
    $('incoming-description').textContent = s.description || '';
    for (const id of ['incoming-accept-video', 'incoming-accept-audio', 'incoming-reject']) $(id).disabled = false;
    $('incoming').hidden = false;
    $('desk').classList.add('is-ringing');
    clearInterval(countdownTimer);
    tick();
    countdownTimer = setInterval(tick, 250);
    ring.currentTime = 0;
    ring.play().then(() => { desk.ringPlaying = true; }, () => {
      desk.ringPlaying = false;
      log('The browser blocked the ring sound: click anywhere on the desk once to allow it.');
    });
    log(`${f.transfer ? 'Transfer' : 'Call'} ringing: ${callerName(f)} — ${s.title || f.session_id}`);
  }
  function tick() {
    const f = desk.ringing;
    if (!f) return;
    const total = Number(f.ring_timeout) || 30;
    const left = Math.max(0, (Date.parse(f.expires_at) - Date.now()) / 1000);
    desk.countdown = Math.ceil(left);
    $('incoming-countdown').textContent = `${desk.countdown} s`;
    $('incoming-bar').style.width = `${Math.min(100, (left / total) * 100)}%`;
  }
  function clearRinging() {
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
    for (const id of ['incoming-accept-video', 'incoming-accept-audio', 'incoming-reject']) $(id).disabled = true;
    ring.pause();
    desk.ringPlaying = false;
    if (!room.send(action, media ? { session_id: f.session_id, media } : { session_id: f.session_id })) {
      banner('Not connected: try again in a moment.');
      for (const id of ['incoming-accept-video', 'incoming-accept-audio', 'incoming-reject']) $(id).disabled = false;
      return;
    }
    if (action === 'reject_incoming') { log(`Rejected the call from ${callerName(f)}`); clearRinging(); }
  }
  $('incoming-accept-video').addEventListener('click', () => answer('accept_incoming', 'video'));
  $('incoming-accept-audio').addEventListener('click', () => answer('accept_incoming', 'audio'));
  $('incoming-reject').addEventListener('click', () => answer('reject_incoming'));
  document.addEventListener('pointerdown', () => {
    if (desk.ringing && ring.paused) ring.play().then(() => { desk.ringPlaying = true; }, () => {});
  });

  // ------------------------------------------------------------ the call, over the desk
  function openCall(sessionId, media) {
    desk.call = { session_id: sessionId, media, opened: Date.now() };
    const q = new URLSearchParams({ session: sessionId, role: 'agent', token: agent.token, media, desk: '1' });
    $('desk-call-frame').src = '/?' + q.toString();
    $('desk-call').hidden = false;
    render();
  }
  function closeCall() {
    if (!desk.call) return;
    log(`Call ${desk.call.session_id} ended`);
    desk.call = null;
    $('desk-call-frame').src = 'about:blank';
    $('desk-call').hidden = true;
    loadStats();
    render();
  }
  window.addEventListener('message', (e) => {
    if (e.origin !== location.origin || !e.data || e.data.type !== 'cskit-call-done') return;
    if (desk.call && e.data.session_id === desk.call.session_id) closeCall();
  });

  // ------------------------------------------------------------ state and toggle
  $('desk-toggle').addEventListener('click', () => {
    const goReady = !(desk.state === 'ready' || desk.state === 'ringing');
    setWantReady(goReady);
    room.send(goReady ? 'agent_ready' : 'agent_not_ready');
  });
  $('desk-logout').addEventListener('click', () => {
    room.leave();
    sessionStorage.removeItem(AGENT_KEY);
    sessionStorage.removeItem(WANT_READY_KEY);
    location.href = '/?role=agent';
  });

  function render() {
    const st = desk.state;
    $('desk').dataset.state = st;
    $('desk-state').textContent = STATE_LABELS[st] || st;
    $('desk-state-dot').className = 'state-dot state-' + st;
    $('desk-state-since').textContent = desk.stateSince ? 'since ' + new Date(desk.stateSince).toLocaleTimeString() : '';
    const toggle = $('desk-toggle');
    const canToggle = room.state === 'joined' && st !== 'busy' && st !== 'offline';
    const isReady = st === 'ready' || st === 'ringing'; // not ready while ringing withdraws the call
    toggle.disabled = !canToggle;
    toggle.setAttribute('aria-pressed', String(isReady));
    toggle.textContent = isReady ? 'Go not ready' : st === 'wrap_up' ? 'Ready now (end wrap-up)' : 'Go ready';
    toggle.classList.toggle('btn-primary', !isReady);
    const hints = {
      offline: room.state === 'joined' ? '' : 'Connecting to the server…',
      online: 'You are checked in but get no calls. Go ready to take calls.',
      ready: 'Waiting for calls: the next customer in line rings here.',
      ringing: 'A call is ringing: accept or reject it.',
      busy: 'You are in a call.',
      wrap_up: 'After-call work: you will be ready again shortly.',
    };
    $('desk-state-hint').textContent = hints[st] || '';
  }

  async function loadStats() {
    try {
      const a = await api.request('GET', '/agents/' + encodeURIComponent(agent.agent_id));
      desk.stats = { handled_today: a.handled_today, avg_duration: a.avg_duration, avg_rating: a.avg_rating };
      $('desk-handled').textContent = String(a.handled_today ?? 0);
      $('desk-avg-duration').textContent = a.handled_today ? fmtDuration(a.avg_duration) : '–';
      $('desk-avg-rating').textContent = a.avg_rating == null ? '–' : `${Number(a.avg_rating).toFixed(1)} ★`;
    } catch (e) {
      if (e.status === 401) banner('Your sign-in has expired: sign in again in the lobby.');
    }
  }

  loadStats();
  setInterval(loadStats, 15000);
  render();
  room.connect();
}

function callerName(f) {
  const s = (f && f.session) || {};
  return s.customer_name || s.customer_id || 'Customer';
}

function cancelText(reason) {
  const r = String(reason || '');
  return ({
    timeout: 'was not answered in time', rejected: 'was rejected', presence_lost: 'stopped ringing (connection lost)',
    ended: 'ended before it was answered', assigned: 'was assigned to another agent', taken: 'was taken by another agent',
    not_ready: 'stopped ringing (not ready)', offline: 'stopped ringing (offline)',
  })[r] || `stopped ringing (${r || 'cancelled'})`;
}
