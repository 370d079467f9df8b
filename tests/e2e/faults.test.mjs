// A reset is never lost or applied twice: the dialog under injected faults,
// against the real backend (started with --test-mode).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBackend, openPage, openDialogFor, leakSurface, readResultPassword, useBackendAndBrowser } from './harness.mjs';

const env = useBackendAndBrowser();


/** Opens the dialog, reveals and reads the generated password, goes to the Delivery step. */
async function toDelivery(page, userId) {
  const widget = await openDialogFor(page, userId);
  await widget.getByRole('button', { name: 'Show password' }).click();
  const password = await widget.getByLabel('New password').inputValue();
  await widget.getByRole('button', { name: 'Hide password' }).click();
  assert.equal(await widget.getByLabel('New password').getAttribute('type'), 'password', 'Hide password masks it again');
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Next' }).click();
  return { widget, password };
}

/** Counts the POSTs the page sends to the reset endpoint. */
function countResetPosts(page) {
  const posts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/password-resets')) posts.push(r.headers()['idempotency-key']);
  });
  return posts;
}

async function assertClean(page, seen, password) {
  const surface = await leakSurface(page, seen);
  assert.ok(!surface.includes(password), 'the password leaked into the URL, console, storage or an event');
  assert.ok(!env.backend.log().includes(password), "the password leaked into the backend's log");
}

test('a dropped response after the reset was applied: Retry returns the stored success, one reset', async () => {
  const { page, context, seen } = await openPage(env.browser, env.backend.url + '/');
  const posts = countResetPosts(page);
  const before = (await env.backend.resetsOf('u-1042')).count;
  const { widget, password } = await toDelivery(page, 'u-1042');
  await env.backend.arm({ fault: 'drop-response', times: 1 });
  await widget.getByRole('button', { name: 'Reset password' }).click();
  const alert = widget.getByRole('alert');
  await alert.getByText("The server couldn't be reached.").waitFor();
  await alert.getByText('The reset may or may not have happened.', { exact: false }).waitFor();
  // The password is frozen: it cannot be regenerated while the outcome is unknown.
  await widget.getByRole('button', { name: 'Back' }).click();
  await widget.getByRole('button', { name: 'Back' }).click();
  assert.equal(await widget.getByRole('button', { name: 'Generate another password' }).isDisabled(), true);
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Retry' }).click();

  assert.equal(await readResultPassword(widget), password);
  assert.equal(posts.length, 2);
  assert.equal(posts[0], posts[1], 'the retry carries the same Idempotency-Key');
  const after = await env.backend.resetsOf('u-1042');
  assert.equal(after.count, before + 1, 'exactly one reset');
  assert.equal(after.keys.filter((k) => k === posts[0]).length, 1);
  assert.equal((await env.backend.signIn('u-1042', password)).status, 200);
  await assertClean(page, seen, password);
  await context.close();
});

test('a double click on Reset sends one request and resets once', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const posts = countResetPosts(page);
  const before = (await env.backend.resetsOf('u-1043')).count;
  const { widget } = await toDelivery(page, 'u-1043');
  await env.backend.arm({ fault: 'delay', ms: 600, times: 1 });
  await widget.getByRole('button', { name: 'Reset password' }).dblclick();
  await readResultPassword(widget);
  assert.equal(posts.length, 1);
  assert.equal((await env.backend.resetsOf('u-1043')).count, before + 1);
  await context.close();
});

test('503 with Retry-After: 2 counts down, then Retry succeeds', async () => {
  const { page, context, seen } = await openPage(env.browser, env.backend.url + '/');
  const { widget, password } = await toDelivery(page, 'u-1044');
  await env.backend.arm({ fault: 'status', status: 503, retryAfter: 2, times: 1 });
  await widget.getByRole('button', { name: 'Reset password' }).click();
  const waiting = widget.getByRole('button', { name: 'Retry in 2 s' });
  await waiting.waitFor();
  assert.equal(await waiting.isDisabled(), true);
  const lastSecond = widget.getByRole('button', { name: 'Retry in 1 s' });
  await lastSecond.waitFor();
  assert.equal(await lastSecond.isDisabled(), true);
  const retry = widget.getByRole('button', { name: 'Retry', exact: true });
  await retry.waitFor({ timeout: 5000 });
  await retry.click();
  assert.equal(await readResultPassword(widget), password);
  await assertClean(page, seen, password);
  await context.close();
});

