// The estimator worker's entry point (a module worker): loads the zxcvbn
// module next to it and starts answering; the page queues requests until
// it says it is ready.
import init, { startWorker } from './reset-estimator.js';

init()
  .then(startWorker)
  .catch((error) => postMessage(JSON.stringify({ failed: String(error) })));
