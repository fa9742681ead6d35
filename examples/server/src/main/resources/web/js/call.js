// Call page: ?session=<id>&role=customer|agent&token=<link or login token>[&autoaccept=1][&user=<id>]
//            [&media=audio] (capture the microphone only) [&desk=1] (opened by the agent desk: go back to it after the call)
//
// This module owns the call's state in window.cskit (state, session, who is who, presence, hold, queue, ended):
// it loads the session, finds out who the page is, and turns the room's frames into that state. The parts of
// the page are modules of their own, each writing only its own fields of window.cskit:
//   call/state.js     the pure logic: the state machine (waiting → connecting → connected → ended), texts, ids
//   call/view.js      banner, header, waiting overlay, control states, side tabs
//   call/media.js     capture, publishing, the other party's player, hold music, stats
//   call/screen.js    this page's screen share and the other party's (a second WHEP, shown large)
//   call/whisper.js   the agent's "Supervisor listening" badge and the supervisor's whisper (a WHEP, audio only)
//   call/chat.js      chat log and form;  call/mixer.js  the agent's sounds;  call/transfer.js  the transfer form
//   call/ended.js     ended view, rating, back to the desk
import { CsApi } from '../sdk/api.js';
import '../sdk/mb-room.js';
import '../sdk/mb-publisher.js';
import '../sdk/mb-subscriber.js';
import { storedAgent } from './lobby.js';
import { fillIcons } from './icons.js';
import { $, sleep } from './util.js';
import {
  callOptions, callView, computeState, durationBase, endedDuration, holdMessage, leftText, liveSeconds, mergeRecording,
  otherName, queueFrom, reconnectText, recordingView, remoteIdFor, roomIdFor, transferTarget, userIdFor,
} from './call/state.js';
import { createView } from './call/view.js';
import { createMedia } from './call/media.js';
import { createScreenShare } from './call/screen.js';
import { createWhisper } from './call/whisper.js';
import { createChat } from './call/chat.js';
import { createMixer } from './call/mixer.js';
import { createTransfer } from './call/transfer.js';
import { createEndedView } from './call/ended.js';

const ASSIGN_POLL_MS = 3000;
const HANGUP_WAIT_MS = 2000;

