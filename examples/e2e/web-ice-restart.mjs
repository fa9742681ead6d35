// ICE restart mid-call through the real call page in headless Chromium: a session with the agent assigned, both
// parties' pages, the agent accepts, video flows both ways. Then the customer's publishing connection is moved:
// `--mode restart` (default) calls pc.restartIce() on it; `--mode outage` drops the page's UDP and ICE-TCP to the
// media port for `--outage-ms` (default 5000) with nft (run the script inside a network namespace of its own, where
// nft needs no real root), then restores it. The SDK restarts ICE over WHIP PATCH (If-Match "*").
// Checks: the customer's page restarted ICE at least once on the same WHIP resource (Location) and the same
// outgoing video SSRC, the server still lists that resource connected, the agent decodes the customer's video
// again (framesDecoded rising), and neither page's room ever saw user_left. Reports the gap (the longest time
// without a newly decoded frame at the agent); does not assert it.
// Usage: node web-ice-restart.mjs --base http://127.0.0.1:PORT [--agent-id ID] [--mode restart|outage]
//        [--media-port N (default: the answer's)] [--outage-ms MS] [--require-restart true]
// Prints one JSON line; exits 0 only if every check passed.
import { execFileSync } from 'node:child_process';
import { checklist, client, launchChromium, pageOpener, parseArgs, finish, sleep, until } from './lib.mjs';

const args = parseArgs();
const base = args.base ?? 'http://127.0.0.1:8080';
const agentId = args['agent-id'] ?? 'agent_001';
const mode = args.mode ?? 'restart';
const outageMs = Number(args['outage-ms'] ?? 5000);
const api = client(base, args['admin-token']);
const { result, check, step } = checklist();
result.mode = mode;
const closers = [];
setTimeout(() => finish({ ...result, ok: false, error: 'timed out after 120 s (last step: ' + result.step + ')' }, closers), 120_000);

// The customer's publisher: its resource, outgoing video SSRC and connection state.
const publisherState = (page) => page.evaluate(async () => {
  const pub = document.getElementById('publisher');
  const out = { location: pub.location, state: pub.connectionState, restarts: pub.iceRestarts, ssrc: null, sent: 0 };
  if (!pub.pc) return out;
  (await pub.pc.getStats()).forEach((s) => {
    if (s.type === 'outbound-rtp' && s.kind === 'video') { out.ssrc = s.ssrc; out.sent = s.packetsSent; }
  });
  return out;
});

const framesDecoded = (page) => page.evaluate(async () => {
  const pc = document.getElementById('subscriber').pc;
  let frames = 0;
  if (pc) (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded ?? 0; });
  return frames;
});

function nft(...rules) {
  for (const r of rules) execFileSync('nft', r.split(' '), { stdio: 'pipe' });
}

