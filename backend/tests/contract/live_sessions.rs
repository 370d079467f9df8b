//! A session is only as good as the directory's word now: its user's name
//! and role are read from the directory at every request (a demoted
//! administrator is no administrator at the next one, a deleted user is
//! signed out), a must-change sign-in stays must-change until the
//! session's own change whatever the directory says later, and a directory
//! that does not answer is a 503, never a pass. Sign-in attempts count per
//! account however its id is spelled, and are refused before the directory
//! is asked anything; a reset that names one user twice (in two spellings
//! the directory takes for one) is refused; the directory listing is for
//! administrators.

use std::sync::Arc;
use std::time::Duration;

use reset_backend::config::DEMO_ADMIN_PASSWORD;
use reset_backend::db;
use reset_backend::directory::DIRECTORY_UNAVAILABLE;
use reset_backend::rate_limit::SignInLimiter;
use reset_backend::router;
use reset_backend::routes::auth::PASSWORD_CHANGE_REQUIRED as REQUIRED;
use rusqlite::Connection;
use serde_json::json;

use crate::common::{reset_body, Auth, TestApp};
use crate::directory::{app_with_directory_journal, lock, password_is};

const TEMPORARY: &str = "Temporary-Quokka-Pass-7";
const CHOSEN: &str = "Vq8#tLm2!pZx9wRk";
const KEY: &str = "0b7e2f4c-1d3a-4c5e-8f90-a1b2c3d4e5f6";

fn sql(app: &TestApp, statement: &str) {
    app.sqlite().execute_batch(statement).unwrap();
}

#[tokio::test]
async fn a_demoted_administrator_is_no_administrator_at_the_next_request() {
    let app = TestApp::new();
    let session = app.get_as(&app.admin, "/api/session").await.json();
    assert_eq!(session["isAdmin"], true);
    assert_eq!(app.get_as(&app.admin, "/api/outbox").await.status, 200);

    sql(
        &app,
        "UPDATE users SET is_admin = 0, name = 'Adele Demoted' WHERE id = 'u-1001'",
    );
    let session = app.get_as(&app.admin, "/api/session").await.json();
    assert_eq!(session["isAdmin"], false, "{session}");
    assert_eq!(session["name"], "Adele Demoted");
    for path in ["/api/outbox", "/api/audit", "/api/users"] {
        let refused = app.get_as(&app.admin, path).await;
        assert_eq!(refused.problem(403)["title"], "Not allowed", "{path}");
    }
    let refused = app.reset(&reset_body(&["u-1042"], CHOSEN)).await;
    assert_eq!(refused.problem(403)["title"], "Not allowed");
    let step_up = app
        .post_json_as(
            &app.admin,
            "/api/session/step-up",
            &json!({ "password": DEMO_ADMIN_PASSWORD }),
        )
        .await;
    assert_eq!(step_up.problem(403)["title"], "Not allowed");

    // Promoted again: at once too.
    sql(&app, "UPDATE users SET is_admin = 1 WHERE id = 'u-1001'");
    assert_eq!(app.get_as(&app.admin, "/api/outbox").await.status, 200);
}

#[tokio::test]
async fn a_user_the_directory_no_longer_has_is_signed_out() {
    let app = TestApp::new();
    let lee = TestApp::session_in_db(&app.state, "u-1044");
    let other = TestApp::session_in_db(&app.state, "u-1044");
    assert_eq!(app.get_as(&lee, "/api/session").await.status, 200);

    sql(&app, "DELETE FROM users WHERE id = 'u-1044'");
    let gone = app.get_as(&lee, "/api/session").await;
    assert_eq!(gone.problem(401)["title"], "Sign-in required");
    assert!(
        gone.set_cookie().contains("Max-Age=0"),
        "the cookie goes: {}",
        gone.set_cookie()
    );
    // The other session of the user ends at its next request, on any API.
    let change = json!({ "userId": "u-1044", "currentPassword": TEMPORARY, "newPassword": CHOSEN });
    let refused = app.change_password(&other, "k-1", &change).await;
    assert_eq!(refused.problem(401)["title"], "Sign-in required");
    assert_eq!(app.sessions_of("u-1044"), 0, "both sessions are deleted");
    // The admin, still in the directory, is not affected.
    assert_eq!(app.get_as(&app.admin, "/api/session").await.status, 200);
}

/// A must-change session of `user_id`, signed in with [`TEMPORARY`].
fn must_change_session(app: &TestApp, user_id: &str) -> Auth {
    app.set_password_in_db(user_id, TEMPORARY, true);
    TestApp::session_in_db(&app.state, user_id)
}

