// The call page's logic without a page: which state the call is in, what the page says about it, who is who,
// and what the media code should do next. Pure functions of their arguments (time is passed in): no DOM, no
// fetch, no timers. The other call modules hold the page state and draw it; examples/server/src/test/js
// tests this module in Node's test runner.
//
// State machine (window.cskit.state):
//   waiting    the session is not accepted yet, or the other party is not in the room
//   connecting accepted and both present; WebRTC (WHEP play of the other party) being established
//   connected  the other party's media connection is up; timer and controls live
//   ended      call_ended received (or the session was already Ended); duration, rating for customers

export const STATE_LABELS = { waiting: 'Waiting', connecting: 'Connecting', connected: 'Connected', ended: 'Ended' };

/** Token claims that may name the page's user, most specific first. */
const USER_CLAIMS = ['user_id', 'uid', 'sub', 'agent_id', 'customer_id'];

/**
 * The options of a call page URL (`?session=…&role=…&token=…[&autoaccept=1][&user=…][&media=audio][&desk=1]`).
 * `storedAgent` returns the lobby's signed-in agent (or null); it is asked for agents only.
 */
export function callOptions(params, storedAgent) {
  const role = params.get('role') === 'agent' ? 'agent' : 'customer';
  const agent = role === 'agent' ? storedAgent() : null;
  const linkToken = params.get('token') || '';
  return {
    sessionId: params.get('session'),
    role,
    autoAccept: params.get('autoaccept') === '1',
    audioOnly: params.get('media') === 'audio',
    fromDesk: params.get('desk') === '1',
    user: params.get('user') || '',
    agent,
    linkToken,
    token: linkToken || (agent && agent.token) || '',
  };
}

/** The call's state from what the page knows: `ended` wins, then the session and presence, then the player. */
export function computeState({ ended, session, remotePresent, mediaConnected }) {
  if (ended) return 'ended';
  if (!session || session.status === 'Waiting' || !remotePresent) return 'waiting';
  if (session.status === 'Ended') return 'ended';
  return mediaConnected ? 'connected' : 'connecting';
}

/** The other party's display name. */
export function otherName(role, session) {
  if (role === 'customer') return (session && session.agent_name) || 'Agent';
  return (session && session.customer_name) || 'Customer';
}

/** "You are number N in line, about M min" from a queue_position frame. */
export function queueText({ position, estimated_wait }) {
  const wait = Number(estimated_wait) || 0;
  return `You are number ${position} in line` + (wait > 0 ? `, about ${Math.max(1, Math.round(wait / 60))} min` : ': an agent will answer shortly');
}

/** The page's queue entry from a queue_position frame. */
export function queueFrom(frame) {
  return { position: Number(frame.position) || 0, estimated_wait: Number(frame.estimated_wait) || 0 };
}

/** The overlay text while the call is not connected ('' once it is). */
export function waitingText({ state, role, session, remotePresent, queue }) {
  const other = otherName(role, session);
  if (state === 'waiting') {
    if (!session) return 'Loading the session…';
    if (role === 'agent' && session.status === 'Waiting') {
      return remotePresent ? `${other} is waiting. Press Accept to start the call.` : 'Waiting for the customer to join…';
    }
    if (session.status === 'Waiting' && queue) return queueText(queue);
    if (session.status === 'Waiting') return remotePresent ? `${other} will answer shortly…` : 'Waiting for an agent to answer…';
    return `Waiting for ${other} to (re)join…`;
  }
  if (state === 'connecting') return `Connecting to ${other}…`;
  return '';
}

/**
 * Everything the page shows about the call's state, from a snapshot of the page state
 * `{state, role, session, remotePresent, queue, held, roomJoined, fatal}`. `waitingText` is null when a fatal
 * error's text must stay in the overlay; `queue` is null when the queue notice is hidden.
 */
