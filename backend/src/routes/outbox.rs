//! The demo's mail sink: `GET /api/outbox` (JSON) and `GET /outbox` (a page).
//! Both show the masked copies only; no password is ever stored. Both are
//! an administrator's ([`AdminReader`]): 401 without a session, 403 for
//! anyone else (the page says so in HTML, with a link to sign in).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;

use crate::db::{self, OutboxMessage};
use crate::problem::Problem;
use crate::routes::auth::AdminReader;
use crate::state::AppState;

/// `[{"id","to":[…],"subject","body","status","createdAt"}]`, newest first;
/// `status` is `queued`, `sent`, `failed` or `unknown`, and an `unknown`
/// message also has a `statusDetail` saying what that means.
pub async fn list(
    State(state): State<AppState>,
    _admin: AdminReader,
) -> Result<Json<Vec<OutboxMessage>>, Problem> {
    Ok(Json(
        db::call(&state.db, |conn| db::list_outbox(conn)).await?,
    ))
}

/// A plain page styled by the intranet stylesheet (no inline style: the
/// page is served under the same strict CSP as the rest of the site).
pub async fn page(
    State(state): State<AppState>,
    admin: Result<AdminReader, Problem>,
) -> Result<Response, Problem> {
    let session = match admin {
        Ok(AdminReader(session)) => session,
        Err(problem) => return Ok(refused_page("Outbox", &problem)),
    };
    let messages = db::call(&state.db, |conn| db::list_outbox(conn)).await?;
    let signed_in = format!("Signed in as <strong>{}</strong>", escape(&session.name));
    let mut items = String::new();
    for message in &messages {
        let status_detail = match message.status_detail {
            Some(detail) => format!("<p class=\"message-status\">{}</p>\n", escape(detail)),
            None => String::new(),
        };
        items.push_str(&format!(
            "<li class=\"message\">\n\
             <p class=\"message-meta\"><span class=\"badge badge-{status}\">{status}</span> \
             <time datetime=\"{created}\">{created}</time></p>\n{status_detail}\
             <h2>{subject}</h2>\n<p class=\"message-to\">To: {to}</p>\n<pre>{body}</pre>\n</li>\n",
            status = escape(&message.status),
            created = escape(&message.created_at),
            subject = escape(&message.subject),
            to = escape(&message.to.join(", ")),
            body = escape(&message.body),
        ));
    }
    let list = if messages.is_empty() {
        "<p class=\"empty\">No messages yet. Reset a password with e-mail delivery to see one here.</p>".to_owned()
    } else {
        format!("<ol class=\"outbox\">\n{items}</ol>")
    };
    Ok(Html(format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Outbox — Contoso admin</title>\n<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n\
         <link rel=\"stylesheet\" href=\"/intranet.css\">\n</head>\n<body>\n\
         <header class=\"topbar\"><span class=\"brand\">Contoso admin</span>\
         <nav class=\"nav\" aria-label=\"Admin sections\"><a href=\"/\">Active users</a> \
         <a href=\"/outbox\" aria-current=\"page\">Outbox</a> <a href=\"/audit\">Audit trail</a></nav>\
         <span class=\"signed-in\">{signed_in}</span></header>\n\
         <main>\n<h1>Outbox</h1>\n<p class=\"lede\">Messages the demo would send. Passwords are masked here; \
         with <code>SMTP_URL</code> set, the real e-mail goes to the mail server.</p>\n{list}\n</main>\n</body>\n</html>\n"
    ))
    .into_response())
}

/// An administrator page's answer to anyone else: the problem's status
/// (401 or 403) with a short HTML page that says why and links to the
/// sign-in page. Same stylesheet, no inline style or script.
pub fn refused_page(title: &str, problem: &Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::FORBIDDEN);
    let why = if status == StatusCode::UNAUTHORIZED {
        "Sign in as an administrator to see this page."
    } else {
        "Only administrators can see this page. Sign in as an administrator (in another browser or a private window, to keep this session)."
    };
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} — Contoso admin</title>\n<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n\
         <link rel=\"stylesheet\" href=\"/intranet.css\">\n</head>\n<body>\n\
         <header class=\"topbar\"><span class=\"brand\">Contoso admin</span>\
         <span class=\"signed-in\"><a href=\"/sign-in.html\">Sign in</a></span></header>\n\
         <main>\n<h1>{title}</h1>\n<p class=\"lede\">{why}</p>\n</main>\n</body>\n</html>\n",
        title = escape(title),
    );
    (status, Html(html)).into_response()
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
