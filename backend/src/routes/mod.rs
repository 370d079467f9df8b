//! The HTTP surface: the JSON API under `/api`, the demo outbox page, the
//! built widget under `/static/reset-widget/` and the sample intranet page
//! (with its sign-in page) for everything else.
//!
//! `POST /api/password-resets`, `POST /api/session/step-up` and the
//! test-mode `/api/test/*` endpoints require an administrator's session
//! with the CSRF token (a reset of an administrator also a recent step-up,
//! see `step_up.rs`),
//! `POST /api/password-changes` any session with its CSRF token; the
//! outbox (`/outbox`, `GET /api/outbox`), the audit trail (`/audit`,
//! `GET /api/audit`) and the directory listing (`GET /api/users`) an
//! administrator's session; `/api/sign-in` and password recovery need none. A session whose user
//! must change their password gets 403 from everything but
//! `/api/session` and `/api/password-changes` (`auth::password_change_guard`).

pub mod audit;
pub mod auth;
pub mod fault_injection;
pub mod outbox;
pub mod own_password;
pub mod password_changes;
pub mod password_policy;
pub mod recovery;
pub mod replay;
pub mod resets;
pub mod session;
pub mod sign_in;
pub mod step_up;
pub mod test_support;
pub mod users;

#[cfg(test)]
mod redaction_tests;

use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, Request};
use axum::middleware::{from_fn_with_state, map_response};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tower_http::services::ServeDir;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_http::LatencyUnit;
use tracing::Level;

use crate::config::Config;
use crate::passwords::HashPermit;
use crate::problem::{self, Problem};
use crate::state::AppState;

/// Largest accepted API request body. 40 resets of 256 four-byte
/// characters are about 45 KiB.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The policy the sample page (and the widget in it) must work under: no
/// inline script or style anywhere. `wasm-unsafe-eval` lets the page
/// compile the widget's WebAssembly; nothing else is relaxed.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub fn router(state: AppState, config: &Config) -> Router {
    // Test mode wraps the reset handler in the fault injector.
    let create_reset = if state.test_mode {
        post(fault_injection::create_reset)
    } else {
        post(resets::create)
    };
    let mut api = Router::new()
        .route("/password-resets", create_reset)
        .route(
            "/session",
            post(session::create)
                .get(session::read)
                .delete(session::delete),
        )
        .route("/session/step-up", post(step_up::create))
        .route("/sign-in", post(sign_in::sign_in))
        .route("/password-changes", post(password_changes::create))
        .route("/password-recovery/codes", post(recovery::codes))
        .route(
            "/password-recovery/verifications",
            post(recovery::verifications),
        )
        .route(
            "/password-recovery/completions",
            post(recovery::completions),
        )
        .route("/password-policy", get(password_policy::show))
        .route(
            "/password-policy/blocklist",
            get(password_policy::blocklist),
        )
        .route("/users", get(users::list))
        .route("/outbox", get(outbox::list))
        .route("/audit", get(audit::list));
    if state.test_mode {
        api = api
            .route(
                "/test/faults",
                post(test_support::arm_fault).delete(test_support::disarm_faults),
            )
            .route("/test/resets", get(test_support::resets))
            .route("/test/users", post(test_support::create_user));
    }
    let api = api
        .fallback(problem::api_not_found)
        .method_not_allowed_fallback(problem::api_method_not_allowed)
        .layer(from_fn_with_state(
            state.clone(),
            auth::password_change_guard,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(map_response(no_store));

    let mut site = Router::new()
        .nest("/api", api)
        .route("/outbox", get(outbox::page))
        .route("/audit", get(audit::page))
        .nest_service("/static/reset-widget", ServeDir::new(&config.dist_dir))
        .fallback_service(ServeDir::new(&config.www_dir))
        .layer(map_response(security_headers));
    if state.test_mode {
        site = site.layer(map_response(close_connection));
    }
    site
        .layer(
            // One line per request: method, path, status, latency. Never
            // bodies, query strings or header values.
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<Body>| {
                    tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
                })
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO).latency_unit(LatencyUnit::Millis)),
        )
        .with_state(state)
}

/// A permit to run Argon2 for this request (hold it until the hashing is
/// done), or at once 503 with `Retry-After: 1` when every permit is taken:
/// queueing would let a flood of requests pile up 19 MiB hashes.
pub fn hash_permit(state: &AppState) -> Result<HashPermit, Problem> {
    state.hash_permits.try_acquire().ok_or_else(|| {
        tracing::warn!("request refused: every Argon2 permit is taken");
        Problem::server_busy()
    })
}

/// API answers are per-request facts (and may describe a reset): never cache.
async fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Test mode only: one request per connection. A browser silently resends
/// a request whose *reused* keep-alive connection died before any byte of
/// the answer came back (Chromium does, for a POST too), so without this
/// the `drop-response` fault would be retried by the browser itself and the
/// page would never see it. On a fresh connection the failure reaches the
/// page, as a crashed proxy's would.
async fn close_connection(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    response
}
