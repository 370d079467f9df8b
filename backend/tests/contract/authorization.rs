//! Who may reset: a live session (401), of an administrator (403), with
//! the session's CSRF token (403). Checked before anything else, and a
//! refused request changes no password.

use serde_json::{json, Value};

use crate::common::{reset_body, Auth, TestApp, TestResponse};

const ATTEMPTED: &str = "Attempted-Pass-Word-77";
const DIANE_PASSWORD: &str = "Known-Harbour-Pass-64";

/// A refused reset: this problem, nothing reset, nothing mailed, and the
/// attempted password does not sign the target in.
async fn assert_refused(app: &TestApp, response: &TestResponse, status: u16, title: &str) -> Value {
    let problem = response.problem(status);
    assert_eq!(problem["title"], title, "{problem}");
    assert!(!response.text().contains(ATTEMPTED));
    assert_eq!(app.resets_of("u-1043").await.0, 0);
    assert!(app.outbox().await.is_empty());
    assert_eq!(
        app.sign_in("u-1043", ATTEMPTED).await.status,
        401,
        "the attempted password must not work"
    );
    problem
}

fn attempt() -> String {
    reset_body(&["u-1043"], ATTEMPTED).to_string()
}

const JSON: (&str, &str) = ("content-type", "application/json");

/// Signs Diane (not an admin) in for real, after the admin set her password.
async fn diane(app: &TestApp) -> Auth {
    assert_eq!(
        app.reset(&reset_body(&["u-1042"], DIANE_PASSWORD))
            .await
            .status,
        200
    );
    app.sqlite().execute("DELETE FROM outbox", []).unwrap();
    let response = app.start_session("u-1042", DIANE_PASSWORD).await;
    assert_eq!(response.status, 200, "{}", response.text());
    let token = response.set_cookie().split(';').next().unwrap().to_owned();
    Auth {
        cookie: token,
        csrf_token: response.json()["csrfToken"].as_str().unwrap().to_owned(),
    }
}

#[tokio::test]
async fn no_session_is_a_401() {
    let app = TestApp::new();
    let response = app
        .post_raw("/api/password-resets", &[JSON], attempt())
        .await;
    let problem = assert_refused(&app, &response, 401, "Sign-in required").await;
    assert_eq!(
        problem["detail"],
        "Your session has expired or you are not signed in."
    );
    assert_eq!(response.header("cache-control"), "no-store");

    // The CSRF token alone is not a session.
    let csrf_only = app
        .post_raw(
            "/api/password-resets",
            &[JSON, ("x-csrf-token", &app.admin.csrf_token)],
            attempt(),
        )
        .await;
    assert_refused(&app, &csrf_only, 401, "Sign-in required").await;
}

#[tokio::test]
async fn a_non_admin_session_is_a_403() {
    let app = TestApp::new();
    let diane = diane(&app).await;
    let response = app.reset_as(&diane, &[JSON], attempt()).await;
    let problem = assert_refused(&app, &response, 403, "Not allowed").await;
    assert_eq!(
        problem["detail"],
        "Only administrators can reset passwords."
    );

    // Not even her own password.
    let own = app
        .reset_as(
            &diane,
            &[JSON],
            reset_body(&["u-1042"], ATTEMPTED).to_string(),
        )
        .await;
    own.problem(403);
    assert_eq!(app.sign_in("u-1042", ATTEMPTED).await.status, 401);
    assert_eq!(app.sign_in("u-1042", DIANE_PASSWORD).await.status, 200);
}

