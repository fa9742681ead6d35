// Screen share on the shipped call page, in headless Chromium against a real server (issue 16, acceptance 4). The
// usual fake-media flags give getDisplayMedia a fake screen (1280×720, 16:9), the fake camera is 4:3.
//  1. a session with an agent; the customer's and the agent's links open (autoaccept), video decoded both ways;
//  2. the customer presses "Share screen": the agent's page hears `screen_share`, plays the screen with a second
//     WHEP and shows it large with the camera as a thumbnail; the agent decodes frames of the screen track (16:9)
//     while its camera track (4:3) keeps decoding; the room report lists the .../screen stream; neither the
//     customer's camera publisher nor the agent's camera player was renegotiated; screenshots
//     screen-share-agent.png (the agent seeing the customer's screen) and screen-share-customer.png;
//  3. the customer presses "Stop sharing": its screen WHIP resource is deleted, the agent's screen player goes
//     away and the layout returns, and the camera keeps decoding on the same peer connections;
//  4. the agent shares and the customer decodes it; the browser's own stop (the track's `ended`) ends it the same
//     way; screenshot screen-share-stopped-customer.png.
// Usage: node web-screen.mjs --base URL [--agent-id agent_001] [--shots DIR]
// Prints one JSON line ({ok, session, customer, checks, …}); exits 0 only if every check passed.
import { checklistScript, joinCall, pageOpener, runInChromium, sleep, until } from './lib.mjs';

const { args, base, shots, api, result, check, step, shot, closers } = checklistScript(200);
const agentId = args['agent-id'] ?? 'agent_001';

/** Inbound video of a page's camera player and of its screen player (absent: null). */
const videoIn = (page) => page.evaluate(async () => {
  const read = async (pc) => {
    if (!pc) return null;
    const v = { frames: 0, width: 0, height: 0 };
    (await pc.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        v.frames += s.framesDecoded ?? 0;
        v.width = s.frameWidth ?? v.width;
        v.height = s.frameHeight ?? v.height;
      }
    });
    return v;
  };
  return { camera: await read(window.cskit?.subscriber?.pc),
    screen: await read(document.getElementById('screen-subscriber')?.pc) };
});

/** Frames decoded over 1 s on the camera and screen players, retried until every wanted one rose. */
async function decoding(page, wanted, tries = 20) {
  let last = null;
  for (let i = 0; i < tries; i++) {
    const a = await videoIn(page);
    await sleep(1000);
    const b = await videoIn(page);
    last = {};
    for (const k of ['camera', 'screen']) {
      last[k] = b[k] && a[k] ? { frames: b[k].frames - a[k].frames, width: b[k].width, height: b[k].height } : null;
    }
    if (wanted.every((k) => last[k] && last[k].frames > 0)) return last;
  }
  return last;
}

/** The layout a call page shows: which tiles are visible, and how large. */
const layout = (page) => page.evaluate(() => {
  const box = (id) => {
    const e = document.getElementById(id);
    if (!e || e.hidden || e.getClientRects().length === 0) return null;
    const r = e.getBoundingClientRect();
    return { w: Math.round(r.width), h: Math.round(r.height) };
  };
  return { screen: document.getElementById('call').dataset.screen ?? null, screenTile: box('screen-tile'),
    remoteTile: box('remote-tile'), localTile: box('local-tile'), player: !!document.getElementById('screen-subscriber'),
    remoteScreen: window.cskit.remoteScreen, share: window.cskit.screenShare && window.cskit.screenShare.state,
    button: document.querySelector('#btn-screen .ctl-label').textContent };
});

/** The session's media resources as the room report lists them: stream paths of publishers and players. */
async function streams(sessionId) {
  const rooms = await api('GET', '/rooms');
  const room = rooms.rooms.find((r) => r.room_id === `customer-service/${sessionId}`);
  return (room?.media ?? []).map((m) => `${m.kind}:${m.stream_path}`).sort();
}

/** Marks the page's camera peer connections, to tell later whether they are still the same objects. */
const markPcs = (page) => page.evaluate(() => { window.__pcs = { pub: window.cskit.publisher.pc, sub: window.cskit.subscriber.pc }; });
const samePcs = (page) => page.evaluate(() => ({ pub: window.cskit.publisher.pc === window.__pcs.pub,
  sub: window.cskit.subscriber.pc === window.__pcs.sub, pubState: window.cskit.publisher.pc?.connectionState,
  subState: window.cskit.subscriber.pc?.connectionState }));

const aspect = (v) => (v && v.height ? v.width / v.height : 0);

