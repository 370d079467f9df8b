// The weight-and-speed benchmark of the embed: `make bench` builds
// the release bundle and the backend, then runs this file, which
//  1. copies bench/page/ and the two JavaScript estimators (bundled here with
//     esbuild) into a temporary www folder and starts the reference backend on
//     127.0.0.1 with it (the built dist/ is served at /static/reset-widget/);
//  2. drives headless Chromium (tests/e2e/harness.mjs) to measure weight, time
//     to interactive, keystroke latency and estimator throughput;
//  3. prints a table and writes bench/results/latest.json plus a timestamped
//     copy. bench/README.md explains every figure and the method.
//
// Knobs (environment): BENCH_LOADS (page loads for time to interactive, 20),
// BENCH_HOST_LOADS (loads of each host page, bench/host-load.mjs, 10),
// BENCH_KEY_DELAY_MS (pause between keystrokes, 50), BENCH_LENGTHS (e.g.
// "8,32"), BENCH_NO_SAVE=1 (print only, write no file).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants as Z, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { launchBrowser, startBackend } from '../tests/e2e/harness.mjs';
import { formatReport } from './report.mjs';
import { measureRecoveryCodes } from './recovery.mjs';
import { measureHostLoad } from './host-load.mjs';

const BENCH = import.meta.dirname;
const ROOT = resolve(BENCH, '..');
const PREFIX = '/static/reset-widget/';

export const CONFIG = {
  loads: Number(process.env.BENCH_LOADS || 20),
  // Loads of each host page (bench/host-load.mjs), and dialog openings.
  hostLoads: Number(process.env.BENCH_HOST_LOADS || 10),
  keyDelayMs: Number(process.env.BENCH_KEY_DELAY_MS || 50),
  lengths: (process.env.BENCH_LENGTHS || '8,16,32,64,128,256').split(',').map(Number),
  // The string typed (TOOLCHAIN.md's timing string), repeated and cut to each length.
  text: 'correct-Horse7battery!staple-Quokka9-',
  // Passes over a length, so that each row has at least 64 keystrokes.
  repsFor: (length) => Math.max(1, Math.ceil(64 / length)),
  throughputPasses: 3,
  // Throughput at one length: this many distinct passwords of it (corpus
  // passwords joined and cut), all fired then all awaited through
  // estimateStrength, against zxcvbn.js one by one.
  throughputLengths: [32, 64, 128, 256],
  throughputPerLength: 100,
  // Pasted passwords (one input event each), a few times each: the typed
  // string at three lengths, and 64 l33t symbols (the slowest kind of input
  // for zxcvbn found: it tries their readings; 20-35 ms on the page's thread).
  pastes: [
    { length: 256 },
    { length: 1000 },
    { length: 10000 },
    { length: 64, kind: 'l33t symbols', text: '4@8(3!1|0$5+7%2' },
  ],
  pasteReps: 5,
  // Typing at once after choosing a custom password, on fresh pages.
  startRuns: Number(process.env.BENCH_START_PAGES || 200),
  startTypedLength: 40,
  startKeyDelayMs: 25,
  customPassword: 'Marmalade-Tundra-48-Quiver',
  timeoutMs: 120_000,
};

const log = (...args) => console.error('[bench]', ...args);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const textOf = (length, text = CONFIG.text) => text.repeat(Math.ceil(length / text.length)).slice(0, length);

// --- statistics --------------------------------------------------------------
export function median(xs) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
/** Nearest-rank percentile. */
export function percentile(xs, p) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length))) - 1];
}
const round = (x, digits = 2) => (x === null || x === undefined || Number.isNaN(x) ? null : Number(x.toFixed(digits)));
export const summary = (xs) => ({ n: xs.length, medianMs: round(median(xs), 3), p99Ms: round(percentile(xs, 99), 3), maxMs: round(xs.length ? Math.max(...xs) : null, 3) });

// --- sizes ---------------------------------------------------------------------
const sizeCache = new Map();
/** raw, gzip -9 and brotli -q 11 (window 2^24, as the brotli CLI) of a buffer. */
export function sizes(buf) {
  const key = createHash('sha256').update(buf).digest('hex');
  if (!sizeCache.has(key)) {
    sizeCache.set(key, {
      raw: buf.length,
      gzip: gzipSync(buf, { level: 9 }).length,
      brotli: brotliCompressSync(buf, {
        params: { [Z.BROTLI_PARAM_QUALITY]: 11, [Z.BROTLI_PARAM_LGWIN]: 24, [Z.BROTLI_PARAM_SIZE_HINT]: buf.length },
      }).length,
    });
  }
  return sizeCache.get(key);
}

