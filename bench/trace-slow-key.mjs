// A diagnostic, not part of `make bench`: what holds the page's thread when a
// key waits on a fresh page (section 3c). Opens fresh bench pages, traces each
// from the choice of a custom password through 40 typed keys, and stops at
// the first page where a key waited over 16 ms: it prints those keys and the
// page thread's tasks of 12 ms or more, with what ran inside them (and, for a
// "Receive mojo message", which interface sent it).
//   node bench/trace-slow-key.mjs        # TRACE_PAGES=30: pages to try
import { launchBrowser, startBackend } from '../tests/e2e/harness.mjs';
import { ADMIN, CONFIG, openBenchPage, textOf } from './run.mjs';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.wasm', 'blink', 'toplevel'];

function report(keys, traceEvents) {
  console.log('slow keys (ms after the choice):', JSON.stringify(keys));
  const main = traceEvents.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const onMain = traceEvents.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur);
  const tasks = onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.dur >= 12_000);
  for (const task of tasks) {
    const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur && e.dur >= 200);
    const what = inside.map((e) => `${e.name} ${(e.dur / 1000).toFixed(1)}`).slice(0, 30).join(' | ');
    const mojo = inside.filter((e) => e.name === 'Receive mojo message').map((e) => e.args?.chrome_mojo_event_info?.mojo_interface_tag);
    console.log(`task ${(task.dur / 1000).toFixed(1)} ms at +${((task.ts - tasks[0].ts) / 1000).toFixed(0)}: ${what}${mojo.length ? ` [mojo: ${mojo.join(', ')}]` : ''}`);
  }
}

const www = mkdtempSync(join(tmpdir(), 'reset-trace-www-'));
cpSync(join(import.meta.dirname, 'page'), www, { recursive: true });
const backend = await startBackend({ testMode: false, www, env: { ADMIN_PASSWORD: ADMIN.password } });
const browser = await launchBrowser();
try {
  for (let i = 0; i < Number(process.env.TRACE_PAGES || 30); i++) {
    const p = await openBenchPage(browser, backend.url + '/');
    await browser.startTracing(p.page, { categories: CATEGORIES });
    const from = await p.page.evaluate(() => performance.now());
    await p.widget.getByRole('radio', { name: 'Let me create the password' }).check();
    await p.widget.getByLabel('New password').pressSequentially(textOf(CONFIG.startTypedLength), { delay: CONFIG.startKeyDelayMs });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the last entries are delivered
    const keys = await p.page.evaluate((t) => window.__bench.slowEvents
      .filter((e) => e.startTime >= t && e.inputDelay > 16)
      .map((e) => ({ name: e.name, at: Math.round(e.startTime - t), waited: Math.round(e.inputDelay) })), from);
    const trace = await browser.stopTracing();
    await p.context.close();
    if (keys.length > 0) {
      console.log(`page ${i + 1}:`);
      report(keys, JSON.parse(trace.toString()).traceEvents);
      break;
    }
  }
} finally {
  await browser.close();
  await backend.stop();
  rmSync(www, { recursive: true, force: true });
}
