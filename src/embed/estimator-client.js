// estimator-client.js: the page's side of the strength estimator (zxcvbn),
// loaded when first needed. reset-widget.js hands estimateJson and
// prepareEstimator to each dialog and uses estimateJson for the JS API.
//
// The zxcvbn module is downloaded and compiled once, then instantiated twice:
// in a worker, which scores long passwords off the page's thread, and on the
// page, for typed ones. A worker's answer to a keystroke is handled only after
// the frame the keystroke causes (Chromium renders before other tasks after
// input), which costs up to a frame (8-11 ms more at the median in the bench);
// a typed password, up to the longest a policy allows (LOCAL_MAX_CHARS), takes
// zxcvbn about 1 ms at 32 characters and 3-7 ms at 128-256, so the page scores
// it itself, at once, while that stays under half a frame (scoreOnPage has
// the rules). Pasted passwords, and the rare typed one that costs more, go to
// the worker and never hold up the page.
// zxcvbn builds its dictionaries on first use, a 50-90 ms task. Only the
// worker builds them: the page's instance starts from a copy of the worker's
// memory taken right after (estimator-worker.js), a few milliseconds of
// copying. Until it has taken over, the worker answers everything.
// Its files are fetched with their integrity hashes (integrity.js): the
// module, and the worker's script before the worker is started. A file that
// is not the one built is refused for good: one console error, and every
// request fails (the dialog says the strength checker could not be loaded).
import { fetchVerified, IntegrityError } from './integrity.js';

const LOCAL_MAX_CHARS = 256;
let compiled = null; // Promise<WebAssembly.Module>
let worker = null;
let ready = null; // Promise<Worker>, resolved on its "ready" message
let local = null; // the page's instance, once it has the worker's memory
let nextId = 1;
const pending = new Map();
let refused = null; // the IntegrityError, once a file was refused

const FAILED = 'The strength estimator could not be loaded.';

function estimatorModule() {
  compiled ??= WebAssembly.compileStreaming(fetchVerified('reset-estimator_bg.wasm'));
  return compiled;
}

function failAll(error) {
  if (error instanceof IntegrityError && !refused) {
    refused = new Error(`The strength estimator was refused: ${error.message}.`);
    console.error(`<reset-password> refused its strength estimator: ${error.message}. The bundle on the server is not the one built.`);
  }
  const reason = refused ?? new Error(FAILED);
  for (const waiting of pending.values()) waiting.reject(reason);
  pending.clear();
  worker?.terminate();
  worker = null; // the next request starts again
  ready = null;
  compiled = null;
  // The page's copy waited for this worker's memory: the next worker's will do.
  if (!localInstantiated) localStarted = false;
}

// The worker's script is fetched with its hash first, and only then started:
// a Worker cannot be given a hash, so this is the check (the browser's cache
// usually answers the Worker's own request with the bytes checked).
function estimatorWorker() {
  if (ready) return ready;
  const attempt = fetchVerified('estimator-worker.js').then((response) => {
    if (!response.ok) throw new Error(`estimator-worker.js: HTTP ${response.status}`);
    if (ready !== attempt) return new Promise(() => {}); // failed meanwhile
    return startWorker();
  });
  ready = attempt;
  attempt.catch((error) => {
    if (ready === attempt) failAll(error);
  });
  return attempt;
}

function startWorker() {
  worker = new Worker(new URL('./estimator-worker.js', import.meta.url), { type: 'module' });
  const starting = worker;
  let memoryArrived;
  const warmMemory = new Promise((resolve) => (memoryArrived = resolve));
  const started = new Promise((resolve) => {
    starting.onmessage = (event) => {
      if (typeof event.data !== 'string') return memoryArrived(event.data);
      const reply = JSON.parse(event.data);
      if (reply.ready) return resolve(starting);
      if (reply.failed) return failAll(new Error(reply.failed));
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      waiting.resolve(event.data);
    };
  });
  starting.onerror = (event) => {
    event.preventDefault();
    failAll(new Error('the worker did not start'));
  };
  estimatorModule()
    .then((module) => {
      if (starting !== worker) return; // failed meanwhile; a later one starts over
      starting.postMessage(module);
      startLocalEstimator(module, warmMemory);
    })
    .catch((error) => failAll(error));
  return started;
}

