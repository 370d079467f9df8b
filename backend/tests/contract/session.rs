//! `/api/session`: sign-in, the cookie, reading and ending a session.

use axum::body::Body;
use axum::http::Method;
use reset_backend::config::DEMO_ADMIN_PASSWORD;
use reset_backend::sessions;
use serde_json::json;

use crate::common::{reset_body, TestApp, TestResponse};

const PASSWORD: &str = "Session-Test-Pass-31";

/// The cookie value from a `Set-Cookie` header (`reset_session=<value>; …`).
fn cookie_value(response: &TestResponse) -> String {
    let set_cookie = response.set_cookie();
    let first = set_cookie.split(';').next().unwrap();
    let (name, value) = first.split_once('=').unwrap();
    assert_eq!(name, "reset_session", "{set_cookie}");
    value.to_owned()
}

/// The `Set-Cookie` attributes after the `name=value` pair.
fn attributes(response: &TestResponse) -> Vec<String> {
    response
        .set_cookie()
        .split(';')
        .skip(1)
        .map(|a| a.trim().to_owned())
        .collect()
}

async fn get_session(app: &TestApp, cookie: &str) -> TestResponse {
    app.request(
        Method::GET,
        "/api/session",
        &[("cookie", cookie)],
        Body::empty(),
    )
    .await
}

/// `DELETE /api/session`, with the given headers (a cookie, or none).
async fn sign_out(app: &TestApp, headers: &[(&str, &str)]) -> TestResponse {
    app.request(Method::DELETE, "/api/session", headers, Body::empty())
        .await
}

#[tokio::test]
async fn the_demo_admin_signs_in_and_gets_a_session_cookie() {
    let app = TestApp::new();
    let response = app.start_session("u-1001", DEMO_ADMIN_PASSWORD).await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.header("content-type"), "application/json");
    assert_eq!(response.header("cache-control"), "no-store");
    let session = response.json();
    assert_eq!(session["userId"], "u-1001");
    assert_eq!(session["name"], "Adele Vance");
    assert_eq!(session["isAdmin"], true);
    assert_eq!(session.as_object().unwrap().len(), 4, "{session}");
    let csrf = session["csrfToken"].as_str().unwrap();
    assert_eq!(csrf.len(), 43, "256 bits in base64url");

    // 256 random bits, base64url; HttpOnly, SameSite=Strict, Path=/; no
    // Secure over plain HTTP.
    let token = cookie_value(&response);
    assert_eq!(token.len(), 43);
    assert!(token
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert_ne!(token, csrf);
    let attributes = attributes(&response);
    for expected in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800"] {
        assert!(
            attributes.iter().any(|a| a == expected),
            "{expected} missing: {attributes:?}"
        );
    }
    assert!(!attributes.iter().any(|a| a == "Secure"), "{attributes:?}");

    // The database has the hash of the cookie, not the cookie; 8 hours.
    let conn = app.sqlite();
    let (hash, user, stored_csrf, hours): (String, String, String, f64) = conn
        .query_row(
            "SELECT token_hash, user_id, csrf_token,
                    (julianday(expires_at) - julianday(created_at)) * 24
             FROM sessions WHERE user_id = 'u-1001' ORDER BY created_at DESC LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .unwrap();
    assert_eq!(hash, sessions::token_hash(&token));
    assert_ne!(hash, token);
    assert_eq!(user, "u-1001");
    assert_eq!(stored_csrf, csrf);
    assert!((hours - 8.0).abs() < 0.001, "{hours}");
    let raw: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sessions WHERE token_hash = ?1",
            [&token],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(raw, 0, "the cookie value itself is not stored");

    // GET /api/session answers the same JSON for this cookie.
    let read = get_session(&app, &format!("theme=dark; reset_session={token}")).await;
    assert_eq!(read.status, 200, "{}", read.text());
    assert_eq!(read.json(), session);
    assert_eq!(read.set_cookie(), "", "reading does not touch the cookie");
}

