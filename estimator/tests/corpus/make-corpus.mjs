// Builds the zxcvbn agreement corpus: varied passwords scored by the reference
// JavaScript zxcvbn 4.4.2 (npm `zxcvbn`). Run from the repo root after
// `npm ci`:  node estimator/tests/corpus/make-corpus.mjs
// The output, zxcvbn-4.4.2.json, is checked in; estimator/tests/agreement.rs
// compares the Rust estimator against it.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const zxcvbn = require('zxcvbn');
const version = require('zxcvbn/package.json').version;
if (version !== '4.4.2') throw new Error(`need zxcvbn 4.4.2, found ${version}`);

// A fixed-seed PRNG so the corpus is the same on every run.
let seed = 0x5eed1234;
function rand() {
  seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

const common = ['123456', 'password', '12345678', 'qwerty', 'abc123', 'monkey', 'letmein', 'dragon', '111111', 'baseball',
  'iloveyou', 'trustno1', 'sunshine', 'master', 'welcome', 'shadow', 'ashley', 'football', 'jesus', 'michael', 'ninja',
  'mustang', 'password1', 'superman', 'batman', 'princess', 'starwars', 'whatever', 'freedom', 'hello', 'charlie',
  'donald', 'passw0rd', 'qwerty123', 'admin', 'login', 'solo', 'access', 'flower', 'hottie', 'loveme', 'zaq1zaq1',
  'password123', 'summer2019', 'winter2020', 'football1', 'baseball1', 'computer', 'internet', 'secret'];
const words = ['correct', 'horse', 'battery', 'staple', 'orange', 'guitar', 'purple', 'monkey', 'summer', 'coffee',
  'dragon', 'yellow', 'banana', 'cookie', 'silver', 'thunder', 'rainbow', 'kitten', 'garden', 'window', 'marmalade',
  'tundra', 'quiver', 'zephyr', 'lantern', 'pickle', 'velvet', 'glacier', 'meadow', 'harbor'];
const names = ['john', 'maria', 'anna', 'peter', 'diane', 'robert', 'linda', 'james', 'susan', 'david', 'emma', 'oliver'];
const leet = { a: ['4', '@'], e: ['3'], i: ['1', '!'], o: ['0'], s: ['5', '$'], t: ['7'], l: ['1'], g: ['9'] };

const corpus = new Set();
for (const p of common) corpus.add(p);
// l33t and capitalised variants of words and common passwords.
for (let i = 0; i < 60; i++) {
  const base = pick(rand() < 0.5 ? words : common.filter((c) => /^[a-z]+$/.test(c)));
  let out = '';
  for (const ch of base) out += leet[ch] && rand() < 0.6 ? pick(leet[ch]) : ch;
  if (rand() < 0.5) out = out[0].toUpperCase() + out.slice(1);
  if (rand() < 0.4) out += pick(['!', '1', '123', '2024', '#', '99']);
  corpus.add(out);
}
// Dates in several formats.
for (let i = 0; i < 45; i++) {
  const y = 1950 + Math.floor(rand() * 75), m = 1 + Math.floor(rand() * 12), d = 1 + Math.floor(rand() * 28);
  const p2 = (n) => String(n).padStart(2, '0');
  corpus.add(pick([`${p2(m)}/${p2(d)}/${y}`, `${y}-${p2(m)}-${p2(d)}`, `${p2(d)}${p2(m)}${y}`, `${d}.${m}.${String(y).slice(2)}`,
    `${pick(names)}${y}`, `${y}${pick(names)}`, `${p2(d)}${p2(m)}${String(y).slice(2)}`]));
}
// Keyboard walks.
for (const p of ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1qaz2wsx', 'qazwsx', '1q2w3e4r', 'zaq12wsx', 'poiuytrewq',
  'asdfjkl;', 'qwerasdf', '!QAZ2wsx', '1qaz@WSX', 'qweasdzxc', 'mnbvcxz', 'ytrewq', '147258369', '159357', '741852963',
  'qwe123', 'asd123', 'zxc123', 'qwertzuiop', 'azerty', 'wsxedc', 'rfvtgb', 'yhnujm', '!@#$%^&*', '1234qwer',
  'qwerty!@#', 'QwErTy12', 'asdf1234', 'zxcvbnm,./', 'qazxswedc', '12qwaszx', 'poiulkjh', 'qwertyuiop[]', '3edc4rfv',
  'tgbyhn', 'okmijn', 'plokij']) corpus.add(p);
// Repeats and sequences.
for (const p of ['aaaaaa', 'aaaaaaaaaaaa', 'abcabcabc', '123123123', 'abcdefgh', '123456789', '987654321', 'zyxwvuts',
  'xyzxyzxyz', '11112222', 'abababab', '0000000000', 'hahahaha', 'lololol', '13579', '2468101214', 'aabbccdd',
  'abcd1234', '1234abcd', 'qqqqqqqq', '1a2b3c4d', 'acegikmo', 'ZYXWVU', 'mnopqrst', '12345678910']) corpus.add(p);
// Names with numbers and symbols.
for (let i = 0; i < 35; i++) {
  const n = pick(names);
  corpus.add(pick([n + Math.floor(rand() * 100), n[0].toUpperCase() + n.slice(1) + pick(['!', '1!', '123', '@2023']),
    n + pick(names), n.toUpperCase() + Math.floor(rand() * 10000)]));
}
// Passphrases of 2-5 words.
for (let i = 0; i < 40; i++) {
  const n = 2 + Math.floor(rand() * 4);
  const sep = pick(['', '-', ' ', '.', '_']);
  corpus.add(Array.from({ length: n }, () => pick(words)).join(sep));
}
// Random strings from several alphabets and lengths.
const alphabets = ['abcdefghijklmnopqrstuvwxyz', 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&*+-=?@^_', '0123456789', 'abcdef0123456789'];
for (let i = 0; i < 70; i++) {
  const a = pick(alphabets), len = 4 + Math.floor(rand() * 20);
  corpus.add(Array.from({ length: len }, () => a[Math.floor(rand() * a.length)]).join(''));
}

const scored = [...corpus].map((password) => {
  const r = zxcvbn(password);
  return { password, score: r.score, guessesLog10: Number(r.guesses_log10.toFixed(4)) };
});
const out = new URL('./zxcvbn-4.4.2.json', import.meta.url);
writeFileSync(out, JSON.stringify({ generator: 'zxcvbn 4.4.2 (npm)', count: scored.length, passwords: scored }, null, 1) + '\n');
console.log(`${scored.length} passwords scored by zxcvbn ${version} -> ${out.pathname}`);
