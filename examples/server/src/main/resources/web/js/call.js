// Call page: ?session=<id>&role=customer|agent&token=<link or login token>[&autoaccept=1][&user=<id>]
//            [&media=audio] (capture the microphone only) [&desk=1] (opened by the agent desk: go back to it after the call)
//
// State machine (window.cskit.state):
//   waiting    the session is not accepted yet, or the other party is not in the room
//   connecting accepted and both present; WebRTC (WHEP play of the other party) being established
//   connected  the other party's media connection is up; timer and controls live
//   ended      call_ended received (or the session was already Ended); duration, rating for customers
import { CsApi } from '../sdk/api.js';
import '../sdk/mb-room.js';
import '../sdk/mb-publisher.js';
import '../sdk/mb-subscriber.js';
import { storedAgent } from './lobby.js';
import { icon, setIcon, fillIcons } from './icons.js';

const SOUNDS = [
  { id: 'music', name: 'Soft music', icon: 'music', url: '/sounds/music.mp3', volume: 0.35 },
  { id: 'chime', name: 'Chime', icon: 'bell', url: '/sounds/chime.mp3', volume: 0.6 },
  { id: 'tone', name: 'Tone 440 Hz', icon: 'wave', url: '/sounds/tone.mp3', volume: 0.3 },
];
const HOLD_MUSIC = '/sounds/music.mp3';

const $ = (id) => document.getElementById(id);

