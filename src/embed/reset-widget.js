// reset-widget.js: the one file a host page includes.
//
//   <script type="module" src="/static/reset-widget/reset-widget.js"></script>
//   <reset-password endpoint="/api/password-resets" user-id="u-1042"></reset-password>
//
// It loads the widget's WebAssembly (found next to this file, so the folder
// can live at any path), defines <reset-password>, and re-exports the
// JavaScript API. The strength estimator is a module of its own, fetched only
// when a custom password (or a call to estimateStrength) needs it.

import init, { mount, stylesheet, generatePasswordJson, checkPolicyJson, crackTimeDisplay } from './password-reset-widget.js';

// If the WebAssembly cannot load (a policy without 'wasm-unsafe-eval', a
// missing file), each element says so instead of staying empty, and the
// page hears one console error: nothing is thrown into the page.
let loaded = true;
try {
  await init();
} catch (error) {
  loaded = false;
  console.error("<reset-password> could not load its WebAssembly (the page's Content-Security-Policy must allow 'wasm-unsafe-eval'):", error);
}

// One constructable stylesheet shared by every element: no inline <style>,
// so the widget runs under `style-src 'self'`.
const sheet = new CSSStyleSheet();
if (loaded) sheet.replaceSync(stylesheet());

// --- The estimator, loaded when first needed ------------------------------
// The zxcvbn module is downloaded and compiled once, then instantiated twice:
// in a worker, which scores long passwords off the page's thread, and on the
// page, for typed ones. A worker's answer to a keystroke is handled only after
// the frame the keystroke causes (Chromium renders before other tasks after
// input), which costs up to a frame; up to LOCAL_MAX_CHARS characters (what
// people type) zxcvbn usually takes about a millisecond (under 3 ms at p99 in
// the bench), so the page scores those itself, at once (scoreOnPage has the
// exceptions). Longer passwords, pasted ones mostly, go to the worker and
// never hold up the page.
// zxcvbn builds its dictionaries on first use, a 50-90 ms task. Only the
// worker builds them: the page's instance starts from a copy of the worker's
// memory taken right after (estimator-worker.js), a few milliseconds of
// copying. Until it has taken over, the worker answers everything.
const LOCAL_MAX_CHARS = 64;
let compiled = null; // Promise<WebAssembly.Module>
let worker = null;
let ready = null; // Promise<Worker>, resolved on its "ready" message
let local = null; // the page's instance, once it has the worker's memory
let nextId = 1;
const pending = new Map();

function estimatorModule() {
  compiled ??= WebAssembly.compileStreaming(fetch(new URL('./reset-estimator_bg.wasm', import.meta.url)));
  return compiled;
}

function failAll(message) {
  for (const waiting of pending.values()) waiting.reject(new Error(message));
  pending.clear();
  worker?.terminate();
  worker = null; // the next request starts again
  ready = null;
  compiled = null;
  // The page's copy waited for this worker's memory: the next worker's will do.
  if (!localInstantiated) localStarted = false;
}

function estimatorWorker() {
  if (ready) return ready;
  worker = new Worker(new URL('./estimator-worker.js', import.meta.url), { type: 'module' });
  const starting = worker;
  let memoryArrived;
  const warmMemory = new Promise((resolve) => (memoryArrived = resolve));
  ready = new Promise((resolve) => {
    starting.onmessage = (event) => {
      if (typeof event.data !== 'string') return memoryArrived(event.data);
      const reply = JSON.parse(event.data);
      if (reply.ready) return resolve(starting);
      if (reply.failed) return failAll('The strength estimator could not be loaded.');
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      waiting.resolve(event.data);
    };
  });
  starting.onerror = (event) => {
    event.preventDefault();
    failAll('The strength estimator could not be loaded.');
  };
  estimatorModule()
    .then((module) => {
      if (starting !== worker) return; // failed meanwhile; a later one starts over
      starting.postMessage(module);
      startLocalEstimator(module, warmMemory);
    })
    .catch(() => failAll('The strength estimator could not be loaded.'));
  return ready;
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
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    estimatorWorker().then((w) => w.postMessage(message));
  });
}