/** Debian's brotli CLI on the same bytes, when it is installed: a cross-check of node's zlib. */
function brotliCli(buf) {
  try {
    return execFileSync('brotli', ['-q', '11', '-c'], { input: buf, maxBuffer: 64 << 20 }).length;
  } catch {
    return null;
  }
}

// --- the www folder --------------------------------------------------------------
async function prepareWww() {
  const dir = mkdtempSync(join(tmpdir(), 'reset-bench-www-'));
  cpSync(join(BENCH, 'page'), dir, { recursive: true });
  mkdirSync(join(dir, 'libs'));
  const libs = {};
  for (const [name, entry] of [['zxcvbn-js', 'zxcvbn-js.entry.mjs'], ['zxcvbn-ts', 'zxcvbn-ts.entry.mjs']]) {
    const outfile = join(dir, 'libs', `${name}.mjs`);
    await build({
      entryPoints: [join(BENCH, 'libs', entry)],
      bundle: true,
      minify: true,
      format: 'esm',
      target: 'es2020',
      outfile,
      logLevel: 'warning',
      absWorkingDir: ROOT,
    });
    libs[name] = sizes(readFileSync(outfile));
  }
  return { dir, libs };
}

// --- browser helpers ---------------------------------------------------------------
/** Records every response under /static/reset-widget/ in a context (pages and workers). */
function trackWidgetFiles(context) {
  const files = [];
  context.on('response', (response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith(PREFIX)) return;
    const entry = { path: url.pathname.slice(PREFIX.length), status: response.status(), startTime: response.request().timing().startTime, body: null };
    entry.done = response.body().then((b) => { entry.body = b; }, (e) => { entry.error = String(e); });
    files.push(entry);
  });
  return files;
}

async function waitQuiet(files, quietMs = 750, maxMs = 10_000) {
  const deadline = Date.now() + maxMs;
  let count = -1;
  while (Date.now() < deadline && count !== files.length) {
    count = files.length;
    await sleep(quietMs);
  }
  await Promise.all(files.map((f) => f.done));
}

export async function openBenchPage(browser, url) {
  const context = await browser.newContext();
  const files = trackWidgetFiles(context);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  try {
    await page.waitForFunction(() => window.__bench && window.__bench.tti !== null, null, { timeout: 30_000, polling: 50 });
  } catch (e) {
    throw new Error(`the dialog never became interactive (${errors.join('; ') || e.message})`);
  }
  const probe = await page.evaluate(() => ({ ...window.__bench, timeOrigin: performance.timeOrigin, inputs: undefined, strengths: undefined }));
  const widget = page.locator('reset-password');
  return { context, page, files, probe, widget, errors };
}

function snapshot(files, until = Infinity) {
  return files.filter((f) => f.startTime <= until).map((f) => ({ path: f.path, status: f.status, body: f.body, error: f.error }));
}

// The backend may require an administrator's session and its CSRF token for
// POST /api/password-resets: sign in through the context's request API (its
// cookie jar is the page's) and hand the token to the element's `headers`
// attribute, as the sample page does. A backend without /api/session needs
// neither.
export const ADMIN = { userId: 'u-1001', password: 'bench-admin-password-not-a-secret' };
async function signInAsAdmin({ context, widget }, url) {
  const response = await context.request.post(new URL('/api/session', url).href, { data: ADMIN, failOnStatusCode: false });
  if (response.status() === 404 || response.status() === 405) return;
  if (!response.ok()) throw new Error(`admin sign-in failed: ${response.status()} ${await response.text()}`);
  const { csrfToken } = await response.json();
  await widget.evaluate((el, token) => el.setAttribute('headers', JSON.stringify({ 'X-CSRF-Token': token })), csrfToken);
}

