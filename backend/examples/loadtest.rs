//! `make loadtest` (not part of `make test`): the release backend on
//! loopback under concurrent admin resets and a sign-in flood, bounded in
//! count and time; prints a table, and exits non-zero if a reset was lost
//! or applied twice.
//!
//! - The backend starts on a new SQLite file with `--seed-users`; `ADMINS` of
//!   the seeded users are made administrators with a known password (straight
//!   in the file, as an operator would).
//! - Each admin sends `RESETS` resets of `USERS_PER_RESET` users, each with a
//!   key of its own; every 4th is sent twice at once (the same key: one is
//!   applied, the other is told 409 "in progress" or gets the replay), every
//!   3rd again after its answer (a replay). 409 and 503 are retried with the
//!   same key after `Retry-After`, as the widget does.
//! - Meanwhile `FLOOD` sign-ins with made-up ids come from 8 other loopback
//!   addresses (127.0.0.2–9), so each address meets its own limit.
//! - Lost or doubled resets are counted from the database: every (key, user)
//!   sent must have exactly one reset row, and the audit one `reset` row each.
//!
//! Usage: `cargo run --profile server -p reset-backend --example loadtest -- PATH/TO/reset-backend`
//! (`make loadtest` does this).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpSocket;

const ADMINS: u32 = 8;
const RESETS: u32 = 12;
const USERS_PER_RESET: u32 = 5;
/// Users that get reset (after the admins among the seeded ones).
const TARGETS: u32 = 300;
const FLOOD: u32 = 480;
const FLOOD_ADDRESSES: u8 = 8;
/// The whole run, and one request.
const DEADLINE: Duration = Duration::from_secs(110);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

fn main() -> ExitCode {
    let Some(backend) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: loadtest PATH/TO/reset-backend");
        return ExitCode::from(2);
    };
    let runtime = tokio::runtime::Runtime::new().expect("a Tokio runtime");
    match runtime.block_on(run(&backend)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("loadtest: {error}");
            ExitCode::FAILURE
        }
    }
}

type Error = Box<dyn std::error::Error + Send + Sync>;

fn random() -> u64 {
    getrandom::u64().expect("the OS random source")
}

