//! Fault injection (test mode only). The connection-drop fault is tested
//! over real TCP in `end_to_end.rs`.

use std::time::{Duration, Instant};

use axum::http::Method;
use serde_json::json;

use crate::common::{reset_body, TestApp};

const PASSWORD: &str = "Copper-Meadow-Signal-8";

#[tokio::test]
async fn a_status_fault_answers_problem_json_and_resets_nothing() {
    let app = TestApp::new();
    app.arm(json!({ "fault": "status", "status": 503, "times": 1 }))
        .await;

    let response = app
        .reset_with_key(&reset_body(&["u-1042"], PASSWORD), "retry-me")
        .await;
    let problem = response.problem(503);
    assert_eq!(
        problem["detail"],
        "The directory service is temporarily unavailable."
    );
    assert_eq!(response.header("cache-control"), "no-store");
    assert_eq!(app.resets_of("u-1042").await.0, 0);
    assert!(app.outbox().await.is_empty());

    // `times` is used up: the retry (same key) goes through.
    let retry = app
        .reset_with_key(&reset_body(&["u-1042"], PASSWORD), "retry-me")
        .await;
    assert_eq!(retry.status, 200);
    assert_eq!(retry.header("idempotent-replayed"), "");
    assert_eq!(app.resets_of("u-1042").await.0, 1);
}

#[tokio::test]
async fn test_mode_answers_one_request_per_connection() {
    // A browser silently resends a request that failed on a reused
    // keep-alive connection, which would hide the drop-response fault.
    let app = TestApp::new();
    for path in ["/api/users", "/", "/api/nope"] {
        assert_eq!(app.get(path).await.header("connection"), "close", "{path}");
    }
}

#[tokio::test]
async fn a_status_fault_can_carry_retry_after() {
    let app = TestApp::new();
    app.arm(json!({ "fault": "status", "status": 503, "retryAfter": 2 }))
        .await;
    let response = app.reset(&reset_body(&["u-1042"], PASSWORD)).await;
    response.problem(503);
    assert_eq!(response.header("retry-after"), "2");
    app.arm(json!({ "fault": "status", "status": 429 })).await;
    let response = app.reset(&reset_body(&["u-1042"], PASSWORD)).await;
    response.problem(429);
    assert_eq!(response.header("retry-after"), "", "only when asked for");
}

#[tokio::test]
async fn times_counts_requests_and_other_statuses_work() {
    let app = TestApp::new();
    app.arm(json!({ "fault": "status", "status": 500, "times": 2 }))
        .await;
    let body = reset_body(&["u-1042"], PASSWORD);
    app.reset(&body).await.problem(500);
    app.reset(&body).await.problem(500);
    assert_eq!(app.reset(&body).await.status, 200);
}

#[tokio::test]
async fn an_html_fault_answers_a_login_page_and_resets_nothing() {
    let app = TestApp::new();
    app.arm(json!({ "fault": "html", "times": 1 })).await;
    let response = app.reset(&reset_body(&["u-1042"], PASSWORD)).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), "text/html; charset=utf-8");
    let text = response.text();
    assert!(
        text.contains("<html>") && text.contains("</html>"),
        "{text}"
    );
    assert_eq!(app.resets_of("u-1042").await.0, 0);
    assert_eq!(app.sign_in("u-1042", PASSWORD).await.status, 401);
}

#[tokio::test]
async fn a_delay_fault_waits_then_proceeds() {
    let app = TestApp::new();
    app.arm(json!({ "fault": "delay", "ms": 400, "times": 1 }))
        .await;
    let started = Instant::now();
    let response = app.reset(&reset_body(&["u-1042"], PASSWORD)).await;
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(response.status, 200);
    assert_eq!(app.resets_of("u-1042").await.0, 1);
}

#[tokio::test]
async fn delete_disarms() {
    let app = TestApp::new();
    app.arm(json!({ "fault": "status", "status": 503, "times": 5 }))
        .await;
    let response = app
        .request(
            Method::DELETE,
            "/api/test/faults",
            &app.admin.headers(),
            Default::default(),
        )
        .await;
    assert_eq!(response.status, 204);
    assert_eq!(
        app.reset(&reset_body(&["u-1042"], PASSWORD)).await.status,
        200
    );
}

#[tokio::test]
async fn bad_fault_requests_are_refused() {
    let app = TestApp::new();
    app.post_json_as(
        &app.admin,
        "/api/test/faults",
        &json!({ "fault": "explode" }),
    )
    .await
    .problem(400);
    app.post_json_as(
        &app.admin,
        "/api/test/faults",
        &json!({ "fault": "status", "status": 200 }),
    )
    .await
    .problem(422);
    app.post_json_as(
        &app.admin,
        "/api/test/faults",
        &json!({ "fault": "html", "times": 0 }),
    )
    .await
    .problem(422);
}

#[tokio::test]
async fn test_endpoints_do_not_exist_outside_test_mode() {
    let app = TestApp::with_config(|config| config.test_mode = false);
    app.post_json_as(&app.admin, "/api/test/faults", &json!({ "fault": "html" }))
        .await
        .problem(404);
    app.get_as(&app.admin, "/api/test/resets?userId=u-1042")
        .await
        .problem(404);
    app.post_json_as(
        &app.admin,
        "/api/test/users",
        &json!({ "id": "u-5000", "name": "Nova Reyes", "email": "nova.reyes@contoso.com" }),
    )
    .await
    .problem(404);
    // Keep-alive as usual (test mode closes every connection, see routes/mod.rs).
    assert_eq!(app.get("/api/users").await.header("connection"), "");
    // And the reset endpoint behaves normally.
    assert_eq!(
        app.reset(&reset_body(&["u-1042"], PASSWORD)).await.status,
        200
    );
}
