//! `POST /api/password-changes` and the must-change session.

use serde_json::{json, Value};

use crate::common::{reset_body, Auth, TestApp};

const TEMPORARY: &str = "Temporary-Pass-1";
const CHOSEN: &str = "My-Own-Choice-42";
const REQUIRED: &str = "/problems/password-change-required";

fn change(user: &str, current: &str, new: &str) -> Value {
    json!({ "userId": user, "currentPassword": current, "newPassword": new })
}

/// Diane gets a temporary password from the admin and signs in with it.
async fn must_change_user(app: &TestApp) -> Auth {
    assert_eq!(
        app.reset(&reset_body(&["u-1042"], TEMPORARY)).await.status,
        200
    );
    let signed_in = app.start_session("u-1042", TEMPORARY).await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.text());
    assert_eq!(signed_in.json()["mustChangePassword"], true);
    let cookie = signed_in.set_cookie().split(';').next().unwrap().to_owned();
    Auth {
        cookie,
        csrf_token: signed_in.json()["csrfToken"].as_str().unwrap().to_owned(),
    }
}

#[tokio::test]
async fn a_must_change_session_may_only_change_its_password() {
    let app = TestApp::new();
    let diane = must_change_user(&app).await;
    assert_eq!(
        app.get_as(&diane, "/api/session").await.json()["mustChangePassword"],
        true
    );

    app.get_as(&diane, "/api/users")
        .await
        .typed_problem(403, REQUIRED);
    app.get_as(&diane, "/api/outbox")
        .await
        .typed_problem(403, REQUIRED);
    let refused = app
        .reset_as(
            &diane,
            &[("content-type", "application/json")],
            reset_body(&["u-1043"], "Whatever-Pass-1").to_string(),
        )
        .await;
    // Diane is no administrator: the reset says so first, as it always did.
    assert_eq!(refused.problem(403)["title"], "Not allowed");
    // Another user's session (the admin's) still reads them.
    assert_eq!(app.get_as(&app.admin, "/api/users").await.status, 200);

    let changed = app
        .change_password(&diane, "k-1", &change("u-1042", TEMPORARY, CHOSEN))
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text());
    assert_eq!(changed.json(), json!({ "status": "changed" }));

    // The same session is now a normal one.
    let session = app.get_as(&diane, "/api/session").await;
    assert_eq!(session.status, 200);
    assert_eq!(
        session.json().get("mustChangePassword"),
        None,
        "sent only when true"
    );
    // Past the guard: the listing is an administrator's.
    let listing = app.get_as(&diane, "/api/users").await;
    assert_eq!(listing.problem(403)["title"], "Not allowed");
    // Not an admin, so the reset says "Not allowed" as it always did.
    let refused = app
        .reset_as(
            &diane,
            &[("content-type", "application/json")],
            reset_body(&["u-1043"], "Whatever-Pass-1").to_string(),
        )
        .await;
    assert_eq!(refused.problem(403)["title"], "Not allowed");

    assert_eq!(
        app.sign_in("u-1042", CHOSEN).await.json()["mustChangePassword"],
        false
    );
    assert_eq!(app.sign_in("u-1042", TEMPORARY).await.status, 401);
    let expiry: Option<String> = app
        .sqlite()
        .query_row(
            "SELECT temporary_password_expires_at FROM users WHERE id = 'u-1042'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(expiry, None);
}

#[tokio::test]
async fn a_must_change_administrator_cannot_reset() {
    let app = TestApp::new();
    app.sqlite()
        .execute(
            "UPDATE users SET must_change_password = 1 WHERE id = 'u-1001'",
            [],
        )
        .unwrap();
    let problem = app
        .reset(&reset_body(&["u-1043"], "Whatever-Pass-1"))
        .await
        .typed_problem(403, REQUIRED);
    assert_eq!(problem["title"], "Password change required");
    assert_eq!(app.sign_in("u-1043", "Whatever-Pass-1").await.status, 401);
    // Without the CSRF token the CSRF check still comes first.
    let no_csrf = app
        .post_raw(
            "/api/password-resets",
            &[
                ("content-type", "application/json"),
                ("cookie", &app.admin.cookie),
            ],
            reset_body(&["u-1043"], "Whatever-Pass-1").to_string(),
        )
        .await;
    assert_eq!(no_csrf.problem(403)["title"], "CSRF token missing or wrong");
}

