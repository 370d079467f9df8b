#!/usr/bin/env node
// `make package`: the npm package folder, target/package/, from the built
// dist/ (run `make dist` first) and the generated types and manifest:
//
//   package.json          name, version (Cargo.toml's), exports, types, customElements
//   dist/                 the bundle, as `make dist` built it (the files a page loads)
//   reset-widget.d.ts     the types        } written by scripts/api.mjs from
//   custom-elements.json  the manifest     } src/embed/elements.json
//   schema/               the wire contract's JSON Schemas
//   README.md, LICENSE-MIT, LICENSE-APACHE
//
// `npm pack` on the folder gives the tarball (`make package` does that too).
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'target/package');
const api = JSON.parse(readFileSync(join(ROOT, 'src/embed/elements.json'), 'utf8'));

// The types and manifest must be those of the description.
execFileSync(process.execPath, [join(ROOT, 'scripts/api.mjs'), '--check'], { stdio: 'inherit' });

const cargo = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8');
const version = /^\[package\][^[]*?^version\s*=\s*"([^"]+)"/m.exec(cargo)?.[1];
if (!version) throw new Error('no [package] version in Cargo.toml');

const dist = join(ROOT, 'dist');
if (!existsSync(join(dist, 'reset-widget.js'))) throw new Error('dist/ is not built: run `make dist`');

rmSync(OUT, { recursive: true, force: true });
mkdirSync(join(OUT, 'schema'), { recursive: true });
cpSync(dist, join(OUT, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.html') });
copyFileSync(join(ROOT, 'src/embed/reset-widget.d.ts'), join(OUT, 'reset-widget.d.ts'));
copyFileSync(join(ROOT, 'src/embed/custom-elements.json'), join(OUT, 'custom-elements.json'));
for (const f of readdirSync(join(ROOT, 'schema')).filter((f) => f.endsWith('.json'))) {
  copyFileSync(join(ROOT, 'schema', f), join(OUT, 'schema', f));
}
for (const f of ['LICENSE-MIT', 'LICENSE-APACHE']) copyFileSync(join(ROOT, f), join(OUT, f));

// The package's README: the repository README's sections for a page author,
// from "Install" up to the wire contract (which links the schemas).
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const start = readme.indexOf('## Install');
const end = readme.indexOf('## The wire contract');
if (start < 0 || end < start) throw new Error('README.md: no "## Install" … "## The wire contract" sections');
writeFileSync(join(OUT, 'README.md'), `# ${api.package.name}\n\n${api.package.description}\n\n`
  + `The JSON Schemas of the wire contract are in \`schema/\`; the element API is typed in \`reset-widget.d.ts\` `
  + `and described in \`custom-elements.json\`.\n\n${readme.slice(start, end).replace(/!\[[^\]]*\]\(docs\/[^)]*\)\n*/g, '')}`);

const module = `./${api.package.module}`;
const pkg = {
  name: api.package.name,
  version,
  description: api.package.description,
  license: 'MIT OR Apache-2.0',
  type: 'module',
  module,
  types: './reset-widget.d.ts',
  exports: {
    '.': { types: './reset-widget.d.ts', default: module },
    './dist/*': './dist/*',
    './custom-elements.json': './custom-elements.json',
    './schema/*': './schema/*',
    './package.json': './package.json',
  },
  customElements: 'custom-elements.json',
  // Importing the module defines the elements: bundlers must keep it.
  sideEffects: [module],
  files: ['dist/', 'schema/', 'reset-widget.d.ts', 'custom-elements.json', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE'],
  keywords: ['web-components', 'custom-elements', 'password', 'password-reset', 'webassembly'],
};
writeFileSync(join(OUT, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
console.log(`wrote ${OUT} (${pkg.name}@${version})`);
