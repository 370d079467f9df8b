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
//!
//! Comparing a request with a record runs Argon2 (see [`fingerprint`]), so
//! it is never done under the database lock: a transaction only asks
//! whether a record exists ([`find`]), and the caller compares after
//! ([`Record::answer`]).

use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::db;
use crate::passwords;
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

/// A request's canonical form: it holds the passwords, so its buffer is
/// zeroed when dropped.
pub type Canonical = Zeroizing<Vec<u8>>;

/// The request re-serialized in a fixed field order, so whitespace and key
/// order do not matter. It holds the passwords (a retry must resend the same
/// ones), so it stays in memory: only its [`fingerprint`] is kept.
pub fn canonical(request: &impl Serialize) -> Canonical {
    // Room for a full bulk request up front: a buffer that grows leaves
    // copies of what it held behind, unwiped.
    let mut out = Zeroizing::new(Vec::with_capacity(16 * 1024));
    serde_json::to_writer(&mut *out, request).expect("requests always serialize");
    out
}

/// What is kept to recognise a retry: an Argon2id hash of the canonical
/// request, salted and slow like the passwords' own hashes. (A fast hash
/// would let anyone with a copy of the database test guesses of the
/// passwords in it at SHA-256 speed.)
pub fn fingerprint(canonical: &[u8]) -> String {
    passwords::hash_bytes(canonical)
}

/// True when `canonical` is the request `fingerprint` was made from.
pub fn same_request(canonical: &[u8], fingerprint: &str) -> bool {
    passwords::verify_bytes(canonical, fingerprint)
}

/// A record kept for a key: the request's fingerprint and its response.
pub struct Record {
    pub fingerprint: String,
    pub response: StoredResponse,
}

/// The record of `key`, first forgetting records older than 24 hours.
pub fn find(conn: &Connection, key: &str) -> rusqlite::Result<Option<Record>> {
    Ok(db::idempotency::find(conn, key)?.map(|row| Record {
        fingerprint: row.fingerprint,
        response: StoredResponse {
            status: row.status,
            body: row.body,
        },
    }))
}

impl Record {
    /// Replay when `canonical` is the same request, else a mismatch.
    pub fn answer(self, canonical: &[u8]) -> Lookup {
        if same_request(canonical, &self.fingerprint) {
            Lookup::Replay(self.response)
        } else {
            Lookup::Mismatch
        }
    }
}

/// A response kept for replay.
#[derive(Debug, Clone)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
}

/// What a record says about a request with its key.
pub enum Lookup {
    /// Seen with the same request: answer with the stored response.
    Replay(StoredResponse),
    /// Seen with a different request: refuse.
    Mismatch,
}

pub fn store(
    conn: &Connection,
    key: &str,
    fingerprint: &str,
    response: &StoredResponse,
) -> rusqlite::Result<()> {
    db::idempotency::insert(conn, key, fingerprint, response.status, &response.body)
}

/// Replaces the stored body once e-mail delivery has finished, so a replay
/// reports the final delivery status.
pub fn update_body(conn: &Connection, key: &str, body: &str) -> rusqlite::Result<()> {
    db::idempotency::update_body(conn, key, body)
}

/// The `type` of [`in_progress`]: a client retries it with the same key.
pub const IN_PROGRESS: &str = "/problems/request-in-progress";

/// 409: a request with this key is still being processed (see
/// `crate::in_flight`). Nothing was done for this one; the same request again
/// after `Retry-After` gets the first one's answer.
pub fn in_progress() -> Problem {
    Problem::new(
        StatusCode::CONFLICT,
        "Request in progress",
        "A request with this Idempotency-Key is still being processed. Send the same request again with the same key in a moment to get its answer.",
    )
    .with_type(IN_PROGRESS)
    .with_retry_after(1)
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
