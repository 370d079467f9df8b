//! Step-up: resetting an administrator's password needs the acting admin's
//! own password, confirmed through `POST /api/session/step-up` within the
//! last `--step-up-minutes` (5 by default). Refused, nothing is applied or
//! stored, so the same Idempotency-Key goes through after the step-up.

use reset_backend::config::DEMO_ADMIN_PASSWORD;
use serde_json::{json, Value};

use crate::common::{repo_dir, reset_body, Auth, TestApp, TestResponse};

const STEP_UP_REQUIRED: &str = "/problems/step-up-required";
/// A second administrator, made by the test-mode endpoint.
const OTHER_ADMIN: &str = "u-9001";
const OLD_PASSWORD: &str = "Harbour-Lantern-Quiet-Orbit-71";
const NEW_PASSWORD: &str = "Vq8#tLm2!pZx9wRk";

/// An app with a second administrator whose password is [`OLD_PASSWORD`].
async fn app_with_second_admin(adjust: impl FnOnce(&mut reset_backend::Config)) -> TestApp {
    let app = TestApp::with_config(adjust);
    let created = app
        .post_json_as(
            &app.admin,
            "/api/test/users",
            &json!({ "id": OTHER_ADMIN, "name": "Nestor Wilke", "email": "nestor@contoso.com", "isAdmin": true }),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(created.json()["isAdmin"], true);
    app.set_password_in_db(OTHER_ADMIN, OLD_PASSWORD, false);
    app
}

async fn step_up(app: &TestApp, auth: &Auth, password: &str) -> TestResponse {
    app.post_json_as(
        auth,
        "/api/session/step-up",
        &json!({ "password": password }),
    )
    .await
}

fn idempotency_records(app: &TestApp) -> i64 {
    app.sqlite()
        .query_row("SELECT COUNT(*) FROM idempotency", [], |row| row.get(0))
        .unwrap()
}

/// Moves every session's step-up `ago` (an SQLite modifier: `-6 minutes`).
fn stepped_up(app: &TestApp, ago: &str) {
    app.sqlite()
        .execute(
            &format!(
                "UPDATE sessions SET stepped_up_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '{ago}')
                 WHERE stepped_up_at IS NOT NULL"
            ),
            [],
        )
        .unwrap();
}

fn reset_of_admin() -> Value {
    reset_body(&[OTHER_ADMIN], NEW_PASSWORD)
}

#[tokio::test]
async fn a_reset_of_an_administrator_without_a_step_up_is_refused_and_changes_nothing() {
    let app = app_with_second_admin(|_| {}).await;
    let refused = app.reset_with_key(&reset_of_admin(), "key-1").await;
    let problem = refused.typed_problem(403, STEP_UP_REQUIRED);
    assert_eq!(problem["title"], "Confirm your password");
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains("Nothing was changed"));

    assert_eq!(app.resets_of(OTHER_ADMIN).await, (0, vec![]));
    assert_eq!(app.sign_in(OTHER_ADMIN, OLD_PASSWORD).await.status, 200);
    assert_eq!(app.sign_in(OTHER_ADMIN, NEW_PASSWORD).await.status, 401);
    assert_eq!(idempotency_records(&app), 0, "no record for the key");
    assert!(app.outbox().await.is_empty(), "no e-mail");

    // A batch with an administrator among ordinary users: nobody is reset.
    let mixed = reset_body(&["u-1042", OTHER_ADMIN], NEW_PASSWORD);
    app.reset_with_key(&mixed, "key-2")
        .await
        .typed_problem(403, STEP_UP_REQUIRED);
    assert_eq!(app.resets_of("u-1042").await.0, 0);
    // The acting administrator's own account counts as an administrator's.
    app.reset(&reset_body(&["u-1001"], NEW_PASSWORD))
        .await
        .typed_problem(403, STEP_UP_REQUIRED);
    // Keeping the passwords and requiring a change also needs it.
    let require = json!({
        "resets": [{ "userId": OTHER_ADMIN }],
        "passwordSource": "unchanged",
        "forceChangePasswordNextSignIn": true,
        "deliverTo": [],
    });
    app.reset(&require)
        .await
        .typed_problem(403, STEP_UP_REQUIRED);
    assert_eq!(app.resets_of(OTHER_ADMIN).await.0, 0);
}

