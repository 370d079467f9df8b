//! A directory outside the backend's own transaction: here the SQLite
//! directory over a file of its own (the users), so that the backend's
//! records (sessions, journal, idempotency records, audit, outbox) and the
//! users' passwords commit apart, as with LDAP. The directory fails for
//! real: another connection holds its file's write lock (the directory's
//! busy timeout is short), or a trigger refuses a password as a directory's
//! own rules would.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use reset_backend::db;
use reset_backend::directory::{
    Directory, SqliteDirectory, DIRECTORY_REFUSED, DIRECTORY_REFUSED_DETAIL, DIRECTORY_UNAVAILABLE,
};
use reset_backend::passwords;
use reset_backend::router;
use rusqlite::Connection;
use serde_json::json;

use crate::common::{reset_body, TestApp};

const KEY: &str = "6f1d2c3b-4a59-4e8d-9c7b-0a1b2c3d4e5f";
const PASSWORD: &str = "Vq8#tLm2!pZx9wRk";
const USERS: [&str; 5] = ["u-1042", "u-1043", "u-1044", "u-1045", "u-1046"];

/// The app with its users in `users.sqlite` beside its own database, which
/// keeps none: every user question goes to the directory.
fn app_with_separate_directory() -> (TestApp, PathBuf) {
    app_with_directory_journal("WAL")
}

/// [`app_with_separate_directory`], the directory's file in this journal
/// mode (`DELETE`: a writer's lock keeps readers out too).
pub(crate) fn app_with_directory_journal(mode: &str) -> (TestApp, PathBuf) {
    let mut app = TestApp::new();
    let users = app.dir.path().join("users.sqlite");
    let own = app.sqlite();
    own.execute("VACUUM INTO ?1", [users.to_str().unwrap()])
        .unwrap();
    own.execute_batch("DELETE FROM users").unwrap();
    let conn = db::open(&users, "unused: the file is seeded").unwrap();
    conn.busy_timeout(Duration::from_millis(200)).unwrap();
    conn.pragma_update(None, "journal_mode", mode).unwrap();
    // The directory's file holds no sessions, records or journal.
    conn.execute_batch("DELETE FROM sessions").unwrap();
    app.state.directory = Directory::Sqlite(SqliteDirectory::new(
        db::shared(conn),
        app.state.hash_permits.clone(),
        app.config.temporary_password_hours,
    ));
    app.router = router(app.state.clone(), &app.config);
    (app, users)
}

/// Holds the directory file's write lock until dropped.
pub(crate) struct Locked(Connection);

impl Drop for Locked {
    fn drop(&mut self) {
        self.0.execute_batch("ROLLBACK").unwrap();
    }
}

pub(crate) fn lock(users: &Path) -> Locked {
    let conn = Connection::open(users).unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    conn.execute_batch("BEGIN EXCLUSIVE").unwrap();
    Locked(conn)
}

pub(crate) fn password_is(users: &Path, id: &str, password: &str) -> bool {
    let hash: String = Connection::open(users)
        .unwrap()
        .query_row("SELECT password_hash FROM users WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap();
    passwords::verify(password, &hash)
}

fn count(app: &TestApp, sql: &str, id: &str) -> i64 {
    app.sqlite().query_row(sql, [id], |r| r.get(0)).unwrap()
}

/// Idempotency records kept.
fn records(app: &TestApp) -> i64 {
    app.sqlite()
        .query_row("SELECT COUNT(*) FROM idempotency", [], |r| r.get(0))
        .unwrap()
}

/// The backend's records of `id`'s reset with [`KEY`]: reset rows, audit
/// rows, journal rows.
fn records_of(app: &TestApp, id: &str) -> (i64, i64, i64) {
    (
        count(
            app,
            &format!(
                "SELECT COUNT(*) FROM resets WHERE user_id = ?1 AND idempotency_key = '{KEY}'"
            ),
            id,
        ),
        count(
            app,
            "SELECT COUNT(*) FROM audit WHERE subject_id = ?1 AND outcome = 'reset'",
            id,
        ),
        count(app, "SELECT COUNT(*) FROM applied WHERE user_id = ?1", id),
    )
}

#[tokio::test]
async fn sessions_and_the_users_list_work_with_no_user_in_the_backends_own_file() {
    let (app, _) = app_with_separate_directory();
    let own_users: i64 = app
        .sqlite()
        .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))
        .unwrap();
    assert_eq!(own_users, 0);
    let session = app.get_as(&app.admin, "/api/session").await.json();
    assert_eq!(session["userId"], "u-1001");
    assert_eq!(session["isAdmin"], true);
    let users = app.get_as(&app.admin, "/api/users").await.json();
    assert!(users.as_array().unwrap().len() >= USERS.len(), "{users}");
}

