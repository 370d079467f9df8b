// reset-widget.js: the one file a host page includes.
//
//   <script type="module" src="/static/reset-widget/reset-widget.js"></script>
//   <reset-password endpoint="/api/password-resets" user-id="u-1042"></reset-password>
//
// It defines <reset-password>, <change-password> and <recover-password> at
// once, when the script runs. The widget's WebAssembly (found next to this
// file, so the folder can live at any path) is loaded once per page, when
// the first of these comes (each element's `loading` attribute):
//   - an element is shown (it gets a box: not inside a closed <dialog>);
//   - the browser is idle after the page's `load` event and a (not `lazy`)
//     element is on the page, so a dialog opened later is ready at once;
//   - an element has `loading="eager"`;
//   - the JavaScript API is used (`ready` awaited, a function called).
// Until then the host page pays for this script only. Properties
// (`transport`, `users`) and attributes set before the WebAssembly is there
// are kept and used when it is; meanwhile a shown element says it is loading.
// `make dist` bundles this file with the JavaScript it imports
// (scripts/finish-dist.mjs); what it still fetches is checked against the
// hashes in integrity.js. The strength estimator is fetched only when a custom
// password (or a call to estimateStrength) needs it.

import init, { mount, stylesheet, generatePasswordJson, checkPolicyJson, crackTimeDisplay } from './password-reset-widget.js';
import { estimateJson, prepareEstimator } from './estimator-client.js';
import { fetchVerified, IntegrityError } from './integrity.js';

// One constructable stylesheet shared by every element: no inline <style>,
// so the widget runs under `style-src 'self'`. Filled once the module is there.
const sheet = new CSSStyleSheet();
// Until then, the element's box and its busy state: the height of the
// dialog's first step, so the page does not move when the dialog replaces it
// (`--reset-loading-min-height` to change it).
const loaderSheet = new CSSStyleSheet();
loaderSheet.replaceSync(`:host{display:block!important}.busy{box-sizing:border-box;min-height:var(--reset-loading-min-height,32em);display:flex;align-items:center;justify-content:center;gap:.5em;font:var(--reset-font-size,15px) system-ui,sans-serif;color:var(--reset-muted,GrayText)}.busy::before{content:"";width:1em;height:1em;border:2px solid;border-right-color:transparent;border-radius:50%;animation:s 1s linear infinite}@keyframes s{to{transform:rotate(1turn)}}@media (prefers-reduced-motion:reduce){.busy::before{animation:none}}`);

// The element's text when it could not load (the WebAssembly holds the
// widget's other texts: src/i18n), in the language around the element.
const MESSAGES = {
  en: {
    loading: 'Loading the password reset…',
    failed: 'The password reset widget could not be loaded.',
    refused: "The password reset widget was not loaded: one of its files is not the one published (integrity check failed).",
  },
  sv: {
    loading: 'Lösenordsåterställningen läses in…',
    failed: 'Lösenordswidgeten kunde inte läsas in.',
    refused: 'Lösenordswidgeten lästes inte in: en av dess filer är inte den publicerade (integritetskontrollen misslyckades).',
  },
};

function messagesFor(element) {
  const lang = element.closest('[lang]')?.getAttribute('lang') ?? '';
  return MESSAGES[lang.toLowerCase().split(/[-_]/)[0]] ?? MESSAGES.en;
}

// 'loading', then 'ready', or 'refused' (a file that is not the one built)
// or 'failed' (the WebAssembly could not load: a policy without
// 'wasm-unsafe-eval', a missing file).
let status = 'loading';
// Elements connected while loading: mounted once it is done.
const waiting = new Set();

// If the WebAssembly cannot load, each element says so instead of staying
// empty, and the page hears one console error: nothing is thrown into the page.
async function loadModule() {
  try {
    await init({ module_or_path: fetchVerified('password-reset-widget_bg.wasm') });
    sheet.replaceSync(stylesheet());
    status = 'ready';
  } catch (error) {
    if (error instanceof IntegrityError) {
      status = 'refused';
      console.error(`<reset-password>, <change-password>, <recover-password> refused to load: ${error.message}. The bundle on the server is not the one built.`);
    } else {
      status = 'failed';
      console.error("<reset-password> could not load its WebAssembly (the page's Content-Security-Policy must allow 'wasm-unsafe-eval'):", error);
    }
  }
  for (const element of waiting) if (element.isConnected) element._render();
  waiting.clear();
  if (status !== 'ready') throw new Error(MESSAGES.en[status]);
}

