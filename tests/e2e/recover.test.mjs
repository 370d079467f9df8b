// <recover-password> end to end: "Forgot your password?" on the sample
// site's sign-in page, a code read from a real SMTP server the test starts
// (tests/e2e/smtp-sink.mjs) rather than from the database, a new password
// with the meter live; the reference backend's code and token rules; a lost
// answer on completion retried into exactly one change.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openPage, leakSurface, useBackendAndBrowser } from './harness.mjs';
import { startSmtpSink } from './smtp-sink.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const SHOTS = join(ROOT, 'tests/artifacts/screenshots');

let sink;
const backendOptions = { env: {} };
const env = useBackendAndBrowser(backendOptions, {
  beforeStart: async () => {
    sink = await startSmtpSink();
    backendOptions.env.SMTP_URL = sink.url;
  },
});
after(() => sink?.stop());

const codeMail = (to) => (m) => m.to.includes(to) && /recovery code/i.test(m.data);
const codeIn = (message) => message.data.match(/verification code is (\d{8})/)[1];

async function post(path, body, headers = {}) {
  const res = await fetch(env.backend.url + '/api/password-recovery/' + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : null };
}

async function axe(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document.querySelector('recover-password'), {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
  });
}

test('"Forgot your password?": a code from the alternate address, a new password with the meter live, then only it signs in', async () => {
  const { page, context, seen } = await openPage(env.browser, env.backend.url + '/sign-in.html', { signIn: false });
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.waitForURL('**/recover.html');
  const widget = page.locator('recover-password');
  await widget.getByLabel('User name or email').fill('joni@contoso.com');
  assert.deepEqual(await axe(page), [], 'step 1');
  await widget.getByRole('button', { name: 'Send code' }).click();
  await widget.getByText('If an account matches, a code was sent to its alternate e-mail address.').waitFor();
  const resend = widget.getByRole('button', { name: /^Send a new code in \d+ s$/ });
  assert.equal(await resend.isDisabled(), true, 'a new code waits 30 s');
  assert.deepEqual(await axe(page), [], 'step 2');
  const mail = await sink.waitFor(codeMail('joni.sherman@alt.contoso.test'));
  const code = codeIn(mail);
  await widget.getByLabel('Verification code').fill(code);
  await widget.getByRole('button', { name: 'Verify' }).click();
  const field = widget.getByLabel('New password', { exact: true });
  await field.waitFor();
  const fresh = 'Orchard-Quokka-Velvet-62';
  await field.pressSequentially('password', { delay: 10 });
  await widget.locator('[role=meter][data-score="0"]').waitFor();
  await field.fill('');
  await field.pressSequentially(fresh, { delay: 10 });
  await widget.locator('[role=meter][data-score="4"]').waitFor();
  await widget.getByLabel('Confirm new password').fill(fresh);
  assert.deepEqual(await axe(page), [], 'step 3');
  await page.screenshot({ path: join(SHOTS, 'light-recover-password.png'), fullPage: true });
  await widget.getByRole('button', { name: 'Reset password' }).click();
  await widget.getByText('Your password was reset. Sign in with your new password.').waitFor();
  assert.deepEqual(await axe(page), [], 'the result');
  assert.ok(seen.events.some((e) => e.name === 'recover-password:done'));
  assert.deepEqual(seen.events.filter((e) => e.name === 'csp-violation'), [], 'no Content-Security-Policy violation');
  assert.equal((await env.backend.signIn('u-1043', fresh)).status, 200);
  assert.equal((await env.backend.signIn('u-1043', fresh + 'x')).status, 401);
  const surface = await leakSurface(page, seen);
  assert.ok(!surface.includes(fresh) && !surface.includes(code), 'no password or code in a URL, the console, storage or an event');
  assert.ok(!env.backend.log().includes(code), "no code in the backend's log");
  await context.close();
});

test('an unknown login gets the same answer and no e-mail', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/recover.html', { signIn: false });
  const widget = page.locator('recover-password');
  await widget.getByLabel('User name or email').fill('nobody@contoso.com');
  const before = sink.messages.length;
  await widget.getByRole('button', { name: 'Send code' }).click();
  await widget.getByText('If an account matches, a code was sent to its alternate e-mail address.').waitFor();
  const real = await post('codes', { login: 'u-1045' });
  const unknown = await post('codes', { login: 'u-0000' });
  assert.equal(real.status, 202);
  assert.deepEqual([unknown.status, unknown.json], [real.status, real.json]);
  await sink.waitFor(codeMail('megan.bowen@alt.contoso.test'));
  assert.equal(sink.messages.slice(before).filter((m) => !m.to.includes('megan.bowen@alt.contoso.test')).length, 0, 'nothing for unknown logins');
  await context.close();
});

