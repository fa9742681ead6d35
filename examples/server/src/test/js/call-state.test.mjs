// Unit tests of the call page's pure logic, web/js/call/state.js (run by `mvn verify` through `node --test`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  callOptions, callView, captureBlocker, computeState, describeReason, durationBase, endedDuration, endedTexts, holdMessage, leftText,
  liveSeconds, mediaStatus, nextPlayer, otherName, publishBackoff, queueFrom, queueText, reconnectText, remoteIdFor,
  roomIdFor, statsText, tokenClaim, transferTarget, userIdFor, waitingText, whepUrl, whipUrl,
} from '../../main/resources/web/js/call/state.js';

const WAITING = { status: 'Waiting', customer_id: 'cust_1', customer_name: 'Wendy', agent_id: 'agent_1', agent_name: 'Wang' };
const ACTIVE = { ...WAITING, status: 'Active' };
const ENDED = { ...WAITING, status: 'Ended' };
const token = (claims) => Buffer.from(JSON.stringify(claims)).toString('base64url') + '.c2lnbmF0dXJl';

test('callOptions reads the link and falls back to the lobby login for agents only', () => {
  const lobby = { token: 'login-token', agent_id: 'agent_9' };
  let asked = 0;
  const stored = () => { asked++; return lobby; };
  const customer = callOptions(new URLSearchParams('session=cs_1&role=customer&token=t1'), stored);
  assert.equal(asked, 0, 'a customer page never reads the agent login');
  assert.deepEqual({ ...customer }, { sessionId: 'cs_1', role: 'customer', autoAccept: false, audioOnly: false, fromDesk: false,
    user: '', agent: null, linkToken: 't1', token: 't1' });
  const agent = callOptions(new URLSearchParams('session=cs_1&role=agent&autoaccept=1&media=audio&desk=1&user=u'), stored);
  assert.equal(asked, 1);
  assert.equal(agent.token, 'login-token');
  assert.equal(agent.linkToken, '');
  assert.deepEqual([agent.autoAccept, agent.audioOnly, agent.fromDesk, agent.user], [true, true, true, 'u']);
  assert.equal(callOptions(new URLSearchParams('session=cs_1&role=agent&token=link'), stored).token, 'link', 'the link token wins');
  assert.equal(callOptions(new URLSearchParams('session=cs_1&role=admin'), stored).role, 'customer', 'anything else is a customer');
});

test('computeState: ended wins, then waiting until accepted and both present, then the player decides', () => {
  const s = (over) => computeState({ ended: null, session: ACTIVE, remotePresent: true, mediaConnected: false, ...over });
  assert.equal(s({ ended: { reason: 'x' }, mediaConnected: true }), 'ended');
  assert.equal(s({ session: null }), 'waiting');
  assert.equal(s({ session: WAITING, mediaConnected: true }), 'waiting');
  assert.equal(s({ remotePresent: false, mediaConnected: true }), 'waiting');
  assert.equal(s({ session: ENDED }), 'ended');
  assert.equal(s({ session: ENDED, remotePresent: false }), 'waiting', 'an Ended session without the other party waits for call_ended');
  assert.equal(s({}), 'connecting');
  assert.equal(s({ mediaConnected: true }), 'connected');
});

test('otherName names the other party, with a default before the session is known', () => {
  assert.equal(otherName('customer', ACTIVE), 'Wang');
  assert.equal(otherName('agent', ACTIVE), 'Wendy');
  assert.equal(otherName('customer', null), 'Agent');
  assert.equal(otherName('agent', { status: 'Waiting' }), 'Customer');
});

test('queueText gives the place in line and the wait in whole minutes, at least one', () => {
  assert.equal(queueText({ position: 1, estimated_wait: 150 }), 'You are number 1 in line, about 3 min');
  assert.equal(queueText({ position: 2, estimated_wait: 89 }), 'You are number 2 in line, about 1 min');
  assert.equal(queueText({ position: 3, estimated_wait: 10 }), 'You are number 3 in line, about 1 min');
  assert.equal(queueText({ position: 4, estimated_wait: 0 }), 'You are number 4 in line: an agent will answer shortly');
  assert.deepEqual(queueFrom({ position: '2', estimated_wait: 'x' }), { position: 2, estimated_wait: 0 });
});

test('waitingText says what the page waits for, per role and session status', () => {
  const w = (over) => waitingText({ state: 'waiting', role: 'customer', session: WAITING, remotePresent: false, queue: null, ...over });
  assert.equal(w({ session: null }), 'Loading the session…');
  assert.equal(w({ role: 'agent', remotePresent: true }), 'Wendy is waiting. Press Accept to start the call.');
  assert.equal(w({ role: 'agent' }), 'Waiting for the customer to join…');
  assert.equal(w({ queue: { position: 2, estimated_wait: 120 } }), 'You are number 2 in line, about 2 min');
  assert.equal(w({ remotePresent: true }), 'Wang will answer shortly…');
  assert.equal(w({}), 'Waiting for an agent to answer…');
  assert.equal(w({ session: ACTIVE }), 'Waiting for Wang to (re)join…');
  assert.equal(w({ state: 'connecting', session: ACTIVE }), 'Connecting to Wang…');
  assert.equal(w({ state: 'connected', session: ACTIVE }), '');
});