let settle;
let loadStarted = false;
/** Starts loading the WebAssembly, once per page; later calls do nothing. */
function load() {
  if (loadStarted) return;
  loadStarted = true;
  shown.disconnect();
  loadModule().then(settle.resolve, settle.reject);
}

// `ready` starts the load when someone waits for it: `await ready`,
// `ready.then(…)` and Promise.all([ready]) all go through `then`.
class LoadingPromise extends Promise {
  static get [Symbol.species]() {
    return Promise;
  }

  then(onFulfilled, onRejected) {
    load();
    return super.then(onFulfilled, onRejected);
  }
}

/**
 * Resolves once the widget's WebAssembly has loaded (elements mount, and
 * `generatePassword` works, from then on); rejects if it could not load.
 * Waiting for it (`await ready`, `ready.then`) starts the load.
 * @type {Promise<void>}
 */
export const ready = new LoadingPromise((resolve, reject) => (settle = { resolve, reject }));
// A page that never awaits it hears the console error only (this does not
// go through `then` above, so it does not start the load).
Promise.prototype.then.call(ready, undefined, () => {});

// An element is shown when it gets a box: a ResizeObserver reports it (a
// closed <dialog> or `display: none` gives none, so nothing is reported).
const shown = new ResizeObserver((entries) => {
  if (entries.some((e) => e.contentRect.width > 0 || e.contentRect.height > 0)) load();
});

const loadingOf = (element) => {
  const value = (element.getAttribute('loading') ?? '').toLowerCase();
  return value === 'eager' || value === 'lazy' ? value : 'auto';
};

// After the page's `load` event, when the browser is idle (at most 2 s
// later), the elements that are not `lazy` are loaded for.
let idle = false;
function whenIdle(callback) {
  if (globalThis.requestIdleCallback) requestIdleCallback(callback, { timeout: 2000 });
  else setTimeout(callback, 200);
}
function preloadIfWanted() {
  if ([...waiting].some((element) => element.isConnected && loadingOf(element) !== 'lazy')) load();
}
const afterLoad = () => whenIdle(() => {
  idle = true;
  preloadIfWanted();
});
if (document.readyState === 'complete') afterLoad();
else addEventListener('load', afterLoad, { once: true });

// Called for an element waiting for the WebAssembly: starts the load if
// its `loading` asks for it now, else watches for it being shown.
function wantLoad(element) {
  if (loadStarted) return;
  const mode = loadingOf(element);
  if (mode === 'eager' || (mode === 'auto' && idle)) return load();
  // Shown already: no need to wait for the observer's next frame.
  if (element.checkVisibility?.()) return load();
  shown.observe(element);
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
  await ready;
  const { id, truncated, ...estimate } = JSON.parse(await estimateJson(String(password), userInputs));
  return { ...estimate, crackTimeDisplay: crackTimeDisplay(estimate.crackTimeSeconds, lang) };
}

/**
 * Generates a password in the browser (crypto.getRandomValues, unbiased).
 * @param {object} [options] `{ kind: "characters"|"passphrase", length, lowercase, uppercase,
 *   digits, symbols (true, false or a minimum count), avoidLookAlikes, words, separator,
 *   capitalize, appendDigit }`
 * Synchronous: it throws until the WebAssembly has loaded (`await ready` first
 * where it may run before that, as in code that runs while the page loads).
 * @returns {{password: string, entropyBits: number}}
 */
export function generatePassword(options = {}) {
  if (status !== 'ready') {
    load();
    throw new Error(status === 'loading'
      ? "generatePassword: the widget's WebAssembly has not loaded yet; `await ready` (exported by reset-widget.js) first"
      : `generatePassword: ${MESSAGES.en[status]}`);
  }
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
  await ready;
  const inputs = [user.userId, user.userName, user.userEmail, ...(user.contextWords ?? [])].filter(Boolean);
  // Scored as the server hashes it: in NFKC (see src/core/unicode.rs).
  const estimate = await estimateJson(String(password).normalize('NFKC'), inputs);
  return JSON.parse(checkPolicyJson(String(password), JSON.stringify(policy), JSON.stringify(user), estimate));
}

