//! `/api/session`: the administrator's sign-in for the sample page.
//!
//! - `POST {"userId","password"}` → 200 `{"userId","name","isAdmin","csrfToken"}`
//!   and `Set-Cookie: __Host-reset_session=…; HttpOnly; SameSite=Strict; Path=/; Max-Age=28800; Secure`
//!   (`reset_session=…` without `Secure` over plain HTTP on a loopback
//!   address, see `sessions.rs`). Wrong credentials: 401 "Sign-in failed";
//!   too many failures for the user id or from the client address: 429
//!   with `Retry-After` (the limits are shared with `/api/sign-in`); every
//!   Argon2 permit taken: 503 with `Retry-After: 1`. Any user may sign in;
//!   only an administrator's session may reset passwords.
//! - `GET` → the same JSON for a live session, else 401 "Sign-in required".
//! - `DELETE` → 204 and a `Set-Cookie` that removes the cookie; the
//!   session ends on the server too. Idempotent: fine without a session.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::db;
use crate::json_body;
use crate::problem::Problem;
use crate::routes::auth::ClientAddress;
use crate::routes::auth::SignedIn;
use crate::routes::sign_in::{verify_credentials, SignInRequest};
use crate::sessions::{self, Session};
use crate::state::AppState;

pub async fn create(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let SignInRequest { user_id, password } = json_body::parse(&headers, body)?;
    let verified = verify_credentials(&state, &user_id, password, client).await?;
    // A new session every time; the one the browser had (if any) ends.
    let previous = state.cookies.token(&headers);
    let (token, session) = db::call(&state.db, move |conn| {
        if let Some(previous) = previous {
            sessions::delete(conn, &previous)?;
        }
        sessions::create_for(conn, &verified.user, verified.must_change)
    })
    .await?;
    tracing::info!(user_id = %session.user_id, admin = session.is_admin, "session started");
    let mut response = Json(session).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        state.cookies.set_cookie(&token, &headers),
    );
    Ok(response)
}

pub async fn read(
    State(state): State<AppState>,
    signed_in: Result<SignedIn, Problem>,
    headers: HeaderMap,
) -> Response {
    match signed_in {
        Ok(SignedIn(session)) => Json::<Session>(session).into_response(),
        Err(problem) => {
            let over = problem.status == 401;
            let mut response = problem.into_response();
            if over && state.cookies.token(&headers).is_some() {
                // A cookie of a session that is over: drop it (not when the
                // directory could not say whether it must change: a 503).
                response
                    .headers_mut()
                    .insert(header::SET_COOKIE, state.cookies.clear_cookie(&headers));
            }
            response
        }
    }
}

pub async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    if let Some(token) = state.cookies.token(&headers) {
        db::call(&state.db, move |conn| sessions::delete(conn, &token)).await?;
        tracing::info!("session ended");
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, state.cookies.clear_cookie(&headers))],
    )
        .into_response())
}
