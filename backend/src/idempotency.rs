//! `Idempotency-Key` support, so the widget can retry a reset safely after
//! a timeout or a dropped connection.
//!
//! The first request with a key stores its response in the same
//! transaction as the reset. A retry with the same key and the same request
//! gets that response back byte for byte, without resetting again; the same
//! key with a different request is refused (422). Records expire after 24 h.
//! Only responses of requests that were actually processed (200, or 404 for
//! an unknown user) are stored: a request rejected before processing (400,
//! 413, 415, 422, an injected fault) can be retried with the same key.

use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::NOW;
use crate::problem::{Problem, PROBLEM_JSON};

pub const HEADER: &str = "idempotency-key";
/// Set on replayed responses, so a client (or a curious developer) can tell.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";
const MAX_KEY_LEN: usize = 255;

/// Reads the optional `Idempotency-Key` header. The widget sends a UUID;
/// any 1–255 visible ASCII characters are accepted.
pub fn key_from_headers(headers: &HeaderMap) -> Result<Option<String>, Problem> {
    let Some(value) = headers.get(HEADER) else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default();
    let valid = (1..=MAX_KEY_LEN).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic());
    if valid {
        Ok(Some(key.to_owned()))
    } else {
        let detail = "Must be 1 to 255 visible ASCII characters, such as a UUID.";
        Err(
            Problem::bad_request(format!("Invalid Idempotency-Key header. {detail}"))
                .with_error("Idempotency-Key", detail),
        )
    }
}

/// SHA-256 (hex) of the request re-serialized in a fixed field order, so
/// whitespace and key order do not matter. The passwords are part of the
/// request, so a retry must resend the same passwords; only this hash is kept.
pub fn request_hash(request: &impl Serialize) -> String {
    let canonical = serde_json::to_vec(request).expect("requests always serialize");
    Sha256::digest(&canonical)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A response kept for replay.
#[derive(Debug, Clone)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
}

pub enum Lookup {
    /// Never seen (or expired): process the request.
    New,
    /// Seen with the same request: answer with the stored response.
    Replay(StoredResponse),
    /// Seen with a different request: refuse.
    Mismatch,
}

/// Looks the key up, first forgetting records older than 24 hours.
pub fn lookup(conn: &Connection, key: &str, request_hash: &str) -> rusqlite::Result<Lookup> {
    conn.execute(
        "DELETE FROM idempotency WHERE created_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 day')",
        [],
    )?;
    let record = conn
        .query_row(
            "SELECT request_hash, status, body FROM idempotency WHERE key = ?1",
            [key],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    StoredResponse {
                        status: row.get(1)?,
                        body: row.get(2)?,
                    },
                ))
            },
        )
        .optional()?;
    Ok(match record {
        None => Lookup::New,
        Some((stored_hash, response)) if stored_hash == request_hash => Lookup::Replay(response),
        Some(_) => Lookup::Mismatch,
    })
}

pub fn store(
    conn: &Connection,
    key: &str,
    request_hash: &str,
    response: &StoredResponse,
) -> rusqlite::Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO idempotency (key, request_hash, status, body, created_at)
             VALUES (?1, ?2, ?3, ?4, {NOW})"
        ),
        params![key, request_hash, response.status, response.body],
    )?;
    Ok(())
}

/// Replaces the stored body once e-mail delivery has finished, so a replay
/// reports the final delivery status.
pub fn update_body(conn: &Connection, key: &str, body: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE idempotency SET body = ?2 WHERE key = ?1",
        params![key, body],
    )?;
    Ok(())
}

pub fn key_reused() -> Problem {
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "Idempotency key reused with a different request",
        "This Idempotency-Key was already used for a different request. Use a new key for a new request.",
    )
    .with_error("Idempotency-Key", "Already used for a different request.")
}

impl StoredResponse {
    /// The response as first sent: same status, same body.
    pub fn into_response(self, replayed: bool) -> Response {
        let content_type = if self.status < 400 {
            "application/json"
        } else {
            PROBLEM_JSON
        };
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, self.body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        if replayed {
            headers.insert(
                HeaderName::from_static(REPLAYED_HEADER),
                HeaderValue::from_static("true"),
            );
        }
        response
    }
}
