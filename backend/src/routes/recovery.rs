//! `/api/password-recovery`: a user who forgot their password proves they
//! read their alternate e-mail, then sets a new one. No session, no CSRF
//! token; JSON bodies with no unknown fields; problem+json errors. The
//! rules of codes and tokens are in `crate::recovery`.
//!
//! - `POST /codes` `{"login"}` (a user id or e-mail address) → always 202
//!   `{"status":"accepted"}`, at once: the code is made and e-mailed by a
//!   background task, and only for an existing user with an alternate
//!   address who is not an administrator (unless `--allow-admin-recovery`)
//!   and has had fewer than 5 codes in the last hour.
//! - `POST /verifications` `{"login","code"}` → 200
//!   `{"recoveryToken","expiresInSeconds":600}`, or 400 with
//!   `errors[].field` `code` for anything wrong (login, code, expired,
//!   used, burned: one answer).
//! - `POST /completions` with `Idempotency-Key` and
//!   `{"recoveryToken","newPassword"}` → 200 `{"status":"reset"}`; 410
//!   `/problems/recovery-expired` for an unknown, expired or used token;
//!   422 on `newPassword` (code `directoryRefused`: the directory's own
//!   rules refused it); 503 `/problems/directory-unavailable` with
//!   `Retry-After` when the directory does not answer (the token stays
//!   this request's: send it again with the same key). A retry with the
//!   same key and body replays.
//!
//! `/codes` and `/verifications` count against a limit per client address
//! (429 with `Retry-After`).

use std::net::IpAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::own_password::{self, Notice};
use crate::audit::{self, Action, Actor};
use crate::db;
use crate::delivery::{self, MASK};
use crate::directory::DirectoryError;
use crate::idempotency::{self, StoredResponse};
use crate::json_body;
use crate::passwords::Password;
use crate::problem::Problem;
use crate::rate_limit::retry_after_secs;
use crate::recovery::{self, Issued};
use crate::state::AppState;

pub use super::auth::ClientAddress;

#[derive(Deserialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    expecting = "an object with login"
)]
pub struct CodeRequest {
    pub login: String,
}

/// `Debug` is safe: a [`Password`] prints `<redacted>`.
#[derive(Debug, Deserialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    expecting = "an object with login and code"
)]
pub struct VerificationRequest {
    pub login: String,
    pub code: Password,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct VerificationResponse {
    pub recovery_token: Password,
    pub expires_in_seconds: u32,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    expecting = "an object with recoveryToken and newPassword"
)]
pub struct CompletionRequest {
    pub recovery_token: Password,
    pub new_password: Password,
}

/// The body of the 202 answer to `/codes`, whatever the login.
pub const ACCEPTED: &str = r#"{"status":"accepted"}"#;
/// The body of the 200 answer to `/completions`.
pub const RESET: &str = r#"{"status":"reset"}"#;
/// The `type` of the 410 for a token that cannot be used.
pub const RECOVERY_EXPIRED: &str = "/problems/recovery-expired";

fn limited(state: &AppState, client: Option<IpAddr>) -> Result<(), Problem> {
    state.recovery_limiter.check(client).map_err(|wait| {
        let seconds = retry_after_secs(wait);
        tracing::warn!("password recovery refused: too many requests from one address");
        Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many requests",
            format!("Too many password-recovery requests from your address. Try again in {seconds} seconds."),
        )
        .with_retry_after(seconds)
    })
}

/// `POST /codes`.
pub async fn codes(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    limited(&state, client)?;
    let CodeRequest { login } = json_body::parse(&headers, body)?;
    let task_state = state.clone();
    state
        .background
        .spawn(async move { issue(task_state, login).await });
    Ok(json_answer(StatusCode::ACCEPTED, ACCEPTED))
}

