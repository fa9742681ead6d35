// Supervisor monitor and whisper on the shipped pages, in headless Chromium against a real server (issue 16,
// acceptance 6). The supervisor is the admin dashboard in the same browser (the loopback shortcut: no admin token).
//  1. a session with an agent; the customer's and the agent's links open (autoaccept), video decoded both ways;
//  2. the dashboard's "Monitor" on the call's room row: the monitor view plays both parties with two WHEPs of the
//     monitor token; the supervisor decodes video (framesDecoded) and hears audio (inbound totalAudioEnergy power)
//     of both; the agent's page gets `supervisor_listening` and shows its badge; the customer got no frame that
//     speaks of a supervisor, no room frame (joined, user lists) names it, and GET /rooms lists two participants and
//     `monitored_by: ["admin"]`;
//  3. whisper: the agent mutes its microphone; before the whisper the agent's whisper player is silent; the
//     dashboard's "Whisper" publishes its fake microphone (Chromium's beep) on the whisper path: the agent's whisper
//     player's audio power rises well above silence while the customer's inbound audio stays silent (power, with a
//     4× ≈ 6 dB margin as web-call.mjs compares the mixer); the customer's own WHEP of the whisper path gets 403;
//  4. "Stop monitoring": the agent hears the supervisor left (badge hidden, player gone), GET /rooms lists nobody
//     monitoring; screenshots supervisor-monitor.png (the dashboard) and supervisor-agent.png (the agent's badge).
// Usage: node web-supervisor.mjs --base URL [--agent-id agent_001] [--shots DIR]
// Prints one JSON line ({ok, session, customer, checks, …}); exits 0 only if every check passed.
import { checklistScript, joinCall, pageOpener, runInChromium, sleep, until, videoFlowing } from './lib.mjs';

const { args, base, shots, api, result, check, step, shot, closers } = checklistScript(200);
const agentId = args['agent-id'] ?? 'agent_001';

// Raw inbound counters of one player's peer connection: the call page's camera player (`subscriber`), the agent's
// whisper player (`whisper`), or the dashboard's monitor players (`customer`, `agent`).
const inbound = (page, which) => page.evaluate(async (which) => {
  const pick = {
    subscriber: () => window.cskit?.subscriber?.pc,
    whisper: () => document.querySelector('[data-testid=whisper-player]')?.pc,
    customer: () => document.querySelector('[data-testid=monitor-player][data-party=customer]')?.pc,
    agent: () => document.querySelector('[data-testid=monitor-player][data-party=agent]')?.pc,
  };
  const out = { frames: 0, audio: 0, energy: 0, duration: 0 };
  const pc = pick[which]();
  if (!pc) return out;
  (await pc.getStats()).forEach((s) => {
    if (s.type !== 'inbound-rtp') return;
    if (s.kind === 'video') out.frames += s.framesDecoded ?? 0;
    if (s.kind === 'audio') { out.audio += s.packetsReceived ?? 0; out.energy += s.totalAudioEnergy ?? 0; out.duration += s.totalSamplesDuration ?? 0; }
  });
  return out;
}, which);

// Deltas over `ms`; `power` = mean audio power (energy / seconds), as web-call.mjs measures it.
async function sample(page, which, ms) {
  const b = await inbound(page, which);
  await sleep(ms);
  const a = await inbound(page, which);
  const secs = a.duration - b.duration;
  return { frames: a.frames - b.frames, audio: a.audio - b.audio, samples: secs,
    power: secs > 0 ? (a.energy - b.energy) / secs : 0 };
}

// A reading taken once `ok` holds (what was in flight has drained on a loaded machine), up to `tries` windows.
async function settle(page, which, ok, tries = 8, ms = 1500) {
  let last = null;
  for (let i = 0; i < tries; i++) {
    last = await sample(page, which, ms);
    if (ok(last)) break;
  }
  return last;
}

const frames = (page) => page.evaluate(() => window.__wsFrames ?? []);
const quiet = (s) => s.power < 1e-5;