// --- 1. weight -------------------------------------------------------------------------
async function measureWeight(browser, url) {
  log('weight: a whole reset with a generated password');
  const a = await openBenchPage(browser, url);
  const interactiveEpoch = a.probe.timeOrigin + a.probe.interactiveAt;
  await signInAsAdmin(a, url);
  await a.widget.getByRole('button', { name: 'Next' }).click();
  await a.widget.getByText('Step 2 of 3').waitFor();
  await a.widget.getByRole('button', { name: 'Next' }).click();
  await a.widget.getByText('Step 3 of 3').waitFor();
  await a.widget.getByRole('button', { name: 'Reset password' }).click();
  try {
    await a.widget.getByRole('heading', { name: 'Password reset' }).waitFor({ timeout: 30_000 });
  } catch (e) {
    const shown = await a.widget.evaluate((el) => el.shadowRoot?.textContent?.replace(/\s+/g, ' ').trim());
    throw new Error(`no result view after Reset password; the dialog shows: ${shown}`);
  }
  await waitQuiet(a.files);
  const interactive = snapshot(a.files, interactiveEpoch);
  const generatedReset = snapshot(a.files);
  await a.context.close();

  log('weight: a custom password typed');
  const b = await openBenchPage(browser, url);
  await b.widget.getByRole('radio', { name: 'Let me create the password' }).check();
  await b.page.evaluate(() => window.benchLab.startRecording());
  await b.widget.getByLabel('New password').pressSequentially(CONFIG.customPassword, { delay: 20 });
  await b.page.waitForFunction(() => window.benchLab.attribute().lastAnswered, null, { timeout: 60_000, polling: 20 });
  await b.page.evaluate(() => window.benchLab.stopRecording());
  await waitQuiet(b.files);
  const custom = snapshot(b.files);
  await b.context.close();

  const phases = { interactive, generatedReset, custom };
  const byPath = new Map();
  const totals = {};
  for (const [phase, list] of Object.entries(phases)) {
    totals[phase] = { requests: list.length, raw: 0, gzip: 0, brotli: 0 };
    for (const f of list) {
      if (!f.body) throw new Error(`no body for ${f.path}: ${f.error}`);
      if (f.status !== 200) throw new Error(`${f.path} answered ${f.status}`);
      const s = sizes(f.body);
      for (const k of ['raw', 'gzip', 'brotli']) totals[phase][k] += s[k];
      if (!byPath.has(f.path)) byPath.set(f.path, { path: f.path, ...s, brotliCli: brotliCli(f.body), in: {} });
      byPath.get(f.path).in[phase] = (byPath.get(f.path).in[phase] || 0) + 1;
    }
  }
  return { files: [...byPath.values()], totals };
}

// --- 2. time to interactive ------------------------------------------------------------
async function measureTti(browser, url) {
  const samples = [];
  for (let i = 0; i < CONFIG.loads; i++) {
    const p = await openBenchPage(browser, url); // a new context each time: cold cache
    samples.push(p.probe.tti);
    await p.context.close();
  }
  log(`time to interactive: ${CONFIG.loads} loads, median ${median(samples).toFixed(1)} ms`);
  return { loads: samples.length, medianMs: round(median(samples), 1), minMs: round(Math.min(...samples), 1), maxMs: round(Math.max(...samples), 1), samplesMs: samples.map((x) => round(x, 1)) };
}

