//! `POST /api/sign-in`: lets a test (or a person) prove that a reset worked.
//! It checks a password and nothing more: no session is created (that is
//! `POST /api/session`). Both share [`verify_credentials`], and with it the
//! per-user rate limit.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};

use std::net::IpAddr;

use super::auth::ClientAddress;
use crate::directory::{Bind, DirectoryUser};
use crate::json_body;
use crate::passwords::Password;
use crate::problem::Problem;
use crate::rate_limit::{retry_after_secs, Refusal};
use crate::state::AppState;

/// `Debug` is safe: a [`Password`] prints `<redacted>`.
#[derive(Debug, Deserialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    expecting = "an object with userId and password"
)]
pub struct SignInRequest {
    pub user_id: String,
    pub password: Password,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SignInResponse {
    pub must_change_password: bool,
}

/// 200 `{"mustChangePassword": bool}`, or 401 whatever was wrong: the
/// answer does not reveal whether the user id exists. 429 (with
/// `Retry-After`) after too many failures for this user id or from this
/// address; 503 (with `Retry-After: 1`) when every Argon2 permit is taken.
pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<SignInResponse>, Problem> {
    let SignInRequest { user_id, password } = json_body::parse(&headers, body)?;
    let verified = verify_credentials(&state, &user_id, password, client).await?;
    Ok(Json(SignInResponse {
        must_change_password: verified.must_change,
    }))
}

/// A user whose password the directory accepted.
#[derive(Debug)]
pub struct Verified {
    pub user: DirectoryUser,
    /// The directory requires a new password before anything else.
    pub must_change: bool,
}

/// Checks a user's password with the directory, under the sign-in rate
/// limits: 429 without asking the directory anything when the user id or
/// the client address is blocked (the same answer, and time, whether the
/// id exists or not); then the id is looked up, and counts under the
/// directory's own id for it (every spelling of one account shares one
/// count: 429 when that is blocked); 503 when the directory cannot check
/// it now (every Argon2 permit taken, or the directory unavailable: the
/// attempt is then not counted); 401 when the id or the password is wrong
/// (the same answer, and about the same time, for both); 403
/// [`TEMPORARY_PASSWORD_EXPIRED`] when it is a right temporary password
/// past its expiry; else the user.
pub async fn verify_credentials(
    state: &AppState,
    user_id: &str,
    password: Password,
    client: Option<IpAddr>,
) -> Result<Verified, Problem> {
    match check_password(state, user_id, password, client).await? {
        Checked::Right(verified) => Ok(verified),
        Checked::Wrong => {
            tracing::info!("sign-in failed");
            Err(incorrect())
        }
    }
}

/// What [`check_password`] found when it could check.
pub(crate) enum Checked {
    Right(Verified),
    /// A wrong password or an unknown id: one answer for both.
    Wrong,
}

/// A password checked by the directory under the sign-in limits, for a
/// sign-in and for a signed-in user's own password (a change, a step-up):
/// the limits and the answers of [`verify_credentials`], but a wrong
/// password is [`Checked::Wrong`], for the caller to answer.
pub(crate) async fn check_password(
    state: &AppState,
    user_id: &str,
    password: Password,
    client: Option<IpAddr>,
) -> Result<Checked, Problem> {
    let limiter = &state.sign_in_limiter;
    // No user id in the log: people type passwords into that field too.
    let mut attempt = limiter.begin(user_id, client).map_err(|refusal| {
        tracing::warn!("password check refused: too many failed attempts");
        limited(refusal)
    })?;
    let user = state
        .directory
        .find_user(user_id)
        .await
        .inspect_err(|_| limiter.cancelled(&attempt))?;
    limiter
        .identified(&mut attempt, user.as_ref().map(|user| user.id.as_str()))
        .map_err(|refusal| {
            tracing::warn!("password check refused: too many failed attempts");
            limited(refusal)
        })?;
    let bind = state
        .directory
        .verify_password(user_id, &password)
        .await
        .inspect_err(|_| limiter.cancelled(&attempt))?;
    match (user, bind) {
        (Some(user), Bind::Accepted { must_change }) => {
            limiter.succeeded(&attempt);
            Ok(Checked::Right(Verified { user, must_change }))
        }
        (Some(_), Bind::Expired) => {
            limiter.succeeded(&attempt);
            tracing::info!("refused: the temporary password has expired");
            Err(temporary_password_expired())
        }
        _ => Ok(Checked::Wrong),
    }
}

/// The `type` of the 403 for a right but expired temporary password.
pub const TEMPORARY_PASSWORD_EXPIRED: &str = "/problems/temporary-password-expired";

pub fn temporary_password_expired() -> Problem {
    Problem::new(
        StatusCode::FORBIDDEN,
        "Temporary password expired",
        "Your temporary password has expired. Ask an administrator to reset your password again.",
    )
    .with_type(TEMPORARY_PASSWORD_EXPIRED)
}

fn incorrect() -> Problem {
    Problem::new(
        StatusCode::UNAUTHORIZED,
        "Sign-in failed",
        "The user id or password is incorrect.",
    )
}

/// The 429 for a [`Refusal`] of the sign-in limiter.
pub fn limited(refusal: Refusal) -> Problem {
    match refusal {
        Refusal::User(wait) => too_many_attempts(retry_after_secs(wait)),
        Refusal::Client(wait) => too_many_attempts_from_address(retry_after_secs(wait)),
    }
}

pub fn too_many_attempts_from_address(retry_after: u64) -> Problem {
    let unit = if retry_after == 1 {
        "second"
    } else {
        "seconds"
    };
    Problem::new(
        StatusCode::TOO_MANY_REQUESTS,
        "Too many sign-in attempts",
        format!(
            "Too many failed sign-in attempts from your address. Try again in {retry_after} {unit}."
        ),
    )
    .with_retry_after(retry_after)
}

pub fn too_many_attempts(retry_after: u64) -> Problem {
    let unit = if retry_after == 1 {
        "second"
    } else {
        "seconds"
    };
    Problem::new(
        StatusCode::TOO_MANY_REQUESTS,
        "Too many sign-in attempts",
        format!(
            "Too many failed sign-in attempts for this user. Try again in {retry_after} {unit}."
        ),
    )
    .with_retry_after(retry_after)
}
