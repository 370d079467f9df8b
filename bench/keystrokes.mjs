// The keystroke part of the bench alone, for comparing two builds of dist/
// quickly (make bench runs all of it): typing key by key at each length into
// "Let me create the password", pastes, and typing at once on fresh pages
// through the estimator's start. Prints one JSON object on stdout.
//   node bench/keystrokes.mjs            # this checkout's dist/
// Knobs: BENCH_LENGTHS, BENCH_KEY_DELAY_MS (as run.mjs), KEYS_START_RUNS
// (fresh pages, default 40), KEYS_REPS (passes per length, default 2).
import { launchBrowser, startBackend } from '../tests/e2e/harness.mjs';
import { ADMIN, CONFIG, measureTypingThroughStart, openBenchPage, percentile, summary, textOf, typeAndCollect } from './run.mjs';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const reps = Number(process.env.KEYS_REPS || 2);
CONFIG.startRuns = Number(process.env.KEYS_START_RUNS || 40);

const www = mkdtempSync(join(tmpdir(), 'reset-keys-www-'));
cpSync(join(import.meta.dirname, 'page'), www, { recursive: true });
const backend = await startBackend({ testMode: false, www, env: { ADMIN_PASSWORD: ADMIN.password } });
const browser = await launchBrowser();
const out = { rows: [], pastes: [] };
try {
  const url = backend.url + '/';
  const p = await openBenchPage(browser, url);
  await p.widget.getByRole('radio', { name: 'Let me create the password' }).check();
  const field = p.widget.getByLabel('New password');
  await typeAndCollect(p.page, field, 'c'); // the estimator started
  for (const length of CONFIG.lengths) {
    const latencies = [];
    let incomplete = 0;
    for (let r = 0; r < Math.max(reps, Math.ceil(64 / length)); r++) {
      const res = await typeAndCollect(p.page, field, textOf(length));
      latencies.push(...res.latencies);
      if (!res.complete) incomplete++;
    }
    const row = { length, ...summary(latencies), p95Ms: percentile(latencies, 95), over16: latencies.filter((x) => x > 16).length, incomplete };
    console.error('[keys]', JSON.stringify(row));
    out.rows.push(row);
  }
  for (const { length, text } of CONFIG.pastes) {
    const latencies = [];
    for (let r = 0; r < CONFIG.pasteReps; r++) {
      await p.page.evaluate(() => window.benchLab.startRecording());
      await field.fill(textOf(length, text));
      await p.page.waitForFunction(() => window.benchLab.attribute().lastAnswered, null, { timeout: CONFIG.timeoutMs, polling: 10 });
      latencies.push(...(await p.page.evaluate(() => window.benchLab.stopRecording())).latencies);
      await field.fill('');
    }
    out.pastes.push({ length, text: text ? 'l33t' : undefined, ...summary(latencies) });
  }
  out.blocking = await p.page.evaluate(() => ({ slowEvents: window.__bench.slowEvents, longTasks: window.__bench.longTasks }));
  await p.context.close();
  out.typingThroughStart = await measureTypingThroughStart(browser, url);
} finally {
  await browser.close();
  await backend.stop();
  rmSync(www, { recursive: true, force: true });
}
console.log(JSON.stringify(out));
