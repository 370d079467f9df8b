//! Step-up ("sudo mode", as GitHub calls it): resetting an administrator's
//! password needs the acting administrator to have confirmed their own
//! password within the last `--step-up-minutes` (5 by default). A stolen
//! or unattended admin session alone cannot take over another admin
//! account.
//!
//! - `POST /api/password-resets` whose `resets` name an administrator (the
//!   acting one included) is refused, unless the session stepped up in
//!   time, with 403 problem+json of `"type": "/problems/step-up-required"`
//!   ([`STEP_UP_REQUIRED`]). Nothing is applied and no idempotency record
//!   is kept, so the same request with the same `Idempotency-Key` goes
//!   through once the administrator has stepped up. Checked after
//!   validation and after a replay of the same key (a replay changes
//!   nothing), before any password is hashed.
//! - `POST /api/session/step-up` `{"password"}`, with an administrator's
//!   session and its `X-CSRF-Token` (401/403 as for a reset): the session's
//!   own user's password, under the sign-in rate limits (per user id and
//!   per client address: 429 with `Retry-After`) and an Argon2 permit (503
//!   with `Retry-After: 1`); wrong: 422 with a field error on `password`;
//!   right: the session's `stepped_up_at` is set and the answer is 200
//!   `{"status":"confirmed","expiresInSeconds":300}`.
//!
//! A fresh sign-in does not count as a step-up: the step-up is asked for
//! at the moment of the sensitive action, whatever the session's age.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::auth::{AdminSession, ClientAddress};
use super::password_changes::check_own_password;
use crate::audit::{self, Action, Actor};
use crate::db;
use crate::directory::DirectoryUser;
use crate::json_body;
use crate::passwords::Password;
use crate::problem::Problem;
use crate::sessions;
use crate::state::AppState;

/// The `type` of the 403 a reset of an administrator gets without a
/// recent step-up.
pub const STEP_UP_REQUIRED: &str = "/problems/step-up-required";

/// The request field (and field error) of the administrator's own password.
pub const PASSWORD_FIELD: &str = "password";

#[derive(Deserialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    expecting = "an object with password"
)]
#[derive(Debug)]
pub struct StepUpRequest {
    /// Zeroised when dropped; its `Debug` prints no password.
    pub password: Password,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepUpResponse {
    /// Always `confirmed`.
    pub status: &'static str,
    /// How long the step-up lasts from now.
    pub expires_in_seconds: u32,
}

/// `POST /api/session/step-up`.
pub async fn create(
    State(state): State<AppState>,
    AdminSession(admin): AdminSession,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<StepUpResponse>, Problem> {
    let StepUpRequest { password } = json_body::parse(&headers, body)?;
    if password.is_empty() {
        return Err(Problem::invalid_fields(vec![
            crate::problem::FieldError::new(PASSWORD_FIELD, "Enter your password."),
        ]));
    }
    let checked = check_own_password(
        &state,
        &admin.user_id,
        password,
        client,
        (PASSWORD_FIELD, "The password is wrong."),
    )
    .await;
    // Both answers go to the audit trail (a wrong password, or the limit,
    // is a refusal); a busy server or a database error says nothing.
    let row = match &checked {
        Ok(()) => Some((audit::CONFIRMED, None)),
        Err(problem) if problem.status < 500 => {
            Some((audit::REFUSED, Some(audit::refusal_detail(problem))))
        }
        Err(_) => None,
    };
    if let Some((outcome, detail)) = row {
        let actor = Actor::new(Some(&admin.user_id), client);
        let subject = admin.user_id.clone();
        let written = db::call(&state.db, move |conn| {
            actor.record(
                conn,
                Action::StepUp,
                Some(&subject),
                outcome,
                detail.as_deref(),
            )
        })
        .await;
        if let Err(error) = written {
            tracing::error!(%error, "could not write the audit trail");
        }
    }
    checked?;
    // The extractor found the session by this cookie, so it is there.
    let token = state
        .cookies
        .token(&headers)
        .ok_or_else(sessions::sign_in_required)?;
    db::call(&state.db, move |conn| {
        sessions::mark_stepped_up(conn, &token)
    })
    .await?;
    tracing::info!(admin = %admin.user_id, "administrator stepped up");
    Ok(Json(StepUpResponse {
        status: "confirmed",
        expires_in_seconds: state.step_up_minutes * 60,
    }))
}

/// For a reset of `users` (whom the directory found for its entries):
/// `Ok` unless one of them is an administrator and the session of this
/// request has not stepped up within `--step-up-minutes`; then 403
/// [`STEP_UP_REQUIRED`].
pub async fn require_for(
    state: &AppState,
    headers: &HeaderMap,
    users: &[Option<DirectoryUser>],
) -> Result<(), Problem> {
    let token = state.cookies.token(headers).unwrap_or_default();
    let minutes = state.step_up_minutes;
    let any_admin = users.iter().flatten().any(|user| user.is_admin);
    let allowed = !any_admin
        || db::call(&state.db, move |conn| {
            sessions::stepped_up_within(conn, &token, minutes)
        })
        .await?;
    if allowed {
        Ok(())
    } else {
        tracing::info!("reset refused: an administrator's password needs a step-up");
        Err(step_up_required(minutes))
    }
}

pub fn step_up_required(minutes: u32) -> Problem {
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    Problem::new(
        StatusCode::FORBIDDEN,
        "Confirm your password",
        format!(
            "Resetting an administrator's password needs your own password, confirmed within the last {minutes} {unit} (POST /api/session/step-up). Nothing was changed."
        ),
    )
    .with_type(STEP_UP_REQUIRED)
}
