//! The SQLite demo directory: schema, seed data and the small queries the
//! routes need.
//!
//! One connection behind a mutex, used from Tokio's blocking pool: simple,
//! correct, and plenty for a demo. Timestamps are ISO-8601 UTC text made by
//! SQLite itself, so they sort and compare as strings.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::passwords;

pub type Db = Arc<Mutex<Connection>>;

/// SQL expression for "now" in the format every `created_at` column uses.
pub const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// The demo administrator: signs in to the sample page (with the password
/// given to [`open`]) and receives the reset e-mails.
pub const DEMO_ADMIN_ID: &str = "u-1001";

/// The demo users. Only the admin (`u-1001`) gets a known password.
const SEED_USERS: &[(&str, &str, &str, bool)] = &[
    ("u-1001", "Adele Vance", "adele@contoso.com", true),
    ("u-1042", "Diane Prescott", "diane@contoso.com", false),
    ("u-1043", "Joni Sherman", "joni@contoso.com", false),
    ("u-1044", "Lee Gu", "lee@contoso.com", false),
    ("u-1045", "Megan Bowen", "megan@contoso.com", false),
    ("u-1046", "Alex Wilber", "alex@contoso.com", false),
];

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS users (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    email                TEXT NOT NULL,
    password_hash        TEXT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    is_admin             INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS resets (
    id              INTEGER PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users(id),
    idempotency_key TEXT NULL,
    password_source TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
    id         INTEGER PRIMARY KEY,
    to_addrs   TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,   -- SHA-256 (hex) of the cookie value, never the value
    user_id    TEXT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions(user_id);
CREATE TABLE IF NOT EXISTS idempotency (
    key          TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
";

/// Opens the database file, creating its parent directories, the tables and
/// the seed users on first start. `admin_password` is the demo admin's
/// password on a fresh database (see [`crate::config::DEMO_ADMIN_PASSWORD`]);
/// an existing database keeps the passwords it has.
pub fn open(
    path: &Path,
    admin_password: &str,
) -> Result<Connection, Box<dyn std::error::Error + Send + Sync>> {
    open_with_extra_users(path, admin_password, 0)
}

/// [`open`], also seeding `extra_users` generated demo users (see
/// [`extra_user`]) when the database is new. An existing database is left
/// as it is, whatever `extra_users` says.
pub fn open_with_extra_users(
    path: &Path,
    admin_password: &str,
    extra_users: u32,
) -> Result<Connection, Box<dyn std::error::Error + Send + Sync>> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    // Made at start-up, so the first sign-in with an unknown id takes as
    // long as any other (see `passwords::unknown_password_hash`).
    passwords::unknown_password_hash();
    let mut conn = Connection::open(path)?;
    // WAL lets a developer inspect the file with `sqlite3` while we run.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch(SCHEMA)?;
    if !seed(&mut conn, admin_password, extra_users)? && extra_users > 0 {
        tracing::warn!(
            extra_users,
            "the database already has users: --seed-users only applies to a new database"
        );
    }
    Ok(conn)
}

pub fn shared(conn: Connection) -> Db {
    Arc::new(Mutex::new(conn))
}

/// Inserts the demo users, and `extra_users` generated ones, when the table
/// is empty; returns whether it did. The admin gets `admin_password`.
///
/// Every other user gets the *same* placeholder hash: the Argon2id hash of
/// a random 128-bit secret that is generated here and never stored, so
/// nobody (the server included) knows a password that matches it, and each
/// of these users' sign-in fails until an administrator resets it. Sharing
/// one hash reveals only that these users have the same unusable password;
/// it cannot be guessed (the secret is random and discarded), and a reset
/// replaces it with the user's own salted hash. Hashing once keeps seeding
/// fast: Argon2 is slow on purpose, and `--seed-users` may ask for hundreds.
fn seed(conn: &mut Connection, admin_password: &str, extra_users: u32) -> rusqlite::Result<bool> {
    let count: i64 = conn.query_row("SELECT COUNT(*) FROM users", [], |row| row.get(0))?;
    if count > 0 {
        return Ok(false);
    }
    let placeholder = passwords::unknown_password_hash().to_owned();
    let tx = conn.transaction()?;
    for (id, name, email, is_admin) in SEED_USERS {
        let hash = if *id == DEMO_ADMIN_ID {
            passwords::hash(admin_password)
        } else {
            placeholder.clone()
        };
        insert_user(&tx, id, name, email, &hash, *is_admin)?;
    }
    for index in 0..extra_users.min(MAX_EXTRA_USERS) {
        let user = extra_user(index);
        insert_user(&tx, &user.id, &user.name, &user.email, &placeholder, false)?;
    }
    tx.commit()?;
    Ok(true)
}

// ------------------------------------------------------- generated users

/// First and last names the generated demo users (`--seed-users`) are made
/// of. None is a demo user's, so no generated name or address clashes with
/// theirs; every combination is a distinct name and address.
const FIRST_NAMES: &[&str] = &[
    "Isaiah",
    "Grady",
    "Henrietta",
    "Johanna",
    "Lidia",
    "Lynne",
    "Miriam",
    "Nestor",
    "Patti",
    "Pradeep",
    "Allan",
    "Debra",
    "Emily",
    "Enrico",
    "Irvin",
    "Christie",
    "Cameron",
    "Nadia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Samuel",
    "Tomas",
    "Ulrike",
    "Valerie",
    "Wesley",
    "Yara",
    "Zoe",
    "Aaron",
    "Beatrice",
    "Carlos",
    "Dmitri",
    "Elena",
    "Farah",
    "Gustav",
    "Hannah",
    "Ingrid",
    "Jamal",
    "Keiko",
    "Liam",
    "Maya",
    "Noah",
    "Olivia",
    "Paolo",
    "Rahul",
    "Sofia",
    "Theo",
    "Amara",
    "Felix",
];

const LAST_NAMES: &[&str] = &[
    "Langer",
    "Archie",
    "Mueller",
    "Lorenz",
    "Holloway",
    "Robbins",
    "Graham",
    "Wilke",
    "Fernandez",
    "Gupta",
    "Deyoung",
    "Berger",
    "Braun",
    "Cattaneo",
    "Sayer",
    "Cline",
    "Okafor",
    "Nakamura",
    "Lindqvist",
    "Moreau",
    "Kowalski",
    "Haddad",
    "Brennan",
    "Castillo",
    "Novak",
    "Petrov",
    "Quintero",
    "Svensson",
    "Tanaka",
    "Abbott",
    "Whitfield",
    "Ramirez",
    "Osei",
    "Fischer",
    "Dalton",
    "Iyer",
    "Jansen",
    "Kerr",
    "Mendez",
    "Sato",
];

/// How many distinct generated users there can be (the most `--seed-users`
/// accepts).
pub const MAX_EXTRA_USERS: u32 = (FIRST_NAMES.len() * LAST_NAMES.len()) as u32;

/// Multiplier walking the name combinations in a scattered but fixed order
/// (coprime with [`MAX_EXTRA_USERS`], so no combination comes up twice).
const NAME_STRIDE: usize = 1237;

/// A generated user's id, name and address (ids `u-2001`, `u-2002`, …; the
/// address is `firstname.lastname@contoso.com`). Deterministic: the same
/// `index` (0-based, below [`MAX_EXTRA_USERS`]) always gives the same user.
pub struct ExtraUser {
    pub id: String,
    pub name: String,
    pub email: String,
}

pub fn extra_user(index: u32) -> ExtraUser {
    let combination = (index as usize * NAME_STRIDE) % MAX_EXTRA_USERS as usize;
    let first = FIRST_NAMES[combination % FIRST_NAMES.len()];
    let last = LAST_NAMES[combination / FIRST_NAMES.len()];
    ExtraUser {
        id: format!("u-{}", 2001 + index),
        name: format!("{first} {last}"),
        email: format!("{first}.{last}@contoso.com").to_lowercase(),
    }
}

/// Runs `f` with the connection on Tokio's blocking pool, so neither SQLite
/// nor the mutex ever blocks an async worker thread.
pub async fn call<T, F>(db: &Db, f: F) -> Result<T, DbError>
where
    T: Send + 'static,
    F: FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
{
    let db = db.clone();
    tokio::task::spawn_blocking(move || {
        // A panic while holding the lock cannot leave a half-written row
        // (transactions roll back on drop), so a poisoned lock is still usable.
        let mut conn = db.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut conn)
    })
    .await
    .map_err(|e| DbError(e.to_string()))?
    .map_err(|e| DbError(e.to_string()))
}

/// A database failure; turned into a 500 problem (see `problem.rs`).
#[derive(Debug)]
pub struct DbError(pub String);

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "database error: {}", self.0)
    }
}