#[tokio::test]
async fn a_directory_that_does_not_answer_is_a_503_to_retry_and_nothing_is_reported_reset() {
    let (app, users) = app_with_separate_directory();
    let body = reset_body(&USERS[..3], PASSWORD);

    for id in &USERS[..3] {
        signed_in(&app, id);
    }
    let locked = lock(&users);
    let refused = app.reset_with_key(&body, KEY).await;
    let problem = refused.typed_problem(503, DIRECTORY_UNAVAILABLE);
    assert_eq!(problem["title"], "Directory unavailable");
    crate::schema::assert_matches("problem.schema.json", &problem);
    assert_eq!(refused.header("retry-after"), "5");
    drop(locked);

    // The first user's change was asked, its answer lost: journaled as
    // pending, audited as unknown, their sessions ended before the asking.
    // The others were never asked.
    assert_eq!(records_of(&app, USERS[0]), (0, 0, 1));
    assert_eq!(journal_status(&app, USERS[0]).as_deref(), Some("pending"));
    assert_eq!(unknown_rows(&app, USERS[0]), 1);
    assert_eq!(sessions_of(&app, USERS[0]), 0);
    for id in &USERS[1..3] {
        assert_eq!(records_of(&app, id), (0, 0, 0), "{id}");
        assert_eq!(unknown_rows(&app, id), 0, "{id}");
        assert_eq!(sessions_of(&app, id), 1, "{id}: not asked, kept");
    }
    for id in &USERS[..3] {
        assert!(!password_is(&users, id, PASSWORD), "{id}");
    }
    assert_eq!(
        records(&app),
        0,
        "no record: the same key may be sent again"
    );
    assert!(app.outbox().await.is_empty());

    // The widget's retry: the same request with the same key.
    let retried = app.reset_with_key(&body, KEY).await;
    assert_eq!(retried.status, 200, "{}", retried.text());
    assert_eq!(retried.header("idempotent-replayed"), "");
    for id in &USERS[..3] {
        assert_eq!(
            records_of(&app, id),
            (1, 1, 0),
            "{id}: once, journal folded"
        );
        assert!(password_is(&users, id, PASSWORD), "{id}");
    }
    let replayed = app.reset_with_key(&body, KEY).await;
    assert_eq!(replayed.header("idempotent-replayed"), "true");
    assert_eq!(replayed.body, retried.body);
    assert_eq!(app.outbox().await.len(), 1);
}

