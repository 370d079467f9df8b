// An example JavaScript transport: the widget hands the request to the page,
// which delivers it however its backend wants (here: its own envelope to the
// reference backend, the way a GraphQL client or an SDK would) and hands the
// answer back as { status, headers, body }.
const widget = document.getElementById('via-transport');
const log = document.getElementById('transport-log');

const session = await fetch('/api/session');
if (session.status === 401) location.href = `/sign-in.html?next=${encodeURIComponent(location.pathname)}`;
const { csrfToken } = await session.json();

widget.transport = async (request) => {
  // request: { kind, endpoint, method, headers, idempotencyKey, body }. body holds a
  // password: it goes to our backend and nowhere else (not to this log).
  // kind "stepUp": the admin confirms their own password before an
  // administrator's reset, then the widget sends that reset again.
  const stepUp = request.kind === 'stepUp';
  log.textContent = stepUp
    ? 'Confirming your password through the page\'s transport…'
    : `Sending ${request.body.resets.length} reset(s) through the page's transport…`;
  const response = await fetch(stepUp ? '/api/session/step-up' : '/api/password-resets', {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, application/problem+json',
      'Idempotency-Key': request.idempotencyKey,
      'X-CSRF-Token': csrfToken,
    },
    body: JSON.stringify(request.body),
  });
  log.textContent = `The backend answered ${response.status}.`;
  return {
    status: response.status,
    headers: {
      'Content-Type': response.headers.get('Content-Type') ?? '',
      'Retry-After': response.headers.get('Retry-After') ?? '',
    },
    body: await response.text(),
  };
};
