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
//! After validation (and a replay of the same key), a request naming an
//! administrator needs a recent step-up of the session: else 403
//! `/problems/step-up-required`, nothing applied or stored
//! (`routes/step_up.rs`).
//!
//! Then:
//! - 400: not JSON, or not the shape above (unknown fields included), or an
//!   `Idempotency-Key` header that is not 1-255 visible ASCII characters;
//! - 413: more than [`MAX_RESETS`](crate::limits::MAX_RESETS) resets (or a body over 64 KiB);
//! - 415: not `application/json`;
//! - 422: `resets` empty; an empty or repeated `userId` (also two the
//!   directory finds one user for, as LDAP does `alice` and `ALICE`: at the
//!   later one, once the directory has been asked); a bad address in
//!   `deliverTo`, or one outside `--delivery-domains` (code
//!   `domainNotAllowed`); an `Idempotency-Key` reused with a different
//!   request; a password the organisation's policy refuses
//!   (`password_policy.rs`: each reason at `resets[i].password` with the
//!   widget's reason `code`);
//! - 404 "Unknown user": the only user of a one-reset request does not exist.
//!   With several resets, each is applied on its own and an unknown user
//!   gets `{"status":"failed","detail":…}` while the others succeed;
//! - 409 `/problems/request-in-progress` with `Retry-After: 1`: a request
//!   with the same `Idempotency-Key` (from the same admin) is still being
//!   processed (`crate::in_flight`). Nothing is done; the same request sent
//!   again once that one has committed gets its answer (a replay);
//! - 422 with code `directoryRefused` at `resets[0].password`: the
//!   directory refused the one user's new password under its own rules
//!   (nothing changed). With several resets, that user gets
//!   `{"status":"failed","detail":…}` and the others go on;
//! - 503 `/problems/directory-unavailable` with `Retry-After`: the
//!   directory did not answer. No user is reported reset that the directory
//!   did not accept; the users it did accept are journaled, so the same
//!   request with the same key finishes the job without changing them twice.
//!   The user whose change was asked when it stopped answering is journaled
//!   `pending` (their sessions already ended, an audit row `unknown`): the
//!   retry makes that change again (the same password, set once more).
//!
//! Delivery (`delivery.status`):
//! - `queued`: a (masked) message was written to the outbox: without a mail
//!   server the demo outbox is the mail sink; with `SMTP_URL`, a replay that
//!   comes while the mail is still being sent says so too;
//! - `sent` / `failed`: with `SMTP_URL`, whether the mail server took it;
//! - `sent` with a detail when there was nothing to send: `deliverTo` was
//!   empty ("No e-mail was requested."), or no password was reset. No
//!   outbox row is written then. `sent` therefore means "nothing pending".
//!
//! The handler reads top-down through its parts: [`wire`] (the JSON),
//! [`validation`], [`apply`] (the records around the directory's changes)
//! and [`email`] (delivery by e-mail after the commit). Test mode wraps it
//! in `fault_injection.rs`.

mod apply;
mod email;
mod validation;
pub mod wire;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use self::apply::{Keys, Outcome, ResetLedger};
use self::validation::validate;
use self::wire::{to_json, ResetRequest};
use crate::audit::{self, Action, Actor};
use crate::db;
use crate::directory::DirectoryUser;
use crate::idempotency::{self, StoredResponse};
use crate::json_body;
use crate::problem::Problem;
use crate::routes::auth::{AdminSession, ClientAddress};
use crate::routes::password_policy::{self, NewPassword};
use crate::routes::{hash_permit, replay, step_up};
use crate::state::AppState;

pub use self::wire::{
    Delivery, DeliveryStatus, PasswordSource, ResetEntry, ResetResponse, ResetResult, ResultStatus,
};

/// `POST /api/password-resets`. Who may reset comes first (the
/// [`AdminSession`] extractor): a refused request must not consume an
/// armed fault, replay a stored answer or learn anything about the body.
///
/// Every user named gets an audit row (`crate::audit`) in the reset's
/// transaction: `reset`, `required` or `failed`; a refused request (4xx
/// after the session checks) one `refused` row per user it named, or one
/// without a user when its body named nobody. A replay writes none.
pub async fn create(
    State(state): State<AppState>,
    AdminSession(admin): AdminSession,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    tracing::info!(admin = %admin.user_id, "password reset requested");
    let actor = Actor::new(Some(&admin.user_id), client);
    let mut named = Vec::new();
    let result = process(&state, &actor, &mut named, &headers, body).await;
    if let Err(problem) = &result {
        if problem.status < 500 {
            record_refusal(&state, actor, named, problem).await;
        }
    }
    result
}

/// One `refused` row per user named (none named: one row without a user).
async fn record_refusal(state: &AppState, actor: Actor, named: Vec<String>, problem: &Problem) {
    let detail = audit::refusal_detail(problem);
    let written = db::call(&state.db, move |conn| {
        let tx = conn.transaction()?;
        if named.is_empty() {
            actor.record(&tx, Action::AdminReset, None, audit::REFUSED, Some(&detail))?;
        }
        for user_id in &named {
            actor.record(
                &tx,
                Action::AdminReset,
                Some(user_id),
                audit::REFUSED,
                Some(&detail),
            )?;
        }
        tx.commit()
    })
    .await;
    if let Err(error) = written {
        tracing::error!(%error, "could not write the audit trail");
    }
}