test('five wrong codes burn the code; a used code and a used token are refused', async () => {
  const first = sink.messages.length;
  assert.equal((await post('codes', { login: 'alex@contoso.com' })).status, 202);
  const code = codeIn(await sink.waitFor((m) => sink.messages.indexOf(m) >= first && codeMail('alex.wilber@alt.contoso.test')(m)));
  const wrong = code === '00000000' ? '11111111' : '00000000';
  for (let i = 0; i < 5; i++) {
    const r = await post('verifications', { login: 'alex@contoso.com', code: wrong });
    assert.equal(r.status, 400);
    assert.equal(r.json.errors[0].field, 'code');
  }
  assert.equal((await post('verifications', { login: 'alex@contoso.com', code })).status, 400, 'burned');

  const second = sink.messages.length;
  await post('codes', { login: 'alex@contoso.com' });
  const next = codeIn(await sink.waitFor((m) => sink.messages.indexOf(m) >= second && codeMail('alex.wilber@alt.contoso.test')(m)));
  const verified = await post('verifications', { login: 'alex@contoso.com', code: next });
  assert.equal(verified.status, 200, verified.text);
  assert.equal((await post('verifications', { login: 'alex@contoso.com', code: next })).status, 400, 'a code works once');
  const token = verified.json.recoveryToken;
  // The server refuses what the widget refuses, with the widget's reason codes.
  const weak = await post('completions', { recoveryToken: token, newPassword: 'passwordpassword' }, { 'Idempotency-Key': crypto.randomUUID() });
  assert.equal(weak.status, 422, weak.text);
  assert.deepEqual(weak.json.errors.map((e) => [e.field, e.code]), [['newPassword', 'tooWeak']]);
  const done = await post('completions', { recoveryToken: token, newPassword: 'Lantern-Quokka-Meadow-27' }, { 'Idempotency-Key': crypto.randomUUID() });
  assert.equal(done.status, 200, done.text);
  const again = await post('completions', { recoveryToken: token, newPassword: 'Lantern-Quokka-Meadow-28' }, { 'Idempotency-Key': crypto.randomUUID() });
  assert.equal(again.status, 410, 'a token works once');
  assert.equal((await env.backend.signIn('u-1046', 'Lantern-Quokka-Meadow-27')).status, 200);
});

test('a lost answer on completion, then Retry, changes the password exactly once', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/recover.html', { signIn: false, colorScheme: 'dark' });
  const widget = page.locator('recover-password');
  await widget.getByLabel('User name or email').fill('u-1044');
  const start = sink.messages.length;
  await widget.getByRole('button', { name: 'Send code' }).click();
  const code = codeIn(await sink.waitFor((m) => sink.messages.indexOf(m) >= start && codeMail('lee.gu@alt.contoso.test')(m)));
  await widget.getByLabel('Verification code').fill(code);
  await widget.getByRole('button', { name: 'Verify' }).click();
  await widget.getByRole('button', { name: 'Suggest a password' }).click();
  const password = await widget.getByLabel('New password', { exact: true }).inputValue();
  // The completion reaches the server, its answer does not reach the page.
  const keys = [];
  await page.route('**/api/password-recovery/completions', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    await route.fetch();
    await route.abort('connectionreset');
  });
  await widget.getByRole('button', { name: 'Reset password' }).click();
  await widget.getByRole('alert').getByText('may or may not have happened', { exact: false }).waitFor();
  assert.deepEqual(await axe(page), [], 'the unknown outcome, dark scheme');
  await page.unroute('**/api/password-recovery/completions');
  // Each applied change writes one notice to the outbox, in its own transaction.
  const notices = async () => (await env.backend.asAdmin('GET', '/api/outbox')).json
    .filter((m) => m.to.includes('lee@contoso.com') && m.subject === 'Your password was changed').length;
  assert.equal(await notices(), 1, "the lost answer's change was applied");
  await page.route('**/api/password-recovery/completions', (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    return route.continue();
  });
  await widget.getByRole('button', { name: 'Retry', exact: true }).click();
  await widget.getByText('Your password was reset. Sign in with your new password.').waitFor();
  assert.equal(keys.length, 2);
  assert.equal(keys[0], keys[1], 'the retry sends the same Idempotency-Key');
  assert.equal((await env.backend.signIn('u-1044', password)).status, 200);
  assert.equal(await notices(), 1, 'the retry was a replay: no second change');
  await context.close();
});

test('in Swedish, with the keyboard alone: the first step is translated, passes axe, and sends the code on Enter', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/recover.html', { signIn: false, colorScheme: 'dark' });
  await page.evaluate(() => { document.querySelector('recover-password').lang = 'sv'; });
  const widget = page.locator('recover-password');
  const login = widget.getByLabel('Användarnamn eller e-post');
  await login.focus();
  await page.keyboard.type('megan@contoso.com');
  assert.deepEqual(await axe(page), [], 'step 1 in Swedish, dark scheme');
  await page.keyboard.press('Tab'); // Skicka kod
  await page.keyboard.press('Enter');
  await widget.getByText('Om ett konto matchar har en kod skickats till dess alternativa e-postadress.').waitFor();
  assert.deepEqual(await axe(page), [], 'step 2 in Swedish');
  await context.close();
});
