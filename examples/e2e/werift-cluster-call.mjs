// A 1v1 werift call across two cluster nodes (issue 17, acceptance 3): the customer publishes and plays through
// node --customer-base (its WHIP/WHEP are forwarded to the session's media home), the agent publishes and plays
// through node --agent-base; each side sends synthetic RTP and every payload must arrive intact on the other side.
// Usage: node werift-cluster-call.mjs --customer-base http://127.0.0.1:B --agent-base http://127.0.0.1:A
//        --session ID --customer-id ID --customer-token T --agent-token T [--packets 100]
// Prints one JSON line: ok, each negotiation's via/status/location/media node/answer candidates, the packets
// received on each side, and the DELETE statuses (the customer's through its own node by the resource's path).
import { RTCPeerConnection, MediaStreamTrack, RtpPacket, RtpHeader } from 'werift';
import { fail, parseArgs } from './lib.mjs';

const args = parseArgs();
const customerBase = args['customer-base'];
const agentBase = args['agent-base'];
const packets = Number(args.packets ?? 100);
const session = args.session;
const pcConfig = { iceAdditionalHostAddresses: ['127.0.0.1'] };
const deadline = setTimeout(() => fail('timed out after 60 s', { negotiations }), 60_000);
const negotiations = [];

async function negotiate(pc, who, kind, base, path, token) {
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.iceGatheringStateChange.subscribe((s) => s === 'complete' && resolve());
  });
  const res = await fetch(`${base}/webrtc/${kind}/customer-service/${session}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/sdp', authorization: 'Bearer ' + token },
    body: pc.localDescription.sdp,
  });
  const text = await res.text();
  const n = { who, kind, via: base, status: res.status, location: res.headers.get('location'),
    etag: res.headers.get('etag'), media_node: res.headers.get('x-cskit-media-node'),
    candidates: text.split(/\r?\n/).filter((l) => l.startsWith('a=candidate:')).map((l) => l.slice(2)) };
  negotiations.push(n);
  if (res.status !== 201) fail(`${who} ${kind} via ${base} -> ${res.status} ${text}`, { negotiations });
  await pc.setRemoteDescription({ type: 'answer', sdp: text });
  return n.location;
}

function payloadFor(from, kind, i) {
  const body = Buffer.alloc(kind === 'video' ? 900 : 120);
  for (let j = 0; j < body.length; j++) body[j] = (i * 31 + j * 7 + from.length) & 0xff;
  Buffer.from(`${from}:${kind}:${i}:`).copy(body, 0);
  return body;
}

function player() {
  const pc = new RTCPeerConnection(pcConfig);
  const received = { audio: new Map(), video: new Map() };
  pc.addTransceiver('audio', { direction: 'recvonly' });
  pc.addTransceiver('video', { direction: 'recvonly' });
  pc.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((rtp) => {
    const m = /^(\w+):(audio|video):(\d+):/.exec(rtp.payload.subarray(0, 24).toString('latin1'));
    if (m) received[m[2]].set(Number(m[3]), { from: m[1], payload: Buffer.from(rtp.payload) });
  }));
  return { pc, received };
}

function publisher() {
  const pc = new RTCPeerConnection(pcConfig);
  const tracks = { audio: new MediaStreamTrack({ kind: 'audio' }), video: new MediaStreamTrack({ kind: 'video' }) };
  pc.addTransceiver(tracks.audio, { direction: 'sendonly' });
  pc.addTransceiver(tracks.video, { direction: 'sendonly' });
  return { pc, tracks };
}

const customerPub = publisher();
const agentPub = publisher();
const customerPlay = player();
const agentPlay = player();
const customerPath = args['customer-id'];
const locations = {};
locations.customerWhip = await negotiate(customerPub.pc, 'customer', 'whip', customerBase, customerPath, args['customer-token']);
locations.agentWhip = await negotiate(agentPub.pc, 'agent', 'whip', agentBase, 'agent_001', args['agent-token']);
locations.customerWhep = await negotiate(customerPlay.pc, 'customer', 'whep', customerBase, 'agent_001', args['customer-token']);
locations.agentWhep = await negotiate(agentPlay.pc, 'agent', 'whep', agentBase, customerPath, args['agent-token']);

const all = [customerPub.pc, agentPub.pc, customerPlay.pc, agentPlay.pc];
await Promise.all(all.map((pc) => new Promise((resolve) => {
  if (pc.connectionState === 'connected') return resolve();
  pc.connectionStateChange.subscribe((s) => s === 'connected' && resolve());
})));

for (let i = 0; i < packets; i++) {
  for (const [from, pub] of [['customer', customerPub], ['agent', agentPub]]) {
    for (const kind of ['audio', 'video']) {
      const header = new RtpHeader({ payloadType: 96, sequenceNumber: i, timestamp: i * (kind === 'audio' ? 960 : 3000), marker: true });
      pub.tracks[kind].writeRtp(new RtpPacket(header, payloadFor(from, kind, i)));
    }
  }
  await new Promise((r) => setTimeout(r, 10));
}
await new Promise((r) => setTimeout(r, 1500));

const result = { ok: true, session, sent: packets, negotiations };
for (const [side, play, from] of [['customer_received', customerPlay, 'agent'], ['agent_received', agentPlay, 'customer']]) {
  result[side] = {};
  for (const kind of ['audio', 'video']) {
    let intact = 0;
    let wrong = 0;
    for (const [i, got] of play.received[kind]) {
      if (got.from === from && got.payload.equals(payloadFor(from, kind, i))) intact++; else wrong++;
    }
    result[side][kind] = { received: play.received[kind].size, intact, wrong };
    if (wrong > 0 || intact < packets * 0.9) result.ok = false;
  }
}

// The customer's resources are deleted through its own node by their path (forwarded to the resource's node), the
// agent's at their absolute Location.
const deletes = [
  ['customer_whip', customerBase + new URL(locations.customerWhip).pathname, args['customer-token']],
  ['customer_whep', customerBase + new URL(locations.customerWhep).pathname, args['customer-token']],
  ['agent_whip', locations.agentWhip, args['agent-token']],
  ['agent_whep', locations.agentWhep, args['agent-token']],
];
result.deletes = {};
for (const [name, url, token] of deletes) {
  const res = await fetch(url, { method: 'DELETE', headers: { authorization: 'Bearer ' + token } });
  result.deletes[name] = res.status;
  if (res.status !== 200 && res.status !== 204) result.ok = false;
}
for (const pc of all) await pc.close();
clearTimeout(deadline);
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