async fn process(
    state: &AppState,
    actor: &Actor,
    named: &mut Vec<String>,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let raw_key = idempotency::key_from_headers(headers)?;
    // Keys are the acting administrator's own (as Stripe scopes them to an
    // account): another admin's request with the same key is another request.
    let admin = actor.user_id.clone().unwrap_or_default();
    let key = raw_key.as_deref().map(|k| format!("reset {admin} {k}"));
    let request: ResetRequest = json_body::parse(headers, body)?;
    named.extend(request.resets.iter().map(|entry| entry.user_id.clone()));
    validate(&request, &state.delivery_domains)?;
    // One request per key at a time: a second one while the first is
    // processed is told to come back (409) at once, before any Argon2 work.
    let claim = match &key {
        Some(key) => match state.in_flight.claim(key) {
            Some(claim) => Some(claim),
            None => return Ok(idempotency::in_progress().into_response()),
        },
        None => None,
    };
    let request = Arc::new(request);
    let canonical = Arc::new(idempotency::canonical(&*request));

    // A retry (the usual reason for a key) is answered from its record
    // before any password is hashed.
    if let Some(key) = &key {
        if let Some(answer) = replay::recorded(state, key, canonical.clone()).await? {
            return Ok(answer);
        }
    }

    // Whom the directory knows, asked once (the policy, the step-up and the
    // changes all go by this answer). A directory may match ids loosely
    // (LDAP: without case or extra spaces): two entries that name one user
    // are refused as one id named twice is.
    let mut users = Vec::with_capacity(request.resets.len());
    for entry in &request.resets {
        users.push(state.directory.find_user(&entry.user_id).await?);
    }
    validation::distinct_users(&users)?;

    // The policy, as the dialog checks it; after the replay, so that a
    // retry of an applied request is answered even if the policy changed.
    let (passwords, their_users) = new_passwords(&request, &users);
    password_policy::check_found(state, passwords, their_users).await?;

    // An administrator's password needs the acting admin's own, confirmed
    // lately (`step_up.rs`). Refused here, nothing is applied or stored: the
    // same key goes through after the step-up.
    step_up::require_for(state, headers, &users).await?;

    // An earlier attempt with this key that failed midway (the directory
    // unavailable) left a journal of the users it changed: they are not
    // changed again, and the request must be the same one (its
    // fingerprint, compared off the lock).
    let earlier = match &key {
        Some(key) => {
            let key = key.clone();
            db::call(&state.db, move |conn| {
                db::idempotency::applied_of(conn, &key)
            })
            .await?
        }
        None => Vec::new(),
    };
    let fingerprint = match &key {
        Some(_) => {
            let (canonical, first) = (canonical.clone(), earlier.first());
            let earlier_fingerprint = first.map(|row| row.fingerprint.clone());
            let permit = hash_permit(state)?;
            let fingerprint = tokio::task::spawn_blocking(move || {
                let _permit = permit;
                match earlier_fingerprint {
                    Some(earlier) => {
                        idempotency::same_request(&canonical, &earlier).then_some(earlier)
                    }
                    None => Some(idempotency::fingerprint(&canonical)),
                }
            })
            .await
            .map_err(Problem::internal)?;
            Some(fingerprint.ok_or_else(idempotency::key_reused)?)
        }
        None => None,
    };

    let ledger = ResetLedger {
        request: request.clone(),
        users,
        keys: Keys {
            record: key.clone().zip(fingerprint),
            shown: raw_key,
        },
        earlier: earlier
            .into_iter()
            .map(|row| (row.user_id, row.status))
            .collect(),
        smtp: state.mailer.is_some(),
        actor: actor.clone(),
    };
    let changes = ledger.changes();
    // On a task of its own, holding the key's claim to the end, so that it
    // finishes (and records) even if the client goes away meanwhile: from
    // then on, a retry finds the record.
    let (directory, db) = (state.directory.clone(), state.db.clone());
    let outcome = tokio::spawn(async move {
        let _claim = claim;
        directory.apply(&db, changes, ledger).await
    })
    .await
    .map_err(Problem::internal)??;

    Ok(match outcome {
        Outcome::Recorded(record) => replay::answer(state, record, canonical).await?,
        Outcome::UnknownUser(problem) => problem.into_response(),
        Outcome::Refused(problem) => return Err(problem),
        Outcome::Applied {
            mut response,
            outbox_id,
            reset_users,
        } => {
            if let (Some(mailer), Some(outbox_id)) = (&state.mailer, outbox_id) {
                response.delivery = email::send_mail(mailer, &request, &reset_users).await;
                email::record_delivery(&state.db, outbox_id, key, &response).await;
            }
            StoredResponse {
                status: 200,
                body: to_json(&response),
            }
            .into_response(false)
        }
    })
}

/// Each entry's new password, at its field (none when `unchanged`), with
/// whom the directory found for it (`users`, one per entry).
fn new_passwords<'a>(
    request: &'a ResetRequest,
    users: &[Option<DirectoryUser>],
) -> (Vec<NewPassword<'a>>, Vec<Option<DirectoryUser>>) {
    request
        .resets
        .iter()
        .zip(users)
        .enumerate()
        .filter_map(|(index, (entry, user))| {
            let password = NewPassword {
                field: format!("resets[{index}].password"),
                user_id: &entry.user_id,
                password: entry.password.as_deref()?,
            };
            Some((password, user.clone()))
        })
        .unzip()
}
