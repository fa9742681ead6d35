// Agents managed at runtime, in headless Chromium against a zero-config server (its only agent is the first
// agent, agent_001, whose password the test read from the server log):
//  1. /desk.html without a login shows its sign-in form; agent_001 signs in there with the logged password:
//     the desk checks in (Online);
//  2. the admin dashboard's Agent accounts panel adds agent_002; it signs in on a second desk;
//  3. the panel disables agent_002: its desk is signed out at once (signed_out frame, the sign-in form is back),
//     the panel shows it disabled, and signing in again fails like a wrong password;
//  4. the panel enables it again and resets agent_001's password: agent_001's desk is signed out, its old
//     password no longer works, the new one does; agent_002 signs in again.
// Usage: node agent-accounts.mjs --base http://127.0.0.1:PORT --password FIRST_AGENT_PASSWORD [--shots DIR]
// Prints one JSON line; exits 0 only if every check passed.
import { mkdirSync } from 'node:fs';
import { checklist, launchChromium, pageOpener, parseArgs, finish, screenshotter, until, waitFor } from './lib.mjs';

const args = parseArgs();
const base = args.base ?? 'http://127.0.0.1:8080';
const firstPassword = args.password;
const shots = args.shots ?? null;
const { result, check, step } = checklist();
const shot = screenshotter(shots, result);
const closers = [];
setTimeout(() => finish({ ...result, ok: false, error: 'timed out after 100 s (last step: ' + result.step + ')' }, closers), 100_000);

const { context, close } = await launchChromium();
closers.push(close);
try {
  if (shots) mkdirSync(shots, { recursive: true });
  const { open, pageErrors } = pageOpener(context);

  // Each desk in a page of its own (the login is kept per tab, in sessionStorage).
  const signIn = async (page, id, password) => {
    await page.locator('#desk-login-form').waitFor({ state: 'visible', timeout: 10000 });
    await page.evaluate(() => { document.getElementById('desk-login-error').hidden = true; });
    await page.fill('#desk-login-id', id);
    await page.fill('#desk-login-password', password);
    await page.click('#desk-login-submit');
  };
  const checkedIn = (page) => until(page, () => window.cskitDesk?.roomState === 'joined' && window.cskitDesk.state === 'online');
  // The text of the sign-in error once it shows (cleared first, so a previous error is not read again).
  const loginError = (page) => waitFor(page, () => !document.getElementById('desk-login-error').hidden
    && document.getElementById('desk-login-error').textContent, undefined, { what: 'a sign-in error' });

  // ---- 1. the first agent signs in on the desk page itself
  step('first agent desk');
  const desk1 = await open(base + '/desk.html', { width: 1280, height: 800 }, 'desk1');
  check('deskAsksToSignIn', await desk1.isVisible('#desk-login-form'));
  await signIn(desk1, 'agent_001', firstPassword);
  await checkedIn(desk1);
  check('firstAgentSignsIn', (await desk1.textContent('#desk-state')).includes('Online')
    && (await desk1.textContent('#desk-agent')).includes('agent_001'));
  await shot(desk1, 'desk-first-agent.png');

  // ---- 2. the admin adds agent_002, who signs in
  step('admin adds agent_002');
  const admin = await open(base + '/admin/', { width: 1280, height: 900 }, 'admin');
  await until(admin, () => document.querySelector('[data-testid=account-row][data-agent-id=agent_001]'));
  await admin.fill('#account-add-id', 'agent_002');
  await admin.fill('#account-add-name', 'Agent Li');
  await admin.fill('#account-add-password', 'li-secret-2');
  await admin.click('#account-add-submit');
  await until(admin, () => document.querySelector('[data-testid=account-row][data-agent-id=agent_002]')?.dataset.enabled === 'true');
  check('adminAdded', (await admin.textContent('#accounts-result')).includes('Added Agent Li'));
  // The same id again: refused with the server's message, nothing added.
  await admin.fill('#account-add-id', 'agent_002');
  await admin.fill('#account-add-name', 'Someone else');
  await admin.fill('#account-add-password', 'x');
  await admin.click('#account-add-submit');
  await until(admin, () => document.getElementById('accounts-result').className.includes('alert-error'));
  check('duplicateRefused', (await admin.textContent('#accounts-result')).includes('exists already')
    && await admin.evaluate(() => document.querySelectorAll('[data-testid=account-row][data-agent-id=agent_002]').length === 1));
  const desk2 = await open(base + '/desk.html', { width: 1280, height: 800 }, 'desk2');
  await signIn(desk2, 'agent_002', 'li-secret-2');
  await checkedIn(desk2);
  check('newAgentSignsIn', (await desk2.textContent('#desk-agent')).includes('Agent Li'));

  // ---- 3. disabled: its desk is signed out and it cannot sign in
  step('admin disables agent_002');
  await admin.click('[data-testid=account-row][data-agent-id=agent_002] [data-testid=account-toggle]');
  await until(admin, () => document.querySelector('[data-testid=account-row][data-agent-id=agent_002]')?.dataset.enabled === 'false');
  await until(desk2, () => window.cskitDesk.signedOut && !document.getElementById('desk-signin').hidden);
  const out = await desk2.evaluate(() => window.cskitDesk.signedOut);
  check('disabledDeskSignedOut', out.reason === 'disabled', out);
  check('adminShowsDisabled', (await admin.textContent('[data-testid=account-row][data-agent-id=agent_002] [data-testid=account-enabled]')) === 'disabled');
  await shot(admin, 'admin-agent-accounts.png', { fullPage: true });
  await desk2.reload({ waitUntil: 'domcontentloaded' });
  await signIn(desk2, 'agent_002', 'li-secret-2');
  const refused = await loginError(desk2);
  const wrong = await open(base + '/desk.html', { width: 1280, height: 800 }, 'wrong');
  await signIn(wrong, 'agent_001', 'not-the-password');
  const wrongText = await loginError(wrong);
  check('disabledLoginLikeWrongPassword', refused === wrongText && refused.includes('unknown agent or wrong password'),
    { refused, wrongText });

  // ---- 4. enabled again; agent_001's password reset signs its desk out
  step('enable agent_002, reset agent_001');
  await admin.click('[data-testid=account-row][data-agent-id=agent_002] [data-testid=account-toggle]');
  await until(admin, () => document.querySelector('[data-testid=account-row][data-agent-id=agent_002]')?.dataset.enabled === 'true');
  await admin.selectOption('#account-reset-id', 'agent_001');
  await admin.fill('#account-reset-password', 'wang-new-pass');
  await admin.click('#account-reset-submit');
  await until(desk1, () => window.cskitDesk.signedOut && !document.getElementById('desk-signin').hidden);
  check('resetDeskSignedOut', (await desk1.evaluate(() => window.cskitDesk.signedOut.reason)) === 'password_changed');
  await desk1.reload({ waitUntil: 'domcontentloaded' });
  await signIn(desk1, 'agent_001', firstPassword);
  check('oldPasswordRefused', (await loginError(desk1)).includes('unknown agent or wrong password'));
  await desk1.fill('#desk-login-password', 'wang-new-pass');
  await desk1.click('#desk-login-submit');
  await checkedIn(desk1);
  check('newPasswordSignsIn', true);
  await desk2.fill('#desk-login-password', 'li-secret-2');
  await desk2.click('#desk-login-submit');
  await checkedIn(desk2);
  check('enabledAgainSignsIn', true);

  check('noPageErrors', pageErrors.length === 0, pageErrors);
  result.ok = result.failed.length === 0;
} catch (e) {
  result.ok = false;
  result.error = String(e && e.stack || e);
}
await finish(result, closers);