await runInChromium({ shots, result, check, closers }, async (context) => {
  const { open, pageErrors } = pageOpener(context);

  // ---- 1. a call with video both ways
  step('call');
  const s = await api('POST', '/sessions', { title: 'Screen share', customer_name: 'Sam Customer' });
  result.session = s.id;
  result.customer = s.customer_id;
  const { customer, agent } = await joinCall({ api, open, base, sessionId: s.id, agentId,
    viewport: { width: 1280, height: 800 } });
  const start = await Promise.all([agent, customer].map((p) => decoding(p, ['camera'])));
  check('cameraBothWays', start.every((d) => d.camera?.frames > 0), start);
  await markPcs(agent);
  await markPcs(customer);

  // ---- 2. the customer shares its screen; the agent plays it beside the camera
  step('customer shares');
  await customer.click('#btn-screen');
  await until(customer, () => window.cskit.screenShare?.state === 'sharing', undefined, 20000);
  await until(agent, (id) => window.cskit.remoteScreen?.userId === id && document.getElementById('screen-subscriber'), s.customer_id);
  const both = await decoding(agent, ['camera', 'screen']);
  result.agentDecoding = both;
  check('agentDecodesTheScreen', both?.screen?.frames > 0, both);
  check('agentCameraKeepsDecoding', both?.camera?.frames > 0, both);
  check('theScreenTrackIsTheScreen', aspect(both?.screen) > 1.6 && aspect(both?.camera) < 1.5,
    { screen: both?.screen, camera: both?.camera });
  const shown = await layout(agent);
  check('screenShownLargeCameraAsThumbnail', shown.screen === 'remote' && shown.screenTile && shown.remoteTile
    && shown.screenTile.w > 2 * shown.remoteTile.w && shown.screenTile.h > 2 * shown.remoteTile.h, shown);
  const sharer = await layout(customer);
  check('sharerSaysStopSharing', sharer.share === 'sharing' && sharer.button === 'Stop sharing' && sharer.screen === null, sharer);
  const listed = await streams(s.id);
  result.streamsWhileSharing = listed;
  check('roomReportListsTheScreenStream', listed.some((x) => x.endsWith(`/${s.customer_id}/screen`)), listed);
  check('cameraNotRenegotiatedBySharing', Object.values(await samePcs(customer)).every((v) => v === true || v === 'connected')
    && Object.values(await samePcs(agent)).every((v) => v === true || v === 'connected'),
  { customer: await samePcs(customer), agent: await samePcs(agent) });
  await shot(agent, 'screen-share-agent.png');
  await shot(customer, 'screen-share-customer.png');

  // ---- 3. "Stop sharing": the screen player goes away, the camera goes on
  step('customer stops');
  await customer.click('#btn-screen');
  await until(agent, () => !document.getElementById('screen-subscriber') && !window.cskit.remoteScreen
    && !document.getElementById('call').dataset.screen, undefined, 15000);
  const after = await layout(agent);
  check('screenPlayerGoneLayoutBack', !after.player && after.screenTile === null && after.screen === null
    && after.remoteTile && after.remoteTile.w > 400, after);
  const cameraAfter = await decoding(agent, ['camera']);
  check('cameraKeepsDecodingAfterStop', cameraAfter?.camera?.frames > 0 && cameraAfter.screen === null, cameraAfter);
  const pcsAfter = { customer: await samePcs(customer), agent: await samePcs(agent) };
  check('cameraNotRenegotiatedByStopping', Object.values(pcsAfter).every((p) => p.pub && p.sub
    && p.pubState === 'connected' && p.subState === 'connected'), pcsAfter);
  await until(customer, () => window.cskit.screenShare.state === 'idle'
    && document.querySelector('#btn-screen .ctl-label').textContent === 'Share screen');
  let left = null;
  for (let i = 0; i < 20; i++) {
    left = await streams(s.id);
    if (!left.some((x) => x.includes('/screen'))) break;
    await sleep(500);
  }
  check('screenResourcesDeleted', !left.some((x) => x.includes('/screen')) && left.length === 4, left);

  // ---- 4. the other way round, ended by the browser's own stop
  step('agent shares');
  await agent.click('#btn-screen');
  await until(agent, () => window.cskit.screenShare?.state === 'sharing', undefined, 20000);
  await until(customer, (id) => window.cskit.remoteScreen?.userId === id && document.getElementById('screen-subscriber'), agentId);
  const customerSees = await decoding(customer, ['camera', 'screen']);
  check('customerDecodesTheAgentsScreen', customerSees?.screen?.frames > 0 && customerSees?.camera?.frames > 0, customerSees);
  step('browser stop');
  await agent.evaluate(() => window.cskit.screenShare.track.dispatchEvent(new Event('ended'))); // the browser's bar
  await until(customer, () => !document.getElementById('screen-subscriber') && !window.cskit.remoteScreen, undefined, 15000);
  await until(agent, () => window.cskit.screenShare.state === 'idle');
  const customerAfter = await decoding(customer, ['camera']);
  check('browserStopEndsTheShare', customerAfter?.camera?.frames > 0 && customerAfter.screen === null, customerAfter);
  await shot(customer, 'screen-share-stopped-customer.png');

  await agent.click('#btn-hangup');
  await until(customer, () => window.cskit.state === 'ended');
  return pageErrors;
});
