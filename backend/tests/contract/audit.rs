//! Issue 14, the audit trail: who reset or changed whose password, when,
//! from which client address, with what outcome (never the password), and
//! who may read it (`GET /api/audit`, `/audit`: administrators only).

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request};
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::common::{reset_body, TestApp, ADMIN};
use crate::recovery::token_for;

const PASSWORD: &str = "Audit-Trail-Check-42";

async fn trail(app: &TestApp) -> Vec<Value> {
    let response = app.get_as(&app.admin, "/api/audit").await;
    assert_eq!(response.status, 200, "{}", response.text());
    response.json().as_array().unwrap().clone()
}

fn summary(entry: &Value) -> (String, String, String, String) {
    let text = |key: &str| entry[key].as_str().unwrap_or("").to_owned();
    (
        text("action"),
        text("actor"),
        text("subject"),
        text("outcome"),
    )
}

fn never_a_password(app: &TestApp, passwords: &[&str]) {
    let dump: String = app
        .sqlite()
        .prepare("SELECT COALESCE(actor_id,'') || COALESCE(subject_id,'') || action || outcome || COALESCE(detail,'') || client FROM audit")
        .unwrap()
        .query_map([], |row| row.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for password in passwords {
        assert!(!dump.contains(password), "the audit table holds a password");
    }
}

#[tokio::test]
async fn an_admin_reset_records_each_user_with_its_outcome() {
    let app = TestApp::new();
    let response = app
        .reset(&reset_body(&["u-1042", "u-1043", "u-9999"], PASSWORD))
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    let entries = trail(&app).await;
    let mut seen: Vec<_> = entries.iter().map(summary).collect();
    seen.sort();
    let row = |subject: &str, outcome: &str| {
        (
            "admin-reset".to_owned(),
            "u-1001".to_owned(),
            subject.to_owned(),
            outcome.to_owned(),
        )
    };
    assert_eq!(
        seen,
        [
            row("u-1042", "reset"),
            row("u-1043", "reset"),
            row("u-9999", "failed")
        ]
    );
    for entry in &entries {
        assert_eq!(entry["client"], "unknown", "no connect info in these tests");
        assert!(entry["at"].as_str().unwrap().ends_with('Z'));
    }
    never_a_password(&app, &[PASSWORD]);

    // A replay is not a new event.
    let key = "audit-replay-key";
    app.reset_with_key(&reset_body(&["u-1044"], PASSWORD), key)
        .await;
    app.reset_with_key(&reset_body(&["u-1044"], PASSWORD), key)
        .await;
    assert_eq!(trail(&app).await.len(), 4);
}

#[tokio::test]
async fn keeping_passwords_records_required() {
    let app = TestApp::new();
    let body = json!({
        "resets": [{ "userId": "u-1042" }],
        "passwordSource": "unchanged",
        "forceChangePasswordNextSignIn": true,
        "deliverTo": [ADMIN],
    });
    assert_eq!(app.reset(&body).await.status, 200);
    let entries = trail(&app).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        summary(&entries[0]),
        (
            "admin-reset".into(),
            "u-1001".into(),
            "u-1042".into(),
            "required".into()
        )
    );
}

#[tokio::test]
async fn a_refused_reset_is_recorded_without_the_password() {
    let app = TestApp::new();
    let short = "short";
    app.reset(&reset_body(&["u-1042"], short))
        .await
        .problem(422);
    let entries = trail(&app).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(summary(&entries[0]).3, "refused");
    assert_eq!(entries[0]["subject"], "u-1042");
    assert!(entries[0]["detail"].as_str().unwrap().starts_with("422 "));
    never_a_password(&app, &[short]);
    assert_eq!(app.resets_of("u-1042").await.0, 0);
}

