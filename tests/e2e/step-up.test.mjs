// Step-up end to end: the demo admin resets another administrator's password
// through the dialog; the backend asks for the admin's own password first
// ("Confirm it's you"); a wrong one is said at its field, Cancel goes back to
// the form as it was, the right one lets the same request (same
// Idempotency-Key) through, and the new password works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEMO_ADMIN, openPage, openDialogFor, leakSurface, readResultPassword, useBackendAndBrowser } from './harness.mjs';

const env = useBackendAndBrowser();
const ROOT = resolve(import.meta.dirname, '../..');
const SHOTS = join(ROOT, 'tests/artifacts/screenshots');
const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

async function axe(page, selector) {
  await page.evaluate(AXE);
  return page.evaluate(async (selector) => {
    const r = await window.axe.run(document.querySelector(selector), {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
  }, selector);
}

const OTHER_ADMIN = { id: 'u-9001', name: 'Nestor Wilke', email: 'nestor@contoso.com', isAdmin: true };
const WRONG = 'Brass-Kettle-Wrong-Guess-93';

test("resetting another administrator asks for the admin's own password first", async () => {
  const created = await env.backend.asAdmin('POST', '/api/test/users', OTHER_ADMIN);
  assert.equal(created.status, 201, created.text);
  const { page, context, seen } = await openPage(env.browser, env.backend.url + '/');
  const sent = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path === '/api/password-resets' || path === '/api/session/step-up') {
      sent.push({ path, key: r.headers()['idempotency-key'], body: r.postData() });
    }
  });
  const widget = await openDialogFor(page, OTHER_ADMIN.id);
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Next' }).click();
  const recipients = widget.getByLabel('Email the new password to');
  await recipients.fill('it@contoso.com');
  await widget.getByRole('button', { name: 'Reset password' }).click();

  const heading = widget.getByRole('heading', { name: "Confirm it's you" });
  await heading.waitFor();
  await widget.getByText("You are resetting an administrator's password. Enter your own password to continue.").waitFor();
  const field = widget.getByLabel('Your password');
  assert.equal(await field.getAttribute('type'), 'password', 'masked');
  assert.equal(await field.getAttribute('autocomplete'), 'current-password');
  assert.equal((await env.backend.resetsOf(OTHER_ADMIN.id)).count, 0, 'nothing reset yet');

  // Cancel: back to the form as it was.
  await widget.getByRole('button', { name: 'Cancel' }).click();
  await widget.getByText('Step 3 of 3').waitFor();
  assert.equal(await recipients.inputValue(), 'it@contoso.com');
  assert.equal(await widget.getByRole('button', { name: 'Reset password' }).isEnabled(), true);
  await widget.getByRole('button', { name: 'Reset password' }).click();
  await heading.waitFor();

  // A wrong password: said at the field, which is emptied; still nothing reset.
  await field.fill(WRONG);
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await widget.getByText('The password is wrong.').waitFor();
  assert.equal(await field.inputValue(), '');
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await axe(page, `reset-password[user-id="${OTHER_ADMIN.id}"]`), [], 'the prompt with its error');
  mkdirSync(SHOTS, { recursive: true });
  await widget.screenshot({ path: join(SHOTS, 'light-step-up.png') });
  assert.equal((await env.backend.resetsOf(OTHER_ADMIN.id)).count, 0);

  // The right one (Enter confirms): the reset goes through.
  await field.fill(DEMO_ADMIN.password);
  await field.press('Enter');
  const password = await readResultPassword(widget);
  const ok = await env.backend.signIn(OTHER_ADMIN.id, password);
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json, { mustChangePassword: true });

  // The wire: reset (refused), reset after Cancel (refused), the two
  // step-ups, then that second reset again under its own key.
  assert.deepEqual(sent.map((r) => r.path), [
    '/api/password-resets', '/api/password-resets',
    '/api/session/step-up', '/api/session/step-up', '/api/password-resets',
  ]);
  const [first, refused, , , retried] = sent;
  assert.notEqual(first.key, refused.key, 'after Cancel, a new request');
  assert.equal(retried.key, refused.key, 'the retry keeps the refused request\'s key');
  assert.equal(retried.body, refused.body, 'and its body');
  assert.deepEqual(await env.backend.resetsOf(OTHER_ADMIN.id), { count: 1, keys: [refused.key] });

  const done = seen.events.filter((e) => e.name === 'reset-password:done');
  assert.equal(done.length, 1);
  assert.deepEqual(JSON.parse(done[0].detail).userIds, [OTHER_ADMIN.id]);

  // The admin's own password, right or wrong, went only into the step-up's body.
  const surface = await leakSurface(page, seen);
  for (const secret of [DEMO_ADMIN.password, WRONG, password]) {
    assert.ok(!surface.includes(secret), 'a password leaked into the URL, console, storage or an event');
    assert.ok(!env.backend.log().includes(secret), "a password leaked into the backend's log");
  }
  await context.close();
});

test('an ordinary user is reset without the prompt', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const widget = await openDialogFor(page, 'u-1044');
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Reset password' }).click();
  const password = await readResultPassword(widget);
  assert.equal(await widget.getByRole('heading', { name: "Confirm it's you" }).count(), 0);
  assert.equal((await env.backend.signIn('u-1044', password)).status, 200);
  await context.close();
});
