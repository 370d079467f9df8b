// The JavaScript API and the policy's page-level parts, end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WasmReader } from '../../scripts/short-import-names.mjs';
import { openPage, openDialogFor, readResultPassword, useBackendAndBrowser } from './harness.mjs';

const env = useBackendAndBrowser();

/** Calls an export of reset-widget.js in the page; `{ value }` or `{ error }`. */
const call = (page, name, ...args) =>
  page.evaluate(async ({ name, args }) => {
    const m = await import('/static/reset-widget/reset-widget.js');
    // generatePassword is synchronous: it needs the WebAssembly loaded.
    if (name === 'generatePassword') await m.ready;
    try {
      return { value: await m[name](...args) };
    } catch (e) {
      return { error: String(e.message ?? e) };
    }
  }, { name, args });

const api = async (page, name, ...args) => {
  const r = await call(page, name, ...args);
  assert.equal(r.error, undefined, `${name} threw`);
  return r.value;
};

test('generatePassword makes the passwords it is asked for', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const plain = await api(page, 'generatePassword');
  assert.equal(plain.password.length, 16);
  assert.ok(plain.entropyBits > 100 && plain.entropyBits < 102, String(plain.entropyBits));
  const digits = await api(page, 'generatePassword', { length: 20, symbols: false, digits: 4 });
  assert.equal(digits.password.length, 20);
  assert.ok((digits.password.match(/[0-9]/g) ?? []).length >= 4);
  assert.ok(!/[^A-Za-z0-9]/.test(digits.password));
  const phrase = await api(page, 'generatePassword', { kind: 'passphrase', words: 6, separator: ' ' });
  assert.equal(phrase.password.split(' ').length, 6);
  assert.ok(Math.abs(phrase.entropyBits - (6 * Math.log2(7776) + Math.log2(10))) < 1e-9);
  const { error } = await call(page, 'generatePassword', { length: 4 });
  assert.match(error, /length/);
  // A misspelt option is refused by name, not silently ignored.
  const typo = await call(page, 'generatePassword', { lenght: 24 });
  assert.match(typo.error ?? '', /unknown field `lenght`/);
  const policyTypo = await call(page, 'checkPolicy', 'Quiet-Harbor-Lantern-92', { minLenght: 8 });
  assert.match(policyTypo.error ?? '', /unknown field `minLenght`/);
  // Out-of-range values are refused as the element's attributes are, not used.
  const outOfRange = await call(page, 'checkPolicy', 'Quiet-Harbor-Lantern-92', { minScore: 5 });
  assert.match(outOfRange.error ?? '', /min-score/);
  await context.close();
});

test('estimateStrength and checkPolicy use the estimator worker', async () => {
  const { page, context, seen } = await openPage(env.browser, env.backend.url + '/');
  const weak = await api(page, 'estimateStrength', 'password1');
  assert.equal(weak.score, 0);
  assert.equal(weak.warning, 'thisIsACommonPassword');
  assert.ok(weak.suggestions.length > 0);
  assert.equal(typeof weak.crackTimeDisplay, 'string');
  assert.ok(seen.urls.some((u) => u.endsWith('reset-estimator_bg.wasm')), 'fetched on first use');

  const personal = await api(page, 'estimateStrength', 'dianeprescott', ['Diane Prescott']);
  const impersonal = await api(page, 'estimateStrength', 'dianeprescott');
  assert.ok(personal.guessesLog10 < impersonal.guessesLog10, 'user inputs make it weaker');

  const short = await api(page, 'checkPolicy', 'short');
  assert.equal(short.ok, false);
  assert.deepEqual(short.reasons.map((r) => r.code), ['tooShort', 'tooWeak']);
  assert.match(short.reasons[0].message, /12 characters/);
  const mine = await api(page, 'checkPolicy', 'Prescott-Quokka-Marmalade-9', {}, { userName: 'Diane Prescott' });
  assert.deepEqual(mine.reasons.map((r) => r.code), ['containsUserInfo']);
  const ok = await api(page, 'checkPolicy', 'Quokka-Marmalade-Tundra-9', { requireClasses: 3 });
  assert.deepEqual(ok, { ok: true, reasons: [] });
  const banned = await api(page, 'checkPolicy', 'quokka-marmalade-tundra-9', { blocklist: ['Quokka-Marmalade-Tundra-9'] });
  assert.deepEqual(banned.reasons.map((r) => r.code), ['onBlocklist']);
  await context.close();
});

