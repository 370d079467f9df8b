//! `POST /api/password-resets`: the contract the widget is written against
//! (also described by `schema/reset-*.schema.json` and `schema/problem.schema.json`).
//!
//! Request (`Content-Type: application/json`, optional `Idempotency-Key`):
//!
//! ```json
//! { "resets": [ { "userId": "u-1042", "password": "…" } ],
//!   "passwordSource": "generated",
//!   "forceChangePasswordNextSignIn": true,
//!   "deliverTo": ["adele@contoso.com"] }
//! ```
//!
//! 200 `application/json`:
//! `{"results":[{"userId":"u-1042","status":"reset"}],"delivery":{"status":"queued","detail":"…"}}`
//!
//! Errors are `application/problem+json`. Checked first, before anything
//! else (validation, idempotency replay, fault injection) and changing
//! nothing, by the [`AdminSession`] extractor:
//! - 401 "Sign-in required": no live session cookie (`sessions.rs`);
//! - 403 "Not allowed": the session's user is not an administrator;
//! - 403 "CSRF token missing or wrong": no `X-CSRF-Token` header equal to
//!   the session's CSRF token.
//!
//! Then:
//! - 400: not JSON, or not the shape above (unknown fields included), or an
//!   `Idempotency-Key` header that is not 1-255 visible ASCII characters;
//! - 413: more than [`MAX_RESETS`](crate::limits::MAX_RESETS) resets (or a body over 64 KiB);
//! - 415: not `application/json`;
//! - 422: `resets` empty; a password empty, shorter than [`MIN_PASSWORD_CHARS`](crate::limits::MIN_PASSWORD_CHARS)
//!   or longer than [`MAX_PASSWORD_CHARS`](crate::limits::MAX_PASSWORD_CHARS) characters (Unicode scalar values,
//!   not bytes); an empty or repeated `userId`; a bad address in `deliverTo`;
//!   an `Idempotency-Key` reused with a different request;
//! - 404 "Unknown user": the only user of a one-reset request does not exist.
//!   With several resets, each is applied on its own and an unknown user
//!   gets `{"status":"failed","detail":…}` while the others succeed.
//!
//! Delivery (`delivery.status`):
//! - `queued`: a (masked) message was written to the outbox: without a mail
//!   server the demo outbox is the mail sink; with `SMTP_URL`, a replay that
//!   comes while the mail is still being sent says so too;
//! - `sent` / `failed`: with `SMTP_URL`, whether the mail server took it;
//! - `sent` with a detail when there was nothing to send: `deliverTo` was
//!   empty ("No e-mail was requested."), or no password was reset. No
//!   outbox row is written then. `sent` therefore means "nothing pending".

use std::collections::HashSet;
use std::fmt;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::db::{self, User};
use crate::delivery::{self, Mailer};
use crate::faults::Fault;
use crate::idempotency::{self, Lookup, StoredResponse};
use crate::json_body;
use crate::limits::{MAX_PASSWORD_CHARS, MAX_RECIPIENTS, MAX_RESETS, MIN_PASSWORD_CHARS};
use crate::passwords;
use crate::problem::{FieldError, Problem};
use crate::routes::auth::AdminSession;
use crate::state::AppState;

// ------------------------------------------------------------ wire types

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    expecting = "a password-reset request object"
)]
pub struct ResetRequest {
    pub resets: Vec<ResetEntry>,
    pub password_source: PasswordSource,
    pub force_change_password_next_sign_in: bool,
    /// Who gets the notification e-mail; may be empty.
    pub deliver_to: Vec<String>,
}

#[derive(Clone, Deserialize, Serialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    expecting = "an object with userId and password"
)]
pub struct ResetEntry {
    pub user_id: String,
    pub password: String,
}

/// Never print a password, even in a debug log.
impl fmt::Debug for ResetEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResetEntry")
            .field("user_id", &self.user_id)
            .field("password", &"<redacted>")
            .finish()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PasswordSource {
    Generated,
    Custom,
}

