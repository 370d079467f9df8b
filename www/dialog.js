// dialog.html: a <reset-password> that waits in a closed <dialog> from the
// page's start (widget-page.js gives it the session's CSRF token).
const dialog = document.getElementById('reset-dialog');
document.getElementById('open-reset').addEventListener('click', () => dialog.showModal());
document.getElementById('reset-dialog-close').addEventListener('click', () => dialog.close());
dialog.addEventListener('reset-password:close', () => dialog.close());
