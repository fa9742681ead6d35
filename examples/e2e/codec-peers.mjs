// Codec agreement between a publisher and a player of another stack (issue 11), with real encoders: ffmpeg encodes
// (libx264, libvpx, libopus) and sends RTP to a UDP socket on 127.0.0.1; werift reads it and publishes it over WHIP
// (writeRtp; werift sets its own SSRC and the negotiated payload type). Chromium plays over WHEP with a plain
// RTCPeerConnection. One Chromium is launched and reused; each case has its own session:
//  h264: werift publishes H.264 (baseline, packetization-mode 1) and Opus; a Chromium player with its default
//        offer (VP8 first) decodes H.264 frames and receives Opus samples;
//  vp8:  werift publishes VP8; a Chromium player that puts H.264 first (setCodecPreferences, VP8 still offered)
//        decodes VP8 frames;
//  late: a Chromium player with its default offer plays before any publisher; an H.264 publisher comes later, and
//        the player decodes H.264 frames (the WHEP answer kept H.264 for it);
//  opus: Chromium publishes its fake microphone (Opus); a werift player receives the Opus packets, decrypted.
// Usage: node codec-peers.mjs --base http://127.0.0.1:PORT [--cases h264,vp8,late,opus]
// Prints one JSON line with a check per case; exits 0 only if every check passed.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { RTCPeerConnection, MediaStreamTrack, useH264, useOPUS, useVP8 } from 'werift';
import { checklist, finish, launchChromium, parseArgs, sleep, strictClient, waitFor } from './lib.mjs';

const args = parseArgs();
const base = args.base ?? 'http://127.0.0.1:8080';
const cases = (args.cases ?? 'h264,vp8,late,opus').split(',');
const api = strictClient(base);
const { result, check, step } = checklist();
const closers = [];
const budget = 90_000;
setTimeout(() => finish({ ...result, ok: false, error: `timed out after ${budget / 1000} s (last step: ${result.step})` }, closers), budget);

// ---- ffmpeg as the encoder ----

/** A UDP socket on 127.0.0.1 that ffmpeg sends one RTP stream to; `onRtp` gets each datagram. */
async function udpSink() {
  const socket = dgram.createSocket('udp4');
  await new Promise((resolve, reject) => { socket.once('error', reject); socket.bind(0, '127.0.0.1', resolve); });
  closers.push(async () => socket.close());
  const sink = { socket, port: socket.address().port, packets: 0, onRtp: () => {} };
  socket.on('message', (buf) => { sink.packets++; sink.onRtp(buf); });
  return sink;
}

/**
 * Starts ffmpeg in real time (-re) with `outputs`, each { input: lavfi source, encode: args, sink } written as RTP
 * to its sink (RTCP to a second sink, so that no packet goes to a closed port). It stops by itself after 60 s
 * and is killed at the end of the script.
 */
async function ffmpegRtp(outputs) {
  const cmd = ['-hide_banner', '-loglevel', 'error', '-nostdin'];
  for (const o of outputs) cmd.push('-re', '-f', 'lavfi', '-i', o.input);
  for (const [i, o] of outputs.entries()) {
    const rtcp = await udpSink();
    cmd.push('-map', `${i}`, '-t', '60', ...o.encode, '-f', 'rtp',
      `rtp://127.0.0.1:${o.sink.port}?rtcpport=${rtcp.port}&pkt_size=1200`);
  }
  const proc = spawn(process.env.FFMPEG ?? '/usr/bin/ffmpeg', cmd, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr = (stderr + d).slice(-2000); });
  proc.on('exit', (code, signal) => { if (code) console.error(`[ffmpeg] exit ${code} ${signal ?? ''}: ${stderr}`); });
  closers.push(async () => { if (proc.exitCode === null) proc.kill('SIGKILL'); });
  return proc;
}

// Baseline at level 3.1, what werift offers (profile-level-id=42e01f); ffmpeg's RTP packetizer sends single NAL
// units and FU-A (RFC 6184 packetization-mode 1), and x264 repeats SPS/PPS before each IDR (one a second here).
const X264 = ['-c:v', 'libx264', '-profile:v', 'baseline', '-level:v', '3.1', '-tune', 'zerolatency',
  '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '30', '-b:v', '400k'];
const VPX = ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-pix_fmt', 'yuv420p', '-g', '30',
  '-b:v', '400k', '-auto-alt-ref', '0'];
