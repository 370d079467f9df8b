//! `/api/password-recovery`: codes, verifications, completions.

use serde_json::{json, Value};

use crate::common::TestApp;

const DIANE_ALT: &str = "diane.prescott@alt.contoso.test";
const EXPIRED: &str = "/problems/recovery-expired";
const NEW: &str = "Recovered-Pass-77";

fn login(login: &str) -> Value {
    json!({ "login": login })
}

/// Asks for a code for `who` and reads it from the outbox.
async fn code_for(app: &TestApp, who: &str, address: &str) -> String {
    let asked = app.recovery("codes", &login(who)).await;
    assert_eq!(asked.status, 202, "{}", asked.text());
    app.code_sent_to(address).await.expect("a code was sent")
}

async fn verify(app: &TestApp, who: &str, code: &str) -> crate::common::TestResponse {
    app.recovery("verifications", &json!({ "login": who, "code": code }))
        .await
}

fn assert_wrong_code(response: &crate::common::TestResponse) {
    let problem = response.problem(400);
    assert_eq!(
        problem["errors"],
        json!([{ "field": "code", "detail": "The code is wrong or has expired." }])
    );
}

pub(crate) async fn token_for(app: &TestApp, who: &str, address: &str) -> String {
    let code = code_for(app, who, address).await;
    let verified = verify(app, who, &code).await;
    assert_eq!(verified.status, 200, "{}", verified.text());
    let json = verified.json();
    assert_eq!(json["expiresInSeconds"], 600);
    json["recoveryToken"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn every_login_gets_the_same_answer_and_only_an_eligible_user_a_code() {
    let app = TestApp::new();
    app.post_json_as(
        &app.admin,
        "/api/test/users",
        &json!({ "id": "u-3001", "name": "No Alternate", "email": "none@contoso.com" }),
    )
    .await;
    let mut answers = Vec::new();
    for who in [
        "u-9999",
        "nobody@contoso.com",
        "u-1001",
        "adele@contoso.com",
        "u-3001",
        "DIANE@Contoso.com",
    ] {
        let answer = app.recovery("codes", &login(who)).await;
        answers.push((
            answer.status.as_u16(),
            answer.header("content-type").to_owned(),
            answer.text(),
        ));
    }
    for answer in &answers {
        assert_eq!(
            answer,
            &(
                202,
                "application/json".to_owned(),
                r#"{"status":"accepted"}"#.to_owned()
            )
        );
    }
    app.settle().await;
    let outbox = app.outbox().await;
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    assert_eq!(outbox[0]["to"], json!([DIANE_ALT]));
    let body = outbox[0]["body"].as_str().unwrap();
    assert!(body.contains("valid for 15 minutes"), "{body}");

    // The database keeps a salted hash, never the code.
    let code = app.code_sent_to(DIANE_ALT).await.unwrap();
    let (salt, hash): (String, String) = app
        .sqlite()
        .query_row("SELECT salt, code_hash FROM recovery_codes", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert!(!hash.contains(&code) && !salt.contains(&code));
    assert_eq!(hash, reset_backend::recovery::code_hash(&salt, &code));
}

#[tokio::test]
async fn an_administrator_may_recover_only_when_allowed() {
    let app = TestApp::with_config(|config| config.allow_admin_recovery = true);
    let token = token_for(&app, "u-1001", "adele.vance@alt.contoso.test").await;
    assert_eq!(token.len(), 43);
}

#[tokio::test]
async fn the_whole_recovery_resets_once_and_ends_every_session() {
    let app = TestApp::new();
    app.set_password_in_db("u-1042", "Forgotten-Pass-1", true);
    let session = TestApp::session_in_db(&app.state, "u-1042");
    let token = token_for(&app, "diane@contoso.com", DIANE_ALT).await;

    let body = json!({ "recoveryToken": token, "newPassword": NEW });
    let done = app.complete_recovery("k-1", &body).await;
    assert_eq!(done.status, 200, "{}", done.text());
    assert_eq!(done.json(), json!({ "status": "reset" }));
    // The answer was lost: Retry sends the same key and body.
    let retry = app.complete_recovery("k-1", &body).await;
    assert_eq!(retry.status, 200);
    assert_eq!(retry.body, done.body);
    assert_eq!(retry.header("idempotent-replayed"), "true");

    assert_eq!(app.get_as(&session, "/api/session").await.status, 401);
    assert_eq!(app.sessions_of("u-1042"), 0);
    assert_eq!(
        app.sign_in("u-1042", NEW).await.json()["mustChangePassword"],
        false
    );
    assert_eq!(app.sign_in("u-1042", "Forgotten-Pass-1").await.status, 401);

    app.settle().await;
    let notices: Vec<Value> = app
        .outbox()
        .await
        .into_iter()
        .filter(|m| m["subject"] == "Your password was changed")
        .collect();
    assert_eq!(notices.len(), 1, "exactly one change");
    assert_eq!(notices[0]["to"], json!(["diane@contoso.com", DIANE_ALT]));
    assert!(!notices[0]["body"].as_str().unwrap().contains(NEW));

    // A used token, with a new key: start again.
    let again = app
        .complete_recovery(
            "k-2",
            &json!({ "recoveryToken": token, "newPassword": "Other-Pass-123" }),
        )
        .await;
    let problem = again.typed_problem(410, EXPIRED);
    assert_eq!(problem["title"], "Start again");
    assert_eq!(
        problem["detail"],
        "This recovery has expired or was already used. Ask for a new code."
    );
    // The same key with another body.
    let reused = app
        .complete_recovery(
            "k-1",
            &json!({ "recoveryToken": token, "newPassword": "Other-Pass-123" }),
        )
        .await;
    assert_eq!(reused.problem(422)["errors"][0]["field"], "Idempotency-Key");
}

#[tokio::test]
async fn a_code_works_once_and_a_newer_one_replaces_it() {
    let app = TestApp::new();
    let first = code_for(&app, "u-1042", DIANE_ALT).await;
    let second = code_for(&app, "u-1042", DIANE_ALT).await;
    assert_wrong_code(&verify(&app, "u-1042", &first).await);
    assert_eq!(verify(&app, "u-1042", &second).await.status, 200);
    assert_wrong_code(&verify(&app, "u-1042", &second).await);
    // A right code for another login is wrong.
    let lees = code_for(&app, "u-1044", "lee.gu@alt.contoso.test").await;
    assert_wrong_code(&verify(&app, "u-1042", &lees).await);
    assert_wrong_code(&verify(&app, "u-9999", &lees).await);
    assert_eq!(verify(&app, "lee@contoso.com", &lees).await.status, 200);
}

#[tokio::test]
async fn five_wrong_tries_burn_the_code() {
    let app = TestApp::new();
    let code = code_for(&app, "u-1042", DIANE_ALT).await;
    let wrong = if code == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    for _ in 0..5 {
        assert_wrong_code(&verify(&app, "u-1042", wrong).await);
    }
    assert_wrong_code(&verify(&app, "u-1042", &code).await);
    // Four wrong tries are fine.
    let code = code_for(&app, "u-1042", DIANE_ALT).await;
    let wrong = if code == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    for _ in 0..4 {
        assert_wrong_code(&verify(&app, "u-1042", wrong).await);
    }
    assert_eq!(verify(&app, "u-1042", &code).await.status, 200);
}

#[tokio::test]
async fn a_code_expires_after_fifteen_minutes() {
    let app = TestApp::new();
    let code = code_for(&app, "u-1042", DIANE_ALT).await;
    let minutes: f64 = app
        .sqlite()
        .query_row(
            "SELECT (julianday(expires_at) - julianday(created_at)) * 1440 FROM recovery_codes",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!((14.99..=15.01).contains(&minutes), "{minutes}");
    app.sqlite()
        .execute(
            "UPDATE recovery_codes SET expires_at = '2000-01-01T00:00:00.000Z'",
            [],
        )
        .unwrap();
    assert_wrong_code(&verify(&app, "u-1042", &code).await);
}

#[tokio::test]
async fn at_most_five_codes_an_hour_per_account() {
    let app = TestApp::new();
    for _ in 0..7 {
        assert_eq!(app.recovery("codes", &login("u-1042")).await.status, 202);
    }
    app.settle().await;
    assert_eq!(app.outbox().await.len(), 5);
    // The fifth is the live one.
    let code = app.code_sent_to(DIANE_ALT).await.unwrap();
    assert_eq!(verify(&app, "u-1042", &code).await.status, 200);
}

#[tokio::test]
async fn a_token_expires_is_bound_to_its_user_and_checks_the_new_password() {
    let app = TestApp::new();
    app.set_password_in_db("u-1044", "Lees-Own-Pass-1", false);
    let token = token_for(&app, "u-1042", DIANE_ALT).await;
    let short = app
        .complete_recovery(
            "k-1",
            &json!({ "recoveryToken": token, "newPassword": "short" }),
        )
        .await;
    let refused = short.problem(422);
    assert!(short.error_fields().iter().all(|f| f == "newPassword"));
    assert_eq!(
        refused["errors"][0]["code"], "tooShort",
        "the widget's policy"
    );
    // Diane's token resets Diane's password, nobody else's.
    let done = app
        .complete_recovery(
            "k-2",
            &json!({ "recoveryToken": token, "newPassword": NEW }),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text());
    assert_eq!(app.sign_in("u-1042", NEW).await.status, 200);
    assert_eq!(app.sign_in("u-1044", "Lees-Own-Pass-1").await.status, 200);

    let token = token_for(&app, "u-1042", DIANE_ALT).await;
    app.sqlite()
        .execute("UPDATE recovery_tokens SET expires_at = '2000-01-01T00:00:00.000Z' WHERE used_at IS NULL", [])
        .unwrap();
    app.complete_recovery(
        "k-3",
        &json!({ "recoveryToken": token, "newPassword": NEW }),
    )
    .await
    .typed_problem(410, EXPIRED);
    app.complete_recovery(
        "k-4",
        &json!({ "recoveryToken": "made-up", "newPassword": NEW }),
    )
    .await
    .typed_problem(410, EXPIRED);
    // The token is kept hashed.
    let stored: Vec<String> = {
        let conn = app.sqlite();
        let mut stmt = conn
            .prepare("SELECT token_hash FROM recovery_tokens")
            .unwrap();
        let rows = stmt.query_map([], |r| r.get(0)).unwrap();
        rows.map(Result::unwrap).collect()
    };
    assert!(!stored.contains(&token));
    // No key: 400.
    let no_key = app
        .post_raw(
            "/api/password-recovery/completions",
            &[("content-type", "application/json")],
            json!({ "recoveryToken": token, "newPassword": NEW }).to_string(),
        )
        .await;
    no_key.problem(400);
    assert_eq!(no_key.error_fields(), ["Idempotency-Key"]);
}

#[tokio::test]
async fn malformed_requests_are_problems() {
    let app = TestApp::new();
    app.recovery("codes", &json!({ "login": "u-1042", "extra": 1 }))
        .await
        .problem(400);
    app.recovery("codes", &json!({})).await.problem(400);
    app.recovery("verifications", &json!({ "login": "u-1042" }))
        .await
        .problem(400);
    app.post_raw("/api/password-recovery/codes", &[], "{}")
        .await
        .problem(415);
    app.complete_recovery("k", &json!({ "recoveryToken": "x" }))
        .await
        .problem(400);
}

#[tokio::test]
async fn requests_are_limited_per_client_address() {
    let app = TestApp::with_config(|config| config.recovery_client_limit = 3);
    assert_eq!(app.recovery("codes", &login("u-1042")).await.status, 202);
    assert_wrong_code(&verify(&app, "u-1042", "12345678").await);
    assert_eq!(app.recovery("codes", &login("u-9999")).await.status, 202);
    let limited = app.recovery("codes", &login("u-1042")).await;
    limited.problem(429);
    assert!(limited.header("retry-after").parse::<u64>().unwrap() >= 1);
    verify(&app, "u-1042", "12345678").await.problem(429);
}