test('callView: the queue notice only while a queued customer waits', () => {
  const v = (over) => callView({ state: 'waiting', role: 'customer', session: WAITING, remotePresent: false,
    queue: { position: 1, estimated_wait: 60 }, held: false, roomJoined: true, fatal: false, ...over });
  assert.deepEqual(v({}).queue, { position: '1', text: 'Next in line' });
  assert.deepEqual(v({ queue: { position: 3, estimated_wait: 0 } }).queue, { position: '3', text: '2 ahead of you' });
  assert.equal(v({ queue: null }).queue, null);
  assert.equal(v({ session: ACTIVE, state: 'connecting' }).queue, null);
  assert.equal(v({ state: 'ended' }).queue, null);
});

test('callView: Accept for an agent while Waiting, enabled once joined; Hold and Transfer while Active', () => {
  const v = (over) => callView({ state: 'waiting', role: 'agent', session: WAITING, remotePresent: true, queue: null,
    held: false, roomJoined: true, fatal: false, ...over });
  assert.equal(v({}).acceptHidden, false);
  assert.equal(v({}).acceptDisabled, false);
  assert.equal(v({ roomJoined: false }).acceptDisabled, true);
  assert.equal(v({ role: 'customer' }).acceptHidden, true);
  assert.equal(v({ session: ACTIVE, state: 'connected' }).acceptHidden, true);
  assert.equal(v({ state: 'ended' }).acceptHidden, true);
  assert.deepEqual([v({}).holdDisabled, v({}).transferDisabled], [true, true]);
  const active = v({ session: ACTIVE, state: 'connected' });
  assert.deepEqual([active.holdDisabled, active.transferDisabled], [false, false]);
  assert.equal(v({ session: ACTIVE, state: 'ended' }).holdDisabled, true);
});

test('callView: hold shows a badge and turns the button into Resume', () => {
  const v = (over) => callView({ state: 'connected', role: 'agent', session: ACTIVE, remotePresent: true, queue: null,
    held: true, roomJoined: true, fatal: false, ...over });
  assert.deepEqual([v({}).holdBadge, v({}).holdLabel, v({}).holdIcon, v({}).holdActive], [true, 'Resume', 'play', true]);
  assert.equal(v({ state: 'ended' }).holdBadge, false);
  const resumed = v({ held: false });
  assert.deepEqual([resumed.holdBadge, resumed.holdLabel, resumed.holdIcon, resumed.holdActive], [false, 'Hold', 'pause', false]);
  assert.equal(v({}).label, 'Connected');
});

test('callView keeps a fatal error in the overlay until the call connects', () => {
  const v = (over) => callView({ state: 'waiting', role: 'customer', session: null, remotePresent: false, queue: null,
    held: false, roomJoined: false, fatal: true, ...over });
  assert.equal(v({}).waitingText, null);
  assert.equal(v({ state: 'connected', session: ACTIVE }).waitingText, '');
  assert.equal(v({ fatal: false }).waitingText, 'Loading the session…');
});

test('liveSeconds counts on from the last duration while Active, else from accepted_at, else the duration', () => {
  const base = durationBase({ ...ACTIVE, duration: 42 }, null, 1000);
  assert.deepEqual(base, { seconds: 42, at: 1000 });
  assert.equal(durationBase({ ...ACTIVE }, base, 5000), base, 'a session without duration keeps the base');
  assert.equal(liveSeconds(ACTIVE, base, 4500, 0), 45.5);
  const accepted = { ...ACTIVE, accepted_at: '2026-01-01T00:00:00Z' };
  assert.equal(liveSeconds(accepted, null, 0, Date.parse('2026-01-01T00:01:30Z')), 90);
  assert.equal(liveSeconds(accepted, null, 0, Date.parse('2025-12-31T23:59:00Z')), 0, 'a clock behind the server never goes negative');
  assert.equal(liveSeconds({ ...ENDED, duration: 77 }, base, 9999, 0), 77);
  assert.equal(liveSeconds(null, base, 9999, 0), 0);
});

test('endedDuration: the frame, then the session, then zero', () => {
  assert.equal(endedDuration(12, { duration: 99 }), 12);
  assert.equal(endedDuration(0, { duration: 99 }), 0);
  assert.equal(endedDuration(undefined, { duration: 99 }), 99);
  assert.equal(endedDuration(null, null), 0);
  assert.equal(endedDuration('n/a', null), 0);
});