// --- 3c. typing while the estimator starts --------------------------------------------
// The estimator starts while the admin types: the module is fetched and
// compiled, the worker builds zxcvbn's dictionaries, and the page's copy takes
// over the worker's memory (until that copy, a 50-90 ms dictionary build on the
// page made a key wait). Here an admin chooses "Let me create the password" and
// types at once, fast, through all of it, on fresh pages: does any key wait
// for the page's thread longer than a frame?
export async function measureTypingThroughStart(browser, url) {
  const runs = [];
  for (let i = 0; i < CONFIG.startRuns; i++) {
    const p = await openBenchPage(browser, url);
    const from = await p.page.evaluate(() => performance.now());
    await p.widget.getByRole('radio', { name: 'Let me create the password' }).check();
    const field = p.widget.getByLabel('New password');
    await field.pressSequentially(textOf(CONFIG.startTypedLength), { delay: CONFIG.startKeyDelayMs });
    await sleep(300); // the last entries are delivered
    // Only what happened from the choice on: the page's own load is section 2's.
    const { slowEvents, longTasks } = await p.page.evaluate((t) => ({
      slowEvents: window.__bench.slowEvents.filter((e) => e.startTime >= t),
      longTasks: window.__bench.longTasks.filter((e) => e.startTime + e.duration >= t),
    }), from);
    const keys = slowEvents.filter((e) => ['keydown', 'keypress', 'beforeinput', 'input', 'keyup'].includes(e.name));
    runs.push({
      // The keys that waited or ran over a frame: which, and when after the choice.
      slowKeys: keys.filter((e) => e.inputDelay > 16 || e.processing > 16)
        .map((e) => ({ name: e.name, atMs: round(e.startTime - from, 0), inputDelayMs: round(e.inputDelay, 1), handlerMs: round(e.processing, 1) })),
      maxInputDelayMs: round(Math.max(0, ...keys.map((e) => e.inputDelay)), 1),
      maxProcessingMs: round(Math.max(0, ...keys.map((e) => e.processing)), 1),
      longTasksMs: longTasks.map((t) => round(t.duration, 0)),
    });
    await p.context.close();
  }
  const delays = runs.map((r) => r.maxInputDelayMs);
  log(`typing through the estimator's start: ${runs.filter((r) => r.maxInputDelayMs > 16).length}/${runs.length} pages had a key wait over 16 ms (max ${Math.max(...delays)} ms)`);
  return {
    runs: runs.length,
    typedLength: CONFIG.startTypedLength,
    keyDelayMs: CONFIG.startKeyDelayMs,
    pagesWithAKeyWaitingOver16ms: runs.filter((r) => r.maxInputDelayMs > 16).length,
    medianOfMaxInputDelayMs: round(median(delays), 1),
    maxInputDelayMs: round(Math.max(...delays), 1),
    maxProcessingMs: round(Math.max(...runs.map((r) => r.maxProcessingMs)), 1),
    longTasksMs: runs.flatMap((r) => r.longTasksMs),
    slowKeys: runs.flatMap((r) => r.slowKeys),
  };
}

// --- 3. keystroke latency ----------------------------------------------------------------
export async function typeAndCollect(page, field, text) {
  await page.evaluate(() => window.benchLab.startRecording());
  await field.pressSequentially(text, { delay: CONFIG.keyDelayMs });
  let complete = true;
  try {
    await page.waitForFunction(() => window.benchLab.attribute().lastAnswered, null, { timeout: CONFIG.timeoutMs, polling: 10 });
  } catch {
    complete = false; // reported: the last keystroke never got its answer
  }
  const result = await page.evaluate(() => window.benchLab.stopRecording());
  await field.fill('');
  await sleep(200);
  return { ...result, complete };
}