#[tokio::test]
async fn a_must_change_sign_in_stays_one_until_its_own_change_whatever_the_directory_says() {
    let app = TestApp::new();
    let lee = must_change_session(&app, "u-1044");
    app.get_as(&lee, "/api/outbox")
        .await
        .typed_problem(403, REQUIRED);

    // The directory forgets it (AD reads an expired password as no flag;
    // an OpenLDAP ACL may hide pwdReset from the service account).
    sql(
        &app,
        "UPDATE users SET must_change_password = 0 WHERE id = 'u-1044'",
    );
    assert_eq!(
        app.get_as(&lee, "/api/session").await.json()["mustChangePassword"],
        true
    );
    app.get_as(&lee, "/api/outbox")
        .await
        .typed_problem(403, REQUIRED);
    // A step-up is no way out either (the extractor applies the rule).
    let step_up = app
        .post_json_as(
            &lee,
            "/api/session/step-up",
            &json!({ "password": TEMPORARY }),
        )
        .await;
    assert_eq!(step_up.status, 403);

    // The session's own change is.
    let change = json!({ "userId": "u-1044", "currentPassword": TEMPORARY, "newPassword": CHOSEN });
    let changed = app.change_password(&lee, "k-1", &change).await;
    assert_eq!(changed.status, 200, "{}", changed.text());
    let session = app.get_as(&lee, "/api/session").await.json();
    assert_eq!(session.get("mustChangePassword"), None, "{session}");
    let outbox = app.get_as(&lee, "/api/outbox").await;
    assert_eq!(
        outbox.problem(403)["title"],
        "Not allowed",
        "past the guard"
    );
}

#[tokio::test]
async fn a_change_of_another_user_id_spelling_is_not_the_sessions_own() {
    let app = TestApp::new();
    let lee = must_change_session(&app, "u-1044");
    let change = json!({ "userId": "U-1044", "currentPassword": TEMPORARY, "newPassword": CHOSEN });
    let refused = app.change_password(&lee, "k-1", &change).await;
    assert_eq!(refused.problem(403)["title"], "Not allowed");
    assert_eq!(
        app.get_as(&lee, "/api/session").await.json()["mustChangePassword"],
        true
    );
}

/// A must-change session whose directory does not answer is refused with
/// the directory's 503 on every guarded API: the guard does not let it
/// through on an error, and asks the directory once per request.
#[tokio::test]
async fn a_must_change_session_with_the_directory_down_gets_its_503_not_a_pass() {
    let (app, users) = app_with_directory_journal("DELETE");
    let hash = reset_backend::passwords::hash(TEMPORARY);
    Connection::open(&users)
        .unwrap()
        .execute(
            "UPDATE users SET password_hash = ?1, must_change_password = 1 WHERE id = 'u-1001'",
            [&hash],
        )
        .unwrap();
    let adele = app.start_session("u-1001", TEMPORARY).await;
    assert_eq!(adele.json()["mustChangePassword"], true, "{}", adele.text());
    let adele = Auth {
        cookie: adele.set_cookie().split(';').next().unwrap().to_owned(),
        csrf_token: adele.json()["csrfToken"].as_str().unwrap().to_owned(),
    };
    app.get_as(&adele, "/api/outbox")
        .await
        .typed_problem(403, REQUIRED);

    let hold = lock(&users);
    for path in ["/api/outbox", "/api/users", "/api/no-such-thing"] {
        let refused = app.get_as(&adele, path).await;
        refused.typed_problem(503, DIRECTORY_UNAVAILABLE);
        assert_eq!(refused.header("retry-after"), "5", "{path}");
    }
    drop(hold);
    app.get_as(&adele, "/api/outbox")
        .await
        .typed_problem(403, REQUIRED);
}

#[tokio::test]
async fn every_spelling_of_a_user_id_shares_one_sign_in_count() {
    let app = TestApp::with_config(|config| {
        config.sign_in_limit = 3;
        config.sign_in_client_limit = 100;
    });
    for typed in ["u-1001", "U-1001 ", " u-1001"] {
        assert_eq!(app.sign_in(typed, "Wrong-Guess-Pass-1").await.status, 401);
    }
    // The right password, typed as the directory has it: blocked too.
    let blocked = app.sign_in("u-1001", DEMO_ADMIN_PASSWORD).await;
    assert_eq!(blocked.problem(429)["title"], "Too many sign-in attempts");
    assert!(blocked.header("retry-after").parse::<u64>().unwrap() > 0);
    let blocked = app.start_session("U-1001", DEMO_ADMIN_PASSWORD).await;
    assert_eq!(blocked.status, 429);
}