test('describeReason tells the user who ended the call', () => {
  assert.equal(describeReason('customer_hangup', 'customer'), 'You hung up.');
  assert.equal(describeReason('customer_hangup', 'agent'), 'The customer hung up.');
  assert.equal(describeReason('agent_left', 'agent'), 'You hung up.');
  assert.equal(describeReason('AGENT_HANGUP', 'customer'), 'The agent hung up.');
  assert.equal(describeReason('hung_up', 'agent'), 'You hung up.');
  assert.equal(describeReason('timeout', 'customer'), 'The session timed out.');
  assert.equal(describeReason('admin_closed', 'customer'), 'The session was closed by an administrator.');
  assert.equal(describeReason('shutdown', 'agent'), 'The server is shutting down.');
  assert.equal(describeReason('moon_phase', 'agent'), 'Reason: moon_phase');
  assert.equal(describeReason('', 'agent'), '');
});

test('endedTexts: a transfer names the new agent instead of a reason', () => {
  assert.deepEqual(endedTexts({ reason: 'transferred', transferredTo: 'Li', role: 'agent' }),
    { title: 'Call transferred', reason: 'The call was handed over to Li.' });
  assert.deepEqual(endedTexts({ reason: 'timeout', role: 'customer' }), { title: 'Call ended', reason: 'The session timed out.' });
});

test('chat lines for hold, leaving and reconnecting', () => {
  assert.equal(holdMessage('customer', true), 'You are on hold');
  assert.equal(holdMessage('agent', true), 'Call on hold');
  assert.equal(holdMessage('customer', false), 'Call resumed');
  assert.equal(holdMessage('agent', false), 'Call resumed');
  assert.equal(leftText('Wang', 'PRESENCE_LOST'), 'Wang left (presence_lost)');
  assert.equal(leftText('Wang', undefined), 'Wang left');
  assert.equal(reconnectText({ attempt: 3, delay: 2049 }), 'Signaling connection lost — reconnecting (attempt 3, in 2s)…');
  assert.equal(reconnectText({ attempt: 1 }), 'Signaling connection lost — reconnecting (attempt 1, in 0s)…');
});

test('transferTarget takes the new agent from the frame or its session', () => {
  assert.deepEqual(transferTarget({ agent_id: 'a2', agent_name: 'Li' }), { id: 'a2', name: 'Li' });
  assert.deepEqual(transferTarget({ session: { agent_id: 'a3', agent_name: 'Zhao' } }), { id: 'a3', name: 'Zhao' });
  assert.deepEqual(transferTarget({ agent_id: 'a4' }), { id: 'a4', name: 'a4' });
});

test('tokenClaim reads the first named claim of a JSON token part, null otherwise', () => {
  assert.equal(tokenClaim(token({ sub: 's', uid: 'u' }), ['user_id', 'uid', 'sub']), 'u');
  assert.equal(tokenClaim(token({ user_id: '', sub: 's' }), ['user_id', 'sub']), 's', 'empty claims are skipped');
  assert.equal(tokenClaim(token({ n: 1 }), ['user_id']), null);
  assert.equal(tokenClaim('opaque-random-token', ['user_id']), null);
  assert.equal(tokenClaim('', ['user_id']), null);
});

test('userIdFor: &user=, else the role\'s id in the session, else the token', () => {
  const opts = (over) => ({ user: '', role: 'customer', agent: null, linkToken: 't', token: 't', ...over });
  assert.equal(userIdFor(opts({ user: 'me' }), WAITING), 'me');
  assert.equal(userIdFor(opts({}), WAITING), 'cust_1');
  assert.equal(userIdFor(opts({ role: 'agent' }), WAITING), 'agent_1');
  const lobby = { agent_id: 'agent_9', token: 'login' };
  assert.equal(userIdFor(opts({ role: 'agent', agent: lobby, linkToken: '', token: 'login' }), WAITING), 'agent_9',
    'signed in without a link: the lobby agent');
  assert.equal(userIdFor(opts({ role: 'agent', agent: lobby }), WAITING), 'agent_1', 'with a link token: the session\'s agent');
  assert.equal(userIdFor(opts({ token: token({ customer_id: 'cust_7' }) }), null), 'cust_7');
  assert.equal(userIdFor(opts({}), null), null);
});

test('remoteIdFor and the stream paths', () => {
  assert.equal(remoteIdFor('customer', WAITING), 'agent_1');
  assert.equal(remoteIdFor('agent', WAITING), 'cust_1');
  assert.equal(remoteIdFor('agent', null), null);
  assert.equal(roomIdFor('cs_1'), 'customer-service/cs_1');
  assert.equal(whipUrl('cs 1', 'a/b'), '/webrtc/whip/customer-service/cs%201/a%2Fb');
  assert.equal(whepUrl('cs_1', 'agent_1'), '/webrtc/whep/customer-service/cs_1/agent_1');
});

