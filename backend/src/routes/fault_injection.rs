//! Test mode's `POST /api/password-resets`: the production handler
//! ([`resets::create`]) wrapped by the fault injector (see `faults.rs`), so
//! end-to-end tests can make the directory fail the way real networks and
//! proxies do. Only `router` in test mode routes the reset here; the
//! production handler knows nothing of faults.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::faults::Fault;
use crate::problem::Problem;
use crate::routes::auth::{AdminSession, ClientAddress};
use crate::routes::resets;
use crate::state::AppState;

/// Takes the armed fault only once [`AdminSession`] has let the request
/// through (a refused request never reaches the injector), then answers in
/// its place, delays it, or lets it run and drops the connection after.
pub async fn create_reset(
    State(state): State<AppState>,
    admin: AdminSession,
    client: ClientAddress,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let fault = state.faults.take();
    match fault {
        Some(Fault::Status(status, retry_after)) => {
            return injected_status(status, retry_after).into_response()
        }
        Some(Fault::Html) => return injected_login_page(),
        Some(Fault::Delay(duration)) => tokio::time::sleep(duration).await,
        Some(Fault::DropResponse) | None => {}
    }

    let response = resets::create(State(state), admin, client, headers, body)
        .await
        .into_response();

    if fault == Some(Fault::DropResponse) {
        tracing::warn!("fault: dropping the connection instead of answering");
        return dropped_connection();
    }
    response
}

fn injected_status(status: u16, retry_after: Option<u64>) -> Problem {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let title = code.canonical_reason().unwrap_or("Error");
    let detail = if code == StatusCode::SERVICE_UNAVAILABLE {
        "The directory service is temporarily unavailable."
    } else {
        "The server failed on purpose (injected fault). Nothing was changed."
    };
    let problem = Problem::new(code, title, detail);
    match retry_after {
        Some(seconds) => problem.with_retry_after(seconds),
        None => problem,
    }
}

/// What a client sees when an SSO proxy intercepts the call.
fn injected_login_page() -> Response {
    const PAGE: &str = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\
                        <body><h1>Sign in to Contoso</h1><p>Your session has expired.</p></body></html>\n";
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE).into_response()
}

/// A response whose body fails before anything is written: hyper then
/// closes the connection without a status line, so the client sees a
/// network error — what a crashed proxy looks like. (A panic would work
/// too, but the release profile aborts on panic.)
fn dropped_connection() -> Response {
    Response::new(Body::new(FailingBody))
}

struct FailingBody;

impl HttpBody for FailingBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, io::Error>>> {
        Poll::Ready(Some(Err(io::Error::other("drop-response fault"))))
    }
}
