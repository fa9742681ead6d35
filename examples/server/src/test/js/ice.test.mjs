// Unit tests of web/sdk/ice.js's SDP helpers for ICE restarts over WHIP/WHEP PATCH (run by `mvn verify` through
// `node --test`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { iceCredentials, iceFragment, withIceCredentials } from '../../main/resources/web/sdk/ice.js';

// A trimmed Chromium restart offer: session part, a bundled audio and video section.
const OFFER = [
  'v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0 1',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'c=IN IP4 0.0.0.0',
  'a=candidate:1 1 udp 2122260223 10.0.0.5 50000 typ host generation 0',
  'a=candidate:2 1 tcp 1518280447 10.0.0.5 9 typ host tcptype active generation 0',
  'a=ice-ufrag:NEWu', 'a=ice-pwd:newPasswordOfTheClient22', 'a=fingerprint:sha-256 AB:CD', 'a=setup:actpass',
  'a=mid:0', 'a=sendonly', 'a=rtpmap:111 opus/48000/2',
  'm=video 9 UDP/TLS/RTP/SAVPF 96', 'c=IN IP4 0.0.0.0', 'a=ice-ufrag:NEWu', 'a=ice-pwd:newPasswordOfTheClient22',
  'a=mid:1', 'a=candidate:9 1 udp 1 10.0.0.5 50001 typ host',
].join('\r\n') + '\r\n';

test('the fragment carries the credentials, the bundle m= line, its mid and candidates (RFC 8840 §9)', () => {
  assert.equal(iceFragment(OFFER), [
    'a=ice-ufrag:NEWu', 'a=ice-pwd:newPasswordOfTheClient22', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0',
    'a=candidate:1 1 udp 2122260223 10.0.0.5 50000 typ host generation 0',
    'a=candidate:2 1 tcp 1518280447 10.0.0.5 9 typ host tcptype active generation 0',
    'a=end-of-candidates',
  ].join('\r\n') + '\r\n');
  assert.ok(!iceFragment(OFFER, false).includes('end-of-candidates'), 'no end while gathering goes on');
});

test('a description without credentials or m= line has no fragment', () => {
  assert.throws(() => iceFragment('v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n'), /no ICE credentials/);
  assert.throws(() => iceFragment('a=ice-ufrag:abcd\r\na=ice-pwd:x\r\n'), /no ICE credentials or m= line/);
});

test('the server\'s new credentials replace every section\'s of the last answer, nothing else', () => {
  const answer = 'v=0\r\na=ice-lite\r\nm=audio 9 X 111\r\na=ice-ufrag:old1\r\na=ice-pwd:oldPassword\r\na=mid:0\r\n'
    + 'm=video 9 X 96\r\na=ice-ufrag:old1\r\na=ice-pwd:oldPassword\r\na=mid:1\r\n';
  const next = withIceCredentials(answer, 'srv2', 'serverPassword2');
  assert.equal(next, answer.replaceAll('old1', 'srv2').replaceAll('oldPassword', 'serverPassword2'));
  assert.deepEqual(iceCredentials('a=ice-lite\r\na=ice-ufrag:srv2\r\na=ice-pwd:serverPassword2\r\n'),
    { ufrag: 'srv2', pwd: 'serverPassword2' });
  assert.equal(iceCredentials('a=ice-lite\r\n'), null);
});

test('RFC 9725 §4.6 Link headers become RTCIceServers, joined as fetch joins them', async () => {
  const { parseIceServerLinks } = await import('../../main/resources/web/sdk/whip.js');
  const header = '<stun:stun.example.net>; rel="ice-server", '
    + '<turn:turn.example.net:3478?transport=udp>; rel="ice-server"; username="1700000000:cust_1"; '
    + 'credential="aGVsbG8+/w=="; credential-type="password", <https://example.net/next>; rel="next"';
  assert.deepEqual(parseIceServerLinks(header), [
    { urls: 'stun:stun.example.net' },
    { urls: 'turn:turn.example.net:3478?transport=udp', username: '1700000000:cust_1', credential: 'aGVsbG8+/w==' },
  ]);
  assert.deepEqual(parseIceServerLinks(null), []);
  assert.deepEqual(parseIceServerLinks('garbage'), []);
});
