// Writes bench/corpus.txt: ~500 varied passwords, one per line, generated
// deterministically (fixed seed, no randomness from the machine), so the
// throughput figure is measured on the same strings by every run.
//
//   node bench/make-corpus.mjs          rewrite bench/corpus.txt
//   node bench/make-corpus.mjs --check  exit 1 if bench/corpus.txt differs
//
// The mix is meant to exercise every zxcvbn matcher: common passwords,
// dictionary words with capitals, digits, years and l33t, dates, keyboard
// walks, sequences and repeats, the benchmark user's own name and e-mail,
// passphrases, random strings of many lengths, a few long ones (past the
// crate's 100-character cut) and a few non-ASCII ones.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CORPUS_PATH = join(import.meta.dirname, 'corpus.txt');

// mulberry32: tiny, deterministic, good enough to shuffle a corpus.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMON = [
  '123456', 'password', '12345678', 'qwerty', '123456789', '12345', '1234', '111111', '1234567', 'dragon',
  '123123', 'baseball', 'abc123', 'football', 'monkey', 'letmein', '696969', 'shadow', 'master', '666666',
  'qwertyuiop', '123321', 'mustang', '1234567890', 'michael', '654321', 'superman', '1qaz2wsx', '7777777', '121212',
  '000000', 'qazwsx', '123qwe', 'killer', 'trustno1', 'jordan', 'jennifer', 'zxcvbnm', 'asdfgh', 'hunter',
  'buster', 'soccer', 'harley', 'batman', 'andrew', 'tigger', 'sunshine', 'iloveyou', 'pass123', '2000',
  'charlie', 'robert', 'thomas', 'hockey', 'ranger', 'daniel', 'starwars', 'klaster', '112233', 'george',
  'welcome', 'princess', 'admin', 'login', 'passw0rd', 'football1', 'solo', 'whatever', 'freedom', 'qwerty123',
];

const WORDS = [
  'apple', 'river', 'orange', 'tiger', 'silver', 'garden', 'window', 'summer', 'winter', 'autumn',
  'spring', 'coffee', 'purple', 'yellow', 'falcon', 'dolphin', 'mountain', 'ocean', 'thunder', 'shadow',
  'castle', 'dragon', 'wizard', 'pirate', 'rocket', 'planet', 'galaxy', 'forest', 'meadow', 'canyon',
  'harbor', 'lantern', 'marble', 'velvet', 'copper', 'crystal', 'phoenix', 'jaguar', 'panther', 'monkey',
  'banana', 'cherry', 'lemon', 'mango', 'peach', 'pepper', 'ginger', 'butter', 'cookie', 'muffin',
  'horse', 'battery', 'staple', 'correct', 'quokka', 'zebra', 'walrus', 'badger', 'otter', 'beaver',
  'monday', 'friday', 'january', 'october', 'december', 'london', 'paris', 'berlin', 'tokyo', 'chicago',
  'soccer', 'hockey', 'tennis', 'guitar', 'piano', 'violin', 'trumpet', 'drummer', 'singer', 'dancer',
  'doctor', 'nurse', 'teacher', 'farmer', 'sailor', 'pilot', 'captain', 'soldier', 'hunter', 'ranger',
  'welcome', 'letmein', 'secret', 'private', 'access', 'master', 'office', 'contoso', 'company', 'intranet',
  'marmalade', 'tundra', 'quiver', 'blanket', 'pencil', 'ladder', 'bottle', 'candle', 'mirror', 'rabbit',
  'love', 'baby', 'angel', 'happy', 'lucky', 'sunny', 'magic', 'super', 'power', 'money',
];

const FIRST_NAMES = ['diane', 'michael', 'jessica', 'ashley', 'matthew', 'amanda', 'joshua', 'sarah', 'adele', 'megan', 'lee', 'alex'];
const KEYBOARD = [
  'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'qazwsxedc', '1qaz2wsx3edc', '!QAZ2wsx', 'zaq12wsx', 'poiuytrewq', 'mnbvcxz',
  'qwerasdfzxcv', '1q2w3e4r5t', 'q1w2e3r4', 'asdf;lkj', '`1234567890-=', 'qweasdzxc', '147258369', '159357', '963852741',
  'wsxcde', 'yhnujm', 'rfvtgb', 'plokij', 'ZXCVBNM<>?', 'QWERTYUIOP{}', 'asdfghjkl;\'', '1234qwer', 'qwer1234', 'edcrfvtgb',
  '7410852963', 'xsw21qaz',
];
const LEET = { a: '@', e: '3', i: '1', o: '0', s: '$', t: '7', l: '1', g: '9', b: '8' };
const SYMBOLS = '!@#$%^&*?-_.+=~';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const NON_ASCII = ['pässwört', 'contraseña2024', 'mot-de-passe-été', 'Grüße!München', 'пароль123', 'Пароль_Зима2025', '密码123456', 'パスワード2024', 'ελληνικά!42', 'façade-Noël-1999', 'smörgåsbord', 'żółć-gęślą-jaźń'];

