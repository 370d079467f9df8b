//! "Force a password change" without a reset (`passwordSource: unchanged`):
//! the users keep their passwords and must change them at the next sign-in.

use serde_json::json;

use crate::common::{TestApp, ADMIN};

const KEY: &str = "8a1c2e34-5b6d-4f78-9a0b-1c2d3e4f5a6b";

fn keep(ids: &[&str]) -> serde_json::Value {
    json!({
        "resets": ids.iter().map(|id| json!({ "userId": id })).collect::<Vec<_>>(),
        "passwordSource": "unchanged",
        "forceChangePasswordNextSignIn": true,
        "deliverTo": [ADMIN],
    })
}

#[tokio::test]
async fn users_keep_their_password_and_must_change_it_at_the_next_sign_in() {
    let app = TestApp::new();
    app.set_password_in_db("u-1042", "Diane-Keeps-This-One-7", false);
    app.set_password_in_db("u-1043", "Joni-Keeps-This-One-8", false);

    let response = app
        .reset_with_key(&keep(&["u-1042", "u-1043", "u-9999"]), KEY)
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    let json = response.json();
    let statuses: Vec<(&str, &str)> = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["userId"].as_str().unwrap(), r["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("u-1042", "required"),
            ("u-1043", "required"),
            ("u-9999", "failed")
        ]
    );

    // The same password still signs in, as a must-change sign-in.
    let signed_in = app.sign_in("u-1042", "Diane-Keeps-This-One-7").await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.text());
    assert_eq!(signed_in.json()["mustChangePassword"], true);

    // The notice names the users and holds no password.
    let outbox = app.outbox().await;
    let notice = outbox.last().unwrap();
    assert_eq!(notice["subject"], "Password change required for 2 users");
    let body = notice["body"].as_str().unwrap();
    assert!(body.contains("Diane Prescott (u-1042)") && body.contains("Joni Sherman (u-1043)"));
    assert!(!body.contains("Keeps-This-One"));

    // A retry replays, and the admin's record counts one action per user.
    let again = app
        .reset_with_key(&keep(&["u-1042", "u-1043", "u-9999"]), KEY)
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(again.header("idempotent-replayed"), "true");
    assert_eq!(app.resets_of("u-1042").await.0, 1);
}

#[tokio::test]
async fn an_unchanged_request_carries_no_password_and_must_require_the_change() {
    let app = TestApp::new();
    let mut with_password = keep(&["u-1042"]);
    with_password["resets"][0]["password"] = json!("Some-Password-123");
    let response = app.reset(&with_password).await;
    response.problem(422);
    assert_eq!(response.error_fields(), ["resets[0].password"]);

    let mut not_required = keep(&["u-1042"]);
    not_required["forceChangePasswordNextSignIn"] = json!(false);
    let response = app.reset(&not_required).await;
    response.problem(422);
    assert_eq!(response.error_fields(), ["forceChangePasswordNextSignIn"]);

    // A reset still needs its password: without one, it has the wrong shape.
    let mut missing = keep(&["u-1042"]);
    missing["passwordSource"] = json!("generated");
    let response = app.reset(&missing).await;
    response.problem(400);
    assert_eq!(response.error_fields(), ["resets[0].password"]);
    assert_eq!(app.resets_of("u-1042").await.0, 0, "nothing was applied");
}