#[tokio::test]
async fn a_wrong_password_is_a_field_error_and_the_right_one_lets_the_same_key_through() {
    let app = app_with_second_admin(|_| {}).await;
    app.reset_with_key(&reset_of_admin(), "key-1")
        .await
        .typed_problem(403, STEP_UP_REQUIRED);

    let wrong = step_up(&app, &app.admin, "Not-My-Password-123").await;
    let problem = wrong.problem(422);
    assert_eq!(wrong.error_fields(), ["password"]);
    assert_eq!(problem["errors"][0]["detail"], "The password is wrong.");
    assert!(!wrong.text().contains("Not-My-Password-123"));
    let empty = step_up(&app, &app.admin, "").await;
    empty.problem(422);
    assert_eq!(empty.error_fields(), ["password"]);
    app.reset_with_key(&reset_of_admin(), "key-1")
        .await
        .typed_problem(403, STEP_UP_REQUIRED);

    let confirmed = step_up(&app, &app.admin, DEMO_ADMIN_PASSWORD).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.text());
    assert_eq!(
        confirmed.json(),
        json!({ "status": "confirmed", "expiresInSeconds": 300 })
    );

    let done = app.reset_with_key(&reset_of_admin(), "key-1").await;
    assert_eq!(done.status, 200, "{}", done.text());
    assert_eq!(done.json()["results"][0]["status"], "reset");
    assert_eq!(done.header("idempotent-replayed"), "", "a first answer");
    assert_eq!(
        app.resets_of(OTHER_ADMIN).await,
        (1, vec!["key-1".to_owned()])
    );
    assert_eq!(app.sign_in(OTHER_ADMIN, NEW_PASSWORD).await.status, 200);
    assert_eq!(app.sign_in(OTHER_ADMIN, OLD_PASSWORD).await.status, 401);

    // A retry of the applied request is a replay, even once the step-up is over.
    stepped_up(&app, "-10 minutes");
    let replayed = app.reset_with_key(&reset_of_admin(), "key-1").await;
    assert_eq!(replayed.status, 200);
    assert_eq!(replayed.header("idempotent-replayed"), "true");
    assert_eq!(replayed.body, done.body);
    assert_eq!(app.resets_of(OTHER_ADMIN).await.0, 1);
}

#[tokio::test]
async fn a_step_up_expires_and_belongs_to_its_session() {
    let app = app_with_second_admin(|_| {}).await;
    assert_eq!(
        step_up(&app, &app.admin, DEMO_ADMIN_PASSWORD).await.status,
        200
    );
    // Another session of the same administrator has not stepped up.
    let other_tab = TestApp::session_in_db(&app.state, "u-1001");
    app.reset_as(
        &other_tab,
        &[("content-type", "application/json")],
        reset_of_admin().to_string(),
    )
    .await
    .typed_problem(403, STEP_UP_REQUIRED);

    stepped_up(&app, "-4 minutes");
    assert_eq!(app.reset(&reset_of_admin()).await.status, 200);
    stepped_up(&app, "-6 minutes");
    app.reset(&reset_of_admin())
        .await
        .typed_problem(403, STEP_UP_REQUIRED);

    // `--step-up-minutes` sets the window.
    let app = app_with_second_admin(|config| config.step_up_minutes = 15).await;
    let confirmed = step_up(&app, &app.admin, DEMO_ADMIN_PASSWORD).await;
    assert_eq!(confirmed.json()["expiresInSeconds"], 900);
    stepped_up(&app, "-14 minutes");
    assert_eq!(app.reset(&reset_of_admin()).await.status, 200);
    stepped_up(&app, "-16 minutes");
    app.reset(&reset_of_admin())
        .await
        .typed_problem(403, STEP_UP_REQUIRED);
}

