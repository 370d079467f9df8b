//! `Idempotency-Key`: safe retries.

use serde_json::json;

use crate::common::{reset_body, TestApp};

const KEY: &str = "5f0c4c1e-9a8e-4d55-8a57-3c0f2b8f9e21";
const PASSWORD: &str = "Harbor-Lantern-Quartz-12";

#[tokio::test]
async fn the_same_request_twice_resets_once_and_replays_the_response() {
    let app = TestApp::new();
    let body = reset_body(&["u-1042"], PASSWORD);
    let first = app.reset_with_key(&body, KEY).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.header("idempotent-replayed"), "");

    let second = app.reset_with_key(&body, KEY).await;
    assert_eq!(second.status, first.status);
    assert_eq!(
        second.body, first.body,
        "the replay is byte for byte the first response"
    );
    assert_eq!(second.header("content-type"), "application/json");
    assert_eq!(second.header("idempotent-replayed"), "true");

    assert_eq!(app.resets_of("u-1042").await, (1, vec![KEY.to_owned()]));
    assert_eq!(app.outbox().await.len(), 1, "no second e-mail either");
}

#[tokio::test]
async fn the_canonical_request_ignores_formatting_and_key_order() {
    let app = TestApp::new();
    assert_eq!(
        app.reset_with_key(&reset_body(&["u-1042"], PASSWORD), KEY)
            .await
            .status,
        200
    );
    let reordered = format!(
        "{{ \"deliverTo\": [\"adele@contoso.com\"], \"forceChangePasswordNextSignIn\": true,\n  \
         \"passwordSource\": \"generated\", \"resets\": [ {{ \"password\": \"{PASSWORD}\", \"userId\": \"u-1042\" }} ] }}"
    );
    let headers = [
        ("content-type", "application/json"),
        ("idempotency-key", KEY),
    ];
    let replay = app.post_reset(&headers, reordered).await;
    assert_eq!(replay.header("idempotent-replayed"), "true");
    assert_eq!(app.resets_of("u-1042").await.0, 1);
}

#[tokio::test]
async fn the_same_key_with_another_request_is_a_422() {
    let app = TestApp::new();
    assert_eq!(
        app.reset_with_key(&reset_body(&["u-1042"], PASSWORD), KEY)
            .await
            .status,
        200
    );

    // A different password is a different request.
    let other = app
        .reset_with_key(&reset_body(&["u-1042"], "Another-Password-99"), KEY)
        .await;
    let problem = other.problem(422);
    assert_eq!(
        problem["title"],
        "Idempotency key reused with a different request"
    );
    assert_eq!(other.error_fields(), ["Idempotency-Key"]);
    assert!(!other.text().contains("Another-Password-99"));

    assert_eq!(app.resets_of("u-1042").await.0, 1);
    assert_eq!(app.sign_in("u-1042", PASSWORD).await.status, 200);
    assert_eq!(
        app.sign_in("u-1042", "Another-Password-99").await.status,
        401
    );
}

#[tokio::test]
async fn different_keys_are_different_resets() {
    let app = TestApp::new();
    let body = reset_body(&["u-1042"], PASSWORD);
    assert_eq!(app.reset_with_key(&body, "key-one").await.status, 200);
    assert_eq!(app.reset_with_key(&body, "key-two").await.status, 200);
    assert_eq!(app.reset(&body).await.status, 200);
    assert_eq!(
        app.resets_of("u-1042").await,
        (3, vec!["key-one".to_owned(), "key-two".to_owned()])
    );
}

#[tokio::test]
async fn keys_older_than_a_day_are_forgotten() {
    let app = TestApp::new();
    let body = reset_body(&["u-1042"], PASSWORD);
    assert_eq!(app.reset_with_key(&body, KEY).await.status, 200);
    app.sqlite()
        .execute(
            "UPDATE idempotency SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-25 hours')",
            [],
        )
        .unwrap();

    let again = app.reset_with_key(&body, KEY).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.header("idempotent-replayed"), "");
    assert_eq!(app.resets_of("u-1042").await.0, 2);
    let records: i64 = app
        .sqlite()
        .query_row("SELECT COUNT(*) FROM idempotency", [], |r| r.get(0))
        .unwrap();
    assert_eq!(records, 1, "the expired record was deleted and replaced");
}

#[tokio::test]
async fn an_unknown_user_404_is_replayed_too() {
    let app = TestApp::new();
    let body = reset_body(&["u-9999"], PASSWORD);
    let first = app.reset_with_key(&body, KEY).await;
    first.problem(404);
    let second = app.reset_with_key(&body, KEY).await;
    second.problem(404);
    assert_eq!(second.body, first.body);
    assert_eq!(second.header("idempotent-replayed"), "true");
}

#[tokio::test]
async fn a_refused_request_does_not_use_up_its_key() {
    let app = TestApp::new();
    let mut body = reset_body(&["u-1042"], PASSWORD);
    body["deliverTo"] = json!(["nobody@"]);
    app.reset_with_key(&body, KEY).await.problem(422);

    body["deliverTo"] = json!(["adele@contoso.com"]);
    let fixed = app.reset_with_key(&body, KEY).await;
    assert_eq!(fixed.status, 200, "{}", fixed.text());
    assert_eq!(app.resets_of("u-1042").await, (1, vec![KEY.to_owned()]));
}

/// Keys are each administrator's own: the same key from another admin is
/// another request, never a replay of the first admin's answer.
#[tokio::test]
async fn an_idempotency_key_belongs_to_the_admin_who_sent_it() {
    let app = TestApp::new();
    app.sqlite()
        .execute("UPDATE users SET is_admin = 1 WHERE id = 'u-1046'", [])
        .unwrap();
    let other_admin = TestApp::session_in_db(&app.state, "u-1046");
    let key = "0b7e5c3a-9d2f-4e61-8a4b-5c6d7e8f9a0b";
    let body = reset_body(&["u-1042"], "Shared-Key-Quokka-Tundra-41");
    let first = app.reset_with_key(&body, key).await;
    assert_eq!(first.status, 200, "{}", first.text());
    let text = body.to_string();
    let second = app
        .reset_as(
            &other_admin,
            &[
                ("content-type", "application/json"),
                ("idempotency-key", key),
            ],
            text.clone(),
        )
        .await;
    assert_eq!(second.status, 200, "{}", second.text());
    assert_ne!(
        second.header("idempotent-replayed"),
        "true",
        "not a replay of another admin's answer"
    );
    assert_eq!(
        app.resets_of("u-1042").await.0,
        2,
        "each admin's request applied once"
    );
    // The first admin's retry is still a replay.
    let retry = app.reset_with_key(&body, key).await;
    assert_eq!(retry.header("idempotent-replayed"), "true");
    assert_eq!(app.resets_of("u-1042").await.0, 2);
}