export async function startCall(params) {
  const sessionId = params.get('session');
  const role = params.get('role') === 'agent' ? 'agent' : 'customer';
  const autoAccept = params.get('autoaccept') === '1';
  const audioOnly = params.get('media') === 'audio';
  const fromDesk = params.get('desk') === '1';
  const agent = role === 'agent' ? storedAgent() : null;
  const token = params.get('token') || (agent && agent.token) || '';
  const api = new CsApi({ token });

  const root = $('call');
  root.hidden = false;
  root.dataset.role = role;
  fillIcons(root);
  document.title = 'Call · ' + sessionId;

  const room = $('room');
  const publisher = $('publisher');
  const subscriber = $('subscriber');

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
    publisher,
    subscriber,
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
  };
  window.cskit = cs;

  // Page-level mutable state (declared up front: handlers below may run before later sections).
  let durationBase = null;
  let pendingAccept = false;
  let acceptRefused = false;
  let refreshing = null;
  let playingId = null;
  let holdAudio = null;
  let activeTab = 'chat';
  let unread = 0;
  let stars = 0;
  let kickPublish = () => {};
  // Customer only: after call_transferred, until the new agent is in the room, the WHEP player is kept (the
  // server switches it to the new agent's stream), so the customer never reconnects.
  let transferring = false;
  const whepFor = (uid) => `/webrtc/whep/customer-service/${encodeURIComponent(sessionId)}/${encodeURIComponent(uid)}`;

  // ---------------------------------------------------------------- helpers
  let bannerTimer = null;
  function banner(msg, kind = 'error', sticky = false) {
    const b = $('call-banner');
    clearTimeout(bannerTimer);
    if (!msg) { b.hidden = true; return; }
    b.textContent = msg;
    b.className = 'call-banner' + (kind === 'info' ? ' info' : '');
    b.hidden = false;
    if (!sticky) bannerTimer = setTimeout(() => { b.hidden = true; }, 8000);
  }
  function fail(msg) {
    cs.errors.push(msg);
    banner(cs.errors.join('\n'), 'error', true);
    root.dataset.fatal = '1';
    $('waiting-text').textContent = 'The call cannot start — see the message above.';
  }

  const otherName = () => {
    const s = cs.session;
    if (role === 'customer') return (s && s.agent_name) || 'Agent';
    return (s && s.customer_name) || 'Customer';
  };

  function setSession(s) {
    if (!s || typeof s !== 'object') return;
    cs.session = s;
    if (s.duration !== undefined && s.duration !== null) durationBase = { seconds: Number(s.duration) || 0, at: performance.now() };
    cs.held = !!s.on_hold;
    $('call-title').textContent = s.title || 'Customer service call';
    $('remote-label').textContent = otherName();
    updateState();
  }

  // ---------------------------------------------------------------- state machine
  function computeState() {
    if (cs.ended) return 'ended';
    const s = cs.session;
    if (!s || s.status === 'Waiting' || !cs.remotePresent) return 'waiting';
    if (s.status === 'Ended') return 'ended';
    return subscriber.connectionState === 'connected' ? 'connected' : 'connecting';
  }

  function updateState() {
    const next = computeState();
    if (next !== cs.state) {
      cs.state = next;
      cs.events.push({ t: Date.now(), state: next });
      root.dataset.state = next;
      root.dispatchEvent(new CustomEvent('cskit-state', { detail: { state: next } }));
    }
    renderState();
    ensurePlaying();
  }

  function renderState() {
    const s = cs.session;
    const badge = $('call-state');
    const labels = { waiting: 'Waiting', connecting: 'Connecting', connected: 'Connected', ended: 'Ended' };
    badge.textContent = labels[cs.state];
    badge.className = 'badge badge-' + cs.state;
    $('hold-badge').hidden = !(cs.held && cs.state !== 'ended');
    let text;
    if (cs.state === 'waiting') {
      if (!s) text = 'Loading the session…';
      else if (role === 'agent' && s.status === 'Waiting') text = cs.remotePresent ? `${otherName()} is waiting. Press Accept to start the call.` : 'Waiting for the customer to join…';
      else if (s.status === 'Waiting' && cs.queue) text = queueText(cs.queue);
      else if (s.status === 'Waiting') text = cs.remotePresent ? `${otherName()} will answer shortly…` : 'Waiting for an agent to answer…';
      else text = `Waiting for ${otherName()} to (re)join…`;
    } else if (cs.state === 'connecting') {
      text = `Connecting to ${otherName()}…`;
    } else {
      text = '';
    }
    if (!root.dataset.fatal || cs.state === 'connected') $('waiting-text').textContent = text;
    const q = $('queue-position');
    q.hidden = !(cs.queue && cs.state === 'waiting' && s && s.status === 'Waiting');
    if (!q.hidden) {
      q.dataset.position = String(cs.queue.position);
      q.textContent = cs.queue.position === 1 ? 'Next in line' : `${cs.queue.position - 1} ahead of you`;
    }
    // Agent controls
    const active = s && s.status === 'Active' && cs.state !== 'ended';
    $('btn-accept').hidden = !(role === 'agent' && s && s.status === 'Waiting' && cs.state !== 'ended');
    $('btn-accept').disabled = room.state !== 'joined';
    $('btn-hold').disabled = !active;
    $('btn-transfer').disabled = !active;
    $('transfer-submit').disabled = !active;
    $('btn-hold').querySelector('.ctl-label').textContent = cs.held ? 'Resume' : 'Hold';
    if ($('btn-hold').querySelector('.ctl-icon').dataset.icon !== (cs.held ? 'play' : 'pause')) setIcon($('btn-hold'), cs.held ? 'play' : 'pause');
    $('btn-hold').classList.toggle('active', cs.held);
    renderTimer();
  }

  // ---------------------------------------------------------------- timer
  function liveSeconds() {
    const s = cs.session;
    if (!s) return 0;
    if (durationBase && s.status === 'Active') return durationBase.seconds + (performance.now() - durationBase.at) / 1000;
    if (s.accepted_at && s.status === 'Active') return Math.max(0, (Date.now() - Date.parse(s.accepted_at)) / 1000);
    return Number(s.duration) || 0;
  }
  function renderTimer() {
    $('call-timer').textContent = fmtDuration(cs.state === 'ended' ? (cs.ended && cs.ended.duration) || 0 : liveSeconds());
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

  cs.userId = params.get('user') || (role === 'customer' ? s0 && s0.customer_id : (agent && !params.get('token') ? agent.agent_id : s0 && s0.agent_id))
    || tokenClaim(token, ['user_id', 'uid', 'sub', 'agent_id', 'customer_id']);
  cs.remoteId = s0 ? (role === 'customer' ? s0.agent_id : s0.customer_id) : null;

  if (s0 && s0.status === 'Ended') {
    finish({ reason: s0.end_reason || 'ended', duration: s0.duration, session: s0, already: true });
    return;
  }
  if (role === 'agent' && s0 && !s0.agent_id) {
    banner('No agent is assigned to this session yet: assign one in the admin dashboard. This page checks again every few seconds.', 'info', true);
    while (!cs.session.agent_id) {
      await sleep(3000);
      try { setSession(await api.getSession(sessionId)); } catch { /* keep polling */ }
    }
    banner('');
    cs.userId = params.get('user') || (agent && !params.get('token') ? agent.agent_id : cs.session.agent_id);
    cs.remoteId = cs.session.customer_id;
  }
  if (!cs.userId) {
    fail('Cannot tell who you are in this session (no session details and no user in the link). Open the link from the admin dashboard again.');
    return;
  }

  // ---------------------------------------------------------------- room
  room.setAttribute('room-id', 'customer-service/' + sessionId);
  room.setAttribute('user-id', cs.userId);
  room.setAttribute('token', token);

  room.addEventListener('connection', (e) => {
    const st = e.detail.state;
    const dot = $('conn-status');
    dot.dataset.state = st;
    dot.title = 'Signaling: ' + st;
    if (st === 'reconnecting' && !cs.ended) banner(`Signaling connection lost — reconnecting (attempt ${e.detail.attempt}, in ${Math.round((e.detail.delay || 0) / 100) / 10}s)…`, 'info', true);
    renderState();
  });
  room.addEventListener('joined', (e) => {
    banner('');
    const users = e.detail.users || [];
    cs.remotePresent = users.some((u) => u.user_id !== cs.userId);
    const other = users.find((u) => u.user_id !== cs.userId);
    if (other && !cs.remoteId) cs.remoteId = other.user_id;
    refreshSession();
    maybeAutoAccept();
    updateState();
  });
  room.addEventListener('user_joined', (e) => {
    const u = e.detail.user || {};
    if (u.user_id === cs.userId) return;
    cs.remotePresent = true;
    if (u.user_id) cs.remoteId = u.user_id;
    if (transferring && u.user_id === cs.remoteId) { transferring = false; subscriber.watchMedia = !cs.held; }
    systemMessage(`${u.display_name || u.user_id} joined`);
    refreshSession();
    if (acceptRefused) { acceptRefused = false; maybeAutoAccept(true); }
    updateState();
  });
  room.addEventListener('user_left', (e) => {
    if (e.detail.user_id === cs.userId) return;
    if (cs.remoteId && e.detail.user_id !== cs.remoteId) { systemMessage(`${e.detail.user_id} left`); return; }
    cs.remotePresent = false;
    systemMessage(`${otherName()} left${e.detail.reason ? ' (' + String(e.detail.reason).toLowerCase() + ')' : ''}`);
    subscriber.stop();
    updateState();
  });
  room.addEventListener('chat', (e) => {
    addChat({ mine: false, who: e.detail.display_name || e.detail.user_id, text: e.detail.text, ts: e.detail.ts });
  });
  room.addEventListener('queue_position', (e) => {
    cs.queue = { position: Number(e.detail.position) || 0, estimated_wait: Number(e.detail.estimated_wait) || 0 };
    renderState();
  });
  room.addEventListener('call_accepted', (e) => {
    pendingAccept = false;
    cs.queue = null;
    kickPublish();
    setSession(e.detail.session || { ...cs.session, status: 'Active', accepted_at: e.detail.accepted_at });
    systemMessage('Call accepted');
  });
  room.addEventListener('call_held', (e) => {
    setSession(e.detail.session || { ...cs.session, on_hold: true });
    cs.held = true;
    onHoldChanged();
  });
  room.addEventListener('call_resumed', (e) => {
    setSession(e.detail.session || { ...cs.session, on_hold: false });
    cs.held = false;
    onHoldChanged();
  });
  room.addEventListener('call_transferred', (e) => {
    const d = e.detail;
    const newId = d.agent_id || (d.session && d.session.agent_id);
    const newName = d.agent_name || (d.session && d.session.agent_name) || newId;
    if (d.session) setSession(d.session);
    else setSession({ ...cs.session, agent_id: newId, agent_name: newName });
    if (role === 'agent' && newId !== cs.userId) {
      systemMessage(`Call transferred to ${newName}`);
      finish({ reason: 'transferred', duration: liveSeconds(), transferredTo: newName });
      return;
    }
    if (role === 'customer') {
      systemMessage(`You are being transferred to ${newName}…`);
      banner(`Transferred to ${newName}`, 'info');
      cs.remoteId = newId;
      cs.remotePresent = (room.users || []).some((u) => u.user_id === newId);
      if (playingId && subscriber.state !== 'stopped' && subscriber.state !== 'idle') {
        // Keep the player: the server now feeds it the new agent's media.
        transferring = !cs.remotePresent;
        playingId = newId;
        if (transferring) subscriber.watchMedia = false;
      } else {
        subscriber.stop();
      }
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
    if (!autoAccept || role !== 'agent' || !cs.session || cs.session.status !== 'Waiting') return;
    if (pendingAccept && !force) return;
    accept();
  }
  function accept() {
    pendingAccept = true;
    room.send('accept_call');
  }

  function refreshSession() {
    if (refreshing) return refreshing;
    refreshing = api.getSession(sessionId).then(setSession, () => {}).finally(() => { refreshing = null; });
    return refreshing;
  }

  // ---------------------------------------------------------------- media
  const whip = `/webrtc/whip/customer-service/${encodeURIComponent(sessionId)}/${encodeURIComponent(cs.userId)}`;

  publisher.addEventListener('statechange', (e) => { cs.publishState = e.detail.state; renderMediaStatus(); });
  subscriber.addEventListener('statechange', (e) => { cs.playState = e.detail.state; renderMediaStatus(); updateState(); });
  subscriber.addEventListener('substate', () => { renderMediaStatus(); updateState(); });
  subscriber.addEventListener('retry', (e) => { cs.playError = e.detail.error && e.detail.error.message; renderMediaStatus(); });
  subscriber.addEventListener('autoplayblocked', () => { $('unmute-remote').hidden = false; });
  $('unmute-remote').addEventListener('click', () => {
    subscriber.video.muted = false;
    subscriber.video.play().catch(() => {});
    publisher.resumeAudio();
    $('unmute-remote').hidden = true;
  });

  function ensurePlaying() {
    const want = cs.state === 'connecting' || cs.state === 'connected' ? cs.remoteId : null;
    if (!want && transferring && playingId) return;
    if (want === playingId && (want === null || subscriber.state !== 'stopped')) return;
    playingId = want;
    if (!want) { if (subscriber.state !== 'idle' && subscriber.state !== 'stopped') subscriber.stop(); return; }
    subscriber.play({ url: whepFor(want), token });
  }

  // Capture first (so the preview shows while waiting), then publish with retries.
  const cap = await publisher.startCapture({ audio: true, video: !audioOnly }).catch((e) => ({ audio: false, video: false, error: e.message }));
  cs.capture = cap;
  if (cap.error) banner(`Media devices: ${cap.error}. ${cap.audio || cap.video ? 'Continuing with what is available.' : 'You can still see and hear the other party.'}`, 'info');
  $('local-media').textContent = [cap.audio ? '' : 'no mic', cap.video ? '' : 'no camera'].filter(Boolean).join(' · ');
  $('camera-off-note').hidden = !!cap.video || audioOnly;
  if (audioOnly) { $('btn-camera').disabled = true; $('btn-camera').setAttribute('aria-pressed', 'false'); setIcon($('btn-camera'), 'camera-off'); }
  room.connect();
  publishLoop();

  async function publishLoop() {
    let attempt = 0;
    while (!cs.ended) {
      try {
        cs.publishState = 'publishing';
        renderMediaStatus();
        await publisher.startPublish({ url: whip, token });
        cs.publishError = null;
        renderMediaStatus();
        // Re-publish if the connection fails later.
        await new Promise((resolve) => {
          const pc = publisher.pc;
          const check = () => {
            if (cs.ended || publisher.pc !== pc || pc.connectionState === 'failed' || pc.connectionState === 'closed') {
              pc.removeEventListener('connectionstatechange', check);
              resolve();
            }
          };
          pc.addEventListener('connectionstatechange', check);
          check();
        });
        if (cs.ended) return;
        attempt = 0;
        await sleep(1000);
      } catch (e) {
        cs.publishError = e.message;
        cs.publishState = 'retrying';
        renderMediaStatus();
        if (attempt === 2) banner(`Publishing your camera/microphone failed: ${e.message} — retrying.`);
        // Back off, but wake up at once when the call is accepted (a server may refuse WHIP before that).
        await Promise.race([sleep(Math.min(8000, 500 * 2 ** attempt++)), new Promise((r) => { kickPublish = r; })]);
      }
    }
  }

  function renderMediaStatus() {
    $('stat-publish').textContent = cs.publishError ? 'retrying' : (publisher.pc ? publisher.connectionState : cs.publishState);
    $('stat-publish').title = cs.publishError || '';
    const ps = subscriber.state === 'playing' ? subscriber.connectionState : subscriber.state;
    $('stat-play').textContent = ps;
    $('stat-play').title = subscriber.lastError ? subscriber.lastError.message : '';
  }

  // ---------------------------------------------------------------- hold
  function onHoldChanged() {
    subscriber.watchMedia = !cs.held;
    if (role === 'customer') {
      if (cs.held) {
        if (!holdAudio) { holdAudio = new Audio(HOLD_MUSIC); holdAudio.loop = true; holdAudio.volume = 0.4; }
        holdAudio.play().catch(() => banner('On hold (tap anywhere to hear the hold music)', 'info'));
        subscriber.video.muted = true;
        systemMessage('You are on hold');
      } else {
        if (holdAudio) holdAudio.pause();
        subscriber.video.muted = false;
        systemMessage('Call resumed');
      }
    } else {
      systemMessage(cs.held ? 'Call on hold' : 'Call resumed');
    }
    cs.holdMusicPlaying = !!(holdAudio && !holdAudio.paused && cs.held);
    renderState();
  }
  document.addEventListener('pointerdown', () => {
    if (cs.held && holdAudio && holdAudio.paused && role === 'customer') holdAudio.play().catch(() => {});
  });

  // ---------------------------------------------------------------- controls
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
  $('btn-accept').addEventListener('click', accept);
  $('btn-hold').addEventListener('click', () => room.send(cs.held ? 'resume_call' : 'hold_call'));
  $('btn-transfer').addEventListener('click', () => openTab('transfer'));
  $('btn-mixer').addEventListener('click', () => openTab('mixer'));
  $('btn-chat').addEventListener('click', () => {
    const side = $('side');
    if (side.classList.contains('open') && activeTab === 'chat') side.classList.remove('open'); else openTab('chat');
  });
  $('side-close').addEventListener('click', () => $('side').classList.remove('open'));
  $('btn-hangup').addEventListener('click', hangUp);

  async function hangUp() {
    if (cs.ended) return;
    $('btn-hangup').disabled = true;
    const sent = room.send('end_call');
    // Wait briefly for the server's call_ended (it carries the duration); end locally otherwise.
    if (sent) await Promise.race([new Promise((r) => room.addEventListener('call_ended', r, { once: true })), sleep(2000)]);
    if (!cs.ended) finish({ reason: 'hung_up', duration: liveSeconds() });
  }

  // Tabs
  function openTab(name) {
    activeTab = name;
    document.querySelectorAll('.side-tab').forEach((t) => t.classList.toggle('active', t.dataset.tab === name));
    document.querySelectorAll('.side-panel').forEach((p) => { p.hidden = p.dataset.panel !== name; });
    $('side').classList.add('open');
    if (name === 'chat') { unread = 0; renderUnread(); $('chat-input').focus({ preventScroll: true }); }
  }
  document.querySelectorAll('.side-tab').forEach((t) => t.addEventListener('click', () => openTab(t.dataset.tab)));

  // Transfer
  if (role === 'agent') {
    api.agents().then((list) => {
      const dl = $('transfer-agents');
      (Array.isArray(list) ? list : list.agents || []).forEach((a) => {
        const o = document.createElement('option');
        o.value = a.id;
        o.label = `${a.name}${a.online ? ' (online)' : ''}`;
        o.dataset.name = a.name;
        dl.appendChild(o);
      });
    }).catch(() => { /* admin-only endpoint: typing the id is fine */ });
    // Suggest the name of a known agent while the id is typed, unless the user edited the name.
    $('transfer-agent-id').addEventListener('input', () => {
      const o = [...$('transfer-agents').options].find((x) => x.value === $('transfer-agent-id').value.trim());
      const name = $('transfer-agent-name');
      if (o && (!name.value || name.dataset.auto === '1')) { name.value = o.dataset.name || ''; name.dataset.auto = '1'; }
    });
    $('transfer-agent-name').addEventListener('input', () => { $('transfer-agent-name').dataset.auto = '0'; });
  }
  $('transfer-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const id = $('transfer-agent-id').value.trim();
    const name = $('transfer-agent-name').value.trim() || id;
    if (!id) return;
    if (id === cs.userId) { banner('That is you: pick another agent.'); return; }
    room.send('transfer_call', { to_agent_id: id, to_agent_name: name });
  });

  // Mixer
  if (role === 'agent') buildMixer();
  function buildMixer() {
    const list = $('mixer-list');
    for (const snd of SOUNDS) {
      const row = document.createElement('div');
      row.className = 'mix-row';
      row.dataset.testid = 'mix-row-' + snd.id;
      row.innerHTML = `<div class="mix-name"></div>
        <button class="btn btn-sm" type="button" id="mix-toggle-${snd.id}" data-testid="mix-toggle-${snd.id}">${icon('play', 14)} Play</button>
        <input type="range" min="0" max="1" step="0.05" id="mix-volume-${snd.id}" data-testid="mix-volume-${snd.id}" aria-label="${snd.name} volume">`;
      row.querySelector('.mix-name').innerHTML = icon(snd.icon, 16);
      row.querySelector('.mix-name').append(' ' + snd.name);
      const btn = row.querySelector('button');
      const vol = row.querySelector('input');
      vol.value = String(snd.volume);
      btn.addEventListener('click', async () => {
        if (publisher.mixes.includes(snd.id)) {
          publisher.unmixAudio(snd.id);
        } else {
          try { await publisher.mixAudio(snd.id, snd.url, Number(vol.value), { monitor: 0.25 }); } catch (err) { banner(`Cannot play ${snd.name}: ${err.message}`); }
        }
        renderMixer();
      });
      vol.addEventListener('input', () => publisher.setMixVolume(snd.id, Number(vol.value)));
      list.appendChild(row);
    }
    $('mic-volume').addEventListener('input', () => publisher.setMicVolume(Number($('mic-volume').value)));
  }
  function renderMixer() {
    for (const snd of SOUNDS) {
      const on = publisher.mixes.includes(snd.id);
      const btn = $('mix-toggle-' + snd.id);
      btn.innerHTML = icon(on ? 'stop' : 'play', 14) + (on ? ' Stop' : ' Play');
      btn.closest('.mix-row').classList.toggle('playing', on);
    }
    cs.mixing = publisher.mixes;
  }

  // Chat
  function renderUnread() { $('chat-unread').textContent = String(unread); $('chat-unread').hidden = !unread; }
  function addChat({ mine, who, text, ts, system = false }) {
    const entry = { mine, who, text, ts: ts || Date.now(), system };
    cs.chat.push(entry);
    const log = $('chat-log');
    const el = document.createElement('div');
    el.className = 'chat-msg' + (system ? ' system' : mine ? ' mine' : ' theirs');
    el.dataset.testid = system ? 'chat-system' : 'chat-message';
    if (!system) {
      const w = document.createElement('span');
      w.className = 'who';
      w.textContent = mine ? 'You' : who;
      el.appendChild(w);
    }
    el.appendChild(document.createTextNode(text));
    log.appendChild(el);
    log.scrollTop = log.scrollHeight;
    const visible = activeTab === 'chat' && (window.innerWidth > 700 || $('side').classList.contains('open'));
    if (!mine && !system && !visible) { unread++; renderUnread(); }
  }
  function systemMessage(text) { addChat({ mine: false, who: '', text, system: true }); }
  $('chat-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('chat-input').value.trim();
    if (!text) return;
    if (!room.chat(text)) { banner('Not connected: message not sent.'); return; }
    addChat({ mine: true, who: 'You', text });
    $('chat-input').value = '';
  });

  // Stats
  setInterval(async () => {
    if (cs.ended) return;
    try {
      const st = await subscriber.getStats();
      cs.lastStats = st;
      const out = await publisher.getStats();
      cs.lastPublishStats = out;
      renderStats(st, out);
    } catch { /* a closing peer connection */ }
    renderMediaStatus();
  }, 1000);
  function renderStats(st, out) {
    const dash = '–';
    $('stat-bitrate').textContent = st ? `${st.bitrate} kbps` : dash;
    $('stat-loss').textContent = st ? `${st.packetsLost} (${st.lossPercent}%)` : dash;
    $('stat-jitter').textContent = st ? `${st.jitter} ms` : dash;
    $('stat-rtt').textContent = st && st.rtt !== null ? `${st.rtt} ms` : dash;
    $('stat-video').textContent = st && st.frameWidth ? `${st.frameWidth}×${st.frameHeight} @ ${Math.round(st.fps)} fps` : dash;
    $('stat-frames').textContent = st ? String(st.framesDecoded) : dash;
    $('stat-audio-level').style.width = st ? `${Math.min(100, Math.round(Math.sqrt(st.audioLevel) * 100))}%` : '0';
    $('stat-out-bitrate').textContent = out ? `${out.bitrate} kbps` : dash;
    $('stat-out-video').textContent = out && out.frameWidth ? `${out.frameWidth}×${out.frameHeight} @ ${Math.round(out.fps)} fps` : dash;
    $('remote-media').textContent = st && st.connectionState === 'connected' ? `${st.bitrate} kbps` : '';
  }

  // ---------------------------------------------------------------- end
  function finish({ reason, duration, session, transferredTo, already = false }) {
    if (cs.ended) return;
    if (session) cs.session = session;
    const dur = Number(duration ?? (session && session.duration) ?? (cs.session && cs.session.duration) ?? 0) || 0;
    cs.ended = { reason: reason || 'ended', duration: dur, already };
    cs.state = 'ended';
    root.dataset.state = 'ended';
    cs.events.push({ t: Date.now(), state: 'ended' });
    root.dispatchEvent(new CustomEvent('cskit-state', { detail: { state: 'ended' } }));
    renderState();
    if (holdAudio) holdAudio.pause();
    room.disconnect();
    subscriber.stop();
    publisher.stop();
    banner('');
    $('ended-duration').textContent = fmtDuration(dur);
    $('ended-title').textContent = transferredTo ? 'Call transferred' : 'Call ended';
    $('ended-reason').textContent = transferredTo ? `The call was handed over to ${transferredTo}.` : describeReason(reason, role);
    $('ended-view').hidden = false;
    if (fromDesk && role === 'agent') backToDesk();
    const rated = cs.session && cs.session.rating;
    if (role === 'customer' && !transferredTo) {
      if (rated) { $('rating-thanks').hidden = false; $('rating-thanks').textContent = `You rated this call ${rated.stars}★. Thank you!`; }
      else $('rating-form').hidden = false;
    }
  }

  document.querySelectorAll('#rating-stars .star').forEach((b) => {
    b.addEventListener('click', () => {
      stars = Number(b.dataset.stars);
      document.querySelectorAll('#rating-stars .star').forEach((x) => x.classList.toggle('on', Number(x.dataset.stars) <= stars));
      $('rating-submit').disabled = false;
    });
  });
  $('rating-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!stars) return;
    $('rating-submit').disabled = true;
    $('rating-error').hidden = true;
    try {
      const comment = $('rating-comment').value.trim();
      await api.rate(sessionId, stars, comment, token);
      cs.rating = { stars, comment };
      $('rating-form').hidden = true;
      $('rating-thanks').hidden = false;
    } catch (err) {
      $('rating-error').textContent = 'Could not send your rating: ' + err.message;
      $('rating-error').hidden = false;
      $('rating-submit').disabled = false;
    }
  });

  // Opened by the agent desk: the ended view goes back to it (by itself after a few seconds).
  let deskTimer = null;
  if (fromDesk) {
    $('ended-back').textContent = 'Back to desk';
    $('ended-back').href = '/desk.html';
    $('ended-back').addEventListener('click', (e) => { e.preventDefault(); returnToDesk(); });
  }
  function backToDesk() {
    clearTimeout(deskTimer);
    deskTimer = setTimeout(returnToDesk, 3000);
  }
  function returnToDesk() {
    clearTimeout(deskTimer);
    if (window.parent !== window) window.parent.postMessage({ type: 'cskit-call-done', session_id: sessionId }, location.origin);
    else location.href = '/desk.html';
  }

  window.addEventListener('pagehide', () => {
    if (!cs.ended) { room.leave(); subscriber.stop(); publisher.stop(); }
  });
  updateState();
}

