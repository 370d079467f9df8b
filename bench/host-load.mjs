// The host page's own load (issue: "the host page pays almost nothing until
// the dialog is needed"). An intranet page with the widget's script and a
// <reset-password> in a closed <dialog> (bench/page/host-widget.html), side
// by side with the same page without the widget (host.html), each loaded
// `loads` times in a fresh browser context (cold cache):
//  - bytes downloaded before the page's `load` event (every response whose
//    request started before it; the widget's files under /static/reset-widget/
//    apart), raw and brotli, and whether any .wasm was among them;
//  - main-thread time until `load`: from a Chromium trace of the load, the
//    page's main thread's tasks (and the script among them) that ran before
//    the `load` event, so nothing after it (the idle preload) is counted;
//  - the `load` event's time (navigation timing loadEventStart).
// Then the time from showModal() to the dialog's first step accepting input
// ("New password" in the shadow root, connected and enabled, as probe.js):
// cold (host-lazy.html: loading="lazy", so the load starts at showModal) and
// after the idle preload (host-widget.html, once the module is there).
const PREFIX = '/static/reset-widget/';

const median = (xs) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, d = 1) => (x === null || x === undefined ? null : Number(x.toFixed(d)));
const stats = (xs) => ({ medianMs: round(median(xs)), minMs: round(Math.min(...xs)), maxMs: round(Math.max(...xs)) });

// One load of a page: what came before `load`, and the main thread's time by then.
async function loadOnce(browser, url, sizes) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const responses = [];
  page.on('response', (response) => {
    const entry = { url: response.url(), startTime: response.request().timing().startTime, body: null };
    entry.done = response.body().then((b) => { entry.body = b; }, () => { entry.body = Buffer.alloc(0); });
    responses.push(entry);
  });
  // A Chromium trace of the load: the page's main thread's tasks until the
  // `load` event (its MarkLoad event), so nothing after it (the idle
  // preload) is counted.
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  await page.goto(url, { waitUntil: 'load' });
  const { taskMs, scriptMs } = mainThreadUntilLoad(JSON.parse((await browser.stopTracing()).toString()));
  const nav = await page.evaluate(() => ({ timeOrigin: performance.timeOrigin, load: performance.getEntriesByType('navigation')[0].loadEventStart }));
  const loadEpoch = nav.timeOrigin + nav.load;
  const before = responses.filter((r) => r.startTime <= loadEpoch);
  await Promise.all(before.map((r) => r.done));
  const total = { raw: 0, brotli: 0 };
  const widget = { raw: 0, brotli: 0, files: [] };
  for (const r of before) {
    const s = sizes(r.body);
    total.raw += s.raw;
    total.brotli += s.brotli;
    const path = new URL(r.url).pathname;
    if (path.startsWith(PREFIX)) {
      widget.raw += s.raw;
      widget.brotli += s.brotli;
      widget.files.push(path.slice(PREFIX.length));
    }
  }
  await context.close();
  return { loadMs: nav.load, taskMs, scriptMs, total, widget };
}

// The renderer's main thread (the one with the main frame's MarkLoad): the
// time in its tasks (RunTask) and in script (EvaluateScript, v8.compileModule,
// v8.evaluateModule, FunctionCall) before `load`, in ms.
function mainThreadUntilLoad(trace) {
  const events = trace.traceEvents ?? trace;
  const mark = events.find((e) => e.name === 'MarkLoad' && e.args?.data?.isMainFrame !== false);
  if (!mark) throw new Error('no MarkLoad event in the trace');
  const on = events.filter((e) => e.pid === mark.pid && e.tid === mark.tid && e.ph === 'X' && e.ts < mark.ts);
  const sum = (names) => on.filter((e) => names.includes(e.name)).reduce((t, e) => t + Math.min(e.dur ?? 0, mark.ts - e.ts), 0) / 1000;
  return { taskMs: sum(['RunTask', 'ThreadControllerImpl::RunTask']), scriptMs: sum(['EvaluateScript', 'v8.compileModule', 'v8.evaluateModule', 'FunctionCall']) };
}

// showModal() -> the first step accepts input, timed in the page.
async function openDialog(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const el = document.querySelector('reset-password');
    const ready = () => {
      const root = el.shadowRoot;
      if (!root) return false;
      for (const label of root.querySelectorAll('label')) {
        if (label.textContent.trim() === 'New password' && label.control) return label.control.isConnected && !label.control.disabled;
      }
      return false;
    };
    const t0 = performance.now();
    document.getElementById('reset-dialog').showModal();
    if (ready()) return resolve(performance.now() - t0);
    const observer = new MutationObserver(() => {
      if (ready()) {
        observer.disconnect();
        resolve(performance.now() - t0);
      }
    });
    observer.observe(el.shadowRoot, { childList: true, subtree: true, attributes: true });
    setTimeout(() => reject(new Error('the dialog never became interactive')), 30_000);
  }));
}