impl PasswordSource {
    fn as_str(self) -> &'static str {
        match self {
            PasswordSource::Generated => "generated",
            PasswordSource::Custom => "custom",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct ResetResponse {
    pub results: Vec<ResetResult>,
    pub delivery: Delivery,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResetResult {
    pub user_id: String,
    pub status: ResultStatus,
    /// Present on `failed` entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResultStatus {
    Reset,
    Failed,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct Delivery {
    pub status: DeliveryStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    Sent,
    Queued,
    Failed,
}

impl Delivery {
    fn new(status: DeliveryStatus, detail: impl Into<String>) -> Delivery {
        Delivery {
            status,
            detail: Some(detail.into()),
        }
    }
}

// ------------------------------------------------------------ handler

/// Who may reset comes first (the [`AdminSession`] extractor): a refused
/// request must not consume an armed fault, replay a stored answer or learn
/// anything about the body.
pub async fn create(
    State(state): State<AppState>,
    AdminSession(admin): AdminSession,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    tracing::info!(admin = %admin.user_id, "password reset requested");

    // Test mode only: the fault injector can stand in for the directory.
    let fault = state.faults.take();
    match fault {
        Some(Fault::Status(status, retry_after)) => {
            return injected_status(status, retry_after).into_response()
        }
        Some(Fault::Html) => return injected_login_page(),
        Some(Fault::Delay(duration)) => tokio::time::sleep(duration).await,
        Some(Fault::DropResponse) | None => {}
    }

    let response = match process(&state, &headers, body).await {
        Ok(response) => response,
        Err(problem) => problem.into_response(),
    };

    if fault == Some(Fault::DropResponse) {
        tracing::warn!("fault: dropping the connection instead of answering");
        return dropped_connection();
    }
    response
}

async fn process(
    state: &AppState,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let key = idempotency::key_from_headers(headers)?;
    let request: ResetRequest = json_body::parse(headers, body)?;
    validate(&request)?;
    let request = Arc::new(request);
    let canonical = Arc::new(idempotency::canonical(&*request));

    // A retry (the usual reason for a key) is answered from its record
    // before any password is hashed.
    if let Some(key) = key.clone() {
        if let Some(record) = db::call(&state.db, move |conn| idempotency::find(conn, &key)).await?
        {
            let canonical = canonical.clone();
            let lookup = tokio::task::spawn_blocking(move || record.answer(&canonical))
                .await
                .expect("comparing does not panic");
            return Ok(match lookup {
                Lookup::Replay(stored) => stored.into_response(true),
                _ => idempotency::key_reused().into_response(),
            });
        }
    }

    // Hash before taking the database lock: Argon2 is slow on purpose.
    let (hashes, fingerprint) = {
        let (request, canonical, keyed) = (request.clone(), canonical.clone(), key.is_some());
        tokio::task::spawn_blocking(move || {
            let hashes: Vec<String> = request
                .resets
                .iter()
                .map(|e| passwords::hash(&e.password))
                .collect();
            let fingerprint = keyed.then(|| idempotency::fingerprint(&canonical));
            (hashes, fingerprint)
        })
        .await
        .expect("hashing does not panic")
    };

    let outcome = {
        let (request, key, smtp) = (request.clone(), key.clone(), state.mailer.is_some());
        db::call(&state.db, move |conn| {
            let key = key.as_deref().zip(fingerprint.as_deref());
            apply(conn, &request, &hashes, key, &canonical, smtp)
        })
        .await?
    };

    Ok(match outcome {
        Outcome::Replay(stored) => stored.into_response(true),
        Outcome::KeyReused => idempotency::key_reused().into_response(),
        Outcome::UnknownUser(problem) => problem.into_response(),
        Outcome::Applied {
            mut response,
            outbox_id,
            reset_users,
        } => {
            if let (Some(mailer), Some(outbox_id)) = (&state.mailer, outbox_id) {
                response.delivery = send_mail(mailer, &request, &reset_users).await;
                record_delivery(state, outbox_id, key, &response).await;
            }
            StoredResponse {
                status: 200,
                body: to_json(&response),
            }
            .into_response(false)
        }
    })
}

/// What the transaction decided.
enum Outcome {
    Replay(StoredResponse),
    KeyReused,
    UnknownUser(Problem),
    Applied {
        response: ResetResponse,
        outbox_id: Option<i64>,
        reset_users: Vec<(User, usize)>,
    },
}

/// The whole reset in one transaction: the idempotency check, every user's
/// new hash and reset row, the outbox message and the idempotency record
/// commit together or not at all. `key` is the Idempotency-Key with the
/// request's fingerprint; the check is made again here because a request
/// with the same key may have been applied since `process` looked.
fn apply(
    conn: &mut Connection,
    request: &ResetRequest,
    hashes: &[String],
    key: Option<(&str, &str)>,
    canonical: &[u8],
    smtp: bool,
) -> rusqlite::Result<Outcome> {
    let tx = conn.transaction()?;
    if let Some((key, _)) = key {
        match idempotency::lookup(&tx, key, canonical)? {
            Lookup::Replay(stored) => return Ok(Outcome::Replay(stored)),
            Lookup::Mismatch => return Ok(Outcome::KeyReused),
            Lookup::New => {}
        }
    }

    let mut results = Vec::new();
    // Each user whose password was reset, with the index of its entry.
    let mut reset_users: Vec<(User, usize)> = Vec::new();
    for (index, (entry, hash)) in request.resets.iter().zip(hashes).enumerate() {
        match db::find_user(&tx, &entry.user_id)? {
            Some(user) => {
                let must_change = request.force_change_password_next_sign_in;
                db::apply_reset(
                    &tx,
                    &user.id,
                    hash,
                    must_change,
                    request.password_source.as_str(),
                    key.map(|(key, _)| key),
                )?;
                results.push(ResetResult {
                    user_id: user.id.clone(),
                    status: ResultStatus::Reset,
                    detail: None,
                });
                reset_users.push((user, index));
            }
            None => results.push(ResetResult {
                user_id: entry.user_id.clone(),
                status: ResultStatus::Failed,
                detail: Some("No user with this id exists.".to_owned()),
            }),
        }
    }

    let (outcome, stored) = if request.resets.len() == 1 && reset_users.is_empty() {
        let problem = unknown_user(&request.resets[0].user_id);
        let stored = StoredResponse {
            status: problem.status,
            body: problem.to_json(),
        };
        (Outcome::UnknownUser(problem), stored)
    } else {
        let mut outbox_id = None;
        let delivery = if request.deliver_to.is_empty() {
            Delivery::new(DeliveryStatus::Sent, "No e-mail was requested.")
        } else if reset_users.is_empty() {
            Delivery::new(
                DeliveryStatus::Sent,
                "No password was reset, so no e-mail was written.",
            )
        } else {
            let users: Vec<User> = reset_users.iter().map(|(user, _)| user.clone()).collect();
            let (subject, body) =
                delivery::outbox_message(&users, request.force_change_password_next_sign_in);
            outbox_id = Some(db::insert_outbox(
                &tx,
                &request.deliver_to,
                &subject,
                &body,
            )?);
            if smtp {
                Delivery::new(DeliveryStatus::Queued, "Queued for the mail server.")
            } else {
                Delivery::new(
                    DeliveryStatus::Queued,
                    "Written to the demo outbox (/outbox); no mail server is configured.",
                )
            }
        };
        let response = ResetResponse { results, delivery };
        let stored = StoredResponse {
            status: 200,
            body: to_json(&response),
        };
        (
            Outcome::Applied {
                response,
                outbox_id,
                reset_users,
            },
            stored,
        )
    };

    if let Some((key, fingerprint)) = key {
        idempotency::store(&tx, key, fingerprint, &stored)?;
    }
    tx.commit()?;
    Ok(outcome)
}

// ------------------------------------------------------------ validation

/// Everything that can be checked without the database. All field errors
/// are reported at once; none of them repeats a password.
fn validate(request: &ResetRequest) -> Result<(), Problem> {
    if request.resets.len() > MAX_RESETS {
        let detail = format!("At most {MAX_RESETS} passwords can be reset in one request.");
        return Err(Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Too many resets",
            detail.clone(),
        )
        .with_error("resets", detail));
    }

    let mut errors = Vec::new();
    if request.resets.is_empty() {
        errors.push(FieldError::new("resets", "At least one reset is required."));
    }
    let mut seen = HashSet::new();
    for (index, entry) in request.resets.iter().enumerate() {
        if entry.user_id.trim().is_empty() {
            errors.push(FieldError::new(
                format!("resets[{index}].userId"),
                "Must not be empty.",
            ));
        } else if !seen.insert(entry.user_id.as_str()) {
            errors.push(FieldError::new(
                format!("resets[{index}].userId"),
                "This user appears more than once.",
            ));
        }
        let length = entry.password.chars().count();
        let problem = match length {
            0 => Some("Must not be empty.".to_owned()),
            n if n < MIN_PASSWORD_CHARS => {
                Some(format!("Must be at least {MIN_PASSWORD_CHARS} characters."))
            }
            n if n > MAX_PASSWORD_CHARS => {
                Some(format!("Must be at most {MAX_PASSWORD_CHARS} characters."))
            }
            _ => None,
        };
        if let Some(detail) = problem {
            errors.push(FieldError::new(format!("resets[{index}].password"), detail));
        }
    }

    if request.deliver_to.len() > MAX_RECIPIENTS {
        errors.push(FieldError::new(
            "deliverTo",
            format!("At most {MAX_RECIPIENTS} addresses."),
        ));
    }
    for address in &request.deliver_to {
        if address.parse::<lettre::Address>().is_err() {
            errors.push(FieldError::new(
                "deliverTo",
                format!("{} is not a valid e-mail address.", quote(address)),
            ));
        }
    }

    if errors.is_empty() {
        Ok(())
    } else {
        Err(Problem::invalid_fields(errors))
    }
}

/// Quotes a user-supplied address for an error message, shortened so a
/// pasted paragraph does not come back whole.
fn quote(text: &str) -> String {
    const LIMIT: usize = 80;
    if text.chars().count() > LIMIT {
        format!("\"{}…\"", text.chars().take(LIMIT).collect::<String>())
    } else {
        format!("\"{text}\"")
    }
}

fn unknown_user(user_id: &str) -> Problem {
    let detail = format!(
        "No user with id {} exists. Nothing was changed.",
        quote(user_id)
    );
    Problem::new(StatusCode::NOT_FOUND, "Unknown user", detail)
        .with_error("resets[0].userId", "No user with this id exists.")
}

fn to_json(response: &ResetResponse) -> String {
    serde_json::to_string(response).expect("responses always serialize")
}

// ------------------------------------------------------------ e-mail

/// Sends the real e-mail (passwords included) after the commit.
async fn send_mail(
    mailer: &Mailer,
    request: &ResetRequest,
    reset_users: &[(User, usize)],
) -> Delivery {
    let users: Vec<User> = reset_users.iter().map(|(user, _)| user.clone()).collect();
    let passwords: Vec<&str> = reset_users
        .iter()
        .map(|(_, index)| request.resets[*index].password.as_str())
        .collect();
    let (subject, body) = delivery::smtp_message(
        &users,
        &passwords,
        request.force_change_password_next_sign_in,
    );
    match mailer.send(&request.deliver_to, &subject, body).await {
        Ok(()) => Delivery::new(
            DeliveryStatus::Sent,
            format!("Sent to {}.", request.deliver_to.join(", ")),
        ),
        Err(error) => {
            tracing::warn!(%error, "e-mail delivery failed");
            Delivery::new(
                DeliveryStatus::Failed,
                "The mail server did not accept the message. The password was reset; tell the user another way.",
            )
        }
    }
}

/// Marks the outbox row and updates the idempotency record, so a replay
/// reports the final delivery status. The reset itself is already committed,
/// so a failure here is logged, not reported.
async fn record_delivery(
    state: &AppState,
    outbox_id: i64,
    key: Option<String>,
    response: &ResetResponse,
) {
    let status = match response.delivery.status {
        DeliveryStatus::Sent => "sent",
        DeliveryStatus::Failed => "failed",
        DeliveryStatus::Queued => "queued",
    };
    let body = to_json(response);
    let result = db::call(&state.db, move |conn| {
        db::set_outbox_status(conn, outbox_id, status)?;
        if let Some(key) = key {
            idempotency::update_body(conn, &key, &body)?;
        }
        Ok(())
    })
    .await;
    if let Err(error) = result {
        tracing::error!(%error, "could not record the delivery status");
    }
}

// ------------------------------------------------------------ faults

fn injected_status(status: u16, retry_after: Option<u64>) -> Problem {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let title = code.canonical_reason().unwrap_or("Error");
    let detail = if code == StatusCode::SERVICE_UNAVAILABLE {
        "The directory service is temporarily unavailable."
    } else {
        "The server failed on purpose (injected fault). Nothing was changed."
    };
    let problem = Problem::new(code, title, detail);
    match retry_after {
        Some(seconds) => problem.with_retry_after(seconds),
        None => problem,
    }
}

/// What a client sees when an SSO proxy intercepts the call.
fn injected_login_page() -> Response {
    const PAGE: &str = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\
                        <body><h1>Sign in to Contoso</h1><p>Your session has expired.</p></body></html>\n";
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE).into_response()
}

/// A response whose body fails before anything is written: hyper then
/// closes the connection without a status line, so the client sees a
/// network error — what a crashed proxy looks like. (A panic would work
/// too, but the release profile aborts on panic.)
fn dropped_connection() -> Response {
    Response::new(Body::new(FailingBody))
}

struct FailingBody;

impl HttpBody for FailingBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, io::Error>>> {
        Poll::Ready(Some(Err(io::Error::other("drop-response fault"))))
    }
}
