// End-to-end harness: the real reference backend (its own SQLite file in a
// temporary folder, on a free port) serving the built dist/ and www/, and
// real Chromium driven by Playwright.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');
export const BACKEND_BIN = process.env.RESET_BACKEND_BIN || join(ROOT, 'target/server/reset-backend');

/**
 * The demo administrator a fresh database is seeded with. The password is
 * the backend's public demo default (`--admin-password` / `ADMIN_PASSWORD`
 * change it), shown on the sample's sign-in page.
 */
export const DEMO_ADMIN = Object.freeze({
  userId: 'u-1001',
  password: 'Contoso-Admin-Demo-2026',
  name: 'Adele Vance',
  email: 'adele@contoso.com',
});

/** The session cookie's name and the header the reset endpoint wants the CSRF token in. */
export const SESSION_COOKIE = 'reset_session';
export const CSRF_HEADER = 'X-CSRF-Token';

/**
 * Starts the backend; resolves once it printed its address. `www` is the
 * folder served at `/`; `extraArgs` are more command-line flags (e.g.
 * `['--sign-in-limit', '3']`). `admin` is the administrator `asAdmin` signs
 * in as: the demo admin, or with an LDAP directory one of its users.
 */
export async function startBackend({ testMode = true, env = {}, www = join(ROOT, 'www'), extraArgs = [], addr = '127.0.0.1:0', dir, admin: adminUser = DEMO_ADMIN } = {}) {
  // `addr` and `dir` let a test start the same backend again (same port, same database).
  const ownDir = !dir;
  dir ??= mkdtempSync(join(tmpdir(), 'reset-e2e-'));
  const args = ['--addr', addr, '--db', join(dir, 'e2e.sqlite'), '--www', www, '--dist', join(ROOT, 'dist')];
  if (testMode) args.push('--test-mode');
  // The demo's policy, as `make demo` starts it: the organisation's words and banned list.
  args.push('--policy-context-words', 'Contoso', '--policy-blocklist', join(ROOT, 'www/banned-passwords.txt'));
  args.push(...extraArgs);
  const child = spawn(BACKEND_BIN, args, { cwd: ROOT, env: { ...process.env, RUST_LOG: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`backend did not start:\n${log}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      log += chunk;
      const m = /Listening on (http:\/\/\S+?)\/?$/m.exec(log);
      if (m) { clearTimeout(timer); resolveUrl(m[1]); }
    });
    child.stderr.on('data', (chunk) => { log += chunk; });
    child.on('exit', (code) => reject(new Error(`backend exited with ${code}:\n${log}`)));
  });
  // The demo admin's session for Node-side calls: made once, on first use
  // (and again should it have ended, e.g. after a restart).
  let admin = null;
  return {
    url,
    dir,
    /** `{ userId, password }` of the administrator `asAdmin` acts as. */
    admin: adminUser,
    log: () => log,
    /** Stops the server; `keepData` keeps its database for a restart. */
    async stop({ keepData = false } = {}) {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
      if (ownDir && !keepData) rmSync(dir, { recursive: true, force: true });
    },
    /**
     * A JSON request from Node. `headers` are added as given: pass a
     * session's `{ cookie, 'X-CSRF-Token': csrfToken }` (see
     * `sessionHeaders`) to act as a signed-in user.
     */
    async api(method, path, body, headers = {}) {
      const res = await fetch(url + path, {
        method,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      let json = null;
      try { json = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, json, text, headers: res.headers };
    },
    /**
     * `api` as the admin (`admin`, the demo admin by default): its session
     * cookie and CSRF token, from a session this backend object signs in
     * once. The outbox, the directory and the test-mode endpoints need it.
     */
    async asAdmin(method, path, body, headers = {}) {
      admin ??= startSession(this, adminUser.userId, adminUser.password);
      let r = await this.api(method, path, body, { ...sessionHeaders(await admin), ...headers });
      if (r.status === 401) {
        admin = startSession(this, adminUser.userId, adminUser.password);
        r = await this.api(method, path, body, { ...sessionHeaders(await admin), ...headers });
      }
      return r;
    },
    /** `POST /api/sign-in`: does `password` work for `userId`? (200 or 401, ...) */
    signIn(userId, password) {
      return this.api('POST', '/api/sign-in', { userId, password });
    },
    /** `--test-mode` only (as the admin): how often `userId` was reset, and under which keys. */
    async resetsOf(userId) {
      const r = await this.asAdmin('GET', `/api/test/resets?userId=${encodeURIComponent(userId)}`);
      if (r.status !== 200) throw new Error(`reading the resets of ${userId} answered ${r.status}: ${r.text}`);
      return r.json;
    },
    /** `--test-mode` only (as the admin): arms a fault for the next reset requests. */
    async arm(fault) {
      const r = await this.asAdmin('POST', '/api/test/faults', fault);
      if (r.status >= 300) throw new Error(`arming ${JSON.stringify(fault)} answered ${r.status}: ${r.text}`);
      return r;
    },
  };
}

/**
 * Signs a user in through `POST /api/session` from Node. Resolves to
 * `{ cookie, csrfToken, session }` (`cookie` is `reset_session=…`, ready
 * for a `Cookie` header); rejects with the answer when it is not a 200.
 */
export async function startSession(backend, userId, password) {
  const res = await fetch(backend.url + '/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, password }),
  });
  const text = await res.text();
  if (res.status !== 200) {
    throw new Error(`sign-in of ${userId} answered ${res.status}: ${text}`);
  }
  const pair = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith(SESSION_COOKIE + '='));
  if (!pair) throw new Error('no session cookie in the answer');
  const session = JSON.parse(text);
  return { cookie: pair, csrfToken: session.csrfToken, session };
}

/** The demo admin's session for Node-side `fetch` calls: `{ cookie, csrfToken, session }`. */
export function adminSession(backend) {
  return startSession(backend, DEMO_ADMIN.userId, DEMO_ADMIN.password);
}

/** Request headers acting as that session: the cookie and the CSRF token. */
export function sessionHeaders({ cookie, csrfToken }) {
  return { cookie, [CSRF_HEADER]: csrfToken };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/**
 * A page that records what a password must never reach: console messages,
 * every URL requested, and the widget's event details.
 *
 * With `signIn` (the default) the demo admin (or the `{ userId, password }`
 * given) is signed in first, through the context's request API, which
 * shares its cookies with the page: the sample page then finds a session
 * instead of sending you to sign in. Other options (e.g. `acceptDownloads`)
 * go to `browser.newContext`.
 */
export async function openPage(browser, url, { signIn = true, route, ...contextOptions } = {}) {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'], ...contextOptions });
  if (signIn) {
    const { userId, password } = signIn === true ? DEMO_ADMIN : signIn;
    const res = await context.request.post(new URL('/api/session', url).href, { data: { userId, password } });
    if (res.status() !== 200) {
      throw new Error(`signing ${userId} in answered ${res.status()}: ${await res.text()}`);
    }
  }
  const page = await context.newPage();
  const seen = { console: [], urls: [], events: [], errors: [] };
  page.on('console', (m) => seen.console.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('request', (r) => seen.urls.push(r.url()));
  await page.exposeFunction('__recordWidgetEvent', (name, detail) => seen.events.push({ name, detail }));
  await page.addInitScript(() => {
    for (const name of ['reset-password:done', 'reset-password:error', 'reset-password:strength',
      'change-password:done', 'change-password:error', 'change-password:strength',
      'recover-password:done', 'recover-password:error', 'recover-password:strength']) {
      document.addEventListener(name, (e) => window.__recordWidgetEvent(name, JSON.stringify(e.detail)));
    }
    // Content-Security-Policy violations, from the page, its shadow roots and its workers' loading.
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__recordWidgetEvent('csp-violation', `${e.violatedDirective} ${e.blockedURI}`));
  });
  // `route`: a handler for the page's own URL (e.g. to serve it with another header).
  if (route) await page.route(url, route);
  await page.goto(url);
  return { page, context, seen };
}

/** Opens the sample page's dialog for a user (by the row's Reset password button). */
export async function openDialogFor(page, userId) {
  const row = page.locator('tr', { has: page.locator(`text=${userId}`) });
  await row.getByRole('button', { name: /reset password/i }).click();
  const widget = page.locator(`reset-password[user-id="${userId}"]`);
  await widget.getByRole('radio', { name: 'Auto-generate a password' }).waitFor();
  return widget;
}

/**
 * An administrator (the demo admin, or `admin`: `{ userId, password }`)
 * resets `userId` on the sample page with a generated password and "require
 * change" (the dialog's defaults), in a context of its own; resolves to the
 * temporary password the result view shows.
 */
export async function resetInDialog(browser, url, userId, { admin = true } = {}) {
  const { page, context } = await openPage(browser, url + '/', { signIn: admin });
  const widget = await openDialogFor(page, userId);
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Reset password' }).click();
  const password = await readResultPassword(widget);
  await context.close();
  return password;
}

/** Signs `userId` in on the sample site's sign-in page, in a fresh context; what `openPage` resolves to. */
export async function signInOnSite(browser, url, userId, password, contextOptions = {}) {
  const opened = await openPage(browser, url + '/sign-in.html', { signIn: false, ...contextOptions });
  await opened.page.getByLabel('User id').fill(userId);
  await opened.page.getByLabel('Password').fill(password);
  await opened.page.getByRole('button', { name: 'Sign in' }).click();
  return opened;
}

/** Everything a password must not appear in, as one string. */
export async function leakSurface(page, seen) {
  const storage = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
  return [page.url(), ...seen.urls, ...seen.console, ...seen.errors, storage, ...seen.events.map((e) => e.detail)].join('\n');
}

/**
 * Reads the password shown in the result view. It must be masked until
 * revealed: the field is `type=password` until Show password, `text` after.
 */
export async function readResultPassword(widget) {
  await widget.getByRole('heading', { name: 'Password reset' }).waitFor();
  const field = widget.getByLabel('New password');
  assert.equal(await field.getAttribute('type'), 'password', 'the new password is hidden until revealed');
  await widget.getByRole('button', { name: 'Show password' }).click();
  assert.equal(await field.getAttribute('type'), 'text', 'Show password reveals it');
  return field.inputValue();
}

/**
 * One backend and one browser for a test file: started before its tests,
 * stopped after them. Read `env.backend` and `env.browser` inside tests.
 */
export function useBackendAndBrowser(backendOptions = {}, { beforeStart } = {}) {
  const env = {};
  before(async () => {
    await beforeStart?.();
    env.backend = await startBackend(backendOptions);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.backend?.stop();
  });
  return env;
}