test('429 says so and keeps the password', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const { widget, password } = await toDelivery(page, 'u-1045');
  await env.backend.arm({ fault: 'status', status: 429, retryAfter: 1, times: 1 });
  await widget.getByRole('button', { name: 'Reset password' }).click();
  await widget.getByRole('alert').getByText('The reset may or may not have happened.', { exact: false }).waitFor();
  await widget.getByRole('button', { name: 'Retry', exact: true }).click({ timeout: 5000 });
  assert.equal(await readResultPassword(widget), password);
  await context.close();
});

test('a timeout says so; the retry replays the stored answer', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const before = (await env.backend.resetsOf('u-1046')).count;
  const widget = await openDialogFor(page, 'u-1046');
  await widget.evaluate((el) => el.setAttribute('timeout-ms', '1500'));
  await widget.getByRole('button', { name: 'Show password' }).click();
  const password = await widget.getByLabel('New password').inputValue();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Next' }).click();
  await env.backend.arm({ fault: 'delay', ms: 3000, times: 1 });
  await widget.getByRole('button', { name: 'Reset password' }).click();
  await widget.getByRole('alert').getByText("The server didn't answer in time.").waitFor();
  // No waiting for the delayed request: the server drops it when the page
  // gives up on it (it is never applied), and were it still running, the
  // key check in the reset's transaction would make whichever of the two
  // comes second a replay. One reset either way (below).
  await widget.getByRole('button', { name: 'Retry', exact: true }).click();
  assert.equal(await readResultPassword(widget), password);
  assert.equal((await env.backend.resetsOf('u-1046')).count, before + 1);
  await context.close();
});

test('an HTML answer is a backend error, never a crash', async () => {
  const { page, context, seen } = await openPage(env.browser, env.backend.url + '/');
  const { widget, password } = await toDelivery(page, 'u-1042');
  await env.backend.arm({ fault: 'html', times: 1 });
  await widget.getByRole('button', { name: 'Reset password' }).click();
  await widget.getByRole('alert').getByText("The server sent an answer the widget doesn't understand (HTTP 200).").waitFor();
  await widget.getByRole('button', { name: 'Retry', exact: true }).click();
  assert.equal(await readResultPassword(widget), password);
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test("a field error from the backend is shown at its field; the corrected request is a new one (a new key)", async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const posts = countResetPosts(page);
  const { widget } = await toDelivery(page, 'u-1043');
  // 21 valid addresses: the widget accepts them, the reference backend allows 20.
  const many = Array.from({ length: 21 }, (_, i) => `it${i}@contoso.com`).join(', ');
  await widget.getByLabel('Email the new password to').fill(many);
  await widget.getByRole('button', { name: 'Reset password' }).click();
  const field = widget.getByLabel('Email the new password to');
  await page.waitForFunction((el) => el.getAttribute('aria-invalid') === 'true', await field.elementHandle());
  await widget.getByRole('alert').getByText('Nothing was reset.').waitFor();
  await field.fill('adele@contoso.com');
  await widget.getByRole('button', { name: 'Reset password' }).click();
  await readResultPassword(widget);
  assert.equal(posts.length, 2);
  assert.notEqual(posts[0], posts[1], 'the changed recipients made a new Idempotency-Key');
  await context.close();
});

test('a JavaScript transport that throws is a network failure, and a malformed answer a bad response; neither loses the password', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  await page.waitForFunction(() => customElements.get('reset-password'));
  await page.evaluate(() => {
    const el = document.createElement('reset-password');
    el.id = 'flaky-transport';
    el.setAttribute('user-id', 'u-2003');
    window.__answers = [
      () => { throw new Error('the bus is down'); },
      () => ({ status: 200, body: { surprise: true } }),
      () => ({ status: 200, body: { results: [{ userId: 'u-2003', status: 'reset' }], delivery: { status: 'queued' } } }),
    ];
    window.__sent = [];
    el.transport = async (request) => {
      window.__sent.push([request.idempotencyKey, request.body.resets[0].password]);
      return window.__answers.shift()();
    };
    document.body.append(el);
  });
  const widget = page.locator('#flaky-transport');
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Reset password' }).click();
  await widget.getByRole('alert').getByText("The server couldn't be reached.").waitFor();
  await widget.getByRole('button', { name: 'Retry', exact: true }).click();
  await widget.getByRole('alert').getByText("The server sent an answer the widget doesn't understand (HTTP 200).").waitFor();
  await widget.getByRole('button', { name: 'Retry', exact: true }).click();
  const password = await readResultPassword(widget);
  const sent = await page.evaluate(() => window.__sent);
  assert.equal(sent.length, 3);
  assert.ok(sent.every(([key, pw]) => key === sent[0][0] && pw === password), 'each retry: the same key and password');
  await context.close();
});