/// The background part of `/codes`: the code, its outbox row (the code
/// itself only when the outbox is the only mail sink, masked when a mail
/// server gets the real e-mail) and, with `SMTP_URL`, the e-mail.
async fn issue(state: AppState, login: String) {
    let allow_admins = state.allow_admin_recovery;
    let smtp = state.mailer.is_some();
    let found = match state.directory.find_by_login(login.trim()).await {
        Ok(found) => found,
        Err(error) => {
            tracing::error!(%error, "could not issue a recovery code");
            return;
        }
    };
    let issued = db::call(&state.db, move |conn| {
        let tx = conn.transaction()?;
        let issued = recovery::issue_code(&tx, found, allow_admins)?;
        let notice = match &issued {
            Issued::Code { to, code, .. } => {
                let shown = if smtp { MASK } else { code.as_str() };
                let (subject, body) =
                    delivery::recovery_code_message(shown, recovery::CODE_MINUTES);
                let to = vec![to.clone()];
                let outbox_id = db::insert_outbox(&tx, &to, &subject, &body, smtp)?;
                let (subject, body) = delivery::recovery_code_message(code, recovery::CODE_MINUTES);
                Some(Notice {
                    outbox_id,
                    to,
                    subject,
                    body,
                })
            }
            _ => None,
        };
        tx.commit()?;
        Ok((issued, notice))
    })
    .await;
    match issued {
        Ok((Issued::Code { user_id, .. }, Some(notice))) => {
            tracing::info!(%user_id, "recovery code issued");
            own_password::send_in_background(&state, notice);
        }
        Ok((outcome, _)) => {
            // Never the login: people type passwords into that field too.
            let reason = match outcome {
                Issued::UnknownLogin => "unknown login",
                Issued::AdminRefused => "administrator",
                Issued::NoAlternateAddress => "no alternate address",
                Issued::TooManyCodes => "too many codes this hour",
                Issued::Code { .. } => "no message",
            };
            tracing::info!(reason, "no recovery code sent");
        }
        Err(error) => tracing::error!(%error, "could not issue a recovery code"),
    }
}

/// `POST /verifications`.
pub async fn verifications(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<VerificationResponse>, Problem> {
    limited(&state, client)?;
    let VerificationRequest { login, code } = json_body::parse(&headers, body)?;
    let found = state.directory.find_by_login(login.trim()).await?;
    let token = db::call(&state.db, move |conn| {
        let tx = conn.transaction()?;
        let token = recovery::verify_code(&tx, found, &code)?;
        tx.commit()?;
        Ok(token)
    })
    .await?;
    match token {
        Some(recovery_token) => {
            tracing::info!("recovery code verified");
            Ok(Json(VerificationResponse {
                recovery_token: Password::new(recovery_token),
                expires_in_seconds: recovery::TOKEN_SECONDS,
            }))
        }
        None => {
            tracing::info!("recovery code refused");
            let detail = "The code is wrong or has expired.";
            Err(
                Problem::new(StatusCode::BAD_REQUEST, "Wrong or expired code", detail)
                    .with_error("code", detail),
            )
        }
    }
}

fn recovery_expired() -> Problem {
    Problem::new(
        StatusCode::GONE,
        "Start again",
        "This recovery has expired or was already used. Ask for a new code.",
    )
    .with_type(RECOVERY_EXPIRED)
}

enum Outcome {
    /// A request with this key committed meanwhile: compared after the lock.
    Recorded(idempotency::Record),
    Expired,
    Reset(String, Option<Notice>),
}

/// `POST /completions`.
///
/// Audit: the reset's row (`reset`, the user as the actor) in its
/// transaction; a new password refused for a valid token, a `refused` row.
/// An unknown or expired token authenticates nobody and writes none.
pub async fn completions(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let key = own_password::required_key(&headers)?;
    let request: CompletionRequest = json_body::parse(&headers, body)?;
    let scoped_key = format!("password-recovery {key}");
    let canonical = Arc::new(idempotency::canonical(&request));
    if let Some(replayed) = super::replay::recorded(&state, &scoped_key, canonical.clone()).await? {
        return Ok(replayed);
    }
    let token = request.recovery_token.clone();
    let own_key = scoped_key.clone();
    let Some(token_user) = db::call(&state.db, move |conn| {
        recovery::token_user(conn, &token, Some(&own_key))
    })
    .await?
    else {
        return Err(recovery_expired());
    };
    if let Err(problem) =
        own_password::check_policy(&state, &token_user, &request.new_password).await
    {
        record_refusal(&state, &token_user, client, &problem).await?;
        return Err(problem);
    }

    let fingerprint = {
        let canonical = canonical.clone();
        let permit = super::hash_permit(&state)?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            idempotency::fingerprint(&canonical)
        })
        .await
        .map_err(Problem::internal)?
    };
    // Where the notice goes, asked before the change: once the directory
    // has the new password, nothing may stop the rest.
    let account = state.directory.find_by_login(&token_user).await?;
    // The token is this request's from here on: another completion cannot
    // use it while the directory is asked, a retry of this one (same key)
    // can. The user's sessions end here, before the directory is asked: if
    // its answer is lost, none signed in with the old password survives.
    let (token, key, user_id) = (
        request.recovery_token.clone(),
        scoped_key.clone(),
        token_user.clone(),
    );
    let claimed = db::call(&state.db, move |conn| {
        let tx = conn.transaction()?;
        if let Some(record) = idempotency::find(&tx, &key)? {
            return Ok(Some(Outcome::Recorded(record)));
        }
        if !recovery::use_token(&tx, &token, &key)? {
            return Ok(Some(Outcome::Expired));
        }
        db::sessions::delete_all_of(&tx, &user_id)?;
        tx.commit()?;
        Ok(None)
    })
    .await?;
    if let Some(outcome) = claimed {
        return answer(&state, outcome, canonical).await;
    }
    if let Err(error) = state
        .directory
        .recover_password(&token_user, &request.new_password)
        .await
    {
        if error == DirectoryError::NoSuchUser {
            // Deleted (or disabled) since the token was made.
            tracing::info!("recovery refused: the user is no longer in the directory");
            return Err(recovery_expired());
        }
        let problem = error.at_field("newPassword");
        if problem.status >= 500 {
            record_unknown(&state, &token_user, client).await;
        } else {
            // Refused for sure, so nothing changed: the token is given back.
            let (token, key) = (request.recovery_token.clone(), scoped_key.clone());
            db::call(&state.db, move |conn| {
                recovery::give_back_token(conn, &token, &key)
            })
            .await?;
            record_refusal(&state, &token_user, client, &problem).await?;
        }
        return Err(problem);
    }

    let smtp = state.mailer.is_some();
    let user_id = token_user.clone();
    let outcome = db::call(&state.db, move |conn| {
        let tx = conn.transaction()?;
        if let Some(record) = idempotency::find(&tx, &scoped_key)? {
            return Ok(Outcome::Recorded(record));
        }
        db::sessions::delete_all_of(&tx, &user_id)?;
        Actor::new(Some(&user_id), client).record(
            &tx,
            Action::Recovery,
            Some(&user_id),
            audit::RESET,
            Some("with a recovery code"),
        )?;
        let notice = match &account {
            Some(account) => {
                own_password::write_notice(&tx, account, "reset with a recovery code", smtp)?
            }
            None => None,
        };
        let stored = StoredResponse {
            status: 200,
            body: RESET.to_owned(),
        };
        idempotency::store(&tx, &scoped_key, &fingerprint, &stored)?;
        tx.commit()?;
        Ok(Outcome::Reset(user_id, notice))
    })
    .await?;
    answer(&state, outcome, canonical).await
}

