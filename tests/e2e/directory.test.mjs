// The LDAP directory end to end, against real servers: Debian's slapd with
// ppolicy, and Samba's Active Directory domain controller
// (tests/e2e/directories.mjs). For each, in real Chromium on the sample
// site: an administrator of the directory (diane) resets bob with "require a
// change", bob signs in and is made to change it, carol recovers hers with a
// code from a real SMTP server. After each step the test binds to the
// directory as the user: the server itself says which password is in force
// and whether it must be changed. With slapd, the directory going down in
// the middle of a reset is retried into exactly one reset.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, leakSurface, openDialogFor, openPage, readResultPassword, resetInDialog, signInOnSite, startBackend,
} from './harness.mjs';
import { startSmtpSink } from './smtp-sink.mjs';
import { DIANE, SEED_PASSWORDS, startSambaDc, startSlapd } from './directories.mjs';

const codeIn = (message) => message.data.match(/verification code is (\d{8})/)[1];

for (const [flavour, startServer] of [['OpenLDAP', startSlapd], ['Active Directory (Samba)', startSambaDc]]) {
  describe(flavour, () => {
    const env = {};
    before(async () => {
      env.server = await startServer();
      env.sink = await startSmtpSink();
      env.backend = await startBackend({
        admin: DIANE,
        env: { SMTP_URL: env.sink.url },
        extraArgs: env.server.backendArgs(),
      });
      env.browser = await launchBrowser();
    });
    after(async () => {
      await env.browser?.close();
      await env.backend?.stop();
      await env.sink?.stop();
      await env.server?.remove();
    });

    test('the sample site lists the directory\'s users, its admin group\'s members as administrators', async () => {
      const users = await env.backend.asAdmin('GET', '/api/users');
      assert.equal(users.status, 200, users.text);
      const byId = Object.fromEntries(users.json.map((u) => [u.id, u]));
      for (const id of ['diane', 'bob', 'carol', 'erin']) assert.ok(byId[id], `${id} is listed`);
      assert.deepEqual(users.json.filter((u) => u.isAdmin).map((u) => u.id), ['diane']);
      assert.equal(byId.bob.name, 'Bob Fischer');
    });

    let temporary;
    test('an administrator\'s reset with "require a change" lands in the directory: the new password binds, must be changed, the old one is refused', async () => {
      temporary = await resetInDialog(env.browser, env.backend.url, 'bob', { admin: DIANE });
      const bind = await env.server.bind('bob', temporary);
      assert.deepEqual([bind.accepted, bind.mustChange], [true, true], bind.output);
      assert.equal((await env.server.bind('bob', SEED_PASSWORDS.bob)).accepted, false, 'the seed password is refused');
      if (env.server.flavour === 'openldap') {
        assert.equal(await env.server.attribute('bob', 'pwdReset'), 'TRUE');
      } else {
        assert.equal(await env.server.attribute('bob', 'pwdLastSet'), '0');
      }
      assert.deepEqual((await env.backend.signIn('bob', temporary)).json, { mustChangePassword: true });
    });

    test('bob signs in with the temporary password, is sent to change it, and only the new one binds afterwards, with no change required', async () => {
      assert.ok(temporary, 'the reset test ran');
      const { page, context, seen } = await signInOnSite(env.browser, env.backend.url, 'bob', temporary);
      await page.waitForURL('**/change-password.html');
      const widget = page.locator('change-password');
      await widget.getByLabel('Temporary password').fill(temporary);
      const fresh = 'Quokka-Marmalade-Tundra-48';
      await widget.getByLabel('New password', { exact: true }).fill(fresh);
      await widget.getByLabel('Confirm new password').fill(fresh);
      await widget.locator('[role=meter][data-score="4"]').waitFor();
      await widget.getByRole('button', { name: 'Change password' }).click();
      await page.waitForURL((url) => url.pathname === '/');
      const bind = await env.server.bind('bob', fresh);
      assert.deepEqual([bind.accepted, bind.mustChange], [true, false], bind.output);
      assert.equal((await env.server.bind('bob', temporary)).accepted, false, 'the temporary password is refused');
      if (env.server.flavour === 'openldap') {
        assert.equal(await env.server.attribute('bob', 'pwdReset'), null);
      } else {
        assert.notEqual(await env.server.attribute('bob', 'pwdLastSet'), '0');
      }
      const surface = await leakSurface(page, seen);
      for (const secret of [temporary, fresh]) assert.ok(!surface.includes(secret), 'no password in a URL, the console, storage or an event');
      await context.close();
    });

    test('carol recovers her password with a code sent to her alternate address; the new one binds', async () => {
      const { page, context, seen } = await openPage(env.browser, env.backend.url + '/sign-in.html', { signIn: false });
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await page.waitForURL('**/recover.html');
      const widget = page.locator('recover-password');
      await widget.getByLabel('User name or email').fill('carol@contoso.test');
      await widget.getByRole('button', { name: 'Send code' }).click();
      const code = codeIn(await env.sink.waitFor((m) => m.to.includes('carol.nguyen@example.net') && /recovery code/i.test(m.data)));
      await widget.getByLabel('Verification code').fill(code);
      await widget.getByRole('button', { name: 'Verify' }).click();
      const fresh = 'Orchard-Quokka-Velvet-62';
      await widget.getByLabel('New password', { exact: true }).fill(fresh);
      await widget.getByLabel('Confirm new password').fill(fresh);
      await widget.locator('[role=meter][data-score="4"]').waitFor();
      await widget.getByRole('button', { name: 'Reset password' }).click();
      await widget.getByText('Your password was reset. Sign in with your new password.').waitFor();
      const bind = await env.server.bind('carol', fresh);
      assert.deepEqual([bind.accepted, bind.mustChange], [true, false], bind.output);
      assert.equal((await env.server.bind('carol', SEED_PASSWORDS.carol)).accepted, false, 'the old password is refused');
      const surface = await leakSurface(page, seen);
      assert.ok(!surface.includes(fresh) && !surface.includes(code), 'no password or code in a URL, the console, storage or an event');
      assert.ok(!env.backend.log().includes(code), "no code in the backend's log");
      await context.close();
    });

    if (flavour !== 'OpenLDAP') return;

    test('the directory down during a reset: the dialog says to retry and nothing is reset; Retry once it is back resets once', async () => {
      const { page, context, seen } = await openPage(env.browser, env.backend.url + '/', { signIn: DIANE });
      const widget = await openDialogFor(page, 'erin');
      await widget.getByRole('button', { name: 'Show password' }).click();
      const shown = await widget.getByLabel('New password').inputValue();
      await widget.getByRole('button', { name: 'Next' }).click();
      await widget.getByRole('button', { name: 'Next' }).click();
      await env.server.stop();
      await widget.getByRole('button', { name: 'Reset password' }).click();
      const alert = widget.getByRole('alert');
      await alert.getByText('The user directory did not answer.', { exact: false }).waitFor();
      const error = seen.events.find((e) => e.name === 'reset-password:error');
      assert.equal(JSON.parse(error.detail).status, 503);
      assert.ok(!seen.events.some((e) => e.name === 'reset-password:done'), 'nothing reported reset');

      await env.server.start();
      assert.equal((await env.server.bind('erin', SEED_PASSWORDS.erin)).accepted, true, "erin's password is unchanged");
      assert.equal((await env.backend.resetsOf('erin')).count, 0);
      await widget.getByRole('button', { name: 'Retry' }).click();
      assert.equal(await readResultPassword(widget), shown, 'the password the admin saw is the one set');
      const bind = await env.server.bind('erin', shown);
      assert.deepEqual([bind.accepted, bind.mustChange], [true, true], bind.output);
      assert.equal((await env.backend.resetsOf('erin')).count, 1, 'applied once');
      assert.equal(seen.events.filter((e) => e.name === 'reset-password:done').length, 1);
      await context.close();
    });

    test('test-mode user creation refuses clearly: the users live in the directory', async () => {
      const r = await env.backend.asAdmin('POST', '/api/test/users', { id: 'frank', name: 'Frank Ocean', email: 'frank@contoso.test' });
      assert.equal(r.status, 501, r.text);
      assert.equal((await env.backend.asAdmin('GET', '/api/users')).json.some((u) => u.id === 'frank'), false);
    });
  });
}