/**
 * Counts the requests the estimator worker gets (strings; the module it is
 * sent is not one). Returns a function that reads the count.
 */
async function countWorkerRequests(page) {
  await page.evaluate(() => {
    window.__workerRequests = 0;
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message, ...rest) {
      if (typeof message === 'string') window.__workerRequests += 1;
      return post.call(this, message, ...rest);
    };
  });
  return () => page.evaluate(() => window.__workerRequests);
}

/** Waits (up to 10 s) until a request is answered on the page, not by the worker. */
async function untilAnsweredOnPage(page, workerRequests) {
  for (let i = 0; i < 100; i += 1) {
    const before = await workerRequests();
    await api(page, 'estimateStrength', 'Tr0ub4dour&3');
    if ((await workerRequests()) === before) return;
    await page.waitForTimeout(100);
  }
  assert.fail('the page never scored a password itself');
}

/**
 * Lets a test see or replace the worker's memory copy on its way to the page:
 * `pass(data)` gets `{ memory: ArrayBuffer, tableLength }` and returns what
 * the page's handler gets instead.
 */
const onWorkerMemory = (page, pass) =>
  page.evaluate((source) => {
    const pass = new Function(`return (${source})`)();
    const { get, set } = Object.getOwnPropertyDescriptor(Worker.prototype, 'onmessage');
    Object.defineProperty(Worker.prototype, 'onmessage', {
      get() { return get.call(this); },
      set(handler) {
        set.call(this, (event) => {
          if (!(event.data && event.data.memory instanceof ArrayBuffer)) return handler(event);
          return handler({ data: pass(event.data) });
        });
      },
    });
  }, pass.toString());

test("the page's copy of the estimator takes over from the worker, and both know what year it is", async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const workerRequests = await countWorkerRequests(page);
  const year = new Date().getFullYear();
  // The first request starts the worker, which answers it.
  const first = await api(page, 'estimateStrength', String(year));
  assert.equal(first.warning, 'recentYearsAreEasyToGuess');
  assert.ok((await workerRequests()) >= 1);
  // Then the page's instance starts from the worker's memory and answers typed
  // passwords itself: a request no longer reaches the worker.
  await untilAnsweredOnPage(page, workerRequests);
  const before = await workerRequests();
  const onPage = await api(page, 'estimateStrength', String(year));
  assert.deepEqual(onPage, first, 'the same answer from both');
  // zxcvbn counts a year as max(20, years from its clock's year) guesses: with
  // the clock right, this year and 19 years ago cost the same, 40 years ago more.
  const nineteenAgo = await api(page, 'estimateStrength', String(year - 19));
  const fortyAgo = await api(page, 'estimateStrength', String(year - 40));
  assert.equal(nineteenAgo.guessesLog10, onPage.guessesLog10, "zxcvbn's clock gives this year");
  assert.ok(fortyAgo.guessesLog10 > onPage.guessesLog10, "zxcvbn's clock gives this year");
  const weak = await api(page, 'estimateStrength', 'password1');
  assert.equal(weak.warning, 'thisIsACommonPassword');
  const dated = await api(page, 'estimateStrength', '13/02/1987');
  assert.equal(dated.warning, 'datesAreOftenEasyToGuess');
  assert.equal(await workerRequests(), before, 'typed-length passwords stay on the page');
  // A pasted 100-character password still goes to the worker.
  await api(page, 'estimateStrength', 'correct-Horse7battery!staple-Quokka9-'.repeat(3).slice(0, 100));
  assert.equal(await workerRequests(), before + 1);
  await context.close();
});

// The page's copy is sound only while the estimator module keeps its whole
// state in its memory (estimator/src/worker.rs): a dependency upgrade that
// gave it a second mutable global (a heap pointer, say) would make the copy
// answer wrong, silently. Read the built module's globals: one mutable, the
// stack pointer, and none imported mutable.
test("the estimator module's only mutable global is its stack pointer (the page's copy depends on it)", () => {
  const globals = wasmGlobals(readFileSync(join(import.meta.dirname, '../../dist/reset-estimator_bg.wasm')));
  assert.equal(globals.importedMutable, 0, 'a mutable global imported from the glue');
  assert.equal(globals.mutable, 1, `${globals.mutable} mutable globals: the page's copy would not carry the others`);
});