#[tokio::test]
async fn a_missing_or_wrong_csrf_token_is_a_403() {
    let app = TestApp::new();
    let missing = app
        .post_raw(
            "/api/password-resets",
            &[JSON, ("cookie", &app.admin.cookie)],
            attempt(),
        )
        .await;
    let problem = assert_refused(&app, &missing, 403, "CSRF token missing or wrong").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("X-CSRF-Token"),
        "{problem}"
    );

    let mut wrong = app.admin.clone();
    wrong.csrf_token = reset_backend::sessions::new_token();
    let response = app.reset_as(&wrong, &[JSON], attempt()).await;
    assert_refused(&app, &response, 403, "CSRF token missing or wrong").await;

    // Another session's token does not fit this one.
    let mut crossed = app.admin.clone();
    crossed.csrf_token = TestApp::session_in_db(&app.state, "u-1001").csrf_token;
    let response = app.reset_as(&crossed, &[JSON], attempt()).await;
    assert_refused(&app, &response, 403, "CSRF token missing or wrong").await;

    let mut empty = app.admin.clone();
    empty.csrf_token = String::new();
    let response = app.reset_as(&empty, &[JSON], attempt()).await;
    assert_refused(&app, &response, 403, "CSRF token missing or wrong").await;

    // The right token works (the same request).
    assert_eq!(app.post_reset(&[JSON], attempt()).await.status, 200);
    assert_eq!(app.sign_in("u-1043", ATTEMPTED).await.status, 200);
}

#[tokio::test]
async fn the_checks_come_before_validation_replay_and_faults() {
    let app = TestApp::new();
    let key = [JSON, ("idempotency-key", "auth-order-key")];

    // Before validation: an invalid body still gets 401, not 400/415/422.
    let no_session = [
        app.post_raw("/api/password-resets", &[JSON], "{not json")
            .await,
        app.post_raw("/api/password-resets", &[], "{}").await,
        app.post_raw(
            "/api/password-resets",
            &[JSON],
            reset_body(&["u-1043"], "short").to_string(),
        )
        .await,
    ];
    for response in &no_session {
        assert_eq!(response.problem(401)["title"], "Sign-in required");
    }

    // Before the idempotency replay: a stored answer is not handed out.
    let first = app.post_reset(&key, attempt()).await;
    assert_eq!(first.status, 200);
    let replay = app.post_raw("/api/password-resets", &key, attempt()).await;
    replay.problem(401);
    assert_eq!(replay.header("idempotent-replayed"), "");
    assert!(!replay.text().contains("results"));

    // Before fault injection: refused requests do not use up an armed fault.
    let diane = diane(&app).await;
    app.arm(json!({ "fault": "status", "status": 503, "times": 1 }))
        .await;
    app.post_raw("/api/password-resets", &[JSON], attempt())
        .await
        .problem(401);
    app.reset_as(&diane, &[JSON], attempt()).await.problem(403);
    app.post_raw(
        "/api/password-resets",
        &[JSON, ("cookie", &app.admin.cookie)],
        attempt(),
    )
    .await
    .problem(403);
    let faulted = app.reset(&reset_body(&["u-1044"], ATTEMPTED)).await;
    faulted.problem(503);
    assert_eq!(
        app.reset(&reset_body(&["u-1044"], ATTEMPTED)).await.status,
        200
    );
}

#[tokio::test]
async fn idempotency_ignores_the_session_and_csrf_token() {
    let app = TestApp::new();
    let key = [JSON, ("idempotency-key", "session-independent-key")];
    let first = app.post_reset(&key, attempt()).await;
    assert_eq!(first.status, 200, "{}", first.text());

    // The same admin signs in again (new cookie, new CSRF token) and
    // retries: the stored answer, byte for byte, and no second reset.
    let again = TestApp::session_in_db(&app.state, "u-1001");
    let replay = app.reset_as(&again, &key, attempt()).await;
    assert_eq!(replay.status, 200);
    assert_eq!(replay.header("idempotent-replayed"), "true");
    assert_eq!(replay.body, first.body);
    assert_eq!(
        app.resets_of("u-1043").await,
        (1, vec!["session-independent-key".to_owned()])
    );
    // What is stored is the request's hash and the answer: no session data.
    let (hash, body): (String, String) = app
        .sqlite()
        .query_row(
            // The record's key is scoped to the admin who sent it.
            "SELECT request_hash, body FROM idempotency WHERE key = 'reset u-1001 session-independent-key'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    for secret in [&app.admin.csrf_token, &again.csrf_token] {
        assert!(!hash.contains(secret.as_str()) && !body.contains(secret.as_str()));
    }

    // A different request under the same key is still a 422.
    let other = app
        .reset_as(
            &again,
            &key,
            reset_body(&["u-1043"], "Different-Pass-Word-1").to_string(),
        )
        .await;
    assert_eq!(other.status, 422);
}
