// The sample intranet page: lists the directory's users and opens the
// password-reset widget in a modal dialog, for one user (a row's button) or
// for everyone at once ("Reset passwords for all users": the widget's bulk
// mode, which leaves the signed-in admin out and sends batches of 40).
//
// It runs under a strict Content-Security-Policy (no inline script or
// style), so the DOM is built with createElement/textContent only.
//
// Only a signed-in administrator may reset passwords: the page first asks
// GET /api/session (401 → the sign-in page), then hands the session's CSRF
// token to every <reset-password> element through its `headers` attribute.
// The session cookie itself is HttpOnly: the browser sends it, no script
// can read it.

const rows = document.getElementById("user-rows");
const statusLine = document.getElementById("status");
const dialog = document.getElementById("reset-dialog");
const dialogBody = document.getElementById("reset-dialog-body");
const closeButton = document.getElementById("reset-dialog-close");
const signedInName = document.getElementById("signed-in-name");
const adminEmail = document.getElementById("admin-email");
const signOutButton = document.getElementById("sign-out");
const resetAllButton = document.getElementById("reset-all");

const SIGN_IN_PAGE = "/sign-in.html";

// { userId, name, isAdmin, csrfToken } from GET /api/session.
let session = null;
// The signed-in administrator's address: reset notifications go there.
let deliverTo = null;
// Everyone GET /api/users listed (administrators only): [{ id, name, email, isAdmin }].
let directory = [];
// Bulk widget → the ids it has reset so far ("done" fires once per batch).
const bulkResets = new WeakMap();

async function start() {
  let response;
  try {
    response = await fetch("/api/session", { credentials: "same-origin", headers: { Accept: "application/json" } });
  } catch {
    showPlaceholder("Could not reach the server.");
    return;
  }
  if (response.status === 401) {
    location.replace(SIGN_IN_PAGE);
    return;
  }
  if (!response.ok) {
    showPlaceholder(`Could not check your session: the server answered ${response.status}.`);
    return;
  }
  session = await response.json();
  if (session.mustChangePassword) {
    // Signed in with a temporary password: nothing else until it is changed.
    location.replace("/change-password.html");
    return;
  }
  signedInName.textContent = session.name;
  if (!session.isAdmin) {
    // The directory (everyone's e-mail address) is for administrators only.
    showStatus(`${session.name} is not an administrator: only administrators can reset passwords.`);
    showPlaceholder("Only administrators see the directory.");
    return;
  }
  await loadUsers();
}

async function loadUsers() {
  try {
    const response = await fetch("/api/users", { headers: { Accept: "application/json" } });
    if (!response.ok) {
      throw new Error(`the server answered ${response.status}`);
    }
    const users = await response.json();
    directory = users;
    const me = users.find((user) => user.id === session.userId);
    if (me) {
      deliverTo = me.email;
      adminEmail.textContent = me.email;
    }
    if (users.length === 0) {
      showPlaceholder("No users.");
    } else {
      rows.replaceChildren(...users.map(userRow));
    }
  } catch (error) {
    showPlaceholder(`Could not load the users: ${error.message}.`);
    return;
  }
  // The bulk widget gets its users through the element's `users` property,
  // which exists once the widget's script has defined the element.
  await customElements.whenDefined("reset-password");
  resetAllButton.disabled = !directory.some((user) => user.id !== session.userId);
}

function userRow(user) {
  const row = document.createElement("tr");

  const name = textCell(user.name);
  if (user.isAdmin) {
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = "Admin";
    name.append(" ", badge);
  }
  // On a phone the id and e-mail columns give way to this line (intranet.css).
  const meta = document.createElement("span");
  meta.className = "user-meta";
  meta.textContent = `${user.id} · ${user.email}`;
  name.append(meta);

  const button = document.createElement("button");
  button.type = "button";
  button.className = "button";
  button.textContent = "Reset password";
  button.setAttribute("aria-label", `Reset password for ${user.name}`);
  button.addEventListener("click", () => openResetDialog(user));
  const actions = document.createElement("td");
  actions.className = "actions";
  actions.append(button);

  row.append(name, textCell(user.id, "mono"), textCell(user.email), actions);
  return row;
}

function textCell(text, className) {
  const cell = document.createElement("td");
  cell.textContent = text;
  if (className) {
    cell.className = className;
  }
  return cell;
}

function showPlaceholder(message) {
  const cell = textCell(message, "placeholder");
  cell.colSpan = 4;
  const row = document.createElement("tr");
  row.append(cell);
  rows.replaceChildren(row);
}

function showStatus(message) {
  statusLine.textContent = message;
  statusLine.hidden = false;
}

// A new element for every opening, so no state (and no password) survives
// from one reset to the next. What the single and the bulk widget share:
function newWidget() {
  const widget = document.createElement("reset-password");
  widget.setAttribute("endpoint", "/api/password-resets");
  // The backend refuses a reset without the session's CSRF token (403).
  widget.setAttribute("headers", JSON.stringify({ "X-CSRF-Token": session.csrfToken }));
  if (deliverTo) {
    widget.setAttribute("deliver-to", deliverTo);
  }
  // One policy: the backend's (its words, its banned list), which it enforces too.
  widget.setAttribute("policy-url", "/api/password-policy");
  return widget;
}

function openResetDialog(user) {
  const widget = newWidget();
  widget.setAttribute("user-id", user.id);
  widget.setAttribute("user-name", user.name);
  widget.setAttribute("user-email", user.email);
  showDialog(widget, `Reset password for ${user.name}`, false);
}

// Bulk mode: every user, except the signed-in admin (the widget leaves
// `current-user-id` out and says so). The list is set before the element
// joins the page, so it starts in bulk mode straight away.
function openBulkDialog() {
  const widget = newWidget();
  widget.setAttribute("current-user-id", session.userId);
  widget.users = directory.map(({ id, name, email }) => ({ id, name, email }));
  bulkResets.set(widget, new Set());
  showDialog(widget, "Reset passwords for all users", true);
}

function showDialog(widget, label, wide) {
  dialog.setAttribute("aria-label", label);
  dialog.classList.toggle("dialog-wide", wide);
  dialogBody.replaceChildren(widget);
  dialog.showModal();
}

resetAllButton.addEventListener("click", openBulkDialog);

closeButton.addEventListener("click", () => dialog.close());

// The widget's Done button (on its result view) asks to be closed.
dialog.addEventListener("reset-password:close", () => dialog.close());

// "close" fires for the Close button, Done and Escape alike.
dialog.addEventListener("close", () => {
  dialogBody.replaceChildren();
  dialog.classList.remove("dialog-wide");
});

// The widget announces a finished reset with
// { userIds: [...], delivery: { status, detail } }: never a password.
// In bulk mode it fires once per request (up to 40 users): count them all.
document.addEventListener("reset-password:done", (event) => {
  const userIds = event.detail?.userIds ?? [];
  const resetSoFar = bulkResets.get(event.target);
  if (resetSoFar) {
    userIds.forEach((id) => resetSoFar.add(id));
    const count = resetSoFar.size;
    showStatus(`Passwords reset for ${count} ${count === 1 ? "user" : "users"}`);
  } else {
    const ids = userIds.length > 0 ? userIds : [event.target.getAttribute("user-id")];
    showStatus(`Password reset for ${ids.join(", ")}`);
  }
});

signOutButton.addEventListener("click", async () => {
  signOutButton.disabled = true;
  try {
    await fetch("/api/session", { method: "DELETE", credentials: "same-origin" });
  } catch {
    // Going to the sign-in page is right either way.
  }
  location.assign(SIGN_IN_PAGE);
});

start();
