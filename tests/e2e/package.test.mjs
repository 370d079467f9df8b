// The npm package as a front-end developer takes it: `npm pack` of the
// package folder (scripts/package.mjs, `make package`), installed with React
// into an empty folder, the React example (examples/react) bundled against
// it with esbuild, served by the reference backend and driven in Chromium
// through a whole bulk reset; and the TypeScript example type-checked
// against the installed package's types.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchBrowser, leakSurface, openPage, startBackend } from './harness.mjs';
import { buildReactExample } from '../../examples/react/build.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const PACKAGE = '@contoso/password-reset-widget';
const env = {};
/** `npm pack`'s file name for a package. */
const packedName = (pkg) => `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`;

before(async () => {
  env.tmp = mkdtempSync(join(tmpdir(), 'reset-package-'));
  execFileSync(process.execPath, [join(ROOT, 'scripts/package.mjs')], { stdio: 'inherit' });
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', env.tmp],
    { cwd: join(ROOT, 'target/package'), encoding: 'utf8' }));
  env.tarball = join(env.tmp, packed[0].filename);
  assert.equal(packed[0].filename, packedName(packed[0]));
  env.files = packed[0].files.map((f) => f.path);
  env.app = join(env.tmp, 'app');
  execFileSync('mkdir', ['-p', env.app]);
  writeFileSync(join(env.app, 'package.json'), JSON.stringify({ name: 'intranet-app', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', env.tarball, 'react@19', 'react-dom@19'],
    { cwd: env.app, stdio: ['ignore', 'inherit', 'inherit'] });
});

after(async () => {
  await env.browser?.close();
  await env.backend?.stop();
  if (env.tmp) rmSync(env.tmp, { recursive: true, force: true });
});

test('the tarball holds the package a developer expects', () => {
  const pkg = JSON.parse(readFileSync(join(env.app, 'node_modules', PACKAGE, 'package.json'), 'utf8'));
  const cargoVersion = /^version = "(.+)"$/m.exec(readFileSync(join(ROOT, 'Cargo.toml'), 'utf8'))[1];
  assert.equal(pkg.version, cargoVersion);
  assert.equal(pkg.type, 'module');
  assert.deepEqual(pkg.exports['.'], { types: './reset-widget.d.ts', default: './dist/reset-widget.js' });
  assert.equal(pkg.customElements, 'custom-elements.json');
  // The README's versioned paths name this release.
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.ok(readme.includes(`/static/reset-widget/${pkg.version}/reset-widget.js`), 'the README shows the versioned script path');
  assert.ok(readme.includes(`target/${packedName(pkg)}`), 'the README names the tarball');
  assert.deepEqual(pkg.sideEffects, ['./dist/reset-widget.js']);
  for (const f of ['package.json', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE', 'reset-widget.d.ts', 'custom-elements.json',
    'dist/reset-widget.js', 'dist/password-reset-widget_bg.wasm', 'dist/estimator-worker.js', 'dist/reset-estimator_bg.wasm',
    'schema/reset-request.schema.json']) {
    assert.ok(env.files.includes(f), `${f} is in the tarball`);
  }
  const manifest = JSON.parse(readFileSync(join(env.app, 'node_modules', PACKAGE, 'custom-elements.json'), 'utf8'));
  const reset = manifest.modules[0].declarations.find((d) => d.tagName === 'reset-password');
  assert.equal(reset.attributes.find((a) => a.name === 'min-length').default, '12');
  assert.ok(reset.events.some((e) => e.name === 'reset-password:done'));
});

test('the TypeScript example type-checks against the installed package', () => {
  copyFileSync(join(ROOT, 'examples/typescript/app.ts'), join(env.app, 'app.ts'));
  writeFileSync(join(env.app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'], strict: true, noEmit: true },
    files: ['app.ts'],
  }));
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', env.app, '--pretty', 'false'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('the React example, bundled against the tarball, resets two users through its transport', async () => {
  for (const f of ['app.jsx', 'index.html']) copyFileSync(join(ROOT, 'examples/react', f), join(env.app, f));
  const out = await buildReactExample(env.app, join(env.tmp, 'www'));
  assert.ok(readdirSync(join(out, 'reset-widget')).includes('password-reset-widget_bg.wasm'));
  assert.ok(!readFileSync(join(out, 'app.js'), 'utf8').includes('wasm-bindgen'), 'the widget is not bundled into the app');

  env.backend = await startBackend({ www: out });
  env.browser = await launchBrowser();
  const { page, context, seen } = await openPage(env.browser, env.backend.url + '/index.html');
  const widget = page.locator('reset-password');
  await widget.getByRole('checkbox', { name: /Diane Prescott/ }).waitFor();
  // React set the properties (no `transport` attribute, and no endpoint: only the transport can carry the reset).
  assert.deepEqual(await widget.evaluate((el) => [typeof el.transport, el.hasAttribute('transport'), el.hasAttribute('endpoint'),
    el.users.map((u) => u.id)]), ['function', false, false, ['u-1042', 'u-1043']]);

  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Reset password' }).click();
  await widget.getByText('2 of 2 passwords reset.').waitFor();
  await widget.getByRole('button', { name: 'Show password for Diane Prescott' }).click();
  const password = (await widget.locator('tr[data-user-id="u-1042"] code').textContent()).trim();
  assert.ok(password.length >= 12, password.length);
  assert.equal((await env.backend.signIn('u-1042', password)).status, 200, 'the new password signs in');

  // React's `onreset-password:done` handler ran.
  assert.equal((await page.locator('#react-done').textContent()).trim(), 'React heard: reset u-1042, u-1043');
  assert.ok(!(await leakSurface(page, seen)).includes(password), 'the password stays out of URLs, console, storage and events');
  assert.deepEqual(seen.errors, []);
  await context.close();
});
