// Bulk mode end to end: 95 users in requests of 40, 40 and 15, per-user
// results, CSV, retry of a failed user, and sign-in with the CSV's passwords.
// The backend seeds 89 extra demo users (--seed-users 89): with the five
// demo users that makes 94, plus one id the backend does not know.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { adminSession, openPage, sessionHeaders, useBackendAndBrowser } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

const env = useBackendAndBrowser({ extraArgs: ['--seed-users', '89'] });

const SHOTS = join(ROOT, 'tests/artifacts/screenshots');

/** Puts a bulk <reset-password> for every user (plus an unknown one) on the page. */
async function bulkWidget(page, { limit = Infinity, lang } = {}) {
  await page.waitForFunction(() => customElements.get('reset-password'));
  await page.evaluate(async ({ limit, lang }) => {
    const users = await (await fetch('/api/users')).json();
    const { csrfToken } = await (await fetch('/api/session')).json();
    // u-9999 is the id the backend does not know (until a test creates it).
    const list = users.filter((u) => u.id !== 'u-9999').map((u) => ({ id: u.id, name: u.name, email: u.email })).slice(0, limit);
    list.push({ id: 'u-9999', name: 'Ghost User', email: 'ghost@contoso.com' });
    const el = document.createElement('reset-password');
    if (lang) el.lang = lang;
    el.id = 'bulk';
    el.setAttribute('endpoint', '/api/password-resets');
    el.setAttribute('current-user-id', 'u-1001');
    el.setAttribute('deliver-to', 'adele@contoso.com');
    el.setAttribute('headers', JSON.stringify({ 'X-CSRF-Token': csrfToken }));
    el.users = list;
    document.body.append(el);
  }, { limit, lang });
  return page.locator('#bulk');
}

async function axe(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document.querySelector('#bulk'), {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
  });
}

function parseCsv(text) {
  const lines = text.trim().split(/\r?\n/).map((line) => {
    const fields = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let value = '';
        i++;
        while (i < line.length) {
          if (line[i] === '"' && line[i + 1] === '"') { value += '"'; i += 2; }
          else if (line[i] === '"') { i++; break; }
          else value += line[i++];
        }
        fields.push(value);
        i++; // the comma
      } else {
        const end = line.indexOf(',', i) === -1 ? line.length : line.indexOf(',', i);
        fields.push(line.slice(i, end));
        i = end + 1;
      }
    }
    return fields;
  });
  return { header: lines[0], rows: lines.slice(1) };
}

/** A password cell, `="…"` (text constants joined by `&`), as a spreadsheet shows it. */
function formulaText(field) {
  const m = /^=("(?:[^"]|"")*"(?:&"(?:[^"]|"")*")*)$/.exec(field);
  assert.ok(m, `a password cell is a text formula, not ${JSON.stringify(field)}`);
  return m[1].split(/"&"/).map((piece) => piece.replace(/^"|"$/g, '').replaceAll('""', '"')).join('');
}

/**
 * The CSV opened in LibreOffice Calc (formulas evaluated, as opening it does)
 * and saved again with each cell as shown: what an admin sees and copies.
 */
