// A supervisor listening, on the agent's page only (issue 16). The room frame `supervisor_listening`
// {supervisor, listening, badge, whisper_path} comes to the agent alone while a supervisor monitors its call
// (the customer is told nothing): the page shows a small "Supervisor listening" badge (unless the server's
// supervisor_badge is off) and plays that supervisor's whisper, audio for this agent's speakers only, with a WHEP of
// whisper_path (the server lets no customer play it); listening:false removes both.
// Writes window.cskit.supervisors: {supervisorId: {state}} (the whisper player's state).
import { $ } from '../util.js';
import '../../sdk/mb-subscriber.js';

export function createWhisper({ cs, opts }) {
  const { token } = opts;
  const badge = $('supervisor-badge');
  const box = $('whisper-players');
  const players = new Map(); // supervisor id → <mb-subscriber>
  let showBadge = true;
  cs.supervisors = {};

  function onFrame(d) {
    if (!d || !d.supervisor || cs.role !== 'agent' || cs.ended) return;
    showBadge = d.badge !== false;
    if (d.listening) listen(d.supervisor, d.whisper_path); else stop(d.supervisor);
    render();
  }

  /**
   * Plays the supervisor's whisper: a WHEP that waits for it to speak (no media is no stall here). The whisper has
   * no video, and a <video> whose video track never gets a frame plays no sound in Chromium: its audio track plays in
   * an <audio> of its own.
   */
  function listen(supervisor, path) {
    if (players.has(supervisor) || !path) return;
    const p = document.createElement('mb-subscriber');
    p.dataset.testid = 'whisper-player';
    p.dataset.supervisor = supervisor;
    p.watchMedia = false; // silent until the supervisor whispers
    p.video.muted = true;
    const audio = document.createElement('audio');
    audio.autoplay = true;
    p.append(audio);
    p.addEventListener('track', (e) => {
      if (e.detail.track.kind !== 'audio') return;
      audio.srcObject = new MediaStream([e.detail.track]);
      audio.play().catch(() => { /* autoplay refused: the agent's next click on the page plays it */ });
    });
    p.addEventListener('statechange', (e) => { if (cs.supervisors[supervisor]) cs.supervisors[supervisor].state = e.detail.state; });
    box.append(p);
    players.set(supervisor, p);
    cs.supervisors[supervisor] = { state: 'connecting' };
    p.play({ url: '/webrtc/whep/' + path.split('/').map(encodeURIComponent).join('/'), token });
  }

  function stop(supervisor) {
    const p = players.get(supervisor);
    players.delete(supervisor);
    delete cs.supervisors[supervisor];
    if (p) { p.stop(); p.remove(); }
  }

  function render() {
    badge.hidden = !showBadge || players.size === 0;
    badge.title = players.size ? `Listening: ${[...players.keys()].join(', ')}` : '';
  }

  /** The call ended or the page leaves: every whisper player stops. */
  function stopAll() {
    for (const s of [...players.keys()]) stop(s);
    render();
  }

  cs.room.addEventListener('supervisor_listening', (e) => onFrame(e.detail));
  return { stop: stopAll };
}