// ---------------------------------------------------------------- utilities
function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

export function fmtDuration(sec) {
  sec = Math.max(0, Math.floor(Number(sec) || 0));
  const h = Math.floor(sec / 3600), m = Math.floor((sec % 3600) / 60), s = sec % 60;
  const mm = String(m).padStart(2, '0'), ss = String(s).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

function describeReason(reason, role) {
  const r = String(reason || '').toLowerCase();
  if ((r.startsWith('customer') && role === 'customer') || (r.startsWith('agent') && role === 'agent')) {
    if (/hang|end|left/.test(r)) return 'You hung up.';
  }
  const map = {
    hung_up: 'You hung up.', customer_hangup: 'The customer hung up.', agent_hangup: 'The agent hung up.',
    hangup: 'The call was hung up.', timeout: 'The session timed out.', closed: 'The session was closed by an administrator.',
    admin_closed: 'The session was closed by an administrator.', shutdown: 'The server is shutting down.',
    ended: 'This session has ended.', transferred: 'The call was transferred.',
  };
  return map[r] || (reason ? `Reason: ${reason}` : '');
}

/** "You are number N in line, about M min" from a queue_position frame. */
export function queueText({ position, estimated_wait }) {
  const wait = Number(estimated_wait) || 0;
  return `You are number ${position} in line` + (wait > 0 ? `, about ${Math.max(1, Math.round(wait / 60))} min` : ': an agent will answer shortly');
}

/** Reads a claim from a `base64url(payload).mac` token if the payload is JSON; null otherwise. */
function tokenClaim(token, names) {
  if (!token) return null;
  for (const part of token.split('.')) {
    try {
      const json = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=')));
      if (json && typeof json === 'object') for (const n of names) if (typeof json[n] === 'string' && json[n]) return json[n];
    } catch { /* not JSON */ }
  }
  return null;
}
