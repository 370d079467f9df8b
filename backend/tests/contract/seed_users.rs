//! Demo users for bulk tests: `--seed-users N` on a new database, and the
//! test-mode `POST /api/test/users`.

use std::collections::HashSet;

use serde_json::{json, Value};

use reset_backend::config::DEMO_ADMIN_PASSWORD;
use reset_backend::db::DEMO_ADMIN_ID;

use crate::common::{reset_body, TestApp};

const PASSWORD: &str = "Violet-Anchor-Grove-47";

/// `(id, password_hash, is_admin)` of every user, by id.
fn stored_users(app: &TestApp) -> Vec<(String, String, bool)> {
    let conn = app.sqlite();
    let mut stmt = conn
        .prepare("SELECT id, password_hash, is_admin FROM users ORDER BY id")
        .unwrap();
    stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[tokio::test]
async fn seed_users_adds_generated_users_to_a_new_database() {
    let started = std::time::Instant::now();
    let app = TestApp::with_new_database(|config| config.seed_users = 89);
    let seeding = started.elapsed();

    let users = app.get_as(&app.admin, "/api/users").await.json();
    let users = users.as_array().unwrap();
    assert_eq!(users.len(), 6 + 89);
    let generated: Vec<&Value> = users
        .iter()
        .filter(|u| u["id"].as_str().unwrap().starts_with("u-2"))
        .collect();
    let mut ids: Vec<&str> = generated
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    let expected: Vec<String> = (2001..=2089).map(|n| format!("u-{n}")).collect();
    assert_eq!(ids, expected);
    assert!(users.contains(&json!({
        "id": "u-2001", "name": "Isaiah Langer", "email": "isaiah.langer@contoso.com", "isAdmin": false
    })));

    let names: HashSet<&str> = users.iter().map(|u| u["name"].as_str().unwrap()).collect();
    let emails: HashSet<&str> = users.iter().map(|u| u["email"].as_str().unwrap()).collect();
    assert_eq!(names.len(), users.len(), "names are unique");
    assert_eq!(emails.len(), users.len(), "addresses are unique");
    for user in &generated {
        assert_eq!(user["isAdmin"], false);
        let name = user["name"].as_str().unwrap().to_lowercase();
        let (first, last) = name.split_once(' ').unwrap();
        assert_eq!(user["email"], format!("{first}.{last}@contoso.com"));
    }

    // Every user but the admin has the one placeholder hash: Argon2id of a
    // random secret that was discarded, computed once for the whole seed.
    let stored = stored_users(&app);
    let placeholders: HashSet<&str> = stored
        .iter()
        .filter(|(id, _, _)| id != DEMO_ADMIN_ID)
        .map(|(_, hash, _)| hash.as_str())
        .collect();
    assert_eq!(placeholders.len(), 1, "hashed once, not once per user");
    let placeholder = *placeholders.iter().next().unwrap();
    assert!(placeholder.starts_with("$argon2id$v=19$"), "{placeholder}");
    let admin = stored
        .iter()
        .find(|(id, _, _)| id == DEMO_ADMIN_ID)
        .unwrap();
    assert_ne!(admin.1, placeholder);
    assert_eq!(
        stored.iter().filter(|(_, _, is_admin)| *is_admin).count(),
        1,
        "only the demo admin is an administrator"
    );
    // Two Argon2 hashes however many users: well under what 95 would take.
    assert!(seeding.as_secs() < 30, "seeding took {seeding:?}");

    // Nobody can sign in as a generated user until a reset.
    assert_eq!(app.sign_in("u-2001", "").await.status, 401);
    assert_eq!(app.sign_in("u-2001", DEMO_ADMIN_PASSWORD).await.status, 401);
    assert_eq!(
        app.sign_in(DEMO_ADMIN_ID, DEMO_ADMIN_PASSWORD).await.status,
        200
    );
    let response = app.reset(&reset_body(&["u-2045"], PASSWORD)).await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(app.sign_in("u-2045", PASSWORD).await.status, 200);
    assert_eq!(app.sign_in("u-2046", PASSWORD).await.status, 401);
}

#[tokio::test]
async fn seed_users_only_applies_to_a_new_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.sqlite");
    let count = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row("SELECT COUNT(*) FROM users", [], |row| row.get(0))
            .unwrap()
    };
    let conn = reset_backend::db::open_with_extra_users(&path, DEMO_ADMIN_PASSWORD, 3).unwrap();
    assert_eq!(count(&conn), 9);
    drop(conn);
    let conn = reset_backend::db::open_with_extra_users(&path, DEMO_ADMIN_PASSWORD, 40).unwrap();
    assert_eq!(count(&conn), 9, "an existing database is not re-seeded");
    drop(conn);

    // Without the option: the six demo users only.
    let plain = dir.path().join("plain.sqlite");
    assert_eq!(
        count(&reset_backend::db::open(&plain, DEMO_ADMIN_PASSWORD).unwrap()),
        6
    );
}