export function makeCorpus() {
  const r = rng(0x7e5e7);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const cap = (w) => w[0].toUpperCase() + w.slice(1);
  const leet = (w) => [...w].map((c) => (LEET[c] && r() < 0.6 ? LEET[c] : c)).join('');
  const random = (n, alphabet) => Array.from({ length: n }, () => pick(alphabet)).join('');
  const date = () => {
    const y = int(1950, 2025), m = String(int(1, 12)).padStart(2, '0'), d = String(int(1, 28)).padStart(2, '0');
    return pick([`${d}/${m}/${y}`, `${y}-${m}-${d}`, `${m}${d}${y}`, `${d}.${m}.${String(y).slice(2)}`, `${y}${m}${d}`, `${d}${m}${String(y).slice(2)}`]);
  };
  const out = new Set();
  const add = (p) => { if (p && p === p.trim() && !p.includes('\n')) out.add(p); };

  COMMON.forEach(add);                                                            // 70 common
  for (let i = 0; i < 60; i++) add(cap(pick(WORDS)) + pick(['', '1', '123', '!', String(int(1960, 2025)), String(int(0, 99))]) + pick(['', '!', '?', '#'])); // word + suffix
  for (let i = 0; i < 40; i++) add(leet(pick(WORDS) + pick(['', pick(WORDS)])) + pick(['', String(int(0, 999))])); // l33t
  for (let i = 0; i < 30; i++) add(pick(['', pick(FIRST_NAMES), cap(pick(WORDS))]) + date());  // dates
  KEYBOARD.forEach(add);                                                          // 30 keyboard walks
  for (let i = 0; i < 30; i++) {                                                  // sequences and repeats
    const kind = i % 5;
    if (kind === 0) { const s = int(0, 10); add(LOWER.slice(s, s + int(4, 12))); }
    else if (kind === 1) { const s = int(0, 4); add(DIGITS.slice(s, s + int(4, 6)).split('').reverse().join('') + pick(['', '!'])); }
    else if (kind === 2) add(pick(LOWER + DIGITS).repeat(int(4, 12)));
    else if (kind === 3) add(pick(WORDS).slice(0, int(2, 4)).repeat(int(2, 4)));
    else add(pick(['abc', '123', 'xyz', 'qwe', 'aa1', '!@#']).repeat(int(2, 5)) + String(int(0, 9)));
  }
  const USER = ['diane', 'Diane', 'prescott', 'Prescott', 'DianePrescott', 'diane.prescott', 'contoso', 'Contoso', 'u-1042', 'diane@contoso.com'];
  for (let i = 0; i < 30; i++) add(pick(USER) + pick(['', '1', '2024', '!', '#1', String(int(1950, 2010))]) + pick(['', '!', 'Contoso'])); // the user's own words
  for (let i = 0; i < 70; i++) {                                                  // passphrases
    const n = int(3, 6);
    const words = Array.from({ length: n }, () => (r() < 0.3 ? cap(pick(WORDS)) : pick(WORDS)));
    add(words.join(pick(['', ' ', '-', '_', '.', '+'])) + pick(['', '', String(int(1, 99)), '!']));
  }
  for (let i = 0; i < 120; i++) {                                                 // random strings, 6..40
    const n = int(6, 40);
    const alphabet = pick([LOWER, LOWER + DIGITS, LOWER + UPPER + DIGITS, LOWER + UPPER + DIGITS + SYMBOLS, DIGITS, UPPER + DIGITS]);
    add(random(n, alphabet));
  }
  for (let i = 0; i < 20; i++) {                                                  // long: 50..120
    add(i % 2 === 0
      ? Array.from({ length: int(8, 16) }, () => pick(WORDS)).join(pick(['-', ' ', ''])).slice(0, int(50, 120)).trim()
      : random(int(50, 120), LOWER + UPPER + DIGITS + SYMBOLS));
  }
  NON_ASCII.forEach(add);                                                         // 12 non-ASCII
  return [...out];
}

export function corpusText() {
  return makeCorpus().join('\n') + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = corpusText();
  if (process.argv.includes('--check')) {
    const same = readFileSync(CORPUS_PATH, 'utf8') === text;
    console.log(same ? 'bench/corpus.txt is up to date' : 'bench/corpus.txt differs from make-corpus.mjs');
    process.exit(same ? 0 : 1);
  }
  writeFileSync(CORPUS_PATH, text);
  console.log(`wrote ${CORPUS_PATH}: ${text.split('\n').length - 1} passwords`);
}