// ---------------------------------------------------------------- users

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub name: String,
    pub email: String,
    pub is_admin: bool,
}

pub fn list_users(conn: &Connection) -> rusqlite::Result<Vec<User>> {
    let mut stmt = conn.prepare("SELECT id, name, email, is_admin FROM users ORDER BY name")?;
    let rows = stmt.query_map([], |row| {
        Ok(User {
            id: row.get(0)?,
            name: row.get(1)?,
            email: row.get(2)?,
            is_admin: row.get(3)?,
        })
    })?;
    rows.collect()
}

pub fn find_user(conn: &Connection, id: &str) -> rusqlite::Result<Option<User>> {
    conn.query_row(
        "SELECT id, name, email, is_admin FROM users WHERE id = ?1",
        [id],
        |row| {
            Ok(User {
                id: row.get(0)?,
                name: row.get(1)?,
                email: row.get(2)?,
                is_admin: row.get(3)?,
            })
        },
    )
    .optional()
}

/// What sign-in needs: the stored hash (if any) and the must-change flag.
pub struct Credentials {
    pub password_hash: Option<String>,
    pub must_change_password: bool,
}

pub fn find_credentials(conn: &Connection, id: &str) -> rusqlite::Result<Option<Credentials>> {
    conn.query_row(
        "SELECT password_hash, must_change_password FROM users WHERE id = ?1",
        [id],
        |row| {
            Ok(Credentials {
                password_hash: row.get(0)?,
                must_change_password: row.get(1)?,
            })
        },
    )
    .optional()
}

