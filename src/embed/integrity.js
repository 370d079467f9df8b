// integrity.js: the bundle's own files, fetched only if they are the ones
// built. `make dist` (scripts/finish-dist.mjs) bundles the page's JavaScript
// into reset-widget.js, so the host page's `integrity` attribute on that one
// script tag covers all of it, and writes the sha384 of every file the loader
// still fetches into INTEGRITY here: the dialog's and the estimator's .wasm,
// and the estimator's worker script (one file: its glue is bundled in).

/** `{ "file name": "sha384-<base64>" }`, filled in at build time. */
export const INTEGRITY = __RESET_WIDGET_INTEGRITY__;

/** A file of the bundle that is not the one built: never used. */
export class IntegrityError extends Error {
  constructor(file, expected, actual) {
    super(`${file} does not match its integrity hash (expected ${expected}${actual ? `, got ${actual}` : ''})`);
    this.name = 'IntegrityError';
    this.file = file;
  }
}

/**
 * Fetches one of the bundle's files (found next to this script) with its
 * hash as `Request.integrity`: the browser refuses any other bytes. A
 * refusal becomes an IntegrityError naming the file; a network failure stays
 * what it is.
 * @param {string} file
 * @returns {Promise<Response>}
 */
export async function fetchVerified(file) {
  const url = new URL(`./${file}`, import.meta.url);
  const expected = INTEGRITY[file];
  if (!expected) throw new IntegrityError(file, 'a hash in the bundle');
  try {
    return await fetch(url, { integrity: expected });
  } catch (error) {
    throw (await integrityFailure(url, file, expected)) ?? error;
  }
}

// fetch() rejects alike for a network failure and for other bytes. Asked
// again without the hash, a file that is there was refused for its bytes:
// they are read (never run) to name their hash in the message.
async function integrityFailure(url, file, expected) {
  try {
    const response = await fetch(url, { cache: 'no-store' });
    if (!response.ok) return null;
    const bytes = await response.arrayBuffer();
    let actual = '';
    if (globalThis.crypto?.subtle) {
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-384', bytes));
      actual = `sha384-${btoa(String.fromCharCode(...digest))}`;
    }
    return actual === expected ? null : new IntegrityError(file, expected, actual);
  } catch {
    return null;
  }
}
