// `make dist`'s last step, after Trunk: makes dist/ what a host page loads,
// every file of it covered by a hash.
//   0. drops the hashes from wasm-bindgen's import names, in each module and
//      its glue (short-import-names.mjs);
//   1. bundles the estimator's worker with its wasm-bindgen glue and
//      zxcvbn-clock.js into one file, estimator-worker.js (it imports nothing);
//   2. hashes the files the loader fetches at run time (the two .wasm and the
//      worker's script), sha384 in Subresource Integrity's format;
//   3. bundles reset-widget.js with the JavaScript it imports (the dialog's
//      glue, estimator-client.js, the estimator's glue for the page's copy,
//      integrity.js) and those hashes: the page then runs one script, which
//      the host page's `integrity` attribute covers, and it checks the rest;
//   4. removes the files bundled in, writes dist/integrity.json (every file
//      of dist/ and its hash), and puts reset-widget.js's hash into the
//      README's script tags (`reset-widget.js" integrity="sha384-…"`), so the
//      README shows the hash of the bundle the sources build.
// esbuild is deterministic: the same Trunk output gives the same files.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { shortenImportNames } from './short-import-names.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const dist = resolve(process.argv[2] ?? join(ROOT, 'dist'));
const readme = join(ROOT, 'README.md');

/** The files the loader fetches, and the ones bundled into the two scripts. */
const FETCHED = ['password-reset-widget_bg.wasm', 'reset-estimator_bg.wasm', 'estimator-worker.js'];
const BUNDLED = ['password-reset-widget.js', 'estimator-client.js', 'integrity.js', 'reset-estimator.js', 'zxcvbn-clock.js'];

export const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

async function bundle(entry, define = {}) {
  const result = await build({
    entryPoints: [join(dist, entry)],
    bundle: true,
    format: 'esm',
    minify: true,
    legalComments: 'none',
    define,
    write: false,
    logLevel: 'warning',
  });
  writeFileSync(join(dist, entry), result.outputFiles[0].contents);
}

// The hashes in wasm-bindgen's import names, out of both modules and glues.
shortenImportNames(join(dist, 'password-reset-widget_bg.wasm'), join(dist, 'password-reset-widget.js'));
shortenImportNames(join(dist, 'reset-estimator_bg.wasm'), join(dist, 'reset-estimator.js'));
await bundle('estimator-worker.js');
const integrity = Object.fromEntries(FETCHED.map((file) => [file, sri(readFileSync(join(dist, file)))]));
await bundle('reset-widget.js', { __RESET_WIDGET_INTEGRITY__: JSON.stringify(integrity) });
for (const file of BUNDLED) rmSync(join(dist, file));

const all = Object.fromEntries(readdirSync(dist).filter((f) => !f.startsWith('.') && f !== 'integrity.json').sort()
  .map((file) => [file, sri(readFileSync(join(dist, file)))]));
writeFileSync(join(dist, 'integrity.json'), JSON.stringify(all, null, 2) + '\n');

const text = readFileSync(readme, 'utf8');
const updated = text.replace(/(reset-widget\.js" integrity=")sha384-[A-Za-z0-9+/=]*(")/g, `$1${all['reset-widget.js']}$2`);
if (updated !== text) {
  writeFileSync(readme, updated);
  console.log(`finish-dist: README.md's script tag now has reset-widget.js's hash ${all['reset-widget.js']}`);
}
console.log(`finish-dist: ${dist}/integrity.json: ${Object.keys(all).join(', ')}`);
