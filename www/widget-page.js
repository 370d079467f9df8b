// Shared by the demo's extra pages (hostile.html, strict-csp.html,
// svenska.html, theming.html): passes the signed-in admin's CSRF token to
// every <reset-password> on the page, as an intranet page would. Without a
// session it goes to the sign-in page first.
const response = await fetch('/api/session', { headers: { Accept: 'application/json' } });
if (response.status === 401) {
  location.href = `/sign-in.html?next=${encodeURIComponent(location.pathname)}`;
} else {
  const { csrfToken } = await response.json();
  for (const widget of document.querySelectorAll('reset-password')) {
    widget.setAttribute('headers', JSON.stringify({ 'X-CSRF-Token': csrfToken }));
  }
  document.documentElement.dataset.ready = 'true';
}
