//! The happy paths of `POST /api/password-resets`, and what they store.

use serde_json::{json, Value};

use reset_backend::config::DEMO_ADMIN_PASSWORD;

use crate::common::{reset_body, TestApp, ADMIN};

const PASSWORD: &str = "Violet-Anchor-Grove-47";

#[tokio::test]
async fn seeds_the_demo_users_with_unknown_passwords_but_the_admin() {
    let app = TestApp::new();
    let users = app.get_as(&app.admin, "/api/users").await;
    assert_eq!(users.status, 200);
    assert_eq!(users.header("content-type"), "application/json");
    assert_eq!(users.header("cache-control"), "no-store");
    let users = users.json();
    let users = users.as_array().unwrap();
    for (id, name, email, is_admin) in [
        ("u-1042", "Diane Prescott", "diane@contoso.com", false),
        ("u-1043", "Joni Sherman", "joni@contoso.com", false),
        ("u-1044", "Lee Gu", "lee@contoso.com", false),
        ("u-1045", "Megan Bowen", "megan@contoso.com", false),
        ("u-1046", "Alex Wilber", "alex@contoso.com", false),
        ("u-1001", "Adele Vance", "adele@contoso.com", true),
    ] {
        let expected = json!({ "id": id, "name": name, "email": email, "isAdmin": is_admin });
        assert!(users.contains(&expected), "missing {expected} in {users:?}");
    }

    // Every seeded user has an Argon2id hash of a password nobody knows.
    let conn = app.sqlite();
    let mut stmt = conn
        .prepare("SELECT password_hash, must_change_password FROM users")
        .unwrap();
    let rows: Vec<(String, bool)> = stmt
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), users.len());
    assert!(rows
        .iter()
        .all(|(hash, must_change)| hash.starts_with("$argon2id$") && !must_change));
    assert_eq!(app.sign_in("u-1042", "").await.status, 401);
    assert_eq!(app.sign_in("u-1042", "password").await.status, 401);
    // Except the demo admin's, which is the documented demo credential.
    assert_eq!(app.sign_in("u-1001", DEMO_ADMIN_PASSWORD).await.status, 200);
    assert_eq!(app.sign_in("u-1042", DEMO_ADMIN_PASSWORD).await.status, 401);
}

#[tokio::test]
async fn seeding_happens_once_and_creates_parent_directories() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("dirs").join("demo.sqlite");
    let first = reset_backend::db::open(&path, DEMO_ADMIN_PASSWORD).unwrap();
    let hashes = |conn: &rusqlite::Connection| -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT password_hash FROM users ORDER BY id")
            .unwrap();
        stmt.query_map([], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let before = hashes(&first);
    drop(first);
    let second = reset_backend::db::open(&path, DEMO_ADMIN_PASSWORD).unwrap();
    assert_eq!(before, hashes(&second), "a second start must not re-seed");
    assert_eq!(before.len(), 6);
}

#[tokio::test]
async fn reset_then_sign_in_with_the_new_password() {
    let app = TestApp::new();
    let response = app.reset(&reset_body(&["u-1042"], PASSWORD)).await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.header("content-type"), "application/json");
    assert_eq!(response.header("cache-control"), "no-store");
    assert_eq!(
        response.json(),
        json!({
            "results": [{ "userId": "u-1042", "status": "reset" }],
            "delivery": {
                "status": "queued",
                "detail": "Written to the demo outbox (/outbox); no mail server is configured."
            }
        })
    );

    let signed_in = app.sign_in("u-1042", PASSWORD).await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.text());
    assert_eq!(signed_in.json(), json!({ "mustChangePassword": true }));

    let wrong = app.sign_in("u-1042", "Violet-Anchor-Grove-48").await;
    assert_eq!(
        wrong.problem(401)["detail"],
        "The user id or password is incorrect."
    );
    // Another user's password is untouched.
    assert_eq!(app.sign_in("u-1043", PASSWORD).await.status, 401);
    assert_eq!(app.resets_of("u-1042").await, (1, vec![]));
}

