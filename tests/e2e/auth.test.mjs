// Only a signed-in administrator may reset passwords: the sample page's
// sign-in, the session cookie, and the reference backend's refusals (401
// without a session, 403 for a non-admin or without the CSRF token, 429
// after too many failed sign-ins), with no password changed by a refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBackendAndBrowser, openPage, openDialogFor,
  DEMO_ADMIN, SESSION_COOKIE, CSRF_HEADER, adminSession, startSession, sessionHeaders,
} from './harness.mjs';

const env = useBackendAndBrowser();

const ATTEMPTED = 'Attempted-Reset-Pass-81';


let keys = 0;
/** `POST /api/password-resets` of `userId` to `password`, with these extra headers. */
function reset(userId, password, headers = {}) {
  const body = {
    resets: [{ userId, password }],
    passwordSource: 'custom',
    forceChangePasswordNextSignIn: false,
    deliverTo: [],
  };
  return env.backend.api('POST', '/api/password-resets', body, { 'Idempotency-Key': `auth-test-${++keys}`, ...headers });
}

/** A refused reset: this status and title as problem+json, and nothing changed. */
async function assertRefused(response, status, title, userId) {
  assert.equal(response.status, status, response.text);
  assert.equal(response.headers.get('content-type'), 'application/problem+json');
  assert.equal(response.json.title, title);
  assert.ok(!response.text.includes(ATTEMPTED));
  assert.equal((await env.backend.resetsOf(userId)).count, 0, `no reset of ${userId} was recorded`);
  const attempted = await env.backend.signIn(userId, ATTEMPTED);
  assert.equal(attempted.status, 401, `the attempted password must not work for ${userId}`);
  assert.ok(!env.backend.log().includes(ATTEMPTED), "the attempted password is not in the backend's log");
}

