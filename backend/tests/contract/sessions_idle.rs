//! A session ends after `--session-idle-minutes` without a request (30 by
//! default) as well as 8 hours after sign-in; its use is recorded at most
//! once a minute. Off a loopback address the cookie is
//! `__Host-reset_session`, `Secure`, and the only one read.

use axum::body::Body;
use axum::http::Method;
use reset_backend::config::DEMO_ADMIN_PASSWORD;
use reset_backend::sessions;

use crate::common::{Auth, TestApp, TestResponse};

async fn get_session(app: &TestApp, cookie: &str) -> TestResponse {
    app.request(
        Method::GET,
        "/api/session",
        &[("cookie", cookie)],
        Body::empty(),
    )
    .await
}

/// Sets every session's last use `ago` (an SQLite modifier: `-31 minutes`).
fn last_used(app: &TestApp, ago: &str) {
    let conn = app.state.db.lock().unwrap();
    conn.execute(
        &format!(
            "UPDATE sessions SET last_seen_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '{ago}')"
        ),
        [],
    )
    .unwrap();
}

fn last_seen_secs_ago(app: &TestApp, auth: &Auth) -> f64 {
    let token = auth.cookie.split_once('=').unwrap().1;
    let conn = app.state.db.lock().unwrap();
    conn.query_row(
        "SELECT (julianday('now') - julianday(last_seen_at)) * 86400 FROM sessions WHERE token_hash = ?1",
        [sessions::token_hash(token)],
        |row| row.get(0),
    )
    .unwrap()
}

#[tokio::test]
async fn a_session_idle_for_30_minutes_is_over() {
    let app = TestApp::new();
    assert_eq!(get_session(&app, &app.admin.cookie).await.status, 200);
    last_used(&app, "-29 minutes");
    assert_eq!(get_session(&app, &app.admin.cookie).await.status, 200);
    // That request was a use: the session lives on.
    assert!(last_seen_secs_ago(&app, &app.admin) < 5.0);
    last_used(&app, "-31 minutes");
    let over = get_session(&app, &app.admin.cookie).await;
    assert_eq!(over.problem(401)["title"], "Sign-in required");
    assert!(over.set_cookie().starts_with("reset_session=;"));
    // Every other API sees it too.
    assert_eq!(
        app.reset(&crate::common::reset_body(&["u-1042"], "Idle-Test-Pass-12"))
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn a_use_is_recorded_at_most_once_a_minute() {
    let app = TestApp::new();
    last_used(&app, "-30 seconds");
    let before = last_seen_secs_ago(&app, &app.admin);
    assert_eq!(get_session(&app, &app.admin.cookie).await.status, 200);
    let after = last_seen_secs_ago(&app, &app.admin);
    assert!(after >= before, "not written: {before} then {after}");
    last_used(&app, "-61 seconds");
    assert_eq!(get_session(&app, &app.admin.cookie).await.status, 200);
    assert!(last_seen_secs_ago(&app, &app.admin) < 5.0);
}

#[tokio::test]
async fn the_idle_timeout_is_configurable() {
    let app = TestApp::with_config(|config| config.session_idle_minutes = 5);
    last_used(&app, "-4 minutes");
    assert_eq!(get_session(&app, &app.admin.cookie).await.status, 200);
    last_used(&app, "-6 minutes");
    assert_eq!(get_session(&app, &app.admin.cookie).await.status, 401);
}

#[tokio::test]
async fn off_loopback_the_cookie_is_host_prefixed_and_secure() {
    let app = TestApp::with_config(|config| {
        config.addr = "0.0.0.0:8080".to_owned();
        config.test_mode = false; // refused beyond loopback
    });
    let response = app.start_session("u-1001", DEMO_ADMIN_PASSWORD).await;
    assert_eq!(response.status, 200, "{}", response.text());
    let set_cookie = response.set_cookie();
    let (pair, attributes) = set_cookie.split_once("; ").unwrap();
    let (name, token) = pair.split_once('=').unwrap();
    assert_eq!(name, "__Host-reset_session");
    assert_eq!(
        attributes,
        "HttpOnly; SameSite=Strict; Path=/; Max-Age=28800; Secure"
    );
    assert!(!set_cookie.to_ascii_lowercase().contains("domain"));

    assert_eq!(
        get_session(&app, &format!("__Host-reset_session={token}"))
            .await
            .status,
        200
    );
    // A cookie without the prefix (one a sibling subdomain could set) is
    // not read.
    let plain = get_session(&app, &format!("reset_session={token}")).await;
    assert_eq!(plain.status, 401);
    let out = app
        .request(
            Method::DELETE,
            "/api/session",
            &[("cookie", &format!("__Host-reset_session={token}"))],
            Body::empty(),
        )
        .await;
    assert_eq!(
        out.set_cookie(),
        "__Host-reset_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0; Secure"
    );
}

#[tokio::test]
async fn on_loopback_https_gets_the_host_prefixed_cookie() {
    let app = TestApp::new();
    let body = serde_json::json!({ "userId": "u-1001", "password": DEMO_ADMIN_PASSWORD });
    let response = app
        .post_raw(
            "/api/session",
            &[
                ("content-type", "application/json"),
                ("x-forwarded-proto", "https"),
            ],
            body.to_string(),
        )
        .await;
    assert_eq!(response.status, 200);
    assert!(response.set_cookie().starts_with("__Host-reset_session="));
    assert!(response.set_cookie().ends_with("; Secure"));
}
