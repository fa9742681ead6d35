// A 1v1 media check with werift, an independent WebRTC stack: the agent publishes audio + video via WHIP,
// the customer plays it via WHEP through the cskit server, and every payload must arrive byte for byte.
// Usage: node werift-call.mjs --base http://127.0.0.1:PORT [--packets 150] [--expect-profile 1|7] [--session ID]
//        [--ice-tcp true]
// (--session: use this session, already assigned to agent_001, instead of creating and assigning one;
//  --ice-tcp: werift also gathers TCP candidates (its iceUseTcp, RFC 6544), and the result names the transport of
//  each connection's nominated pair)
// Prints one JSON line with the result; exits 0 only if every check passed.
import { RTCPeerConnection, MediaStreamTrack, RtpPacket, RtpHeader } from 'werift';
import { fail, parseArgs, strictClient } from './lib.mjs';

const args = parseArgs();
const base = args.base ?? 'http://127.0.0.1:8080';
const packets = Number(args.packets ?? 150);
const expectProfile = args['expect-profile'] ? Number(args['expect-profile']) : undefined;
const pcConfig = { iceAdditionalHostAddresses: ['127.0.0.1'], ...(args['ice-tcp'] === 'true' ? { iceUseTcp: true } : {}) };
const deadline = setTimeout(() => fail('timed out after 45 s'), 45_000);


const api = strictClient(base);

async function negotiate(pc, kind, path, token) {
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.iceGatheringStateChange.subscribe((s) => s === 'complete' && resolve());
  });
  const res = await fetch(`${base}/webrtc/${kind}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/sdp', authorization: 'Bearer ' + token },
    body: pc.localDescription.sdp,
  });
  const text = await res.text();
  if (res.status !== 201) fail(`${kind} ${path} -> ${res.status} ${text}`);
  if (!res.headers.get('location')) fail(`${kind} answer has no Location`);
  await pc.setRemoteDescription({ type: 'answer', sdp: text });
  return new URL(res.headers.get('location'), base).toString();
}

function payloadFor(kind, i) {
  // A recognisable payload per packet: kind, index, and filler whose bytes depend on the index.
  const body = Buffer.alloc(kind === 'video' ? 900 : 120);
  for (let j = 0; j < body.length; j++) body[j] = (i * 31 + j * 7) & 0xff;
  Buffer.from(`${kind}:${i}:`).copy(body, 0);
  return body;
}

const session = args.session ? { id: args.session }
  : await api('POST', '/sessions', { title: 'werift media check', customer_name: 'Werift Customer' });
if (!args.session) await api('POST', `/sessions/${session.id}/assign`, { agent_id: 'agent_001', agent_name: 'Agent Wang' });
const links = await api('GET', `/sessions/${session.id}/links`);
const agentPath = `customer-service/${session.id}/agent_001`;

// Customer: plays the agent's stream.
const received = { audio: new Map(), video: new Map() };
const player = new RTCPeerConnection(pcConfig);
player.addTransceiver('audio', { direction: 'recvonly' });
player.addTransceiver('video', { direction: 'recvonly' });
player.onTrack.subscribe((track) => {
  track.onReceiveRtp.subscribe((rtp) => {
    const text = rtp.payload.subarray(0, 16).toString('latin1');
    const m = /^(audio|video):(\d+):/.exec(text);
    if (m) received[m[1]].set(Number(m[2]), Buffer.from(rtp.payload));
  });
});

// Agent: publishes audio and video tracks fed with synthetic RTP.
const publisher = new RTCPeerConnection(pcConfig);
const tracks = { audio: new MediaStreamTrack({ kind: 'audio' }), video: new MediaStreamTrack({ kind: 'video' }) };
publisher.addTransceiver(tracks.audio, { direction: 'sendonly' });
publisher.addTransceiver(tracks.video, { direction: 'sendonly' });

const whipUrl = await negotiate(publisher, 'whip', agentPath, links.agent_token);
const whepUrl = await negotiate(player, 'whep', agentPath, links.customer_token);

await Promise.all([publisher, player].map((pc) => new Promise((resolve) => {
  if (pc.connectionState === 'connected') return resolve();
  pc.connectionStateChange.subscribe((s) => s === 'connected' && resolve());
})));
const profile = publisher.dtlsTransports[0]?.dtls?.srtp?.srtpProfile;

for (let i = 0; i < packets; i++) {
  for (const kind of ['audio', 'video']) {
    const header = new RtpHeader({ payloadType: 96, sequenceNumber: i, timestamp: i * (kind === 'audio' ? 960 : 3000), marker: true });
    tracks[kind].writeRtp(new RtpPacket(header, payloadFor(kind, i)));
  }
  await new Promise((r) => setTimeout(r, 10));
}
await new Promise((r) => setTimeout(r, 1500));

const result = { ok: true, session: session.id, profile, sent: packets,
  transports: [publisher, player].map((pc) => pc.iceTransports[0]?.connection?.nominated?.localCandidate?.transport ?? null) };
for (const kind of ['audio', 'video']) {
  let intact = 0;
  let corrupt = 0;
  for (const [i, payload] of received[kind]) {
    if (payload.equals(payloadFor(kind, i))) intact++; else corrupt++;
  }
  result[kind] = { received: received[kind].size, intact, corrupt };
  // Loopback without loss: allow a few packets sent before DTLS finished on the player side.
  if (corrupt > 0 || intact < packets * 0.9) result.ok = false;
}
if (expectProfile !== undefined && profile !== undefined && profile !== expectProfile) {
  result.ok = false;
  result.error = `negotiated SRTP profile ${profile}, expected ${expectProfile}`;
}

for (const [name, url, token] of [['whep_delete', whepUrl, links.customer_token], ['whip_delete', whipUrl, links.agent_token]]) {
  const res = await fetch(url, { method: 'DELETE', headers: { authorization: 'Bearer ' + token } });
  result[name] = res.status;
  if (res.status !== 200 && res.status !== 204) result.ok = false;
}
await publisher.close();
await player.close();
clearTimeout(deadline);
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