test('an expired session says so and loses nothing; Retry after signing in again works', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const { widget, password } = await toDelivery(page, 'u-1044');
  await page.request.delete(env.backend.url + '/api/session');
  await widget.getByRole('button', { name: 'Reset password' }).click();
  await widget.getByRole('alert').getByText('Sign in again in another tab', { exact: false }).waitFor();
  assert.equal(await widget.getByLabel('Email the new password to').inputValue(), 'adele@contoso.com');
  assert.notEqual((await env.backend.signIn('u-1044', password)).status, 200, 'nothing was reset');
  // Signing in again gives a new CSRF token; the page hands it to the widget,
  // which reads its headers for every request and keeps its state.
  const session = await page.request.post(env.backend.url + '/api/session', { data: { userId: 'u-1001', password: 'Contoso-Admin-Demo-2026' } });
  const { csrfToken } = await session.json();
  await widget.evaluate((el, token) => el.setAttribute('headers', JSON.stringify({ 'X-CSRF-Token': token })), csrfToken);
  await widget.getByRole('button', { name: 'Retry', exact: true }).click();
  assert.equal(await readResultPassword(widget), password, 'the same password, state kept');
  assert.equal((await env.backend.signIn('u-1044', password)).status, 200);
  await context.close();
});

test('a refused request (403: a CSRF token that does not fit) says so and keeps the password; Retry with the right token works', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const before = (await env.backend.resetsOf('u-1042')).count;
  const { widget, password } = await toDelivery(page, 'u-1042');
  const rightHeaders = await widget.getAttribute('headers');
  await widget.evaluate((el) => el.setAttribute('headers', JSON.stringify({ 'X-CSRF-Token': 'not-the-token' })));
  await widget.getByRole('button', { name: 'Reset password' }).click();
  await widget.getByRole('alert').getByText("You don't have the right to reset this password", { exact: false }).waitFor();
  assert.equal((await env.backend.resetsOf('u-1042')).count, before, 'nothing was reset');
  assert.notEqual((await env.backend.signIn('u-1042', password)).status, 200);
  await widget.evaluate((el, headers) => el.setAttribute('headers', headers), rightHeaders);
  await widget.getByRole('button', { name: 'Retry', exact: true }).click();
  assert.equal(await readResultPassword(widget), password, 'the same password, state kept');
  assert.equal((await env.backend.signIn('u-1042', password)).status, 200);
  await context.close();
});

test('credentials="omit" sends no session cookie (401, nothing reset); the default sends it', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const before = (await env.backend.resetsOf('u-1043')).count;
  const { widget, password } = await toDelivery(page, 'u-1043');
  const sent = []; // the request headers as sent, cookies included
  page.on('request', (r) => {
    if (r.url().endsWith('/api/password-resets')) sent.push(r.allHeaders());
  });
  await widget.evaluate((el) => el.setAttribute('credentials', 'omit'));
  await widget.getByRole('button', { name: 'Reset password' }).click();
  await widget.getByRole('alert').getByText('Sign in again in another tab', { exact: false }).waitFor();
  assert.equal((await env.backend.resetsOf('u-1043')).count, before, 'nothing was reset');
  await widget.evaluate((el) => el.removeAttribute('credentials'));
  await widget.getByRole('button', { name: 'Retry', exact: true }).click();
  assert.equal(await readResultPassword(widget), password);
  const cookies = (await Promise.all(sent)).map((h) => h.cookie ?? '');
  assert.equal(cookies.length, 2);
  assert.ok(!cookies[0].includes('reset_session='), 'omit: no cookie');
  assert.ok(cookies[1].includes('reset_session='), 'default: the session cookie');
  await context.close();
});

