// Two headless Chromium pages, agent and customer, each publish their fake camera and microphone via WHIP
// and play the other via WHEP through the cskit server. Checks that video frames are decoded and audio
// packets arrive on both sides, that both stop while the call is held and start again on resume.
// Usage: node chromium-media.mjs --base http://127.0.0.1:PORT [--admin-token T]
// Prints one JSON line; exits 0 only if every check passed.
import { client, launchChromium, parseArgs, finish, sleep } from './lib.mjs';

const args = parseArgs();
const base = args.base ?? 'http://127.0.0.1:8080';
const api = client(base, args['admin-token']);
const result = { ok: false, checks: {} };
setTimeout(() => finish({ ...result, ok: false, error: 'timed out after 100 s' }), 100_000);

// Runs inside each page: publish own camera + mic, play the other party, expose counters.
async function startParty({ base, sessionId, self, other, token }) {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
  async function negotiate(pc, kind, path) {
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      setTimeout(resolve, 2000);
    });
    const res = await fetch(`${base}/webrtc/${kind}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp', authorization: 'Bearer ' + token },
      body: pc.localDescription.sdp,
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`${kind} ${res.status} ${text}`);
    await pc.setRemoteDescription({ type: 'answer', sdp: text });
  }
  const pub = new RTCPeerConnection();
  for (const track of stream.getTracks()) pub.addTransceiver(track, { direction: 'sendonly' });
  await negotiate(pub, 'whip', `customer-service/${sessionId}/${self}`);
  window.pub = pub;
  let lastError = '';
  for (let attempt = 0; attempt < 40; attempt++) {
    const sub = new RTCPeerConnection();
    sub.addTransceiver('audio', { direction: 'recvonly' });
    sub.addTransceiver('video', { direction: 'recvonly' });
    try {
      await negotiate(sub, 'whep', `customer-service/${sessionId}/${other}`);
      window.sub = sub;
      return 'playing';
    } catch (e) {
      lastError = String(e);
      sub.close();
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error('WHEP never succeeded: ' + lastError);
}

async function counters(page) {
  return page.evaluate(async () => {
    const out = { framesDecoded: 0, audioPackets: 0, videoPackets: 0, pub: window.pub?.connectionState, sub: window.sub?.connectionState };
    if (!window.sub) return out;
    const stats = await window.sub.getStats();
    stats.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') { out.framesDecoded += s.framesDecoded ?? 0; out.videoPackets += s.packetsReceived ?? 0; }
      if (s.type === 'inbound-rtp' && s.kind === 'audio') out.audioPackets += s.packetsReceived ?? 0;
    });
    return out;
  });
}

async function sample(pages, ms) {
  const before = await Promise.all(pages.map(counters));
  await sleep(ms);
  const after = await Promise.all(pages.map(counters));
  return pages.map((_, i) => ({
    frames: after[i].framesDecoded - before[i].framesDecoded,
    audio: after[i].audioPackets - before[i].audioPackets,
    state: `${after[i].pub}/${after[i].sub}`,
  }));
}

const { context, close } = await launchChromium();
try {
  const session = await api('POST', '/sessions', { title: 'chromium media check', customer_name: 'Chrome Customer' });
  await api('POST', `/sessions/${session.id}/assign`, { agent_id: 'agent_001', agent_name: 'Agent Wang' });
  const links = await api('GET', `/sessions/${session.id}/links`);
  result.session = session.id;

  const [agent, customer] = [await context.newPage(), await context.newPage()];
  for (const p of [agent, customer]) {
    p.on('console', (m) => m.type() === 'error' && console.error('[page]', m.text()));
    await p.goto(base + '/', { waitUntil: 'domcontentloaded' });
  }
  // The agent joins the room over the WebSocket and accepts, so it can hold and resume later.
  await agent.evaluate(({ base, sessionId, token }) => new Promise((resolve, reject) => {
    const ws = new WebSocket(base.replace(/^http/, 'ws') + '/room?type=customer_service');
    window.ws = ws;
    const room_id = `customer-service/${sessionId}`;
    ws.onopen = () => ws.send(JSON.stringify({ action: 'join', room_id, user_id: 'agent_001', token }));
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      (window.frames_ ??= []).push(m.action);
      if (m.action === 'joined') ws.send(JSON.stringify({ action: 'accept_call', room_id, user_id: 'agent_001' }));
      if (m.action === 'call_accepted') resolve();
      if (m.action === 'error') reject(new Error(m.code + ': ' + m.message));
    };
    setTimeout(() => reject(new Error('no call_accepted')), 10000);
  }), { base, sessionId: session.id, token: links.agent_token });

  await Promise.all([
    agent.evaluate(startParty, { base, sessionId: session.id, self: 'agent_001', other: links.customer_id, token: links.agent_token }),
    customer.evaluate(startParty, { base, sessionId: session.id, self: links.customer_id, other: 'agent_001', token: links.customer_token }),
  ]);

  // Let the media settle, then expect frames and audio on both sides.
  let flowing;
  for (let i = 0; i < 20; i++) {
    flowing = await sample([agent, customer], 1000);
    if (flowing.every((s) => s.frames > 0 && s.audio > 0)) break;
  }
  result.checks.flowing = flowing;
  const okFlowing = flowing.every((s) => s.frames > 0 && s.audio > 0);

  const sendAgent = (action) => agent.evaluate(({ action, sessionId }) =>
    window.ws.send(JSON.stringify({ action, room_id: `customer-service/${sessionId}`, user_id: 'agent_001' })), { action, sessionId: session.id });
  await sendAgent('hold_call');
  // Wait for the server's call_held, then for what was already in flight or buffered to drain: on hold the
  // server forwards nothing, so two consecutive silent one-second windows on both pages must follow soon.
  await agent.waitForFunction(() => (window.frames_ ?? []).includes('call_held'), null, { timeout: 10000 });
  let held = [];
  let silentWindows = 0;
  for (let i = 0; i < 8 && silentWindows < 2; i++) {
    const w = await sample([agent, customer], 1000);
    held.push(w);
    silentWindows = w.every((s) => s.frames === 0 && s.audio === 0) ? silentWindows + 1 : 0;
  }
  result.checks.held = held;
  const okHeld = silentWindows >= 2;

  await sendAgent('resume_call');
  let resumed;
  for (let i = 0; i < 10; i++) {
    resumed = await sample([agent, customer], 1000);
    if (resumed.every((s) => s.frames > 0 && s.audio > 0)) break;
  }
  result.checks.resumed = resumed;
  const okResumed = resumed.every((s) => s.frames > 0 && s.audio > 0);
  result.ok = okFlowing && okHeld && okResumed;
} catch (e) {
  result.error = String(e?.stack ?? e);
}
await finish(result, [close]);
