// The agent desk (/desk.html) with the agent pool routing calls, in headless Chromium against the real server
// (two configured agents, auto_assign on):
//  1. agent_001 and agent_002 sign in through the lobby UI, open the desk from it and press Ready (agent_001
//     first, so it has been idle longest); agent_001's desk socket is dropped: it reconnects and is ready again;
//  2. the admin page creates session 1: agent_001's desk rings (customer name, title, a countdown that goes
//     down, the chime playing; the admin agents panel shows "ringing"); screenshots of the ringing desk;
//  3. agent_001 rejects: the card clears and agent_002's desk rings; agent_002 accepts with video: the call
//     page opens over its desk and, with customer 1 on its link, video is decoded both ways;
//  4. agent_001 goes not ready; session 2 (API) waits with nobody ready: customer 2's call page says
//     "You are number 1 in line, about N min" and the admin queue panel lists it at position 1;
//  5. agent_001 goes ready: session 2 rings it, it accepts audio only (its call page captures no camera), the
//     customer's queue notice goes away;
//  6. agent_002 hangs up: its desk comes back by itself, ready, with 1 call handled today (desk and admin).
// Usage: node web-desk.mjs --base http://127.0.0.1:PORT --password secret [--shots DIR]
// Prints one JSON line; exits 0 only if every check passed.
import { mkdirSync } from 'node:fs';
import { checklist, client, launchChromium, pageOpener, parseArgs, finish, screenshotter, sleep, until, videoFlowing } from './lib.mjs';

const args = parseArgs();
const base = args.base ?? 'http://127.0.0.1:8080';
const password = args.password ?? 'secret';
const shots = args.shots ?? null;
const api = client(base, args['admin-token']);
const { result, check, step } = checklist();
const shot = screenshotter(shots, result);
const closers = [];
setTimeout(() => finish({ ...result, ok: false, error: 'timed out after 140 s (last step: ' + result.step + ')' }, closers), 140_000);



