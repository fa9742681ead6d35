// The agent desk's logic without a page: what the desk says about the agent's state, whether it asks to be
// ready again, the ringing card's texts and countdown. Pure functions of their arguments (time is passed in):
// no DOM, no fetch, no timers; examples/server/src/test/js tests this module in Node's test runner.

export const STATE_LABELS = {
  offline: 'Offline', online: 'Online · not ready', ready: 'Ready', ringing: 'Ringing', busy: 'In a call', wrap_up: 'Wrap-up',
};

const HINTS = {
  online: 'You are checked in but get no calls. Go ready to take calls.',
  ready: 'Waiting for calls: the next customer in line rings here.',
  ringing: 'A call is ringing: accept or reject it.',
  busy: 'You are in a call.',
  wrap_up: 'After-call work: you will be ready again shortly.',
};

/**
 * What an `agent_state` frame changes in what the agent wants: `{sendReady, wantReady, missed}`, where
 * `wantReady` is the new wish (null: unchanged). Right after a (re)join the server has forgotten that the
 * agent was ready (a lost seat is "not ready"), so the desk asks again; otherwise the server's word is the
 * truth: ready means the agent wants calls, and falling from ready or ringing to online (a missed ring)
 * means it does not.
 */
export function readyIntent({ rejoined, wantReady, prev, state }) {
  if (rejoined) return { sendReady: wantReady && state === 'online', wantReady: null, missed: false };
  if (state === 'ready') return { sendReady: false, wantReady: true, missed: false };
  if (state === 'online' && (prev === 'ready' || prev === 'ringing')) return { sendReady: false, wantReady: false, missed: prev === 'ringing' };
  return { sendReady: false, wantReady: null, missed: false };
}

/** The status card: label, toggle (enabled, pressed, text) and hint for `state` with the desk's room `roomJoined` or not. */
export function deskView({ state, roomJoined }) {
  const isReady = state === 'ready' || state === 'ringing'; // not ready while ringing withdraws the call
  return {
    label: STATE_LABELS[state] || state,
    canToggle: roomJoined && state !== 'busy' && state !== 'offline',
    isReady,
    toggleText: isReady ? 'Go not ready' : state === 'wrap_up' ? 'Ready now (end wrap-up)' : 'Go ready',
    hint: state === 'offline' ? (roomJoined ? '' : 'Connecting to the server…') : HINTS[state] || '',
  };
}

/** The frame the toggle sends in `state`: ready and ringing go not ready, anything else goes ready. */
export function toggleAction(state) {
  return state === 'ready' || state === 'ringing' ? 'agent_not_ready' : 'agent_ready';
}

/** The customer an `incoming_call` frame is about. */
export function callerName(frame) {
  const s = (frame && frame.session) || {};
  return s.customer_name || s.customer_id || 'Customer';
}

/** The ringing card's first line: a new call or a transfer. */
export function incomingKind(frame) {
  return frame.transfer ? `Transfer from ${frame.from_agent_id || 'another agent'}` : 'Incoming call';
}

/** How an `incoming_cancelled` reason reads after "Call from X …". */
export function cancelText(reason) {
  const r = String(reason || '');
  return ({
    timeout: 'was not answered in time', rejected: 'was rejected', presence_lost: 'stopped ringing (connection lost)',
    ended: 'ended before it was answered', assigned: 'was assigned to another agent', taken: 'was taken by another agent',
    not_ready: 'stopped ringing (not ready)', offline: 'stopped ringing (offline)',
  })[r] || `stopped ringing (${r || 'cancelled'})`;
}

/** Whole seconds left to answer a ring at `now` (ms) and the bar's width in percent of the ring timeout. */
export function ringCountdown(frame, now) {
  const total = Number(frame.ring_timeout) || 30;
  const left = Math.max(0, (Date.parse(frame.expires_at) - now) / 1000);
  return { seconds: Math.ceil(left), percent: Math.min(100, (left / total) * 100) };
}

/** The banner while the desk's socket reconnects. */
export function reconnectText({ attempt, delay }) {
  return `Connection lost — reconnecting (attempt ${attempt}, in ${Math.round((delay || 0) / 100) / 10} s)…`;
}

/** The call page URL the desk opens for an accepted call. */
export function callPageUrl({ sessionId, token, media }) {
  return '/?' + new URLSearchParams({ session: sessionId, role: 'agent', token, media, desk: '1' }).toString();
}