export function callView({ state, role, session, remotePresent, queue, held, roomJoined, fatal }) {
  const active = !!session && session.status === 'Active' && state !== 'ended';
  const queued = !!queue && state === 'waiting' && !!session && session.status === 'Waiting';
  return {
    label: STATE_LABELS[state],
    holdBadge: held && state !== 'ended',
    waitingText: !fatal || state === 'connected' ? waitingText({ state, role, session, remotePresent, queue }) : null,
    queue: queued ? { position: String(queue.position), text: queue.position === 1 ? 'Next in line' : `${queue.position - 1} ahead of you` } : null,
    acceptHidden: !(role === 'agent' && !!session && session.status === 'Waiting' && state !== 'ended'),
    acceptDisabled: !roomJoined,
    holdDisabled: !active,
    transferDisabled: !active,
    holdActive: !!held,
    holdLabel: held ? 'Resume' : 'Hold',
    holdIcon: held ? 'play' : 'pause',
  };
}

/** The timer's base after a session object arrives: its `duration` at `perfNow`, or the previous base. */
export function durationBase(session, previous, perfNow) {
  if (session.duration === undefined || session.duration === null) return previous;
  return { seconds: Number(session.duration) || 0, at: perfNow };
}

/** Seconds the call has lasted: counted on from the last known duration while Active. */
export function liveSeconds(session, base, perfNow, wallNow) {
  if (!session) return 0;
  if (base && session.status === 'Active') return base.seconds + (perfNow - base.at) / 1000;
  if (session.accepted_at && session.status === 'Active') return Math.max(0, (wallNow - Date.parse(session.accepted_at)) / 1000);
  return Number(session.duration) || 0;
}

/** The final duration: the one the end frame gave, else the session's, else 0. */
export function endedDuration(duration, session) {
  return Number(duration ?? (session && session.duration) ?? 0) || 0;
}

