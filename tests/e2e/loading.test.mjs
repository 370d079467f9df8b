// The elements exist before the WebAssembly does: defined when the script
// runs, with their real properties, so a framework that sets properties on
// creation (React 19 does when the element has the property) reaches them;
// what is set before the module is ready is kept and used when it mounts.
//
// When the WebAssembly loads (README "Embedding", the `loading` attribute),
// on www/dialog.html: an intranet page with a <reset-password> in a closed
// <dialog>. Before the page's `load` event it downloads reset-widget.js
// only; then the module loads when the browser is idle, or when the dialog
// is opened first; `lazy` waits for the opening, `eager` does not wait.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ADMIN, useBackendAndBrowser } from './harness.mjs';

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
    const busy = element.shadowRoot?.querySelector('[role="status"]');
    return { has, generate, busy: busy?.getAttribute('aria-label'), shadow: element.shadowRoot?.childElementCount,
      earlyOwn: Object.hasOwn(early, 'transport') };
  });
  assert.deepEqual(before.has, { transport: true, users: true }, 'the real properties exist before the WebAssembly');
  assert.match(before.generate, /has not loaded yet; `await ready`/);
  assert.equal(before.shadow, 1, 'only the busy state is rendered while loading');
  assert.equal(before.busy, 'Loading the password reset…');
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

const WIDGET_WASM = 'password-reset-widget_bg.wasm';

/**
 * www/dialog.html, the demo admin signed in. `loading`: the attribute put
 * on its element; `noIdle`: the browser never reports idle time (the admin
 * opens the dialog before it would); `holdWasm`: the dialog's .wasm waits
 * for `release()`. Resolves once the page's `load` event has fired.
 */
async function dialogPage({ loading, noIdle = false, holdWasm = false } = {}) {
  const context = await env.browser.newContext();
  const res = await context.request.post(env.backend.url + '/api/session', {
    data: { userId: DEMO_ADMIN.userId, password: DEMO_ADMIN.password },
  });
  assert.equal(res.status(), 200);
  const page = await context.newPage();
  const wasm = [];
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('.wasm')) wasm.push(new URL(r.url()).pathname.split('/').pop());
  });
  let release = () => {};
  if (holdWasm) {
    const released = new Promise((resolve) => (release = resolve));
    await page.route(`**/${WIDGET_WASM}`, async (route) => {
      await released;
      await route.continue();
    });
  }
  if (noIdle) await page.addInitScript(() => { window.requestIdleCallback = () => 0; });
  const url = env.backend.url + '/dialog.html';
  if (loading) {
    await page.route(url, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace('<reset-password ', `<reset-password loading="${loading}" `);
      await route.fulfill({ response, body });
    });
  }
  await page.goto(url, { waitUntil: 'load' });
  const widget = page.locator('reset-password');
  // The widget's files requested before the `load` event, and when the
  // dialog's .wasm was requested (null: not yet), against that event.
  const timing = () => page.evaluate((name) => {
    const load = performance.getEntriesByType('navigation')[0].loadEventStart;
    const files = performance.getEntriesByType('resource').filter((e) => e.name.includes('/static/reset-widget/'));
    const wasmEntry = files.find((e) => e.name.endsWith(name));
    return {
      beforeLoad: files.filter((e) => e.startTime < load).map((e) => e.name.split('/').pop()),
      wasmAfterLoad: wasmEntry ? wasmEntry.startTime >= load : null,
    };
  }, WIDGET_WASM);
  // Resolves after the browser's next idle periods (after the widget's own
  // idle callback, registered at the `load` event).
  const idle = () => page.evaluate(() => new Promise((resolve) =>
    requestIdleCallback(() => requestIdleCallback(resolve, { timeout: 5000 }), { timeout: 5000 })));
  // (includeHidden: the element may be mounted in the closed dialog.)
  const firstStep = () => widget.getByRole('radio', { name: 'Auto-generate a password', includeHidden: true });
  const open = () => page.getByRole('button', { name: 'Reset password' }).click();
  return { context, page, widget, wasm, errors, release, timing, idle, firstStep, open };
}

