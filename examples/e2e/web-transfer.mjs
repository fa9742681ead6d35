// A transfer through the real call page in headless Chromium, with the agent pool doing the routing: agent 1
// goes Ready in its lobby (room type cs_agent) and accepts the new session when it rings; customer and
// agent 1 talk on the call page; agent 1 transfers with the page's transfer form to agent 2, whose lobby
// rings and accepts; agent 1's pages are closed and agent 2 opens the call page. Checks that the customer's
// page never reloads, its room socket never reconnects, its WHEP player (RTCPeerConnection) is the same one,
// and it decodes video again, which can only be agent 2's now.
// Usage: node web-transfer.mjs --base http://127.0.0.1:PORT --password secret [--admin-token T]
// Prints one JSON line; exits 0 only if every check passed.
import { client, launchChromium, parseArgs, finish, sleep } from './lib.mjs';

const args = parseArgs();
const base = args.base ?? 'http://127.0.0.1:8080';
const password = args.password ?? 'secret';
const api = client(base, args['admin-token']);
const result = { ok: false, checks: {} };
setTimeout(() => finish({ ...result, ok: false, error: 'timed out after 120 s' }), 120_000);

// Runs in a page: opens the agent's lobby socket, goes Ready, records every frame in window.lobbyFrames.
async function openLobby({ base, agentId, token }) {
  window.lobbyFrames = [];
  const ws = new WebSocket(base.replace(/^http/, 'ws') + '/room?type=cs_agent');
  window.lobby = ws;
  await new Promise((resolve, reject) => {
    ws.onopen = () => ws.send(JSON.stringify({ action: 'join', room_id: 'agent/' + agentId, user_id: agentId, token }));
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      window.lobbyFrames.push(m);
      if (m.action === 'joined') ws.send(JSON.stringify({ action: 'agent_ready' }));
      if (m.action === 'agent_state' && m.state === 'ready') resolve();
      if (m.action === 'error') reject(new Error(m.code + ': ' + m.message));
    };
    setTimeout(() => reject(new Error(agentId + ' never became ready')), 10000);
  });
}

// Waits for the lobby to ring with the session, accepts it and waits for incoming_accepted.
async function acceptWhenRinging(page, sessionId, transfer) {
  await page.waitForFunction(({ sessionId, transfer }) => window.lobbyFrames.some((f) => f.action === 'incoming_call'
    && f.session_id === sessionId && f.transfer === transfer), { sessionId, transfer }, { timeout: 15000 });
  await page.evaluate((sessionId) => window.lobby.send(JSON.stringify({ action: 'accept_incoming', session_id: sessionId, media: 'video' })), sessionId);
  await page.waitForFunction((sessionId) => window.lobbyFrames.some((f) => f.action === 'incoming_accepted'
    && f.session_id === sessionId), sessionId, { timeout: 10000 });
}

async function customerMedia(page) {
  return page.evaluate(async () => {
    const sub = document.getElementById('subscriber');
    const out = { frames: 0, ssrc: null, samePc: sub.pc === window.__pc0, pc: sub.pc ? sub.pc.connectionState : 'none' };
    if (!sub.pc) return out;
    (await sub.pc.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') { out.frames += s.framesDecoded ?? 0; out.ssrc = s.ssrc; }
    });
    return out;
  });
}

// Frames decoded by the customer during `ms`, after waiting up to `tries` seconds for them to start.
async function framesFlowing(page, tries) {
  let last = null;
  for (let i = 0; i < tries; i++) {
    const a = await customerMedia(page);
    await sleep(1000);
    const b = await customerMedia(page);
    last = { ...b, delta: b.frames - a.frames };
    if (last.delta > 0) return last;
  }
  return last;
}

