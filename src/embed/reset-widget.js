// reset-widget.js: the one file a host page includes.
//
//   <script type="module" src="/static/reset-widget/reset-widget.js"></script>
//   <reset-password endpoint="/api/password-resets" user-id="u-1042"></reset-password>
//
// It loads the widget's WebAssembly (found next to this file, so the folder
// can live at any path), defines <reset-password>, and re-exports the
// JavaScript API. The strength estimator is a Web Worker of its own, fetched
// only when a custom password (or a call to estimateStrength) needs it.

import init, { mount, stylesheet } from './password-reset-widget.js';

await init();

// One constructable stylesheet shared by every element: no inline <style>,
// so the widget runs under `style-src 'self'`.
const sheet = new CSSStyleSheet();
sheet.replaceSync(stylesheet());

// --- The estimator worker, started on first use ---------------------------
let worker = null;
let nextId = 1;
const pending = new Map();

function estimatorWorker() {
  if (worker) return worker;
  worker = new Worker(new URL('./reset-estimator_loader.js', import.meta.url));
  worker.onmessage = (event) => {
    const reply = JSON.parse(event.data);
    const waiting = pending.get(reply.id);
    if (!waiting) return; // the "ready" message, or a reply nobody waits for
    pending.delete(reply.id);
    waiting.resolve(event.data);
  };
  worker.onerror = (event) => {
    event.preventDefault();
    for (const waiting of pending.values()) waiting.reject(new Error('The strength estimator could not be loaded.'));
    pending.clear();
    worker = null; // try again on the next request
  };
  return worker;
}

// The worker's raw JSON reply; what the dialog uses.
function estimateJson(password, userInputs) {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    estimatorWorker().postMessage(JSON.stringify({ id, password, userInputs: [...userInputs] }));
  });
}

/**
 * Scores a password with zxcvbn (in the estimator worker).
 * @param {string} password
 * @param {string[]} [userInputs] words the password should not be made of
 * @returns {Promise<{score:number, guessesLog10:number, warning:string|null, suggestions:string[], crackTimeSeconds:number}>}
 */
export async function estimateStrength(password, userInputs = []) {
  const { id, ...estimate } = JSON.parse(await estimateJson(String(password), userInputs));
  return estimate;
}

// --- The custom element ----------------------------------------------------
const ATTRIBUTES = ['endpoint', 'user-id', 'user-name', 'user-email', 'deliver-to', 'min-length', 'min-score', 'length', 'lang'];

class ResetPasswordElement extends HTMLElement {
  static observedAttributes = ATTRIBUTES;

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

  attributeChangedCallback(_name, oldValue, newValue) {
    if (this._handle && oldValue !== newValue) this._render();
  }

  _render() {
    this._unmount();
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [sheet];
    const container = document.createElement('div');
    root.replaceChildren(container);
    try {
      this._handle = mount(this, container, estimateJson);
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