#[tokio::test]
async fn a_directory_lost_midway_loses_nothing_and_the_retry_changes_nobody_twice() {
    let (app, users) = app_with_separate_directory();
    let body = reset_body(&USERS, PASSWORD);

    // The reset runs; once the directory has accepted a first user, its
    // file is locked: the users after that one cannot be changed.
    let locker = {
        let (own, users) = (app.config.db_path.clone(), users.clone());
        std::thread::spawn(move || {
            let own = Connection::open(own).unwrap();
            let deadline = Instant::now() + Duration::from_secs(60);
            loop {
                let journaled: i64 = own
                    .query_row(
                        "SELECT COUNT(*) FROM applied WHERE status != 'pending'",
                        [],
                        |r| r.get(0),
                    )
                    .unwrap_or(0);
                if journaled > 0 {
                    break;
                }
                assert!(Instant::now() < deadline, "no user was ever accepted");
                std::thread::sleep(Duration::from_millis(1));
            }
            lock(&users)
        })
    };
    let refused = app.reset_with_key(&body, KEY).await;
    refused.typed_problem(503, DIRECTORY_UNAVAILABLE);
    let locked = locker.join().unwrap();
    drop(locked);

    // Every user is either changed and recorded (once), or untouched; the
    // one whose change was asked when the directory went away is pending.
    let mut changed = 0;
    let mut pending = 0;
    for id in USERS {
        let set = password_is(&users, id, PASSWORD);
        let status = journal_status(&app, id);
        let expected = match (set, status.as_deref()) {
            (true, _) => (1, 1, 1),
            (false, Some("pending")) => {
                pending += 1;
                assert_eq!(unknown_rows(&app, id), 1, "{id}");
                (0, 0, 1)
            }
            (false, _) => (0, 0, 0),
        };
        assert_eq!(records_of(&app, id), expected, "{id}");
        changed += usize::from(set);
    }
    assert!(
        (1..USERS.len()).contains(&changed),
        "{changed} changed before the directory went away"
    );
    assert_eq!(pending, 1, "the one the directory did not answer");
    assert_eq!(records(&app), 0);

    // Another request under the same key is refused: the key is taken.
    let other = reset_body(&USERS, "Other-Quokka-Tundra-73!");
    let reused = app.reset_with_key(&other, KEY).await;
    assert_eq!(reused.status, 422, "{}", reused.text());
    assert_eq!(reused.error_fields(), ["Idempotency-Key"]);

    // The retry finishes the job: every user reset, none of them twice.
    let retried = app.reset_with_key(&body, KEY).await;
    assert_eq!(retried.status, 200, "{}", retried.text());
    let results = retried.json()["results"].as_array().unwrap().clone();
    assert!(
        results.iter().all(|r| r["status"] == "reset"),
        "{results:?}"
    );
    for id in USERS {
        assert_eq!(records_of(&app, id), (1, 1, 0), "{id}");
        assert!(password_is(&users, id, PASSWORD), "{id}");
    }
}

/// The journal row of `id` (any key): `pending`, `reset` or `required`.
fn journal_status(app: &TestApp, id: &str) -> Option<String> {
    use rusqlite::OptionalExtension;
    app.sqlite()
        .query_row("SELECT status FROM applied WHERE user_id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()
        .unwrap()
}

/// Audit rows of a change whose outcome is unknown.
fn unknown_rows(app: &TestApp, id: &str) -> i64 {
    count(
        app,
        "SELECT COUNT(*) FROM audit WHERE subject_id = ?1 AND outcome = 'unknown'",
        id,
    )
}

fn sessions_of(app: &TestApp, id: &str) -> i64 {
    count(app, "SELECT COUNT(*) FROM sessions WHERE user_id = ?1", id)
}

/// A live session of `id` in the backend's own file.
fn signed_in(app: &TestApp, id: &str) {
    app.sqlite()
        .execute(
            "INSERT INTO sessions (token_hash, user_id, name, is_admin, csrf_token, created_at, expires_at)
             VALUES ('hash-of-' || ?1, ?1, 'Someone', 0, 'c',
                     strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), '2999-01-01T00:00:00.000Z')",
            [id],
        )
        .unwrap();
}

