// Unit tests of web/js/util.js's pure helpers (run by `mvn verify` through `node --test`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fmtDuration } from '../../main/resources/web/js/util.js';

test('fmtDuration shows minutes and seconds under an hour', () => {
  assert.equal(fmtDuration(0), '00:00');
  assert.equal(fmtDuration(7), '00:07');
  assert.equal(fmtDuration(65), '01:05');
  assert.equal(fmtDuration(3599), '59:59');
});

test('fmtDuration adds hours from one hour, minutes padded', () => {
  assert.equal(fmtDuration(3600), '1:00:00');
  assert.equal(fmtDuration(3600 + 5 * 60 + 9), '1:05:09');
  assert.equal(fmtDuration(36000), '10:00:00');
});

test('fmtDuration floors fractions and counts bad input as zero', () => {
  assert.equal(fmtDuration(59.99), '00:59');
  assert.equal(fmtDuration('125'), '02:05');
  assert.equal(fmtDuration(-5), '00:00');
  assert.equal(fmtDuration(null), '00:00');
  assert.equal(fmtDuration(undefined), '00:00');
  assert.equal(fmtDuration('abc'), '00:00');
});
