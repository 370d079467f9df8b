//! `POST /api/password-changes`: a signed-in user changes their own
//! password (also the way out of a must-change session).
//!
//! Request: the session cookie, its `X-CSRF-Token`, an `Idempotency-Key`
//! and `{"userId","currentPassword","newPassword"}`. 200
//! `{"status":"changed"}`. In this order:
//! - 401 no live session; 403 "CSRF token missing or wrong";
//! - 400 no or bad `Idempotency-Key`, not JSON or not that shape; 415;
//! - 403 "Not allowed": `userId` is not the session's user;
//! - a retry with the same key and body replays the stored answer (even
//!   though the current password has changed since); the same key with
//!   another body is a 422;
//! - the current password, under the sign-in rate limit: 429 with
//!   `Retry-After`; 422 with `errors[].field` `currentPassword` when wrong;
//!   403 `/problems/temporary-password-expired` when it is an expired
//!   temporary password;
//! - 422 `newPassword`: shorter than 8 or longer than 256 characters, or
//!   the same as the current one.
//!
//! - 422 `newPassword` with code `directoryRefused`: the directory refused
//!   it under its own rules; 503 `/problems/directory-unavailable` with
//!   `Retry-After` when it does not answer (send the same request again).
//!
//! On success the directory has the new password (no must-change flag or
//! temporary expiry any more); then, in one transaction: every *other*
//! session of the user ended, this one's must-change flag of its sign-in
//! cleared (the only way it clears), a notice (no password) to the user's e-mail
//! and alternate e-mail, the idempotency record (scoped to the user).
//! Before the directory is asked, a `pending` journal row notes the
//! attempt: if the directory took the new password but its answer was lost,
//! a retry with the same key and body (whose current password is now wrong)
//! finds the new password in force and finishes the change.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::own_password::{self, Notice};
use crate::audit::{self, Action, Actor};
use crate::db;
use crate::directory::{Bind, DirectoryError};
use crate::idempotency::{self, StoredResponse};
use crate::json_body;
use crate::passwords::Password;
use crate::problem::{FieldError, Problem};
use crate::routes::auth::{ClientAddress, SignedInWithCsrf};
use crate::routes::sign_in::{self, Checked};
use crate::routes::{hash_permit, replay};
use crate::sessions;
use crate::state::AppState;

#[derive(Deserialize, Serialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    expecting = "an object with userId, currentPassword and newPassword"
)]
pub struct ChangeRequest {
    pub user_id: String,
    pub current_password: Password,
    pub new_password: Password,
}

/// Never print a password, even in a debug log.
impl std::fmt::Debug for ChangeRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeRequest")
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

/// The body of the 200 answer.
pub const CHANGED: &str = r#"{"status":"changed"}"#;

enum Outcome {
    /// A request with this key committed meanwhile: compared after the lock.
    Recorded(idempotency::Record),
    Changed(Option<Notice>),
}

/// Audit: the change's row (`changed`) is written in its transaction; a
/// refused request (4xx once the session and CSRF token passed) gets a
/// `refused` row with the reason, e.g. a wrong current password.
pub async fn create(
    State(state): State<AppState>,
    SignedInWithCsrf(session): SignedInWithCsrf,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let actor = Actor::new(Some(&session.user_id), client);
    let result = change(&state, &session, &actor, client, &headers, body).await;
    if let Err(problem) = &result {
        if problem.status < 500 {
            let (actor, subject) = (actor.clone(), session.user_id.clone());
            let detail = audit::refusal_detail(problem);
            let written = db::call(&state.db, move |conn| {
                actor.record(
                    conn,
                    Action::PasswordChange,
                    Some(&subject),
                    audit::REFUSED,
                    Some(&detail),
                )
            })
            .await;
            if let Err(error) = written {
                tracing::error!(%error, "could not write the audit trail");
            }
        }
    }
    result
}

