// Unit tests of the agent desk's pure logic, web/js/desk/state.js (run by `mvn verify` through `node --test`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  callPageUrl, callerName, cancelText, deskView, incomingKind, readyIntent, reconnectText, ringCountdown, toggleAction,
} from '../../main/resources/web/js/desk/state.js';

test('readyIntent: after a (re)join the desk asks to be ready again if the agent wanted it', () => {
  assert.deepEqual(readyIntent({ rejoined: true, wantReady: true, prev: 'ready', state: 'online' }),
    { sendReady: true, wantReady: null, missed: false });
  assert.deepEqual(readyIntent({ rejoined: true, wantReady: false, prev: 'offline', state: 'online' }),
    { sendReady: false, wantReady: null, missed: false });
  assert.deepEqual(readyIntent({ rejoined: true, wantReady: true, prev: 'offline', state: 'busy' }),
    { sendReady: false, wantReady: null, missed: false }, 'a seat that comes back busy is left alone');
});

test('readyIntent: otherwise the server\'s state is what the agent wants, and a missed ring is not ready', () => {
  assert.deepEqual(readyIntent({ rejoined: false, wantReady: false, prev: 'online', state: 'ready' }),
    { sendReady: false, wantReady: true, missed: false });
  assert.deepEqual(readyIntent({ rejoined: false, wantReady: true, prev: 'ringing', state: 'online' }),
    { sendReady: false, wantReady: false, missed: true });
  assert.deepEqual(readyIntent({ rejoined: false, wantReady: true, prev: 'ready', state: 'online' }),
    { sendReady: false, wantReady: false, missed: false });
  assert.deepEqual(readyIntent({ rejoined: false, wantReady: true, prev: 'busy', state: 'wrap_up' }),
    { sendReady: false, wantReady: null, missed: false });
  assert.deepEqual(readyIntent({ rejoined: false, wantReady: true, prev: 'wrap_up', state: 'online' }),
    { sendReady: false, wantReady: null, missed: false });
});

test('deskView: the toggle works once checked in, not in a call, and reads by state', () => {
  const v = (state, roomJoined = true) => deskView({ state, roomJoined });
  assert.deepEqual(v('online'), { label: 'Online · not ready', canToggle: true, isReady: false, toggleText: 'Go ready',
    hint: 'You are checked in but get no calls. Go ready to take calls.' });
  assert.deepEqual([v('ready').isReady, v('ready').toggleText, v('ready').label], [true, 'Go not ready', 'Ready']);
  assert.deepEqual([v('ringing').isReady, v('ringing').canToggle], [true, true]);
  assert.deepEqual([v('busy').canToggle, v('busy').label], [false, 'In a call']);
  assert.deepEqual([v('wrap_up').toggleText, v('wrap_up').canToggle], ['Ready now (end wrap-up)', true]);
  assert.deepEqual([v('offline').canToggle, v('offline').hint], [false, '']);
  assert.deepEqual([v('online', false).canToggle, v('offline', false).hint], [false, 'Connecting to the server…']);
  assert.equal(v('mystery').label, 'mystery');
});

test('toggleAction: ready or ringing goes not ready, anything else goes ready', () => {
  assert.equal(toggleAction('ready'), 'agent_not_ready');
  assert.equal(toggleAction('ringing'), 'agent_not_ready');
  assert.equal(toggleAction('online'), 'agent_ready');
  assert.equal(toggleAction('wrap_up'), 'agent_ready');
});

test('ringing card texts', () => {
  assert.equal(callerName({ session: { customer_name: 'Ann', customer_id: 'c1' } }), 'Ann');
  assert.equal(callerName({ session: { customer_id: 'c1' } }), 'c1');
  assert.equal(callerName({}), 'Customer');
  assert.equal(incomingKind({ transfer: false }), 'Incoming call');
  assert.equal(incomingKind({ transfer: true, from_agent_id: 'agent_001' }), 'Transfer from agent_001');
  assert.equal(incomingKind({ transfer: true }), 'Transfer from another agent');
  assert.equal(cancelText('timeout'), 'was not answered in time');
  assert.equal(cancelText('taken'), 'was taken by another agent');
  assert.equal(cancelText('weird'), 'stopped ringing (weird)');
  assert.equal(cancelText(undefined), 'stopped ringing (cancelled)');
});

test('ringCountdown counts whole seconds up to expires_at, the bar in percent of the ring timeout', () => {
  const f = { ring_timeout: 30, expires_at: '2026-01-01T00:00:30Z' };
  const at = (iso) => ringCountdown(f, Date.parse(iso));
  assert.deepEqual(at('2026-01-01T00:00:00Z'), { seconds: 30, percent: 100 });
  assert.deepEqual(at('2026-01-01T00:00:15.500Z'), { seconds: 15, percent: (14.5 / 30) * 100 });
  assert.deepEqual(at('2026-01-01T00:00:29.900Z').seconds, 1);
  assert.deepEqual(at('2026-01-01T00:01:00Z'), { seconds: 0, percent: 0 });
  assert.equal(ringCountdown({ expires_at: '2026-01-01T00:01:00Z' }, Date.parse('2026-01-01T00:00:00Z')).percent, 100,
    'capped at 100 % when the frame has no ring_timeout (30 s assumed)');
});

test('desk reconnect banner and call page URL', () => {
  assert.equal(reconnectText({ attempt: 2, delay: 1000 }), 'Connection lost — reconnecting (attempt 2, in 1 s)…');
  assert.equal(callPageUrl({ sessionId: 'cs_1', token: 'a+b', media: 'audio' }),
    '/?session=cs_1&role=agent&token=a%2Bb&media=audio&desk=1');
});
