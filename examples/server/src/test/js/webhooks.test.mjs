// Unit tests of web/admin/webhooks.js's pure helpers (run by `mvn verify` through `node --test`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deliveriesPath, describeDelivery, shortEndpoint } from '../../main/resources/web/admin/webhooks.js';

test('deliveriesPath asks for one of the three filters, failed by default', () => {
  assert.equal(deliveriesPath('dead'), '/webhooks/deliveries?status=dead&limit=100');
  assert.equal(deliveriesPath('pending'), '/webhooks/deliveries?status=pending&limit=100');
  assert.equal(deliveriesPath(undefined), '/webhooks/deliveries?status=failed&limit=100');
  assert.equal(deliveriesPath('x&status=dead'), '/webhooks/deliveries?status=failed&limit=100');
});

test('a dead-lettered delivery says so and can be redelivered', () => {
  const v = describeDelivery({ type: 'call.ended', session_id: 'cs_1', endpoint: 'https://crm.example.com/h?k=s',
    state: 'dead', attempts: 7, last_error: 'HTTP 503' });
  assert.equal(v.state, 'dead-lettered after 7 attempts');
  assert.equal(v.error, 'HTTP 503');
  assert.equal(v.subject, 'cs_1');
  assert.equal(v.endpoint, 'crm.example.com/h');
  assert.equal(v.canRedeliver, true);
});

test('a retrying one shows its next attempt; queued and in-flight ones have no button', () => {
  const r = describeDelivery({ type: 'call.held', session_id: 'cs_1', state: 'retrying', attempts: 1,
    next_attempt_at: '2026-01-01T00:00:02Z', last_error: 'cannot connect' });
  assert.equal(r.state, 'retrying (1 attempt so far)');
  assert.equal(r.next, '2026-01-01T00:00:02Z');
  assert.equal(r.canRedeliver, true);
  assert.equal(describeDelivery({ state: 'queued', attempts: 0 }).canRedeliver, false);
  assert.equal(describeDelivery({ state: 'in_flight', attempts: 2 }).state, 'being sent');
  assert.equal(describeDelivery({ state: 'queued', agent_id: 'agent_001' }).subject, 'agent agent_001');
});

test('shortEndpoint keeps host and path, never a query', () => {
  assert.equal(shortEndpoint('http://127.0.0.1:8081/hook?token=abc#x'), '127.0.0.1:8081/hook');
  assert.equal(shortEndpoint('not a url'), 'not a url');
});