/// The directory made the change, and the backend failed to record it (a
/// trigger in the backend's own file refuses u-1043's reset row, as a full
/// disk would): the journal still says the change was asked, no session of
/// the user survives it, and the retry with the same key makes it again
/// and records it, once; the users accepted before are not changed twice.
#[tokio::test]
async fn a_change_the_directory_made_but_the_backend_did_not_record_is_made_again_by_the_retry() {
    let (app, users) = app_with_separate_directory();
    let body = reset_body(&USERS[..3], PASSWORD);
    for id in &USERS[..3] {
        signed_in(&app, id);
    }
    app.sqlite()
        .execute_batch(
            "CREATE TRIGGER lost BEFORE INSERT ON resets WHEN NEW.user_id = 'u-1043'
             BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
        )
        .unwrap();

    let failed = app.reset_with_key(&body, KEY).await;
    assert_eq!(failed.status, 500, "{}", failed.text());
    assert!(
        password_is(&users, "u-1043", PASSWORD),
        "the directory has it"
    );
    assert_eq!(records_of(&app, "u-1043"), (0, 0, 1));
    assert_eq!(journal_status(&app, "u-1043").as_deref(), Some("pending"));
    assert_eq!(
        sessions_of(&app, "u-1043"),
        0,
        "ended before the directory was asked"
    );
    assert_eq!(records_of(&app, "u-1042"), (1, 1, 1));
    assert_eq!(journal_status(&app, "u-1042").as_deref(), Some("reset"));
    assert_eq!(sessions_of(&app, "u-1042"), 0);
    assert_eq!(records_of(&app, "u-1044"), (0, 0, 0));
    assert_eq!(sessions_of(&app, "u-1044"), 1, "never asked");
    assert!(!password_is(&users, "u-1044", PASSWORD));

    // u-1042's password changes behind the backend's back: a retry that
    // changed it again would undo that.
    let changed_since = passwords::hash("Someone-Else-Set-This-9!");
    Connection::open(&users)
        .unwrap()
        .execute(
            "UPDATE users SET password_hash = ?1 WHERE id = 'u-1042'",
            [&changed_since],
        )
        .unwrap();
    app.sqlite().execute_batch("DROP TRIGGER lost").unwrap();
    let retried = app.reset_with_key(&body, KEY).await;
    assert_eq!(retried.status, 200, "{}", retried.text());
    let results = retried.json()["results"].as_array().unwrap().clone();
    assert!(
        results.iter().all(|r| r["status"] == "reset"),
        "{results:?}"
    );
    for id in &USERS[..3] {
        assert_eq!(records_of(&app, id), (1, 1, 0), "{id}: once");
    }
    assert!(password_is(&users, "u-1043", PASSWORD));
    assert!(password_is(&users, "u-1044", PASSWORD));
    assert!(
        password_is(&users, "u-1042", "Someone-Else-Set-This-9!"),
        "accepted before: not changed twice"
    );
}

/// A user deleted between the lookup and the change (a trigger deletes
/// u-1043 as u-1042 is changed): that user fails like an unknown one, the
/// others go on.
#[tokio::test]
async fn a_user_deleted_midway_fails_alone_and_the_batch_goes_on() {
    let (app, users) = app_with_separate_directory();
    Connection::open(&users)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER gone AFTER UPDATE OF password_hash ON users WHEN NEW.id = 'u-1042'
             BEGIN DELETE FROM users WHERE id = 'u-1043'; END;",
        )
        .unwrap();
    let reset = app
        .reset(&reset_body(&["u-1042", "u-1043", "u-1044"], PASSWORD))
        .await;
    assert_eq!(reset.status, 200, "{}", reset.text());
    let results = reset.json()["results"].clone();
    assert_eq!(results[0]["status"], "reset");
    assert_eq!(results[1]["status"], "failed");
    assert_eq!(results[1]["detail"], "No user with this id exists.");
    assert_eq!(results[2]["status"], "reset");
    assert!(password_is(&users, "u-1044", PASSWORD));

    // Alone, the same is a 404, not a 500.
    Connection::open(&users)
        .unwrap()
        .execute_batch(
            "DROP TRIGGER gone;
             CREATE TRIGGER gone AFTER UPDATE OF password_hash ON users WHEN NEW.id = 'u-1044'
             BEGIN DELETE FROM users WHERE id = 'u-1045'; END;",
        )
        .unwrap();
    let two = app
        .reset(&reset_body(&["u-1044", "u-1045"], PASSWORD))
        .await;
    assert_eq!(
        two.json()["results"][1]["status"],
        "failed",
        "{}",
        two.text()
    );
}