// ------------------------------------------------------ POST /api/test/users

#[tokio::test]
async fn test_users_creates_a_user_without_a_usable_password() {
    let app = TestApp::new();
    let ghost = json!({ "id": "u-9999", "name": "Ghost User", "email": "ghost@contoso.com" });
    let response = app
        .post_json_as(&app.admin, "/api/test/users", &ghost)
        .await;
    assert_eq!(response.status, 201, "{}", response.text());
    assert_eq!(response.header("content-type"), "application/json");
    let created = json!({
        "id": "u-9999", "name": "Ghost User", "email": "ghost@contoso.com", "isAdmin": false
    });
    assert_eq!(response.json(), created);

    let users = app.get_as(&app.admin, "/api/users").await.json();
    assert!(users.as_array().unwrap().contains(&created));
    let (_, hash, is_admin) = stored_users(&app)
        .into_iter()
        .find(|(id, _, _)| id == "u-9999")
        .unwrap();
    assert!(hash.starts_with("$argon2id$v=19$") && !is_admin, "{hash}");
    assert_eq!(app.sign_in("u-9999", "").await.status, 401);

    // The new user can be reset like any other, and then signs in.
    let response = app.reset(&reset_body(&["u-9999"], PASSWORD)).await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(app.sign_in("u-9999", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn test_users_refuses_an_existing_id_with_409() {
    let app = TestApp::new();
    let before = stored_users(&app);
    let taken = json!({ "id": "u-1042", "name": "Someone Else", "email": "else@contoso.com" });
    let response = app
        .post_json_as(&app.admin, "/api/test/users", &taken)
        .await;
    let problem = response.problem(409);
    assert_eq!(problem["title"], "User exists");
    assert_eq!(response.error_fields(), ["id"]);
    assert_eq!(stored_users(&app), before, "nothing changed");
    let users = app.get_as(&app.admin, "/api/users").await.json();
    assert!(users
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["id"] == "u-1042" && u["name"] == "Diane Prescott"));

    // The same new id twice: the second is the conflict.
    let new = json!({ "id": "u-5000", "name": "Nova Reyes", "email": "nova.reyes@contoso.com" });
    assert_eq!(
        app.post_json_as(&app.admin, "/api/test/users", &new)
            .await
            .status,
        201
    );
    app.post_json_as(&app.admin, "/api/test/users", &new)
        .await
        .problem(409);
}

#[tokio::test]
async fn test_users_validates_the_body() {
    let app = TestApp::new();
    let missing_id = app
        .post_json_as(
            &app.admin,
            "/api/test/users",
            &json!({ "name": "No Id", "email": "noid@contoso.com" }),
        )
        .await;
    missing_id.problem(422);
    assert_eq!(missing_id.error_fields(), ["id"]);

    for (body, fields) in [
        (
            json!({ "id": " ", "name": "Blank Id", "email": "b@contoso.com" }),
            vec!["id"],
        ),
        (
            json!({ "id": "u-5001", "email": "n@contoso.com" }),
            vec!["name"],
        ),
        (json!({ "id": "u-5001", "name": "No Mail" }), vec!["email"]),
        (
            json!({ "id": "u-5001", "name": "Bad Mail", "email": "not an address" }),
            vec!["email"],
        ),
        (json!({}), vec!["id", "name", "email"]),
        (
            json!({ "id": null, "name": "", "email": "x@contoso.com" }),
            vec!["id", "name"],
        ),
    ] {
        let response = app.post_json_as(&app.admin, "/api/test/users", &body).await;
        response.problem(422);
        assert_eq!(response.error_fields(), fields, "{body}");
    }

    // Not the expected shape: 400; not JSON: 415. Nothing is created.
    app.post_json_as(
        &app.admin,
        "/api/test/users",
        &json!({ "id": "u-5001", "name": "X Y", "email": "x@contoso.com", "role": "admin" }),
    )
    .await
    .problem(400);
    app.post_json_as(
        &app.admin,
        "/api/test/users",
        &json!({ "id": 5001, "name": "X Y", "email": "x@contoso.com" }),
    )
    .await
    .problem(400);
    app.post_raw(
        "/api/test/users",
        &[
            ("content-type", "text/plain"),
            app.admin.headers()[0],
            app.admin.headers()[1],
        ],
        "u-5001",
    )
    .await
    .problem(415);
    assert!(stored_users(&app).iter().all(|(id, _, _)| id != "u-5001"));
}