// The page's instance takes over the worker's memory: the module's whole state
// between calls (estimator/src/worker.rs says why). Its reference table only
// grows to the same length; the worker kept no object in it.
function adoptMemory(wasm, { memory, tableLength }) {
  const pages = (memory.byteLength - wasm.memory.buffer.byteLength) / 65536;
  const table = wasm.__wbindgen_externrefs;
  if (!Number.isInteger(pages) || pages < 0 || table.length > tableLength) {
    throw new Error('the two instances differ');
  }
  if (pages > 0) wasm.memory.grow(pages);
  new Uint8Array(wasm.memory.buffer).set(new Uint8Array(memory));
  if (table.length < tableLength) table.grow(tableLength - table.length);
}

let localStarted = false;
let localInstantiated = false; // the glue's instance is used once: no second try after this
function startLocalEstimator(module, warmMemory) {
  if (localStarted) return;
  localStarted = true;
  Promise.all([import('./reset-estimator.js'), warmMemory])
    .then(async ([glue, snapshot]) => {
      localInstantiated = true;
      adoptMemory(await glue.default({ module_or_path: module }), snapshot);
      // Never build the tables here. And the same question must get the same
      // answer from both (one with a warning and suggestions, whose codes
      // travel as cached strings). Otherwise the worker answers everything.
      if (!glue.warmedUp()) throw new Error('the copy did not take');
      const id = nextId++;
      const probe = JSON.stringify({ id, password: 'password1', userInputs: ['probe'] });
      const mine = glue.estimateJson(probe);
      if (mine && mine === (await askWorker(id, probe))) local = glue;
    })
    .catch(() => {
      /* the worker still answers everything */
    });
}

function askWorker(id, message) {
  if (refused) return Promise.reject(refused);
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    estimatorWorker().then((w) => w.postMessage(message), () => {});
  });
}

// The admin chose to type a password: start the worker (and so the module's
// download and the page's copy) before the first key.
export function prepareEstimator() {
  if (!refused) estimatorWorker().catch(() => {});
}

// zxcvbn's time is not only a matter of length: 64 characters of l33t
// symbols ("4@8(3!1|0$5+...") take it 20-35 ms, as it tries their readings.
// So the page scores a password only when that stays under half a frame:
// - typed or deleted a key at a time (one character longer or shorter than
//   the last request): each prefix costs a little more than the last, so once
//   one takes over LOCAL_BUDGET_MS, longer ones go to the worker (until a new
//   password is started);
// - anything else (a paste, an autofill) longer than LOCAL_PASTE_MAX_CHARS:
//   the worker.
const LOCAL_BUDGET_MS = 8;
const LOCAL_PASTE_MAX_CHARS = 16;
let localLimit = LOCAL_MAX_CHARS;
let lastLength = 0; // of the last password asked about (its length only)

function scoreOnPage(length) {
  const typed = Math.abs(length - lastLength) === 1;
  lastLength = length;
  if (length <= 1) localLimit = LOCAL_MAX_CHARS; // a new password
  return local && length <= localLimit && (typed || length <= LOCAL_PASTE_MAX_CHARS);
}

// The estimator's raw JSON reply; what the dialog and the JS API use.
export function estimateJson(password, userInputs) {
  const id = nextId++;
  const message = JSON.stringify({ id, password, userInputs: [...userInputs] });
  const length = [...password].length;
  if (scoreOnPage(length)) {
    try {
      const started = performance.now();
      const reply = local.estimateJson(message);
      if (performance.now() - started > LOCAL_BUDGET_MS) localLimit = length - 1;
      if (reply) return Promise.resolve(reply);
    } catch {
      local = null; // the page's copy failed (a trap): the worker answers from now on
    }
  }
  return askWorker(id, message);
}
