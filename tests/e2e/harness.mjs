// End-to-end harness: the real reference backend (its own SQLite file in a
// temporary folder, on a free port) serving the built dist/ and www/, and
// real Chromium driven by Playwright.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');
export const BACKEND_BIN = process.env.RESET_BACKEND_BIN || join(ROOT, 'target/server/reset-backend');

/** Starts the backend; resolves once it printed its address. `www` is the folder served at `/`. */
export async function startBackend({ testMode = true, env = {}, www = join(ROOT, 'www') } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'reset-e2e-'));
  const args = ['--addr', '127.0.0.1:0', '--db', join(dir, 'e2e.sqlite'), '--www', www, '--dist', join(ROOT, 'dist')];
  if (testMode) args.push('--test-mode');
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
  return {
    url,
    log: () => log,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
    async api(method, path, body) {
      const res = await fetch(url + path, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      let json = null;
      try { json = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, json, text };
    },
  };
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
 */
export async function openPage(browser, url) {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const seen = { console: [], urls: [], events: [], errors: [] };
  page.on('console', (m) => seen.console.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('request', (r) => seen.urls.push(r.url()));
  await page.exposeFunction('__recordWidgetEvent', (name, detail) => seen.events.push({ name, detail }));
  await page.addInitScript(() => {
    for (const name of ['reset-password:done', 'reset-password:error', 'reset-password:strength']) {
      document.addEventListener(name, (e) => window.__recordWidgetEvent(name, JSON.stringify(e.detail)));
    }
  });
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

/** Everything a password must not appear in, as one string. */
export async function leakSurface(page, seen) {
  const storage = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
  return [page.url(), ...seen.urls, ...seen.console, ...seen.errors, storage, ...seen.events.map((e) => e.detail)].join('\n');
}

/** Reads the password shown in the result view (reveals it first). */
export async function readResultPassword(widget) {
  await widget.getByRole('heading', { name: 'Password reset' }).waitFor();
  await widget.getByRole('button', { name: 'Show password' }).click();
  return widget.getByLabel('New password').inputValue();
}