/// The directory's own password rules: a trigger, as an organisation could
/// add, refuses u-1043's new passwords.
fn refuse_passwords_of(users: &Path, id: &str) {
    Connection::open(users)
        .unwrap()
        .execute_batch(&format!(
            "CREATE TRIGGER history BEFORE UPDATE OF password_hash ON users
             WHEN NEW.id = '{id}'
             BEGIN SELECT RAISE(ABORT, 'password history'); END;"
        ))
        .unwrap();
}

#[tokio::test]
async fn a_password_the_directory_refuses_is_a_422_at_its_field_and_the_others_go_on() {
    let (app, users) = app_with_separate_directory();
    let hash = passwords::hash("Joni-Current-Pass-8!");
    Connection::open(&users)
        .unwrap()
        .execute(
            "UPDATE users SET password_hash = ?1, must_change_password = 0 WHERE id = 'u-1043'",
            [&hash],
        )
        .unwrap();
    refuse_passwords_of(&users, "u-1043");

    let single = app
        .reset_with_key(&reset_body(&["u-1043"], PASSWORD), KEY)
        .await;
    let problem = single.problem(422);
    assert_eq!(problem["errors"][0]["field"], "resets[0].password");
    assert_eq!(problem["errors"][0]["code"], DIRECTORY_REFUSED);
    assert_eq!(problem["errors"][0]["detail"], DIRECTORY_REFUSED_DETAIL);
    crate::schema::assert_matches("problem.schema.json", &problem);
    assert_eq!(app.resets_of("u-1043").await.0, 0);

    let bulk = app
        .reset(&reset_body(&["u-1042", "u-1043"], PASSWORD))
        .await;
    assert_eq!(bulk.status, 200, "{}", bulk.text());
    let results = bulk.json()["results"].clone();
    assert_eq!(results[0]["status"], "reset");
    assert_eq!(results[1]["status"], "failed");
    assert_eq!(results[1]["detail"], DIRECTORY_REFUSED_DETAIL);
    crate::schema::assert_matches("reset-response.schema.json", &bulk.json());
    assert!(password_is(&users, "u-1042", PASSWORD));
    assert!(!password_is(&users, "u-1043", PASSWORD));
    assert_eq!(app.resets_of("u-1043").await.0, 0);

    // The user's own change: at newPassword.
    let joni = app.start_session("u-1043", "Joni-Current-Pass-8!").await;
    assert_eq!(joni.status, 200, "{}", joni.text());
    let auth = crate::common::Auth {
        cookie: joni.set_cookie().split(';').next().unwrap().to_owned(),
        csrf_token: joni.json()["csrfToken"].as_str().unwrap().to_owned(),
    };
    let change = app
        .change_password(
            &auth,
            "b1c2d3e4-0000-4000-8000-000000000001",
            &json!({
                "userId": "u-1043",
                "currentPassword": "Joni-Current-Pass-8!",
                "newPassword": PASSWORD,
            }),
        )
        .await;
    let problem = change.problem(422);
    assert_eq!(problem["errors"][0]["field"], "newPassword");
    assert_eq!(problem["errors"][0]["code"], DIRECTORY_REFUSED);
    assert!(password_is(&users, "u-1043", "Joni-Current-Pass-8!"));
}

