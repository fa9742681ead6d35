// Shared helpers for the end-to-end scripts: REST calls with the cskit envelope, a Chromium launcher with the
// flags this machine needs (Debian's chromium; its own downloads and background traffic fail here), and a
// Firefox ESR launcher (puppeteer-core over WebDriver BiDi) with fake media.
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function parseArgs(argv = process.argv.slice(2)) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) out[argv[i].slice(2)] = argv[i + 1]?.startsWith('--') ? 'true' : argv[++i];
  }
  return out;
}

export function client(base, adminToken) {
  return async function api(method, path, body, token) {
    const auth = token ?? adminToken;
    const res = await fetch(base + '/customer-service' + path, {
      method,
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: 'Bearer ' + auth } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const env = await res.json();
    if (env.code !== 0) throw new Error(`${method} ${path} -> ${res.status} ${env.message}`);
    return env.data;
  };
}

/**
 * Chromium flags from a script's own arguments, for pages served over HTTPS under a test host name:
 * `--host-map NAME` resolves NAME to 127.0.0.1 (no DNS), `--trust-spki B64` accepts the certificate whose
 * SubjectPublicKeyInfo has this base64 SHA-256 (the test's own certificate; nothing else is trusted more than
 * usual), `--ignore-cert-errors` accepts any certificate.
 */
export function chromiumArgsFrom(args) {
  const out = [];
  if (args['host-map']) out.push(`--host-resolver-rules=MAP ${args['host-map']} 127.0.0.1`);
  if (args['trust-spki']) out.push(`--ignore-certificate-errors-spki-list=${args['trust-spki']}`);
  if (args['ignore-cert-errors'] === 'true') out.push('--ignore-certificate-errors');
  return out;
}

/** Headless Chromium with a fake camera and microphone; `extraArgs` are added to its command line. */
export async function launchChromium(extraArgs = []) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'cskit-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
      '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required', ...extraArgs],
  });
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, close };
}

/**
 * Headless Firefox ESR (Debian's firefox-esr) driven by puppeteer-core over WebDriver BiDi, with a fake camera and
 * microphone granted without a prompt, in a fresh profile. `loopback` lets its ICE agent use loopback
 * addresses (needed while the server advertises 127.0.0.1; stock Firefox never pairs with loopback). Headless
 * Firefox has no audio output, so a page's Web Audio stays suspended: read received audio from getStats.
 */
export async function launchFirefox({ loopback = true } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'cskit-firefox-'));
  const prefs = {
    'media.navigator.streams.fake': true,
    'media.navigator.permission.disabled': true,
    'permissions.default.camera': 1,
    'permissions.default.microphone': 1,
    ...(loopback ? { 'media.peerconnection.ice.loopback': true } : {}),
  };
  let browser;
  try {
    browser = await puppeteer.launch({ browser: 'firefox', executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
      headless: true, userDataDir, extraPrefsFirefox: prefs, protocolTimeout: 30_000 });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  const close = async () => {
    await browser.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
  };
  return { browser, close };
}

/**
 * Waits until `fn(arg)` is truthy in the page and returns its value; works with playwright and puppeteer pages
 * alike (polls page.evaluate). Throws `what` with the last value on time-out.
 */
export async function waitFor(page, fn, arg, { timeout = 15000, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await page.evaluate(fn, arg);
    if (last) return last;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await sleep(100);
  }
}

