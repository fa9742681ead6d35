// Recording consent on the shipped pages, in headless Chromium against a real server: with --mode on, one that
// records calls (enable_recording on, a configured consent_notice, agent_001 configured, auto_assign on), steps
// 1 to 3; with --mode off, one that does not, step 4.
//  1. recording on: agent_001 signs in through the lobby, opens its desk and goes Ready; a session rings it. The
//     customer opens its link: its page shows the consent notice before it starts the camera and microphone
//     (the notice's time is before the capture's), with the configured text; screenshot
//     recording-consent-customer-mobile.png;
//  2. the desk accepts with video; both call pages connect (video decoded both ways) and both show the
//     "Recording" indicator (#recording-indicator visible on the customer's page and in the desk's call frame);
//     the session says recorded: true (GET /sessions/{id} and the admin list) and its files grow; screenshots
//     recording-customer.png and recording-desk.png;
//  3. the admin dashboard's session detail says "Recording" and, with "Stop recording", turns it off: the
//     indicator goes away on both pages, the session keeps recorded: true with recording_disabled: true, the
//     files stop growing; screenshot recording-stopped-desk.png;
//  4. recording off: a call between a customer link and an agent link connects with video both
//     ways, and neither page shows the indicator nor the notice; recorded: false; screenshot
//     recording-off-customer.png.
// Usage: node web-recording.mjs --mode on|off --base URL [--notice TEXT --password secret] [--shots DIR]
// Prints one JSON line ({ok, session, checks, …}); exits 0 only if every check passed.
import { checklistScript, joinCall, pageOpener, runInChromium, sleep, until, videoFlowing } from './lib.mjs';

const { args, base, shots, api, result, check, step, shot, closers } = checklistScript((a) => (a.mode === 'off' ? 150 : 240));
const mode = args.mode === 'off' ? 'off' : 'on';
const notice = args.notice ?? '';
const password = args.password ?? 'secret';

/** The indicator and notice as a call page shows them: is each element visible (laid out, not hidden)? */
const shown = (frame) => frame.evaluate(() => {
  const vis = (id) => { const e = document.getElementById(id); return !!e && !e.hidden && e.getClientRects().length > 0; };
  return { indicator: vis('recording-indicator'), notice: vis('consent-notice'),
    noticeText: document.getElementById('consent-notice').textContent, recording: window.cskit?.recording ?? null };
});
const bytes = async (id) => (await api('GET', `/sessions/${id}/recordings`)).recordings.reduce((n, r) => n + r.bytes, 0);
/** The session's recorded bytes once two reads 1 s apart agree (what was queued before the stop is written), or null. */
async function settledBytes(id, tries = 10) {
  let last = await bytes(id);
  for (let i = 0; i < tries; i++) {
    await sleep(1000);
    const now = await bytes(id);
    if (now === last) return now;
    last = now;
  }
  return null;
}

await runInChromium({ shots, result, check, closers }, async (context) => {
  const { open, pageErrors } = pageOpener(context);
  if (mode === 'on') await recordedCall(open); else await unrecordedCall(open);
  return pageErrors;
});

