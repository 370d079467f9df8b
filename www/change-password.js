// The sample intranet's "change your password" page: a user whose password an
// administrator reset (must change at next sign-in) is sent here after signing
// in, and any signed-in user may come here. It hosts <change-password> for the
// signed-in user, with the session's CSRF token, and goes back to the intranet
// once the password is changed.
//
// Strict CSP: no inline script or style; the DOM is built with createElement.

const host = document.getElementById("change-host");
const statusLine = document.getElementById("change-status");

async function start() {
  let response;
  try {
    response = await fetch("/api/session", { credentials: "same-origin", headers: { Accept: "application/json" } });
  } catch {
    statusLine.textContent = "Could not reach the server.";
    return;
  }
  if (response.status === 401) {
    location.replace("/sign-in.html");
    return;
  }
  if (!response.ok) {
    statusLine.textContent = `Could not check your session: the server answered ${response.status}.`;
    return;
  }
  const session = await response.json();
  const element = document.createElement("change-password");
  element.setAttribute("endpoint", "/api/password-changes");
  element.setAttribute("user-id", session.userId);
  element.setAttribute("user-name", session.name);
  element.setAttribute("headers", JSON.stringify({ "X-CSRF-Token": session.csrfToken }));
  // The rules the backend enforces on the new password, as it serves them.
  element.setAttribute("policy-url", "/api/password-policy");
  if (session.mustChangePassword) {
    // The password the user signed in with is the temporary one an administrator set.
    element.setAttribute("temporary", "");
    statusLine.textContent = "Your administrator asks you to choose a new password before you go on.";
  }
  element.addEventListener("change-password:done", () => location.assign("/"));
  host.replaceChildren(element);
}

start();
