// The sample intranet's sign-in page: posts the form to /api/session,
// which sets the session cookie (HttpOnly, so this script never sees it),
// then goes to the users page.
//
// Strict CSP: no inline script or style, the DOM is changed with
// textContent and the hidden/disabled properties only.

const form = document.getElementById("sign-in-form");
const userId = document.getElementById("user-id");
const password = document.getElementById("password");
const error = document.getElementById("sign-in-error");
const submit = form.querySelector('button[type="submit"]');

function showError(message) {
  error.textContent = message;
  error.hidden = false;
}

async function signIn() {
  const response = await fetch("/api/session", {
    method: "POST",
    credentials: "same-origin",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json, application/problem+json",
    },
    body: JSON.stringify({ userId: userId.value.trim(), password: password.value }),
  });
  if (response.ok) {
    // A temporary password (an administrator's reset) must be changed first.
    const session = await response.json();
    location.assign(session.mustChangePassword ? "/change-password.html" : "/");
    return;
  }
  // 401 "The user id or password is incorrect.", 429 "… Try again in N seconds."
  let detail = null;
  try {
    detail = (await response.json()).detail;
  } catch {
    // Not JSON: say what we know.
  }
  showError(detail || `Sign-in failed: the server answered ${response.status}.`);
  password.value = "";
  password.focus();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.hidden = true;
  submit.disabled = true;
  try {
    await signIn();
  } catch {
    showError("The server could not be reached. Try again.");
  } finally {
    submit.disabled = false;
  }
});

submit.disabled = false;
if (userId.value) {
  password.focus();
}

// Already signed in (a second tab, the back button): go straight in.
fetch("/api/session", { credentials: "same-origin", headers: { Accept: "application/json" } })
  .then(async (response) => {
    if (response.ok) {
      const session = await response.json();
      location.replace(session.mustChangePassword ? "/change-password.html" : "/");
    }
  })
  .catch(() => {});
