// The sample intranet page: lists the directory's users and opens the
// password-reset widget in a modal dialog.
//
// It runs under a strict Content-Security-Policy (no inline script or
// style), so the DOM is built with createElement/textContent only.

// The signed-in administrator: reset notifications are sent to them.
const ADMIN_EMAIL = "adele@contoso.com";

const rows = document.getElementById("user-rows");
const statusLine = document.getElementById("status");
const dialog = document.getElementById("reset-dialog");
const dialogBody = document.getElementById("reset-dialog-body");
const closeButton = document.getElementById("reset-dialog-close");

async function loadUsers() {
  try {
    const response = await fetch("/api/users", { headers: { Accept: "application/json" } });
    if (!response.ok) {
      throw new Error(`the server answered ${response.status}`);
    }
    const users = await response.json();
    if (users.length === 0) {
      showPlaceholder("No users.");
    } else {
      rows.replaceChildren(...users.map(userRow));
    }
  } catch (error) {
    showPlaceholder(`Could not load the users: ${error.message}.`);
  }
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

// A new element for every opening, so no state (and no password) survives
// from one reset to the next.
function openResetDialog(user) {
  const widget = document.createElement("reset-password");
  widget.setAttribute("endpoint", "/api/password-resets");
  widget.setAttribute("user-id", user.id);
  widget.setAttribute("user-name", user.name);
  widget.setAttribute("user-email", user.email);
  widget.setAttribute("deliver-to", ADMIN_EMAIL);
  // The organisation's words make a password weaker; its banned list refuses it.
  widget.setAttribute("context-words", "Contoso");
  widget.setAttribute("blocklist-url", "/banned-passwords.txt");

  dialog.setAttribute("aria-label", `Reset password for ${user.name}`);
  dialogBody.replaceChildren(widget);
  dialog.showModal();
}

closeButton.addEventListener("click", () => dialog.close());

// "close" fires for the Close button and for Escape alike.
dialog.addEventListener("close", () => dialogBody.replaceChildren());

// The widget announces a finished reset with
// { userIds: [...], delivery: { status, detail } }: never a password.
document.addEventListener("reset-password:done", (event) => {
  const userIds = event.detail?.userIds ?? [event.target.getAttribute("user-id")];
  statusLine.textContent = `Password reset for ${userIds.join(", ")}`;
  statusLine.hidden = false;
});

loadUsers();
