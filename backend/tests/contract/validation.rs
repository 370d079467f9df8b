//! Every way a reset request can be refused, with its status and field.

use axum::http::Method;
use serde_json::{json, Value};

use crate::common::{reset_body, TestApp, TestResponse};

const SECRET: &str = "Secret-Canary-55";

/// Refused requests change nothing and never repeat a password.
async fn refused(app: &TestApp, response: &TestResponse, status: u16) -> Value {
    let problem = response.problem(status);
    assert!(!response.text().contains(SECRET), "{}", response.text());
    assert!(app.outbox().await.is_empty());
    assert_eq!(app.resets_of("u-1042").await.0, 0);
    problem
}

#[tokio::test]
async fn malformed_json_is_a_400_that_does_not_echo_the_body() {
    let app = TestApp::new();
    let body = format!(
        r#"{{"resets":[{{"userId":"u-1042","password":"{SECRET}"}}],"passwordSource":"generated","#
    );
    let response = app
        .post_reset(&[("content-type", "application/json")], body)
        .await;
    let problem = refused(&app, &response, 400).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .starts_with("The request body is not valid JSON"),
        "{problem}"
    );

    let response = app
        .post_reset(&[("content-type", "application/json")], "")
        .await;
    refused(&app, &response, 400).await;
}

#[tokio::test]
async fn the_wrong_shape_is_a_400_naming_the_field() {
    let app = TestApp::new();
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({ "resets": [{ "userId": "u-1042", "password": 12345678 }], "passwordSource": "generated", "forceChangePasswordNextSignIn": true, "deliverTo": [] }),
            "resets[0].password",
        ),
        (
            json!({ "resets": [{ "userId": "u-1042", "password": SECRET }], "passwordSource": "generated", "forceChangePasswordNextSignIn": SECRET, "deliverTo": [] }),
            "forceChangePasswordNextSignIn",
        ),
        (
            json!({ "resets": [{ "userId": "u-1042", "password": SECRET }], "passwordSource": SECRET, "forceChangePasswordNextSignIn": true, "deliverTo": [] }),
            "passwordSource",
        ),
        (
            json!({ "resets": [{ "userId": "u-1042", "password": SECRET }], "passwordSource": "generated", "forceChangePasswordNextSignIn": true }),
            "deliverTo",
        ),
        (
            json!({ "resets": [{ "userId": "u-1042", "password": SECRET, "note": SECRET }], "passwordSource": "generated", "forceChangePasswordNextSignIn": true, "deliverTo": [] }),
            "resets[0]",
        ),
        (
            json!({ "resets": { "userId": "u-1042", "password": SECRET }, "passwordSource": "generated", "forceChangePasswordNextSignIn": true, "deliverTo": [] }),
            "resets",
        ),
        (
            json!({ "resets": [{ "userId": "u-1042" }], "passwordSource": "generated", "forceChangePasswordNextSignIn": true, "deliverTo": [] }),
            "resets[0].password",
        ),
        (
            json!({ "resets": [{ "userId": "u-1042", "password": SECRET }], "passwordSource": "generated", "forceChangePasswordNextSignIn": true, "deliverTo": [SECRET.len()] }),
            "deliverTo[0]",
        ),
    ];
    for (body, field) in cases {
        let response = app.reset(&body).await;
        refused(&app, &response, 400).await;
        assert_eq!(response.error_fields(), [field], "{body}");
    }
    // Not an object at all: no field to name.
    let response = app.reset(&json!([SECRET])).await;
    refused(&app, &response, 400).await;
}

#[tokio::test]
async fn only_json_is_accepted() {
    let app = TestApp::new();
    let body = reset_body(&["u-1042"], SECRET).to_string();
    let response = app
        .post_reset(&[("content-type", "text/plain")], body.clone())
        .await;
    refused(&app, &response, 415).await;
    let response = app.post_reset(&[], body.clone()).await;
    refused(&app, &response, 415).await;
    let charset = [("content-type", "application/json; charset=utf-8")];
    assert_eq!(app.post_reset(&charset, body).await.status, 200);
}

#[tokio::test]
async fn empty_resets_is_a_422_on_resets() {
    let app = TestApp::new();
    let response = app.reset(&reset_body(&[], SECRET)).await;
    refused(&app, &response, 422).await;
    assert_eq!(response.error_fields(), ["resets"]);
}

#[tokio::test]
async fn more_than_40_resets_is_a_413() {
    let app = TestApp::new();
    let ids: Vec<String> = (0..41).map(|i| format!("u-{i}")).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let response = app.reset(&reset_body(&ids, SECRET)).await;
    refused(&app, &response, 413).await;
    assert_eq!(response.error_fields(), ["resets"]);

    // 40 is within the limit: this one fails later, on a password rule.
    let mut body = reset_body(&ids[..40], SECRET);
    body["resets"][39]["password"] = json!("short");
    let response = app.reset(&body).await;
    refused(&app, &response, 422).await;
    // Too short and too weak: both reasons, at that entry's password.
    assert_eq!(
        response.error_fields(),
        ["resets[39].password", "resets[39].password"]
    );
}

