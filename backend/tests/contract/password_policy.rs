//! One policy: configured on the server (`--policy-*`), served at
//! `GET /api/password-policy`, and enforced on every new password with the
//! widget's own check and reason codes.

use password_reset_widget::core::unicode::CASES;
use serde_json::{json, Value};

use crate::common::{reset_body, TestApp};

/// The reason codes of a 422's errors at `field`.
fn codes(problem: &Value, field: &str) -> Vec<String> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["field"] == field)
        .map(|e| e["code"].as_str().unwrap_or("(none)").to_owned())
        .collect()
}

#[tokio::test]
async fn the_default_policy_is_served_without_a_session() {
    let app = TestApp::new();
    let response = app.get("/api/password-policy").await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(
        response.json(),
        json!({ "minLength": 12, "maxLength": 256, "minScore": 3, "requireClasses": 0,
                "contextWords": [], "blocklistUrl": null })
    );
    app.get("/api/password-policy/blocklist").await.problem(404);
}

#[tokio::test]
async fn an_admins_reset_is_refused_for_the_widgets_reasons_and_nothing_changes() {
    let app = TestApp::new();
    for (password, expected) in [
        ("password1", vec!["tooShort", "tooWeak"]),
        ("qwertyuiopasdf", vec!["tooWeak"]),
        // Diane's own name, however it is capitalised.
        ("DIANE-Vq8#tLm2!pZx9", vec!["containsUserInfo"]),
        (
            "\0\0\0\0\0\0\0\0\0\0\0\0",
            vec!["controlCharacters", "tooWeak"],
        ),
        ("admin\u{202E}Vq8#tLm2!pZx9", vec!["controlCharacters"]),
    ] {
        let response = app.reset(&reset_body(&["u-1042"], password)).await;
        let problem = response.problem(422);
        assert_eq!(
            codes(&problem, "resets[0].password"),
            expected,
            "{password:?}"
        );
        assert!(!response.text().contains(password));
    }
    assert_eq!(app.resets_of("u-1042").await.0, 0, "nothing was reset");
    let ok = app
        .reset(&reset_body(&["u-1042"], "Vq8#tLm2!pZx9wRk"))
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text());
}

#[tokio::test]
async fn a_configured_policy_is_served_and_enforced_on_resets_and_changes() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("banned.txt");
    std::fs::write(&list, "# ours\nLantern-Quartz-Meadow-2026\n").unwrap();
    let app = TestApp::with_config(|c| {
        c.policy.min_length = Some(20);
        c.policy_context_words = vec!["fabrikamtoys".into()];
        c.policy_blocklist = Some(list.clone());
    });
    let served = app.get("/api/password-policy").await.json();
    assert_eq!(served["minLength"], 20);
    assert_eq!(served["contextWords"], json!(["fabrikamtoys"]));
    assert_eq!(served["blocklistUrl"], "/api/password-policy/blocklist");
    let blocklist = app.get("/api/password-policy/blocklist").await;
    assert_eq!(blocklist.status, 200);
    assert!(blocklist.text().contains("Lantern-Quartz-Meadow-2026"));

    for (password, expected) in [
        ("Vq8#tLm2!pZx9wRk", vec!["tooShort"]),
        ("lantern-quartz-meadow-2026", vec!["onBlocklist"]),
        ("fabrikamtoysfabrikamtoys", vec!["tooWeak"]),
    ] {
        let problem = app
            .reset(&reset_body(&["u-1043"], password))
            .await
            .problem(422);
        assert_eq!(
            codes(&problem, "resets[0].password"),
            expected,
            "{password:?}"
        );
    }
    // The number travels with the code: the dialog says "at least 20".
    let short = reset_body(&["u-1043"], "Vq8#tLm2!pZx9wRk");
    let problem = app.reset(&short).await.problem(422);
    assert_eq!(problem["errors"][0]["limit"], 20);
    let long_enough = "Vq8#tLm2!pZx9wRk-Heron-Sky";
    assert_eq!(
        app.reset(&reset_body(&["u-1043"], long_enough))
            .await
            .status,
        200
    );

    // The user's own change meets the same policy.
    let signed_in = app.start_session("u-1043", long_enough).await;
    let auth = crate::common::Auth {
        cookie: signed_in.set_cookie().split(';').next().unwrap().to_owned(),
        csrf_token: signed_in.json()["csrfToken"].as_str().unwrap().to_owned(),
    };
    let change = |new: &str| json!({ "userId": "u-1043", "currentPassword": long_enough, "newPassword": new });
    let refused = app
        .change_password(&auth, "k-1", &change("Xw7!kPq2#mZr9tLb"))
        .await;
    assert_eq!(codes(&refused.problem(422), "newPassword"), ["tooShort"]);
    let accepted = app
        .change_password(&auth, "k-2", &change("Xw7!kPq2#mZr9tLb-Otter-Bay"))
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.text());
}

#[tokio::test]
async fn the_agreed_unicode_cases_are_refused_over_http_as_in_the_widget() {
    let app = TestApp::new();
    for case in CASES {
        // Long and strong enough whatever the case: only its characters count.
        let password = format!("{}-Vq8#tLm2!pZx9", case.typed);
        let response = app.reset(&reset_body(&["u-1045"], &password)).await;
        let refused = response.status == 422
            && codes(&response.json(), "resets[0].password").contains(&"controlCharacters".into());
        assert_eq!(
            refused,
            case.refused,
            "{:?}: {}",
            case.typed,
            response.text()
        );
    }
}

#[tokio::test]
async fn a_password_signs_in_in_any_of_its_unicode_forms() {
    let app = TestApp::new();
    let composed = "caf\u{00E9}-Quartz-Meadow-42";
    assert_eq!(
        app.reset(&reset_body(&["u-1046"], composed)).await.status,
        200
    );
    // Typed on a keyboard that sends e + a combining accent, and full-width digits.
    let decomposed = "cafe\u{0301}-Quartz-Meadow-\u{FF14}\u{FF12}";
    assert_eq!(app.sign_in("u-1046", decomposed).await.status, 200);
    assert_eq!(
        app.sign_in("u-1046", "cafe-Quartz-Meadow-42").await.status,
        401
    );
}