test('a Retry-After given as an HTTP date counts down too, and Retry sends the same key', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  await page.waitForFunction(() => customElements.get('reset-password'));
  await page.evaluate(() => {
    const el = document.createElement('reset-password');
    el.id = 'busy-transport';
    el.setAttribute('user-id', 'u-2002');
    window.__keys = [];
    el.transport = async (request) => {
      window.__keys.push(request.headers['Idempotency-Key']);
      if (window.__keys.length === 1) {
        // Four seconds from now, to the second (an HTTP date has no fractions).
        const until = new Date(Date.now() + 4000).toUTCString();
        return { status: 503, headers: { 'Retry-After': until }, body: { title: 'Busy', status: 503 } };
      }
      return { status: 200, body: { results: [{ userId: 'u-2002', status: 'reset' }], delivery: { status: 'queued' } } };
    };
    document.body.append(el);
  });
  const widget = page.locator('#busy-transport');
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Reset password' }).click();
  const waiting = widget.getByRole('button', { name: /Retry in [234] s/ });
  await waiting.waitFor();
  assert.equal(await waiting.isDisabled(), true);
  const retry = widget.getByRole('button', { name: 'Retry', exact: true });
  await retry.waitFor({ timeout: 6000 });
  await retry.click();
  await readResultPassword(widget);
  const keys = await page.evaluate(() => window.__keys);
  assert.equal(keys.length, 2);
  assert.equal(keys[0], keys[1], 'the retry carries the same Idempotency-Key');
  await context.close();
});

test('a 409 "request in progress" is sent again by itself with the same key, never shown as a failure (JavaScript transport)', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  await page.waitForFunction(() => customElements.get('reset-password'));
  await page.evaluate(() => {
    const el = document.createElement('reset-password');
    el.id = 'in-progress-transport';
    el.setAttribute('user-id', 'u-2003');
    window.__keys = [];
    window.__errors = [];
    el.addEventListener('reset-password:error', (e) => window.__errors.push(e.detail));
    el.transport = async (request) => {
      window.__keys.push(request.headers['Idempotency-Key']);
      if (window.__keys.length <= 2) {
        // The first with Retry-After: 1, the second without (a second by default).
        const headers = window.__keys.length === 1 ? { 'Retry-After': '1' } : {};
        const body = { type: '/problems/request-in-progress', title: 'Request in progress', status: 409, detail: 'Still running.' };
        return { status: 409, headers, body };
      }
      return { status: 200, body: { results: [{ userId: 'u-2003', status: 'reset' }], delivery: { status: 'queued' } } };
    };
    document.body.append(el);
  });
  const widget = page.locator('#in-progress-transport');
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Reset password' }).click();
  // Meanwhile the dialog is busy, not failed.
  await page.waitForFunction(() => window.__keys.length >= 2);
  assert.equal(await widget.getByRole('alert').count(), 0, 'no failure shown');
  assert.equal(await widget.getByRole('button', { name: 'Resetting…' }).isDisabled(), true);
  await readResultPassword(widget);
  const keys = await page.evaluate(() => window.__keys);
  assert.equal(keys.length, 3);
  assert.ok(keys.every((k) => k === keys[0]), 'every attempt carries the same Idempotency-Key');
  assert.deepEqual(await page.evaluate(() => window.__errors), [], 'no error event');
  await context.close();
});

test('a transport set on a working dialog is used by its next request and keeps its state', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const { widget, password } = await toDelivery(page, 'u-1045');
  await widget.evaluate((el) => {
    window.__viaTransport = [];
    el.transport = async (request) => {
      window.__viaTransport.push(request.body.resets[0].password);
      return { status: 200, body: { results: [{ userId: 'u-1045', status: 'reset' }], delivery: { status: 'queued' } } };
    };
  });
  // Still on the delivery step with the same password: the dialog was not started again.
  await widget.getByRole('button', { name: 'Reset password' }).click();
  assert.equal(await readResultPassword(widget), password);
  assert.deepEqual(await page.evaluate(() => window.__viaTransport), [password]);
  await context.close();
});

