//! Issue 14, "What the backend exposes": the directory and the outbox
//! need an administrator's session, and the test-mode endpoints an
//! administrator's session with its CSRF token; test mode is a flag only,
//! and only on a loopback address.

use std::process::{Command, Stdio};

use axum::body::Body;
use axum::http::Method;
use serde_json::json;

use crate::common::{repo_dir, TestApp};

#[tokio::test]
async fn the_directory_needs_an_administrator() {
    let app = TestApp::new();
    let refused = app.get("/api/users").await;
    assert_eq!(refused.problem(401)["title"], "Sign-in required");
    let lee = TestApp::session_in_db(&app.state, "u-1044");
    let refused = app.get_as(&lee, "/api/users").await;
    assert_eq!(
        refused.problem(403)["title"],
        "Not allowed",
        "everyone's e-mail"
    );
    let users = app.get_as(&app.admin, "/api/users").await;
    assert_eq!(users.status, 200);
    assert!(users.text().contains("\"id\":\"u-1042\""));
}

#[tokio::test]
async fn the_outbox_api_needs_an_administrator() {
    let app = TestApp::new();
    app.get("/api/outbox").await.problem(401);
    let lee = TestApp::session_in_db(&app.state, "u-1044");
    assert_eq!(
        app.get_as(&lee, "/api/outbox").await.problem(403)["title"],
        "Not allowed"
    );
    // A GET: the session is enough, no CSRF token needed.
    let outbox = app.get_as(&app.admin, "/api/outbox").await;
    assert_eq!(outbox.status, 200, "{}", outbox.text());
    assert_eq!(outbox.json(), json!([]));
}

#[tokio::test]
async fn the_outbox_page_needs_an_administrator() {
    let app = TestApp::new();
    let anonymous = app.get("/outbox").await;
    assert_eq!(anonymous.status, 401);
    assert!(anonymous.header("content-type").starts_with("text/html"));
    assert!(anonymous
        .text()
        .contains(r#"<a href="/sign-in.html">Sign in</a>"#));
    assert!(!anonymous.text().contains("<ol class=\"outbox\""));

    let lee = TestApp::session_in_db(&app.state, "u-1044");
    let refused = app.get_as(&lee, "/outbox").await;
    assert_eq!(refused.status, 403);
    assert!(refused.text().contains("Only administrators"));
    for page in [&anonymous, &refused] {
        let text = page.text();
        assert!(
            !text.contains("style=") && !text.contains("<script"),
            "{text}"
        );
        assert!(page
            .header("content-security-policy")
            .contains("default-src 'none'"));
    }
    assert_eq!(app.get_as(&app.admin, "/outbox").await.status, 200);
}

#[tokio::test]
async fn test_endpoints_need_an_administrator_and_the_csrf_token() {
    let app = TestApp::new();
    let lee = TestApp::session_in_db(&app.state, "u-1044");
    let fault = json!({ "fault": "html", "times": 1 });
    let user = json!({ "id": "u-5000", "name": "Nova Reyes", "email": "nova@contoso.com" });

    app.post_json("/api/test/faults", &fault).await.problem(401);
    app.post_json("/api/test/users", &user).await.problem(401);
    app.get("/api/test/resets?userId=u-1042").await.problem(401);
    app.request(Method::DELETE, "/api/test/faults", &[], Body::empty())
        .await
        .problem(401);

    let not_admin = app.post_json_as(&lee, "/api/test/faults", &fault).await;
    assert_eq!(not_admin.problem(403)["title"], "Not allowed");
    app.post_json_as(&lee, "/api/test/users", &user)
        .await
        .problem(403);

    // The admin's cookie without the CSRF token.
    let cookie_only = [
        ("content-type", "application/json"),
        ("cookie", app.admin.cookie.as_str()),
    ];
    let no_csrf = app
        .post_raw("/api/test/faults", &cookie_only, fault.to_string())
        .await;
    assert_eq!(no_csrf.problem(403)["title"], "CSRF token missing or wrong");
    app.get_as(&app.admin, "/api/test/resets?userId=u-1042")
        .await
        .problem(403);

    // Nothing was armed or created by the refused requests.
    assert_eq!(
        app.reset(&crate::common::reset_body(
            &["u-1042"],
            "Still-Works-Fine-9"
        ))
        .await
        .status,
        200
    );
    assert!(!app
        .get_as(&app.admin, "/api/users")
        .await
        .text()
        .contains("u-5000"));
    // With both, they work.
    assert_eq!(
        app.post_json_as(&app.admin, "/api/test/users", &user)
            .await
            .status,
        201
    );
}

#[test]
fn test_mode_is_refused_beyond_loopback_and_not_read_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite");
    let output = Command::new(env!("CARGO_BIN_EXE_reset-backend"))
        .args(["--addr", "0.0.0.0:0", "--test-mode"])
        .arg("--db")
        .arg(&db)
        .arg("--www")
        .arg(repo_dir("www"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--test-mode is only allowed on a loopback address"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty(), "it never listened");
    assert!(!db.exists(), "refused before the database was created");
}

#[tokio::test]
async fn without_the_flag_there_are_no_test_endpoints() {
    // `TEST_MODE=1` in the environment no longer counts (config.rs's unit
    // tests parse it); an app built without the flag routes none of them.
    let app = TestApp::with_config(|config| config.test_mode = false);
    let fault = json!({ "fault": "html" });
    app.post_json_as(&app.admin, "/api/test/faults", &fault)
        .await
        .problem(404);
}