#[tokio::test]
async fn password_length_is_counted_in_characters() {
    let app = TestApp::new();
    // The policy's default: 12 to 256 characters, counted after NFKC.
    let long = "Vq8#tLm2!pZé".repeat(22); // 264 characters
    for (password, refusal) in [
        (String::new(), Some("empty")),
        ("Vq8#tLm2!pé".to_owned(), Some("tooShort")), // 11 characters, 12 bytes
        ("Vq8#tLm2!pZé".to_owned(), None),            // 12 characters
        (long.chars().take(256).collect(), None),     // 256 characters, 277 bytes
        (long.chars().take(257).collect(), Some("tooLong")),
        // 11 full-width characters are 11 after NFKC, however many bytes.
        ("ｖｑ８＃ｔｌｍ２！ｐｚ".to_owned(), Some("tooShort")),
    ] {
        let response = app.reset(&reset_body(&["u-1046"], &password)).await;
        match refusal {
            None => assert_eq!(
                response.status,
                200,
                "{} chars: {}",
                password.chars().count(),
                response.text()
            ),
            Some(code) => {
                let problem = response.problem(422);
                assert_eq!(problem["errors"][0]["field"], "resets[0].password");
                assert_eq!(problem["errors"][0]["code"], code, "{password:?}");
                if !password.is_empty() {
                    assert!(!response.text().contains(&password));
                }
            }
        }
    }
}

#[tokio::test]
async fn the_field_names_the_index_of_the_bad_entry() {
    let app = TestApp::new();
    let mut body = reset_body(&["u-1042", "u-1043", "u-1044"], SECRET);
    body["resets"][1]["password"] = json!("");
    body["resets"][2]["userId"] = json!("u-1042");
    let response = app.reset(&body).await;
    refused(&app, &response, 422).await;
    assert_eq!(
        response.error_fields(),
        ["resets[1].password", "resets[2].userId"]
    );
}

#[tokio::test]
async fn a_bad_address_is_a_422_on_deliver_to_naming_it() {
    let app = TestApp::new();
    for bad in [
        "not-an-address",
        "adele@",
        "Adele Vance <adele@contoso.com>",
        "",
    ] {
        let mut body = reset_body(&["u-1042"], SECRET);
        body["deliverTo"] = json!(["adele@contoso.com", bad]);
        let response = app.reset(&body).await;
        let problem = refused(&app, &response, 422).await;
        assert_eq!(response.error_fields(), ["deliverTo"]);
        let detail = problem["errors"][0]["detail"].as_str().unwrap();
        assert_eq!(detail, format!("\"{bad}\" is not a valid e-mail address."));
    }
}

#[tokio::test]
async fn a_bad_idempotency_key_is_a_400() {
    let app = TestApp::new();
    let response = app
        .reset_with_key(&reset_body(&["u-1042"], SECRET), "has spaces in it")
        .await;
    refused(&app, &response, 400).await;
    assert_eq!(response.error_fields(), ["Idempotency-Key"]);
}

#[tokio::test]
async fn unknown_api_paths_and_methods_answer_problem_json() {
    let app = TestApp::new();
    let response = app.get("/api/nope").await;
    response.problem(404);
    assert_eq!(response.header("cache-control"), "no-store");
    let response = app.get("/api/password-resets").await;
    response.problem(405);
    let response = app
        .request(Method::DELETE, "/api/users", &[], Default::default())
        .await;
    response.problem(405);
}

#[tokio::test]
async fn an_oversized_body_is_a_413() {
    let app = TestApp::new();
    let huge = format!(
        r#"{{"resets":[{{"userId":"u-1042","password":"{}"}}]}}"#,
        "x".repeat(100_000)
    );
    let response = app
        .post_reset(&[("content-type", "application/json")], huge)
        .await;
    response.problem(413);
}

#[tokio::test]
async fn with_delivery_domains_an_address_elsewhere_is_a_422_with_its_code() {
    const STRONG: &str = "Vq8#tLm2!pZx9wRk";
    let app = TestApp::with_config(|config| {
        config.delivery_domains = vec!["contoso.com".into(), "fabrikam.com".into()];
    });
    for outside in [
        "spy@evil.test",
        "adele@mail.contoso.com", // a subdomain is another domain
        "adele@contoso.com.evil.test",
        "adele@notcontoso.com",
    ] {
        let mut body = reset_body(&["u-1042", "u-1043"], STRONG);
        body["deliverTo"] = json!(["adele@contoso.com", outside]);
        let response = app.reset(&body).await;
        let problem = refused(&app, &response, 422).await;
        assert!(!response.text().contains(STRONG));
        assert_eq!(response.error_fields(), ["deliverTo"], "{outside}");
        assert_eq!(
            problem["errors"][0]["code"], "domainNotAllowed",
            "{problem}"
        );
        assert_eq!(
            problem["errors"][0]["detail"],
            format!(
                "\"{outside}\" is not in a domain passwords may be sent to (contoso.com, fabrikam.com)."
            )
        );
        assert_eq!(app.resets_of("u-1043").await.0, 0, "nothing is reset");
    }

    // The listed domains, in any case, are fine.
    let mut body = reset_body(&["u-1042"], STRONG);
    body["deliverTo"] = json!(["Adele@CONTOSO.com", "it@fabrikam.com"]);
    let response = app.reset(&body).await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(app.outbox().await.len(), 1);

    // Without the setting, any domain.
    let open = TestApp::new();
    let mut body = reset_body(&["u-1042"], STRONG);
    body["deliverTo"] = json!(["spy@evil.test"]);
    assert_eq!(open.reset(&body).await.status, 200);
}
