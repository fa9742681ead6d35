// The admin dashboard's Webhook deliveries panel in headless Chromium: a session is created while the receiver
// answers 500; with a max_age of a few seconds its delivery is soon dead-lettered, and the panel (filter "Dead-
// lettered") lists it with its last error ("HTTP 500"). The receiver is told to answer 204, the panel's Redeliver
// sends it again at once and the row goes away.
// Usage: node webhooks-panel.mjs --base http://127.0.0.1:PORT --receiver http://127.0.0.1:RPORT [--shots DIR]
// (RPORT/answer?status=N sets what the receiver answers.) Prints one JSON line; exits 0 only if every check passed.
import { mkdirSync } from 'node:fs';
import { checklist, client, launchChromium, pageOpener, parseArgs, finish, screenshotter, until } from './lib.mjs';

const args = parseArgs();
const base = args.base ?? 'http://127.0.0.1:8080';
const receiver = args.receiver;
const shots = args.shots ?? null;
const { result, check, step } = checklist();
const shot = screenshotter(shots, result);
const closers = [];
setTimeout(() => finish({ ...result, ok: false, error: 'timed out after 60 s (last step: ' + result.step + ')' }, closers), 60_000);

const { context, close } = await launchChromium();
closers.push(close);
try {
  if (shots) mkdirSync(shots, { recursive: true });
  const { open, pageErrors } = pageOpener(context);
  const api = client(base);

  step('a delivery fails until it is dead-lettered');
  const session = await api('POST', '/sessions', { title: 'Webhook panel', customer_name: 'Ann' });
  const admin = await open(base + '/admin/', { width: 1280, height: 1000 }, 'admin');
  await admin.selectOption('#webhooks-filter', 'dead');
  await until(admin, () => document.querySelector('[data-testid=webhook-row][data-state=dead]'), undefined, 20000);
  const row = '[data-testid=webhook-row][data-state=dead]';
  check('listsTheDeadDelivery', (await admin.textContent(row)).includes('session.created')
    && (await admin.textContent(row)).includes(session.id), await admin.textContent(row));
  check('showsTheLastError', (await admin.textContent(`${row} [data-testid=webhook-error]`)).includes('HTTP 500'));
  check('saysDeadLettered', (await admin.textContent(`${row} [data-testid=webhook-state]`)).includes('dead-lettered after'));
  check('countsIt', (await admin.textContent('#webhooks-count')) === '1');
  await admin.locator('[data-testid=webhooks-panel]').scrollIntoViewIfNeeded();
  await shot(admin, 'admin-webhooks-failed.png');

  step('redeliver');
  const set = await fetch(receiver + '/answer?status=204');
  check('receiverSwitched', set.ok);
  await admin.click(`${row} [data-testid=webhook-redeliver]`);
  await until(admin, () => !document.querySelector('[data-testid=webhook-row]')
    && !document.getElementById('webhooks-empty').hidden);
  check('rowGoneOnceDelivered', (await admin.textContent('#webhooks-empty')).includes('No dead deliveries'));
  check('toldItWasSent', (await admin.textContent('#admin-toast')).includes('sent again'));
  const left = await api('GET', '/webhooks/deliveries');
  check('nothingLeftToDeliver', left.deliveries.length === 0, left);

  step('filters');
  await admin.selectOption('#webhooks-filter', 'failed');
  await until(admin, () => document.getElementById('webhooks-empty').textContent.includes('No failed deliveries'));
  check('failedFilter', true);

  check('noPageErrors', pageErrors.length === 0, pageErrors);
  result.ok = result.failed.length === 0;
} catch (e) {
  result.ok = false;
  result.error = String(e && e.stack || e);
}
await finish(result, closers);