test('nextPlayer plays the other party while connecting or connected, and stops otherwise', () => {
  const p = (over) => nextPlayer({ state: 'connecting', remoteId: 'agent_1', transferring: false, playingId: null,
    subscriberState: 'idle', ...over });
  assert.deepEqual(p({}), { play: 'agent_1' });
  assert.deepEqual(p({ state: 'connected', playingId: 'agent_1', subscriberState: 'playing' }), null, 'already playing it');
  assert.deepEqual(p({ playingId: 'agent_1', subscriberState: 'stopped' }), { play: 'agent_1' }, 'a stopped player plays again');
  assert.deepEqual(p({ playingId: 'agent_1', remoteId: 'agent_2', subscriberState: 'playing' }), { play: 'agent_2' });
  assert.deepEqual(p({ state: 'waiting', playingId: 'agent_1', subscriberState: 'playing' }), { play: null });
  assert.deepEqual(p({ state: 'waiting' }), null, 'nothing to stop');
  assert.deepEqual(p({ state: 'waiting', transferring: true, playingId: 'agent_2', subscriberState: 'playing' }), null,
    'a transfer keeps the player while the new agent is not there');
  assert.deepEqual(p({ state: 'ended', playingId: 'agent_1', subscriberState: 'playing' }), { play: null });
});

test('publishBackoff doubles from 0.5 s up to 8 s', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 10].map(publishBackoff), [500, 1000, 2000, 4000, 8000, 8000, 8000]);
});

test('mediaStatus: retrying on a publish error, the peer connection state once there is one', () => {
  const m = (over) => mediaStatus({ publishError: null, publishState: 'publishing', pcState: null, playerState: 'idle',
    playerConnectionState: 'new', ...over });
  assert.equal(m({}).publish, 'publishing');
  assert.equal(m({ pcState: 'connected' }).publish, 'connected');
  assert.equal(m({ pcState: 'connected', publishError: '409' }).publish, 'retrying');
  assert.equal(m({}).play, 'idle');
  assert.equal(m({ playerState: 'playing', playerConnectionState: 'connecting' }).play, 'connecting');
});

test('statsText formats the stats panel, dashes without stats', () => {
  const empty = statsText(null, null);
  assert.deepEqual(empty, { bitrate: '–', loss: '–', jitter: '–', rtt: '–', video: '–', frames: '–', audioLevel: '0',
    outBitrate: '–', outVideo: '–', remote: '' });
  const t = statsText({ bitrate: 812, packetsLost: 3, lossPercent: 0.4, jitter: 12, rtt: null, frameWidth: 640, frameHeight: 480,
    fps: 29.6, framesDecoded: 1200, audioLevel: 0.25, connectionState: 'connected' }, { bitrate: 700, frameWidth: 0 });
  assert.deepEqual(t, { bitrate: '812 kbps', loss: '3 (0.4%)', jitter: '12 ms', rtt: '–', video: '640×480 @ 30 fps',
    frames: '1200', audioLevel: '50%', outBitrate: '700 kbps', outVideo: '–', remote: '812 kbps' });
  assert.equal(statsText({ audioLevel: 4, rtt: 5 }, null).audioLevel, '100%');
  assert.equal(statsText({ audioLevel: 4, rtt: 5 }, null).rtt, '5 ms');
});

test('captureBlocker says the camera needs HTTPS on a page that is not a secure context', () => {
  const b = captureBlocker({ secureContext: false, hasGetUserMedia: false, origin: 'http://cs.test:8080' });
  assert.equal(b.code, 'insecure_context');
  assert.match(b.text, /camera needs HTTPS/);
  assert.match(b.text, /http:\/\/cs\.test:8080/, 'it names the origin the page was opened on');
  assert.match(b.howTo, /https:\/\//);
  assert.equal(captureBlocker({ secureContext: false, hasGetUserMedia: true, origin: 'http://x' }).code, 'insecure_context',
    'an insecure page is blocked even where a browser exposes mediaDevices');
});

test('captureBlocker names a secure page without getUserMedia, and lets a capable secure page capture', () => {
  const b = captureBlocker({ secureContext: true, hasGetUserMedia: false, origin: 'https://cs.test' });
  assert.equal(b.code, 'no_media_devices');
  assert.doesNotMatch(b.text, /HTTPS/);
  assert.equal(captureBlocker({ secureContext: true, hasGetUserMedia: true, origin: 'https://cs.test' }), null);
  assert.equal(captureBlocker({ secureContext: true, hasGetUserMedia: true, origin: 'http://localhost:8080' }), null);
});