/// Blocked is blocked before the directory is asked: a client over the
/// limit costs the directory nothing (here it could not answer anyway).
#[tokio::test]
async fn a_blocked_sign_in_is_refused_before_the_directory_is_asked() {
    let (mut app, users) = app_with_directory_journal("DELETE");
    app.state.sign_in_limiter = Arc::new(SignInLimiter::new(1, Duration::from_secs(300), 100));
    app.router = router(app.state.clone(), &app.config);
    assert_eq!(
        app.sign_in("made-up", "Wrong-Guess-Pass-1").await.status,
        401
    );
    assert_eq!(
        app.sign_in("u-1043", "Wrong-Guess-Pass-1").await.status,
        401
    );

    let hold = lock(&users);
    for id in ["made-up", "u-1043", "U-1043"] {
        let blocked = app.sign_in(id, "Wrong-Guess-Pass-1").await;
        assert_eq!(
            blocked.problem(429)["title"],
            "Too many sign-in attempts",
            "{id}"
        );
    }
    // An id that is not blocked needs the directory: 503, not counted.
    let unavailable = app.sign_in("u-1042", "Wrong-Guess-Pass-1").await;
    unavailable.typed_problem(503, DIRECTORY_UNAVAILABLE);
    drop(hold);
    assert_eq!(
        app.sign_in("u-1042", "Wrong-Guess-Pass-1").await.status,
        401
    );
}

/// The directory's file with ids compared without case, as LDAP compares
/// a `uid`: "U-1042" finds u-1042.
fn ids_without_case(users: &std::path::Path) {
    let conn = Connection::open(users).unwrap();
    let sql: String = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let sql = sql.replacen("users (", "users_nocase (", 1).replacen(
        "TEXT PRIMARY KEY",
        "TEXT PRIMARY KEY COLLATE NOCASE",
        1,
    );
    conn.execute_batch(&format!(
        "{sql};
         INSERT INTO users_nocase SELECT * FROM users;
         DROP TABLE users;
         ALTER TABLE users_nocase RENAME TO users;"
    ))
    .unwrap();
}

#[tokio::test]
async fn a_reset_naming_one_user_twice_in_two_spellings_is_refused() {
    let (app, users) = app_with_directory_journal("WAL");
    ids_without_case(&users);
    let found = app
        .get_as(&app.admin, "/api/users")
        .await
        .json()
        .as_array()
        .unwrap()
        .len();
    assert!(found > 3, "the directory still lists its users");

    let body = reset_body(&["u-1042", "u-1043", "U-1042"], CHOSEN);
    let refused = app.reset_with_key(&body, KEY).await;
    let problem = refused.problem(422);
    assert_eq!(
        problem["errors"],
        json!([{ "field": "resets[2].userId", "detail": "This user appears more than once." }]),
        "{problem}"
    );
    crate::schema::assert_matches("problem.schema.json", &problem);
    for id in ["u-1042", "u-1043"] {
        assert!(!password_is(&users, id, CHOSEN), "{id} is untouched");
    }
    let rows: i64 = app
        .sqlite()
        .query_row(
            "SELECT (SELECT COUNT(*) FROM resets) + (SELECT COUNT(*) FROM applied)
                  + (SELECT COUNT(*) FROM idempotency)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(rows, 0, "nothing recorded");

    // One spelling each: the directory's own id is what is reset.
    let done = app
        .reset_with_key(&reset_body(&["U-1042", "u-1043"], CHOSEN), KEY)
        .await;
    assert_eq!(done.status, 200, "{}", done.text());
    assert_eq!(done.json()["results"][0]["userId"], "u-1042");
    assert!(password_is(&users, "u-1042", CHOSEN));
}

#[tokio::test]
async fn the_directory_listing_is_for_administrators() {
    let app = TestApp::new();
    app.get("/api/users").await.problem(401);
    let lee = TestApp::session_in_db(&app.state, "u-1044");
    let refused = app.get_as(&lee, "/api/users").await;
    assert_eq!(refused.problem(403)["title"], "Not allowed");
    assert!(!refused.text().contains("@contoso.com"));
    assert_eq!(app.get_as(&app.admin, "/api/users").await.status, 200);
}

/// A database whose sessions predate the sign-in's must-change flag gets
/// the column; its sessions have none stored (the directory's word alone,
/// as they had it).
#[test]
fn an_older_database_gets_the_sessions_must_change_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("older.sqlite");
    let conn = db::open(&path, DEMO_ADMIN_PASSWORD).unwrap();
    conn.execute_batch(
        "ALTER TABLE sessions DROP COLUMN must_change_password;
         INSERT INTO sessions (token_hash, user_id, name, is_admin, csrf_token, created_at, expires_at)
         VALUES ('h', 'u-1001', 'Adele', 1, 'c', '2000-01-01T00:00:00.000Z', '2999-01-01T00:00:00.000Z');",
    )
    .unwrap();
    drop(conn);
    let conn = db::open(&path, DEMO_ADMIN_PASSWORD).unwrap();
    let session = db::sessions::find(&conn, "h", None).unwrap().unwrap();
    assert!(!session.must_change_password);
    db::sessions::insert(&conn, "i", ("u-1042", "Diane", false), true, "d", 8).unwrap();
    assert!(
        db::sessions::find(&conn, "i", None)
            .unwrap()
            .unwrap()
            .must_change_password
    );
}