/** The ended view's words for a reason (a `call_ended` reason, `hung_up` locally, or `ended`). */
export function describeReason(reason, role) {
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

/** Title and reason line of the ended view. */
export function endedTexts({ reason, transferredTo, role }) {
  if (transferredTo) return { title: 'Call transferred', reason: `The call was handed over to ${transferredTo}.` };
  return { title: 'Call ended', reason: describeReason(reason, role) };
}

/** The chat's system line when the hold state changes. */
export function holdMessage(role, held) {
  if (role === 'customer') return held ? 'You are on hold' : 'Call resumed';
  return held ? 'Call on hold' : 'Call resumed';
}

/** The chat's system line when someone leaves. */
export function leftText(name, reason) {
  return `${name} left${reason ? ' (' + String(reason).toLowerCase() + ')' : ''}`;
}

/** The banner while the room socket reconnects. */
export function reconnectText({ attempt, delay }) {
  return `Signaling connection lost — reconnecting (attempt ${attempt}, in ${Math.round((delay || 0) / 100) / 10}s)…`;
}

/** The agent a `call_transferred` frame hands the call to: `{id, name}`. */
export function transferTarget(frame) {
  const id = frame.agent_id || (frame.session && frame.session.agent_id);
  return { id, name: frame.agent_name || (frame.session && frame.session.agent_name) || id };
}

/** Reads a claim from a `base64url(payload).mac` token if the payload is JSON; null otherwise. */
export function tokenClaim(token, names) {
  if (!token) return null;
  for (const part of token.split('.')) {
    try {
      const json = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=')));
      if (json && typeof json === 'object') for (const n of names) if (typeof json[n] === 'string' && json[n]) return json[n];
    } catch { /* not JSON */ }
  }
  return null;
}

/**
 * Who this page is in the session: `&user=`, else the customer's or the agent's id from the session (a
 * lobby agent opening without a link token is the signed-in agent), else a claim of the token.
 */
export function userIdFor({ user, role, agent, linkToken, token }, session) {
  const own = role === 'customer' ? session && session.customer_id
    : (agent && !linkToken ? agent.agent_id : session && session.agent_id);
  return user || own || tokenClaim(token, USER_CLAIMS);
}

/** The other party's user id from the session, or null before it is loaded. */
export function remoteIdFor(role, session) {
  if (!session) return null;
  return role === 'customer' ? session.agent_id : session.customer_id;
}

/**
 * Why the page cannot ask for the camera and microphone, or null when it can. Browsers offer getUserMedia only
 * to secure contexts (https://, or http:// on localhost): on plain HTTP under any other name there is no
 * `navigator.mediaDevices` at all, and the page must say so rather than fail silently.
 * `{secureContext, hasGetUserMedia, origin}` come from `window.isSecureContext`, `navigator.mediaDevices` and
 * `location.origin`. The result's `title` heads the local tile, `text` and `howTo` fill the banner.
 */
export function captureBlocker({ secureContext, hasGetUserMedia, origin }) {
  if (!secureContext) {
    return {
      code: 'insecure_context',
      title: 'Your camera needs HTTPS',
      text: `Your camera needs HTTPS: browsers give the camera and microphone only to secure pages, and this page was opened over plain HTTP (${origin}). You can still see and hear the other party.`,
      howTo: 'To fix it, open the link over https:// (the server needs TLS or an HTTPS reverse proxy), or on localhost for a trial on this machine.',
    };
  }
  if (!hasGetUserMedia) {
    return {
      code: 'no_media_devices',
      title: 'No camera access in this browser',
      text: 'This browser offers no camera or microphone access (navigator.mediaDevices is missing). You can still see and hear the other party.',
      howTo: 'To fix it, open the link in a current Chrome, Edge, Firefox or Safari.',
    };
  }
  return null;
}

/** The room, WHIP and WHEP paths of a user's stream in a session. */
export const roomIdFor = (sessionId) => 'customer-service/' + sessionId;
export const whipUrl = (sessionId, userId) => `/webrtc/whip/customer-service/${encodeURIComponent(sessionId)}/${encodeURIComponent(userId)}`;
export const whepUrl = (sessionId, userId) => `/webrtc/whep/customer-service/${encodeURIComponent(sessionId)}/${encodeURIComponent(userId)}`;

/**
 * What the player should do now: null to leave it as it is, or `{play: id}` to play that user's stream
 * (`{play: null}`: stop). It plays the other party while connecting or connected; while a transfer waits for
 * the new agent it keeps the current stream, which the server switches over.
 */
export function nextPlayer({ state, remoteId, transferring, playingId, subscriberState }) {
  const want = state === 'connecting' || state === 'connected' ? remoteId : null;
  if (!want && transferring && playingId) return null;
  if (want === playingId && (want === null || subscriberState !== 'stopped')) return null;
  return { play: want };
}

/** Milliseconds before publish attempt `attempt` (0-based) is retried: 0.5 s doubling up to 8 s. */
export function publishBackoff(attempt) {
  return Math.min(8000, 500 * 2 ** attempt);
}

/** The stats panel's publish and play lines. `pcState` is the publisher's connection state, or null without one. */
export function mediaStatus({ publishError, publishState, pcState, playerState, playerConnectionState }) {
  return {
    publish: publishError ? 'retrying' : (pcState ?? publishState),
    play: playerState === 'playing' ? playerConnectionState : playerState,
  };
}

/** The stats panel's texts from `subscriber.getStats()` (in) and `publisher.getStats()` (out); null → '–'. */
export function statsText(st, out) {
  const dash = '–';
  return {
    bitrate: st ? `${st.bitrate} kbps` : dash,
    loss: st ? `${st.packetsLost} (${st.lossPercent}%)` : dash,
    jitter: st ? `${st.jitter} ms` : dash,
    rtt: st && st.rtt !== null ? `${st.rtt} ms` : dash,
    video: st && st.frameWidth ? `${st.frameWidth}×${st.frameHeight} @ ${Math.round(st.fps)} fps` : dash,
    frames: st ? String(st.framesDecoded) : dash,
    audioLevel: st ? `${Math.min(100, Math.round(Math.sqrt(st.audioLevel) * 100))}%` : '0',
    outBitrate: out ? `${out.bitrate} kbps` : dash,
    outVideo: out && out.frameWidth ? `${out.frameWidth}×${out.frameHeight} @ ${Math.round(out.fps)} fps` : dash,
    remote: st && st.connectionState === 'connected' ? `${st.bitrate} kbps` : '',
  };
}