#[tokio::test]
async fn the_old_password_stops_working_and_the_flag_follows_the_request() {
    let app = TestApp::new();
    assert_eq!(
        app.reset(&reset_body(&["u-1044"], "first-password-1"))
            .await
            .status,
        200
    );
    let mut body = reset_body(&["u-1044"], "second-password-2");
    body["forceChangePasswordNextSignIn"] = json!(false);
    body["passwordSource"] = json!("custom");
    assert_eq!(app.reset(&body).await.status, 200);

    assert_eq!(app.sign_in("u-1044", "first-password-1").await.status, 401);
    let signed_in = app.sign_in("u-1044", "second-password-2").await;
    assert_eq!(signed_in.json(), json!({ "mustChangePassword": false }));

    let sources: Vec<String> = {
        let conn = app.sqlite();
        let mut stmt = conn
            .prepare("SELECT password_source FROM resets ORDER BY id")
            .unwrap();
        stmt.query_map([], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(sources, ["generated", "custom"]);
}

#[tokio::test]
async fn the_database_never_holds_the_plaintext() {
    let app = TestApp::new();
    let password = "Plaintext-Canary-93417";
    let response = app
        .reset_with_key(
            &reset_body(&["u-1042", "u-1043"], password),
            "0d3c9a38-7d6a-4b43-9bd2-6f7c2d1f6a11",
        )
        .await;
    assert_eq!(response.status, 200);
    assert!(!response.text().contains(password));

    let hash: String = app
        .sqlite()
        .query_row(
            "SELECT password_hash FROM users WHERE id = 'u-1042'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
    // What recognises a retry holds the passwords too: it is salted and slow
    // like them, not a fast hash that guesses could be tested against.
    let fingerprint: String = app
        .sqlite()
        .query_row(
            "SELECT request_hash FROM idempotency WHERE key = 'reset u-1001 0d3c9a38-7d6a-4b43-9bd2-6f7c2d1f6a11'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(fingerprint.starts_with("$argon2id$v=19$"), "{fingerprint}");

    // Scan every file SQLite wrote (main file, WAL, shared memory), bytes
    // and all, for the password.
    let data_dir = app.config.db_path.parent().unwrap();
    let mut scanned = 0;
    for entry in std::fs::read_dir(data_dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(
            !bytes
                .windows(password.len())
                .any(|w| w == password.as_bytes()),
            "plaintext found on disk"
        );
        scanned += bytes.len();
    }
    assert!(scanned > 0);
}

#[tokio::test]
async fn the_outbox_gets_one_masked_message() {
    let app = TestApp::new();
    assert_eq!(
        app.reset(&reset_body(&["u-1042"], PASSWORD)).await.status,
        200
    );

    let outbox = app.outbox().await;
    assert_eq!(outbox.len(), 1);
    let message = &outbox[0];
    assert_eq!(message["to"], json!([ADMIN]));
    assert_eq!(
        message["subject"],
        "Password reset for Diane Prescott (u-1042)"
    );
    assert_eq!(message["status"], "queued");
    let body = message["body"].as_str().unwrap();
    assert!(
        body.starts_with(
            "The password for Diane Prescott (u-1042) has been reset.\n\
             Temporary password: •••••••• (omitted from the demo outbox)\n\
             They must change it at next sign-in.\n"
        ),
        "{body}"
    );
    assert!(!message.to_string().contains(PASSWORD));

    let page = app
        .request(
            axum::http::Method::GET,
            "/outbox",
            &[("cookie", &app.admin.cookie)],
            axum::body::Body::empty(),
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").starts_with("text/html"));
    assert!(page
        .text()
        .contains("Password reset for Diane Prescott (u-1042)"));
    assert!(page.text().contains("••••••••"));
    assert!(!page.text().contains(PASSWORD));
    assert!(
        !page.text().contains("style="),
        "the outbox page must not use inline styles"
    );
    assert!(page
        .text()
        .contains("Signed in as <strong>Adele Vance</strong>"));
    // Without a session it says so, and links to the sign-in page.
    let anonymous = app.get("/outbox").await.text();
    assert!(!anonymous.contains("Signed in as"));
    assert!(anonymous.contains(r#"<a href="/sign-in.html">Sign in</a>"#));
}

#[tokio::test]
async fn outbox_lists_newest_first() {
    let app = TestApp::new();
    assert_eq!(
        app.reset(&reset_body(&["u-1042"], PASSWORD)).await.status,
        200
    );
    assert_eq!(
        app.reset(&reset_body(&["u-1043"], PASSWORD)).await.status,
        200
    );
    let subjects: Vec<Value> = app
        .outbox()
        .await
        .iter()
        .map(|m| m["subject"].clone())
        .collect();
    assert_eq!(
        subjects,
        [
            json!("Password reset for Joni Sherman (u-1043)"),
            json!("Password reset for Diane Prescott (u-1042)")
        ]
    );
}

#[tokio::test]
async fn empty_deliver_to_writes_no_message() {
    let app = TestApp::new();
    let mut body = reset_body(&["u-1045"], PASSWORD);
    body["deliverTo"] = json!([]);
    let response = app.reset(&body).await;
    assert_eq!(response.status, 200);
    assert_eq!(
        response.json()["delivery"],
        json!({ "status": "sent", "detail": "No e-mail was requested." })
    );
    assert!(app.outbox().await.is_empty());
    assert_eq!(app.sign_in("u-1045", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn several_users_with_one_unknown_is_a_partial_success() {
    let app = TestApp::new();
    let response = app
        .reset(&reset_body(&["u-1042", "u-9999", "u-1043"], PASSWORD))
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    let json = response.json();
    assert_eq!(
        json["results"],
        json!([
            { "userId": "u-1042", "status": "reset" },
            { "userId": "u-9999", "status": "failed", "detail": "No user with this id exists." },
            { "userId": "u-1043", "status": "reset" },
        ])
    );
    assert_eq!(json["delivery"]["status"], "queued");
    assert_eq!(app.sign_in("u-1042", PASSWORD).await.status, 200);
    assert_eq!(app.sign_in("u-1043", PASSWORD).await.status, 200);

    // One message for the request, listing every user that was reset.
    let outbox = app.outbox().await;
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0]["subject"], "Password reset for 2 users");
    let body = outbox[0]["body"].as_str().unwrap();
    assert!(body.contains("Diane Prescott (u-1042)") && body.contains("Joni Sherman (u-1043)"));
    assert!(!body.contains("u-9999") && !body.contains(PASSWORD));
}

#[tokio::test]
async fn several_unknown_users_reset_nothing_and_send_nothing() {
    let app = TestApp::new();
    let response = app
        .reset(&reset_body(&["u-9998", "u-9999"], PASSWORD))
        .await;
    assert_eq!(response.status, 200);
    let json = response.json();
    assert!(json["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["status"] == "failed"));
    assert_eq!(
        json["delivery"],
        json!({ "status": "sent", "detail": "No password was reset, so no e-mail was written." })
    );
    assert!(app.outbox().await.is_empty());
}

#[tokio::test]
async fn one_unknown_user_is_a_404_and_changes_nothing() {
    let app = TestApp::new();
    let response = app.reset(&reset_body(&["u-9999"], PASSWORD)).await;
    let problem = response.problem(404);
    assert_eq!(problem["title"], "Unknown user");
    assert_eq!(response.error_fields(), ["resets[0].userId"]);
    assert!(!response.text().contains(PASSWORD));
    assert!(app.outbox().await.is_empty());
    assert_eq!(app.resets_of("u-9999").await, (0, vec![]));
}