test('the sample page without a session goes to the sign-in page', async () => {
  const { page, context, seen } = await openPage(env.browser, env.backend.url + '/', { signIn: false });
  await page.waitForURL(env.backend.url + '/sign-in.html');
  assert.equal(await page.getByLabel('User id').inputValue(), DEMO_ADMIN.userId);
  await page.getByText(DEMO_ADMIN.password, { exact: true }).waitFor();
  // No users were listed on the way.
  assert.ok(!seen.urls.some((u) => u.endsWith('/api/users')), seen.urls.join('\n'));
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('a wrong password on the sign-in form says so and keeps you there', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/sign-in.html', { signIn: false });
  await page.getByLabel('Password').fill('Not-The-Admin-Password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').getByText('The user id or password is incorrect.').waitFor();
  assert.equal(page.url(), env.backend.url + '/sign-in.html');
  assert.equal(await page.getByLabel('Password').inputValue(), '', 'the password field is cleared');
  assert.equal((await context.cookies()).length, 0);
  await context.close();
});

test('signing in through the form shows the users table; the widget gets the CSRF token; Sign out ends it', async () => {
  const { page, context, seen } = await openPage(env.browser, env.backend.url + '/', { signIn: false });
  await page.waitForURL(env.backend.url + '/sign-in.html');
  await page.getByLabel('Password').fill(DEMO_ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(env.backend.url + '/');
  await page.locator('tr', { has: page.locator('text=u-1042') }).waitFor();
  await page.locator('.signed-in').getByText(DEMO_ADMIN.name).waitFor();
  assert.equal(await page.locator('#admin-email').textContent(), DEMO_ADMIN.email);

  // The cookie: HttpOnly (no script sees it), SameSite=Strict, not Secure on plain http.
  const cookies = await context.cookies();
  const cookie = cookies.find((c) => c.name === SESSION_COOKIE);
  assert.ok(cookie, JSON.stringify(cookies));
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(cookie.secure, false);
  assert.equal(cookie.path, '/');
  assert.match(cookie.value, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(await page.evaluate(() => document.cookie), '');

  // The session's CSRF token reaches the widget through its headers attribute.
  const session = await page.evaluate(async () => (await fetch('/api/session')).json());
  assert.equal(session.userId, DEMO_ADMIN.userId);
  assert.equal(session.isAdmin, true);
  const widget = await openDialogFor(page, 'u-1042');
  assert.deepEqual(JSON.parse(await widget.getAttribute('headers')), { [CSRF_HEADER]: session.csrfToken });
  assert.equal(await widget.getAttribute('deliver-to'), DEMO_ADMIN.email);
  await page.locator('#reset-dialog-close').click();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(env.backend.url + '/sign-in.html');
  assert.ok(!(await context.cookies()).some((c) => c.name === SESSION_COOKIE), 'the cookie is gone');
  const after = await page.evaluate(async () => (await fetch('/api/session')).status);
  assert.equal(after, 401);
  // And the old cookie is dead on the server too.
  const replayed = await env.backend.api('GET', '/api/session', undefined, { cookie: `${SESSION_COOKIE}=${cookie.value}` });
  assert.equal(replayed.status, 401);
  await page.goto(env.backend.url + '/');
  await page.waitForURL(env.backend.url + '/sign-in.html');
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('the backend refuses a reset without a session (401) and changes nothing', async () => {
  const response = await reset('u-1043', ATTEMPTED);
  await assertRefused(response, 401, 'Sign-in required', 'u-1043');
  assert.equal(response.json.detail, 'Your session has expired or you are not signed in.');
});

test('the backend refuses a reset from a non-admin (403) and changes nothing', async () => {
  // The admin gives Diane a password she knows; she signs in with it.
  const admin = await adminSession(env.backend);
  const dianePassword = 'Knows-This-One-Harbour-5';
  const given = await reset('u-1042', dianePassword, sessionHeaders(admin));
  assert.equal(given.status, 200, given.text);
  const diane = await startSession(env.backend, 'u-1042', dianePassword);
  assert.equal(diane.session.isAdmin, false);

  const response = await reset('u-1044', ATTEMPTED, sessionHeaders(diane));
  await assertRefused(response, 403, 'Not allowed', 'u-1044');
  assert.equal(response.json.detail, 'Only administrators can reset passwords.');
  // Her own password is unchanged too.
  const own = await reset('u-1042', ATTEMPTED, sessionHeaders(diane));
  assert.equal(own.status, 403);
  assert.equal((await env.backend.signIn('u-1042', ATTEMPTED)).status, 401);
  assert.equal((await env.backend.signIn('u-1042', dianePassword)).status, 200);
});

test('the backend refuses a reset without the CSRF token or with a wrong one (403)', async () => {
  const admin = await adminSession(env.backend);
  const missing = await reset('u-1045', ATTEMPTED, { cookie: admin.cookie });
  await assertRefused(missing, 403, 'CSRF token missing or wrong', 'u-1045');
  assert.match(missing.json.detail, /X-CSRF-Token/);

  const other = await adminSession(env.backend); // another session's token does not fit
  for (const token of ['wrong', other.csrfToken, admin.csrfToken.slice(0, -1) + (admin.csrfToken.endsWith('A') ? 'B' : 'A')]) {
    const wrong = await reset('u-1045', ATTEMPTED, { cookie: admin.cookie, [CSRF_HEADER]: token });
    assert.equal(wrong.status, 403, wrong.text);
    assert.equal(wrong.json.title, 'CSRF token missing or wrong');
  }
  await assertRefused(missing, 403, 'CSRF token missing or wrong', 'u-1045');

  // With the right token the same session may reset.
  const ok = await reset('u-1045', 'Right-Token-Pass-2', sessionHeaders(admin));
  assert.equal(ok.status, 200, ok.text);
  assert.equal((await env.backend.signIn('u-1045', 'Right-Token-Pass-2')).status, 200);
});

test('sign-in attempts beyond the limit get 429 with Retry-After, on both endpoints and in the form', async () => {
  const userId = 'u-1046';
  for (let i = 0; i < 5; i++) {
    const wrong = await env.backend.api('POST', '/api/session', { userId, password: `Wrong-Guess-${i}` });
    assert.equal(wrong.status, 401, wrong.text);
  }
  const blocked = await env.backend.api('POST', '/api/session', { userId, password: `Wrong-Guess-5` });
  assert.equal(blocked.status, 429, blocked.text);
  assert.equal(blocked.headers.get('content-type'), 'application/problem+json');
  assert.equal(blocked.json.title, 'Too many sign-in attempts');
  const retryAfter = Number(blocked.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 300, String(retryAfter));
  assert.equal(blocked.headers.get('set-cookie'), null);

  const viaSignIn = await env.backend.signIn(userId, 'Wrong-Guess-6');
  assert.equal(viaSignIn.status, 429);
  assert.ok(Number(viaSignIn.headers.get('retry-after')) > 0);

  const { page, context } = await openPage(env.browser, env.backend.url + '/sign-in.html', { signIn: false });
  await page.getByLabel('User id').fill(userId);
  await page.getByLabel('Password').fill('Wrong-Guess-7');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').getByText('Too many failed sign-in attempts for this user.', { exact: false }).waitFor();
  await context.close();

  // Other users are not affected.
  assert.equal((await adminSession(env.backend)).session.userId, DEMO_ADMIN.userId);
});
