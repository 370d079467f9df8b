// The estimator worker's entry point (a module worker). The page compiles the
// zxcvbn module once and sends it as the first message, so the worker and the
// page share one download and one compilation. The worker builds zxcvbn's
// dictionaries (warmUp), sends the page a copy of its memory so the page's own
// instance never has to build them (a 50-90 ms task a key would wait for),
// then starts answering and says it is ready (the page queues requests until
// then). The copy is taken before any request is read: it holds no password.
// `make dist` bundles it with the glue and zxcvbn-clock.js: it imports nothing.
import init, { startWorker, warmUp } from './reset-estimator.js';

self.onmessage = (event) => {
  self.onmessage = null;
  init({ module_or_path: event.data })
    .then((wasm) => {
      // warmUp says whether the memory can be copied (it holds no JS object);
      // if not, the page never gets a copy and the worker answers everything.
      if (warmUp()) {
        const memory = wasm.memory.buffer.slice(0);
        postMessage({ memory, tableLength: wasm.__wbindgen_externrefs.length }, [memory]);
      }
      startWorker();
    })
    .catch((error) => postMessage(JSON.stringify({ failed: String(error) })));
};
