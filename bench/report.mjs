// Turns a results object (bench/results/*.json) into the printed table.
//   node bench/report.mjs [FILE]   prints the table of a saved run (default: latest.json)
import { formatRecovery } from './recovery.mjs';
import { formatHostLoad } from './host-load.mjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const kb = (bytes) => (bytes === null || bytes === undefined ? '-' : (bytes / 1000).toFixed(1));
const ms = (x) => (x === null || x === undefined ? '-' : x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(1) : x.toFixed(0));
const rx = (x) => (x === null || x === undefined ? '-' : x.toFixed(2));
const pad = (s, n) => String(s).padStart(n);
const padEnd = (s, n) => String(s).padEnd(n);

function table(head, rows, firstWidth) {
  const widths = head.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
  if (firstWidth) widths[0] = Math.max(widths[0], firstWidth);
  const line = (cells) => cells.map((c, i) => (i === 0 ? padEnd(c, widths[0]) : pad(c, widths[i]))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function targets(r) {
  const t = r.weight.totals;
  const rows = r.keystroke.rows;
  const short = rows.filter((x) => x.length <= 32);
  const tp = r.throughput;
  const host = r.hostLoad?.pages.with;
  const keyP99 = rows.every((x) => x.ours.p99Ms !== null && x.ours.p99Ms <= 16);
  const ts = r.typingThroughStart;
  const bl = r.blocking;
  const byLength = tp.byLength ?? [];
  const module = r.weight.files.find((f) => f.path === 'password-reset-widget_bg.wasm');
  return [
    ...(host ? [['1. host page: at most 10 KB brotli of the widget before `load`, no WebAssembly',
      `${kb(host.widgetBytesBeforeLoad.brotli)} KB (${host.widgetFilesBeforeLoad.join(', ') || 'nothing'})`,
      host.widgetBytesBeforeLoad.brotli <= 10_000 && !host.wasmBeforeLoad]] : []),
    ['2. dialog: at most 130 KB brotli before it is interactive', `${kb(t.interactive.brotli)} KB (the module ${module ? kb(module.brotli) : '-'} KB)`, t.interactive.brotli <= 130_000],
    ['everything: at most 700 KB brotli, below zxcvbn-ts', `${kb(t.custom.brotli)} KB (zxcvbn-ts ${kb(r.weight.reference.zxcvbnTs.brotli)} KB)`,
      t.custom.brotli <= 700_000 && t.custom.brotli < r.weight.reference.zxcvbnTs.brotli],
    ['3. keystroke -> meter p99 at most 16 ms, 1 to 256 characters', rows.map((x) => `${x.length}: ${ms(x.ours.p99Ms)}`).join(', '), keyP99],
    ['3. pastes up to 10,000 characters: p99 at most 16 ms', (r.pastes ?? []).map((x) => `${x.length}${x.kind ? ' l33t' : ''}: ${ms(x.latency.p99Ms)}`).join(', '), (r.pastes ?? []).every((x) => x.latency.p99Ms !== null && x.latency.p99Ms <= 16)],
    ['3. no input delay or handler over 16 ms typing, pasting and on fresh pages', bl && bl.supported
      ? `typing: delay ${ms(bl.maxInputDelayMs)}, handler ${ms(bl.maxProcessingMs)} ms; ${ts ? `${ts.runs} fresh pages: ${ts.pagesWithAKeyWaitingOver16ms} over 16 ms (max delay ${ms(ts.maxInputDelayMs)}, handler ${ms(ts.maxProcessingMs)} ms)` : 'fresh pages not measured'}`
      : 'not measured',
      !!(bl && bl.supported && bl.maxInputDelayMs <= 16 && bl.maxProcessingMs <= 16 && ts && ts.maxInputDelayMs <= 16 && ts.maxProcessingMs <= 16)],
    ['3. no long task (over 50 ms) while typing or pasting', `typing and pasting: ${bl?.longTasks?.length ?? 0}; fresh pages: ${ts?.longTasksMs?.length ?? 0}`, (bl?.longTasks?.length ?? 0) === 0 && (ts?.longTasksMs?.length ?? 0) === 0],
    ['3. throughput at least 4x zxcvbn.js at 32, 64, 128, 256 characters', byLength.map((x) => `${x.length}: ${rx(x.ratio)}x`).join(', ') || 'not measured', byLength.length > 0 && byLength.every((x) => x.ratio >= 4)],
    ['3. throughput at least 5x zxcvbn.js on the mixed corpus', `${rx(tp.ratioToZxcvbnJs.oursPipelined)}x`, tp.ratioToZxcvbnJs.oursPipelined >= 5],
  ];
}

export function formatReport(r) {
  const out = [];
  const m = r.meta;
  out.push(`Password-reset widget benchmark, ${m.startedAt}: commit ${m.commit}${m.uncommittedChanges ? ' + uncommitted changes' : ''}, Chromium ${m.chromium}, Node ${m.node}, ${m.cpus} CPUs`);
  out.push('Headless Chromium against the reference backend on 127.0.0.1 (no network latency; the server does not compress: sizes are computed). KB = 1000 bytes.');

  if (r.hostLoad) out.push('', formatHostLoad(r.hostLoad));

  // 1. weight
  const w = r.weight;
  out.push('', `1. WEIGHT: ${w.counted}.`);
  out.push('   gzip = node zlib level 9, brotli = node zlib quality 11 (window 2^24, as the brotli CLI); x = downloaded in that phase.');
  const phases = ['interactive', 'generatedReset', 'custom'];
  const fileRows = w.files.map((f) => [f.path, kb(f.raw), kb(f.gzip), kb(f.brotli), ...phases.map((p) => (f.in[p] ? (f.in[p] > 1 ? `x${f.in[p]}` : 'x') : ''))]);
  out.push(table(['file', 'raw KB', 'gzip KB', 'brotli KB', 'interactive', 'generated reset', 'custom typed'], fileRows, 32));
  const totalRows = ['raw', 'gzip', 'brotli'].map((k) => [`total ${k} KB`, ...phases.map((p) => kb(w.totals[p][k]))]);
  totalRows.push(['requests', ...phases.map((p) => w.totals[p].requests)]);
  totalRows.push(['brotli / zxcvbn.js brotli', ...phases.map((p) => rx(w.ratioBrotliToZxcvbnJs[p]))]);
  out.push('', table(['', 'before interactive', 'whole reset (generated)', 'custom typed (everything)'], totalRows, 32));
  out.push('', table(['for reference (bundled, minified)', 'raw KB', 'gzip KB', 'brotli KB'], [
    ['zxcvbn.js 4.4.2', kb(w.reference.zxcvbnJs.raw), kb(w.reference.zxcvbnJs.gzip), kb(w.reference.zxcvbnJs.brotli)],
    ['@zxcvbn-ts/core 4 + common + en', kb(w.reference.zxcvbnTs.raw), kb(w.reference.zxcvbnTs.gzip), kb(w.reference.zxcvbnTs.brotli)],
  ], 32));
  const cliOff = w.files.filter((f) => f.brotliCli !== null && f.brotliCli !== f.brotli);
  if (w.files.some((f) => f.brotliCli !== null)) {
    out.push(cliOff.length === 0 ? '   (the brotli CLI gives the same sizes)' : `   (the brotli CLI differs on: ${cliOff.map((f) => `${f.path} ${f.brotliCli} B`).join(', ')})`);
  }

  // 2. time to interactive
  const t = r.timeToInteractive;
  out.push('', `2. TIME TO INTERACTIVE: reset-widget.js request start -> "New password" field in the shadow root and enabled; ${t.loads} cold loads (new browser context each).`);
  out.push(`   median ${ms(t.medianMs)} ms   (min ${ms(t.minMs)}, max ${ms(t.maxMs)})   ratio to zxcvbn.js: n/a (the libraries have no UI)`);

  // 3. keystroke latency
  const k = r.keystroke;
  out.push('', `3. KEYSTROKE LATENCY (ms): ours = input event (capture, on the element) -> reset-password:strength for that text, typed key by key every ${m.method.keyDelayMs} ms;`);
  out.push('   estimateStrength = the same prefixes awaited one by one (worker round trip, no UI); zxcvbn.js / zxcvbn-ts = the same prefixes on the main thread.');
  out.push(`   First estimate on a fresh page (estimator downloaded, compiled, started): ${ms(k.coldFirstEstimateMs)} ms.`);
  out.push(table(
    ['chars', 'answered', 'ours med', 'ours p99', 'estStr med', 'estStr p99', 'zxcvbn.js med', 'zxcvbn.js p99', 'zxcvbn-ts med', 'zxcvbn-ts p99', 'ours/js med', 'ours/js p99'],
    k.rows.map((x) => [x.length, `${x.answered}/${x.typed}`, ms(x.ours.medianMs), ms(x.ours.p99Ms), ms(x.oursEstimateStrength.medianMs), ms(x.oursEstimateStrength.p99Ms),
      ms(x.zxcvbnJs.medianMs), ms(x.zxcvbnJs.p99Ms), ms(x.zxcvbnTs.medianMs), ms(x.zxcvbnTs.p99Ms), rx(x.ratioOursToZxcvbnJs.median), rx(x.ratioOursToZxcvbnJs.p99)]),
  ));
  out.push('   Where ours goes (medians, ms): input -> request posted to the worker | worker answers | answer -> strength event:');
  out.push('   ' + k.rows.map((x) => `${x.length}: ${ms(x.oursBreakdownMedianMs.toRequest)} | ${ms(x.oursBreakdownMedianMs.worker)} | ${ms(x.oursBreakdownMedianMs.toEvent)}`).join('   '));
  const odd = k.rows.filter((x) => x.mismatched_answers || x.duplicate_answers || x.unanswered_last_keystroke);
  out.push(odd.length === 0
    ? '   Every answer the dialog showed matched estimateStrength for the text it was paired with; dropped = answered to a newer text instead (coalesced).'
    : `   WARNING: ${odd.map((x) => `${x.length} chars: ${x.mismatched_answers} mismatched, ${x.duplicate_answers} duplicate, ${x.unanswered_last_keystroke} unanswered`).join('; ')}`);

  // 3b. pastes and blocked input
  if (r.pastes) {
    out.push('', '   Pasted (one input event, Playwright fill) -> meter, ms: ' + r.pastes.map((x) => `${x.length} chars${x.kind ? ` of ${x.kind}` : ''}: median ${ms(x.latency.medianMs)}, max ${ms(x.latency.maxMs)} (${x.answered}/${x.pasted})`).join('; '));
  }
  const b = r.blocking;
  if (b && b.supported) {
    const c = b.eventCounts;
    out.push(`   Blocked input (Event Timing, the whole keystroke and paste session: ${c.keydown} keydown, ${c.input} input events): ${b.keyAndInputEventsOver16ms} key/input events took 16 ms or more to their next paint;`);
    out.push(`   max duration ${ms(b.maxDurationMs)} ms (8 ms granularity), max input delay ${ms(b.maxInputDelayMs)} ms, max handler time ${ms(b.maxProcessingMs)} ms; long tasks (>= 50 ms): ${b.longTasks.length ? b.longTasks.map((t) => `${ms(t.duration)} ms`).join(', ') : 'none'}.`);
  }

  const ts = r.typingThroughStart;
  if (ts) {
    out.push(`   Typing at once after choosing a custom password (${ts.runs} fresh pages, ${ts.typedLength} keys ${ts.keyDelayMs} ms apart, through the estimator's download and start):`);
    out.push(`   ${ts.pagesWithAKeyWaitingOver16ms}/${ts.runs} pages had a key wait over 16 ms; longest wait per page: median ${ms(ts.medianOfMaxInputDelayMs)} ms, max ${ms(ts.maxInputDelayMs)} ms; long tasks: ${ts.longTasksMs.length ? ts.longTasksMs.join(', ') + ' ms' : 'none'}.`);
  }

  // 4. throughput
  const tp = r.throughput;
  out.push('', `4. THROUGHPUT: ${tp.corpus.passwords} passwords of ${tp.corpus.path}, median of ${tp.passes} passes after a warm-up pass.`);
  out.push(table(['estimator', 'passwords/s', 'ms/password', 'ratio to zxcvbn.js'], [
    ['ours, estimateStrength awaited one by one', tp.oursSequential.perSecond.toFixed(0), ms(tp.oursSequential.msPerPassword), rx(tp.ratioToZxcvbnJs.oursSequential)],
    ['ours, all fired then all awaited', tp.oursPipelined.perSecond.toFixed(0), ms(tp.oursPipelined.msPerPassword), rx(tp.ratioToZxcvbnJs.oursPipelined)],
    ['zxcvbn.js 4.4.2 (main thread)', tp.zxcvbnJs.perSecond.toFixed(0), ms(tp.zxcvbnJs.msPerPassword), '1.00'],
    ['@zxcvbn-ts/core 4 (main thread)', tp.zxcvbnTs.perSecond.toFixed(0), ms(tp.zxcvbnTs.msPerPassword), rx(tp.ratioToZxcvbnJs.zxcvbnTs)],
  ], 32));
  if (tp.byLength?.length) {
    out.push(`   At fixed lengths (${tp.byLength[0].passwords} distinct passwords each: corpus passwords joined with '-' and cut; ours all fired then all awaited):`);
    out.push(table(['chars', 'ours passwords/s', 'zxcvbn.js passwords/s', 'ratio'],
      tp.byLength.map((x) => [x.length, x.oursPipelined.perSecond.toFixed(0), x.zxcvbnJs.perSecond.toFixed(0), rx(x.ratio)])));
  }
  out.push('   Latency ratios: below 1 = ours faster. Throughput ratios: above 1 = ours faster.');

  if (r.recoveryCodes) out.push('', formatRecovery(r.recoveryCodes));

  out.push('', "TARGETS (the weight-and-speed targets these figures were measured against)");
  out.push(table(['target', 'measured', 'met'], targets(r).map(([name, measured, met]) => [name, measured, met ? 'yes' : 'NO'])));
  if (r.pageErrors && r.pageErrors.length) out.push('', `Page errors: ${r.pageErrors.join(' | ')}`);
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2] || join(import.meta.dirname, 'results', 'latest.json');
  console.log(formatReport(JSON.parse(readFileSync(file, 'utf8'))));
}