function asShownByLibreOffice(csvPath) {
  const dir = mkdtempSync(join(tmpdir(), 'bulk-csv-'));
  try {
    copyFileSync(csvPath, join(dir, 'passwords.csv'));
    execFileSync('soffice', [
      `-env:UserInstallation=file://${dir}/profile`, '--headless', '--norestore',
      '--infilter=CSV:44,34,76,1',
      // Quote all text cells, save cell contents as shown.
      '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true,true,true',
      '--outdir', join(dir, 'shown'), join(dir, 'passwords.csv'),
    ], { stdio: 'pipe', timeout: 120_000 });
    return parseCsv(readFileSync(join(dir, 'shown', 'passwords.csv'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('95 users: three requests of 40, 40 and 15, one failure retried alone, CSV matches, sign-in works', async () => {
  const { page, context, seen } = await openPage(env.browser, env.backend.url + '/', { acceptDownloads: true });
  const posts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/password-resets')) {
      posts.push({ key: r.headers()['idempotency-key'], size: r.postDataJSON().resets.length });
    }
  });
  const widget = await bulkWidget(page);
  await widget.getByText('95 of 95 users selected').waitFor();
  await widget.getByText("You can't reset your own password at the same time as everyone else's.").waitFor();
  assert.equal(await widget.getByRole('checkbox', { name: /Adele Vance/ }).count(), 0, 'the admin is left out');
  assert.deepEqual(await axe(page), []);
  await widget.screenshot({ path: join(SHOTS, 'light-bulk-1-users.png') });
  // Leave one out and put them back: the selection is the admin's.
  await widget.getByRole('checkbox', { name: /Ghost User/ }).uncheck();
  await widget.getByText('94 of 95 users selected').waitFor();
  await widget.getByRole('checkbox', { name: /Ghost User/ }).check();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByText('in one message per batch of up to 40 users', { exact: false }).waitFor();
  assert.deepEqual(await axe(page), []);
  await widget.getByRole('button', { name: 'Reset password' }).click();
  await widget.getByText('94 of 95 passwords reset.').waitFor({ timeout: 60_000 });
  assert.deepEqual(await axe(page), []);
  await widget.screenshot({ path: join(SHOTS, 'light-bulk-2-results.png') });

  assert.deepEqual(posts.map((p) => p.size), [40, 40, 15]);
  assert.equal(new Set(posts.map((p) => p.key)).size, 3, 'each request has its own key');
  const ghost = widget.locator('tr[data-user-id="u-9999"]');
  assert.match(await ghost.textContent(), /Failed/);

  const download = page.waitForEvent('download');
  await widget.getByRole('button', { name: 'Download CSV' }).click();
  const csvPath = await (await download).path();
  const csv = parseCsv(readFileSync(csvPath, 'utf8'));
  assert.deepEqual(csv.header, ['user id', 'name', 'password']);
  // Each password is written as `="…"`, so a spreadsheet shows it as text.
  csv.rows = csv.rows.map(([id, name, password]) => [id, name, formulaText(password)]);
  // LibreOffice Calc shows every password exactly as issued (none evaluated,
  // none read as a number or a date), and the names as they are.
  const shown = asShownByLibreOffice(csvPath);
  assert.deepEqual(shown.header, csv.header);
  assert.deepEqual(shown.rows, csv.rows);
  assert.equal(csv.rows.length, 94);
  assert.equal(new Set(csv.rows.map((r) => r[2])).size, 94, 'unique passwords');
  // Copy all puts the same users and passwords on the clipboard, one per line.
  await widget.getByRole('button', { name: 'Copy all' }).click();
  await widget.getByText('Copied to the clipboard.').waitFor();
  const copied = (await page.evaluate(() => navigator.clipboard.readText())).trim().split('\n').map((l) => l.split('\t'));
  assert.deepEqual(copied.map(([id, , p]) => [id, p]), csv.rows.map(([id, , p]) => [id, p]));
  // The table shows the same passwords as the CSV.
  for (const [id, name, password] of csv.rows.slice(0, 5)) {
    await widget.getByRole('button', { name: `Show password for ${name}` }).click();
    assert.equal((await widget.locator(`tr[data-user-id="${id}"] code`).textContent()).trim(), password);
  }
  // Sign-in works for a sample of the users with the passwords from the CSV.
  for (const [id, , password] of [csv.rows[0], csv.rows[41], csv.rows[93]]) {
    const r = await env.backend.signIn(id, password);
    assert.equal(r.status, 200, `${id}: ${r.text}`);
  }

  // The unknown user exists now: retry them alone.
  const created = await env.backend.asAdmin('POST', '/api/test/users', { id: 'u-9999', name: 'Ghost User', email: 'ghost@contoso.com' });
  assert.ok(created.status < 300, created.text);
  await widget.getByRole('button', { name: 'Retry failed users' }).click();
  await widget.getByText('95 of 95 passwords reset.').waitFor();
  assert.equal(posts.length, 4);
  assert.equal(posts[3].size, 1);
  assert.notEqual(posts[3].key, posts[0].key);
  await widget.getByRole('button', { name: 'Show password for Ghost User' }).click();
  const ghostPassword = (await ghost.locator('code').textContent()).trim();
  assert.equal((await env.backend.signIn('u-9999', ghostPassword)).status, 200);

  const everything = [page.url(), ...seen.console, ...seen.events.map((e) => e.detail)].join('\n');
  for (const [, , password] of csv.rows) assert.ok(!everything.includes(password));
  await context.close();
});

test('bulk mode with the keyboard alone', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const widget = await bulkWidget(page);
  await widget.getByText('95 of 95 users selected').waitFor();
  await widget.getByRole('button', { name: 'Select all' }).focus();
  await page.keyboard.press('Tab'); // Clear selection
  await page.keyboard.press('Enter');
  await widget.getByText('0 of 95 users selected').waitFor();
  await page.keyboard.press('Tab'); // the first user's checkbox
  await page.keyboard.press('Space');
  await widget.getByText('1 of 95 users selected').waitFor();
  await widget.getByRole('button', { name: 'Next' }).focus();
  await page.keyboard.press('Enter');
  await widget.getByRole('heading', { name: 'Delivery' }).waitFor();
  await context.close();
});

for (const [scheme, lang, t] of [['dark', 'en', { next: 'Next', reset: 'Reset password', done: /passwords reset/ }],
  ['light', 'sv', { next: 'Nästa', reset: 'Återställ lösenord', done: /lösenord har återställts/ }]]) {
  test(`bulk views pass axe-core (${lang}, ${scheme})`, async () => {
    const { page, context } = await openPage(env.browser, env.backend.url + '/', { colorScheme: scheme });
    const widget = await bulkWidget(page, { limit: 4, lang });
    await widget.getByRole('checkbox').first().waitFor();
    assert.deepEqual(await axe(page), [], 'users step');
    await widget.getByRole('button', { name: t.next }).click();
    assert.deepEqual(await axe(page), [], 'delivery step');
    await widget.getByRole('button', { name: t.reset }).click();
    await widget.getByText(t.done).waitFor();
    assert.deepEqual(await axe(page), [], 'results');
    if (lang === 'en') await widget.screenshot({ path: join(SHOTS, `${scheme}-bulk-2-results.png`) });
    await context.close();
  });
}

test("the sample page's bulk button resets everyone but the admin, and Done closes the dialog", async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  await page.getByRole('button', { name: 'Reset passwords for all users' }).click();
  const widget = page.locator('dialog#reset-dialog reset-password');
  await widget.getByText(/^\d+ of \d+ users selected$/).waitFor();
  const text = await widget.getByText(/^\d+ of \d+ users selected$/).textContent();
  const users = (await env.backend.asAdmin('GET', '/api/users')).json;
  const others = users.filter((u) => u.id !== 'u-1001').length;
  assert.equal(text, `${others} of ${others} users selected`);
  await widget.getByText("You can't reset your own password at the same time as everyone else's.").waitFor();
  await widget.getByRole('button', { name: 'Clear selection' }).click();
  await widget.getByRole('checkbox').first().check();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Reset password' }).click();
  await widget.getByText('1 of 1 passwords reset.').waitFor();
  await widget.getByRole('button', { name: 'Done' }).click();
  await page.waitForFunction(() => !document.querySelector('dialog#reset-dialog').open);
  await context.close();
});

