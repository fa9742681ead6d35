// A Firefox ESR customer and a Chromium agent in one call through the shipped call page, once per target server
// (each target is a server configured with one SRTP profile; both browsers are launched once and reused):
//  1. the API creates a session and assigns an agent; Firefox opens the customer link and Chromium the agent
//     link the API gives; the agent presses Accept and both pages reach `connected`;
//  2. video frames are decoded on both pages and audio arrives both ways: Chromium's inbound audio packets rise,
//     and Firefox's inbound-rtp audio packets, bytes and totalAudioEnergy rise (headless Firefox has no audio
//     output, so its Web Audio stays suspended and getStats is what shows the audio it receives);
//  3. Firefox receives and sends VP8 (it has no H.264 here);
//  4. the server's room report (GET /customer-service/rooms) shows the call's four peers (two WHIP, two WHEP),
//     each with the SRTP profile asked; Chromium's transport stats name the same cipher for both its connections;
//  5. with --expect-remote-address IP: the selected ICE pair of every connection of both browsers has its
//     remote (the server's) candidate at IP;
//  6. the agent hangs up and both pages reach `ended`.
// Usage: node firefox-call.mjs --targets http://127.0.0.1:PORT=AES_CM_128_HMAC_SHA1_80[,http://…=AEAD_AES_128_GCM]
//        [--firefox-loopback false] [--expect-remote-address 198.18.0.1] [--shots DIR]
// Prints one JSON line; exits 0 only if every check passed.
import { mkdirSync } from 'node:fs';
import { checklist, client, finish, launchChromium, launchFirefox, parseArgs, screenshotter, sleep, waitFor } from './lib.mjs';

const args = parseArgs();
const targets = (args.targets ?? 'http://127.0.0.1:8080=AES_CM_128_HMAC_SHA1_80').split(',').map((t) => {
  const i = t.lastIndexOf('=');
  return { base: t.slice(0, i), profile: t.slice(i + 1) };
});
const firefoxLoopback = args['firefox-loopback'] !== 'false';
const expectRemote = args['expect-remote-address'] ?? null;
const shots = args.shots ?? null;
const { result, check, step } = checklist();
const shot = screenshotter(shots, result);
const closers = [];
const budget = 30_000 + 35_000 * targets.length; // a loaded 2-core machine: launches ~17 s, a call ~20 s
setTimeout(() => finish({ ...result, ok: false, error: `timed out after ${budget / 1000} s (last step: ${result.step})` }, closers), budget);

// Chromium's transport stats name the SRTP profile as RFC 5764 §4.1.2 does (the GCM one as RFC 7714 §14.2).
const CHROMIUM_CIPHER = { AES_CM_128_HMAC_SHA1_80: 'SRTP_AES128_CM_HMAC_SHA1_80', AEAD_AES_128_GCM: 'SRTP_AEAD_AES_128_GCM' };

// Runs in the page (Firefox or Chromium): the call's media as its two peer connections see it.
async function mediaStats() {
  const cs = window.cskit;
  const read = async (pc) => (pc ? [...(await pc.getStats()).values()] : []);
  const out = { frames: 0, video: 0, audio: 0, audioBytes: 0, energy: 0, codecs: [], ciphers: [], remotes: [] };
  const conns = { sub: await read(cs?.subscriber?.pc), pub: await read(cs?.publisher?.pc) };
  for (const [name, stats] of Object.entries(conns)) {
    const byId = new Map(stats.map((s) => [s.id, s]));
    for (const s of stats) {
      if (s.type !== 'inbound-rtp' && s.type !== 'outbound-rtp') continue;
      const codec = byId.get(s.codecId)?.mimeType;
      if (codec) out.codecs.push(`${name}:${s.type === 'inbound-rtp' ? 'in' : 'out'}:${codec}`);
      if (name !== 'sub' || s.type !== 'inbound-rtp') continue;
      if (s.kind === 'video') { out.frames += s.framesDecoded ?? 0; out.video += s.packetsReceived ?? 0; }
      if (s.kind === 'audio') { out.audio += s.packetsReceived ?? 0; out.audioBytes += s.bytesReceived ?? 0; out.energy += s.totalAudioEnergy ?? 0; }
    }
    // The selected pair: Chromium names it on the transport, Firefox marks it `selected`.
    const transport = stats.find((s) => s.type === 'transport');
    if (transport?.srtpCipher) out.ciphers.push(transport.srtpCipher);
    const pair = byId.get(transport?.selectedCandidatePairId)
      ?? stats.find((s) => s.type === 'candidate-pair' && (s.selected || (s.nominated && s.state === 'succeeded')));
    const remote = byId.get(pair?.remoteCandidateId);
    out.remotes.push(remote ? (remote.address ?? remote.ip) : null);
  }
  return out;
}

// Growth of the counters over `ms` on each page.
async function sample(pages, ms) {
  const before = await Promise.all(pages.map((p) => p.evaluate(mediaStats)));
  await sleep(ms);
  const after = await Promise.all(pages.map((p) => p.evaluate(mediaStats)));
  return after.map((a, i) => ({ frames: a.frames - before[i].frames, audio: a.audio - before[i].audio,
    audioBytes: a.audioBytes - before[i].audioBytes, energy: a.energy - before[i].energy }));
}

// The room report's media entries of a session, once all four peers have finished DTLS.
async function roomMedia(api, sessionId) {
  for (let i = 0; i < 50; i++) {
    const { rooms } = await api('GET', '/rooms');
    const media = rooms.find((r) => r.session_id === sessionId)?.media ?? [];
    if (media.length === 4 && media.every((m) => m.srtp_profile)) return media;
    await sleep(200);
  }
  const { rooms } = await api('GET', '/rooms');
  return rooms.find((r) => r.session_id === sessionId)?.media ?? [];
}

