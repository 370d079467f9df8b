//! Who is asking, as extractors: a handler that needs a signed-in user or an
//! administrator says so in its arguments, and a refused request never
//! reaches its body (axum runs these before the body is read). And the one
//! rule for every API request: a session whose user must change their
//! password may do nothing else ([`password_change_guard`]).

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, Method, StatusCode};
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

/// [`sessions::current`]'s answer for this request, kept in its
/// extensions: the guard and the extractors ask the directory once.
#[derive(Clone)]
struct Current(Result<Session, Problem>);

/// The request's session ([`sessions::current`]), asked at most once per
/// request.
async fn current_session(
    extensions: &mut Extensions,
    headers: &HeaderMap,
    state: &AppState,
) -> Result<Session, Problem> {
    if let Some(Current(answer)) = extensions.get::<Current>() {
        return answer.clone();
    }
    let answer = sessions::current(&state.db, &state.directory, headers, &state.cookies).await;
    extensions.insert(Current(answer.clone()));
    answer
}

async fn session_of(parts: &mut Parts, state: &AppState) -> Result<Session, Problem> {
    current_session(&mut parts.extensions, &parts.headers, state).await
}

/// The live session of the request's cookie; else 401 "Sign-in required"
/// (or the directory's 503). Take `Result<SignedIn, Problem>` to handle
/// "not signed in" yourself.
#[derive(Debug)]
pub struct SignedIn(pub Session);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        session_of(parts, state).await.map(SignedIn)
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
        let session = session_of(parts, state).await?;
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
/// `GET /api/outbox`, `GET /api/audit`, `GET /api/users`) must show: a live session (401) of
/// an administrator (403 "Not allowed"). No CSRF token: a GET changes
/// nothing, and a page load cannot send the header. Under `/api` the
/// [`password_change_guard`] refuses a must-change session first.
#[derive(Debug)]
pub struct AdminReader(pub Session);

impl FromRequestParts<AppState> for AdminReader {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let session = session_of(parts, state).await?;
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

async fn admin_with_csrf(parts: &mut Parts, state: &AppState) -> Result<Session, Problem> {
    let session = session_of(parts, state).await?;
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
/// each handler decides about those. Fails closed: when whether the
/// session must change cannot be told (the directory does not answer),
/// the request gets that problem (503) and goes no further.
pub async fn password_change_guard(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if state.cookies.token(request.headers()).is_none()
        || allowed_while_change_required(request.method(), request.uri().path())
        || checked_by_extractor(request.uri().path())
    {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    match session_of(&mut parts, &state).await {
        Ok(session) if session.must_change_password => {
            tracing::info!("request refused: a password change is required first");
            return password_change_required().into_response();
        }
        Ok(_) => {}
        Err(problem) if problem.status == StatusCode::UNAUTHORIZED.as_u16() => {}
        Err(problem) => {
            tracing::warn!(title = %problem.title, "request refused: the session could not be checked");
            return problem.into_response();
        }
    }
    next.run(Request::from_parts(parts, body)).await
}
