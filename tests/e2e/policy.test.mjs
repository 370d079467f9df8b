// One policy: the backend serves the rules it enforces (GET /api/password-policy),
// the dialog reads them through `policy-url`, and a refusal the dialog did not
// foresee is shown at the password, in the dialog's words with the backend's number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, openDialogFor, readResultPassword, useBackendAndBrowser } from './harness.mjs';

// Stricter than the widget's defaults (12): only the served policy says 20.
const env = useBackendAndBrowser({ extraArgs: ['--policy-min-length', '20'] });

test("the sample page's dialog follows the policy the backend serves", async () => {
  const { page, context, seen } = await openPage(env.browser, env.backend.url + '/');
  const widget = await openDialogFor(page, 'u-1042');
  assert.ok(seen.urls.some((u) => u.endsWith('/api/password-policy')), 'the policy was read');
  // The generator grew to the served minimum.
  const generated = await widget.getByLabel('New password').inputValue();
  assert.equal(generated.length, 20);
  await widget.getByRole('radio', { name: 'Let me create the password' }).check();
  await widget.getByLabel('New password').fill('Vq8#tLm2!pZx9wRk');
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByText('Use at least 20 characters.').waitFor();
  assert.equal(await widget.getByRole('button', { name: 'Next' }).isDisabled(), true);
  // Long enough: through, and the backend agrees.
  const chosen = 'Vq8#tLm2!pZx9wRk-Heron-Sky';
  await widget.getByRole('button', { name: 'Back' }).click();
  await widget.getByLabel('New password').fill(chosen);
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Reset password' }).click();
  assert.equal(await readResultPassword(widget), chosen);
  assert.equal((await env.backend.signIn('u-1042', chosen)).status, 200);
  await context.close();
});

test('the served policy is read once per page, and every element after the first uses it', async () => {
  const { page, context, seen } = await openPage(env.browser, env.backend.url + '/');
  const widget = await openDialogFor(page, 'u-1042');
  assert.equal((await widget.getByLabel('New password').inputValue()).length, 20);
  const reads = () => seen.urls.filter((u) => u.endsWith('/api/password-policy')).length;
  const before = reads();
  assert.ok(before >= 1);
  // A second element on the same page, for another user, with the same policy-url.
  await page.evaluate(() => {
    const other = document.createElement('reset-password');
    other.setAttribute('user-id', 'u-1043');
    other.setAttribute('endpoint', '/api/password-resets');
    other.setAttribute('policy-url', '/api/password-policy');
    other.id = 'second';
    // In the open modal dialog: the rest of the page is inert meanwhile.
    document.querySelector('dialog[open]').append(other);
  });
  const second = page.locator('#second');
  await second.getByRole('radio', { name: 'Auto-generate a password' }).waitFor();
  assert.equal((await second.getByLabel('New password').inputValue()).length, 20, 'the served policy applies');
  assert.equal(reads(), before, 'no second read of the policy');
  await context.close();
});

test("a password the element's own attributes allow but the backend refuses is shown at the password, and nothing is reset", async () => {
  // strict-csp.html configures its element by attributes alone (no policy-url).
  const { page, context } = await openPage(env.browser, env.backend.url + '/strict-csp.html');
  const widget = page.locator('reset-password');
  await widget.getByRole('radio', { name: 'Let me create the password' }).check();
  await widget.getByLabel('New password').fill('Vq8#tLm2!pZx9wRk');
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Reset password' }).click();
  // Back at the password, the reason under the field, with the backend's number.
  const field = widget.getByLabel('New password');
  await widget.getByText('Use at least 20 characters.').waitFor();
  assert.equal(await field.inputValue(), 'Vq8#tLm2!pZx9wRk', 'the typed password is kept');
  assert.equal((await env.backend.signIn('u-1046', 'Vq8#tLm2!pZx9wRk')).status, 401);
  // Editing the password clears the refusal.
  await field.fill('Vq8#tLm2!pZx9wRk-Heron-Sky');
  await widget.getByText('Use at least 20 characters.').waitFor({ state: 'detached' });
  await context.close();
});

test('a password with an invisible control character is refused in the dialog, and one typed in another Unicode form signs in', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const widget = await openDialogFor(page, 'u-1043');
  await widget.getByRole('radio', { name: 'Let me create the password' }).check();
  // A right-to-left override hidden inside an otherwise strong password.
  await widget.getByLabel('New password').fill('Vq8#tLm2!pZx9\u202EwRk-Heron-Sky');
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByText('Remove invisible or control characters', { exact: false }).waitFor();
  assert.equal(await widget.getByRole('button', { name: 'Next' }).isDisabled(), true);
  // Full-width digits and a decomposed é: accepted, and the same password as its NFKC form.
  await widget.getByRole('button', { name: 'Back' }).click();
  const typed = 'Cafe\u0301-Heron-Sky-Quartz-\uFF14\uFF12';
  await widget.getByLabel('New password').fill(typed);
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Reset password' }).click();
  assert.equal(await readResultPassword(widget), typed);
  assert.equal((await env.backend.signIn('u-1043', 'Caf\u00E9-Heron-Sky-Quartz-42')).status, 200);
  await context.close();
});
