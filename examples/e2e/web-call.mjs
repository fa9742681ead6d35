// The shipped web pages against a real cskit server, driven like a user in headless Chromium:
//  1. /admin/ creates a session (create form) and assigns an agent (assign form); the agent and customer
//     links are read from the detail pane's link fields and opened in two pages; the agent presses Accept
//     and video is decoded on both sides (framesDecoded rising);
//  2. a chat message goes each way (input → the other page's chat list);
//  3. Hold (agent button) stops inbound packets on both pages, Resume makes them rise again;
//  4. with the agent's mic muted (mic button), the mixer's "Soft music" raises the audio energy the customer
//     receives and Stop lowers it again (inbound-rtp audio totalAudioEnergy, averaged over 2 s);
//  5. the agent hangs up, the customer rates 4 stars with a comment, /admin/ shows the rating, the ended
//     count and the average rating;
//  6. screenshots: admin.png (1280×800), call-agent-desktop.png (1280×800), call-customer-mobile.png (390×844).
// Usage: node web-call.mjs --base http://127.0.0.1:PORT [--shots DIR] [--admin-token T] [--agent-id ID]
//        [--host-map NAME --trust-spki B64 | --ignore-cert-errors]   (HTTPS on a test host name, see lib.mjs)
// Prints one JSON line; exits 0 only if every check passed.
import { mkdirSync } from 'node:fs';
import { checklist, chromiumArgsFrom, launchChromium, pageOpener, parseArgs, finish, screenshotter, sleep, until } from './lib.mjs';

const args = parseArgs();
const base = args.base ?? 'http://127.0.0.1:8080';
const shots = args.shots ?? null;
const agentId = args['agent-id'] ?? 'agent_web';
const agentName = args['agent-name'] ?? 'Agent Web';
const { result, check, step } = checklist();
const shot = screenshotter(shots, result);
const closers = [];
setTimeout(() => finish({ ...result, ok: false, error: 'timed out after 85 s (last step: ' + result.step + ')' }, closers), 85_000);


// Raw inbound counters of the page's <mb-subscriber> peer connection.
async function inbound(page) {
  return page.evaluate(async () => {
    const out = { frames: 0, video: 0, audio: 0, energy: 0, duration: 0 };
    const pc = window.cskit?.subscriber?.pc;
    if (!pc) return out;
    (await pc.getStats()).forEach((s) => {
      if (s.type !== 'inbound-rtp') return;
      if (s.kind === 'video') { out.frames += s.framesDecoded ?? 0; out.video += s.packetsReceived ?? 0; }
      if (s.kind === 'audio') { out.audio += s.packetsReceived ?? 0; out.energy += s.totalAudioEnergy ?? 0; out.duration += s.totalSamplesDuration ?? 0; }
    });
    return out;
  });
}

// Deltas of the inbound counters over `ms` on each page; `power` = mean audio power (energy / seconds).
async function sample(pages, ms) {
  const before = await Promise.all(pages.map(inbound));
  await sleep(ms);
  const after = await Promise.all(pages.map(inbound));
  return after.map((a, i) => {
    const b = before[i];
    const secs = a.duration - b.duration;
    return { frames: a.frames - b.frames, video: a.video - b.video, audio: a.audio - b.audio,
      power: secs > 0 ? (a.energy - b.energy) / secs : 0 };
  });
}


