// Admin dashboard: monitor a live call silently, and whisper to its agent (issue 16). "Monitor" on a room row asks
// POST /customer-service/sessions/{id}/monitor for a short-lived monitor token (admin token, or a supervisor agent's
// login token), then plays both parties' cameras with two WHEPs of that token. Nobody takes a seat in the room and
// the customer is told nothing; the agent's page shows "Supervisor listening". "Whisper" publishes this browser's
// microphone on the supervisor's whisper path (WHIP, audio only), which only the agent plays. "Stop" DELETEs every
// resource, and the agent hears the supervisor left.
// Writes window.cskitMonitor: {sessionId, supervisor, players: {customer, agent}, whisper: off|starting|on, error}.
import '/sdk/mb-subscriber.js';
import { negotiate, deleteResource } from '/sdk/whip.js';

/** The panel. `ui` is the page's helpers: { api, $, el, toast, authHint }. Returns { open, close, sessionId }. */
export function monitorPanel(ui) {
  const { api, $, el } = ui;
  const state = { sessionId: null, supervisor: null, players: {}, whisper: 'off', error: null };
  window.cskitMonitor = state;
  let grant = null;
  let whisper = null; // {pc, stream, location}
  const players = {}; // party → <mb-subscriber>

  $('monitor-stop').addEventListener('click', () => close());
  $('monitor-whisper').addEventListener('click', () => (whisper ? stopWhisper() : startWhisper()));

  /** Starts monitoring a session (stopping any other first). */
  async function open(sessionId) {
    if (state.sessionId === sessionId) return;
    await close();
    state.sessionId = sessionId;
    state.error = null;
    $('monitor').hidden = false;
    $('monitor-title').textContent = sessionId;
    $('monitor-status').textContent = 'Asking for a monitor token…';
    try {
      grant = await api.request('POST', `/sessions/${encodeURIComponent(sessionId)}/monitor`);
    } catch (e) {
      state.error = ui.authHint(e);
      $('monitor-status').textContent = 'Cannot monitor: ' + state.error;
      return;
    }
    if (state.sessionId !== sessionId) return;
    state.supervisor = grant.supervisor;
    $('monitor-status').textContent = `Listening as ${grant.supervisor}; the customer is not told.`;
    for (const s of grant.streams) {
      const p = document.createElement('mb-subscriber');
      p.dataset.testid = 'monitor-player';
      p.dataset.party = s.party;
      p.addEventListener('statechange', (e) => { state.players[s.party] = e.detail.state; });
      players[s.party] = p;
      state.players[s.party] = 'connecting';
      $('monitor-' + s.party).replaceChildren(p, el('span', { class: 'monitor-label' }, `${s.party} · ${s.user_id}`));
      p.play({ url: s.whep_url, token: grant.token });
    }
    $('monitor-whisper').disabled = false;
  }

  /** Whisper: this browser's microphone, to the agent only. */
  async function startWhisper() {
    if (!grant || whisper) return;
    const mine = { pc: null, stream: null, location: null };
    whisper = mine;
    render('starting');
    try {
      mine.stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
      mine.pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
      mine.pc.addTransceiver(mine.stream.getAudioTracks()[0], { direction: 'sendonly', streams: [mine.stream] });
      const { location } = await negotiate(mine.pc, grant.whisper.whip_url, grant.token);
      mine.location = location;
      if (whisper !== mine) { await deleteResource(location, grant.token); return; }
      render('on');
    } catch (e) {
      state.error = e.message;
      ui.toast('Whisper failed: ' + e.message);
      if (whisper === mine) await stopWhisper();
    }
  }

  async function stopWhisper() {
    const w = whisper;
    whisper = null;
    render('off');
    if (!w) return;
    if (w.stream) w.stream.getTracks().forEach((t) => t.stop());
    if (w.location && grant) await deleteResource(w.location, grant.token);
    if (w.pc) w.pc.close();
  }

  function render(s) {
    state.whisper = s;
    const b = $('monitor-whisper');
    b.setAttribute('aria-pressed', String(s !== 'off'));
    b.textContent = s === 'off' ? 'Whisper to the agent' : 'Stop whispering';
  }

  /** Stops monitoring: the whisper and both players end (their resources are DELETEd). */
  async function close() {
    await stopWhisper();
    for (const [party, p] of Object.entries(players)) {
      delete players[party];
      await p.stop();
      p.remove();
    }
    grant = null;
    state.sessionId = null;
    state.supervisor = null;
    state.players = {};
    $('monitor').hidden = true;
    $('monitor-whisper').disabled = true;
  }

  return { open, close, sessionId: () => state.sessionId };
}