async function dialogTime(browser, url, preloaded) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  if (preloaded) {
    // The idle preload: the module is there and the element mounted in the closed dialog.
    await page.waitForFunction(() => document.querySelector('reset-password').shadowRoot?.querySelector('input'), null, { timeout: 30_000, polling: 20 });
  }
  const wasmBefore = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm')).length);
  const ms = await openDialog(page);
  await context.close();
  return { ms, wasmBefore };
}

export async function measureHostLoad(browser, baseUrl, sizes, loads) {
  const pages = {};
  for (const [name, file] of [['without', 'host.html'], ['with', 'host-widget.html']]) {
    const runs = [];
    for (let i = 0; i < loads; i++) runs.push(await loadOnce(browser, baseUrl + file, sizes));
    const widgetFiles = [...new Set(runs.flatMap((r) => r.widget.files))];
    pages[name] = {
      page: file,
      bytesBeforeLoad: { raw: runs[0].total.raw, brotli: runs[0].total.brotli },
      widgetBytesBeforeLoad: { raw: Math.max(...runs.map((r) => r.widget.raw)), brotli: Math.max(...runs.map((r) => r.widget.brotli)) },
      widgetFilesBeforeLoad: widgetFiles,
      wasmBeforeLoad: widgetFiles.some((f) => f.endsWith('.wasm')),
      mainThreadBeforeLoad: stats(runs.map((r) => r.taskMs)),
      scriptBeforeLoad: stats(runs.map((r) => r.scriptMs)),
      loadEvent: stats(runs.map((r) => r.loadMs)),
    };
  }
  const dialog = {};
  for (const [name, file, preloaded] of [['cold', 'host-lazy.html', false], ['preloaded', 'host-widget.html', true]]) {
    const runs = [];
    for (let i = 0; i < loads; i++) runs.push(await dialogTime(browser, baseUrl + file, preloaded));
    dialog[name] = { page: file, ...stats(runs.map((r) => r.ms)), wasmLoadedBeforeShowModal: runs.every((r) => r.wasmBefore > 0) };
  }
  return { loads, pages, dialog };
}

const kb = (bytes) => (bytes / 1000).toFixed(1);
const ms = (x) => (x === null || x === undefined ? '-' : x < 10 ? x.toFixed(2) : x.toFixed(1));

export function formatHostLoad(h) {
  const { without, with: withW } = h.pages;
  const row = (label, p) => [label, kb(p.bytesBeforeLoad.raw), kb(p.bytesBeforeLoad.brotli), kb(p.widgetBytesBeforeLoad.brotli),
    p.widgetFilesBeforeLoad.join(' ') || '-', ms(p.mainThreadBeforeLoad.medianMs), ms(p.scriptBeforeLoad.medianMs), ms(p.loadEvent.medianMs)];
  const head = ['page', 'raw KB', 'brotli KB', 'widget brotli KB', 'widget files', 'main thread ms', 'script ms', 'load ms'];
  const rows = [row('without the widget (host.html)', without), row('with it, in a closed <dialog>', withW)];
  const widths = head.map((x, i) => Math.max(x.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[0]) : String(c).padStart(widths[i]))).join('  ');
  const d = h.dialog;
  return [
    `0. THE HOST PAGE'S OWN LOAD: what an intranet page downloads and runs before its \`load\` event (${h.loads} cold loads each; medians;`,
    "   main thread = the page's main-thread tasks before `load` (Chromium trace; the renderer's own start included, alike on both pages), script = script run among them;",
    '   every response started before `load` counted, the page itself included; widget = files under /static/reset-widget/).',
    line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line),
    `   showModal() -> first step accepting input: cold (loading="lazy": the load starts there) median ${ms(d.cold.medianMs)} ms (min ${ms(d.cold.minMs)}, max ${ms(d.cold.maxMs)});`,
    `   after the idle preload (default loading) median ${ms(d.preloaded.medianMs)} ms (min ${ms(d.preloaded.minMs)}, max ${ms(d.preloaded.maxMs)})${d.preloaded.wasmLoadedBeforeShowModal ? '' : ' WARNING: not preloaded on every load'}.`,
  ].join('\n');
}
