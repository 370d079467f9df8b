//! The audit trail, for administrators only ([`AdminReader`]):
//! `GET /api/audit?limit=N` (JSON, newest first) and `GET /audit` (a page
//! under the site's strict CSP: no inline script or style). What is
//! recorded, and when, is `crate::audit`.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;

use super::outbox::{escape, refused_page};
use crate::db::{self, audit::AuditEntry};
use crate::problem::Problem;
use crate::routes::auth::AdminReader;
use crate::state::AppState;

/// Rows listed without `?limit=`.
pub const DEFAULT_LIMIT: u32 = 100;
/// The largest `?limit=`.
pub const MAX_LIMIT: u32 = 1000;

fn limit(query: &HashMap<String, String>) -> Result<u32, Problem> {
    match query.get("limit") {
        None => Ok(DEFAULT_LIMIT),
        Some(value) => match value.parse::<u32>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            _ => Err(Problem::bad_request(format!(
                "The limit query parameter must be a whole number from 1 to {MAX_LIMIT}."
            ))
            .with_error("limit", format!("A whole number from 1 to {MAX_LIMIT}."))),
        },
    }
}

/// `[{"id","at","actor","subject","action","outcome","detail","client"}]`,
/// newest first; 400 on a bad `limit`.
pub async fn list(
    State(state): State<AppState>,
    _admin: AdminReader,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Vec<AuditEntry>>, Problem> {
    let limit = limit(&query)?;
    Ok(Json(
        db::call(&state.db, move |conn| db::audit::list(conn, limit)).await?,
    ))
}

/// The newest entries as a table.
pub async fn page(
    State(state): State<AppState>,
    admin: Result<AdminReader, Problem>,
) -> Result<Response, Problem> {
    let session = match admin {
        Ok(AdminReader(session)) => session,
        Err(problem) => return Ok(refused_page("Audit trail", &problem)),
    };
    let entries = db::call(&state.db, |conn| db::audit::list(conn, DEFAULT_LIMIT)).await?;
    let cell = |value: &Option<String>| value.as_deref().map_or_else(|| "—".to_owned(), escape);
    let mut rows = String::new();
    for entry in &entries {
        rows.push_str(&format!(
            "<tr><td><time datetime=\"{at}\">{at}</time></td><td>{actor}</td><td>{subject}</td>\
             <td>{action}</td><td>{outcome}</td><td>{client}</td><td>{detail}</td></tr>\n",
            at = escape(&entry.at),
            actor = cell(&entry.actor),
            subject = cell(&entry.subject),
            action = escape(&entry.action),
            outcome = escape(&entry.outcome),
            client = escape(&entry.client),
            detail = cell(&entry.detail),
        ));
    }
    let table = if entries.is_empty() {
        "<p class=\"empty\">Nothing yet. Password resets, changes and recoveries are listed here.</p>".to_owned()
    } else {
        format!(
            "<table class=\"users audit\">\n<thead><tr><th scope=\"col\">When (UTC)</th><th scope=\"col\">Who</th>\
             <th scope=\"col\">Whose password</th><th scope=\"col\">What</th><th scope=\"col\">Outcome</th>\
             <th scope=\"col\">Client address</th><th scope=\"col\">Detail</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>"
        )
    };
    Ok(Html(format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Audit trail — Contoso admin</title>\n<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n\
         <link rel=\"stylesheet\" href=\"/intranet.css\">\n</head>\n<body>\n\
         <header class=\"topbar\"><span class=\"brand\">Contoso admin</span>\
         <nav class=\"nav\" aria-label=\"Admin sections\"><a href=\"/\">Active users</a> \
         <a href=\"/outbox\">Outbox</a> <a href=\"/audit\" aria-current=\"page\">Audit trail</a></nav>\
         <span class=\"signed-in\">Signed in as <strong>{name}</strong></span></header>\n\
         <main>\n<h1>Audit trail</h1>\n<p class=\"lede\">Who reset or changed whose password, when, from where, \
         and how it ended: the newest {DEFAULT_LIMIT}. Passwords are never recorded.</p>\n{table}\n</main>\n</body>\n</html>\n",
        name = escape(&session.name),
    ))
    .into_response())
}