export async function startCall(params) {
  const opts = callOptions(params, storedAgent);
  const { sessionId, role, token } = opts;
  const api = new CsApi({ token });

  const root = $('call');
  root.hidden = false;
  root.dataset.role = role;
  fillIcons(root);
  document.title = 'Call · ' + sessionId;

  const room = $('room');
  const cs = {
    state: 'waiting',
    role,
    sessionId,
    session: null,
    userId: null,
    remoteId: null,
    remotePresent: false,
    held: false,
    room,
    publisher: $('publisher'),
    subscriber: $('subscriber'),
    lastStats: null,
    lastPublishStats: null,
    publishState: 'idle',
    playState: 'idle',
    chat: [],
    events: [],
    errors: [],
    rating: null,
    ended: null,
    queue: null,
    recording: null,
    consentShownAt: null,
    captureStartedAt: null,
  };
  window.cskit = cs;

  let timerBase = null; // the last duration the server gave, {seconds, at: performance.now()}
  let pendingAccept = false;
  let acceptRefused = false;
  let refreshing = null;
  let sessionEpoch = 0; // counts sessions told by room events; see refreshSession

  const view = createView();
  const { banner } = view;
  const media = createMedia({ cs, opts, banner, notice: view.notice, onPlayerChange: updateState });
  const screen = createScreenShare({ cs, opts, banner });
  const whisper = createWhisper({ cs, opts });
  const chat = createChat({ cs, room, api, banner, visible: view.chatVisible });
  view.onTabOpened((name) => { if (name === 'chat') chat.shown(); });
  const endedView = createEndedView({ cs, opts, api });

  function fail(msg) {
    cs.errors.push(msg);
    banner(cs.errors.join('\n'), 'error', true);
    root.dataset.fatal = '1';
    $('waiting-text').textContent = 'The call cannot start — see the message above.';
  }

  function setSession(s) {
    if (!s || typeof s !== 'object') return;
    cs.session = s;
    timerBase = durationBase(s, timerBase, performance.now());
    cs.held = !!s.on_hold;
    $('call-title').textContent = s.title || 'Customer service call';
    $('remote-label').textContent = otherName(role, s);
    updateState();
  }

  // ---------------------------------------------------------------- state machine
  function enter(state) {
    cs.state = state;
    cs.events.push({ t: Date.now(), state });
    root.dataset.state = state;
    root.dispatchEvent(new CustomEvent('cskit-state', { detail: { state } }));
  }

  function updateState() {
    const next = computeState({ ended: cs.ended, session: cs.session, remotePresent: cs.remotePresent,
      mediaConnected: cs.subscriber.connectionState === 'connected' });
    if (next !== cs.state) enter(next);
    renderState();
    media.ensurePlaying();
  }

  function renderState() {
    view.render(cs.state, callView({ state: cs.state, role, session: cs.session, remotePresent: cs.remotePresent,
      queue: cs.queue, held: cs.held, roomJoined: room.state === 'joined', fatal: !!root.dataset.fatal }));
    renderRecording();
    renderTimer();
  }

  // ---------------------------------------------------------------- recording: consent notice and indicator
  function setRecording(status) {
    cs.recording = mergeRecording(cs.recording, status);
    renderRecording();
  }
  function renderRecording() {
    const v = recordingView({ recording: cs.recording, role, state: cs.state });
    view.renderRecording(v);
    if (v.notice && !cs.consentShownAt) cs.consentShownAt = Date.now();
  }
  function refreshRecording() {
    return api.recording(sessionId).then(setRecording, () => { /* the room's recording frames still come */ });
  }

  const seconds = () => liveSeconds(cs.session, timerBase, performance.now(), Date.now());
  function renderTimer() {
    view.renderTimer(cs.state === 'ended' ? (cs.ended && cs.ended.duration) || 0 : seconds());
  }
  setInterval(renderTimer, 500);

  // ---------------------------------------------------------------- session and identity
  let s0 = null;
  if (!token) {
    fail(role === 'agent'
      ? 'No token: sign in as an agent in the lobby, or open the agent link from the admin dashboard.'
      : 'This call link has no token. Ask for a new link.');
  }
  try {
    s0 = await api.getSession(sessionId);
  } catch (e) {
    fail(`Could not load session ${sessionId}: ${e.message}`);
  }
  if (s0) setSession(s0);

  cs.userId = userIdFor(opts, s0);
  cs.remoteId = remoteIdFor(role, s0);

  if (s0 && s0.status === 'Ended') {
    finish({ reason: s0.end_reason || 'ended', duration: s0.duration, session: s0, already: true });
    return;
  }
  if (role === 'agent' && s0 && !s0.agent_id) {
    banner('No agent is assigned to this session yet: assign one in the admin dashboard. This page checks again every few seconds.', 'info', true);
    while (!cs.session.agent_id) {
      await sleep(ASSIGN_POLL_MS);
      try { setSession(await api.getSession(sessionId)); } catch { /* keep polling */ }
    }
    banner('');
    cs.userId = userIdFor(opts, cs.session);
    cs.remoteId = remoteIdFor(role, cs.session);
  }
  if (!cs.userId) {
    fail('Cannot tell who you are in this session (no session details and no user in the link). Open the link from the admin dashboard again.');
    return;
  }

  // ---------------------------------------------------------------- room
  room.setAttribute('room-id', roomIdFor(sessionId));
  room.setAttribute('user-id', cs.userId);
  room.setAttribute('token', token);

  room.addEventListener('connection', (e) => {
    const st = e.detail.state;
    const dot = $('conn-status');
    dot.dataset.state = st;
    dot.title = 'Signaling: ' + st;
    if (st === 'reconnecting' && !cs.ended) banner(reconnectText(e.detail), 'info', true);
    renderState();
  });
  room.addEventListener('joined', (e) => {
    banner('');
    const users = e.detail.users || [];
    cs.remotePresent = users.some((u) => u.user_id !== cs.userId);
    const other = users.find((u) => u.user_id !== cs.userId);
    if (other && !cs.remoteId) cs.remoteId = other.user_id;
    refreshSession();
    refreshRecording(); // what changed while the socket was away
    maybeAutoAccept();
    updateState();
  });
  room.addEventListener('user_joined', (e) => {
    const u = e.detail.user || {};
    if (u.user_id === cs.userId) return;
    cs.remotePresent = true;
    if (u.user_id) cs.remoteId = u.user_id;
    media.userJoined(u.user_id);
    chat.system(`${u.display_name || u.user_id} joined`);
    refreshSession();
    if (acceptRefused) { acceptRefused = false; maybeAutoAccept(true); }
    updateState();
  });
  room.addEventListener('user_left', (e) => {
    if (e.detail.user_id === cs.userId) return;
    if (cs.remoteId && e.detail.user_id !== cs.remoteId) { chat.system(`${e.detail.user_id} left`); return; }
    cs.remotePresent = false;
    chat.system(leftText(otherName(role, cs.session), e.detail.reason));
    media.stopPlayer();
    screen.otherLeft(e.detail.user_id);
    updateState();
  });
  room.addEventListener('recording', (e) => setRecording(e.detail));
  room.addEventListener('queue_position', (e) => {
    cs.queue = queueFrom(e.detail);
    renderState();
  });
  room.addEventListener('call_accepted', (e) => {
    pendingAccept = false;
    cs.queue = null;
    media.kick();
    sessionFromRoom(e.detail.session || { ...cs.session, status: 'Active', accepted_at: e.detail.accepted_at });
    chat.system('Call accepted');
  });
  room.addEventListener('call_held', (e) => {
    sessionFromRoom(e.detail.session || { ...cs.session, on_hold: true });
    cs.held = true;
    onHoldChanged();
  });
  room.addEventListener('call_resumed', (e) => {
    sessionFromRoom(e.detail.session || { ...cs.session, on_hold: false });
    cs.held = false;
    onHoldChanged();
  });
  room.addEventListener('call_transferred', (e) => {
    const d = e.detail;
    const to = transferTarget(d);
    sessionFromRoom(d.session || { ...cs.session, agent_id: to.id, agent_name: to.name });
    if (role === 'agent' && to.id !== cs.userId) {
      chat.system(`Call transferred to ${to.name}`);
      finish({ reason: 'transferred', duration: seconds(), transferredTo: to.name });
      return;
    }
    if (role === 'customer') {
      chat.system(`You are being transferred to ${to.name}…`);
      banner(`Transferred to ${to.name}`, 'info');
      cs.remoteId = to.id;
      cs.remotePresent = (room.users || []).some((u) => u.user_id === to.id);
      media.followTransfer(to.id, cs.remotePresent);
      updateState();
    }
  });
  room.addEventListener('call_ended', (e) => {
    finish({ reason: e.detail.reason, duration: e.detail.duration, session: e.detail.session });
  });
  room.addEventListener('error', (e) => {
    const d = e.detail || {};
    if (pendingAccept) { pendingAccept = false; acceptRefused = true; }
    const msg = d.message || d.code || 'unknown error';
    if (d.code === 'session_ended') { finish({ reason: 'ended', duration: cs.session && cs.session.duration }); return; }
    if (room.state === 'refused') fail(`Cannot join the call: ${msg}`);
    else banner(msg);
  });

  // ---------------------------------------------------------------- accept / autoaccept
  function maybeAutoAccept(force = false) {
    if (!opts.autoAccept || role !== 'agent' || !cs.session || cs.session.status !== 'Waiting') return;
    if (pendingAccept && !force) return;
    accept();
  }
  function accept() {
    pendingAccept = true;
    room.send('accept_call');
  }

  // A GET answered before a room event (call_accepted, held, …) but read after it would put the older session
  // back, and the page would stay "Waiting" in an accepted call: a refresh that a room event overtook is dropped
  // and asked again.
  function refreshSession() {
    if (refreshing) return refreshing;
    const epoch = sessionEpoch;
    let overtaken = false;
    refreshing = api.getSession(sessionId).then((s) => {
      overtaken = epoch !== sessionEpoch;
      if (!overtaken) setSession(s);
    }, () => {}).finally(() => {
      refreshing = null;
      if (overtaken) refreshSession();
    });
    return refreshing;
  }
  /** The session as a room event tells it: newer than any GET still in flight. */
  function sessionFromRoom(s) {
    sessionEpoch++;
    setSession(s);
  }

  function onHoldChanged() {
    media.setHeld(cs.held);
    screen.setHeld(cs.held);
    chat.system(holdMessage(role, cs.held));
    renderState();
  }

  // ---------------------------------------------------------------- hang up and the end
  async function hangUp() {
    if (cs.ended) return;
    $('btn-hangup').disabled = true;
    const sent = room.send('end_call');
    // Wait briefly for the server's call_ended (it carries the duration); end locally otherwise.
    if (sent) await Promise.race([new Promise((r) => room.addEventListener('call_ended', r, { once: true })), sleep(HANGUP_WAIT_MS)]);
    if (!cs.ended) finish({ reason: 'hung_up', duration: seconds() });
  }

  function finish({ reason, duration, session, transferredTo, already = false }) {
    if (cs.ended) return;
    if (session) cs.session = session;
    const dur = endedDuration(duration, cs.session);
    cs.ended = { reason: reason || 'ended', duration: dur, already };
    enter('ended');
    renderState();
    room.disconnect();
    media.stop();
    screen.stop();
    whisper.stop();
    banner('');
    endedView.show({ reason, duration: dur, transferredTo });
  }

  // ---------------------------------------------------------------- start: consent, capture, join, publish
  // A recorded call says so before the camera and microphone start (the customer's consent notice).
  await refreshRecording();
  cs.captureStartedAt = Date.now();
  await media.capture();
  room.connect();
  media.publish(cs.userId);

  $('btn-accept').addEventListener('click', accept);
  $('btn-hold').addEventListener('click', () => room.send(cs.held ? 'resume_call' : 'hold_call'));
  $('btn-hangup').addEventListener('click', hangUp);
  createTransfer({ cs, room, api, banner });
  if (role === 'agent') createMixer({ cs, publisher: cs.publisher, banner });

  window.addEventListener('pagehide', () => {
    if (!cs.ended) { room.leave(); media.stop(); screen.stop(); whisper.stop(); }
  });
  updateState();
}
