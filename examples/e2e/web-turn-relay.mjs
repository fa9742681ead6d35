// A call through the real call page in headless Chromium where the server says ice_transport_policy: relay and
// hands out a TURN server (RFC 9725 §4.6 Link headers on an OPTIONS of the WHIP/WHEP endpoint, before the peer
// connection is made): a session with the agent assigned, both parties' pages, the agent accepts. Checks that
// video is decoded both ways, that every peer connection of both pages (publisher and player) was made with
// iceTransportPolicy "relay" and the TURN server, and that its selected candidate pair's local candidate is a
// relay one (getStats). The test around it runs coturn and blocks the direct paths.
// Usage: node web-turn-relay.mjs --base http://localhost:PORT [--agent-id ID]
// Prints one JSON line; exits 0 only if every check passed.
import { checklist, client, launchChromium, pageOpener, parseArgs, finish, sleep, until } from './lib.mjs';

const args = parseArgs();
const base = args.base ?? 'http://127.0.0.1:8080';
const agentId = args['agent-id'] ?? 'agent_001';
const api = client(base, args['admin-token']);
const { result, check, step } = checklist();
const closers = [];
setTimeout(() => finish({ ...result, ok: false, error: 'timed out after 100 s (last step: ' + result.step + ')' }, closers), 100_000);

// For each of the page's peer connections: its configuration and its selected pair's candidates.
const transports = (page) => page.evaluate(async () => {
  const out = {};
  for (const id of ['publisher', 'subscriber']) {
    const pc = document.getElementById(id).pc;
    if (!pc) { out[id] = null; continue; }
    const stats = await pc.getStats();
    const conf = pc.getConfiguration();
    const o = { state: pc.connectionState, policy: conf.iceTransportPolicy,
      servers: (conf.iceServers || []).map((s) => [].concat(s.urls).join(' ')), frames: 0 };
    stats.forEach((s) => {
      if (s.type === 'transport' && s.selectedCandidatePairId) {
        const pair = stats.get(s.selectedCandidatePairId);
        const local = pair && stats.get(pair.localCandidateId);
        const remote = pair && stats.get(pair.remoteCandidateId);
        o.local = local ? { type: local.candidateType, address: local.address, port: local.port, relayProtocol: local.relayProtocol } : null;
        o.remote = remote ? { type: remote.candidateType, address: remote.address, port: remote.port } : null;
      }
      if (s.type === 'inbound-rtp' && s.kind === 'video') o.frames += s.framesDecoded ?? 0;
    });
    out[id] = o;
  }
  return out;
});

const { context, close } = await launchChromium();
closers.push(close);
try {
  const { open, pageErrors } = pageOpener(context);
  step('session');
  const session = await api('POST', '/sessions', { title: 'relay only', customer_name: 'Private Customer' });
  result.session = session.id;
  await api('POST', `/sessions/${session.id}/assign`, { agent_id: agentId, agent_name: 'Agent Wang' });
  const links = await api('GET', `/sessions/${session.id}/links`);
  const agent = await open(new URL(links.agent_url, base).href, { width: 1024, height: 700 }, 'agent');
  const customer = await open(new URL(links.customer_url, base).href, { width: 390, height: 844 }, 'customer');
  step('accept');
  await until(agent, () => window.cskit?.remotePresent && !document.getElementById('btn-accept').hidden
    && !document.getElementById('btn-accept').disabled, undefined, 20000);
  await agent.click('#btn-accept');
  step('media');
  const pages = { agent, customer };
  let last = {};
  for (let i = 0; i < 40; i++) {
    for (const [name, p] of Object.entries(pages)) last[name] = await transports(p);
    const a = last.agent.subscriber?.frames ?? 0;
    const c = last.customer.subscriber?.frames ?? 0;
    if (a > 10 && c > 10 && Object.values(last).every((t) => t.publisher?.local && t.subscriber?.local)) break;
    await sleep(500);
  }
  result.transports = last;
  check('videoBothWays', (last.agent.subscriber?.frames ?? 0) > 10 && (last.customer.subscriber?.frames ?? 0) > 10,
    { agent: last.agent.subscriber?.frames, customer: last.customer.subscriber?.frames });
  for (const [name, t] of Object.entries(last)) {
    for (const kind of ['publisher', 'subscriber']) {
      const x = t[kind];
      check(`${name}.${kind}.relayPolicy`, x && x.policy === 'relay' && x.servers.some((s) => s.startsWith('turn:')), x);
      check(`${name}.${kind}.selectedPairIsRelay`, x && x.local && x.local.type === 'relay', x && x.local);
    }
  }
  check('noPageErrors', pageErrors.length === 0, pageErrors);
  result.ok = result.failed.length === 0;
} catch (e) {
  result.ok = false;
  result.error = e.stack || String(e);
}
await finish(result, closers);