async function measureKeystrokes(browser, url) {
  const p = await openBenchPage(browser, url);
  const { page, widget } = p;
  const from = await page.evaluate(() => performance.now());
  await widget.getByRole('radio', { name: 'Let me create the password' }).check();
  const field = widget.getByLabel('New password');

  log('keystrokes: first estimate (the estimator worker downloaded, compiled and started)');
  const cold = await typeAndCollect(page, field, 'c');
  const coldFirstEstimateMs = round(cold.latencies[0], 1);

  const rows = [];
  for (const length of CONFIG.lengths) {
    const text = textOf(length);
    const reps = CONFIG.repsFor(length);
    const row = { length, reps, typed: 0, arrived: 0, duplicates: 0, incomplete: 0, latencies: [], answers: [], breakdown: { toRequest: [], worker: [], toEvent: [] } };
    for (let r = 0; r < reps; r++) {
      const res = await typeAndCollect(page, field, text);
      row.typed += res.typed;
      row.arrived += res.arrived;
      row.duplicates += res.duplicates;
      if (!res.complete) row.incomplete++;
      row.latencies.push(...res.latencies);
      row.answers.push(...res.answers);
      for (const k of Object.keys(row.breakdown)) row.breakdown[k].push(...res.breakdown[k]);
    }
    log(`keystrokes: ${length} characters typed ${reps}x, ${row.arrived}/${row.typed} answers, median ${median(row.latencies)?.toFixed(2)} ms`);
    rows.push(row);
  }

  // A pasted password is one input event, however long: the latency to its
  // meter, and (below) whether any event of the session waited over a frame.
  log('pastes: one input event per password');
  const pastes = [];
  for (const { length, kind, text } of CONFIG.pastes) {
    const latencies = [];
    for (let r = 0; r < CONFIG.pasteReps; r++) {
      await page.evaluate(() => window.benchLab.startRecording());
      await field.fill(textOf(length, text));
      try {
        await page.waitForFunction(() => window.benchLab.attribute().lastAnswered, null, { timeout: CONFIG.timeoutMs, polling: 10 });
      } catch {
        /* counted as unanswered */
      }
      const res = await page.evaluate(() => window.benchLab.stopRecording());
      latencies.push(...res.latencies);
      await field.fill('');
      await sleep(200);
    }
    pastes.push({ length, kind, pasted: CONFIG.pasteReps, answered: latencies.length, latency: summary(latencies) });
    log(`pastes: ${length} characters${kind ? ` of ${kind}` : ''}, median ${median(latencies)?.toFixed(2)} ms to the meter`);
  }
  // Everything the widget did on this page so far (the libraries are loaded next).
  // From the choice on: the page's own load is section 2's.
  const blocking = await page.evaluate((t) => ({
    supported: PerformanceObserver.supportedEntryTypes.includes('event'),
    counts: Object.fromEntries(['keydown', 'beforeinput', 'input', 'keyup', 'pointerdown', 'click'].map((n) => [n, performance.eventCounts.get(n) ?? 0])),
    slowEvents: window.__bench.slowEvents.filter((e) => e.startTime >= t),
    longTasks: window.__bench.longTasks.filter((e) => e.startTime + e.duration >= t),
  }), from);

  log('keystrokes: estimateStrength prefix by prefix (the worker without the dialog)');
  for (const row of rows) {
    const { times, guessesLog10 } = await page.evaluate(([t, reps]) => window.benchLab.oursPrefixTimes(t, reps), [textOf(row.length), row.reps]);
    row.estimateStrength = times;
    // Each answer the dialog showed must be the estimate of the text it was paired with.
    row.mismatched = row.answers.filter((a) => Math.abs(a.guessesLog10 - guessesLog10[a.length]) > 1e-6).length;
  }

  log('keystrokes: zxcvbn.js and zxcvbn-ts prefix by prefix, main thread');
  const libLoad = await page.evaluate(() => window.benchLab.loadLibs());
  for (const row of rows) {
    for (const lib of ['zxcvbnJs', 'zxcvbnTs']) {
      row[lib] = await page.evaluate(([name, t, reps]) => window.benchLab.libPrefixTimes(name, t, reps), [lib, textOf(row.length), row.reps]);
    }
    log(`keystrokes: ${row.length} characters: zxcvbn.js median ${median(row.zxcvbnJs).toFixed(2)} ms`);
  }

  // --- 4. throughput, same page ---
  const corpus = readFileSync(join(BENCH, 'corpus.txt'), 'utf8').split('\n').filter((l) => l.length > 0);
  const throughput = { corpus: { path: 'bench/corpus.txt', passwords: corpus.length, sha256: createHash('sha256').update(corpus.join('\n')).digest('hex').slice(0, 16) }, passes: CONFIG.throughputPasses };
  for (const kind of ['oursSequential', 'oursPipelined', 'zxcvbnJs', 'zxcvbnTs']) {
    await page.evaluate(([k, c]) => window.benchLab.throughputPass(k, c), [kind, corpus]); // warm-up pass
    const ms = [];
    for (let i = 0; i < CONFIG.throughputPasses; i++) {
      ms.push(await page.evaluate(([k, c]) => window.benchLab.throughputPass(k, c), [kind, corpus]));
    }
    const perSecond = ms.map((m) => corpus.length / (m / 1000));
    throughput[kind] = { perSecond: round(median(perSecond), 1), msPerPassword: round(median(ms) / corpus.length, 3), passesMs: ms.map((m) => round(m, 1)) };
    log(`throughput: ${kind} ${throughput[kind].perSecond} passwords/s`);
  }

  // The same at fixed lengths: distinct passwords, many calls in flight.
  throughput.byLength = [];
  for (const length of CONFIG.throughputLengths) {
    const passwords = passwordsOfLength(corpus, length, CONFIG.throughputPerLength);
    const row = { length, passwords: passwords.length };
    for (const kind of ['oursPipelined', 'zxcvbnJs']) {
      await page.evaluate(([k, c]) => window.benchLab.throughputPass(k, c), [kind, passwords]);
      const ms = [];
      for (let i = 0; i < CONFIG.throughputPasses; i++) ms.push(await page.evaluate(([k, c]) => window.benchLab.throughputPass(k, c), [kind, passwords]));
      row[kind] = { perSecond: round(passwords.length / (median(ms) / 1000), 1), passesMs: ms.map((m) => round(m, 1)) };
    }
    row.ratio = round(row.oursPipelined.perSecond / row.zxcvbnJs.perSecond, 2);
    log(`throughput at ${length} characters: ours ${row.oursPipelined.perSecond}/s, zxcvbn.js ${row.zxcvbnJs.perSecond}/s (${row.ratio}x)`);
    throughput.byLength.push(row);
  }

  const errors = p.errors;
  await p.context.close();
  return { coldFirstEstimateMs, rows, pastes, blocking, libLoad, throughput, errors };
}