#[tokio::test]
async fn a_change_ends_every_other_session_and_notifies_without_the_password() {
    let app = TestApp::new();
    app.set_password_in_db("u-1044", TEMPORARY, false);
    let here = TestApp::session_in_db(&app.state, "u-1044");
    let elsewhere = TestApp::session_in_db(&app.state, "u-1044");
    let other_user = TestApp::session_in_db(&app.state, "u-1045");
    assert_eq!(
        app.get_as(&here, "/api/session")
            .await
            .json()
            .get("mustChangePassword"),
        None,
        "sent only when true"
    );

    let changed = app
        .change_password(&here, "k-1", &change("u-1044", TEMPORARY, CHOSEN))
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text());
    assert_eq!(app.get_as(&here, "/api/session").await.status, 200);
    assert_eq!(app.get_as(&elsewhere, "/api/session").await.status, 401);
    assert_eq!(app.get_as(&other_user, "/api/session").await.status, 200);
    assert_eq!(app.sessions_of("u-1044"), 1);

    app.settle().await;
    let outbox = app.outbox().await;
    let notice = &outbox[0];
    assert_eq!(notice["subject"], "Your password was changed");
    assert_eq!(
        notice["to"],
        json!(["lee@contoso.com", "lee.gu@alt.contoso.test"])
    );
    let body = notice["body"].as_str().unwrap();
    assert!(body.starts_with("Your password was changed"), "{body}");
    assert!(!body.contains(CHOSEN) && !body.contains(TEMPORARY));
}

#[tokio::test]
async fn who_may_change_and_what_the_request_needs() {
    let app = TestApp::new();
    let lee = TestApp::session_in_db(&app.state, "u-1044");
    let body = change("u-1044", TEMPORARY, CHOSEN).to_string();
    let json = ("content-type", "application/json");
    let key = ("idempotency-key", "k-1");

    // No session: 401. Cookie without the CSRF token: 403.
    let none = app
        .post_raw("/api/password-changes", &[json, key], body.clone())
        .await;
    assert_eq!(none.problem(401)["title"], "Sign-in required");
    let no_csrf = app
        .post_raw(
            "/api/password-changes",
            &[json, key, ("cookie", &lee.cookie)],
            body.clone(),
        )
        .await;
    assert_eq!(no_csrf.problem(403)["title"], "CSRF token missing or wrong");
    // No key: 400 on the header.
    let mut headers = vec![json];
    headers.extend(lee.headers());
    let no_key = app
        .post_raw("/api/password-changes", &headers, body.clone())
        .await;
    no_key.problem(400);
    assert_eq!(no_key.error_fields(), ["Idempotency-Key"]);
    // Bad JSON and unknown fields: 400.
    app.change_password(&lee, "k-1", &json!({ "userId": "u-1044" }))
        .await
        .problem(400);
    let mut extra = change("u-1044", TEMPORARY, CHOSEN);
    extra["other"] = json!(1);
    app.change_password(&lee, "k-1", &extra).await.problem(400);
    // Someone else's password: 403.
    let other = app
        .change_password(&lee, "k-1", &change("u-1045", TEMPORARY, CHOSEN))
        .await;
    assert_eq!(other.problem(403)["title"], "Not allowed");
    // An admin cannot change another user's password this way either.
    let admin = app
        .change_password(&app.admin, "k-2", &change("u-1044", TEMPORARY, CHOSEN))
        .await;
    assert_eq!(admin.problem(403)["title"], "Not allowed");
}

