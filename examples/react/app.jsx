// A React 19 app with <reset-password>: `users` and `transport` are passed as
// properties (React 19 sets a property when the element has it, and the
// static import below defines the elements before the first render), and
// `onreset-password:done` listens for the element's done event.
//
// Built by build.mjs (esbuild), which maps the package import to the served
// copy of its dist/ folder (./reset-widget/reset-widget.js).
import '@contoso/password-reset-widget';
import { useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';

// The team's own users, here two of the reference backend's demo users.
const USERS = [
  { id: 'u-1042', name: 'Diane Prescott', email: 'diane@contoso.com' },
  { id: 'u-1043', name: 'Lee Gu', email: 'lee@contoso.com' },
];

/** A transport through the app's own fetch (as an SDK or GraphQL client would). */
function makeTransport(csrfToken) {
  return async (request) => {
    const path = request.kind === 'stepUp' ? '/api/session/step-up' : '/api/password-resets';
    const response = await fetch(path, {
      method: request.method,
      credentials: 'same-origin',
      headers: { ...request.headers, 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken },
      body: JSON.stringify(request.body),
    });
    return {
      status: response.status,
      headers: { 'Content-Type': response.headers.get('Content-Type') ?? '', 'Retry-After': response.headers.get('Retry-After') ?? '' },
      body: await response.text(),
    };
  };
}

function App() {
  const [csrfToken, setCsrfToken] = useState(null);
  const [done, setDone] = useState(null);
  useEffect(() => {
    fetch('/api/session').then((r) => (r.ok ? r.json() : null)).then((s) => setCsrfToken(s?.csrfToken ?? ''));
  }, []);
  const transport = useMemo(() => (csrfToken ? makeTransport(csrfToken) : null), [csrfToken]);
  if (csrfToken === null) return <p>Loading…</p>;
  if (!csrfToken) return <p>Sign in first.</p>;
  return (
    <main>
      <h1>Reset passwords</h1>
      <reset-password
        users={USERS}
        transport={transport}
        current-user-id="u-1001"
        onreset-password:done={(event) => setDone(event.detail)}
      />
      {done && <p role="status" id="react-done">React heard: reset {done.userIds.join(', ')}</p>}
    </main>
  );
}

createRoot(document.getElementById('root')).render(<App />);
