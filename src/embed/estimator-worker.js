// The estimator worker's entry point (a module worker). The page compiles the
// zxcvbn module once and sends it as the first message, so the worker and the
// page share one download and one compilation; the worker then starts
// answering and says it is ready (the page queues requests until then).
import init, { startWorker } from './reset-estimator.js';

self.onmessage = (event) => {
  self.onmessage = null;
  init({ module_or_path: event.data })
    .then(startWorker)
    .catch((error) => postMessage(JSON.stringify({ failed: String(error) })));
};