const OPUS = ['-c:a', 'libopus', '-ac', '2', '-ar', '48000', '-b:a', '64k', '-application', 'lowdelay'];
const TESTSRC = 'testsrc=size=320x240:rate=30';
const SINE = 'sine=frequency=440:sample_rate=48000';

// ---- werift and the server ----

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
  if (res.status !== 201) throw new Error(`${kind} ${path} -> ${res.status} ${text}`);
  await pc.setRemoteDescription({ type: 'answer', sdp: text });
  return text;
}

const connected = (pc) => new Promise((resolve) => {
  if (pc.connectionState === 'connected') return resolve();
  pc.connectionStateChange.subscribe((s) => s === 'connected' && resolve());
});

/** A session assigned to agent_001 and its links. */
async function newSession(title) {
  const session = await api('POST', '/sessions', { title, customer_name: 'Codec Customer' });
  await api('POST', `/sessions/${session.id}/assign`, { agent_id: 'agent_001', agent_name: 'Agent Wang' });
  const links = await api('GET', `/sessions/${session.id}/links`);
  return { id: session.id, links, agentPath: `customer-service/${session.id}/agent_001`,
    customerPath: `customer-service/${session.id}/${links.customer_id}` };
}

/** werift publishing over WHIP what ffmpeg sends to `sinks` ({ kind: sink }), with only `codecs` offered. */
async function weriftPublisher(path, token, codecs, sinks) {
  const pc = new RTCPeerConnection({ iceAdditionalHostAddresses: ['127.0.0.1'], codecs });
  closers.push(() => pc.close());
  for (const [kind, sink] of Object.entries(sinks)) {
    const track = new MediaStreamTrack({ kind });
    pc.addTransceiver(track, { direction: 'sendonly' });
    sink.onRtp = (buf) => track.writeRtp(buf);
  }
  const answer = await negotiate(pc, 'whip', path, token);
  await connected(pc);
  return { pc, answer };
}

// ---- Chromium ----