/// Adds a user; `false` (and nothing written) when the id is taken.
pub fn insert_user(
    conn: &Connection,
    id: &str,
    name: &str,
    email: &str,
    password_hash: &str,
    is_admin: bool,
) -> rusqlite::Result<bool> {
    let inserted = conn.execute(
        "INSERT INTO users (id, name, email, password_hash, must_change_password, is_admin)
         VALUES (?1, ?2, ?3, ?4, 0, ?5)
         ON CONFLICT (id) DO NOTHING",
        params![id, name, email, password_hash, is_admin],
    )?;
    Ok(inserted == 1)
}

// ---------------------------------------------------------------- resets

/// Stores the new hash, records the reset and ends the user's sessions
/// (whoever was signed in as them must sign in with the new password).
/// Call inside the request's transaction.
pub fn apply_reset(
    conn: &Connection,
    user_id: &str,
    password_hash: &str,
    must_change_password: bool,
    password_source: &str,
    idempotency_key: Option<&str>,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE users SET password_hash = ?2, must_change_password = ?3 WHERE id = ?1",
        params![user_id, password_hash, must_change_password],
    )?;
    conn.execute(
        &format!(
            "INSERT INTO resets (user_id, idempotency_key, password_source, created_at)
             VALUES (?1, ?2, ?3, {NOW})"
        ),
        params![user_id, idempotency_key, password_source],
    )?;
    crate::sessions::delete_all_of(conn, user_id)?;
    Ok(())
}