await runInChromium({ shots, result, check, closers }, async (context) => {
  // Every room frame a page receives, from its first (joined, user lists) on.
  await context.addInitScript(() => {
    window.__wsFrames = [];
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(...a) {
        super(...a);
        this.addEventListener('message', (e) => { try { window.__wsFrames.push(JSON.parse(e.data)); } catch { /* not JSON */ } });
      }
    };
  });
  const { open, pageErrors } = pageOpener(context);

  // ---- 1. a call with video both ways
  step('call');
  const s = await api('POST', '/sessions', { title: 'Supervised call', customer_name: 'Sam Customer' });
  result.session = s.id;
  result.customer = s.customer_id;
  const { links, customer, agent } = await joinCall({ api, open, base, sessionId: s.id, agentId,
    viewport: { width: 1000, height: 700 } });
  const flowing = await videoFlowing([customer, agent]);
  check('callVideoBothWays', flowing.every((n) => n > 0), flowing);

  // ---- 2. the dashboard monitors the call
  step('monitor');
  const admin = await open(`${base}/admin/`, { width: 1280, height: 900 }, 'supervisor');
  const row = `[data-testid=room-row][data-room-id="customer-service/${s.id}"] [data-testid=room-monitor]`;
  await admin.waitForSelector(row, { timeout: 20000 });
  await admin.click(row);
  await until(admin, () => window.cskitMonitor?.players?.customer === 'connected'
    && window.cskitMonitor?.players?.agent === 'connected', undefined, 30000);
  result.supervisor = await admin.evaluate(() => window.cskitMonitor.supervisor);
  const heard = {};
  for (const party of ['customer', 'agent']) {
    heard[party] = await settle(admin, party, (x) => x.frames > 0 && x.samples > 0 && x.power > 1e-6);
  }
  result.supervisorHears = heard;
  for (const party of ['customer', 'agent']) {
    check(`supervisorDecodes${party === 'customer' ? 'Customer' : 'Agent'}VideoAndAudio`,
      heard[party].frames > 0 && heard[party].audio > 0 && heard[party].samples > 0 && heard[party].power > 1e-6, heard[party]);
  }
  await until(agent, () => window.cskit.supervisors?.admin && !document.getElementById('supervisor-badge').hidden,
    undefined, 15000);
  const agentFrames = (await frames(agent)).filter((f) => f.action === 'supervisor_listening');
  check('agentToldSupervisorListening', agentFrames.length === 1 && agentFrames[0].listening === true
    && agentFrames[0].supervisor === 'admin' && agentFrames[0].session_id === s.id, agentFrames);
  const customerFrames = await frames(customer);
  const traces = customerFrames.filter((f) => /supervisor|whisper|"admin"/.test(JSON.stringify(f)));
  check('customerHearsOfNothing', customerFrames.length > 0 && traces.length === 0,
    { frames: customerFrames.map((f) => f.action), traces });
  const named = (list) => list.filter((f) => JSON.stringify(f.users ?? f.user_list ?? f.participants ?? []).includes('admin')
    || (f.action === 'user_joined' && f.user_id === 'admin'));
  check('noRoomFrameNamesTheSupervisor', named(customerFrames).length === 0 && named(await frames(agent)).length === 0);
  const rooms = await api('GET', '/rooms');
  const room = rooms.rooms.find((r) => r.room_id === `customer-service/${s.id}`);
  const people = (room?.participants ?? []).map((p) => p.user_id).sort();
  result.room = { participants: people, monitored_by: room?.monitored_by, media: (room?.media ?? []).map((m) => m.user_id) };
  check('roomListsOnlyTheParties', people.length === 2 && people.includes(agentId) && people.includes(s.customer_id)
    && !(room?.media ?? []).some((m) => String(m.user_id).includes('admin')), result.room);
  check('roomSaysWhoMonitors', JSON.stringify(room?.monitored_by) === '["admin"]', room?.monitored_by);
  await admin.locator('#monitor').scrollIntoViewIfNeeded();
  await shot(admin, 'supervisor-monitor.png');

  // ---- 3. whisper: to the agent's ears, not the customer's
  step('whisper');
  await agent.click('#btn-mic');
  await until(agent, () => !window.cskit.publisher.micEnabled, undefined, 5000);
  const before = await settle(agent, 'whisper', quiet, 4);
  const customerMuted = await settle(customer, 'subscriber', quiet);
  await admin.click('[data-testid=monitor-whisper]');
  await until(admin, () => window.cskitMonitor.whisper === 'on', undefined, 20000);
  // A window of ordinary length: the first one after the <audio> starts may count the samples it waited for.
  const whisper = await settle(agent, 'whisper', (x) => x.power > 1e-4 && x.samples < 3, 12);
  const customerDuring = await settle(customer, 'subscriber', quiet);
  const levels = { agentWhisperBefore: before, agentWhisper: whisper, customerMuted, customerDuringWhisper: customerDuring };
  result.levels = levels;
  check('whisperPlayerSilentBeforeTheWhisper', before.power < 1e-5, before);
  check('whisperReachesTheAgent', whisper.power > 1e-4 && whisper.power > 4 * Math.max(before.power, 1e-6), levels);
  check('whisperDoesNotReachTheCustomer', customerDuring.audio > 0 && customerDuring.power < 1e-5
    && whisper.power > 4 * Math.max(customerDuring.power, 1e-6), levels);
  const customerWhep = await customer.evaluate(async ({ sid, token }) => {
    const res = await fetch(`/webrtc/whep/customer-service/${encodeURIComponent(sid)}/admin/whisper`, { method: 'POST',
      headers: { 'Content-Type': 'application/sdp', Authorization: 'Bearer ' + token }, body: 'v=0\r\n' });
    return { status: res.status, body: await res.text() };
  }, { sid: s.id, token: links.customer_token });
  check('customerWhepOfTheWhisperIs403', customerWhep.status === 403, customerWhep);
  await shot(agent, 'supervisor-agent.png');

  // ---- 4. stop monitoring
  step('stop');
  await admin.click('[data-testid=monitor-stop]');
  await until(agent, () => document.getElementById('supervisor-badge').hidden
    && !document.querySelector('[data-testid=whisper-player]') && !window.cskit.supervisors.admin, undefined, 15000);
  const stopFrames = (await frames(agent)).filter((f) => f.action === 'supervisor_listening').map((f) => f.listening);
  check('agentToldSupervisorLeft', JSON.stringify(stopFrames) === '[true,false]', stopFrames);
  let after = null;
  for (let i = 0; i < 20; i++) {
    after = (await api('GET', '/rooms')).rooms.find((r) => r.room_id === `customer-service/${s.id}`);
    if (after && after.monitored_by.length === 0) break;
    await sleep(500);
  }
  check('nobodyMonitorsAfterStop', after && after.monitored_by.length === 0 && after.participants.length === 2, after);
  check('customerStillHearsOfNothing', (await frames(customer)).every((f) => !/supervisor|whisper/.test(JSON.stringify(f))));

  await agent.click('#btn-hangup');
  await until(customer, () => window.cskit.state === 'ended');
  return pageErrors;
});
