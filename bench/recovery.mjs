// Does `POST /api/password-recovery/codes` take the same time for a login
// that exists as for one that does not? (If not, its timing tells an
// attacker which accounts exist.) 200 requests each, interleaved so both
// see the same machine; each existing login is a different seeded user, so
// no per-account limit is reached. Run by `make bench` (bench/run.mjs), or on
// its own against a running backend: `node bench/recovery.mjs URL`.

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const round = (x) => Math.round(x * 1000) / 1000;

/** The backend must have at least `n` seeded users (`--seed-users`) and a high per-address limit. */
export async function measureRecoveryCodes(baseUrl, n = 200) {
  const existing = [];
  const unknown = [];
  const ask = async (login) => {
    const started = performance.now();
    const res = await fetch(`${baseUrl}/api/password-recovery/codes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login }),
    });
    await res.text();
    if (res.status !== 202) throw new Error(`POST /codes for ${login} answered ${res.status}`);
    return performance.now() - started;
  };
  // A few untimed requests first: connections and caches warm.
  for (let i = 0; i < 10; i++) await ask(`warm-up-${i}`);
  for (let i = 0; i < n; i++) {
    // Alternate which goes first, so neither always follows the other.
    const pair = [() => ask(`u-${2001 + i}`), () => ask(`nobody-${i}@contoso.com`)];
    if (i % 2) pair.reverse();
    const first = await pair[0]();
    const second = await pair[1]();
    (i % 2 ? unknown : existing).push(first);
    (i % 2 ? existing : unknown).push(second);
  }
  // The noise: how far apart two halves of the same kind of request are.
  const half = (xs, k) => xs.filter((_, i) => i % 2 === k);
  const noise = Math.max(
    Math.abs(median(half(existing, 0)) - median(half(existing, 1))),
    Math.abs(median(half(unknown, 0)) - median(half(unknown, 1))),
  );
  return {
    requests: n,
    existingMedianMs: round(median(existing)),
    unknownMedianMs: round(median(unknown)),
    existingP90Ms: round(quantile(existing, 0.9)),
    unknownP90Ms: round(quantile(unknown, 0.9)),
    differenceMs: round(median(existing) - median(unknown)),
    noiseMs: round(noise),
  };
}

export function formatRecovery(r) {
  return [
    `RECOVERY CODES: POST /api/password-recovery/codes, ${r.requests} for existing logins and ${r.requests} for unknown ones, interleaved.`,
    `   existing: median ${r.existingMedianMs} ms, p90 ${r.existingP90Ms} ms; unknown: median ${r.unknownMedianMs} ms, p90 ${r.unknownP90Ms} ms`,
    `   difference of medians ${r.differenceMs} ms; noise (two halves of the same kind) ${r.noiseMs} ms: ${Math.abs(r.differenceMs) <= Math.max(r.noiseMs, 0.05) ? 'within the noise' : 'MORE THAN THE NOISE'}`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.argv[2];
  if (!url) throw new Error('usage: node bench/recovery.mjs http://127.0.0.1:PORT (a backend with --seed-users 200)');
  console.log(formatRecovery(await measureRecoveryCodes(url)));
}