test('a bulk request whose answer is lost pauses; Retry resends the same batch and nobody is reset twice', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const posts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/password-resets')) {
      posts.push({ key: r.headers()['idempotency-key'], body: r.postData() });
    }
  });
  const widget = await bulkWidget(page, { limit: 4 });
  await widget.getByRole('checkbox', { name: /Ghost User/ }).uncheck();
  // The listed users, less the signed-in admin and the unknown one.
  const users = await page.evaluate(() =>
    document.querySelector('#bulk').users.map((u) => u.id).filter((id) => id !== 'u-1001' && id !== 'u-9999'));
  assert.equal(await widget.locator('input[type=checkbox]:checked').count(), users.length);
  await widget.getByRole('button', { name: 'Next' }).click();
  const before = await Promise.all(users.map(async (id) => (await env.backend.resetsOf(id)).count));
  const armed = await env.backend.arm({ fault: 'drop-response', times: 1 });
  assert.ok(armed.status < 300, armed.text);
  await widget.getByRole('button', { name: 'Reset password' }).click();
  await widget.getByRole('alert').getByText('The reset may or may not have happened.', { exact: false }).waitFor();
  assert.match(await widget.locator(`tr[data-user-id="${users[0]}"]`).textContent(), /Unknown/);
  await widget.getByRole('button', { name: 'Retry', exact: true }).click();
  await widget.getByText(`${users.length} of ${users.length} passwords reset.`).waitFor();
  assert.equal(posts.length, 2);
  assert.equal(posts[0].key, posts[1].key, 'the same Idempotency-Key');
  assert.equal(posts[0].body, posts[1].body, 'the same users and passwords');
  for (const [i, id] of users.entries()) {
    const after = (await env.backend.resetsOf(id)).count;
    assert.equal(after, before[i] + 1, `${id} was reset exactly once`);
  }
  await widget.locator(`tr[data-user-id="${users[0]}"]`).getByRole('button', { name: /^Show password for / }).click();
  const first = (await widget.locator(`tr[data-user-id="${users[0]}"] code`).textContent()).trim();
  assert.equal((await env.backend.signIn(users[0], first)).status, 200);
  await context.close();
});

