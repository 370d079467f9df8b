//! Who is asking, as extractors: a handler that needs a signed-in user or an
//! administrator says so in its arguments, and a refused request never
//! reaches its body (axum runs these before the body is read). And the one
//! rule for every API request: a session whose user must change their
//! password may do nothing else ([`password_change_guard`]).

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::problem::Problem;
use crate::sessions::{self, Session};
use crate::state::AppState;

/// The peer address of the connection (`None` when the server was not
/// started with connect info, as in tests that call the router directly).
pub struct ClientAddress(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(ClientAddress(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(address)| address.ip()),
        ))
    }
}

/// The live session of the request's cookie; else 401 "Sign-in required".
/// Take `Result<SignedIn, Problem>` to handle "not signed in" yourself.
#[derive(Debug)]
pub struct SignedIn(pub Session);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        sessions::current(&state.db, &state.directory, &parts.headers, &state.cookies)
            .await
            .map(SignedIn)
    }
}

/// What a state-changing request of any signed-in user (a password change)
/// must show, in this order: a live session (401) and its CSRF token in
/// [`sessions::CSRF_HEADER`] (403 "CSRF token missing or wrong"). A
/// must-change session passes.
#[derive(Debug)]
pub struct SignedInWithCsrf(pub Session);

impl FromRequestParts<AppState> for SignedInWithCsrf {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let session =
            sessions::current(&state.db, &state.directory, &parts.headers, &state.cookies).await?;
        if !sessions::carries_csrf_token(&parts.headers, &session) {
            tracing::warn!("request refused: CSRF token missing or wrong");
            return Err(csrf_refused());
        }
        Ok(SignedInWithCsrf(session))
    }
}

/// What a state-changing administrator request (the password reset) must
/// show, checked in this order and before anything else: a live session
/// (401), of an administrator (403 "Not allowed"), the session's CSRF
/// token in [`sessions::CSRF_HEADER`] (403 "CSRF token missing or wrong"),
/// and no password change pending (403 [`PASSWORD_CHANGE_REQUIRED`]; the
/// [`password_change_guard`] leaves the reset to this extractor, so a
/// must-change user who is no administrator still hears "Not allowed").
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

/// What a read-only administrator page or API (`GET /outbox`,
/// `GET /api/outbox`, `GET /api/audit`) must show: a live session (401) of
/// an administrator (403 "Not allowed"). No CSRF token: a GET changes
/// nothing, and a page load cannot send the header. Under `/api` the
/// [`password_change_guard`] refuses a must-change session first.
#[derive(Debug)]
pub struct AdminReader(pub Session);

impl FromRequestParts<AppState> for AdminReader {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let session =
            sessions::current(&state.db, &state.directory, &parts.headers, &state.cookies).await?;
        if !session.is_admin {
            tracing::warn!("administrator page refused: not an administrator");
            return Err(Problem::new(
                StatusCode::FORBIDDEN,
                "Not allowed",
                "Only administrators can see this.",
            ));
        }
        // The pages too (the guard covers `/api` only): a temporary password
        // opens nothing but the change.
        if session.must_change_password {
            return Err(password_change_required());
        }
        Ok(AdminReader(session))
    }
}

async fn admin_with_csrf(parts: &Parts, state: &AppState) -> Result<Session, Problem> {
    let session =
        sessions::current(&state.db, &state.directory, &parts.headers, &state.cookies).await?;
    if !session.is_admin {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "Not allowed",
            "Only administrators can reset passwords.",
        ));
    }
    if !sessions::carries_csrf_token(&parts.headers, &session) {
        return Err(csrf_refused());
    }
    if session.must_change_password {
        return Err(password_change_required());
    }
    Ok(session)
}

fn csrf_refused() -> Problem {
    Problem::new(
        StatusCode::FORBIDDEN,
        "CSRF token missing or wrong",
        "The request must carry the X-CSRF-Token header with the token of your session (from GET /api/session). Reload the page and try again.",
    )
}

/// The `type` of the 403 a must-change session gets from every other API.
pub const PASSWORD_CHANGE_REQUIRED: &str = "/problems/password-change-required";

pub fn password_change_required() -> Problem {
    Problem::new(
        StatusCode::FORBIDDEN,
        "Password change required",
        "You signed in with a temporary password. Change your password before you do anything else.",
    )
    .with_type(PASSWORD_CHANGE_REQUIRED)
}

/// What a must-change session may still do, by method and path under
/// `/api`: read or end itself, sign in afresh (which ends it), change the
/// password; and the test-mode endpoints, which are the tests' and not the
/// API's.
fn allowed_while_change_required(method: &Method, path: &str) -> bool {
    // Nested under `/api`, the layer sees the path without it; both work.
    let path = path.strip_prefix("/api").unwrap_or(path);
    matches!(
        (method, path),
        (&Method::GET | &Method::DELETE | &Method::POST, "/session")
            | (&Method::POST, "/password-changes")
    ) || path.starts_with("/test/")
        // The change form reads the policy it must meet.
        || (method == Method::GET && path.starts_with("/password-policy"))
}

/// Endpoints whose extractor applies the rule itself, after its own checks
/// ([`AdminSession`]).
fn checked_by_extractor(path: &str) -> bool {
    path.strip_prefix("/api").unwrap_or(path) == "/password-resets"
}

/// A layer over `/api`: a request whose cookie is a live must-change
/// session gets 403 [`PASSWORD_CHANGE_REQUIRED`] unless
/// [`allowed_while_change_required`] (or [`checked_by_extractor`]).
/// Requests without a session (or with an expired one) pass untouched:
/// each handler decides about those.
pub async fn password_change_guard(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if state.cookies.token(request.headers()).is_some()
        && !allowed_while_change_required(request.method(), request.uri().path())
        && !checked_by_extractor(request.uri().path())
    {
        match sessions::current(
            &state.db,
            &state.directory,
            request.headers(),
            &state.cookies,
        )
        .await
        {
            Ok(session) if session.must_change_password => {
                tracing::info!("request refused: a password change is required first");
                return password_change_required().into_response();
            }
            _ => {}
        }
    }
    next.run(request).await
}