const { context, close } = await launchChromium(chromiumArgsFrom(args));
closers.push(close);
try {
  if (shots) mkdirSync(shots, { recursive: true });
  const { open, pageErrors } = pageOpener(context);

  // ---- 1. admin creates and assigns
  step('admin create');
  const admin = await open(base + '/admin/', { width: 1280, height: 800 }, 'admin');
  if (args['admin-token']) {
    await admin.fill('#admin-token', args['admin-token']);
    await admin.click('#admin-token-save');
  }
  // Baseline counters (the server may have served earlier sessions): the checks below expect +1 ended and
  // the average moved by one 4-star rating.
  await until(admin, () => window.cskitAdmin.stats);
  const stats0 = await admin.evaluate(() => window.cskitAdmin.stats);
  const rated0 = Number(stats0.rated_sessions || 0);
  const expect = { ended: String(Number(stats0.ended_sessions) + 1),
    avg: ((Number(stats0.average_rating || 0) * rated0 + 4) / (rated0 + 1)).toFixed(1), rated: String(rated0 + 1) };
  result.expectAdmin = expect;
  const title = 'Web e2e ' + Date.now().toString(36);
  await admin.fill('#create-title', title);
  await admin.fill('#create-customer', 'Wendy Customer');
  await admin.fill('#create-description', 'Router keeps rebooting');
  await admin.click('#create-submit');
  const sessionId = (await admin.locator('[data-testid=created-id]').textContent({ timeout: 10000 })).trim();
  result.session = sessionId;
  await until(admin, (id) => window.cskitAdmin.detail?.id === id && window.cskitAdmin.links, sessionId);

  step('admin assign');
  await admin.fill('#assign-agent-id', agentId);
  await admin.fill('#assign-agent-name', agentName);
  await admin.click('#assign-submit');
  await until(admin, (id) => window.cskitAdmin.links?.agent_id === id
    && document.getElementById('link-agent').value === new URL(window.cskitAdmin.links.agent_url, location.origin).href, agentId);
  const agentUrl = await admin.inputValue('#link-agent');
  const customerUrl = await admin.inputValue('#link-customer');
  check('adminAssigned', (await admin.textContent('[data-testid=detail-agent]')).includes(agentId)
    && agentUrl.includes('role=agent') && customerUrl.includes('role=customer'), { agentUrl, customerUrl });

  // ---- 1b. both parties open their links; the agent accepts
  step('open links');
  const agent = await open(agentUrl, { width: 1280, height: 800 }, 'agent');
  const customer = await open(customerUrl, { width: 390, height: 844 }, 'customer');
  const both = [agent, customer];
  await until(agent, () => window.cskit?.remotePresent && !document.getElementById('btn-accept').hidden
    && !document.getElementById('btn-accept').disabled);
  step('accept');
  await agent.click('#btn-accept');
  await Promise.all(both.map((p) => until(p, () => window.cskit.state === 'connected', undefined, 20000)));
  let flowing;
  for (let i = 0; i < 15; i++) {
    flowing = await sample(both, 1000);
    if (flowing.every((s) => s.frames > 0 && s.audio > 0)) break;
  }
  check('connectedWithVideoBothWays', flowing.every((s) => s.frames > 0 && s.audio > 0), flowing);
  const ids = await Promise.all(both.map((p) => p.evaluate(() => ({ user: window.cskit.userId, remote: window.cskit.remoteId }))));
  check('identities', ids[0].user === agentId && ids[1].remote === agentId && ids[0].remote === ids[1].user, ids);

  // ---- 1c. the admin page sees the live call: one active session and a room with both participants
  step('admin live');
  const live = await admin.waitForFunction((id) => {
    const row = document.querySelector(`[data-testid=room-row][data-room-id="customer-service/${id}"]`);
    const v = { active: document.querySelector('[data-testid=stat-active]')?.textContent.trim(),
      participants: row ? [...row.querySelectorAll('[data-testid=room-participant]')].map((c) => c.textContent) : [],
      media: row ? [...row.querySelectorAll('[data-testid=room-media]')].map((m) => m.textContent) : [] };
    return v.active === '1' && v.participants.length === 2 && v.media.length === 4 ? v : false;
  }, sessionId, { timeout: 8000, polling: 300 }).then((h) => h.jsonValue(), () => admin.evaluate(() => ({ stats: window.cskitAdmin.stats, rooms: window.cskitAdmin.rooms })));
  check('adminShowsLiveRoom', live?.participants?.length === 2 && live.media?.length === 4, live);
  result.rooms = await admin.evaluate(() => window.cskitAdmin.rooms);
  await admin.evaluate(() => window.scrollTo(0, 0));
  await shot(admin, 'admin-live.png', { fullPage: true });

  // ---- 2. chat both ways
  step('chat');
  await agent.fill('#chat-input', 'Hello from the agent');
  await agent.click('#chat-send');
  await customer.click('#btn-chat'); // narrow screen: the chat is a drawer
  await customer.fill('#chat-input', 'Hi from the customer');
  await customer.click('#chat-send');
  const theirs = (p, text) => p.locator('[data-testid=chat-message].theirs', { hasText: text }).waitFor({ timeout: 5000 }).then(() => true, () => false);
  const chatOk = await Promise.all([theirs(customer, 'Hello from the agent'), theirs(agent, 'Hi from the customer')]);
  check('chatBothWays', chatOk.every(Boolean), { customerGotAgent: chatOk[0], agentGotCustomer: chatOk[1] });

  // Screenshots of the live call: desktop agent with the chat tab, mobile customer with the drawer closed.
  step('call screenshots');
  await customer.click('#side-close');
  await sleep(400);
  await shot(agent, 'call-agent-desktop.png');
  await shot(customer, 'call-customer-mobile.png');

  // ---- 3. hold / resume
  step('hold');
  await agent.click('#btn-hold');
  await Promise.all(both.map((p) => until(p, () => window.cskit.held === true, undefined, 5000)));
  // On hold the server forwards nothing: once what was in flight has drained, two consecutive silent
  // one-second windows on both pages must follow (a loaded machine may need a moment to drain).
  const held = [];
  let silentWindows = 0;
  for (let i = 0; i < 8 && silentWindows < 2; i++) {
    const w = await sample(both, 1000);
    held.push(w);
    silentWindows = w.every((s) => s.audio === 0 && s.video === 0) ? silentWindows + 1 : 0;
  }
  check('holdStopsMediaBothWays', silentWindows >= 2, held);
  const holdUi = await Promise.all(both.map((p) => p.isVisible('#hold-badge')));
  check('holdBadgeShown', holdUi.every(Boolean), holdUi);
  step('resume');
  await agent.click('#btn-hold');
  let resumed;
  for (let i = 0; i < 10; i++) {
    resumed = await sample(both, 1000);
    if (resumed.every((s) => s.audio > 0 && s.video > 0 && s.frames > 0)) break;
  }
  check('resumeRestoresMediaBothWays', resumed.every((s) => s.audio > 0 && s.video > 0 && s.frames > 0), resumed);

  // ---- 4. mixing audio into the agent's published track
  step('mix');
  const withMic = (await sample([customer], 2000))[0].power;
  await agent.click('#btn-mic');
  const micOff = await agent.evaluate(() => document.getElementById('btn-mic').getAttribute('aria-pressed') === 'false' && !window.cskit.publisher.micEnabled);
  await sleep(1000);
  const muted = (await sample([customer], 2000))[0].power;
  await agent.click('#btn-mixer');
  await agent.locator('#mix-volume-music').evaluate((el) => { el.value = '1'; el.dispatchEvent(new Event('input', { bubbles: true })); });
  await agent.click('#mix-toggle-music');
  await until(agent, () => window.cskit.mixing?.includes('music'), undefined, 5000);
  await sleep(1000);
  const mixed = (await sample([customer], 2000))[0].power;
  await agent.click('#mix-toggle-music');
  await until(agent, () => !window.cskit.mixing?.includes('music'), undefined, 5000);
  await sleep(1000);
  const unmixed = (await sample([customer], 2000))[0].power;
  const levels = { withMic, muted, mixed, unmixed };
  check('micMuteButton', micOff);
  // Power is (linear amplitude)^2: a clear margin is 4× (≈ 6 dB) above silence and the unmixed level.
  check('mixRaisesCustomerAudio', mixed > 1e-4 && mixed > 4 * Math.max(muted, 1e-6), levels);
  check('unmixLowersCustomerAudio', unmixed * 4 < mixed, levels);

  // ---- 5. hang up, rate, admin shows it
  step('hang up');
  await agent.click('#btn-hangup');
  await Promise.all(both.map((p) => until(p, () => window.cskit.state === 'ended', undefined, 15000)));
  await customer.locator('#rating-form').waitFor({ state: 'visible', timeout: 5000 });
  await customer.click('[data-testid=rating-star-4]');
  await customer.fill('#rating-comment', 'Quick and friendly');
  await customer.click('#rating-submit');
  await customer.locator('#rating-thanks').waitFor({ state: 'visible', timeout: 5000 });
  check('customerRated', await customer.evaluate(() => window.cskit.rating?.stars === 4 && window.cskit.ended?.reason), undefined);
  await shot(customer, 'call-customer-rated.png');

  step('admin shows rating');
  const adminView = await admin.waitForFunction(({ id, expect }) => {
    const t = (sel) => document.querySelector(sel)?.textContent.trim();
    const row = document.querySelector(`[data-testid=session-row][data-session-id="${id}"]`);
    const v = { ended: t('[data-testid=stat-ended]'), avg: t('[data-testid=stat-rating]'), rated: t('[data-testid=stat-rated]'),
      rowStatus: row?.dataset.status, rowRating: row?.querySelector('[data-testid=session-rating]')?.textContent,
      detailRating: t('[data-testid=detail-rating]'), detailStatus: t('#detail-status') };
    return v.ended === expect.ended && v.avg === expect.avg && v.rated === expect.rated && v.rowStatus === 'Ended'
      && v.rowRating === '★★★★' && v.detailRating?.includes('Quick and friendly') ? v : false;
  }, { id: sessionId, expect }, { timeout: 10000, polling: 300 }).then((h) => h.jsonValue(), async () => admin.evaluate(() => window.cskitAdmin.stats));
  check('adminShowsRating', adminView?.avg === expect.avg && adminView.ended === expect.ended, adminView);
  // Scrolled to the top first: a full-page capture of a scrolled page paints the sticky header mid-page.
  await admin.evaluate(() => window.scrollTo(0, 0));
  await shot(admin, 'admin.png', { fullPage: true });

  check('noPageErrors', pageErrors.length === 0, pageErrors);
  result.ok = result.failed.length === 0;
} catch (e) {
  result.error = `${result.step}: ${String(e?.stack ?? e)}`;
}
await finish(result, closers);
