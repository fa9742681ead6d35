// Call recording through the whole server with werift: both parties publish audio + video via WHIP, the server
// records them; while the call runs the admin API must list four files that grow, after the call ends it must
// serve each with its content type. Payloads are synthetic but shaped like the negotiated codec (an Opus TOC
// byte; a VP8 payload descriptor + keyframe header, or an H.264 IDR NAL unit) so the recorder writes them.
// Usage: node werift-record.mjs --base http://127.0.0.1:PORT [--packets 120]
// Prints one JSON line with the result; exits 0 only if every check passed.
import { RTCPeerConnection, MediaStreamTrack, RtpPacket, RtpHeader } from 'werift';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
  a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc, []));
const base = args.base ?? 'http://127.0.0.1:8080';
const packets = Number(args.packets ?? 120);
const deadline = setTimeout(() => fail('timed out after 60 s'), 60_000);

function fail(msg, extra = {}) {
  console.log(JSON.stringify({ ok: false, error: msg, ...extra }));
  process.exit(1);
}

async function api(method, path, body, token) {
  const res = await fetch(base + '/customer-service' + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: 'Bearer ' + token } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const env = await res.json();
  if (env.code !== 0) fail(`${method} ${path} -> ${res.status} ${env.message}`);
  return env.data;
}

async function publish(path, token) {
  const pc = new RTCPeerConnection({ iceAdditionalHostAddresses: ['127.0.0.1'] });
  const tracks = { audio: new MediaStreamTrack({ kind: 'audio' }), video: new MediaStreamTrack({ kind: 'video' }) };
  const transceivers = {
    audio: pc.addTransceiver(tracks.audio, { direction: 'sendonly' }),
    video: pc.addTransceiver(tracks.video, { direction: 'sendonly' }),
  };
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.iceGatheringStateChange.subscribe((s) => s === 'complete' && resolve());
  });
  const res = await fetch(`${base}/webrtc/whip/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/sdp', authorization: 'Bearer ' + token },
    body: pc.localDescription.sdp,
  });
  const text = await res.text();
  if (res.status !== 201) fail(`whip ${path} -> ${res.status} ${text}`);
  await pc.setRemoteDescription({ type: 'answer', sdp: text });
  await new Promise((resolve) => {
    if (pc.connectionState === 'connected') return resolve();
    pc.connectionStateChange.subscribe((s) => s === 'connected' && resolve());
  });
  return { pc, tracks, transceivers };
}

function payload(kind, mime, i) {
  const filler = Buffer.alloc(kind === 'video' ? 600 : 80, i & 0xff);
  if (kind === 'audio') return Buffer.concat([Buffer.from([0xfc]), filler]); // RFC 6716 TOC: CELT FB 20 ms
  if (/h264/i.test(mime)) return Buffer.concat([Buffer.from([0x65]), filler]); // IDR slice NAL unit
  // RFC 7741 descriptor S=1 PID=0, RFC 6386 keyframe tag + start code + 160x120.
  return Buffer.concat([Buffer.from([0x10, 0x50, 0x03, 0x00, 0x9d, 0x01, 0x2a, 0xa0, 0x00, 0x78, 0x00]), filler]);
}

const session = await api('POST', '/sessions', { title: 'werift recording check', customer_name: 'Rec Customer' });
await api('POST', `/sessions/${session.id}/assign`, { agent_id: 'agent_001', agent_name: 'Agent Wang' });
const links = await api('GET', `/sessions/${session.id}/links`);
const parties = [
  { user: 'agent_001', token: links.agent_token },
  { user: links.customer_id, token: links.customer_token },
];
for (const p of parties) Object.assign(p, await publish(`customer-service/${session.id}/${p.user}`, p.token));

const list = async () => (await api('GET', `/sessions/${session.id}/recordings`)).recordings;
const snapshots = [];
for (let i = 0; i < packets; i++) {
  for (const p of parties) {
    for (const kind of ['audio', 'video']) {
      const mime = p.transceivers[kind].sender.codec?.mimeType ?? '';
      const header = new RtpHeader({ sequenceNumber: i, timestamp: i * (kind === 'audio' ? 960 : 3000), marker: true });
      p.tracks[kind].writeRtp(new RtpPacket(header, payload(kind, mime, i)));
    }
  }
  if (i === Math.floor(packets / 2) || i === packets - 1) {
    await new Promise((r) => setTimeout(r, 300));
    snapshots.push(await list());
  }
  await new Promise((r) => setTimeout(r, 20));
}

const result = { ok: true, session: session.id, codecs: {}, during: snapshots.map((s) => s.map((r) => [r.name, r.bytes])) };
const expected = parties.flatMap((p) => ['audio', 'video'].map((k) => `${p.user}-${k}`));
for (const snap of snapshots) {
  const names = snap.map((r) => r.name.replace(/\.[a-z0-9]+$/, '')).sort();
  if (JSON.stringify(names) !== JSON.stringify([...expected].sort())) {
    result.ok = false;
    result.error = `expected recordings ${expected} while the call runs, listed ${names}`;
  }
}
for (const r of snapshots[1] ?? []) {
  const before = snapshots[0].find((x) => x.name === r.name);
  if (!before || !(r.bytes > before.bytes)) {
    result.ok = false;
    result.error = `${r.name} did not grow: ${before?.bytes} -> ${r.bytes}`;
  }
}

// End the call: the files are finalized; then each is served with its content type.
const end = await fetch(`${base}/customer-service/sessions/${session.id}`, { method: 'DELETE' });
result.end_status = end.status;
await new Promise((r) => setTimeout(r, 500));
const types = { ogg: 'audio/ogg', ivf: 'video/x-ivf', h264: 'video/h264' };
const magic = { ogg: 'OggS', ivf: 'DKIF', h264: '\u0000\u0000\u0000\u0001' };
result.files = [];
for (const r of await list()) {
  const ext = r.name.split('.').pop();
  const res = await fetch(`${base}/customer-service/sessions/${session.id}/recordings/${r.name}`);
  const body = Buffer.from(await res.arrayBuffer());
  const file = { name: r.name, user_id: r.user_id, kind: r.kind, codec: r.codec, bytes: r.bytes, status: res.status,
    content_type: res.headers.get('content-type'), length: body.length };
  result.files.push(file);
  result.codecs[r.kind] = r.codec;
  if (res.status !== 200 || !file.content_type?.startsWith(types[ext]) || body.length !== r.bytes
      || body.subarray(0, 4).toString('latin1') !== magic[ext]) {
    result.ok = false;
    result.error = `bad download of ${r.name}: ${JSON.stringify(file)}`;
  }
}
if (result.files.length !== 4) {
  result.ok = false;
  result.error = result.error ?? `expected 4 recordings after the call, got ${result.files.length}`;
}
const traversal = await fetch(`${base}/customer-service/sessions/${session.id}/recordings/..%2F..%2Fetc-audio.ogg`);
result.traversal_status = traversal.status;
if (traversal.status !== 400 && traversal.status !== 404) result.ok = false;

for (const p of parties) await p.pc.close();
clearTimeout(deadline);
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