#[tokio::test]
async fn a_wrong_current_password_changes_nothing_and_is_rate_limited() {
    let app = TestApp::new();
    app.set_password_in_db("u-1044", TEMPORARY, true);
    let lee = TestApp::session_in_db(&app.state, "u-1044");
    let elsewhere = TestApp::session_in_db(&app.state, "u-1044");

    for attempt in 0..5 {
        let wrong = app
            .change_password(
                &lee,
                &format!("k-{attempt}"),
                &change("u-1044", "Not-The-Password", CHOSEN),
            )
            .await;
        let problem = wrong.problem(422);
        assert_eq!(
            problem["errors"],
            json!([{ "field": "currentPassword", "detail": "The current password is wrong." }])
        );
    }
    let limited = app
        .change_password(&lee, "k-9", &change("u-1044", TEMPORARY, CHOSEN))
        .await;
    limited.problem(429);
    assert!(limited.header("retry-after").parse::<u64>().unwrap() >= 1);
    // The limit is the sign-in's too.
    assert_eq!(app.sign_in("u-1044", TEMPORARY).await.status, 429);

    // Nothing changed: still must-change, both sessions live, no notice.
    assert_eq!(
        app.get_as(&lee, "/api/session").await.json()["mustChangePassword"],
        true
    );
    assert_eq!(app.get_as(&elsewhere, "/api/session").await.status, 200);
    app.settle().await;
    assert!(app.outbox().await.is_empty());
}

