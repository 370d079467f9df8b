// A TypeScript page using <reset-password> through the package's types:
// element properties, typed event details, the JS API and a transport.
import {
  checkPolicy,
  estimateStrength,
  generatePassword,
  ready,
  type ResetDoneDetail,
  type Transport,
  type TransportAnswer,
} from '@contoso/password-reset-widget';

const widget = document.createElement('reset-password'); // a ResetPasswordElement
widget.setAttribute('current-user-id', 'u-1001');
widget.users = [
  { id: 'u-1042', name: 'Diane Prescott', email: 'diane@contoso.com' },
  { id: 'u-1043', name: 'Lee Gu' },
];

const csrfToken: string = (await (await fetch('/api/session')).json()).csrfToken;
const transport: Transport = async (request): Promise<TransportAnswer> => {
  const path = request.kind === 'stepUp' ? '/api/session/step-up' : '/api/password-resets';
  const response = await fetch(path, {
    method: request.method,
    headers: { ...request.headers, 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken },
    body: JSON.stringify(request.body),
  });
  return { status: response.status, headers: { 'Content-Type': response.headers.get('Content-Type') ?? '' }, body: await response.text() };
};
widget.transport = transport;

widget.addEventListener('reset-password:done', (event) => {
  const detail: ResetDoneDetail = event.detail;
  const status: 'sent' | 'queued' | 'failed' = detail.delivery.status;
  console.log(`reset ${detail.userIds.join(', ')}; e-mail ${status}`);
});
widget.addEventListener('reset-password:strength', (event) => {
  const score: 0 | 1 | 2 | 3 | 4 = event.detail.score;
  console.log(score, event.detail.source === 'generated');
});
widget.addEventListener('reset-password:close', () => widget.remove());
document.body.append(widget);

// Events bubble (and are composed): the document hears them typed too.
document.addEventListener('change-password:done', (event) => console.log(event.detail.userId.toUpperCase()));
document.querySelector('recover-password')?.addEventListener('recover-password:error', (event) => {
  console.log(event.detail.status.toFixed(0), event.detail.title);
});
const change = document.createElement('change-password');
change.transport = null;

// The elements exist at once; the generator needs the module loaded.
await ready;
const { password, entropyBits } = generatePassword({ kind: 'passphrase', words: 6, separator: ' ', digits: 2 });
console.log(password.length, entropyBits.toFixed(1));
const estimate = await estimateStrength('correct horse', ['Diane Prescott'], { lang: 'sv' });
console.log(estimate.score, estimate.warning ?? 'none', estimate.crackTimeDisplay);
const check = await checkPolicy('Prescott-2026!', { minLength: 12, minScore: 3, blocklist: ['Contoso-Spring-2026!'] },
  { userId: 'u-1042', userName: 'Diane Prescott' });
console.log(check.ok, check.reasons.map((r) => r.code));
