// The page's probe, a classic script that runs before the widget's module:
//  - time to interactive: the moment the dialog's "New password" field is in
//    the shadow root and enabled, against the resource-timing startTime of
//    reset-widget.js (both on this page's performance.now() clock);
//  - keystroke latency: every `input` event (capture phase on the element:
//    the event is composed, so it crosses the shadow boundary and the capture
//    listener runs before the dialog's own handler) and every
//    `reset-password:strength` event, time-stamped with performance.now().
// bench/run.mjs reads window.__bench.
(() => {
  const SCRIPT_URL = new URL('/static/reset-widget/reset-widget.js', location.href).href;
  const bench = (window.__bench = {
    interactiveAt: null, // performance.now() when the first step accepted input
    scriptStart: null, // resource timing startTime of reset-widget.js
    tti: null, // interactiveAt - scriptStart
    recording: false, // run.mjs switches it on around each typed password
    inputs: [], // { t, length } per input event while recording
    strengths: [], // { t, score, guessesLog10, source } per strength event while recording
  });
  performance.mark('bench:probe');

  // Whether any input waited longer than a frame: Event Timing reports every
  // trusted event whose duration (hardware timestamp to the next paint after
  // its handlers) is at least 16 ms, and Long Tasks every task of 50 ms or
  // more; both from the page's first moment (buffered).
  bench.slowEvents = [];
  bench.longTasks = [];
  const observe = (type, options, take) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(take)).observe({ type, buffered: true, ...options });
    } catch {
      /* not supported: run.mjs reports null */
    }
  };
  observe('event', { durationThreshold: 16 }, (e) => bench.slowEvents.push({
    name: e.name, startTime: e.startTime, duration: e.duration,
    inputDelay: e.processingStart - e.startTime, processing: e.processingEnd - e.processingStart,
  }));
  observe('longtask', {}, (e) => bench.longTasks.push({ startTime: e.startTime, duration: e.duration }));

  // Where a keystroke's time goes (a breakdown only, not the measure): every
  // message posted to a Web Worker and every message a worker sends back,
  // time-stamped while recording. The listener is added in the constructor,
  // so it runs before the widget's own onmessage handler.
  bench.posts = [];
  bench.replies = [];
  const PageWorker = window.Worker;
  window.Worker = class extends PageWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => { if (bench.recording) bench.replies.push(performance.now()); });
    }
    postMessage(...args) {
      if (bench.recording) bench.posts.push(performance.now());
      return super.postMessage(...args);
    }
  };

  // The control labelled "New password" (by <label for>, or aria-label).
  function passwordField(root) {
    for (const label of root.querySelectorAll('label')) {
      if (label.textContent.trim() === 'New password' && label.control) return label.control;
    }
    return root.querySelector('input[aria-label="New password"]');
  }

  function interactive(el) {
    const field = el.shadowRoot && passwordField(el.shadowRoot);
    return !!field && field.isConnected && !field.disabled;
  }

  customElements.whenDefined('reset-password').then(() => {
    const el = document.querySelector('reset-password');
    el.addEventListener('input', (event) => {
      if (!bench.recording) return;
      const t = performance.now();
      const field = event.composedPath()[0];
      bench.inputs.push({ t, length: field && typeof field.value === 'string' ? field.value.length : -1 });
    }, true);
    el.addEventListener('reset-password:strength', (event) => {
      if (!bench.recording) return;
      const t = performance.now();
      const { score, guessesLog10, source } = event.detail || {};
      bench.strengths.push({ t, score, guessesLog10, source });
    });

    const done = () => {
      bench.interactiveAt = performance.now();
      performance.mark('bench:interactive');
      const entry = performance.getEntriesByName(SCRIPT_URL)[0];
      bench.scriptStart = entry ? entry.startTime : null;
      bench.tti = entry ? bench.interactiveAt - entry.startTime : null;
    };
    if (interactive(el)) return done();
    if (!el.shadowRoot) return; // the widget failed to start: run.mjs times out and says so
    // Shadow root mutations are not seen by an observer on the document: watch the root itself.
    const observer = new MutationObserver(() => {
      if (bench.interactiveAt === null && interactive(el)) {
        observer.disconnect();
        done();
      }
    });
    observer.observe(el.shadowRoot, { childList: true, subtree: true, attributes: true });
  });
})();