#[tokio::test]
async fn a_users_own_change_and_a_wrong_current_password_are_recorded() {
    let app = TestApp::new();
    app.set_password_in_db("u-1042", "Diane-Current-Pass-1", false);
    let diane = TestApp::session_in_db(&app.state, "u-1042");
    let wrong = json!({ "userId": "u-1042", "currentPassword": "Not-Her-Password-9", "newPassword": PASSWORD });
    assert_eq!(app.change_password(&diane, "k-1", &wrong).await.status, 422);
    let right = json!({ "userId": "u-1042", "currentPassword": "Diane-Current-Pass-1", "newPassword": PASSWORD });
    let changed = app.change_password(&diane, "k-2", &right).await;
    assert_eq!(changed.status, 200, "{}", changed.text());

    let entries = trail(&app).await;
    let seen: Vec<_> = entries.iter().map(summary).collect();
    let row = |outcome: &str| {
        (
            "password-change".to_owned(),
            "u-1042".to_owned(),
            "u-1042".to_owned(),
            outcome.to_owned(),
        )
    };
    // Newest first.
    assert_eq!(seen, [row("changed"), row("refused")]);
    assert!(entries[1]["detail"]
        .as_str()
        .unwrap()
        .contains("currentPassword"));
    never_a_password(
        &app,
        &[PASSWORD, "Not-Her-Password-9", "Diane-Current-Pass-1"],
    );

    // Without a session nothing is authenticated: no row.
    app.post_json("/api/password-changes", &right)
        .await
        .problem(401);
    assert_eq!(trail(&app).await.len(), 2);
}

#[tokio::test]
async fn a_recovery_completion_is_recorded() {
    let app = TestApp::new();
    let token = token_for(&app, "u-1042", "diane.prescott@alt.contoso.test").await;
    app.complete_recovery(
        "r-1",
        &json!({ "recoveryToken": token, "newPassword": "short" }),
    )
    .await
    .problem(422);
    let done = app
        .complete_recovery(
            "r-2",
            &json!({ "recoveryToken": token, "newPassword": PASSWORD }),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text());
    // An unknown token authenticates nobody: no row.
    app.complete_recovery(
        "r-3",
        &json!({ "recoveryToken": "nope", "newPassword": PASSWORD }),
    )
    .await;
    let seen: Vec<_> = trail(&app).await.iter().map(summary).collect();
    let row = |outcome: &str| {
        (
            "recovery".to_owned(),
            "u-1042".to_owned(),
            "u-1042".to_owned(),
            outcome.to_owned(),
        )
    };
    assert_eq!(seen, [row("reset"), row("refused")]);
    never_a_password(&app, &[PASSWORD, "short"]);
}

#[tokio::test]
async fn the_client_address_comes_from_the_connection() {
    let app = TestApp::new();
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/api/password-resets")
        .header("content-type", "application/json")
        .header("cookie", &app.admin.cookie)
        .header("x-csrf-token", &app.admin.csrf_token)
        .body(Body::from(reset_body(&["u-1042"], PASSWORD).to_string()))
        .unwrap();
    let peer: SocketAddr = "192.0.2.7:51234".parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    let response = app.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(trail(&app).await[0]["client"], "192.0.2.7");
}

#[tokio::test]
async fn the_trail_is_newest_first_and_limited() {
    let app = TestApp::new();
    for user in ["u-1042", "u-1043", "u-1044"] {
        assert_eq!(app.reset(&reset_body(&[user], PASSWORD)).await.status, 200);
    }
    let limited = app.get_as(&app.admin, "/api/audit?limit=2").await.json();
    let subjects: Vec<_> = limited
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["subject"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(subjects, ["u-1044", "u-1043"]);
    for bad in ["0", "abc", "100000"] {
        app.get_as(&app.admin, &format!("/api/audit?limit={bad}"))
            .await
            .problem(400);
    }
}

#[tokio::test]
async fn only_administrators_read_the_trail() {
    let app = TestApp::new();
    app.reset(&reset_body(&["u-1042"], PASSWORD)).await;
    let lee = TestApp::session_in_db(&app.state, "u-1044");

    app.get("/api/audit").await.problem(401);
    assert_eq!(
        app.get_as(&lee, "/api/audit").await.problem(403)["title"],
        "Not allowed"
    );
    assert_eq!(app.get("/audit").await.status, 401);
    assert_eq!(app.get_as(&lee, "/audit").await.status, 403);

    let page = app.get_as(&app.admin, "/audit").await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").starts_with("text/html"));
    let text = page.text();
    assert!(
        text.contains("<td>u-1042</td>") && text.contains("<td>admin-reset</td>"),
        "{text}"
    );
    assert!(
        !text.contains("style=") && !text.contains("<script"),
        "{text}"
    );
    assert!(!text.contains(PASSWORD));
    assert!(page
        .header("content-security-policy")
        .contains("default-src 'none'"));
}