async function recordedCall(open) {
  // ---- 1. recording on: the desk is ready, a session rings it, the customer is told before its media starts
  step('desk ready');
  const desk = await open(base + '/', { width: 1280, height: 800 }, 'desk');
  await desk.click('label:has(#role-agent)');
  await desk.fill('#login-agent-id', 'agent_001');
  await desk.fill('#login-password', password);
  await desk.click('#login-submit');
  await desk.locator('#login-status').waitFor({ state: 'visible', timeout: 10000 });
  await desk.click('#open-desk');
  await desk.waitForURL(/\/desk\.html$/, { timeout: 10000 });
  await until(desk, () => window.cskitDesk?.roomState === 'joined' && window.cskitDesk.state === 'online');
  await desk.click('#desk-toggle');
  await until(desk, () => window.cskitDesk.state === 'ready');

  step('customer consent');
  const s = await api('POST', '/sessions', { title: 'Recorded call', customer_name: 'Rita Customer' });
  result.session = s.id;
  check('newSessionNotRecorded', s.recorded === false && s.recording_disabled === false, s);
  await until(desk, (id) => window.cskitDesk.ringing?.session_id === id, s.id);
  const links = await api('GET', `/sessions/${s.id}/links`);
  const customer = await open(`${base}/?session=${encodeURIComponent(s.id)}&role=customer&token=${encodeURIComponent(links.customer_token)}`,
    { width: 1280, height: 800 }, 'customer');
  await until(customer, () => window.cskit?.capture);
  const before = await customer.evaluate(() => ({ shownAt: window.cskit.consentShownAt, captureAt: window.cskit.captureStartedAt }));
  check('noticeBeforeMediaStarts', before.shownAt !== null && before.captureAt !== null && before.shownAt <= before.captureAt, before);
  const early = await shown(customer);
  check('noticeSaysTheConfiguredText', early.notice && early.noticeText === notice, early);
  await customer.setViewportSize({ width: 390, height: 844 });
  await shot(customer, 'recording-consent-customer-mobile.png');
  await customer.setViewportSize({ width: 1280, height: 800 });

  // ---- 2. the desk accepts; both pages show the indicator
  step('accept');
  await desk.click('#incoming-accept-video');
  await until(desk, () => !document.getElementById('desk-call').hidden && window.cskitDesk.call);
  const agent = await (await desk.$('#desk-call-frame')).contentFrame();
  await until(customer, () => window.cskit?.state === 'connected', undefined, 60000);
  await agent.waitForFunction(() => window.cskit?.state === 'connected', null, { timeout: 60000, polling: 200 });
  const deltas = await videoFlowing([agent, customer]);
  check('videoBothWays', deltas && deltas.every((d) => d > 0), deltas);

  step('indicator on');
  await until(customer, () => window.cskit.recording?.active && !document.getElementById('recording-indicator').hidden);
  await agent.waitForFunction(() => window.cskit.recording?.active && !document.getElementById('recording-indicator').hidden,
    null, { timeout: 15000, polling: 100 });
  // One-shot checks (isVisible does not wait on animation frames, which a page in the background may not get).
  const onCustomer = { ...(await shown(customer)), playwright: await customer.locator('#recording-indicator').isVisible() };
  const onAgent = { ...(await shown(agent)),
    playwright: await desk.frameLocator('#desk-call-frame').locator('#recording-indicator').isVisible() };
  check('customerShowsIndicator', onCustomer.indicator && onCustomer.playwright
    && (await customer.textContent('#recording-indicator')).trim() === 'Recording', onCustomer);
  check('deskShowsIndicator', onAgent.indicator && onAgent.playwright
    && (await agent.textContent('#recording-indicator')).trim() === 'Recording', onAgent);
  check('agentGetsNoConsentNotice', !onAgent.notice, onAgent);
  const got = await api('GET', `/sessions/${s.id}`);
  check('sessionRecorded', got.recorded === true && got.recording_disabled === false, got);
  const listed = (await api('GET', '/sessions?page_size=100')).sessions.find((x) => x.id === s.id);
  check('adminListSaysRecorded', listed?.recorded === true, listed);
  const b0 = await bytes(s.id);
  await sleep(2000);
  const b1 = await bytes(s.id);
  check('filesGrowWhileRecording', b1 > b0 && b0 > 0, { b0, b1 });
  await shot(customer, 'recording-customer.png');
  await shot(desk, 'recording-desk.png');

  // ---- 3. the admin turns it off from the dashboard
  step('admin stops recording');
  const admin = await open(base + '/admin/', { width: 1280, height: 800 }, 'admin');
  await until(admin, (id) => document.querySelector(`[data-testid=session-row][data-session-id="${id}"] [data-testid=session-recorded]`), s.id);
  await admin.click(`[data-testid=session-row][data-session-id="${s.id}"]`);
  await until(admin, () => !document.getElementById('detail-stop-recording').hidden);
  check('detailSaysRecording', (await admin.textContent('[data-testid=detail-recording]')) === 'Recording');
  await admin.click('#detail-stop-recording');
  await until(customer, () => window.cskit.recording?.enabled === false && document.getElementById('recording-indicator').hidden);
  await agent.waitForFunction(() => window.cskit.recording?.enabled === false && document.getElementById('recording-indicator').hidden,
    null, { timeout: 15000, polling: 100 });
  const offCustomer = await shown(customer);
  const offAgent = await shown(agent);
  check('indicatorGoneOnBothPages', !offCustomer.indicator && !offAgent.indicator && !offCustomer.notice, { offCustomer, offAgent });
  const after = await api('GET', `/sessions/${s.id}`);
  check('sessionKeepsRecordedAndSaysTurnedOff', after.recorded === true && after.recording_disabled === true, after);
  await until(admin, () => document.querySelector('[data-testid=detail-recording]')?.textContent === 'Recorded, then turned off'
    && document.getElementById('detail-stop-recording').hidden);
  check('dashboardSaysTurnedOff', true);
  const c0 = await settledBytes(s.id);
  await sleep(2500);
  const c1 = await bytes(s.id);
  check('filesStopGrowing', c0 !== null && c1 === c0 && c0 >= b1, { c0, c1 });
  check('callGoesOn', (await customer.evaluate(() => window.cskit.state)) === 'connected');
  await shot(desk, 'recording-stopped-desk.png');
  await agent.click('#btn-hangup');
  await until(customer, () => window.cskit.state === 'ended');
}

async function unrecordedCall(open) {
  // ---- 4. a server that does not record: no indicator, no notice
  step('recording off');
  const o = await api('POST', '/sessions', { title: 'Unrecorded call', customer_name: 'Otto Customer' });
  result.session = o.id;
  const { customer: customerOff, agent: agentOff } = await joinCall({ api, open, base, sessionId: o.id,
    agentId: 'agent_001', viewport: { width: 1280, height: 800 }, labels: ['customer-off', 'agent-off'] });
  const deltasOff = await videoFlowing([agentOff, customerOff]);
  check('offVideoBothWays', deltasOff && deltasOff.every((d) => d > 0), deltasOff);
  await sleep(1500); // time for a recorder to start and the pages to hear of it, were there one
  const offC = await shown(customerOff);
  const offA = await shown(agentOff);
  check('offNoIndicatorNoNotice', !offC.indicator && !offC.notice && !offA.indicator && offC.recording?.enabled === false
    && offA.recording?.enabled === false, { offC, offA });
  const sOff = await api('GET', `/sessions/${o.id}`);
  check('offNotRecorded', sOff.recorded === false, sOff);
  await shot(customerOff, 'recording-off-customer.png');
}