async fn change(
    state: &AppState,
    session: &sessions::Session,
    actor: &Actor,
    client: Option<std::net::IpAddr>,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let state = state.clone();
    let headers = headers.clone();
    let key = own_password::required_key(&headers)?;
    let request: ChangeRequest = json_body::parse(&headers, body)?;
    if request.user_id != session.user_id {
        return Err(own_password::not_your_account());
    }
    let user_id = session.user_id.clone();
    let scoped_key = format!("password-change {user_id} {key}");
    let canonical = Arc::new(idempotency::canonical(&request));
    if let Some(replayed) = replay::recorded(&state, &scoped_key, canonical.clone()).await? {
        return Ok(replayed);
    }

    // An earlier attempt with this key that reached the directory left a
    // journal row (`pending`): its request must be this one, and if the
    // directory took the new password before its answer was lost (a
    // timeout), the current password is the new one now.
    let earlier = {
        let key = scoped_key.clone();
        let rows = db::call(&state.db, move |conn| {
            db::idempotency::applied_of(conn, &key)
        })
        .await?;
        match rows.into_iter().next() {
            Some(row) => {
                let canonical = canonical.clone();
                let permit = hash_permit(&state)?;
                let same = tokio::task::spawn_blocking(move || {
                    let _permit = permit;
                    idempotency::same_request(&canonical, &row.fingerprint)
                        .then_some(row.fingerprint)
                })
                .await
                .map_err(Problem::internal)?;
                Some(same.ok_or_else(idempotency::key_reused)?)
            }
            None => None,
        }
    };

    let checked = check_own_password(
        &state,
        &user_id,
        request.current_password.clone(),
        client,
        ("currentPassword", "The current password is wrong."),
    )
    .await;
    let changed_before = match checked {
        Ok(()) => false,
        Err(problem) if problem.status == 422 && earlier.is_some() => {
            match state
                .directory
                .verify_password(&user_id, &request.new_password)
                .await?
            {
                Bind::Accepted { .. } => true,
                _ => return Err(problem),
            }
        }
        Err(problem) => return Err(problem),
    };
    if !changed_before {
        own_password::check_policy(&state, &user_id, &request.new_password).await?;
        if request.new_password == request.current_password {
            return Err(own_password::new_password_refused(
                "The new password must differ from the current one.",
            ));
        }
    }

    let fingerprint = match earlier {
        Some(fingerprint) => fingerprint,
        None => {
            let canonical = canonical.clone();
            let permit = hash_permit(&state)?;
            tokio::task::spawn_blocking(move || {
                let _permit = permit;
                idempotency::fingerprint(&canonical)
            })
            .await
            .map_err(Problem::internal)?
        }
    };
    // Where the notice goes, asked before the change: once the directory
    // has the new password, nothing may stop the rest.
    let account = state.directory.find_by_login(&user_id).await?;
    if !changed_before {
        let (key, user, print) = (scoped_key.clone(), user_id.clone(), fingerprint.clone());
        db::call(&state.db, move |conn| {
            db::idempotency::note_pending(conn, &key, &user, &print)
        })
        .await?;
        state
            .directory
            .change_own_password(&user_id, &request.current_password, &request.new_password)
            .await
            .map_err(|error| match error {
                // Deleted (or disabled) since sign-in: the session is no one's.
                DirectoryError::NoSuchUser => sessions::sign_in_required(),
                other => other.at_field("newPassword"),
            })?;
    }
    let keep = state
        .cookies
        .token(&headers)
        .map(|token| sessions::token_hash(&token))
        .unwrap_or_default();
    let outcome = {
        let (user_id, actor) = (user_id.clone(), actor.clone());
        let smtp = state.mailer.is_some();
        db::call(&state.db, move |conn| {
            let tx = conn.transaction()?;
            if let Some(record) = idempotency::find(&tx, &scoped_key)? {
                return Ok(Outcome::Recorded(record));
            }
            db::sessions::delete_others_of(&tx, &user_id, &keep)?;
            // This session's sign-in may have said "must change": done.
            db::sessions::clear_must_change(&tx, &keep)?;
            let notice = match &account {
                Some(account) => own_password::write_notice(&tx, account, "changed", smtp)?,
                None => None,
            };
            actor.record(
                &tx,
                Action::PasswordChange,
                Some(&user_id),
                audit::CHANGED,
                None,
            )?;
            let stored = StoredResponse {
                status: 200,
                body: CHANGED.to_owned(),
            };
            idempotency::store(&tx, &scoped_key, &fingerprint, &stored)?;
            db::idempotency::forget_applied(&tx, &scoped_key)?;
            tx.commit()?;
            Ok(Outcome::Changed(notice))
        })
        .await?
    };
    Ok(match outcome {
        Outcome::Recorded(record) => replay::answer(&state, record, canonical).await?,
        Outcome::Changed(notice) => {
            tracing::info!(user_id = %user_id, "password changed by its user");
            if let Some(notice) = notice {
                own_password::send_in_background(&state, notice);
            }
            StoredResponse {
                status: 200,
                body: CHANGED.to_owned(),
            }
            .into_response(false)
        }
    })
}

/// A signed-in user's own password, checked by the directory under the
/// sign-in rate limits (shared with sign-in): 429 when blocked, 503 when it
/// cannot be checked now (no Argon2 permit free, or the directory
/// unavailable), 422 on `field` (`currentPassword` here, `password` for a
/// step-up) with `detail` when wrong.
pub(crate) async fn check_own_password(
    state: &AppState,
    user_id: &str,
    password: Password,
    client: Option<std::net::IpAddr>,
    (field, detail): (&str, &str),
) -> Result<(), Problem> {
    match sign_in::check_password(state, user_id, password, client).await? {
        Checked::Right(_) => Ok(()),
        Checked::Wrong => {
            tracing::info!(field, "refused: the user's own password is wrong");
            Err(Problem::invalid_fields(vec![FieldError::new(
                field, detail,
            )]))
        }
    }
}
