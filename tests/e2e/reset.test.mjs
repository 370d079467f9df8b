// The reset dialog end to end: the built bundle on the sample intranet page,
// served by the real backend, in real Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, openDialogFor, leakSurface, readResultPassword, useBackendAndBrowser } from './harness.mjs';

const env = useBackendAndBrowser();


function assertNoLeak(surface, password, where) {
  assert.ok(password.length >= 12, 'a real password was read');
  assert.ok(!surface.includes(password), `the password leaked into ${where}`);
}

test('reset a demo user with a generated password, then sign in with it', async () => {
  const { page, context, seen } = await openPage(env.browser, env.backend.url + '/');
  const widget = await openDialogFor(page, 'u-1042');
  assert.equal(await widget.getByRole('radio', { name: 'Auto-generate a password' }).isChecked(), true);
  await assert.doesNotReject(widget.getByText('Step 1 of 3').waitFor());
  const meter = widget.getByRole('meter', { name: 'Password strength' });
  assert.equal(await meter.getAttribute('aria-valuenow'), '4');
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByText('Step 2 of 3').waitFor();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByText('Step 3 of 3').waitFor();
  assert.equal(await widget.getByLabel('Email the new password to').inputValue(), 'adele@contoso.com');
  assert.equal(await widget.getByRole('checkbox', { name: 'Require this user to change their password when they first sign in' }).isChecked(), true);
  await widget.getByRole('button', { name: 'Reset password' }).click();

  const password = await readResultPassword(widget);
  assert.equal(password.length, 16);
  await widget.getByRole('button', { name: 'Copy password' }).click();
  await widget.getByText('Copied to the clipboard.').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), password, 'Copy password copies it');
  await widget.getByText('The e-mail with the new password is queued.').waitFor();

  const ok = await env.backend.signIn('u-1042', password);
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json, { mustChangePassword: true });
  assert.equal((await env.backend.signIn('u-1042', password + 'x')).status, 401);

  // The host page heard about it, without the password.
  const done = seen.events.find((e) => e.name === 'reset-password:done');
  assert.ok(done, 'a done event');
  assert.deepEqual(JSON.parse(done.detail).userIds, ['u-1042']);
  const strength = seen.events.filter((e) => e.name === 'reset-password:strength').map((e) => JSON.parse(e.detail));
  assert.equal(strength[0].source, 'generated');

  // The demo's outbox has the message, masked.
  const outbox = await env.backend.asAdmin('GET', '/api/outbox');
  assert.ok(outbox.text.includes('adele@contoso.com'));
  assertNoLeak(outbox.text, password, 'the outbox');

  assertNoLeak(await leakSurface(page, seen), password, 'the URL, console, storage or an event');
  assertNoLeak(env.backend.log(), password, "the backend's log");
  await context.close();
});

test('"Generate another password" draws a new one, and the reset uses the one shown', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const widget = await openDialogFor(page, 'u-1046');
  await widget.getByRole('button', { name: 'Show password' }).click();
  const field = widget.getByLabel('New password');
  const first = await field.inputValue();
  await widget.getByRole('button', { name: 'Generate another password' }).click();
  const second = await field.inputValue();
  assert.notEqual(second, first);
  assert.equal(second.length, first.length);
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Reset password' }).click();
  assert.equal(await readResultPassword(widget), second);
  assert.equal((await env.backend.signIn('u-1046', second)).status, 200);
  assert.equal((await env.backend.signIn('u-1046', first)).status, 401);
  await context.close();
});