const { context, close } = await launchChromium();
try {
  const login = async (id) => (await api('POST', '/agents/login', { agent_id: id, password })).token;
  const token1 = await login('agent_001');
  const token2 = await login('agent_002');
  const pages = [];
  const newPage = async (url) => {
    const p = await context.newPage();
    p.on('console', (m) => m.type() === 'error' && console.error('[page]', m.text()));
    await p.goto(url, { waitUntil: 'domcontentloaded' });
    pages.push(p);
    return p;
  };

  // Agent 1 goes Ready; the new session rings it; it accepts.
  const lobby1 = await newPage(base + '/');
  await lobby1.evaluate(openLobby, { base, agentId: 'agent_001', token: token1 });
  const session = await api('POST', '/sessions', { title: 'transfer check', customer_name: 'Chrome Customer' });
  result.session = session.id;
  await acceptWhenRinging(lobby1, session.id, false);
  const links = await api('GET', `/sessions/${session.id}/links`);

  // The customer's page, and agent 1's call page.
  const customer = await newPage(`${base}/?session=${encodeURIComponent(session.id)}&role=customer&token=${encodeURIComponent(links.customer_token)}`);
  await customer.evaluate(() => {
    window.__marker = 'first-load';
    window.__conn = [];
    document.getElementById('room').addEventListener('connection', (e) => window.__conn.push(e.detail.state));
  });
  const call1 = await newPage(`${base}/?session=${encodeURIComponent(session.id)}&role=agent&token=${encodeURIComponent(token1)}`);
  const before = await framesFlowing(customer, 25);
  result.checks.beforeTransfer = before;
  if (!(before && before.delta > 0)) throw new Error('the customer never decoded agent 1\'s video: ' + JSON.stringify(before));
  // From here on the room socket must not change state at all (a reconnect shows as reconnecting/open/joined).
  await customer.evaluate(() => { window.__pc0 = document.getElementById('subscriber').pc; window.__conn = []; });

  // Agent 2 goes Ready; agent 1 transfers with the call page's form; agent 2's lobby rings and it accepts.
  const lobby2 = await newPage(base + '/');
  await lobby2.evaluate(openLobby, { base, agentId: 'agent_002', token: token2 });
  await call1.click('#btn-transfer');
  await call1.fill('#transfer-agent-id', 'agent_002');
  await call1.fill('#transfer-agent-name', 'Agent Li');
  await call1.click('#transfer-submit');
  await acceptWhenRinging(lobby2, session.id, true);
  await customer.waitForFunction(() => window.cskit.session && window.cskit.session.agent_id === 'agent_002', null, { timeout: 10000 });

  // Agent 1 is gone entirely: whatever video the customer decodes from now on is agent 2's.
  await call1.close();
  await lobby1.close();
  await newPage(`${base}/?session=${encodeURIComponent(session.id)}&role=agent&token=${encodeURIComponent(token2)}`);
  await sleep(1500);
  const after = await framesFlowing(customer, 25);
  result.checks.afterTransfer = after;
  const page = await customer.evaluate(() => ({
    marker: window.__marker,
    conn: window.__conn,
    roomState: document.getElementById('room').state,
    agent: window.cskit.session.agent_id,
    state: window.cskit.state,
    navigations: performance.getEntriesByType('navigation').length,
  }));
  result.checks.customerPage = page;
  const session2 = await api('GET', `/sessions/${session.id}`);
  result.checks.sessionAgent = session2.agent_id;

  const noReload = page.marker === 'first-load' && page.navigations === 1;
  const noReconnect = page.conn.length === 0 && page.roomState === 'joined';
  const samePlayer = after && after.samePc && after.ssrc === before.ssrc;
  const newVideo = after && after.delta > 0;
  result.checks.summary = { noReload, noReconnect, samePlayer, newVideo };
  result.ok = noReload && noReconnect && samePlayer && newVideo && session2.agent_id === 'agent_002'
    && page.agent === 'agent_002';
} catch (e) {
  result.error = String(e?.stack ?? e);
}
await finish(result, [close]);