#[tokio::test]
async fn a_recovery_the_directory_refuses_or_misses_keeps_its_token_for_the_user() {
    let (app, users) = app_with_separate_directory();
    let token =
        crate::recovery::token_for(&app, "diane@contoso.com", "diane.prescott@alt.contoso.test")
            .await;

    // Refused by the directory's rules: 422 at newPassword, and the token
    // is given back, so another password (a new request) may follow.
    refuse_passwords_of(&users, "u-1042");
    let body = json!({ "recoveryToken": token, "newPassword": PASSWORD });
    let refused = app.complete_recovery("r-1", &body).await;
    let problem = refused.problem(422);
    assert_eq!(problem["errors"][0]["field"], "newPassword");
    assert_eq!(problem["errors"][0]["code"], DIRECTORY_REFUSED);
    Connection::open(&users)
        .unwrap()
        .execute_batch("DROP TRIGGER history")
        .unwrap();

    // The directory does not answer: 503; the token is this request's now,
    // the user's sessions ended before the directory was asked, and the
    // audit says the outcome is unknown.
    signed_in(&app, "u-1042");
    let locked = lock(&users);
    let missed = app.complete_recovery("r-2", &body).await;
    missed.typed_problem(503, DIRECTORY_UNAVAILABLE);
    assert_eq!(missed.header("retry-after"), "5");
    drop(locked);
    assert!(!password_is(&users, "u-1042", PASSWORD));
    assert_eq!(sessions_of(&app, "u-1042"), 0);
    assert_eq!(unknown_rows(&app, "u-1042"), 1);
    let other = app.complete_recovery("r-3", &body).await;
    other.typed_problem(410, "/problems/recovery-expired");

    // Its retry, with the same key, finishes it.
    let done = app.complete_recovery("r-2", &body).await;
    assert_eq!(done.status, 200, "{}", done.text());
    assert!(password_is(&users, "u-1042", PASSWORD));
    let replay = app.complete_recovery("r-2", &body).await;
    assert_eq!(replay.header("idempotent-replayed"), "true");
}

/// A database made before users could live elsewhere: its tables that name
/// a user lose the foreign key to `users` (an LDAP user has no row there),
/// and a live session keeps working, its name and role read once from
/// `users`.
#[test]
fn an_older_database_loses_its_foreign_keys_to_users_and_keeps_its_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    let old = Connection::open(&path).unwrap();
    old.execute_batch(
        "CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL,
             password_hash TEXT NULL, must_change_password INTEGER NOT NULL DEFAULT 0,
             is_admin INTEGER NOT NULL DEFAULT 0, alternate_email TEXT NULL,
             temporary_password_expires_at TEXT NULL);
         INSERT INTO users (id, name, email, is_admin) VALUES ('u-1', 'Old Admin', 'old@contoso.com', 1);
         CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),
             csrf_token TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL);
         CREATE INDEX sessions_by_user ON sessions(user_id);
         INSERT INTO sessions VALUES ('h', 'u-1', 'c', '2000-01-01T00:00:00.000Z', '2999-01-01T00:00:00.000Z');
         CREATE TABLE recovery_tokens (token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),
             created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT NULL);
         INSERT INTO recovery_tokens VALUES ('t', 'u-1', '2000-01-01T00:00:00.000Z', '2999-01-01T00:00:00.000Z', NULL);",
    )
    .unwrap();
    drop(old);

    let conn = db::open(&path, "Old-Admin-Pass-1!").unwrap();
    let referencing: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE sql LIKE '%REFERENCES users%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(referencing, 0);
    let session = db::sessions::find(&conn, "h", None).unwrap().unwrap();
    assert_eq!(
        (
            session.user_id.as_str(),
            session.name.as_str(),
            session.is_admin
        ),
        ("u-1", "Old Admin", true)
    );
    let token: Option<String> = db::recovery::token_user(&conn, "t", None).unwrap();
    assert_eq!(token.as_deref(), Some("u-1"));
    let indexes: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'
             AND name IN ('sessions_by_user', 'recovery_codes_by_user')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 2, "the indexes are made anew");
    // A user of another directory may now have a session here.
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, name, is_admin, csrf_token, created_at, expires_at)
         VALUES ('l', 'ldap-only', 'Someone', 0, 'c', 'x', '2999-01-01T00:00:00.000Z')",
        [],
    )
    .unwrap();
}