test('the JavaScript transport completes a reset without any HTTP request to the endpoint', async () => {
  const { page, context, seen } = await openPage(env.browser, env.backend.url + '/');
  await page.waitForFunction(() => customElements.get('reset-password'));
  await page.evaluate(() => {
    const el = document.createElement('reset-password');
    el.id = 'js-transport';
    el.setAttribute('user-id', 'u-2001');
    el.setAttribute('user-name', 'Pat Transport');
    window.__transportRequests = [];
    el.transport = async (request) => {
      window.__transportRequests.push(request);
      return { status: 200, body: { results: [{ userId: request.body.resets[0].userId, status: 'reset' }], delivery: { status: 'queued', detail: 'Handed to the message bus.' } } };
    };
    document.body.append(el);
  });
  const widget = page.locator('#js-transport');
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Reset password' }).click();
  const password = await readResultPassword(widget);
  await widget.getByText('Handed to the message bus.', { exact: false }).waitFor();
  const requests = await page.evaluate(() => window.__transportRequests.map((r) => ({ ...r, body: r.body })));
  assert.equal(requests.length, 1);
  assert.equal(requests[0].method, 'POST');
  assert.match(requests[0].headers['Idempotency-Key'], /^[0-9a-f-]{36}$/);
  assert.equal(requests[0].body.resets[0].password, password, 'the transport carried the password');
  assert.equal(requests[0].body.passwordSource, 'generated');
  assert.ok(!seen.urls.some((u) => u.includes('/api/password-resets')), 'no HTTP request to an endpoint');
  await context.close();
});

test('connection refused (the backend stopped) keeps the dialog; Retry after it is back succeeds', async () => {
  // A backend of its own, so stopping it leaves the others' alone.
  let own = await startBackend();
  const { page, context, seen } = await openPage(env.browser, own.url + '/');
  const { widget, password } = await toDelivery(page, 'u-1045');
  const addr = new URL(own.url).host;
  const dir = own.dir;
  await own.stop({ keepData: true });
  await widget.getByRole('button', { name: 'Reset password' }).click();
  await widget.getByRole('alert').getByText("The server couldn't be reached.").waitFor();
  await widget.getByRole('alert').getByText('The reset may or may not have happened.', { exact: false }).waitFor();
  own = await startBackend({ addr, dir });
  try {
    await widget.getByRole('button', { name: 'Retry', exact: true }).click();
    assert.equal(await readResultPassword(widget), password);
    assert.equal((await own.signIn('u-1045', password)).status, 200);
    const surface = await leakSurface(page, seen);
    assert.ok(!surface.includes(password));
  } finally {
    await context.close();
    await own.stop();
  }
});

test('the demo page with a JavaScript transport completes a reset', async () => {
  const { page, context, seen } = await openPage(env.browser, env.backend.url + '/transport.html');
  const widget = page.locator('#via-transport');
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Reset password' }).click();
  const password = await readResultPassword(widget);
  await page.getByText('The backend answered 200.').waitFor();
  assert.equal((await env.backend.signIn('u-1044', password)).status, 200);
  assert.ok(!(await leakSurface(page, seen)).includes(password));
  await context.close();
});

test('an http: endpoint is refused on a page that is not on localhost', async () => {
  // intranet.test resolves to this machine, but the page is not "localhost".
  const { chromium } = await import('playwright-core');
  const port = new URL(env.backend.url).port;
  const other = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP intranet.test 127.0.0.1',
      // The name maps to loopback; let this insecure test page reach it.
      '--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,LocalNetworkAccessChecks'],
  });
  try {
    // A bare host page (the demo's pages need a session, which Node cannot get for this host name).
    const { page, seen } = await openPage(other, `http://intranet.test:${port}/bare.html`, {
      signIn: false,
      route: (r) => r.fulfill({ contentType: 'text/html',
        body: '<!doctype html><title>Bare</title><script type="module" src="/static/reset-widget/reset-widget.js"></script>' }),
    });
    await page.waitForFunction(() => customElements.get('reset-password'));
    await page.evaluate(() => {
      const el = document.createElement('reset-password');
      el.id = 'plain-http';
      el.setAttribute('endpoint', '/api/password-resets');
      el.setAttribute('user-id', 'u-1042');
      document.body.append(el);
    });
    await page.locator('#plain-http').getByText('passwords are sent only over HTTPS', { exact: false }).waitFor();
    assert.ok(seen.console.some((m) => m.startsWith('error:') && m.includes('HTTPS')));
  } finally {
    await other.close();
  }
});