// And the copy must give the worker's answers: typed-length passwords (one
// character longer than the last request) are scored on the page, the same
// password after a jump in length by the worker.
test("the page's copy and the worker give the same answers on the bench corpus", async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const workerRequests = await countWorkerRequests(page);
  await untilAnsweredOnPage(page, workerRequests);
  const corpus = readFileSync(join(import.meta.dirname, '../../bench/corpus.txt'), 'utf8')
    .split('\n').filter((p) => [...p].length >= 17 && [...p].length <= 64);
  assert.ok(corpus.length >= 100);
  const answers = await page.evaluate(async (passwords) => {
    const { estimateStrength } = await import('/static/reset-widget/reset-widget.js');
    const out = [];
    for (const p of passwords) {
      const chars = [...p];
      await estimateStrength(chars.slice(0, -1).join(''), ['u-1042']);
      const beforeTyped = window.__workerRequests;
      const typed = await estimateStrength(p, ['u-1042']);
      const onPage = window.__workerRequests === beforeTyped;
      await estimateStrength('', ['u-1042']);
      const beforePasted = window.__workerRequests;
      const pasted = await estimateStrength(p, ['u-1042']);
      const inWorker = window.__workerRequests === beforePasted + 1;
      out.push({ p, onPage, inWorker, same: JSON.stringify(typed) === JSON.stringify(pasted) });
    }
    return out;
  }, corpus.slice(0, 100));
  for (const a of answers) {
    assert.ok(a.onPage && a.inWorker, `${a.p}: not scored once in each place`);
    assert.ok(a.same, `${a.p}: the page's copy and the worker disagree`);
  }
  await context.close();
});

/** Counts a WebAssembly module's mutable globals, defined and imported (the binary format's import and global sections). */
function wasmGlobals(bytes) {
  const read = new WasmReader(bytes);
  const counts = { mutable: 0, importedMutable: 0 };
  for (const { id } of read.sections()) {
    if (id === 2) { // imports
      for (let n = read.u32(); n > 0; n--) {
        read.name();
        read.name();
        if (read.importDescription()) counts.importedMutable++;
      }
    } else if (id === 6) { // globals: type, mutability, then an init expression up to 0x0b
      for (let n = read.u32(); n > 0; n--) {
        read.at++;
        if (read.bytes[read.at++] === 1) counts.mutable++;
        for (let op = read.bytes[read.at++]; op !== 0x0b; op = read.bytes[read.at++]) {
          if (op === 0x41 || op === 0x42) while (read.bytes[read.at++] & 0x80); // i32/i64.const
          else if (op === 0x43) read.at += 4;
          else if (op === 0x44) read.at += 8;
          else if (op === 0x23) read.u32(); // global.get
          else throw new Error(`init opcode ${op}`);
        }
      }
    }
  }
  return counts;
}

test("the worker's memory copy holds no password, even the one that started the estimator", async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const password = 'Quokka-Snapshot-Canary-7193';
  await onWorkerMemory(page, (data) => {
    window.__copies = (window.__copies ?? 0) + 1;
    const memory = new Uint8Array(data.memory);
    const needle = new TextEncoder().encode('Snapshot-Canary');
    window.__canaryInCopy = memory.some((_, i) => needle.every((b, j) => memory[i + j] === b));
    return data;
  });
  // The first request is queued until the worker is ready: the copy is taken before.
  const first = await api(page, 'estimateStrength', password);
  assert.equal(first.score, 4);
  await page.waitForFunction(() => window.__copies === 1);
  assert.equal(await page.evaluate(() => window.__canaryInCopy), false);
  await context.close();
});