/// Whether a session must change its password is the directory's to say:
/// a directory that does not answer is a 503, and the session (and its
/// cookie) stays.
#[tokio::test]
async fn a_session_outlives_a_directory_that_does_not_answer() {
    let (app, users) = app_with_directory_journal("DELETE");
    let hold = lock(&users);
    let missed = app.get_as(&app.admin, "/api/session").await;
    missed.typed_problem(503, DIRECTORY_UNAVAILABLE);
    assert_eq!(missed.set_cookie(), "", "the cookie stays");
    let users_list = app.get_as(&app.admin, "/api/users").await;
    users_list.typed_problem(503, DIRECTORY_UNAVAILABLE);
    drop(hold);
    let session = app.get_as(&app.admin, "/api/session").await;
    assert_eq!(session.status, 200, "{}", session.text());
    assert_eq!(session.json()["userId"], "u-1001");
}

/// A user's own change the directory took, its answer lost (a timeout):
/// the retry's current password is wrong now, and the retry finishes the
/// change instead of refusing it.
#[tokio::test]
async fn a_password_change_whose_answer_the_directory_lost_is_finished_by_its_retry() {
    let (app, users) = app_with_separate_directory();
    const CURRENT: &str = "Joni-Current-Pass-8!";
    let hash = passwords::hash(CURRENT);
    Connection::open(&users)
        .unwrap()
        .execute(
            "UPDATE users SET password_hash = ?1, must_change_password = 0 WHERE id = 'u-1043'",
            [&hash],
        )
        .unwrap();
    let joni = app.start_session("u-1043", CURRENT).await;
    assert_eq!(joni.status, 200, "{}", joni.text());
    let auth = crate::common::Auth {
        cookie: joni.set_cookie().split(';').next().unwrap().to_owned(),
        csrf_token: joni.json()["csrfToken"].as_str().unwrap().to_owned(),
    };
    let key = "c0ffee00-0000-4000-8000-000000000002";
    let body = json!({ "userId": "u-1043", "currentPassword": CURRENT, "newPassword": PASSWORD });

    let locked = lock(&users);
    let missed = app.change_password(&auth, key, &body).await;
    missed.typed_problem(503, DIRECTORY_UNAVAILABLE);
    drop(locked);
    // What an LDAP server that applied the change before timing out leaves.
    let new_hash = passwords::hash(PASSWORD);
    Connection::open(&users)
        .unwrap()
        .execute(
            "UPDATE users SET password_hash = ?1 WHERE id = 'u-1043'",
            [&new_hash],
        )
        .unwrap();

    let done = app.change_password(&auth, key, &body).await;
    assert_eq!(done.status, 200, "{}", done.text());
    assert_eq!(done.json(), json!({ "status": "changed" }));
    let changed = count(
        &app,
        "SELECT COUNT(*) FROM audit WHERE subject_id = ?1 AND outcome = 'changed'",
        "u-1043",
    );
    assert_eq!(changed, 1);
    let journal = count(
        &app,
        "SELECT COUNT(*) FROM applied WHERE user_id = ?1",
        "u-1043",
    );
    assert_eq!(journal, 0, "the record says it all now");
    let replay = app.change_password(&auth, key, &body).await;
    assert_eq!(replay.header("idempotent-replayed"), "true");

    // Another request under that key is refused, not taken for the first.
    let other = json!({ "userId": "u-1043", "currentPassword": PASSWORD, "newPassword": "Other-Quokka-Tundra-73!" });
    assert_eq!(app.change_password(&auth, key, &other).await.status, 422);
}

/// A user deleted after their recovery code was verified: the completion
/// is a 410 "start again", not a 500.
#[tokio::test]
async fn a_recovery_for_a_user_deleted_since_is_gone() {
    let (app, users) = app_with_separate_directory();
    let token =
        crate::recovery::token_for(&app, "diane@contoso.com", "diane.prescott@alt.contoso.test")
            .await;
    Connection::open(&users)
        .unwrap()
        .execute("DELETE FROM users WHERE id = 'u-1042'", [])
        .unwrap();
    let body = json!({ "recoveryToken": token, "newPassword": PASSWORD });
    let gone = app.complete_recovery("r-1", &body).await;
    gone.typed_problem(410, "/problems/recovery-expired");
}
