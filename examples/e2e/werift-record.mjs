// Call recording through the whole server with werift: both parties publish audio + video via WHIP, the server
// records them; while the call runs the admin API must list four files that grow, after the call ends it must
// serve each with its content type. Payloads are synthetic but shaped like the negotiated codec (an Opus TOC
// byte; a VP8 payload descriptor + keyframe header, or an H.264 IDR NAL unit) so the recorder writes them.
// The agent accepts over the room WebSocket and holds the call for a while: nothing may be written on hold.
// Usage: node werift-record.mjs --base http://127.0.0.1:PORT [--packets 120]
// Prints one JSON line with the result; exits 0 only if every check passed.
import { spawnSync } from 'node:child_process';
import { RTCPeerConnection, MediaStreamTrack, RtpPacket, RtpHeader } from 'werift';
import { fail, parseArgs, sleep, strictClient } from './lib.mjs';

// Node 20 has the WebSocket client (for the room) behind a flag: run again with it.
if (typeof WebSocket === 'undefined') {
  const r = spawnSync(process.execPath, ['--experimental-websocket', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const args = parseArgs();
const base = args.base ?? 'http://127.0.0.1:8080';
const packets = Number(args.packets ?? 120);
const deadline = setTimeout(() => fail('timed out after 75 s'), 75_000);


const api = strictClient(base);

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
const sizes = async () => Object.fromEntries((await list()).map((r) => [r.name, r.bytes]));
let seq = 0;
async function send(count) {
  for (let n = 0; n < count; n++, seq++) {
    for (const p of parties) {
      for (const kind of ['audio', 'video']) {
        const mime = p.transceivers[kind].sender.codec?.mimeType ?? '';
        const header = new RtpHeader({ sequenceNumber: seq, timestamp: seq * (kind === 'audio' ? 960 : 3000), marker: true });
        p.tracks[kind].writeRtp(new RtpPacket(header, payload(kind, mime, seq)));
      }
    }
    await sleep(20);
  }
  await sleep(400);
}

// The agent joins the room and accepts, so it can hold and resume.
const roomId = `customer-service/${session.id}`;
const ws = new WebSocket(base.replace(/^http/, 'ws') + '/room?type=customer_service');
const roomEvents = [];
await new Promise((resolve, reject) => {
  ws.onopen = () => ws.send(JSON.stringify({ action: 'join', room_id: roomId, user_id: 'agent_001', token: links.agent_token }));
  ws.onmessage = (e) => {
    const m = JSON.parse(e.data);
    roomEvents.push(m.action);
    if (m.action === 'joined') ws.send(JSON.stringify({ action: 'accept_call', room_id: roomId, user_id: 'agent_001' }));
    if (m.action === 'call_accepted') resolve();
    if (m.action === 'error') reject(new Error(m.code + ': ' + m.message));
  };
  setTimeout(() => reject(new Error('no call_accepted')), 10000);
}).catch((e) => fail('room: ' + e.message));
const roomAction = (action) => ws.send(JSON.stringify({ action, room_id: roomId, user_id: 'agent_001' }));
async function waitHold(onHold) {
  for (let i = 0; i < 50; i++) {
    if ((await api('GET', `/sessions/${session.id}`)).on_hold === onHold) return;
    await sleep(100);
  }
  fail(`session on_hold never became ${onHold}`);
}

const snapshots = [];
await send(packets / 2);
snapshots.push(await list());
await send(packets / 2);
snapshots.push(await list());

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

// On hold nothing is written; after the resume the files grow again.
roomAction('hold_call');
await waitHold(true);
await sleep(300);
const holdStart = await sizes();
await send(25);
const holdEnd = await sizes();
roomAction('resume_call');
await waitHold(false);
await send(25);
const resumed = await sizes();
result.hold = { start: holdStart, end: holdEnd, resumed };
for (const name of Object.keys(holdStart)) {
  if (holdEnd[name] !== holdStart[name]) {
    result.ok = false;
    result.error = `${name} grew on hold: ${holdStart[name]} -> ${holdEnd[name]}`;
  }
  // Audio continues at once; video waits for a keyframe, and every synthetic frame is one.
  if (!(resumed[name] > holdEnd[name])) {
    result.ok = false;
    result.error = `${name} did not grow after the resume: ${holdEnd[name]} -> ${resumed[name]}`;
  }
}
ws.close();

// End the call: the files are finalized; then each is served with its content type.
const end = await fetch(`${base}/customer-service/sessions/${session.id}`, { method: 'DELETE' });
result.end_status = end.status;
// The files are finalized on the server's writer thread after the DELETE answers: wait until two listings
// 300 ms apart agree (up to 10 s) before comparing each download with its listed size.
{
  let previous = JSON.stringify(await sizes());
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    await sleep(300);
    const now = JSON.stringify(await sizes());
    if (now === previous) break;
    previous = now;
  }
}
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
