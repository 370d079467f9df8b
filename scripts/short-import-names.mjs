// Drops the hashes wasm-bindgen puts in its import names
// (`__wbg_stringify_0a0fbf2ef722380a` becomes `__wbg_stringify`, or
// `__wbg_stringify_2` when two would clash), in a module and its glue alike.
// wasm-bindgen has no option for it. Over 160 imports, the 16 hex digits were
// 1.5 KB brotli of reset-widget.js, the script every host page loads before
// its `load` event, and about as much of the module. Nothing else changes:
// the names are only how the glue's import object meets the module's imports.
//   node scripts/short-import-names.mjs DIST module_bg.wasm glue.js [...]
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const HASHED = /^(.+)_[0-9a-f]{16}$/;

function leb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return out;
}

/**
 * Reads a WebAssembly module's binary format from `at`: LEB128 numbers,
 * names, import descriptions and sections. Shared with the test of the
 * estimator module's globals (tests/e2e/api.test.mjs).
 */
export class WasmReader {
  constructor(bytes, at = 8) {
    this.bytes = bytes;
    this.at = at; // after the magic number and version
  }

  u32() {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = this.bytes[this.at++];
      result |= (byte & 0x7f) << shift;
      if (!(byte & 0x80)) return result >>> 0;
    }
  }

  name() {
    const n = this.u32();
    const text = Buffer.from(this.bytes.subarray(this.at, this.at + n)).toString('utf8');
    this.at += n;
    return text;
  }

  limits() {
    const flags = this.u32();
    this.u32();
    if (flags & 1) this.u32();
  }

  /** Skips an import's description; for a global, whether it is mutable. */
  importDescription() {
    const kind = this.bytes[this.at++];
    if (kind === 0) this.u32(); // a function: its type
    else if (kind === 1) { this.at++; this.limits(); } // a table
    else if (kind === 2) this.limits(); // a memory
    else if (kind === 3) { this.at++; return this.bytes[this.at++] === 1; } // a global
    else if (kind === 4) { this.at++; this.u32(); } // a tag
    else throw new Error(`import kind ${kind}`);
    return false;
  }

  /** Each section as `{ id, start, body, end }`, from the current position. */
  *sections() {
    while (this.at < this.bytes.length) {
      const start = this.at;
      const id = this.bytes[this.at++];
      const size = this.u32();
      const body = this.at;
      yield { id, start, body, end: body + size };
      this.at = body + size;
    }
  }
}

/** The module's bytes with each import's name replaced by `rename(name)`. */
export function renameImports(bytes, rename) {
  const read = new WasmReader(bytes);
  const parts = [bytes.subarray(0, 8)];
  for (const { id, start, end } of read.sections()) {
    if (id !== 2) {
      parts.push(bytes.subarray(start, end));
      continue;
    }
    const count = read.u32();
    const out = [...leb(count)];
    const name = (s) => {
      const b = Buffer.from(s, 'utf8');
      out.push(...leb(b.length), ...b);
    };
    for (let i = 0; i < count; i++) {
      name(read.name()); // the module
      name(rename(read.name())); // the import
      const description = read.at;
      read.importDescription();
      out.push(...bytes.subarray(description, read.at));
    }
    if (read.at !== end) throw new Error('import section not read to its end');
    parts.push(Uint8Array.of(2, ...leb(out.length)), Uint8Array.from(out));
  }
  return Buffer.concat(parts);
}

/** Shortens the hashed import names of `wasmFile` and the same names in `glueFile`. */
export function shortenImportNames(wasmFile, glueFile) {
  const bytes = readFileSync(wasmFile);
  let glue = readFileSync(glueFile, 'utf8');
  const names = WebAssembly.Module.imports(new WebAssembly.Module(bytes)).map((i) => i.name);
  const taken = new Set(names.filter((n) => !HASHED.test(n)));
  const short = new Map();
  for (const name of names) {
    const match = HASHED.exec(name);
    if (!match || short.has(name)) continue;
    let candidate = match[1];
    for (let n = 2; taken.has(candidate); n++) candidate = `${match[1]}_${n}`;
    taken.add(candidate);
    short.set(name, candidate);
  }
  for (const [long, candidate] of short) {
    // Each hashed name is one identifier of the glue's import object.
    const uses = glue.split(long).length - 1;
    if (uses !== 1) throw new Error(`${glueFile}: ${long} appears ${uses} times, expected once`);
    glue = glue.replace(long, candidate);
  }
  writeFileSync(wasmFile, renameImports(bytes, (name) => short.get(name) ?? name));
  writeFileSync(glueFile, glue);
  return short.size;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dist, ...pairs] = process.argv.slice(2);
  for (let i = 0; i < pairs.length; i += 2) {
    const count = shortenImportNames(join(resolve(dist), pairs[i]), join(resolve(dist), pairs[i + 1]));
    console.log(`short-import-names: ${pairs[i]}: ${count} names`);
  }
}
