// Compares two saved runs, figure by figure.
//   node bench/compare.mjs OLD.json NEW.json
//   node bench/compare.mjs                     the two most recent timestamped runs in bench/results/
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(import.meta.dirname, 'results');

function load(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** [label, value] pairs of the figures worth comparing. */
function figures(r) {
  const out = [];
  for (const [phase, t] of Object.entries(r.weight.totals)) out.push([`weight ${phase}, brotli KB`, t.brotli / 1000]);
  out.push(['time to interactive median, ms', r.timeToInteractive.medianMs]);
  out.push(['first estimate (cold), ms', r.keystroke.coldFirstEstimateMs]);
  for (const row of r.keystroke.rows) {
    out.push([`keystroke ${row.length} chars median, ms`, row.ours.medianMs]);
    out.push([`keystroke ${row.length} chars p99, ms`, row.ours.p99Ms]);
  }
  for (const kind of ['oursSequential', 'oursPipelined', 'zxcvbnJs', 'zxcvbnTs']) out.push([`throughput ${kind}, passwords/s`, r.throughput[kind].perSecond]);
  return out;
}

const args = process.argv.slice(2);
let files = args;
if (files.length === 0) {
  const runs = readdirSync(DIR).filter((f) => /^\d{4}-.*\.json$/.test(f)).sort();
  if (runs.length < 2) {
    console.error('need two timestamped runs in bench/results/ (or pass two files)');
    process.exit(1);
  }
  files = runs.slice(-2).map((f) => join(DIR, f));
}
const [a, b] = files.map(load);
const fa = new Map(figures(a));
const rows = figures(b).map(([label, vb]) => {
  const va = fa.get(label);
  const change = va && vb !== null && va !== null ? `${((vb / va - 1) * 100).toFixed(1)}%` : '-';
  return [label, va ?? '-', vb ?? '-', change];
});
const head = ['figure', `${a.meta.startedAt} ${a.meta.commit}`, `${b.meta.startedAt} ${b.meta.commit}`, 'change'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(typeof r[i] === 'number' ? r[i].toFixed(1) : r[i]).length)));
const fmt = (cells) => cells.map((c, i) => {
  const s = typeof c === 'number' ? c.toFixed(1) : String(c);
  return i === 0 ? s.padEnd(widths[i]) : s.padStart(widths[i]);
}).join('  ');
console.log([fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n'));
