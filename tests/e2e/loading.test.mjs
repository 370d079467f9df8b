// The elements exist before the WebAssembly does: defined when the script
// runs, with their real properties, so a framework that sets properties on
// creation (React 19 does when the element has the property) reaches them;
// what is set before the module is ready is kept and used when it mounts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBackendAndBrowser } from './harness.mjs';

const env = useBackendAndBrowser();

test('elements are defined before the WebAssembly loads, and what is set meanwhile is kept', async () => {
  // The dialog's .wasm is held back until the test lets it through.
  let release;
  const released = new Promise((resolve) => (release = resolve));
  let held = 0;
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const seen = { errors: [] };
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  await page.route('**/password-reset-widget_bg.wasm', async (route) => {
    held += 1;
    await released;
    await route.continue();
  });
  const url = env.backend.url + '/loading-test.html';
  await page.route(url, (route) => route.fulfill({
    contentType: 'text/html',
    // No endpoint: only the transport set before the module is ready lets
    // the dialogs start. The first is set before the element is defined.
    body: `<!doctype html><html lang="en"><body>
      <recover-password id="early"></recover-password>
      <script>
        window.__answer = async () => ({ status: 200, body: {} });
        document.getElementById('early').transport = window.__answer;
      </script>
      <script type="module" src="/static/reset-widget/reset-widget.js"></script>
    </body></html>`,
  }));
  await page.goto(url);
  await page.waitForFunction(() => customElements.get('reset-password') && customElements.get('recover-password'));
  const before = await page.evaluate(async () => {
    const element = document.createElement('reset-password');
    const has = { transport: 'transport' in element, users: 'users' in element };
    element.setAttribute('user-id', 'u-1042');
    element.setAttribute('user-name', 'Diane Prescott');
    element.transport = window.__answer;
    element.users = null;
    document.body.append(element);
    const m = await import('/static/reset-widget/reset-widget.js');
    let generate;
    try {
      m.generatePassword();
      generate = 'no error';
    } catch (e) {
      generate = e.message;
    }
    const early = document.getElementById('early');
    return { has, generate, shadow: element.shadowRoot?.childElementCount, earlyOwn: Object.hasOwn(early, 'transport') };
  });
  assert.deepEqual(before.has, { transport: true, users: true }, 'the real properties exist before the WebAssembly');
  assert.match(before.generate, /has not loaded yet; `await ready`/);
  assert.equal(before.shadow, 0, 'nothing is rendered while loading');
  assert.equal(before.earlyOwn, false, 'a property set before the definition reaches the setter');
  assert.ok(held >= 1, 'the WebAssembly was held back');
  release();
  // Mounted with the transport set before: the dialogs start, no "endpoint" error.
  await page.locator('reset-password').getByRole('radio', { name: 'Auto-generate a password' }).waitFor();
  assert.equal(await page.locator('reset-password').getByRole('alert').count(), 0);
  await page.locator('#early').getByRole('textbox').first().waitFor();
  assert.equal(await page.locator('#early').getByRole('alert').count(), 0);
  assert.equal(await page.evaluate(async () => {
    const m = await import('/static/reset-widget/reset-widget.js');
    await m.ready;
    return m.generatePassword().password.length;
  }), 16);
  assert.deepEqual(seen.errors, []);
  await context.close();
});