test("a field error from the backend is shown at its field in bulk mode too; nothing was reset and the corrected run has new keys", async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const posts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/password-resets')) posts.push(r.headers()['idempotency-key']);
  });
  const widget = await bulkWidget(page, { limit: 3 });
  await widget.getByRole('checkbox', { name: /Ghost User/ }).uncheck();
  const users = await page.evaluate(() =>
    document.querySelector('#bulk').users.map((u) => u.id).filter((id) => id !== 'u-1001' && id !== 'u-9999'));
  await widget.getByRole('button', { name: 'Next' }).click();
  const before = await Promise.all(users.map(async (id) => (await env.backend.resetsOf(id)).count));
  // 21 valid addresses: the widget accepts them, the reference backend allows 20.
  const field = widget.getByLabel('Email the new password to');
  await field.fill(Array.from({ length: 21 }, (_, i) => `it${i}@contoso.com`).join(', '));
  await widget.getByRole('button', { name: 'Reset password' }).click();
  await page.waitForFunction((el) => el.getAttribute('aria-invalid') === 'true', await field.elementHandle());
  await widget.getByRole('alert').getByText('At most 20 addresses.').waitFor();
  await widget.getByRole('heading', { name: 'Delivery' }).waitFor();
  for (const [i, id] of users.entries()) {
    assert.equal((await env.backend.resetsOf(id)).count, before[i], `${id} was not reset`);
  }
  await field.fill('adele@contoso.com');
  await widget.getByRole('button', { name: 'Reset password' }).click();
  await widget.getByText(`${users.length} of ${users.length} passwords reset.`).waitFor();
  assert.equal(posts.length, 2);
  assert.notEqual(posts[0], posts[1], 'the corrected run is a new request with a new key');
  await context.close();
});

test('"Keep their passwords and require a change at next sign-in": the same passwords still sign in, as must-change sign-ins', async () => {
  // Two users with passwords the test knows, set the way an admin would.
  const admin = await adminSession(env.backend);
  const known = { 'u-2010': 'Kettle-Orchard-Zebra-10', 'u-2011': 'Kettle-Orchard-Zebra-11' };
  const set = await fetch(env.backend.url + '/api/password-resets', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID(), ...sessionHeaders(admin) },
    body: JSON.stringify({
      resets: Object.entries(known).map(([userId, password]) => ({ userId, password })),
      passwordSource: 'custom', forceChangePasswordNextSignIn: false, deliverTo: [],
    }),
  });
  assert.equal(set.status, 200, await set.text());
  for (const [id, password] of Object.entries(known)) {
    assert.equal((await env.backend.signIn(id, password)).json.mustChangePassword, false);
  }

  const { page, context, seen } = await openPage(env.browser, env.backend.url + '/');
  const widget = await bulkWidget(page);
  await widget.getByRole('button', { name: 'Clear selection' }).click();
  const names = await page.evaluate((ids) => document.querySelector('#bulk').users.filter((u) => ids.includes(u.id)).map((u) => u.name), Object.keys(known));
  for (const name of names) await widget.getByRole('checkbox', { name: new RegExp(name) }).check();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('radio', { name: 'Keep their passwords and require a change at next sign-in' }).check();
  assert.equal(await widget.getByRole('checkbox', { name: /Require this user to change/ }).count(), 0, 'the change is what is asked');
  assert.deepEqual(await axe(page), [], 'the choice');
  await widget.getByRole('button', { name: 'Require password change' }).click();
  await widget.getByText('2 of 2 users must change their password at next sign-in.').waitFor();
  assert.deepEqual(await axe(page), [], 'the results');
  for (const [id, password] of Object.entries(known)) {
    const r = await env.backend.signIn(id, password);
    assert.equal(r.status, 200, 'the password was kept');
    assert.equal(r.json.mustChangePassword, true, 'and must now be changed');
    assert.match(await widget.locator(`tr[data-user-id="${id}"]`).textContent(), /Must change at next sign-in/);
  }
  const done = seen.events.filter((e) => e.name === 'reset-password:done').map((e) => JSON.parse(e.detail).userIds).flat();
  assert.deepEqual(done.sort(), Object.keys(known).sort());
  await context.close();
});
