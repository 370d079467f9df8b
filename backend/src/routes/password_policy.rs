//! `GET /api/password-policy` (and its blocklist): the policy the server
//! enforces, for the widget's `policy-url`; and the check every route that
//! sets a password runs before hashing it.
//!
//! Neither GET needs a session: the recovery page, used signed out, shows
//! the same rules. They hold nothing secret: the numbers, the organisation's
//! words and the list of passwords it refuses.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::directory::DirectoryUser;
use crate::problem::Problem;
use crate::state::AppState;

pub async fn show(State(state): State<AppState>) -> Response {
    Json(state.password_policy.served()).into_response()
}

pub async fn blocklist(State(state): State<AppState>) -> Result<Response, Problem> {
    let text = state
        .password_policy
        .blocklist_text
        .clone()
        .ok_or_else(|| {
            Problem::new(
                StatusCode::NOT_FOUND,
                "No blocklist",
                "This server has no list of banned passwords.",
            )
        })?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response())
}

/// One new password to check: the request field it came in, and whose it is.
pub struct NewPassword<'a> {
    pub field: String,
    pub user_id: &'a str,
    pub password: &'a str,
}

/// 422 with every reason any of `passwords` may not be used (at its field,
/// with the widget's reason codes), or `Ok` when all may. An unknown user
/// is checked without their name; the route reports them unknown after.
pub async fn check(state: &AppState, passwords: Vec<NewPassword<'_>>) -> Result<(), Problem> {
    // Their names and addresses, which a password must not contain.
    let mut users = Vec::with_capacity(passwords.len());
    for password in &passwords {
        users.push(state.directory.find_user(password.user_id).await?);
    }
    check_found(state, passwords, users).await
}

/// [`check`] when the caller has looked the users up already: `users[i]`
/// is whom the directory found for `passwords[i]`.
pub async fn check_found(
    state: &AppState,
    passwords: Vec<NewPassword<'_>>,
    users: Vec<Option<DirectoryUser>>,
) -> Result<(), Problem> {
    if passwords.is_empty() {
        return Ok(());
    }
    // The estimator takes a few milliseconds per password: off the async threads.
    let owned: Vec<(String, String)> = passwords
        .into_iter()
        .map(|p| (p.field, p.password.to_owned()))
        .collect();
    let policy = state.password_policy.clone();
    let refused = tokio::task::spawn_blocking(move || {
        owned
            .iter()
            .zip(&users)
            .flat_map(|((field, password), user)| policy.refusals(field, password, user.as_ref()))
            .collect::<Vec<_>>()
    })
    .await
    .map_err(Problem::internal)?;
    if refused.is_empty() {
        Ok(())
    } else {
        Err(Problem::invalid_fields(refused))
    }
}