/// Number of resets applied to a user and the idempotency keys they came
/// with (test endpoint only).
pub fn resets_of(conn: &Connection, user_id: &str) -> rusqlite::Result<(i64, Vec<String>)> {
    let count = conn.query_row(
        "SELECT COUNT(*) FROM resets WHERE user_id = ?1",
        [user_id],
        |row| row.get(0),
    )?;
    let mut stmt = conn.prepare(
        "SELECT idempotency_key FROM resets
         WHERE user_id = ?1 AND idempotency_key IS NOT NULL ORDER BY id",
    )?;
    let keys = stmt
        .query_map([user_id], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok((count, keys))
}

// ---------------------------------------------------------------- outbox

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxMessage {
    pub id: i64,
    pub to: Vec<String>,
    pub subject: String,
    /// Always masked: the outbox never holds a password.
    pub body: String,
    /// `queued`, `sent` or `failed`.
    pub status: String,
    pub created_at: String,
}

pub fn insert_outbox(
    conn: &Connection,
    to: &[String],
    subject: &str,
    body: &str,
) -> rusqlite::Result<i64> {
    conn.execute(
        &format!(
            "INSERT INTO outbox (to_addrs, subject, body, status, created_at)
             VALUES (?1, ?2, ?3, 'queued', {NOW})"
        ),
        params![to.join(","), subject, body],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn set_outbox_status(conn: &Connection, id: i64, status: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE outbox SET status = ?2 WHERE id = ?1",
        params![id, status],
    )?;
    Ok(())
}

/// Newest first.
pub fn list_outbox(conn: &Connection) -> rusqlite::Result<Vec<OutboxMessage>> {
    let mut stmt = conn.prepare(
        "SELECT id, to_addrs, subject, body, status, created_at FROM outbox ORDER BY id DESC",
    )?;
    let rows = stmt.query_map([], |row| {
        let to: String = row.get(1)?;
        Ok(OutboxMessage {
            id: row.get(0)?,
            to: to
                .split(',')
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect(),
            subject: row.get(2)?,
            body: row.get(3)?,
            status: row.get(4)?,
            created_at: row.get(5)?,
        })
    })?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn generated_users_are_distinct_and_well_formed() {
        let demo_names: HashSet<&str> = SEED_USERS.iter().map(|u| u.1).collect();
        let demo_emails: HashSet<&str> = SEED_USERS.iter().map(|u| u.2).collect();
        let mut names = HashSet::new();
        let mut emails = HashSet::new();
        for index in 0..MAX_EXTRA_USERS {
            let user = extra_user(index);
            assert_eq!(user.id, format!("u-{}", 2001 + index));
            let (first, last) = user.name.split_once(' ').unwrap();
            assert_eq!(
                user.email,
                format!(
                    "{}.{}@contoso.com",
                    first.to_lowercase(),
                    last.to_lowercase()
                )
            );
            assert!(
                user.email.parse::<lettre::Address>().is_ok(),
                "{}",
                user.email
            );
            assert!(!demo_names.contains(user.name.as_str()));
            assert!(!demo_emails.contains(user.email.as_str()));
            assert!(names.insert(user.name), "repeated name at {index}");
            assert!(emails.insert(user.email), "repeated address at {index}");
        }
        // Neighbours differ in both names: the list looks like a directory.
        let (a, b) = (extra_user(0), extra_user(1));
        assert_eq!(a.name, "Isaiah Langer");
        let split = |n: &str| n.split_once(' ').map(|(f, l)| (f.to_owned(), l.to_owned()));
        let ((fa, la), (fb, lb)) = (split(&a.name).unwrap(), split(&b.name).unwrap());
        assert!(fa != fb && la != lb, "{} / {}", a.name, b.name);
    }
}