#[tokio::test]
async fn wrong_credentials_are_a_401_without_a_cookie() {
    let app = TestApp::new();
    for (user, password) in [
        ("u-1001", "Contoso-Admin-Demo-2025"),
        ("u-9999", DEMO_ADMIN_PASSWORD),
        ("u-1042", DEMO_ADMIN_PASSWORD),
    ] {
        let response = app.start_session(user, password).await;
        let problem = response.problem(401);
        assert_eq!(problem["title"], "Sign-in failed");
        assert_eq!(problem["detail"], "The user id or password is incorrect.");
        assert_eq!(response.set_cookie(), "");
    }
    let sessions: i64 = app
        .sqlite()
        .query_row("SELECT COUNT(*) FROM sessions", [], |row| row.get(0))
        .unwrap();
    assert_eq!(sessions, 1, "only the harness's admin session");

    app.post_raw(
        "/api/session",
        &[("content-type", "application/json")],
        "{\"userId\":",
    )
    .await
    .problem(400);
    app.post_raw("/api/session", &[], "{}").await.problem(415);
}

#[tokio::test]
async fn without_a_live_session_get_is_a_401() {
    let app = TestApp::new();
    let none = app.get("/api/session").await;
    let problem = none.problem(401);
    assert_eq!(problem["title"], "Sign-in required");
    assert_eq!(
        problem["detail"],
        "Your session has expired or you are not signed in."
    );
    assert_eq!(none.set_cookie(), "");

    // A well-formed cookie the server never issued: 401, and the cookie is cleared.
    let forged = get_session(&app, &format!("reset_session={}", sessions::new_token())).await;
    forged.problem(401);
    assert!(
        forged.set_cookie().starts_with("reset_session=;")
            && forged.set_cookie().contains("Max-Age=0"),
        "{}",
        forged.set_cookie()
    );
    get_session(&app, "reset_session=not-a-token")
        .await
        .problem(401);

    // An expired session is over, and the next sign-in sweeps it away.
    let expired = TestApp::session_in_db(&app.state, "u-1001");
    app.sqlite()
        .execute(
            "UPDATE sessions SET expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 second')",
            [],
        )
        .unwrap();
    get_session(&app, &expired.cookie).await.problem(401);
    let reset = app
        .reset_as(
            &expired,
            &[("content-type", "application/json")],
            reset_body(&["u-1042"], PASSWORD).to_string(),
        )
        .await;
    assert_eq!(reset.problem(401)["title"], "Sign-in required");
    assert_eq!(
        app.start_session("u-1001", DEMO_ADMIN_PASSWORD)
            .await
            .status,
        200
    );
    let left: i64 = app
        .sqlite()
        .query_row("SELECT COUNT(*) FROM sessions", [], |row| row.get(0))
        .unwrap();
    assert_eq!(left, 1, "only the new session is left");
}

#[tokio::test]
async fn delete_signs_out() {
    let app = TestApp::new();
    let signed_in = app.start_session("u-1001", DEMO_ADMIN_PASSWORD).await;
    let cookie = format!("reset_session={}", cookie_value(&signed_in));
    let csrf = signed_in.json()["csrfToken"].as_str().unwrap().to_owned();

    let out = sign_out(&app, &[("cookie", &cookie)]).await;
    assert_eq!(out.status, 204, "{}", out.text());
    assert_eq!(
        out.set_cookie(),
        "reset_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"
    );
    get_session(&app, &cookie).await.problem(401);
    // The old cookie and token no longer reset anything.
    let reset = app
        .post_raw(
            "/api/password-resets",
            &[
                ("content-type", "application/json"),
                ("cookie", &cookie),
                ("x-csrf-token", &csrf),
            ],
            reset_body(&["u-1042"], PASSWORD).to_string(),
        )
        .await;
    reset.problem(401);
    assert_eq!(app.resets_of("u-1042").await.0, 0);

    // Signing out twice, or without a session, is fine.
    let again = sign_out(&app, &[("cookie", &cookie)]).await;
    assert_eq!(again.status, 204);
    let anonymous = sign_out(&app, &[]).await;
    assert_eq!(anonymous.status, 204);
}