/// Latencies by kind of answer.
#[derive(Default)]
struct Stats(Mutex<HashMap<&'static str, Vec<Duration>>>);

impl Stats {
    fn add(&self, kind: &'static str, took: Duration) {
        self.0.lock().unwrap().entry(kind).or_default().push(took);
    }
}

async fn run(backend: &Path) -> Result<bool, Error> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("load.sqlite");
    let admin_password = format!("Load-Admin-{:016x}", random());
    let seed = ADMINS + TARGETS;
    let mut child = Command::new(backend)
        .args(["--addr", "127.0.0.1:0", "--seed-users", &seed.to_string()])
        .arg("--db")
        .arg(&db)
        .args(["--admin-password", &admin_password])
        .env_remove("SMTP_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let pid = child.id();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line)?;
    let addr: SocketAddr = line
        .trim()
        .strip_prefix("Listening on http://")
        .and_then(|rest| rest.strip_suffix('/'))
        .ok_or_else(|| format!("unexpected first line {line:?}"))?
        .parse()?;

    let admins: Vec<String> = (0..ADMINS).map(|i| format!("u-{}", 2001 + i)).collect();
    make_admins(&db, &admins, &admin_password)?;

    let stats = Arc::new(Stats::default());
    let started = Instant::now();
    let work = tokio::time::timeout(DEADLINE, load(addr, &admins, &admin_password, &stats)).await;
    let wall = started.elapsed();
    let peak = peak_memory_kib(pid);
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    child.wait()?;

    let sent = match work {
        Ok(sent) => sent?,
        Err(_) => return Err(format!("not done within {} s", DEADLINE.as_secs()).into()),
    };
    let check = check_resets(&db, &sent)?;
    print_report(&stats, wall, peak, &check);
    Ok(check.lost == 0 && check.doubled == 0 && check.audit == check.expected)
}

/// Makes `admins` administrators whose password is `password`.
fn make_admins(db: &Path, admins: &[String], password: &str) -> Result<(), Error> {
    let hash = reset_backend::passwords::hash(password);
    let conn = rusqlite::Connection::open(db)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    for id in admins {
        conn.execute(
            "UPDATE users SET is_admin = 1, password_hash = ?2 WHERE id = ?1",
            rusqlite::params![id, hash],
        )?;
    }
    Ok(())
}

/// One reset request: its key and the users it names.
struct Sent {
    key: String,
    users: Vec<String>,
}

/// Everything at once: the admins' resets and the flood. Returns the resets sent.
async fn load(
    addr: SocketAddr,
    admins: &[String],
    password: &str,
    stats: &Arc<Stats>,
) -> Result<Vec<Sent>, Error> {
    // The admins sign in first, from 127.0.0.1; the flood comes from other
    // loopback addresses, each blocked by its own limit.
    let mut sessions = Vec::new();
    for admin in admins {
        sessions.push(sign_in_admin(addr, admin, password).await?);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (index, session) in sessions.into_iter().enumerate() {
        let stats = stats.clone();
        tasks.spawn(async move { admin_resets(addr, index as u32, session, stats).await });
    }
    let mut flood = tokio::task::JoinSet::new();
    for task in 0..u32::from(FLOOD_ADDRESSES) * 2 {
        let stats = stats.clone();
        let from = Ipv4Addr::new(127, 0, 0, 2 + (task % u32::from(FLOOD_ADDRESSES)) as u8);
        flood.spawn(async move { sign_in_flood(addr, from.into(), task, stats).await });
    }
    let mut sent = Vec::new();
    while let Some(done) = tasks.join_next().await {
        sent.extend(done??);
    }
    while let Some(done) = flood.join_next().await {
        done??;
    }
    Ok(sent)
}

struct Session {
    cookie: String,
    csrf: String,
}

async fn sign_in_admin(addr: SocketAddr, id: &str, password: &str) -> Result<Session, Error> {
    let body = json!({ "userId": id, "password": password }).to_string();
    loop {
        let answer = http(LOCAL, addr, "/api/session", &[], &body).await?;
        match answer.status {
            200 => {
                let cookie = answer
                    .header("set-cookie")
                    .and_then(|c| c.split(';').next())
                    .ok_or("no session cookie")?
                    .to_owned();
                let session: Value = serde_json::from_str(&answer.body)?;
                let csrf = session["csrfToken"].as_str().ok_or("no CSRF token")?;
                return Ok(Session {
                    cookie,
                    csrf: csrf.to_owned(),
                });
            }
            503 => tokio::time::sleep(answer.retry_after()).await,
            status => return Err(format!("admin sign-in: {status} {}", answer.body).into()),
        }
    }
}

const LOCAL: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

async fn admin_resets(
    addr: SocketAddr,
    admin: u32,
    session: Session,
    stats: Arc<Stats>,
) -> Result<Vec<Sent>, Error> {
    let session = Arc::new(session);
    let mut sent = Vec::new();
    for request in 0..RESETS {
        let key = format!("{:016x}-{:016x}", random(), random());
        let first = (admin * RESETS + request) * USERS_PER_RESET;
        let users: Vec<String> = (0..USERS_PER_RESET)
            .map(|j| format!("u-{}", 2001 + ADMINS + (first + j) % TARGETS))
            .collect();
        let resets: Vec<Value> = users
            .iter()
            .map(|id| {
                let password = format!("Tundra-{:x}-Quokka-{:x}", random(), random());
                json!({ "userId": id, "password": password })
            })
            .collect();
        let body = json!({
            "resets": resets,
            "passwordSource": "generated",
            "forceChangePasswordNextSignIn": true,
            "deliverTo": [],
        })
        .to_string();
        let copies = if request % 4 == 0 { 2 } else { 1 };
        let mut sends = tokio::task::JoinSet::new();
        for _ in 0..copies {
            let (session, stats, key, body) =
                (session.clone(), stats.clone(), key.clone(), body.clone());
            sends.spawn(
                async move { reset_until_answered(addr, &session, &key, &body, &stats).await },
            );
        }
        while let Some(done) = sends.join_next().await {
            done??;
        }
        if request % 3 == 0 {
            reset_until_answered(addr, &session, &key, &body, &stats).await?;
        }
        sent.push(Sent { key, users });
    }
    Ok(sent)
}

/// Sends the reset until it is answered 200, retrying 409 and 503 with the
/// same key after `Retry-After`, as the widget does.
async fn reset_until_answered(
    addr: SocketAddr,
    session: &Session,
    key: &str,
    body: &str,
    stats: &Stats,
) -> Result<(), Error> {
    let headers = [
        ("Cookie", session.cookie.as_str()),
        ("X-CSRF-Token", session.csrf.as_str()),
        ("Idempotency-Key", key),
    ];
    loop {
        let started = Instant::now();
        let answer = http(LOCAL, addr, "/api/password-resets", &headers, body).await?;
        let kind = match answer.status {
            200 if answer.header("idempotent-replayed").is_some() => "reset: replay",
            200 => "reset: applied",
            409 => "reset: 409 in progress",
            503 => "reset: 503 busy",
            status => return Err(format!("reset: {status} {}", answer.body).into()),
        };
        stats.add(kind, started.elapsed());
        if answer.status == 200 {
            return Ok(());
        }
        tokio::time::sleep(answer.retry_after()).await;
    }
}

async fn sign_in_flood(
    addr: SocketAddr,
    from: IpAddr,
    task: u32,
    stats: Arc<Stats>,
) -> Result<(), Error> {
    let per_task = FLOOD / (u32::from(FLOOD_ADDRESSES) * 2);
    for n in 0..per_task {
        let body = json!({
            "userId": format!("ghost-{task}-{n}"),
            "password": format!("guess-{:x}", random()),
        })
        .to_string();
        let started = Instant::now();
        let answer = http(from, addr, "/api/sign-in", &[], &body).await?;
        let kind = match answer.status {
            401 => "sign-in: 401 wrong",
            429 => "sign-in: 429 limited",
            503 => "sign-in: 503 busy",
            status => return Err(format!("sign-in: {status} {}", answer.body).into()),
        };
        stats.add(kind, started.elapsed());
    }
    Ok(())
}

struct Answer {
    status: u16,
    /// Lower-cased names, as sent values.
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn retry_after(&self) -> Duration {
        let seconds = self.header("retry-after").and_then(|v| v.parse().ok());
        Duration::from_secs(seconds.unwrap_or(1))
    }
}

/// One HTTP/1.1 request from the loopback address `from`, on a connection
/// of its own (`Connection: close`).
async fn http(
    from: IpAddr,
    to: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<Answer, Error> {
    let exchange = async {
        let socket = TcpSocket::new_v4()?;
        socket.bind(SocketAddr::new(from, 0))?;
        let mut stream = socket.connect(to).await?;
        let mut request = format!(
            "POST {path} HTTP/1.1\r\nHost: {to}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(body);
        stream.write_all(request.as_bytes()).await?;
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await?;
        Ok::<_, std::io::Error>(response)
    };
    let response = tokio::time::timeout(REQUEST_TIMEOUT, exchange).await??;
    let text = String::from_utf8_lossy(&response);
    let (head, body) = text.split_once("\r\n\r\n").ok_or("an incomplete answer")?;
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or("no status line")?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Ok(Answer {
        status,
        headers,
        body: body.to_owned(),
    })
}

/// The backend's peak resident memory (VmHWM), in KiB.
fn peak_memory_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

struct Check {
    expected: i64,
    lost: i64,
    doubled: i64,
    /// Audit rows of a reset, by the admins.
    audit: i64,
}

/// Every (key, user) sent must have exactly one reset row.
fn check_resets(db: &Path, sent: &[Sent]) -> Result<Check, Error> {
    let conn = rusqlite::Connection::open(db)?;
    let mut rows: HashMap<(String, String), i64> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT idempotency_key, user_id, COUNT(*) FROM resets
         WHERE idempotency_key IS NOT NULL GROUP BY 1, 2",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))? {
        let (key, user, count): (String, String, i64) = row?;
        rows.insert((key, user), count);
    }
    let mut check = Check {
        expected: 0,
        lost: 0,
        doubled: 0,
        audit: conn.query_row(
            "SELECT COUNT(*) FROM audit WHERE action = 'admin-reset' AND outcome = 'reset'",
            [],
            |r| r.get(0),
        )?,
    };
    for request in sent {
        for user in &request.users {
            check.expected += 1;
            match rows
                .remove(&(request.key.clone(), user.clone()))
                .unwrap_or(0)
            {
                0 => check.lost += 1,
                1 => {}
                _ => check.doubled += 1,
            }
        }
    }
    // A row for a (key, user) never sent would be a reset nobody asked for.
    check.doubled += rows.len() as i64;
    Ok(check)
}

fn print_report(stats: &Stats, wall: Duration, peak_kib: Option<u64>, check: &Check) {
    let stats = stats.0.lock().unwrap();
    let mut kinds: Vec<_> = stats.iter().collect();
    kinds.sort_by_key(|(kind, _)| *kind);
    let total: usize = kinds.iter().map(|(_, v)| v.len()).sum();
    println!(
        "{ADMINS} admins x {RESETS} resets of {USERS_PER_RESET} users (every 4th sent twice at once, \
         every 3rd again after its answer), {FLOOD} sign-ins with made-up ids from {FLOOD_ADDRESSES} \
         loopback addresses; {} s in all\n",
        (wall.as_secs_f64() * 10.0).round() / 10.0
    );
    println!("| answers | count | per second | p50 ms | p99 ms |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (kind, latencies) in kinds {
        let mut sorted = latencies.clone();
        sorted.sort();
        let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
        println!(
            "| {kind} | {} | {:.1} | {:.0} | {:.0} |",
            sorted.len(),
            sorted.len() as f64 / wall.as_secs_f64(),
            at(0.50).as_secs_f64() * 1000.0,
            at(0.99).as_secs_f64() * 1000.0,
        );
    }
    println!(
        "| all | {total} | {:.1} | | |",
        total as f64 / wall.as_secs_f64()
    );
    println!();
    match peak_kib {
        Some(kib) => println!(
            "backend peak memory (VmHWM): {:.1} MiB",
            kib as f64 / 1024.0
        ),
        None => println!("backend peak memory (VmHWM): unknown (no /proc)"),
    }
    println!(
        "resets: {} (key, user) pairs sent, {} lost, {} doubled; {} audit rows of a reset",
        check.expected, check.lost, check.doubled, check.audit
    );
}