test('reset with a custom password typed key by key', async () => {
  const { page, context, seen } = await openPage(env.browser, env.backend.url + '/');
  const widget = await openDialogFor(page, 'u-1043');
  assert.ok(!seen.urls.some((u) => u.includes('reset-estimator')), 'not fetched before it is needed');
  // Choosing to type a password starts the estimator's download, before the first key.
  const fetched = page.waitForRequest((r) => r.url().endsWith('reset-estimator_bg.wasm'));
  await widget.getByRole('radio', { name: 'Let me create the password' }).check();
  await fetched;
  const field = widget.getByLabel('New password');
  const password = 'Marmalade-Tundra-48-Quiver';
  await field.pressSequentially('password', { delay: 10 });
  const meter = widget.getByRole('meter', { name: 'Password strength' });
  await page.waitForFunction((el) => el.getAttribute('aria-valuenow') === '0', await meter.elementHandle());
  await field.fill('');
  await field.pressSequentially(password, { delay: 10 });
  await page.waitForFunction((el) => el.getAttribute('aria-valuenow') === '4', await meter.elementHandle());
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByText('This password meets the requirements.').waitFor();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('checkbox', { name: 'Require this user to change their password when they first sign in' }).uncheck();
  await widget.getByRole('button', { name: 'Reset password' }).click();

  assert.equal(await readResultPassword(widget), password);
  const ok = await env.backend.signIn('u-1043', password);
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json, { mustChangePassword: false });

  const estimated = seen.events.filter((e) => e.name === 'reset-password:strength' && JSON.parse(e.detail).source === 'estimated');
  assert.ok(estimated.length >= 2, 'the meter followed typing');
  assertNoLeak(await leakSurface(page, seen), password, 'the URL, console, storage or an event');
  assertNoLeak(env.backend.log(), password, "the backend's log");
  await context.close();
});

test('a generated-password reset never downloads the estimator', async () => {
  const { page, context, seen } = await openPage(env.browser, env.backend.url + '/');
  const widget = await openDialogFor(page, 'u-1045');
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Reset password' }).click();
  await readResultPassword(widget);
  assert.ok(!seen.urls.some((u) => u.includes('reset-estimator')), seen.urls.join('\n'));
  await context.close();
});

test('a backend failure shows its message, keeps the password, and Retry succeeds', async () => {
  const armed = await env.backend.arm({ fault: 'status', status: 503, times: 1 });
  assert.ok(armed.status < 300, armed.text);
  const { page, context, seen } = await openPage(env.browser, env.backend.url + '/');
  const widget = await openDialogFor(page, 'u-1044');
  await widget.getByRole('button', { name: 'Show password' }).click();
  const shown = await widget.getByLabel('New password').inputValue();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Reset password' }).click();

  const alert = widget.getByRole('alert');
  await alert.getByText('The directory service is temporarily unavailable.').waitFor();
  await alert.getByText('The reset may or may not have happened.', { exact: false }).waitFor();
  const error = seen.events.find((e) => e.name === 'reset-password:error');
  assert.equal(JSON.parse(error.detail).status, 503);

  await widget.getByRole('button', { name: 'Retry' }).click();
  const password = await readResultPassword(widget);
  assert.equal(password, shown, 'the password the admin saw is the one that was set');
  assert.equal((await env.backend.signIn('u-1044', password)).status, 200);
  assertNoLeak(await leakSurface(page, seen), password, 'the URL, console, storage or an event');
  await context.close();
});

test('several elements on one page work independently, and a bad configuration is shown in the element', async () => {
  const { page, context, seen } = await openPage(env.browser, env.backend.url + '/');
  await page.waitForFunction(() => customElements.get('reset-password'));
  await page.evaluate(() => {
    for (const id of ['u-1045', 'u-1046']) {
      const el = document.createElement('reset-password');
      el.setAttribute('endpoint', '/api/password-resets');
      el.setAttribute('user-id', id);
      el.id = `late-${id}`;
      document.body.append(el);
    }
    const broken = document.createElement('reset-password');
    broken.id = 'broken';
    broken.setAttribute('user-id', 'u-1');
    document.body.append(broken);
  });
  const a = page.locator('#late-u-1045');
  const b = page.locator('#late-u-1046');
  await a.getByRole('radio', { name: 'Let me create the password' }).check();
  assert.equal(await b.getByRole('radio', { name: 'Auto-generate a password' }).isChecked(), true);
  await a.getByLabel('New password').fill('only-in-the-first-one');
  await b.getByRole('radio', { name: 'Let me create the password' }).check();
  assert.equal(await b.getByLabel('New password').inputValue(), '', "the second dialog's field is its own");
  assert.equal(await a.getByLabel('New password').inputValue(), 'only-in-the-first-one');

  await page.locator('#broken').getByText('attribute `endpoint`', { exact: false }).waitFor();
  const errors = seen.console.filter((m) => m.startsWith('error:') && m.includes('<reset-password>'));
  assert.equal(errors.length, 1, seen.console.join('\n'));
  assert.deepEqual(seen.errors, [], 'nothing thrown into the host page');
  await context.close();
});
