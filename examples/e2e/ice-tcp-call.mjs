// A call through the shipped call page between two headless Chromium pages (agent and customer) on a network that
// drops UDP to the media port (the test's nftables rule), so ICE-TCP (RFC 6544) is the only way:
//  1. the API creates a session and assigns an agent; each page opens the link the API gives; the agent accepts;
//  2. video frames are decoded and audio packets arrive on both pages;
//  3. every peer connection of both pages (publish and play) has its selected candidate pair on TCP: the local
//     candidate `tcp` (active), the remote one the server's passive candidate;
//  4. the server's room report (GET /customer-service/rooms) says `transport: tcp` for the call's four peers, and
//     GET /metrics counts them in cskit_media_peer_connections{transport="tcp"} and their connections in
//     cskit_media_tcp_connections{state="checked"};
//  5. the agent hangs up and both pages reach `ended`.
// Usage: node ice-tcp-call.mjs --base http://localhost:PORT [--expect-transport tcp|udp]
// Prints one JSON line; exits 0 only if every check passed.
import { checklist, client, finish, launchChromium, parseArgs, sleep, waitFor } from './lib.mjs';

const args = parseArgs();
const base = args.base ?? 'http://localhost:8080';
const expect = args['expect-transport'] ?? 'tcp';
const { result, check, step } = checklist();
const closers = [];
setTimeout(() => finish({ ...result, ok: false, error: 'timed out after 100 s (last step: ' + result.step + ')' }, closers), 100_000);

// Runs in the page: the call's media and the selected pair of each of its two peer connections.
async function mediaStats() {
  const cs = window.cskit;
  const out = { frames: 0, audio: 0, pairs: [] };
  for (const [name, pc] of [['sub', cs?.subscriber?.pc], ['pub', cs?.publisher?.pc]]) {
    if (!pc) continue;
    const stats = [...(await pc.getStats()).values()];
    const byId = new Map(stats.map((s) => [s.id, s]));
    for (const s of stats) {
      if (name !== 'sub' || s.type !== 'inbound-rtp') continue;
      if (s.kind === 'video') out.frames += s.framesDecoded ?? 0;
      if (s.kind === 'audio') out.audio += s.packetsReceived ?? 0;
    }
    const transport = stats.find((s) => s.type === 'transport');
    const pair = byId.get(transport?.selectedCandidatePairId);
    const local = byId.get(pair?.localCandidateId);
    const remote = byId.get(pair?.remoteCandidateId);
    out.pairs.push({ pc: name, local: local && `${local.protocol}/${local.tcpType ?? ''}`,
      remote: remote && `${remote.protocol} ${remote.address}:${remote.port}` });
  }
  return out;
}

async function sample(pages, ms) {
  const before = await Promise.all(pages.map((p) => p.evaluate(mediaStats)));
  await sleep(ms);
  const after = await Promise.all(pages.map((p) => p.evaluate(mediaStats)));
  return after.map((a, i) => ({ frames: a.frames - before[i].frames, audio: a.audio - before[i].audio }));
}

try {
  const api = client(base, args['admin-token']);
  step('create');
  const session = await api('POST', '/sessions', { title: 'ICE-TCP call', customer_name: 'Tess TCP' });
  await api('POST', `/sessions/${session.id}/assign`, { agent_id: 'agent_tcp', agent_name: 'Agent TCP' });
  const links = await api('GET', `/sessions/${session.id}/links`);
  result.session = session.id;

  step('launch');
  const { context, close } = await launchChromium();
  closers.push(close);
  const pageErrors = [];
  const open = async (url, label) => {
    const p = await context.newPage();
    p.on('pageerror', (e) => pageErrors.push(`${label}: ${e.message}`));
    p.on('console', (m) => m.type() === 'error' && console.error(`[${label}]`, m.text()));
    await p.goto(new URL(url, base).href, { waitUntil: 'domcontentloaded' });
    return p;
  };
  const agent = await open(links.agent_url, 'agent');
  const customer = await open(links.customer_url, 'customer');
  const both = [agent, customer];

  step('accept');
  await waitFor(agent, () => window.cskit?.remotePresent && !document.getElementById('btn-accept').hidden
    && !document.getElementById('btn-accept').disabled, undefined, { what: 'the customer in the room', timeout: 20000 });
  await agent.click('#btn-accept');
  const states = await Promise.all(both.map((p) => waitFor(p, () => window.cskit.state === 'connected' && window.cskit.state,
    undefined, { timeout: 30000, what: 'connected' }).catch((e) => e.message)));
  check('bothConnected', states.every((s) => s === 'connected'), states);

  step('media');
  let growth;
  for (let i = 0; i < 20; i++) {
    growth = await sample(both, 1000);
    if (growth.every((g) => g.frames > 0 && g.audio > 0)) break;
  }
  check('videoDecodedAndAudioReceivedBothWays', growth.every((g) => g.frames > 0 && g.audio > 0), growth);

  step('pairs');
  const pairs = (await Promise.all(both.map((p) => p.evaluate(mediaStats)))).flatMap((s) => s.pairs);
  result.pairs = pairs;
  check(`selectedPairsUse${expect}`, pairs.length === 4 && pairs.every((p) => p.local?.startsWith(expect + '/')
    && p.remote?.startsWith(expect + ' ')), pairs);

  step('room report');
  let media = [];
  for (let i = 0; i < 50; i++) {
    const { rooms } = await api('GET', '/rooms');
    media = rooms.find((r) => r.session_id === session.id)?.media ?? [];
    if (media.length === 4 && media.every((m) => m.transport === expect)) break;
    await sleep(200);
  }
  check(`roomReportSaysTransport${expect}`, media.length === 4 && media.every((m) => m.transport === expect),
    media.map((m) => ({ kind: m.kind, user: m.user_id, state: m.state, transport: m.transport })));

  step('metrics');
  const gauge = (text, name, labels) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
    return line ? Number(line.split(' ').pop()) : null;
  };
  let metrics = {};
  for (let i = 0; i < 25; i++) {
    const text = await (await fetch(base + '/metrics')).text();
    metrics = { peers: gauge(text, 'cskit_media_peer_connections', `transport="${expect}"`),
      checkedTcpConnections: gauge(text, 'cskit_media_tcp_connections', 'state="checked"') };
    if (metrics.peers === 4) break;
    await sleep(200);
  }
  check(`metricsCountPeersOn${expect}`, metrics.peers === 4
    && (expect !== 'tcp' || metrics.checkedTcpConnections >= 4), metrics);

  step('hang up');
  await agent.click('#btn-hangup');
  const ended = await Promise.all(both.map((p) => waitFor(p, () => window.cskit.state === 'ended', undefined,
    { timeout: 8000, what: 'ended' }).then(() => true, () => false)));
  check('hangUpEndsBoth', ended.every(Boolean), ended);
  check('noPageErrors', pageErrors.length === 0, pageErrors);
  result.ok = result.failed.length === 0;
} catch (e) {
  result.error = `${result.step}: ${String(e?.stack ?? e)}`;
}
await finish(result, closers);