// --- The custom element ----------------------------------------------------
const ATTRIBUTES = [
  'loading', 'endpoint', 'step-up-endpoint', 'user-id', 'user-name', 'user-email', 'deliver-to', 'lang',
  'headers', 'credentials', 'timeout-ms', 'users', 'current-user-id',
  'min-length', 'max-length', 'min-score', 'require-classes', 'context-words', 'blocklist-url', 'policy-url',
  'generator', 'length', 'lowercase', 'uppercase', 'digits', 'symbols', 'avoid-look-alikes',
  'words', 'separator', 'capitalize', 'append-digit', 'temporary',
];

const LIVE_ATTRIBUTES = ['headers', 'credentials', 'timeout-ms'];

// What every element of the widget does: the transport property, mounting
// into a shadow root, and starting afresh when an attribute changes. The
// element's tag name tells mount() which flow it is.
class WidgetElement extends HTMLElement {
  static observedAttributes = ATTRIBUTES;

  /**
   * A JavaScript transport replaces HTTP: `async (request) => ({ status, body, headers })`.
   * `request` is `{ endpoint, method, headers, idempotencyKey, body }`.
   */
  get transport() {
    return this._transport ?? null;
  }

  set transport(fn) {
    if (fn !== null && fn !== undefined && typeof fn !== 'function') {
      console.error(`<${this.localName}>: transport must be a function or null`);
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
    // A property set on the element before this class was defined (the page's
    // own script ran first) is an own property that hides the setter: pass it on.
    for (const name of ['transport', 'users']) {
      if (Object.prototype.hasOwnProperty.call(this, name)) {
        const value = this[name];
        delete this[name];
        this[name] = value;
      }
    }
    this._render();
  }

  disconnectedCallback() {
    waiting.delete(this);
    shown.unobserve(this);
    // Removing and re-adding in the same task (a move) keeps the state.
    queueMicrotask(() => {
      if (!this.isConnected) this._unmount();
    });
  }

  attributeChangedCallback(name, oldValue, newValue) {
    // Only when to load: the dialog does not read it.
    if (name === 'loading') {
      if (waiting.has(this)) wantLoad(this);
      return;
    }
    // Transport attributes are read for every request: changing them (a new
    // CSRF token after signing in again) keeps the dialog as it is.
    if (LIVE_ATTRIBUTES.includes(name)) return;
    if (this._handle && oldValue !== newValue) this._render();
  }

  _render() {
    this._unmount();
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [loaderSheet, sheet];
    if (status === 'loading') {
      // Mounted with what is set by then once loaded; meanwhile, shown, it
      // says it is loading, in a box as tall as the dialog's first step.
      const busy = document.createElement('div');
      busy.className = 'busy';
      busy.setAttribute('role', 'status');
      busy.setAttribute('aria-label', (busy.textContent = messagesFor(this).loading));
      root.replaceChildren(busy);
      waiting.add(this);
      wantLoad(this);
      return;
    }
    if (status !== 'ready') {
      const message = document.createElement('p');
      message.setAttribute('role', 'alert');
      message.textContent = messagesFor(this)[status];
      root.replaceChildren(message);
      return;
    }
    const container = document.createElement('div');
    root.replaceChildren(container);
    try {
      this._handle = mount(this, container, estimateJson, prepareEstimator);
    } catch (error) {
      // Never throw into the host page.
      console.error(`<${this.localName}> could not start:`, error);
    }
  }

  _unmount() {
    if (!this._handle) return;
    this._handle.destroy();
    this._handle.free();
    this._handle = null;
  }
}

/** `<reset-password>`: an administrator resets one user's password, or many users'. */
class ResetPasswordElement extends WidgetElement {
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
}

/** `<change-password>`: a signed-in user changes their own (or temporary) password. */
class ChangePasswordElement extends WidgetElement {}

/** `<recover-password>`: a user who forgot their password recovers it with a code. */
class RecoverPasswordElement extends WidgetElement {}

for (const [name, element] of [['reset-password', ResetPasswordElement], ['change-password', ChangePasswordElement],
  ['recover-password', RecoverPasswordElement]]) {
  if (!customElements.get(name)) customElements.define(name, element);
}