#[tokio::test]
async fn signing_in_again_replaces_the_session() {
    let app = TestApp::new();
    let first = app.start_session("u-1001", DEMO_ADMIN_PASSWORD).await;
    let first_cookie = format!("reset_session={}", cookie_value(&first));
    let second = app
        .post_raw(
            "/api/session",
            &[
                ("content-type", "application/json"),
                ("cookie", &first_cookie),
            ],
            json!({ "userId": "u-1001", "password": DEMO_ADMIN_PASSWORD }).to_string(),
        )
        .await;
    assert_eq!(second.status, 200);
    let second_cookie = format!("reset_session={}", cookie_value(&second));
    assert_ne!(first_cookie, second_cookie);
    assert_ne!(first.json()["csrfToken"], second.json()["csrfToken"]);
    get_session(&app, &first_cookie).await.problem(401);
    assert_eq!(get_session(&app, &second_cookie).await.status, 200);
}

#[tokio::test]
async fn the_cookie_is_secure_behind_https() {
    let app = TestApp::new();
    let body = json!({ "userId": "u-1001", "password": DEMO_ADMIN_PASSWORD }).to_string();
    let proxied = app
        .post_raw(
            "/api/session",
            &[
                ("content-type", "application/json"),
                ("x-forwarded-proto", "https"),
            ],
            body.clone(),
        )
        .await;
    assert_eq!(proxied.status, 200);
    assert!(attributes(&proxied).iter().any(|a| a == "Secure"));

    let always = TestApp::with_config(|config| config.secure_cookies = true);
    let response = always.start_session("u-1001", DEMO_ADMIN_PASSWORD).await;
    assert_eq!(response.status, 200);
    assert!(attributes(&response).iter().any(|a| a == "Secure"));
    let out = sign_out(&always, &[]).await;
    assert!(
        out.set_cookie().ends_with("; Secure"),
        "{}",
        out.set_cookie()
    );
}

#[tokio::test]
async fn a_non_admin_can_sign_in_and_a_reset_ends_their_sessions() {
    let app = TestApp::new();
    assert_eq!(
        app.reset(&reset_body(&["u-1042"], PASSWORD)).await.status,
        200
    );
    let response = app.start_session("u-1042", PASSWORD).await;
    assert_eq!(response.status, 200, "{}", response.text());
    let session = response.json();
    assert_eq!(session["userId"], "u-1042");
    assert_eq!(session["name"], "Diane Prescott");
    assert_eq!(session["isAdmin"], false);
    let cookie = format!("reset_session={}", cookie_value(&response));
    assert_eq!(get_session(&app, &cookie).await.status, 200);

    // The admin resets Diane's password again: her session ends.
    assert_eq!(
        app.reset(&reset_body(&["u-1042"], "Another-Session-Pass-2"))
            .await
            .status,
        200
    );
    get_session(&app, &cookie).await.problem(401);
    // The admin's own session is untouched.
    assert_eq!(get_session(&app, &app.admin.cookie).await.status, 200);
}

#[tokio::test]
async fn the_admin_password_comes_from_the_configuration_on_a_fresh_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fresh.sqlite");
    let conn = reset_backend::db::open(&path, "Another-Admin-Pass-9").unwrap();
    let hash: String = conn
        .query_row(
            "SELECT password_hash FROM users WHERE id = 'u-1001'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(reset_backend::passwords::verify(
        "Another-Admin-Pass-9",
        &hash
    ));
    assert!(!reset_backend::passwords::verify(
        DEMO_ADMIN_PASSWORD,
        &hash
    ));
    drop(conn);
    // An existing database keeps its passwords.
    let conn = reset_backend::db::open(&path, DEMO_ADMIN_PASSWORD).unwrap();
    let again: String = conn
        .query_row(
            "SELECT password_hash FROM users WHERE id = 'u-1001'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(hash, again);
}