const { context, close } = await launchChromium();
closers.push(close);
try {
  const { open, pageErrors } = pageOpener(context);
  step('session');
  const session = await api('POST', '/sessions', { title: 'ice restart', customer_name: 'Roaming Customer' });
  result.session = session.id;
  await api('POST', `/sessions/${session.id}/assign`, { agent_id: agentId, agent_name: 'Agent Wang' });
  const links = await api('GET', `/sessions/${session.id}/links`);
  const agent = await open(new URL(links.agent_url, base).href, { width: 1024, height: 700 }, 'agent');
  const customer = await open(new URL(links.customer_url, base).href, { width: 390, height: 844 }, 'customer');
  for (const p of [agent, customer]) {
    await p.evaluate(() => {
      window.__left = [];
      document.getElementById('room').addEventListener('user_left', (e) => window.__left.push(e.detail));
    });
  }
  step('accept');
  await until(agent, () => window.cskit?.remotePresent && !document.getElementById('btn-accept').hidden
    && !document.getElementById('btn-accept').disabled, undefined, 20000);
  await agent.click('#btn-accept');
  await until(customer, () => window.cskit.state === 'connected' && document.getElementById('publisher').connectionState === 'connected', undefined, 20000);
  let f0 = await framesDecoded(agent);
  for (let i = 0; i < 20 && (await framesDecoded(agent)) <= f0; i++) await sleep(500);
  const before = await publisherState(customer);
  result.before = before;
  f0 = await framesDecoded(agent);
  await sleep(1000);
  check('videoBeforeTheMove', (await framesDecoded(agent)) > f0 && before.location && before.ssrc, before);

  // Sample the agent's decoded frames every 100 ms from before the move until they rise again after it.
  let sampling = true;
  let lastFrames = await framesDecoded(agent);
  let lastRise = Date.now();
  let gapMs = 0;
  let firstRiseAfterRestore = null;
  let restoredAt = Date.now();
  let restored = mode !== 'outage';
  const sampler = (async () => {
    while (sampling) {
      const f = await framesDecoded(agent).catch(() => lastFrames);
      const now = Date.now();
      if (f < lastFrames) lastFrames = 0; // the agent's player was made anew: its count starts again
      if (f > lastFrames) {
        gapMs = Math.max(gapMs, now - lastRise);
        lastRise = now;
        lastFrames = f;
        if (firstRiseAfterRestore === null && restored && now > restoredAt) firstRiseAfterRestore = now;
      }
      await sleep(100);
    }
  })();

  await customer.evaluate(() => {
    const pc = document.getElementById('publisher').pc;
    const t0 = performance.now();
    window.__states = [];
    pc.addEventListener('connectionstatechange', () => window.__states.push([Math.round(performance.now() - t0), pc.connectionState]));
  });
  step('move');
  const movedAt = Date.now();
  restoredAt = movedAt;
  if (mode === 'outage') {
    // The media port: the one the server's answer names (every UDP candidate has it), and its ICE-TCP port.
    const ports = await customer.evaluate(() => {
      const sdp = document.getElementById('publisher').pc.remoteDescription.sdp;
      return { udp: /^a=candidate:\S+ 1 udp \d+ \S+ (\d+) typ host/m.exec(sdp)?.[1],
        tcp: /^a=candidate:\S+ 1 tcp \d+ \S+ (\d+) typ host tcptype passive/m.exec(sdp)?.[1] };
    });
    const port = Number(args['media-port'] ?? ports.udp);
    if (!port) throw new Error('no media port in the answer');
    result.mediaPort = port;
    // The network is gone, not only UDP: the ICE-TCP pair (a backup Chromium keeps) is cut as well, or Chromium
    // would move to it without any restart.
    const rules = [`add rule inet cskit_outage in udp dport ${port} drop`, `add rule inet cskit_outage in udp sport ${port} drop`];
    if (ports.tcp) {
      result.mediaTcpPort = Number(ports.tcp);
      rules.push(`add rule inet cskit_outage in tcp dport ${ports.tcp} drop`, `add rule inet cskit_outage in tcp sport ${ports.tcp} drop`);
    }
    nft('add table inet cskit_outage',
      'add chain inet cskit_outage in { type filter hook input priority -10 ; }', ...rules);
    await sleep(outageMs);
    nft('delete table inet cskit_outage');
    restoredAt = Date.now();
    restored = true;
  } else {
    await customer.evaluate(() => document.getElementById('publisher').pc.restartIce());
  }

  step('restarted');
  // After pc.restartIce() the SDK must have restarted; after an outage Chromium may also recover on its own
  // (consent checks resume on the same pair), so there it is reported, not required.
  const restarted = await until(customer, ({ n, need }) => {
    const pub = document.getElementById('publisher');
    return (!need || pub.iceRestarts > n) && pub.connectionState === 'connected';
  }, { n: before.restarts, need: mode === 'restart' }, 30000).then(() => true, () => false);
  const after = await publisherState(customer);
  result.after = after;
  if (mode === 'restart') check('iceRestarted', restarted && after.restarts > before.restarts, after);
  else check('connectedAgain', restarted, after);
  check('sameWhipResource', after.location === before.location, { before: before.location, after: after.location });
  check('sameOutgoingSsrc', after.ssrc === before.ssrc, { before: before.ssrc, after: after.ssrc });

  step('frames again');
  const framesAtRestart = await framesDecoded(agent);
  let framesAfter = framesAtRestart;
  for (let i = 0; i < 30 && framesAfter <= framesAtRestart + 10; i++) { await sleep(500); framesAfter = await framesDecoded(agent); }
  sampling = false;
  await sampler;
  check('framesDecodedRiseAgain', framesAfter > framesAtRestart + 10, { framesAtRestart, framesAfter });
  result.gapMs = gapMs;
  // From the move (restart) or the end of the outage to the agent's first newly decoded frame.
  result.framesBackAfterMs = firstRiseAfterRestore === null ? null : firstRiseAfterRestore - restoredAt;
  result.publisherStates = await customer.evaluate(() => window.__states);
  await sleep(mode === 'outage' ? 3000 : 0); // a restart the outage set off may still be on its way
  result.iceRestarts = await customer.evaluate(() => window.cskit.iceRestarts ?? []);
  result.afterSettled = await publisherState(customer);
  check('sameWhipResourceAfterAll', result.afterSettled.location === before.location
    && result.afterSettled.ssrc === before.ssrc, result.afterSettled);
  if (args['require-restart'] === 'true') {
    check('anIceRestartReconnected', result.iceRestarts.length > 0 && result.afterSettled.restarts > before.restarts,
      { iceRestarts: result.iceRestarts, states: await customer.evaluate(() => window.__states) });
  }

  step('server');
  const rooms = await api('GET', '/rooms');
  const resourceId = before.location.split('/').pop();
  const room = (rooms.rooms ?? rooms).find?.((r) => (r.room_id ?? r.id) === 'customer-service/' + session.id);
  const media = JSON.stringify(room ?? rooms);
  check('serverKeptTheResource', media.includes(resourceId), { resourceId, room: room ?? null });
  const left = await Promise.all([agent, customer].map((p) => p.evaluate(() => window.__left)));
  check('noUserLeft', left.every((l) => l.length === 0), left);
  check('noPageErrors', pageErrors.length === 0, pageErrors);
  result.ok = result.failed.length === 0;
} catch (e) {
  result.ok = false;
  result.error = e.stack || String(e);
}
await finish(result, closers);
