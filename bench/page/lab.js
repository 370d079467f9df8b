// The lab: what bench/run.mjs calls through page.evaluate, all in this page.
// Nothing is loaded until asked, so the page's first load is the embed alone.
//  - the two JavaScript estimators (bundled by run.mjs into ./libs/), run on
//    the main thread, timed call by call;
//  - the widget's estimateStrength (its estimator Web Worker), awaited;
//  - the keystroke records of probe.js turned into latencies.

// The words the widget passes as zxcvbn's user inputs (the element's user id,
// name and e-mail); the JavaScript estimators get the same.
const USER_INPUTS = ['u-1042', 'Diane Prescott', 'diane@contoso.com'];
const WIDGET_URL = '/static/reset-widget/reset-widget.js';

let libs = null;

/** Loads both libraries; returns how long loading and the first call took (ms). */
async function loadLibs() {
  const t0 = performance.now();
  const js = (await import('./libs/zxcvbn-js.mjs')).default;
  const t1 = performance.now();
  const { create } = await import('./libs/zxcvbn-ts.mjs');
  const ts = create();
  const t2 = performance.now();
  js('warm-up', USER_INPUTS);
  const t3 = performance.now();
  ts.check('warm-up', USER_INPUTS);
  const t4 = performance.now();
  libs = { zxcvbnJs: (p) => js(p, USER_INPUTS), zxcvbnTs: (p) => ts.check(p, USER_INPUTS) };
  return {
    zxcvbnJs: { loadMs: t1 - t0, firstCallMs: t3 - t2 },
    zxcvbnTs: { loadMs: t2 - t1, firstCallMs: t4 - t3 },
  };
}

// One call's time. performance.now() is coarsened (0.1 ms here), so a call
// under 1 ms is run 20 more times and the mean of those is used.
function timeCall(fn) {
  let t0 = performance.now();
  fn();
  let dt = performance.now() - t0;
  if (dt < 1) {
    const n = 20;
    t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    dt = (performance.now() - t0) / n;
  }
  return dt;
}

/** ms per prefix (text[0..1], text[0..2], ... text), `reps` times over, for one JS library. */
function libPrefixTimes(name, text, reps) {
  const score = libs[name];
  const times = [];
  for (let r = 0; r < reps; r++) {
    for (let k = 1; k <= text.length; k++) {
      const prefix = text.slice(0, k);
      times.push(timeCall(() => score(prefix)));
    }
  }
  return times;
}

async function widget() {
  return import(WIDGET_URL);
}

/**
 * ms per prefix through estimateStrength (no UI; the page's copy or the worker), each
 * awaited; and guessesLog10 per prefix length, to check the keystroke pairing.
 */
async function oursPrefixTimes(text, reps) {
  const { estimateStrength } = await widget();
  await estimateStrength('warm-up', USER_INPUTS);
  const times = [];
  const guessesLog10 = {};
  for (let r = 0; r < reps; r++) {
    for (let k = 1; k <= text.length; k++) {
      const t0 = performance.now();
      const estimate = await estimateStrength(text.slice(0, k), USER_INPUTS);
      times.push(performance.now() - t0);
      guessesLog10[k] = estimate.guessesLog10;
    }
  }
  return { times, guessesLog10 };
}

/** One timed pass over the corpus; returns ms. */
async function throughputPass(kind, corpus) {
  if (kind === 'oursSequential' || kind === 'oursPipelined') {
    const { estimateStrength } = await widget();
    await estimateStrength('warm-up', USER_INPUTS);
    const t0 = performance.now();
    if (kind === 'oursSequential') {
      for (const p of corpus) await estimateStrength(p, USER_INPUTS);
    } else {
      await Promise.all(corpus.map((p) => estimateStrength(p, USER_INPUTS)));
    }
    return performance.now() - t0;
  }
  const score = libs[kind];
  const t0 = performance.now();
  for (const p of corpus) score(p);
  return performance.now() - t0;
}

// --- Keystroke records (probe.js) -------------------------------------------

function startRecording() {
  const b = window.__bench;
  b.inputs = [];
  b.strengths = [];
  b.posts = [];
  b.replies = [];
  b.recording = true;
}

/**
 * Pairs each `estimated` strength event with the input it answers: the
 * latest input recorded before it. The widget drops an answer for text that
 * has changed since, so an event always belongs to the latest input; an
 * input whose answer was dropped (coalesced) gets no latency and is counted
 * as dropped.
 */
function attribute() {
  const { inputs, strengths } = window.__bench;
  const answered = new Set();
  const latencies = [];
  const answers = []; // { length, guessesLog10 }: checked by run.mjs against estimateStrength
  // Breakdown of each answered keystroke: input -> request posted to the
  // worker (the dialog), request -> reply (the worker and its queue), reply ->
  // strength event (the dialog). An accepted answer is the reply to the
  // latest request, so both are the last ones before the strength event.
  const breakdown = { toRequest: [], worker: [], toEvent: [] };
  const { posts = [], replies = [] } = window.__bench;
  const lastBefore = (list, t) => { let x = null; for (const v of list) { if (v <= t) x = v; else break; } return x; };
  let duplicates = 0;
  let i = -1;
  for (const s of strengths) {
    if (s.source !== 'estimated') continue;
    while (i + 1 < inputs.length && inputs[i + 1].t <= s.t) i++;
    if (i < 0) continue;
    if (answered.has(i)) { duplicates++; continue; }
    answered.add(i);
    latencies.push(s.t - inputs[i].t);
    answers.push({ length: inputs[i].length, guessesLog10: s.guessesLog10 });
    const reply = lastBefore(replies, s.t);
    const post = reply === null ? null : lastBefore(posts, reply);
    if (post !== null && post >= inputs[i].t) {
      breakdown.toRequest.push(post - inputs[i].t);
      breakdown.worker.push(reply - post);
      breakdown.toEvent.push(s.t - reply);
    }
  }
  const lastAnswered = inputs.length > 0 && answered.has(inputs.length - 1);
  return { typed: inputs.length, arrived: latencies.length, duplicates, lastAnswered, latencies, answers, breakdown };
}

function stopRecording() {
  window.__bench.recording = false;
  return attribute();
}

window.benchLab = { USER_INPUTS, loadLibs, libPrefixTimes, oursPrefixTimes, throughputPass, startRecording, attribute, stopRecording };