#[tokio::test]
async fn the_new_password_must_pass_the_widgets_policy_and_be_new() {
    let app = TestApp::new();
    app.set_password_in_db("u-1044", TEMPORARY, true);
    let lee = TestApp::session_in_db(&app.state, "u-1044");
    let same = app
        .change_password(&lee, "k-1", &change("u-1044", TEMPORARY, TEMPORARY))
        .await;
    assert_eq!(
        same.problem(422)["errors"],
        json!([{ "field": "newPassword", "detail": "The new password must differ from the current one." }])
    );
    // The widget's own policy, with its reason codes and words.
    let codes = |problem: serde_json::Value| -> Vec<(String, String)> {
        problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["field"].as_str().unwrap().to_owned(),
                    e["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let short = app
        .change_password(&lee, "k-2", &change("u-1044", TEMPORARY, "short"))
        .await;
    assert_eq!(
        codes(short.problem(422)),
        [
            ("newPassword".into(), "tooShort".into()),
            ("newPassword".into(), "tooWeak".into())
        ]
    );
    let long = app
        .change_password(&lee, "k-3", &change("u-1044", TEMPORARY, &"é".repeat(257)))
        .await;
    let long = long.problem(422);
    assert_eq!(long["errors"][0]["detail"], "Use at most 256 characters.");
    assert_eq!(long["errors"][0]["code"], "tooLong");
    // Long enough but easy to guess, or made of the user's own name.
    let weak = app
        .change_password(
            &lee,
            "k-4",
            &change("u-1044", TEMPORARY, "passwordpassword"),
        )
        .await;
    assert_eq!(
        codes(weak.problem(422)),
        [("newPassword".into(), "tooWeak".into())]
    );
    let own_name = app
        .change_password(
            &lee,
            "k-5",
            &change("u-1044", TEMPORARY, "Quokka-Lee-Gu-Marmalade-48"),
        )
        .await;
    assert_eq!(
        codes(own_name.problem(422)),
        [("newPassword".into(), "containsUserInfo".into())]
    );
    assert_eq!(
        app.get_as(&lee, "/api/session").await.json()["mustChangePassword"],
        true
    );
}

#[tokio::test]
async fn a_retry_replays_the_change_even_though_the_password_changed() {
    let app = TestApp::new();
    app.set_password_in_db("u-1044", TEMPORARY, true);
    let lee = TestApp::session_in_db(&app.state, "u-1044");
    let body = change("u-1044", TEMPORARY, CHOSEN);
    let first = app.change_password(&lee, "k-1", &body).await;
    assert_eq!(first.status, 200, "{}", first.text());
    let retry = app.change_password(&lee, "k-1", &body).await;
    assert_eq!(retry.status, 200, "{}", retry.text());
    assert_eq!(retry.body, first.body);
    assert_eq!(retry.header("idempotent-replayed"), "true");
    // The same key with another body: 422, as for resets.
    let other = app
        .change_password(&lee, "k-1", &change("u-1044", TEMPORARY, "Yet-Another-1"))
        .await;
    assert_eq!(
        other.problem(422).get("errors").unwrap()[0]["field"],
        "Idempotency-Key"
    );
    // One change, one notice.
    app.settle().await;
    assert_eq!(app.outbox().await.len(), 1);
    assert_eq!(app.sign_in("u-1044", CHOSEN).await.status, 200);
}

#[tokio::test]
async fn an_expired_temporary_password_signs_nobody_in() {
    let app = TestApp::new();
    assert_eq!(
        app.reset(&reset_body(&["u-1042"], TEMPORARY)).await.status,
        200
    );
    let (expiry, in_hours): (Option<String>, f64) = app
        .sqlite()
        .query_row(
            "SELECT temporary_password_expires_at,
                    (julianday(temporary_password_expires_at) - julianday('now')) * 24
             FROM users WHERE id = 'u-1042'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(expiry.is_some());
    assert!((71.9..=72.0).contains(&in_hours), "{in_hours}");

    app.sqlite()
        .execute(
            "UPDATE users SET temporary_password_expires_at = '2000-01-01T00:00:00.000Z' WHERE id = 'u-1042'",
            [],
        )
        .unwrap();
    let refused = app.start_session("u-1042", TEMPORARY).await;
    let problem = refused.typed_problem(403, "/problems/temporary-password-expired");
    assert_eq!(
        problem["detail"],
        "Your temporary password has expired. Ask an administrator to reset your password again."
    );
    assert_eq!(refused.set_cookie(), "");
    assert_eq!(app.sessions_of("u-1042"), 0);
    app.sign_in("u-1042", TEMPORARY)
        .await
        .typed_problem(403, "/problems/temporary-password-expired");
    // A wrong password is a 401 as ever.
    assert_eq!(
        app.start_session("u-1042", "Wrong-Password-1").await.status,
        401
    );

    // A reset that does not require a change makes a lasting password.
    let mut lasting = reset_body(&["u-1042"], TEMPORARY);
    lasting["forceChangePasswordNextSignIn"] = json!(false);
    assert_eq!(app.reset(&lasting).await.status, 200);
    let signed_in = app.start_session("u-1042", TEMPORARY).await;
    assert_eq!(signed_in.status, 200);
    assert_eq!(
        signed_in.json().get("mustChangePassword"),
        None,
        "sent only when true"
    );
}

#[tokio::test]
async fn the_expiry_follows_the_option() {
    let app = TestApp::with_config(|config| config.temporary_password_hours = 2);
    assert_eq!(
        app.reset(&reset_body(&["u-1042"], TEMPORARY)).await.status,
        200
    );
    let in_hours: f64 = app
        .sqlite()
        .query_row(
            "SELECT (julianday(temporary_password_expires_at) - julianday('now')) * 24 FROM users WHERE id = 'u-1042'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!((1.9..=2.0).contains(&in_hours), "{in_hours}");
}

#[tokio::test]
async fn a_must_change_administrator_sees_no_admin_page_either() {
    let app = TestApp::new();
    app.set_password_in_db("u-1001", TEMPORARY, true);
    let signed_in = app.start_session("u-1001", TEMPORARY).await;
    assert_eq!(signed_in.json()["mustChangePassword"], true);
    let admin = Auth {
        cookie: signed_in.set_cookie().split(';').next().unwrap().to_owned(),
        csrf_token: signed_in.json()["csrfToken"].as_str().unwrap().to_owned(),
    };
    for api in ["/api/outbox", "/api/audit"] {
        app.get_as(&admin, api).await.typed_problem(403, REQUIRED);
    }
    // The pages say so in HTML, with a 403 and none of their content.
    for page in ["/outbox", "/audit"] {
        let refused = app.get_as(&admin, page).await;
        assert_eq!(refused.status, 403, "{page}");
        assert!(!refused.text().contains("Signed in as"), "{page}");
    }
    // Once the password is changed, they open.
    let changed = app
        .change_password(&admin, "k-1", &change("u-1001", TEMPORARY, CHOSEN))
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text());
    assert_eq!(app.get_as(&admin, "/outbox").await.status, 200);
}