export function finish(result, closers = []) {
  return Promise.all(closers.map((c) => c().catch(() => {}))).then(() => {
    console.log(JSON.stringify(result));
    process.exit(result.ok ? 0 : 1);
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Prints a failure as the script's one JSON line and exits 1 (for scripts that stop at the first error). */
export function fail(msg, extra = {}) {
  console.log(JSON.stringify({ ok: false, error: msg, ...extra }));
  process.exit(1);
}

/** Like {@link client}, but an error response ends the script through {@link fail}. */
export function strictClient(base, adminToken) {
  const api = client(base, adminToken);
  return (...args) => api(...args).catch((e) => fail(e.message));
}

/**
 * A result with named checks, for scripts that run every check and print one JSON line at the end:
 * check(name, ok, detail) records one, step(name) says where the script is (for time-out messages).
 */
export function checklist() {
  const result = { ok: false, checks: {}, failed: [] };
  const check = (name, ok, detail) => {
    result.checks[name] = { ok: !!ok, ...(detail === undefined ? {} : { detail }) };
    if (!ok) result.failed.push(name);
    return ok;
  };
  const step = (s) => { result.step = s; };
  return { result, check, step };
}

/** Waits until fn(arg) is truthy in the page. */
export const until = (page, fn, arg, timeout = 15000) => page.waitForFunction(fn, arg, { timeout, polling: 100 });

/** A screenshot function saving into dir (nothing when dir is null) and listing the files in result.shots. */
export function screenshotter(dir, result) {
  return async (page, name, opts = {}) => {
    if (!dir) return;
    const path = join(dir, name);
    await page.screenshot({ path, ...opts });
    result.shots = [...(result.shots ?? []), path];
  };
}

/**
 * Opens pages in a browser context, collecting uncaught page errors in `pageErrors` and echoing console
 * errors and failed HTTP responses (status >= 400) to stderr, each tagged with the page's label.
 */
export function pageOpener(context) {
  const pageErrors = [];
  const open = async (url, viewport, label) => {
    const p = await context.newPage();
    await p.setViewportSize(viewport);
    p.on('pageerror', (e) => pageErrors.push(`${label}: ${e.message}`));
    p.on('console', (m) => m.type() === 'error' && console.error(`[${label}]`, m.text()));
    p.on('response', (r) => r.status() >= 400 && console.error(`[${label}] ${r.request().method()} ${new URL(r.url()).pathname} -> ${r.status()}`));
    await p.goto(url, { waitUntil: 'domcontentloaded' });
    return p;
  };
  return { open, pageErrors };
}

// Inbound video frames decoded by a call page (a page or the desk's iframe).
export async function framesDecoded(frame) {
  return frame.evaluate(async () => {
    const pc = window.cskit?.subscriber?.pc;
    let n = 0;
    if (pc) (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') n += s.framesDecoded ?? 0; });
    return n;
  });
}
/** The frames decoded per page in one second, once every page decodes (or after `tries` seconds, the last reading). */
export async function videoFlowing(frames, tries = 25) {
  let last = null;
  for (let i = 0; i < tries; i++) {
    const a = await Promise.all(frames.map(framesDecoded));
    await sleep(1000);
    const b = await Promise.all(frames.map(framesDecoded));
    last = b.map((x, k) => x - a[k]);
    if (last.every((d) => d > 0)) return last;
  }
  return last;
}

/**
 * Puts session `sessionId` in a call the way a user would: assigns it to `agentId`, opens the customer's link and the
 * agent's (auto-accepting) link with `open` (from pageOpener) at `viewport`, and waits until both pages are connected.
 * Returns the session's links and the two pages.
 */
export async function joinCall({ api, open, base, sessionId, agentId, viewport, labels = ['customer', 'agent'] }) {
  await api('POST', `/sessions/${sessionId}/assign`, { agent_id: agentId, agent_name: 'Agent Wang' });
  const links = await api('GET', `/sessions/${sessionId}/links`);
  const sid = encodeURIComponent(sessionId);
  const customer = await open(`${base}/?session=${sid}&role=customer&token=${encodeURIComponent(links.customer_token)}`,
    viewport, labels[0]);
  const agent = await open(`${base}/?session=${sid}&role=agent&autoaccept=1&token=${encodeURIComponent(links.agent_token)}`,
    viewport, labels[1]);
  await until(customer, () => window.cskit?.state === 'connected', undefined, 60000);
  await until(agent, () => window.cskit?.state === 'connected', undefined, 60000);
  return { links, customer, agent };
}

/**
 * The common start of a checklist script: its arguments (`--base`, `--shots`), an admin client, a {@link checklist},
 * a screenshotter, the closers to run at the end, and a time budget (seconds, or a function of the arguments; generous,
 * for a loaded machine) after which the script ends failed, naming its last step.
 */
export function checklistScript(budget) {
  const args = parseArgs();
  const base = args.base ?? 'http://127.0.0.1:8080';
  const shots = args.shots ?? null;
  const { result, check, step } = checklist();
  const closers = [];
  const seconds = typeof budget === 'function' ? budget(args) : budget;
  setTimeout(() => finish({ ...result, ok: false, error: `timed out after ${seconds} s (last step: ${result.step})` }, closers),
    seconds * 1000);
  return { args, base, shots, api: client(base), result, check, step, shot: screenshotter(shots, result), closers };
}

/**
 * Runs the browser part of a {@link checklistScript}: launches Chromium (closed at the end), makes the screenshot
 * folder, and awaits `body(context)`, which returns the page errors its pages collected (see pageOpener); none is one
 * more check. Then prints the result (ok when no check failed; an error thrown is the result's error) and exits.
 */
export async function runInChromium({ shots, result, check, closers }, body) {
  const { context, close } = await launchChromium();
  closers.push(close);
  try {
    if (shots) mkdirSync(shots, { recursive: true });
    const pageErrors = await body(context);
    check('noPageErrors', pageErrors.length === 0, pageErrors);
    result.ok = result.failed.length === 0;
  } catch (e) {
    result.error = String(e?.stack ?? e);
  }
  await finish(result, closers);
}