test('by default the page loads the script only; the module loads when the browser is idle after load', async () => {
  const p = await dialogPage();
  await p.page.waitForFunction((name) => performance.getEntriesByType('resource').some((e) => e.name.endsWith(name)), WIDGET_WASM);
  const t = await p.timing();
  assert.deepEqual(t.beforeLoad, ['reset-widget.js'], 'only reset-widget.js before the load event');
  assert.equal(t.wasmAfterLoad, true, 'the WebAssembly is requested after the load event');
  // Mounted in the closed dialog: opening it shows the first step at once.
  await p.firstStep().waitFor({ state: 'attached' });
  await p.open();
  await p.firstStep().waitFor({ state: 'visible' });
  assert.deepEqual(p.wasm, [WIDGET_WASM], 'one module load, and no estimator');
  assert.deepEqual(p.errors, []);
  await p.context.close();
});

test('opening the dialog before the browser is idle loads it, with a labelled busy state meanwhile', async () => {
  const p = await dialogPage({ noIdle: true, holdWasm: true });
  assert.deepEqual(p.wasm, [], 'nothing of the WebAssembly at the load event');
  assert.deepEqual((await p.timing()).beforeLoad, ['reset-widget.js']);
  const requested = p.page.waitForRequest((r) => r.url().endsWith(WIDGET_WASM));
  await p.open();
  await requested;
  const busy = p.widget.getByRole('status', { name: 'Loading the password reset…' });
  await busy.waitFor();
  const dialogHeight = () => p.page.locator('#reset-dialog').evaluate((d) => d.getBoundingClientRect().height);
  const busyHeight = await dialogHeight();
  p.release();
  await p.firstStep().waitFor();
  assert.equal(await busy.count(), 0, 'the busy state is gone');
  const stepHeight = await dialogHeight();
  // The busy state holds the first step's place: the dialog does not jump.
  assert.ok(Math.abs(stepHeight - busyHeight) <= 0.1 * stepHeight,
    `dialog ${busyHeight}px while loading, ${stepHeight}px with the first step`);
  assert.deepEqual(p.wasm, [WIDGET_WASM]);
  assert.deepEqual(p.errors, []);
  await p.context.close();
});

test('loading="lazy" waits for the element to be shown, idle or not', async () => {
  const p = await dialogPage({ loading: 'lazy' });
  await p.idle();
  assert.deepEqual(p.wasm, [], 'not loaded while the dialog is closed');
  const requested = p.page.waitForRequest((r) => r.url().endsWith(WIDGET_WASM));
  await p.open();
  await requested;
  await p.firstStep().waitFor();
  assert.equal((await p.timing()).wasmAfterLoad, true);
  assert.deepEqual(p.errors, []);
  await p.context.close();
});

test('loading="eager" loads at once, once for every element', async () => {
  const p = await dialogPage({ loading: 'eager' });
  await p.firstStep().waitFor({ state: 'attached' });
  const t = await p.timing();
  assert.equal(t.wasmAfterLoad, false, 'requested before the load event');
  await p.page.evaluate(() => {
    const more = document.createElement('reset-password');
    more.setAttribute('loading', 'eager');
    more.setAttribute('user-id', 'u-1043');
    more.setAttribute('endpoint', '/api/password-resets');
    document.body.append(more);
  });
  await p.page.locator('reset-password[user-id="u-1043"]').getByRole('radio', { name: 'Auto-generate a password' }).waitFor();
  assert.deepEqual(p.wasm, [WIDGET_WASM], 'one module load for two elements');
  assert.deepEqual(p.errors, []);
  await p.context.close();
});

test('the JavaScript API asks for the load: awaiting ready, or generatePassword', async () => {
  for (const call of ['ready', 'generatePassword']) {
    const p = await dialogPage({ loading: 'lazy' });
    await p.idle();
    assert.deepEqual(p.wasm, [], call);
    const requested = p.page.waitForRequest((r) => r.url().endsWith(WIDGET_WASM));
    // generatePassword throws (not loaded yet) but asks for the load: the
    // request comes before anyone awaits `ready`.
    const thrown = await p.page.evaluate(async (call) => {
      const m = await import('/static/reset-widget/reset-widget.js');
      if (call === 'ready') {
        await m.ready;
        return null;
      }
      try {
        m.generatePassword();
        return 'no error';
      } catch (e) {
        return e.message;
      }
    }, call);
    await requested;
    if (call === 'generatePassword') assert.match(thrown, /has not loaded yet/);
    const length = await p.page.evaluate(async () => {
      const m = await import('/static/reset-widget/reset-widget.js');
      await m.ready;
      return m.generatePassword().password.length;
    });
    assert.equal(length, 16, call);
    assert.deepEqual(p.wasm, [WIDGET_WASM], call);
    await p.context.close();
  }
});