// The admin chose to type a password: start the worker (and so the module's
// download and the page's copy) before the first key.
function prepareEstimator() {
  estimatorWorker();
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

// The estimator's raw JSON reply; what the dialog uses.
function estimateJson(password, userInputs) {
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

/**
 * Scores a password with zxcvbn (the estimator module, fetched on first use).
 * Only the first 100 characters are analysed (zxcvbn's own cap).
 * @param {string} password
 * @param {string[]} [userInputs] words the password should not be made of (name, e-mail, ...)
 * @param {{lang?: string}} [options] language of `crackTimeDisplay`
 * @returns {Promise<{score:number, guessesLog10:number, warning:string|null,
 *   suggestions:string[], crackTimeSeconds:number, crackTimeDisplay:string}>}
 */
export async function estimateStrength(password, userInputs = [], { lang = 'en' } = {}) {
  const { id, truncated, ...estimate } = JSON.parse(await estimateJson(String(password), userInputs));
  return { ...estimate, crackTimeDisplay: crackTimeDisplay(estimate.crackTimeSeconds, lang) };
}

/**
 * Generates a password in the browser (crypto.getRandomValues, unbiased).
 * @param {object} [options] `{ kind: "characters"|"passphrase", length, lowercase, uppercase,
 *   digits, symbols (true, false or a minimum count), avoidLookAlikes, words, separator,
 *   capitalize, appendDigit }`
 * @returns {{password: string, entropyBits: number}}
 */
export function generatePassword(options = {}) {
  return JSON.parse(generatePasswordJson(JSON.stringify(options)));
}

/**
 * Checks a password against a policy (asks the estimator for its score).
 * @param {string} password
 * @param {object} [policy] `{ minLength, maxLength, minScore, requireClasses, blocklist: [...], lang }`
 * @param {object} [user] `{ userId, userName, userEmail, contextWords: [...] }`
 * @returns {Promise<{ok: boolean, reasons: {code: string, message: string}[]}>}
 */
export async function checkPolicy(password, policy = {}, user = {}) {
  const inputs = [user.userId, user.userName, user.userEmail, ...(user.contextWords ?? [])].filter(Boolean);
  const estimate = await estimateJson(String(password), inputs);
  return JSON.parse(checkPolicyJson(String(password), JSON.stringify(policy), JSON.stringify(user), estimate));
}

// --- The custom element ----------------------------------------------------
const ATTRIBUTES = [
  'endpoint', 'user-id', 'user-name', 'user-email', 'deliver-to', 'lang',
  'headers', 'credentials', 'timeout-ms', 'users', 'current-user-id',
  'min-length', 'max-length', 'min-score', 'require-classes', 'context-words', 'blocklist-url',
  'generator', 'length', 'lowercase', 'uppercase', 'digits', 'symbols', 'avoid-look-alikes',
  'words', 'separator', 'capitalize', 'append-digit',
];

const LIVE_ATTRIBUTES = ['headers', 'credentials', 'timeout-ms'];

class ResetPasswordElement extends HTMLElement {
  static observedAttributes = ATTRIBUTES;

  /** Bulk mode: the users to reset, `[{ id, name, email }]` (the `users` attribute as JSON). */
  get users() {
    try {
      return JSON.parse(this.getAttribute('users') ?? 'null');
    } catch {
      return null;
    }
  }

  set users(list) {
    if (list === null || list === undefined) this.removeAttribute('users');
    else this.setAttribute('users', JSON.stringify(list));
  }

  /**
   * A JavaScript transport replaces HTTP: `async (request) => ({ status, body, headers })`.
   * `request` is `{ endpoint, method, headers, idempotencyKey, body }`.
   */
  get transport() {
    return this._transport ?? null;
  }

  set transport(fn) {
    if (fn !== null && fn !== undefined && typeof fn !== 'function') {
      console.error('<reset-password>: transport must be a function or null');
      return;
    }
    this._transport = fn ?? null;
    // A working dialog looks the transport up for every request, so setting
    // one keeps its state (and a password already sent). Only a configuration
    // that may change with it is read again: one shown as an error, or any
    // once the transport is removed (the endpoint may be missing).
    if (this._handle && (this._handle.failed || !this._transport)) this._render();
  }

  connectedCallback() {
    if (this._handle) return; // moved within the page: keep the dialog as it is
    this._render();
  }

  disconnectedCallback() {
    // Removing and re-adding in the same task (a move) keeps the state.
    queueMicrotask(() => {
      if (!this.isConnected) this._unmount();
    });
  }

  attributeChangedCallback(name, oldValue, newValue) {
    // Transport attributes are read for every request: changing them (a new
    // CSRF token after signing in again) keeps the dialog as it is.
    if (LIVE_ATTRIBUTES.includes(name)) return;
    if (this._handle && oldValue !== newValue) this._render();
  }

  _render() {
    this._unmount();
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [sheet];
    if (!loaded) {
      const message = document.createElement('p');
      message.setAttribute('role', 'alert');
      message.textContent = 'The password reset widget could not be loaded.';
      root.replaceChildren(message);
      return;
    }
    const container = document.createElement('div');
    root.replaceChildren(container);
    try {
      this._handle = mount(this, container, estimateJson, prepareEstimator);
    } catch (error) {
      // Never throw into the host page.
      console.error('<reset-password> could not start:', error);
    }
  }

  _unmount() {
    if (!this._handle) return;
    this._handle.destroy();
    this._handle.free();
    this._handle = null;
  }
}

if (!customElements.get('reset-password')) {
  customElements.define('reset-password', ResetPasswordElement);
}
