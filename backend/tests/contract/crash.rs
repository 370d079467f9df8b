//! SIGKILL in the middle of a 40-user reset. The real binary runs on a
//! SQLite file; a trigger the test adds to that file makes each reset row
//! slow to write, so the reset's transaction stays open for a second or so;
//! the test sees it holding SQLite's write lock and kills the server then.
//! Started again on the same file, the server must show every user either
//! reset (with the idempotency record) or untouched, and the client's retry
//! with the same key must then reset each user exactly once.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use reset_backend::config::DEMO_ADMIN_PASSWORD;
use reset_backend::{passwords, seed};
use rusqlite::{Connection, ErrorCode};
use serde_json::{json, Value};

use crate::common::{repo_dir, Auth, ADMIN};
use crate::end_to_end::{http, parse, reset_request, session_cookie, Server};

const KEY: &str = "d1e5e1a0-4b1d-4c7e-9f00-5c0ffee0c0de";
const USERS: u32 = 40;

/// A running server, its address and its log lines (stderr).
struct Running {
    server: Server,
    addr: SocketAddr,
    log: Receiver<String>,
}

fn start(dir: &Path, db: &Path) -> Running {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_reset-backend"))
        .args(["--addr", "127.0.0.1:0", "--test-mode"])
        .args(["--seed-users", &USERS.to_string()])
        .arg("--db")
        .arg(db)
        .arg("--www")
        .arg(repo_dir("www"))
        .arg("--dist")
        .arg(&dist)
        .env_remove("SMTP_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (lines, log) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .strip_prefix("Listening on http://")
        .and_then(|rest| rest.trim_end().strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .parse()
        .unwrap();
    Running {
        server: Server(child),
        addr,
        log,
    }
}

impl Running {
    /// SIGKILL: no shutdown, no rollback by the server itself.
    fn kill(mut self) {
        self.server.0.kill().unwrap();
        self.server.0.wait().unwrap();
    }

    /// Waits for a log line containing `text`.
    fn wait_for_log(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.log.recv_timeout(left) {
                Ok(line) if line.contains(text) => return,
                Ok(_) => {}
                Err(error) => panic!("no log line {text:?}: {error}"),
            }
        }
    }
}

fn sign_in_admin(addr: SocketAddr) -> Auth {
    let credentials = json!({ "userId": "u-1001", "password": DEMO_ADMIN_PASSWORD }).to_string();
    let response = http(
        addr,
        "POST",
        "/api/session",
        &[("Content-Type", "application/json")],
        &credentials,
    )
    .unwrap();
    let (status, _, body) = parse(&response);
    assert_eq!(status, 200, "{body}");
    let session: Value = serde_json::from_str(&body).unwrap();
    Auth {
        cookie: session_cookie(&response),
        csrf_token: session["csrfToken"].as_str().unwrap().to_owned(),
    }
}

fn user_ids() -> Vec<String> {
    (0..USERS).map(|i| seed::extra_user(i).id).collect()
}

fn password_of(user_id: &str) -> String {
    // Distinct per user, without the id (the policy refuses a password holding it).
    format!(
        "Basalt-{}-Quokka-Lantern-Tundra",
        user_id.trim_start_matches("u-")
    )
}

fn request_body() -> Value {
    let resets: Vec<Value> = user_ids()
        .iter()
        .map(|id| json!({ "userId": id, "password": password_of(id) }))
        .collect();
    json!({
        "resets": resets,
        "passwordSource": "generated",
        "forceChangePasswordNextSignIn": true,
        "deliverTo": [ADMIN],
    })
}

/// Makes every reset row take about `per_row` to write: an `AFTER INSERT`
/// trigger counting the rows of a cross join, sized by timing it here (the
/// test links the same SQLite build as the server).
fn slow_down_resets(db: &Path, per_row: Duration) {
    let conn = Connection::open(db).unwrap();
    conn.execute_batch(
        "CREATE TABLE slow (n INTEGER);
         WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000)
         INSERT INTO slow SELECT n FROM c;",
    )
    .unwrap();
    let started = Instant::now();
    conn.query_row("SELECT COUNT(*) FROM slow a, slow b", [], |r| {
        r.get::<_, i64>(0)
    })
    .unwrap();
    let scale = (per_row.as_secs_f64() / started.elapsed().as_secs_f64()).sqrt();
    let rows = (1000.0 * scale).round() as i64;
    conn.execute_batch(&format!(
        "DELETE FROM slow WHERE n > {rows};
         WITH RECURSIVE c(n) AS (SELECT 1001 UNION ALL SELECT n + 1 FROM c WHERE n < {rows})
         INSERT INTO slow SELECT n FROM c WHERE n <= {rows};
         CREATE TRIGGER slow_reset AFTER INSERT ON resets
         BEGIN SELECT COUNT(*) FROM slow a, slow b; END;"
    ))
    .unwrap();
}

fn remove_slowdown(db: &Path) {
    Connection::open(db)
        .unwrap()
        .execute_batch("DROP TRIGGER slow_reset; DROP TABLE slow;")
        .unwrap();
}