test("a copy of a worker that has not built its tables is refused: the worker answers, the dialog works", async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  // A cold copy: the memory of an instance that never scored anything.
  // (Its glue is bundled into the loader: the module is instantiated with
  // imports that do nothing, and started, as the glue would; nothing scored.)
  await page.evaluate(async () => {
    const module = await WebAssembly.compileStreaming(fetch('/static/reset-widget/reset-estimator_bg.wasm'));
    const imports = {};
    for (const { module: from, name } of WebAssembly.Module.imports(module)) (imports[from] ??= {})[name] = () => {};
    const { exports: wasm } = await WebAssembly.instantiate(module, imports);
    wasm.__wbindgen_start?.();
    window.__cold = { memory: wasm.memory.buffer.slice(0), tableLength: wasm.__wbindgen_externrefs.length };
  });
  const workerRequests = await countWorkerRequests(page);
  await onWorkerMemory(page, () => {
    window.__swapped = true;
    return window.__cold;
  });
  const widget = await openDialogFor(page, 'u-1044');
  await widget.getByRole('radio', { name: 'Let me create the password' }).check();
  await page.waitForFunction(() => window.__swapped === true);
  const field = widget.getByLabel('New password');
  await field.pressSequentially('password1', { delay: 10 });
  const meter = widget.getByRole('meter', { name: 'Password strength' });
  await page.waitForFunction((el) => el.getAttribute('aria-valuenow') === '0', await meter.elementHandle());
  await field.fill('Marmalade-Tundra-48-Quiver');
  await page.waitForFunction((el) => el.getAttribute('aria-valuenow') === '4', await meter.elementHandle());
  // For two seconds (the page takes over a good copy well within that), every
  // request still reaches the worker: the page never built the tables itself.
  for (let i = 0; i < 20; i += 1) {
    const before = await workerRequests();
    const weak = await api(page, 'estimateStrength', 'password1');
    assert.equal(weak.warning, 'thisIsACommonPassword');
    assert.equal(await workerRequests(), before + 1, `request ${i} was answered on the page`);
    await page.waitForTimeout(100);
  }
  await context.close();
});

test("after a worker that failed to start, the next one still hands the page its copy", async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const workerRequests = await countWorkerRequests(page);
  let aborted = 0;
  await page.route('**/estimator-worker.js', (route) => (aborted++ === 0 ? route.abort() : route.continue()));
  const failed = await call(page, 'estimateStrength', 'password1');
  assert.match(failed.error ?? '', /could not be loaded/);
  // The next request starts a new worker, and the page's copy takes over from it.
  const weak = await api(page, 'estimateStrength', 'password1');
  assert.equal(weak.warning, 'thisIsACommonPassword');
  await untilAnsweredOnPage(page, workerRequests);
  await context.close();
});

test("typed keys are scored on the page, a pasted password of l33t symbols in the worker", async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const workerRequests = await countWorkerRequests(page);
  const widget = await openDialogFor(page, 'u-1042');
  await widget.getByRole('radio', { name: 'Let me create the password' }).check();
  await untilAnsweredOnPage(page, workerRequests);
  const field = widget.getByLabel('New password');
  const meter = widget.getByRole('meter', { name: 'Password strength' });
  // Typed a key at a time: the page answers every key.
  let before = await workerRequests();
  await field.pressSequentially('Marmalade-Tundra-48', { delay: 10 });
  await page.waitForFunction((el) => el.getAttribute('aria-valuenow') === '4', await meter.elementHandle());
  assert.equal(await workerRequests(), before, 'a typed key reached the worker');
  // Pasted: 64 characters that zxcvbn takes tens of milliseconds over go to
  // the worker, and the page's thread stays free.
  await field.fill('');
  before = await workerRequests();
  await field.fill('4@8(3!1|0$5+7%2'.repeat(5).slice(0, 64));
  await page.waitForFunction((n) => window.__workerRequests > n, before, { timeout: 10_000 });
  await page.waitForFunction((el) => el.getAttribute('aria-valuenow') === '4', await meter.elementHandle());
  assert.equal(await workerRequests(), before + 1);
  await context.close();
});

