// The call page opened over plain HTTP on a host name other than localhost (not a secure context, so the browser
// offers no camera or microphone) says so clearly instead of failing silently. Chromium resolves cs.test to
// 127.0.0.1 (--host-resolver-rules), and the customer link the API gives is opened twice:
//  1. on http://cs.test:PORT: window.isSecureContext is false, the banner and the local tile both show
//     "camera needs HTTPS" with a how-to naming https://, nothing was captured, and the page still joins the room;
//  2. on the API's own origin (http://127.0.0.1:PORT, a secure context): the camera and microphone are captured
//     and no such notice shows (the control: the notice depends on the origin, not on the link).
// Usage: node insecure-origin.mjs --base http://127.0.0.1:PORT [--shots DIR]
// Prints one JSON line; exits 0 only if every check passed.
import { mkdirSync } from 'node:fs';
import { checklist, client, finish, launchChromium, parseArgs, screenshotter, waitFor } from './lib.mjs';

const args = parseArgs();
const base = args.base ?? 'http://127.0.0.1:8080';
const shots = args.shots ?? null;
const api = client(base, args['admin-token']);
const { result, check, step } = checklist();
const shot = screenshotter(shots, result);
const closers = [];
setTimeout(() => finish({ ...result, ok: false, error: 'timed out after 120 s (last step: ' + result.step + ')' }, closers), 120_000);

const NOTICE = 'camera needs HTTPS';

// Runs in the page: what it says about capture.
function captureView(notice) {
  const cs = window.cskit;
  if (!cs?.capture || cs.room?.state !== 'joined') return null;
  const visible = (el) => !!el && !el.hidden && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const banner = document.getElementById('call-banner');
  const note = document.getElementById('camera-off-note');
  return {
    secure: window.isSecureContext,
    capture: cs.capture,
    banner: visible(banner) ? banner.textContent : null,
    tile: visible(note) ? note.textContent : null,
    noticeShown: [banner, note].some((el) => visible(el) && el.textContent.toLowerCase().includes(notice.toLowerCase())),
    room: cs.room.state,
  };
}

try {
  if (shots) mkdirSync(shots, { recursive: true });
  step('launch');
  const { context, close } = await launchChromium(['--host-resolver-rules=MAP cs.test 127.0.0.1']);
  closers.push(close);
  step('session');
  const session = await api('POST', '/sessions', { title: 'Plain HTTP check', customer_name: 'Hugo Http' });
  await api('POST', `/sessions/${session.id}/assign`, { agent_id: 'agent_http', agent_name: 'Agent Http' });
  const links = await api('GET', `/sessions/${session.id}/links`);
  const link = new URL(links.customer_url, base);
  const insecure = new URL(link.pathname + link.search, `http://cs.test:${new URL(base).port}`).href;

  step('plain http on cs.test');
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(insecure, { waitUntil: 'domcontentloaded' });
  const v = await waitFor(page, captureView, NOTICE, { what: 'capture decided and room joined' });
  result.insecure = v;
  check('notSecureContext', v.secure === false, v.secure);
  check('nothingCaptured', v.capture.audio === false && v.capture.video === false && v.capture.blocked === 'insecure_context', v.capture);
  check('bannerSaysCameraNeedsHttps', v.banner?.includes(NOTICE) && v.banner.includes('https://'), v.banner);
  check('localTileSaysCameraNeedsHttps', v.tile?.toLowerCase().includes(NOTICE.toLowerCase()) && v.tile.includes('https://'), v.tile);
  check('stillJoinsTheRoom', v.room === 'joined', v.room);
  await shot(page, 'call-plain-http.png');
  await page.close();

  step('control on the secure origin');
  const control = await context.newPage();
  await control.goto(link.href, { waitUntil: 'domcontentloaded' });
  const c = await waitFor(control, captureView, NOTICE, { what: 'capture decided and room joined' });
  result.secure = c;
  check('secureOriginCaptures', c.secure === true && c.capture.audio && c.capture.video && !c.capture.blocked, c.capture);
  check('secureOriginShowsNoNotice', c.noticeShown === false, { banner: c.banner, tile: c.tile });
  result.ok = result.failed.length === 0;
} catch (e) {
  result.error = `${result.step}: ${String(e?.stack ?? e)}`;
}
await finish(result, closers);
