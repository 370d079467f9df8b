// <change-password> end to end: a user whose password an administrator reset
// with "require change" signs in with the temporary password on the sample
// site, is sent to the change page, can use nothing else meanwhile, and
// changes it with the meter live; the reference backend, the built bundle and
// real Chromium throughout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { leakSurface, resetInDialog, signInOnSite as signInOn, startSession, sessionHeaders, useBackendAndBrowser } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const SHOTS = join(ROOT, 'tests/artifacts/screenshots');

const env = useBackendAndBrowser();

/** The demo admin resets `userId` with "require change" (the default); the temporary password. */
const adminResets = (userId) => resetInDialog(env.browser, env.backend.url, userId);

/** Signs `userId` in on the sample site's sign-in page, in a fresh context. */
const signInOnSite = (userId, password, contextOptions) => signInOn(env.browser, env.backend.url, userId, password, contextOptions);

async function axe(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document.querySelector('change-password'), {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
  });
}

test('a temporary password must be changed at first sign-in: nothing else works meanwhile, the meter is live, then only the new password signs in', async () => {
  const temporary = await adminResets('u-1044');
  // Another session of the same user, signed in elsewhere with the temporary password.
  const other = await startSession(env.backend, 'u-1044', temporary);
  assert.equal(other.session.mustChangePassword, true);
  const users = await fetch(env.backend.url + '/api/users', { headers: sessionHeaders(other) });
  assert.equal(users.status, 403);
  assert.equal((await users.json()).type, '/problems/password-change-required');

  const { page, context, seen } = await signInOnSite('u-1044', temporary);
  await page.waitForURL('**/change-password.html');
  const widget = page.locator('change-password');
  const current = widget.getByLabel('Temporary password');
  await current.waitFor();
  assert.deepEqual(await axe(page), [], 'the change form');
  await current.fill(temporary);
  const fresh = 'Quokka-Marmalade-Tundra-48';
  const field = widget.getByLabel('New password', { exact: true });
  const meter = widget.getByRole('meter', { name: 'Password strength' });
  await field.pressSequentially('password', { delay: 10 });
  await widget.locator('[role=meter][data-score="0"]').waitFor();
  await field.fill('');
  await field.pressSequentially(fresh, { delay: 10 });
  await widget.locator('[role=meter][data-score="4"]').waitFor();
  assert.equal(await meter.getAttribute('aria-valuenow'), '4', 'the meter followed the typing');
  await widget.getByText('This password meets the requirements.').waitFor();
  const submit = widget.getByRole('button', { name: 'Change password' });
  assert.equal(await submit.isDisabled(), true, 'not confirmed yet');
  await widget.getByLabel('Confirm new password').fill(fresh);
  await page.screenshot({ path: join(SHOTS, 'light-change-password.png'), fullPage: true });
  await submit.click();
  // change-password:done: the sample page goes back to the intranet.
  await page.waitForURL((url) => url.pathname === '/');
  assert.ok(seen.events.some((e) => e.name === 'change-password:done' && JSON.parse(e.detail).userId === 'u-1044'));
  assert.deepEqual(seen.events.filter((e) => e.name === 'csp-violation'), [], 'no Content-Security-Policy violation');

  const signedIn = await env.backend.signIn('u-1044', fresh);
  assert.equal(signedIn.status, 200, signedIn.text);
  assert.equal(signedIn.json.mustChangePassword, false);
  assert.equal((await env.backend.signIn('u-1044', temporary)).status, 401, 'the temporary password is gone');
  const otherNow = await fetch(env.backend.url + '/api/session', { headers: sessionHeaders(other) });
  assert.equal(otherNow.status, 401, "the user's other session was ended");
  const surface = await leakSurface(page, seen);
  for (const secret of [temporary, fresh]) assert.ok(!surface.includes(secret), 'no password in a URL, the console, storage or an event');
  assert.ok(!env.backend.log().includes(fresh), "no password in the backend's log");
  await context.close();
});