#[tokio::test]
async fn a_reset_of_ordinary_users_never_needs_a_step_up() {
    let app = app_with_second_admin(|_| {}).await;
    let done = app
        .reset_with_key(&reset_body(&["u-1042", "u-1043"], NEW_PASSWORD), "k")
        .await;
    assert_eq!(done.status, 200, "{}", done.text());
    // Nor does an unknown id (it is nobody's, so no administrator's).
    let unknown = app
        .reset(&reset_body(&["u-1042", "u-4040"], NEW_PASSWORD))
        .await;
    assert_eq!(unknown.status, 200, "{}", unknown.text());
    assert_eq!(
        app.reset(&reset_body(&["u-4040"], NEW_PASSWORD))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn the_step_up_needs_an_administrators_session_and_its_csrf_token() {
    let app = app_with_second_admin(|_| {}).await;
    let body = json!({ "password": DEMO_ADMIN_PASSWORD }).to_string();
    let json_only = [("content-type", "application/json")];
    app.post_raw("/api/session/step-up", &json_only, body.clone())
        .await
        .problem(401);
    let no_csrf = [json_only[0], ("cookie", app.admin.cookie.as_str())];
    let refused = app
        .post_raw("/api/session/step-up", &no_csrf, body.clone())
        .await;
    assert_eq!(refused.problem(403)["title"], "CSRF token missing or wrong");

    app.set_password_in_db("u-1042", OLD_PASSWORD, false);
    let diane = TestApp::session_in_db(&app.state, "u-1042");
    let not_admin = step_up(&app, &diane, OLD_PASSWORD).await;
    assert_eq!(not_admin.problem(403)["title"], "Not allowed");

    app.post_raw(
        "/api/session/step-up",
        &[json_only[0], app.admin.headers()[0], app.admin.headers()[1]],
        r#"{"password":"x","extra":1}"#,
    )
    .await
    .problem(400);
    // None of these stepped the session up.
    app.reset(&reset_of_admin())
        .await
        .typed_problem(403, STEP_UP_REQUIRED);
}

#[tokio::test]
async fn wrong_step_up_passwords_count_against_the_sign_in_limit() {
    let app = app_with_second_admin(|config| config.sign_in_limit = 2).await;
    for _ in 0..2 {
        step_up(&app, &app.admin, "Wrong-Guess-Again-1")
            .await
            .problem(422);
    }
    let limited = step_up(&app, &app.admin, DEMO_ADMIN_PASSWORD).await;
    limited.problem(429);
    assert!(limited.header("retry-after").parse::<u64>().unwrap() > 0);
    // The same count as sign-in's: the admin's own sign-in is limited too.
    assert_eq!(app.sign_in("u-1001", DEMO_ADMIN_PASSWORD).await.status, 429);
    app.reset(&reset_of_admin())
        .await
        .typed_problem(403, STEP_UP_REQUIRED);
}

#[tokio::test]
async fn the_step_up_and_its_problem_match_their_schemas() {
    let app = app_with_second_admin(|_| {}).await;
    let refused = app.reset(&reset_of_admin()).await;
    assert_matches("problem.schema.json", &refused.json());
    let request = json!({ "password": "Not-My-Password-123" });
    assert_matches("step-up-request.schema.json", &request);
    let wrong = app
        .post_json_as(&app.admin, "/api/session/step-up", &request)
        .await;
    assert_matches("problem.schema.json", &wrong.json());
    let confirmed = step_up(&app, &app.admin, DEMO_ADMIN_PASSWORD).await;
    assert_matches("step-up-response.schema.json", &confirmed.json());
    assert!(rejects(
        "step-up-request.schema.json",
        &json!({ "password": "" })
    ));
    assert!(rejects(
        "step-up-request.schema.json",
        &json!({ "userId": "u-1001", "password": "x" })
    ));
}

fn compile(name: &str) -> (boon::Schemas, boon::SchemaIndex) {
    let path = repo_dir("schema").join(name);
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let url = format!("file:///schema/{name}");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource(&url, json).unwrap();
    let index = compiler.compile(&url, &mut schemas).unwrap();
    (schemas, index)
}

fn assert_matches(name: &str, value: &Value) {
    let (schemas, index) = compile(name);
    if let Err(error) = schemas.validate(value, index) {
        panic!("{value} does not match {name}: {error:#}");
    }
}

fn rejects(name: &str, value: &Value) -> bool {
    let (schemas, index) = compile(name);
    schemas.validate(value, index).is_err()
}

#[tokio::test]
async fn every_step_up_answer_is_in_the_audit_trail_without_the_password() {
    let app = app_with_second_admin(|_| {}).await;
    step_up(&app, &app.admin, "Not-My-Password-123")
        .await
        .problem(422);
    assert_eq!(
        step_up(&app, &app.admin, DEMO_ADMIN_PASSWORD).await.status,
        200
    );
    let trail = app.get_as(&app.admin, "/api/audit").await;
    let rows: Vec<(String, String, String)> = trail
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["action"] == "step-up")
        .map(|row| {
            let text = |key: &str| row[key].as_str().unwrap_or("").to_owned();
            (text("actor"), text("subject"), text("outcome"))
        })
        .collect();
    // Newest first: the confirmation, then the wrong password.
    let admin = || "u-1001".to_owned();
    assert_eq!(
        rows,
        [
            (admin(), admin(), "confirmed".to_owned()),
            (admin(), admin(), "refused".to_owned()),
        ]
    );
    assert!(!trail.text().contains("Not-My-Password-123"));
    assert!(!trail.text().contains(DEMO_ADMIN_PASSWORD));
}

#[tokio::test]
async fn an_older_database_keeps_its_audit_trail_and_records_step_ups() {
    let app = app_with_second_admin(|_| {}).await;
    // The audit table as it was before step-ups were recorded.
    app.sqlite()
        .execute_batch(
            "DROP TABLE audit;
             CREATE TABLE audit (
                 id         INTEGER PRIMARY KEY,
                 created_at TEXT NOT NULL,
                 actor_id   TEXT NULL,
                 subject_id TEXT NULL,
                 action     TEXT NOT NULL CHECK (action IN ('admin-reset', 'password-change', 'recovery')),
                 outcome    TEXT NOT NULL,
                 detail     TEXT NULL,
                 client     TEXT NOT NULL
             );
             INSERT INTO audit VALUES
                 (5, '2026-01-01T00:00:00.000Z', 'u-1001', 'u-1042', 'admin-reset', 'reset', NULL, '127.0.0.1');",
        )
        .unwrap();
    let state = reset_backend::AppState::from_config(&app.config).unwrap();
    let conn = state.db.lock().unwrap();
    let rows = |conn: &rusqlite::Connection| -> Vec<(i64, String)> {
        let mut stmt = conn
            .prepare("SELECT id, action FROM audit ORDER BY id")
            .unwrap();
        stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(rows(&conn), [(5, "admin-reset".to_owned())]);
    reset_backend::audit::Actor::new(Some("u-1001"), None)
        .record(
            &conn,
            reset_backend::audit::Action::StepUp,
            Some("u-1001"),
            "confirmed",
            None,
        )
        .unwrap();
    assert_eq!(rows(&conn).len(), 2);
}