/// True while another connection holds the database's write lock (an open
/// write transaction).
fn write_lock_held(db: &Path) -> bool {
    let conn = Connection::open(db).unwrap();
    conn.busy_timeout(Duration::ZERO).unwrap();
    match conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;") {
        Ok(()) => false,
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::DatabaseBusy => true,
        Err(error) => panic!("{error}"),
    }
}

/// Waits until the server has been inside a write transaction for
/// `settled` (a passing autocommit write is shorter), then returns.
fn wait_for_open_transaction(db: &Path, settled: Duration) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if write_lock_held(db) {
            std::thread::sleep(settled);
            if write_lock_held(db) {
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("the reset's transaction never started");
}

/// What the file says about the 40 users: per user, the reset rows with
/// the key, the audit rows of a reset, and whether the stored hash is the
/// password sent; and whether the idempotency record exists.
struct Applied {
    resets: Vec<i64>,
    audits: Vec<i64>,
    password_set: Vec<bool>,
    record: bool,
}

fn applied(db: &Path) -> Applied {
    let conn = Connection::open(db).unwrap();
    let count = |sql: &str, id: &str| -> i64 { conn.query_row(sql, [id], |r| r.get(0)).unwrap() };
    let ids = user_ids();
    Applied {
        resets: ids
            .iter()
            .map(|id| {
                count(
                    &format!("SELECT COUNT(*) FROM resets WHERE user_id = ?1 AND idempotency_key = '{KEY}'"),
                    id,
                )
            })
            .collect(),
        audits: ids
            .iter()
            .map(|id| {
                count(
                    "SELECT COUNT(*) FROM audit WHERE subject_id = ?1 AND outcome = 'reset'",
                    id,
                )
            })
            .collect(),
        password_set: ids
            .iter()
            .map(|id| {
                let hash: String = conn
                    .query_row("SELECT password_hash FROM users WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })
                    .unwrap();
                passwords::verify(&password_of(id), &hash)
            })
            .collect(),
        record: count(
            "SELECT COUNT(*) FROM idempotency WHERE key = 'reset u-1001 ' || ?1",
            KEY,
        ) == 1,
    }
}

impl Applied {
    fn nobody(&self) -> bool {
        !self.record
            && self.resets.iter().all(|n| *n == 0)
            && self.audits.iter().all(|n| *n == 0)
            && self.password_set.iter().all(|set| !set)
    }

    fn everybody_once(&self) -> bool {
        self.record
            && self.resets.iter().all(|n| *n == 1)
            && self.audits.iter().all(|n| *n == 1)
            && self.password_set.iter().all(|set| *set)
    }
}

#[test]
fn a_reset_killed_mid_transaction_is_all_or_nothing_and_its_retry_applies_once() {
    let dir = tempfile::tempdir().unwrap();
    let db: PathBuf = dir.path().join("demo.sqlite");
    let running = start(dir.path(), &db);
    let admin = sign_in_admin(running.addr);
    slow_down_resets(&db, Duration::from_millis(40));

    // The request, from a client that will never hear back.
    let (addr, client_admin) = (running.addr, admin.clone());
    let client =
        std::thread::spawn(move || reset_request(addr, &client_admin, KEY, &request_body()));
    running.wait_for_log("password reset requested");
    // 40 rows at about 40 ms: killed about a quarter of the way through.
    wait_for_open_transaction(&db, Duration::from_millis(300));
    running.kill();
    let lost = client.join().unwrap();
    assert!(
        lost.map(|bytes| bytes.is_empty()).unwrap_or(true),
        "no answer came"
    );
    remove_slowdown(&db);

    let after_crash = applied(&db);
    assert!(
        after_crash.nobody(),
        "killed with its transaction open, the reset left no trace: {:?} {:?} {:?} record {}",
        after_crash.resets,
        after_crash.audits,
        after_crash.password_set,
        after_crash.record
    );

    // Started again on the same file (the admin's session is in it too),
    // the client's retry with the same key applies the reset, once.
    let running = start(dir.path(), &db);
    let (status, head, body) =
        parse(&reset_request(running.addr, &admin, KEY, &request_body()).unwrap());
    assert_eq!(status, 200, "{body}");
    assert!(!head.contains("idempotent-replayed"), "{head}");
    let answer: Value = serde_json::from_str(&body).unwrap();
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results.len(), USERS as usize);
    assert!(results.iter().all(|r| r["status"] == "reset"), "{body}");
    assert!(applied(&db).everybody_once());

    // Killed again after answering: the record survived, and another retry
    // is a replay that resets nobody twice.
    running.kill();
    let running = start(dir.path(), &db);
    let (status, head, replayed) =
        parse(&reset_request(running.addr, &admin, KEY, &request_body()).unwrap());
    assert_eq!(status, 200, "{replayed}");
    assert!(head.contains("idempotent-replayed: true"), "{head}");
    assert_eq!(replayed, body);
    assert!(applied(&db).everybody_once());
    running.kill();
}