test("the dialog refuses a password on the organisation's blocklist", async () => {
  const { page, context, seen } = await openPage(env.browser, env.backend.url + '/');
  const widget = await openDialogFor(page, 'u-1042');
  await widget.getByRole('radio', { name: 'Let me create the password' }).check();
  await widget.getByLabel('New password').fill('Contoso-Spring-2026!');
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByText("This password is on your organisation's list of banned passwords.").waitFor();
  assert.equal(await widget.getByRole('button', { name: 'Next' }).isDisabled(), true);
  // Another user's dialog on the same page refuses it too, from the same fetch.
  await page.keyboard.press('Escape'); // closes the sample page's modal dialog
  const other = await openDialogFor(page, 'u-1043');
  await other.getByRole('radio', { name: 'Let me create the password' }).check();
  await other.getByLabel('New password').fill('Contoso-Spring-2026!');
  await other.getByRole('button', { name: 'Next' }).click();
  await other.getByText("This password is on your organisation's list of banned passwords.").waitFor();
  assert.equal(seen.urls.filter((u) => u.endsWith('/api/password-policy/blocklist')).length, 1, 'fetched once');
  await context.close();
});

test('when the blocklist cannot be loaded, a created password is held up and a generated one goes through', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  await page.route('**/api/password-policy/blocklist', (route) => route.fulfill({ status: 404, body: 'gone' }));
  const widget = await openDialogFor(page, 'u-1042');
  await widget.getByRole('radio', { name: 'Let me create the password' }).check();
  await widget.getByLabel('New password').fill('Marmalade-Tundra-48-Quiver');
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByText("Your organisation's list of banned passwords couldn't be loaded", { exact: false }).waitFor();
  assert.equal(await widget.getByRole('button', { name: 'Next' }).isDisabled(), true);
  // The way out the message names: a generated password.
  await widget.getByRole('button', { name: 'Back' }).click();
  await widget.getByRole('radio', { name: 'Auto-generate a password' }).check();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Reset password' }).click();
  const password = await readResultPassword(widget);
  assert.equal((await env.backend.signIn('u-1042', password)).status, 200);
  await context.close();
});

test('a pasted 256-character password is scored on its first 100 characters', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const widget = await openDialogFor(page, 'u-1042');
  await widget.getByRole('radio', { name: 'Let me create the password' }).check();
  const long = 'correct-Horse7battery!staple-Quokka9-'.repeat(7).slice(0, 256);
  await widget.getByLabel('New password').fill(long);
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByText('Only the first 100 characters were analysed.').waitFor();
  assert.equal(await widget.getByRole('meter', { name: 'Password strength' }).getAttribute('aria-valuenow'), '4');
  assert.equal(await widget.getByRole('button', { name: 'Next' }).isDisabled(), false);
  await context.close();
});

test('generator and policy attributes shape the dialog: a passphrase, and 3 of 4 classes', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  await page.waitForFunction(() => customElements.get('reset-password'));
  await page.evaluate(async () => {
    const { csrfToken } = await (await fetch('/api/session')).json();
    const el = document.createElement('reset-password');
    el.id = 'phrase';
    for (const [k, v] of Object.entries({
      endpoint: '/api/password-resets', 'user-id': 'u-1046', 'user-name': 'Alex Wilber',
      generator: 'passphrase', words: '6', separator: ' ', 'require-classes': '3',
      headers: JSON.stringify({ 'X-CSRF-Token': csrfToken }),
    })) el.setAttribute(k, v);
    document.body.append(el);
  });
  const widget = page.locator('#phrase');
  await widget.getByRole('button', { name: 'Show password' }).click();
  const phrase = await widget.getByLabel('New password').inputValue();
  const words = phrase.split(' ');
  assert.equal(words.length, 6, phrase);
  assert.match(words[0], /^[A-Z][a-z-]+$/, 'capitalised EFF words');
  assert.match(words[5], /[0-9]$/, 'a digit at the end');
  await widget.getByText('bits of entropy', { exact: false }).waitFor();
  // A custom password with one class is refused with the reason in words.
  await widget.getByRole('radio', { name: 'Let me create the password' }).check();
  await widget.getByLabel('New password').fill('quokka marmalade tundra quiver');
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByText('Use at least 3 of these: lowercase letters, uppercase letters, digits, symbols.').waitFor();
  assert.equal(await widget.getByRole('button', { name: 'Next' }).isDisabled(), true);
  // The generated passphrase goes all the way through and works.
  await widget.getByRole('button', { name: 'Back' }).click();
  await widget.getByRole('radio', { name: 'Auto-generate a password' }).check();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Reset password' }).click();
  assert.equal(await readResultPassword(widget), phrase);
  assert.equal((await env.backend.signIn('u-1046', phrase)).status, 200);
  await context.close();
});