async fn answer(
    state: &AppState,
    outcome: Outcome,
    canonical: Arc<idempotency::Canonical>,
) -> Result<Response, Problem> {
    Ok(match outcome {
        Outcome::Recorded(record) => super::replay::answer(state, record, canonical).await?,
        Outcome::Expired => recovery_expired().into_response(),
        Outcome::Reset(user_id, notice) => {
            tracing::info!(%user_id, "password reset through recovery");
            if let Some(notice) = notice {
                own_password::send_in_background(state, notice);
            }
            json_answer(StatusCode::OK, RESET)
        }
    })
}

/// The audit row of a recovery whose directory did not answer (or failed):
/// the password may have been set. The token stays this request's: its
/// retry with the same key sets it again.
async fn record_unknown(state: &AppState, user_id: &str, client: Option<IpAddr>) {
    let actor = Actor::new(Some(user_id), client);
    let user_id = user_id.to_owned();
    let written = db::call(&state.db, move |conn| {
        actor.record(
            conn,
            Action::Recovery,
            Some(&user_id),
            audit::UNKNOWN,
            Some("outcome unknown: the directory did not answer; the same request with the same Idempotency-Key sets the password again"),
        )
    })
    .await;
    if let Err(db_error) = written {
        tracing::error!(%db_error, "could not write the audit trail");
    }
}

/// The audit row of a new password refused for a valid token.
async fn record_refusal(
    state: &AppState,
    user_id: &str,
    client: Option<IpAddr>,
    problem: &Problem,
) -> Result<(), Problem> {
    let actor = Actor::new(Some(user_id), client);
    let (user_id, detail) = (user_id.to_owned(), audit::refusal_detail(problem));
    db::call(&state.db, move |conn| {
        actor.record(
            conn,
            Action::Recovery,
            Some(&user_id),
            audit::REFUSED,
            Some(&detail),
        )
    })
    .await?;
    Ok(())
}

fn json_answer(status: StatusCode, body: &'static str) -> Response {
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}
