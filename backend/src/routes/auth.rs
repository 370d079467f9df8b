//! Who is asking, as extractors: a handler that needs a signed-in user or an
//! administrator says so in its arguments, and a refused request never
//! reaches its body (axum runs these before the body is read).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;

use crate::problem::Problem;
use crate::sessions::{self, Session};
use crate::state::AppState;

/// The live session of the request's cookie; else 401 "Sign-in required".
/// Take `Result<SignedIn, Problem>` to handle "not signed in" yourself.
#[derive(Debug)]
pub struct SignedIn(pub Session);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        sessions::current(&state.db, &parts.headers)
            .await
            .map(SignedIn)
    }
}

/// What a state-changing administrator request (the password reset) must
/// show, checked in this order and before anything else: a live session
/// (401), of an administrator (403 "Not allowed"), and the session's CSRF
/// token in [`sessions::CSRF_HEADER`] (403 "CSRF token missing or wrong").
#[derive(Debug)]
pub struct AdminSession(pub Session);

impl FromRequestParts<AppState> for AdminSession {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let checked = admin_with_csrf(parts, state).await;
        if let Err(problem) = &checked {
            tracing::warn!(title = %problem.title, "administrator request refused");
        }
        checked.map(AdminSession)
    }
}

async fn admin_with_csrf(parts: &Parts, state: &AppState) -> Result<Session, Problem> {
    let session = sessions::current(&state.db, &parts.headers).await?;
    if !session.is_admin {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "Not allowed",
            "Only administrators can reset passwords.",
        ));
    }
    if !sessions::carries_csrf_token(&parts.headers, &session) {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "CSRF token missing or wrong",
            "The request must carry the X-CSRF-Token header with the token of your session (from GET /api/session). Reload the page and try again.",
        ));
    }
    Ok(session)
}
