// Integrity: every file the loader fetches is checked against the hash built
// into reset-widget.js. Each test serves a copy of dist/ with one byte of one
// file changed, from a backend of its own (`--dist <copy>`), and checks the
// refusal: a message in the element, one console error from the widget,
// nothing thrown into the page. And the README's script tag carries the real
// hash of the built reset-widget.js.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchBrowser, openDialogFor, openPage, startBackend } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist');
const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

let browser;
const cleanups = [];
after(async () => {
  await browser?.close();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A backend serving a copy of dist/ whose `file` has its last byte changed. */
async function backendWithTampered(file) {
  const dir = mkdtempSync(join(tmpdir(), 'reset-tampered-'));
  cpSync(DIST, dir, { recursive: true });
  const bytes = readFileSync(join(dir, file));
  // One byte: a script's last newline becomes a space (still the same
  // program, so only the hash can tell), a module's last byte is flipped.
  const last = bytes.length - 1;
  bytes[last] = file.endsWith('.js') && bytes[last] === 0x0a ? 0x20 : bytes[last] ^ 1;
  writeFileSync(join(dir, file), bytes);
  assert.notEqual(sri(bytes), sri(readFileSync(join(DIST, file))));
  const backend = await startBackend({ extraArgs: ['--dist', dir] });
  cleanups.push(async () => {
    await backend.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  browser ??= await launchBrowser();
  return backend;
}

/** The console errors the widget wrote (Chromium adds its own about the blocked resource). */
const widgetErrors = (seen) => seen.console.filter((m) => m.startsWith('error:') && m.includes('<reset-password>'));

test('integrity.json lists every file of dist/ with its sha384', () => {
  const listed = JSON.parse(readFileSync(join(DIST, 'integrity.json'), 'utf8'));
  for (const file of ['reset-widget.js', 'password-reset-widget_bg.wasm', 'estimator-worker.js', 'reset-estimator_bg.wasm']) {
    assert.equal(listed[file], sri(readFileSync(join(DIST, file))), file);
  }
});

test("a changed dialog .wasm is refused: the element says so (in its language), one console error", async () => {
  const backend = await backendWithTampered('password-reset-widget_bg.wasm');
  for (const [path, text] of [
    ['/strict-csp.html', 'The password reset widget was not loaded: one of its files is not the one published (integrity check failed).'],
    ['/svenska.html', 'Lösenordswidgeten lästes inte in: en av dess filer är inte den publicerade (integritetskontrollen misslyckades).'],
  ]) {
    const { page, context, seen } = await openPage(browser, backend.url + path);
    await page.locator('reset-password').first().getByRole('alert').getByText(text).waitFor();
    const errors = widgetErrors(seen);
    assert.equal(errors.length, 1, seen.console.join('\n'));
    assert.match(errors[0], /password-reset-widget_bg\.wasm does not match its integrity hash \(expected sha384-\S+, got sha384-/);
    assert.deepEqual(seen.errors, []);
    // The JavaScript API says so too, and nothing more is logged.
    const api = await page.evaluate(async () => {
      const m = await import('/static/reset-widget/reset-widget.js');
      const results = {};
      for (const [name, call] of [['generatePassword', () => m.generatePassword()], ['ready', () => m.ready],
        ['estimateStrength', () => m.estimateStrength('Vq8#tLm2!pZx9wRk')]]) {
        try {
          await call();
          results[name] = 'no error';
        } catch (e) {
          results[name] = e.message;
        }
      }
      return results;
    });
    for (const message of Object.values(api)) assert.match(message, /integrity check failed/);
    assert.equal(widgetErrors(seen).length, 1);
    await context.close();
  }
});

for (const file of ['reset-estimator_bg.wasm', 'estimator-worker.js']) {
  test(`a changed ${file} is refused: the dialog's strength checker says so, one console error, no worker runs it`, async () => {
    const backend = await backendWithTampered(file);
    const { page, context, seen } = await openPage(browser, backend.url + '/');
    const workers = [];
    page.on('worker', (w) => workers.push(w.url()));
    const widget = await openDialogFor(page, 'u-1042');
    await widget.getByRole('radio', { name: 'Let me create the password' }).check();
    await widget.getByLabel('New password').pressSequentially('Vq8#tLm2', { delay: 10 });
    await widget.getByText("The strength checker couldn't be loaded. Try again, or use a generated password.").waitFor();
    const errors = widgetErrors(seen);
    assert.equal(errors.length, 1, seen.console.join('\n'));
    assert.ok(errors[0].includes(`${file} does not match its integrity hash`), errors[0]);
    // Refused for good: the API's requests fail at once, with no new error.
    const answer = await page.evaluate(async () => {
      const m = await import('/static/reset-widget/reset-widget.js');
      return m.estimateStrength('Vq8#tLm2!pZx9wRk').then(() => 'no error', (e) => e.message);
    });
    assert.match(answer, new RegExp(`refused: ${file.replace('.', '\\.')} does not match`));
    await widget.getByLabel('New password').pressSequentially('!pZx', { delay: 10 });
    assert.equal(widgetErrors(seen).length, 1, seen.console.join('\n'));
    assert.deepEqual(seen.errors, []);
    // A changed worker script never runs; a changed module never reaches the worker.
    if (file === 'estimator-worker.js') assert.deepEqual(workers, []);
    // The dialog itself still works: a generated password is still offered.
    await widget.getByRole('radio', { name: 'Auto-generate a password' }).check();
    await context.close();
  });
}

test("the README's script tag carries the hash of the built reset-widget.js, and Chromium accepts it", async () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const tags = [...readme.matchAll(/<script type="module" src="[^"]*\/reset-widget\.js" integrity="([^"]*)"[^>]*><\/script>/g)];
  assert.ok(tags.length > 0, 'the README has no <script ... reset-widget.js" integrity="sha384-..."> line');
  const built = sri(readFileSync(join(DIST, 'reset-widget.js')));
  for (const [line, hash] of tags) {
    assert.equal(hash, built, `${line}\nis not the hash of dist/reset-widget.js: \`make dist\` writes it into the README; commit the README it changed`);
  }
  // The line itself, in a page: the browser runs the script only with the right hash.
  const backend = await startBackend();
  cleanups.push(() => backend.stop());
  browser ??= await launchBrowser();
  // The tag for the path this backend serves (the Install section's names a versioned folder).
  const tag = tags.map(([line]) => line).find((line) => line.includes('src="/static/reset-widget/reset-widget.js"'));
  assert.ok(tag, 'the README has the tag for /static/reset-widget/reset-widget.js');
  const pageUrl = backend.url + '/readme-script-tag.html';
  const { page, context, seen } = await openPage(browser, pageUrl, {
    route: (route) => route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><body>${tag}
        <reset-password endpoint="/api/password-resets" user-id="u-1042" user-name="Diane Prescott"></reset-password></body></html>`,
    }),
  });
  await page.locator('reset-password').getByRole('radio', { name: 'Auto-generate a password' }).waitFor();
  assert.deepEqual(seen.errors, []);
  await context.close();
});
