#!/usr/bin/env node
// Builds examples/react with esbuild, no dev server:
//
//   node examples/react/build.mjs [APP_DIR] [OUT_DIR]
//
// APP_DIR holds app.jsx, index.html and a node_modules/ with react,
// react-dom and @contoso/password-reset-widget (default: this folder); the
// page goes to OUT_DIR (default: APP_DIR/out): index.html, app.js, and
// reset-widget/, a copy of the package's dist/. The widget is not bundled:
// it fetches its .wasm files and worker next to its own URL, so the import
// of the package is left to the browser, at ./reset-widget/reset-widget.js.
import { build } from 'esbuild';
import { copyFileSync, cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = '@contoso/password-reset-widget';

export async function buildReactExample(appDir, outDir = join(appDir, 'out')) {
  const require = createRequire(join(appDir, 'package.json'));
  const widgetDist = join(dirname(require.resolve(`${PACKAGE}/package.json`)), 'dist');
  mkdirSync(outDir, { recursive: true });
  cpSync(widgetDist, join(outDir, 'reset-widget'), { recursive: true });
  copyFileSync(join(appDir, 'index.html'), join(outDir, 'index.html'));
  await build({
    absWorkingDir: appDir,
    entryPoints: [join(appDir, 'app.jsx')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    format: 'esm',
    jsx: 'automatic',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
    plugins: [{
      name: 'served-widget',
      setup(b) {
        b.onResolve({ filter: new RegExp(`^${PACKAGE}$`) }, () => ({ path: './reset-widget/reset-widget.js', external: true }));
      },
    }],
  });
  return outDir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const appDir = resolve(process.argv[2] ?? dirname(fileURLToPath(import.meta.url)));
  const out = await buildReactExample(appDir, process.argv[3] && resolve(process.argv[3]));
  console.log(`built ${out}`);
}