/** In the page: plays `path` over WHEP with a plain RTCPeerConnection; `preferH264` reorders its video codecs. */
async function playInPage({ base, path, token, kinds, preferH264 }) {
  const pc = new RTCPeerConnection();
  for (const kind of kinds) {
    const t = pc.addTransceiver(kind, { direction: 'recvonly' });
    if (kind === 'video' && preferH264) {
      const codecs = RTCRtpReceiver.getCapabilities('video').codecs;
      const h264 = codecs.filter((c) => c.mimeType === 'video/H264');
      if (!h264.length || !codecs.some((c) => c.mimeType === 'video/VP8')) throw new Error('Chromium lacks H.264 or VP8');
      t.setCodecPreferences([...h264, ...codecs.filter((c) => c.mimeType !== 'video/H264')]);
    }
  }
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
    setTimeout(resolve, 2000);
  });
  const res = await fetch(`${base}/webrtc/whep/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/sdp', authorization: 'Bearer ' + token },
    body: pc.localDescription.sdp,
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`whep ${res.status} ${text}`);
  await pc.setRemoteDescription({ type: 'answer', sdp: text });
  window.sub = pc;
  // Chromium decodes received audio only while something plays it out (play() resolves only once media flows).
  if (kinds.includes('audio')) {
    const audio = document.createElement('audio');
    audio.srcObject = new MediaStream(pc.getReceivers().filter((r) => r.track.kind === 'audio').map((r) => r.track));
    document.body.append(audio);
    audio.play().catch(() => {});
  }
  // The video section's codecs in order: [payload type, name] per m= line payload type that has an rtpmap.
  const videoCodecs = (sdp) => {
    const section = sdp.split(/\r\n(?=m=)/).find((m) => m.startsWith('m=video')) ?? '';
    const names = new Map([...section.matchAll(/a=rtpmap:(\d+) ([^/\r]+)/g)].map((m) => [m[1], m[2]]));
    return section.split('\r\n')[0].split(' ').slice(3).map((pt) => `${pt} ${names.get(pt)}`);
  };
  return { offer: videoCodecs(pc.localDescription.sdp), answer: videoCodecs(text) };
}

/** In the page: the inbound RTP of `window.sub` per kind, with its codec's mime type. */
async function inboundInPage() {
  const stats = [...(await window.sub.getStats()).values()];
  const byId = new Map(stats.map((s) => [s.id, s]));
  const out = { state: window.sub.connectionState };
  for (const s of stats) {
    if (s.type !== 'inbound-rtp') continue;
    out[s.kind] = { codec: byId.get(s.codecId)?.mimeType ?? null, packets: s.packetsReceived ?? 0,
      frames: s.framesDecoded, samples: s.totalSamplesReceived, dropped: s.packetsLost };
  }
  return out;
}

/** Waits (20 s at most) until `ok(before, after)` holds for two readings one second apart; returns the last pair. */
async function rising(page, ok, what) {
  let before = await page.evaluate(inboundInPage);
  let after;
  for (let i = 0; i < 20; i++) {
    await sleep(1000);
    after = await page.evaluate(inboundInPage);
    if (ok(before, after)) return { ok: true, before, after };
    if (i < 19) before = after;
  }
  return { ok: false, what, before, after };
}

const delta = (before, after, kind, field) => (after[kind]?.[field] ?? 0) - (before[kind]?.[field] ?? 0);

// ---- the cases ----

async function h264Case(page) {
  step('h264: ffmpeg libx264 + libopus -> werift WHIP');
  const s = await newSession('H.264 publisher, default Chromium player');
  const video = await udpSink();
  const audio = await udpSink();
  const pub = await weriftPublisher(s.agentPath, s.links.agent_token,
    { video: [useH264({ payloadType: 102 })], audio: [useOPUS({ payloadType: 111 })] }, { video, audio });
  await ffmpegRtp([{ input: TESTSRC, encode: X264, sink: video }, { input: SINE, encode: OPUS, sink: audio }]);
  check('h264.publisherAnswerIsH264', /a=rtpmap:102 H264\/90000/.test(pub.answer), pub.answer.match(/a=rtpmap:.*/g));
  step('h264: Chromium WHEP with its default offer');
  const sdp = await page.evaluate(playInPage, { base, path: s.agentPath, token: s.links.customer_token,
    kinds: ['audio', 'video'], preferH264: false });
  check('h264.playerOffersVp8First', / VP8$/.test(sdp.offer[0] ?? '') && sdp.offer.some((c) => / H264$/.test(c)), sdp);
  const r = await rising(page, (b, a) => delta(b, a, 'video', 'frames') > 5 && a.video?.codec === 'video/H264'
    && delta(b, a, 'audio', 'packets') > 20 && delta(b, a, 'audio', 'samples') > 0, 'H.264 frames and Opus samples');
  check('h264.chromiumDecodesH264Frames', r.ok && r.after.video.codec === 'video/H264'
    && delta(r.before, r.after, 'video', 'frames') > 5, r);
  check('opus.weriftToChromiumSamplesRise', r.after.audio?.codec === 'audio/opus' && delta(r.before, r.after, 'audio', 'packets') > 20
    && delta(r.before, r.after, 'audio', 'samples') > 0, { ...r.after.audio, ffmpegPackets: audio.packets });
}

async function vp8Case(page) {
  step('vp8: ffmpeg libvpx -> werift WHIP');
  const s = await newSession('VP8 publisher, H.264-preferring Chromium player');
  const video = await udpSink();
  const pub = await weriftPublisher(s.agentPath, s.links.agent_token, { video: [useVP8({ payloadType: 96 })] }, { video });
  await ffmpegRtp([{ input: TESTSRC, encode: VPX, sink: video }]);
  check('vp8.publisherAnswerIsVp8', /a=rtpmap:96 VP8\/90000/.test(pub.answer), pub.answer.match(/a=rtpmap:.*/g));
  step('vp8: Chromium WHEP preferring H.264');
  const sdp = await page.evaluate(playInPage, { base, path: s.agentPath, token: s.links.customer_token,
    kinds: ['video'], preferH264: true });
  check('vp8.playerOffersH264First', / H264$/.test(sdp.offer[0] ?? '') && sdp.offer.some((c) => / VP8$/.test(c)), sdp);
  const r = await rising(page, (b, a) => delta(b, a, 'video', 'frames') > 5 && a.video?.codec === 'video/VP8', 'VP8 frames');
  check('vp8.chromiumDecodesVp8Frames', r.ok, r);
}

async function lateCase(page) {
  step('late: Chromium WHEP with its default offer before any publisher');
  const s = await newSession('Default Chromium player, H.264 publisher joining later');
  const sdp = await page.evaluate(playInPage, { base, path: s.agentPath, token: s.links.customer_token,
    kinds: ['video'], preferH264: false });
  check('late.playerAnswerHasH264', sdp.answer.some((c) => / H264$/.test(c)), sdp.answer);
  step('late: ffmpeg libx264 -> werift WHIP');
  const video = await udpSink();
  await weriftPublisher(s.agentPath, s.links.agent_token, { video: [useH264({ payloadType: 102 })] }, { video });
  await ffmpegRtp([{ input: TESTSRC, encode: X264, sink: video }]);
  const r = await rising(page, (b, a) => delta(b, a, 'video', 'frames') > 5 && a.video?.codec === 'video/H264', 'H.264 frames');
  check('late.chromiumDecodesH264Frames', r.ok, r);
}

async function opusCase(page) {
  step('opus: Chromium microphone WHIP');
  const s = await newSession('Chromium microphone, werift player');
  await page.evaluate(async ({ base, path, token }) => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const pc = new RTCPeerConnection();
    pc.addTransceiver(stream.getAudioTracks()[0], { direction: 'sendonly' });
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      setTimeout(resolve, 2000);
    });
    const res = await fetch(`${base}/webrtc/whip/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp', authorization: 'Bearer ' + token },
      body: pc.localDescription.sdp,
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`whip ${res.status} ${text}`);
    await pc.setRemoteDescription({ type: 'answer', sdp: text });
    window.pub = pc;
  }, { base, path: s.customerPath, token: s.links.customer_token });
  await waitFor(page, () => window.pub.connectionState === 'connected', null, { what: 'Chromium publisher connected' });

  step('opus: werift WHEP player');
  const player = new RTCPeerConnection({ iceAdditionalHostAddresses: ['127.0.0.1'], codecs: { audio: [useOPUS({ payloadType: 109 })] } });
  closers.push(() => player.close());
  player.addTransceiver('audio', { direction: 'recvonly' });
  const got = { packets: 0, bytes: 0, payloadTypes: new Set(), codec: null };
  player.onTrack.subscribe((track) => {
    track.onReceiveRtp.subscribe((rtp) => {
      got.packets++;
      got.bytes += rtp.payload.length;
      got.payloadTypes.add(rtp.header.payloadType);
      got.codec = track.codec?.mimeType ?? got.codec;
    });
  });
  const answer = await negotiate(player, 'whep', s.customerPath, s.links.agent_token);
  await connected(player);
  const before = got.packets;
  const end = Date.now() + 15_000;
  while (got.packets - before < 50 && Date.now() < end) await sleep(200);
  const detail = { packets: got.packets - before, bytes: got.bytes, payloadTypes: [...got.payloadTypes], codec: got.codec,
    answer: answer.match(/a=rtpmap:.*/g) };
  check('opus.chromiumToWeriftPacketsDecrypted', got.packets - before >= 50 && got.bytes > 0
    && detail.payloadTypes.length === 1 && detail.payloadTypes[0] === 109 && /opus/i.test(got.codec ?? ''), detail);
}

const { context, close } = await launchChromium();
closers.unshift(close);
try {
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && console.error('[page]', m.text()));
  await page.goto(base + '/', { waitUntil: 'domcontentloaded' });
  const run = { h264: h264Case, vp8: vp8Case, late: lateCase, opus: opusCase };
  for (const c of cases) {
    await run[c](page);
    await page.evaluate(() => { window.sub?.close(); window.pub?.close(); window.sub = window.pub = undefined; });
  }
  result.ok = result.failed.length === 0 && Object.keys(result.checks).length > 0;
} catch (e) {
  result.error = String(e?.stack ?? e);
}
await finish(result, closers);
