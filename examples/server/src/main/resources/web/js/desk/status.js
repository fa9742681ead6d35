// The status card (the agent's state, the Ready / Not ready toggle, a hint) and the "Today" card (calls
// handled, average duration and rating from GET /customer-service/agents/{id}). Writes window.cskitDesk.stats.
import { $, fmtDuration } from '../util.js';
import { deskView, toggleAction } from './state.js';

/** `setWantReady(on)` records what the agent asked for with the toggle. */
export function createStatus({ desk, room, api, agent, banner, setWantReady }) {
  $('desk-toggle').addEventListener('click', () => {
    const action = toggleAction(desk.state);
    setWantReady(action === 'agent_ready');
    room.send(action);
  });

  function render() {
    const st = desk.state;
    const v = deskView({ state: st, roomJoined: room.state === 'joined' });
    $('desk').dataset.state = st;
    $('desk-state').textContent = v.label;
    $('desk-state-dot').className = 'state-dot state-' + st;
    $('desk-state-since').textContent = desk.stateSince ? 'since ' + new Date(desk.stateSince).toLocaleTimeString() : '';
    const toggle = $('desk-toggle');
    toggle.disabled = !v.canToggle;
    toggle.setAttribute('aria-pressed', String(v.isReady));
    toggle.textContent = v.toggleText;
    toggle.classList.toggle('btn-primary', !v.isReady);
    $('desk-state-hint').textContent = v.hint;
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

  return { render, loadStats };
}