test('a wrong current password clears that field only and says so; the new one typed is kept', async () => {
  const temporary = await adminResets('u-1045');
  const { page, context } = await signInOnSite('u-1045', temporary);
  await page.waitForURL('**/change-password.html');
  const widget = page.locator('change-password');
  const current = widget.getByLabel('Temporary password');
  await current.fill('not-the-temporary-one');
  const fresh = 'Kettle-Zebra-Orchard-91';
  await widget.getByLabel('New password', { exact: true }).fill(fresh);
  await widget.getByLabel('Confirm new password').fill(fresh);
  await widget.locator('[role=meter][data-score="4"]').waitFor();
  await widget.getByRole('button', { name: 'Change password' }).click();
  await widget.getByRole('alert').getByText('The current password is wrong.').waitFor();
  assert.equal(await current.inputValue(), '', 'the current password is cleared');
  assert.equal(await current.getAttribute('aria-invalid'), 'true');
  assert.equal(await widget.getByLabel('New password', { exact: true }).inputValue(), fresh, 'the new one is kept');
  await current.fill(temporary);
  await widget.getByRole('button', { name: 'Change password' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  assert.equal((await env.backend.signIn('u-1045', fresh)).status, 200);
  await context.close();
});

test('"Suggest a password" fills in a passphrase, shown and copyable, with its exact strength; it changes the password', async () => {
  const temporary = await adminResets('u-1046');
  const { page, context } = await signInOnSite('u-1046', temporary, { colorScheme: 'dark' });
  await page.waitForURL('**/change-password.html');
  const widget = page.locator('change-password');
  await widget.getByLabel('Temporary password').fill(temporary);
  await widget.getByRole('button', { name: 'Suggest a password' }).click();
  const field = widget.getByLabel('New password', { exact: true });
  assert.equal(await field.getAttribute('type'), 'text', 'a suggestion is shown');
  const suggested = await field.inputValue();
  assert.match(suggested, /^([A-Z][a-z-]*-){4}[A-Z][a-z-]*\d$/, 'five capitalised words and a digit');
  await widget.getByText('bits of entropy', { exact: false }).waitFor();
  assert.equal(await widget.getByLabel('Confirm new password').inputValue(), suggested, 'confirmed for the user');
  await widget.getByRole('button', { name: 'Copy password' }).click();
  await widget.getByText('Copied to the clipboard.').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), suggested);
  assert.deepEqual(await axe(page), [], 'the form with a suggestion, dark scheme');
  await page.screenshot({ path: join(SHOTS, 'dark-change-password-suggested.png'), fullPage: true });
  await widget.getByRole('button', { name: 'Change password' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  assert.equal((await env.backend.signIn('u-1046', suggested)).status, 200);
  await context.close();
});

test('the change form works with the keyboard alone', async () => {
  const temporary = await adminResets('u-1042');
  const { page, context } = await signInOnSite('u-1042', temporary);
  await page.waitForURL('**/change-password.html');
  const widget = page.locator('change-password');
  const current = widget.getByLabel('Temporary password');
  await current.focus();
  await page.keyboard.type(temporary);
  await page.keyboard.press('Tab'); // Show password (current)
  await page.keyboard.press('Tab'); // New password
  const fresh = 'Velvet-Quokka-Harbour-35';
  await page.keyboard.type(fresh);
  await widget.locator('[role=meter][data-score="4"]').waitFor();
  await page.keyboard.press('Tab'); // Show password (new)
  await page.keyboard.press('Tab'); // Suggest a password
  await page.keyboard.press('Tab'); // Confirm new password
  await page.keyboard.type(fresh);
  await page.keyboard.press('Tab'); // Show password (confirm)
  await page.keyboard.press('Tab'); // Change password
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.pathname === '/');
  assert.equal((await env.backend.signIn('u-1042', fresh)).status, 200);
  await context.close();
});