const { context, close } = await launchChromium();
closers.push(close);
try {
  if (shots) mkdirSync(shots, { recursive: true });
  const { open, pageErrors } = pageOpener(context);

  // ---- 1. sign in through the lobby, open the desk, go ready
  const desk = async (agentId, label) => {
    step('lobby login ' + agentId);
    const p = await open(base + '/', { width: 1280, height: 800 }, label);
    await p.click('label:has(#role-agent)');
    await p.fill('#login-agent-id', agentId);
    await p.fill('#login-password', password);
    await p.click('#login-submit');
    await p.locator('#login-status').waitFor({ state: 'visible', timeout: 10000 });
    await p.click('#open-desk');
    await p.waitForURL(/\/desk\.html$/, { timeout: 10000 });
    await until(p, () => window.cskitDesk?.roomState === 'joined' && window.cskitDesk.state === 'online' && window.cskitDesk.stats);
    check(label + 'Online', (await p.textContent('#desk-state')).includes('Online')
      && (await p.textContent('#desk-agent')).includes(agentId) && (await p.textContent('#desk-handled')) === '0');
    await p.click('#desk-toggle');
    await until(p, () => window.cskitDesk.state === 'ready' && document.getElementById('desk-toggle').getAttribute('aria-pressed') === 'true');
    check(label + 'Ready', (await p.textContent('#desk-state')) === 'Ready');
    return p;
  };
  const desk1 = await desk('agent_001', 'desk1');
  // A dropped desk socket is presence lost (the server forgets "ready"): the desk reconnects with backoff and
  // asks to be ready again.
  step('desk1 reconnect');
  const n0 = await desk1.evaluate(() => { const n = window.cskitDesk.states.length; document.getElementById('desk-room')._ws.close(); return n; });
  await until(desk1, (n) => window.cskitDesk.roomState === 'joined' && window.cskitDesk.states.length >= n + 2
    && window.cskitDesk.state === 'ready', n0);
  check('reconnectRestoresReady', (await desk1.evaluate(() => window.cskitDesk.states.slice(-2).map((s) => s.state).join())) === 'online,ready');
  const desk2 = await desk('agent_002', 'desk2');

  // ---- 2. the admin page creates session 1; desk 1 rings
  step('admin create');
  const admin = await open(base + '/admin/', { width: 1280, height: 800 }, 'admin');
  await until(admin, () => window.cskitAdmin.agents.length === 2);
  await admin.fill('#create-title', 'Billing question');
  await admin.fill('#create-customer', 'Ann Customer');
  await admin.click('#create-submit');
  const s1 = (await admin.locator('[data-testid=created-id]').textContent({ timeout: 10000 })).trim();
  result.session1 = s1;

  step('desk1 rings');
  await until(desk1, (id) => window.cskitDesk.ringing?.session_id === id, s1);
  await until(desk1, () => !document.getElementById('incoming').hidden && window.cskitDesk.ringPlaying);
  const ring1 = await desk1.evaluate(() => ({
    customer: document.getElementById('incoming-customer').textContent,
    title: document.getElementById('incoming-title').textContent,
    countdown: document.getElementById('incoming-countdown').textContent,
    seconds: window.cskitDesk.countdown,
    state: document.getElementById('desk-state').textContent,
    dot: document.getElementById('desk-state-dot').className,
  }));
  await sleep(2100);
  const later = await desk1.evaluate(() => ({ seconds: window.cskitDesk.countdown, text: document.getElementById('incoming-countdown').textContent }));
  check('ringingCard', ring1.customer === 'Ann Customer' && ring1.title === 'Billing question' && ring1.state === 'Ringing'
    && ring1.dot.includes('state-ringing'), ring1);
  check('countdownRunsDown', ring1.seconds > 20 && ring1.seconds <= 30 && later.seconds < ring1.seconds
    && later.text === `${later.seconds} s`, { first: ring1.seconds, later });
  check('ringSoundPlays', await desk1.evaluate(() => window.cskitDesk.ringPlaying));
  await until(admin, () => document.querySelector('[data-testid=agent-row][data-agent-id=agent_001]')?.dataset.state === 'ringing'
    && document.querySelector('[data-testid=agent-row][data-agent-id=agent_002]')?.dataset.state === 'ready', null, 8000);
  check('adminShowsRinging', await admin.evaluate(() => document.querySelector('[data-testid=agent-row][data-agent-id=agent_001] [data-testid=agent-dot]').className.includes('state-ringing')));
  await shot(desk1, 'desk-ringing-desktop.png');
  await desk1.setViewportSize({ width: 390, height: 844 });
  await shot(desk1, 'desk-ringing-mobile.png');
  await desk1.setViewportSize({ width: 1280, height: 800 });

  // ---- 3. reject → desk 2 rings; desk 2 accepts with video
  step('reject');
  await desk1.click('#incoming-reject');
  await until(desk2, (id) => window.cskitDesk.ringing?.session_id === id, s1);
  await until(desk1, () => document.getElementById('incoming').hidden && !window.cskitDesk.ringing && window.cskitDesk.state === 'ready');
  check('rejectRingsTheOtherAgent', true);

  step('accept video');
  await desk2.click('#incoming-accept-video');
  await until(desk2, () => !document.getElementById('desk-call').hidden && window.cskitDesk.call?.media === 'video');
  const callFrame2 = await (await desk2.$('#desk-call-frame')).contentFrame();
  const links1 = await api('GET', `/sessions/${s1}/links`);
  const customer1 = await open(`${base}/?session=${encodeURIComponent(s1)}&role=customer&token=${encodeURIComponent(links1.customer_token)}`,
    { width: 390, height: 844 }, 'customer1');
  step('video both ways');
  await until(customer1, () => window.cskit?.state === 'connected', null, 30000);
  await callFrame2.waitForFunction(() => window.cskit?.state === 'connected', null, { timeout: 30000, polling: 200 });
  const deltas = await videoFlowing([callFrame2, customer1]);
  check('videoBothWays', deltas && deltas.every((d) => d > 0), deltas);
  check('desk2Busy', await desk2.evaluate(() => window.cskitDesk.state === 'busy'));

  // ---- 4. nobody ready: session 2 waits, its customer sees the queue position
  step('queue');
  await desk1.click('#desk-toggle');
  await until(desk1, () => window.cskitDesk.state === 'online');
  const s2 = (await api('POST', '/sessions', { title: 'Refund', customer_name: 'Bob Customer' })).id;
  result.session2 = s2;
  const links2 = await api('GET', `/sessions/${s2}/links`);
  const customer2 = await open(`${base}/?session=${encodeURIComponent(s2)}&role=customer&token=${encodeURIComponent(links2.customer_token)}`,
    { width: 390, height: 844 }, 'customer2');
  await until(customer2, () => window.cskit?.queue?.position === 1 && !document.getElementById('queue-position').hidden);
  const waitingText = await customer2.textContent('#waiting-text');
  check('customerSeesQueuePosition', /^You are number 1 in line, about \d+ min$/.test(waitingText), waitingText);
  await shot(customer2, 'customer-queue-mobile.png');
  await until(admin, (id) => document.querySelector(`[data-testid=queue-row][data-session-id="${id}"]`)?.dataset.position === '1', s2, 8000);
  check('adminQueueLists', true);

  // ---- 5. desk 1 ready again: session 2 rings it; audio-only accept
  step('audio accept');
  await desk1.click('#desk-toggle');
  await until(desk1, (id) => window.cskitDesk.ringing?.session_id === id, s2);
  await desk1.click('#incoming-accept-audio');
  await until(desk1, () => !document.getElementById('desk-call').hidden && window.cskitDesk.call?.media === 'audio');
  const callFrame1 = await (await desk1.$('#desk-call-frame')).contentFrame();
  await callFrame1.waitForFunction(() => window.cskit?.capture && window.cskit.session?.status === 'Active', null, { timeout: 15000, polling: 200 });
  const cap = await callFrame1.evaluate(() => ({ video: window.cskit.capture.video, tracks: window.cskit.publisher.stream.getVideoTracks().length }));
  check('audioOnlyCapture', cap.video === false && cap.tracks === 0, cap);
  await until(customer2, () => window.cskit.session?.status === 'Active' && document.getElementById('queue-position').hidden);
  check('queueNoticeGone', true);

  // ---- 6. desk 2 hangs up and is back at its desk, ready, one call handled
  step('hang up');
  await callFrame2.click('#btn-hangup');
  await until(desk2, () => document.getElementById('desk-call').hidden && !window.cskitDesk.call, null, 15000);
  await until(desk2, () => window.cskitDesk.state === 'ready' && document.getElementById('desk-handled').textContent === '1');
  const d2 = await desk2.evaluate(() => ({ states: window.cskitDesk.states.map((s) => s.state), stats: window.cskitDesk.stats,
    text: document.getElementById('desk-state').textContent }));
  check('backAtDeskReady', d2.text === 'Ready' && d2.states.slice(-2).join() === 'busy,ready' && d2.stats.handled_today === 1, d2);
  await until(admin, () => {
    const row = document.querySelector('[data-testid=agent-row][data-agent-id=agent_002]');
    return row?.dataset.state === 'ready' && row.querySelector('[data-testid=agent-stats]').textContent.startsWith('1 today');
  }, null, 8000);
  check('adminShowsHandled', true);
  check('adminShowsBusy', await admin.evaluate(() => document.querySelector('[data-testid=agent-row][data-agent-id=agent_001]').dataset.state === 'busy'));
  await admin.evaluate(() => window.scrollTo(0, 0));
  await shot(admin, 'admin-agents.png');
  check('noPageErrors', pageErrors.length === 0, pageErrors);
  result.ok = result.failed.length === 0;
} catch (e) {
  result.error = String(e?.stack ?? e);
}
await finish(result, closers);