/** `count` distinct passwords of exactly `length` characters: corpus passwords joined with '-', cut. */
export function passwordsOfLength(corpus, length, count) {
  const out = [];
  for (let start = 0; out.length < count; start += 7) {
    let text = '';
    for (let i = start; text.length < length; i += 1) text += (text ? '-' : '') + corpus[i % corpus.length];
    out.push(text.slice(0, length));
  }
  return out;
}

// --- results ---------------------------------------------------------------------------
function git(args) {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

const ratio = (a, b) => (a === null || b === null || b === 0 ? null : round(a / b, 3));

function results({ weight, tti, keys, libs, chromium, startedAt }) {
  const pkg = (name) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  const keystroke = keys.rows.map((row) => {
    const ours = summary(row.latencies);
    const zjs = summary(row.zxcvbnJs);
    return {
      length: row.length,
      passes: row.reps,
      typed: row.typed,
      answered: row.arrived,
      dropped: row.typed - row.arrived,
      unanswered_last_keystroke: row.incomplete,
      mismatched_answers: row.mismatched,
      duplicate_answers: row.duplicates,
      ours,
      oursBreakdownMedianMs: Object.fromEntries(Object.entries(row.breakdown).map(([k, v]) => [k, round(median(v), 3)])),
      oursEstimateStrength: summary(row.estimateStrength),
      zxcvbnJs: zjs,
      zxcvbnTs: summary(row.zxcvbnTs),
      ratioOursToZxcvbnJs: { median: ratio(ours.medianMs, zjs.medianMs), p99: ratio(ours.p99Ms, zjs.p99Ms) },
    };
  });
  const t = keys.throughput;
  const zjsWeight = libs['zxcvbn-js'];
  return {
    meta: {
      startedAt,
      commit: git(['rev-parse', '--short', 'HEAD']),
      uncommittedChanges: (git(['status', '--porcelain', '--', '.', ':!bench/results']) || '').length > 0,
      chromium,
      node: process.version,
      cpus: cpus().length,
      versions: { zxcvbn: pkg('zxcvbn'), '@zxcvbn-ts/core': pkg('@zxcvbn-ts/core'), '@zxcvbn-ts/language-common': pkg('@zxcvbn-ts/language-common'), '@zxcvbn-ts/language-en': pkg('@zxcvbn-ts/language-en'), 'playwright-core': pkg('playwright-core'), esbuild: pkg('esbuild') },
      method: { loads: CONFIG.loads, keyDelayMs: CONFIG.keyDelayMs, typedText: CONFIG.text, throughputPasses: CONFIG.throughputPasses, counted: `responses under ${PREFIX} only`, kilobyte: 1000 },
    },
    weight: {
      counted: `files under ${PREFIX} only (the host page, the bench's scripts and API calls are not counted)`,
      files: weight.files,
      totals: weight.totals,
      reference: { zxcvbnJs: zjsWeight, zxcvbnTs: libs['zxcvbn-ts'] },
      ratioBrotliToZxcvbnJs: Object.fromEntries(Object.entries(weight.totals).map(([k, v]) => [k, ratio(v.brotli, zjsWeight.brotli)])),
    },
    timeToInteractive: tti,
    keystroke: { coldFirstEstimateMs: keys.coldFirstEstimateMs, libraryLoad: roundDeep(keys.libLoad), rows: keystroke },
    pastes: keys.pastes,
    blocking: blockingSummary(keys.blocking),
    typingThroughStart: keys.typingThroughStart,
    throughput: {
      ...t,
      ratioToZxcvbnJs: { oursSequential: ratio(t.oursSequential.perSecond, t.zxcvbnJs.perSecond), oursPipelined: ratio(t.oursPipelined.perSecond, t.zxcvbnJs.perSecond), zxcvbnTs: ratio(t.zxcvbnTs.perSecond, t.zxcvbnJs.perSecond) },
    },
    pageErrors: keys.errors,
  };
}

// Input events that waited over a frame, from Event Timing (see probe.js).
function blockingSummary(b) {
  if (!b.supported) return { supported: false };
  const inputs = b.slowEvents.filter((e) => ['keydown', 'keypress', 'beforeinput', 'input', 'keyup'].includes(e.name));
  const max = (xs, k) => (xs.length ? round(Math.max(...xs.map((e) => e[k])), 1) : 0);
  return {
    supported: true,
    eventCounts: b.counts,
    keyAndInputEventsOver16ms: inputs.length,
    // An event's duration runs to the next paint and is rounded to 8 ms by the browser.
    maxDurationMs: max(inputs, 'duration'),
    maxInputDelayMs: max(inputs, 'inputDelay'),
    maxProcessingMs: max(inputs, 'processing'),
    slowest: [...inputs].sort((a, c) => c.duration - a.duration).slice(0, 5).map((e) => roundDeep(e)),
    otherSlowEvents: b.slowEvents.filter((e) => !inputs.includes(e)).map((e) => roundDeep(e)),
    longTasks: b.longTasks.map((t) => roundDeep(t)),
  };
}

function roundDeep(o) {
  return JSON.parse(JSON.stringify(o, (_k, v) => (typeof v === 'number' ? round(v, 2) : v)));
}

async function main() {
  const startedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  for (const f of ['reset-widget.js', 'password-reset-widget_bg.wasm']) {
    if (!existsSync(join(ROOT, 'dist', f))) throw new Error(`dist/${f} is missing: run \`make bench\` (or \`make dist\`) first`);
  }
  log('bundling zxcvbn.js and zxcvbn-ts with esbuild into a temporary www folder');
  const www = await prepareWww();
  // 200 seeded users and a high per-address limit: the recovery timing asks for
  // a code for each of them (bench/recovery.mjs).
  const backend = await startBackend({
    testMode: false, www: www.dir, env: { ADMIN_PASSWORD: ADMIN.password },
    extraArgs: ['--seed-users', '200', '--recovery-client-limit', '100000'],
  });
  const browser = await launchBrowser();
  let out;
  try {
    const url = backend.url + '/';
    log(`backend on ${backend.url}, Chromium ${browser.version()}`);
    log(`the host page's own load: ${CONFIG.hostLoads} loads each, with and without the widget`);
    const hostLoad = await measureHostLoad(browser, url, sizes, CONFIG.hostLoads);
    const weight = await measureWeight(browser, url);
    const tti = await measureTti(browser, url);
    const keys = await measureKeystrokes(browser, url);
    keys.typingThroughStart = await measureTypingThroughStart(browser, url);
    out = results({ weight, tti, keys, libs: www.libs, chromium: browser.version(), startedAt });
    out.hostLoad = hostLoad;
    log('timing POST /api/password-recovery/codes for existing and unknown logins');
    out.recoveryCodes = await measureRecoveryCodes(backend.url);
  } finally {
    await browser.close();
    await backend.stop();
    rmSync(www.dir, { recursive: true, force: true });
  }
  console.log(formatReport(out));
  if (!process.env.BENCH_NO_SAVE) {
    const dir = join(BENCH, 'results');
    mkdirSync(dir, { recursive: true });
    const json = JSON.stringify(out, null, 2) + '\n';
    writeFileSync(join(dir, 'latest.json'), json);
    writeFileSync(join(dir, `${startedAt.replace(/:/g, '-')}.json`), json);
    log(`wrote bench/results/latest.json and bench/results/${startedAt.replace(/:/g, '-')}.json`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