async function call({ base, profile }, firefox, chromium, tag) {
  const api = client(base, args['admin-token']);
  step(`${tag}: create`);
  const session = await api('POST', '/sessions', { title: `Firefox call ${tag}`, customer_name: 'Fiona Firefox' });
  await api('POST', `/sessions/${session.id}/assign`, { agent_id: 'agent_chromium', agent_name: 'Agent Chromium' });
  const links = await api('GET', `/sessions/${session.id}/links`);
  result.sessions = [...(result.sessions ?? []), session.id];

  step(`${tag}: open links`);
  const customer = await firefox.newPage();
  const agent = await chromium.newPage();
  const pageErrors = [];
  for (const [label, p] of [['firefox', customer], ['chromium', agent]]) {
    p.on('pageerror', (e) => pageErrors.push(`${label}: ${e.message}`));
    p.on('console', (m) => m.type() === 'error' && console.error(`[${tag} ${label}]`, m.text()));
  }
  await Promise.all([customer.goto(new URL(links.customer_url, base).href), agent.goto(new URL(links.agent_url, base).href)]);
  const roles = await Promise.all([customer, agent].map((p) => waitFor(p, () => window.cskit?.role, undefined, { what: 'the call page' })));
  check(`${tag}.linksOpenTheCallPage`, roles[0] === 'customer' && roles[1] === 'agent', roles);

  step(`${tag}: accept`);
  await waitFor(agent, () => window.cskit?.remotePresent && !document.getElementById('btn-accept').hidden
    && !document.getElementById('btn-accept').disabled, undefined, { what: 'the customer in the room' });
  await agent.click('#btn-accept');
  const states = await Promise.all([customer, agent].map((p) => waitFor(p, () => window.cskit.state === 'connected' && window.cskit.state,
    undefined, { timeout: 20000, what: 'connected' }).catch((e) => e.message)));
  check(`${tag}.bothConnected`, states.every((s) => s === 'connected'), states);

  step(`${tag}: media`);
  const flowing = (s, i) => s.frames > 0 && s.audio > 0 && s.audioBytes > 0 && (i === 1 || s.energy > 0);
  let growth;
  for (let i = 0; i < 15; i++) {
    growth = await sample([customer, agent], 1000);
    if (growth.every(flowing)) break;
  }
  const [fx, cr] = growth;
  check(`${tag}.firefoxDecodesVideo`, fx.frames > 0, fx);
  check(`${tag}.firefoxReceivesAudio`, fx.audio > 0 && fx.audioBytes > 0 && fx.energy > 0, fx);
  check(`${tag}.chromiumDecodesVideo`, cr.frames > 0, cr);
  check(`${tag}.chromiumReceivesAudio`, cr.audio > 0 && cr.audioBytes > 0, cr);

  const [fxStats, crStats] = await Promise.all([customer, agent].map((p) => p.evaluate(mediaStats)));
  const fxVideo = fxStats.codecs.filter((c) => c.includes('video/'));
  check(`${tag}.firefoxUsesVp8`, fxVideo.length === 2 && fxVideo.every((c) => c.endsWith('video/VP8')), fxStats.codecs);

  step(`${tag}: room report`);
  const media = await roomMedia(api, session.id);
  const report = media.map((m) => ({ kind: m.kind, user: m.user_id, profile: m.srtp_profile, state: m.state }));
  check(`${tag}.serverUsedProfile`, media.length === 4 && media.every((m) => m.srtp_profile === profile)
    && media.filter((m) => m.kind === 'whip').length === 2, { asked: profile, report });
  check(`${tag}.chromiumCipher`, crStats.ciphers.length === 2 && crStats.ciphers.every((c) => c === CHROMIUM_CIPHER[profile]),
    crStats.ciphers);
  if (expectRemote) {
    const remotes = { firefox: fxStats.remotes, chromium: crStats.remotes };
    check(`${tag}.icePairsUse${expectRemote}`, [...fxStats.remotes, ...crStats.remotes].length === 4
      && [...fxStats.remotes, ...crStats.remotes].every((a) => a === expectRemote), remotes);
  }
  await shot(customer, `firefox-customer-${tag}.png`);

  step(`${tag}: hang up`);
  await agent.click('#btn-hangup');
  const ended = await Promise.all([customer, agent].map((p) => waitFor(p, () => window.cskit.state === 'ended', undefined,
    { timeout: 8000, what: 'ended' }).then(() => true, () => false)));
  check(`${tag}.hangUpEndsBoth`, ended.every(Boolean), ended);
  check(`${tag}.noPageErrors`, pageErrors.length === 0, pageErrors);
  await Promise.all([customer.close(), agent.close()]).catch(() => {});
}

try {
  if (shots) mkdirSync(shots, { recursive: true });
  step('launch');
  const t0 = Date.now();
  const [fx, cr] = await Promise.all([launchFirefox({ loopback: firefoxLoopback }), launchChromium()]);
  closers.push(fx.close, cr.close);
  result.launchMs = Date.now() - t0;
  for (const target of targets) {
    const t = Date.now();
    await call(target, fx.browser, cr.context, target.profile);
    result.callMs = { ...result.callMs, [target.profile]: Date.now() - t };
  }
  result.ok = result.failed.length === 0;
} catch (e) {
  result.error = `${result.step}: ${String(e?.stack ?? e)}`;
}
await finish(result, closers);
