//! The SQLite demo directory: the schema, and every query of the backend
//! (the directory's here, the sessions' and the idempotency records' in
//! the submodules). Who it starts with is `seed.rs`. Nothing here knows
//! about HTTP beyond turning a [`DbError`] into a 500 problem; the modules
//! above it call these functions with plain values.
//!
//! One connection behind a mutex, used from Tokio's blocking pool: simple,
//! correct, and plenty for a demo. Timestamps are ISO-8601 UTC text made by
//! SQLite itself, so they sort and compare as strings.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::passwords;
use crate::problem::Problem;
use crate::seed::{alternate_email, extra_user, MAX_EXTRA_USERS, SEED_USERS};

pub mod audit;
pub mod idempotency;
pub mod recovery;
pub mod sessions;

/// Re-exported where callers (and the tests) have always found it.
pub use crate::seed::DEMO_ADMIN_ID;

pub type Db = Arc<Mutex<Connection>>;

/// SQL expression for "now" in the format every `created_at` column uses.
pub const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS users (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    email                TEXT NOT NULL,
    password_hash        TEXT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    is_admin             INTEGER NOT NULL DEFAULT 0,
    alternate_email      TEXT NULL,   -- where recovery codes go
    temporary_password_expires_at TEXT NULL  -- set with must_change_password by a reset
);
CREATE TABLE IF NOT EXISTS resets (
    id              INTEGER PRIMARY KEY,
    user_id         TEXT NOT NULL,   -- the directory's user id (no foreign key: users may live in LDAP)
    idempotency_key TEXT NULL,
    password_source TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
    id         INTEGER PRIMARY KEY,
    to_addrs   TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'unknown')),
    created_at TEXT NOT NULL,
    via_smtp   INTEGER NOT NULL DEFAULT 0   -- 1: a mail server is to get it (SMTP_URL was set)
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,   -- SHA-256 (hex) of the cookie value, never the value
    user_id    TEXT NOT NULL,      -- the directory's user id
    name       TEXT NOT NULL,      -- the user's name and role at sign-in
    is_admin   INTEGER NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,  -- the sign-in said so; cleared by the session's own change
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_seen_at TEXT NULL,        -- the last request (at most a minute old), for the idle timeout
    stepped_up_at TEXT NULL        -- when its user last confirmed their own password (step-up)
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions(user_id);
CREATE TABLE IF NOT EXISTS recovery_codes (
    id              INTEGER PRIMARY KEY,
    user_id         TEXT NOT NULL,
    salt            TEXT NOT NULL,   -- 128 random bits, hex
    code_hash       TEXT NOT NULL,   -- SHA-256 (hex) of salt and code, never the code
    state           TEXT NOT NULL CHECK (state IN ('active', 'used', 'burned', 'replaced')),
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS recovery_codes_by_user ON recovery_codes(user_id, created_at);
CREATE TABLE IF NOT EXISTS recovery_tokens (
    token_hash TEXT PRIMARY KEY,   -- SHA-256 (hex) of the token, never the token
    user_id    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT NULL,
    used_key   TEXT NULL       -- the completion's scoped Idempotency-Key that used it
);
CREATE TABLE IF NOT EXISTS audit (
    id         INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    actor_id   TEXT NULL,       -- who acted (the admin, or the user themselves); never a password
    subject_id TEXT NULL,       -- whose password; NULL when a refused request named nobody
    action     TEXT NOT NULL CHECK (action IN ('admin-reset', 'password-change', 'recovery', 'step-up')),
    outcome    TEXT NOT NULL,   -- reset, required, changed, failed, refused, confirmed
    detail     TEXT NULL,
    client     TEXT NOT NULL    -- the connection's peer address, or 'unknown'
);
CREATE TABLE IF NOT EXISTS idempotency (
    key          TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
-- Changes asked of the directory before their request's record exists: a
-- reset's users it accepted, a user's own change about to be asked
-- ('pending'). Forgotten once the record is stored (or after a day).
CREATE TABLE IF NOT EXISTS applied (
    key          TEXT NOT NULL,   -- the scoped Idempotency-Key
    user_id      TEXT NOT NULL,
    request_hash TEXT NOT NULL,   -- the request's fingerprint, as in idempotency
    status       TEXT NOT NULL CHECK (status IN ('reset', 'required', 'pending')),
    created_at   TEXT NOT NULL,
    PRIMARY KEY (key, user_id)
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
/// [`crate::seed::extra_user`]) when the database is new. An existing database is left
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
    add_missing_user_columns(&conn)?;
    conn.execute_batch(SCHEMA)?;
    sessions::add_missing_columns(&conn)?;
    upgrade_outbox(&mut conn)?;
    upgrade_audit(&mut conn)?;
    upgrade_user_references(&mut conn)?;
    if !seed(&mut conn, admin_password, extra_users)? && extra_users > 0 {
        tracing::warn!(
            extra_users,
            "the database already has users: --seed-users only applies to a new database"
        );
    }
    Ok(conn)
}

/// A database made before users had an alternate address and a temporary
/// password's expiry gets both columns; the demo addresses (`@contoso.com`)
/// get their alternate one (see [`crate::seed::alternate_email`]).
fn add_missing_user_columns(conn: &Connection) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info('users')")?;
    let columns: Vec<String> = stmt
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if columns.is_empty() {
        return Ok(()); // a new database: SCHEMA makes the table
    }
    if !columns.iter().any(|c| c == "temporary_password_expires_at") {
        conn.execute(
            "ALTER TABLE users ADD COLUMN temporary_password_expires_at TEXT NULL",
            [],
        )?;
    }
    if !columns.iter().any(|c| c == "alternate_email") {
        conn.execute("ALTER TABLE users ADD COLUMN alternate_email TEXT NULL", [])?;
        let mut stmt =
            conn.prepare("SELECT id, name FROM users WHERE email LIKE '%@contoso.com'")?;
        let users: Vec<(String, String)> = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, name) in users {
            set_alternate_email(conn, &id, Some(&alternate_email(&name)))?;
        }
    }
    Ok(())
}

/// A database made before the outbox had the `unknown` status and the
/// `via_smtp` column gets both. Old rows get `via_smtp` 0 (not known to have
/// been bound for a mail server), so none becomes `unknown`.
fn upgrade_outbox(conn: &mut Connection) -> rusqlite::Result<()> {
    let columns = "id, to_addrs, subject, body, status, created_at";
    rebuild_table(
        conn,
        "outbox",
        |sql| sql.contains("via_smtp"),
        columns,
        None,
    )
}

/// A database made before step-ups were audited gets the `step-up` action.
fn upgrade_audit(conn: &mut Connection) -> rusqlite::Result<()> {
    rebuild_table(conn, "audit", |sql| sql.contains("'step-up'"), "*", None)
}

/// A database made before users could live in another directory (LDAP):
/// the tables that name a user lose their foreign key to `users`; a
/// session learns its user's name and role (from `users`, once), and a
/// recovery token the key of the completion that used it.
fn upgrade_user_references(conn: &mut Connection) -> rusqlite::Result<()> {
    let referencing = |sql: &str| !sql.contains("REFERENCES users");
    rebuild_table(conn, "resets", referencing, "*", None)?;
    rebuild_table(conn, "recovery_codes", referencing, "*", None)?;
    let token_columns = "token_hash, user_id, created_at, expires_at, used_at";
    rebuild_table(conn, "recovery_tokens", referencing, token_columns, None)?;
    rebuild_table(
        conn,
        "sessions",
        referencing,
        "token_hash, user_id, name, is_admin, must_change_password, csrf_token, created_at, expires_at, last_seen_at, stepped_up_at",
        Some(
            "SELECT s.token_hash, s.user_id, COALESCE(u.name, s.user_id), COALESCE(u.is_admin, 0),
                    s.must_change_password, s.csrf_token, s.created_at, s.expires_at, s.last_seen_at, s.stepped_up_at
             FROM sessions_before s LEFT JOIN users u ON u.id = s.user_id",
        ),
    )
}

/// SQLite cannot change a table's CHECK constraint or foreign keys, or add
/// a column with one: unless `up_to_date` says the table's SQL is, it is
/// renamed, made anew from [`SCHEMA`], and its rows copied over (`columns`
/// of them, `*` for all; or what `select` reads from `{table}_before`), in
/// one transaction. `table`, `columns` and `select` are this module's
/// constants.
fn rebuild_table(
    conn: &mut Connection,
    table: &str,
    up_to_date: impl Fn(&str) -> bool,
    columns: &str,
    select: Option<&str>,
) -> rusqlite::Result<()> {
    let sql: String = conn.query_row(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [table],
        |row| row.get(0),
    )?;
    if up_to_date(&sql) {
        return Ok(());
    }
    let tx = conn.transaction()?;
    tx.execute_batch(&format!("ALTER TABLE {table} RENAME TO {table}_before;"))?;
    tx.execute_batch(SCHEMA)?;
    let list = if columns == "*" {
        String::new()
    } else {
        format!(" ({columns})")
    };
    let select = select.map_or_else(
        || format!("SELECT {columns} FROM {table}_before"),
        str::to_owned,
    );
    tx.execute_batch(&format!(
        "INSERT INTO {table}{list} {select};
         DROP TABLE {table}_before;"
    ))?;
    // The old table's indexes went with it: SCHEMA again makes them anew.
    tx.execute_batch(SCHEMA)?;
    tx.commit()
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
        set_alternate_email(&tx, id, Some(&alternate_email(name)))?;
    }
    for index in 0..extra_users.min(MAX_EXTRA_USERS) {
        let user = extra_user(index);
        insert_user(&tx, &user.id, &user.name, &user.email, &placeholder, false)?;
        set_alternate_email(&tx, &user.id, Some(&alternate_email(&user.name)))?;
    }
    tx.commit()?;
    Ok(true)
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

/// Here rather than in `problem`, so that the leaf `problem` names no
/// module above it.
impl From<DbError> for Problem {
    fn from(error: DbError) -> Problem {
        Problem::internal(error)
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

/// What sign-in needs: the stored hash (if any), the must-change flag and
/// whether the password is a temporary one that has expired.
pub struct Credentials {
    pub password_hash: Option<String>,
    pub must_change_password: bool,
    pub temporary_password_expired: bool,
}

pub fn find_credentials(conn: &Connection, id: &str) -> rusqlite::Result<Option<Credentials>> {
    conn.query_row(
        &format!(
            "SELECT password_hash, must_change_password,
                    temporary_password_expires_at IS NOT NULL AND temporary_password_expires_at <= {NOW}
             FROM users WHERE id = ?1"
        ),
        [id],
        |row| {
            Ok(Credentials {
                password_hash: row.get(0)?,
                must_change_password: row.get(1)?,
                temporary_password_expired: row.get(2)?,
            })
        },
    )
    .optional()
}

/// Who may recover a password: found by `login`, a user id or e-mail
/// address (both case-insensitive; an id match wins).
pub struct RecoveryUser {
    pub user: User,
    pub alternate_email: Option<String>,
}

pub fn find_by_login(conn: &Connection, login: &str) -> rusqlite::Result<Option<RecoveryUser>> {
    conn.query_row(
        "SELECT id, name, email, is_admin, alternate_email FROM users
         WHERE lower(id) = lower(?1) OR lower(email) = lower(?1)
         ORDER BY lower(id) = lower(?1) DESC, id LIMIT 1",
        [login],
        |row| {
            Ok(RecoveryUser {
                user: User {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    email: row.get(2)?,
                    is_admin: row.get(3)?,
                },
                alternate_email: row.get(4)?,
            })
        },
    )
    .optional()
}

pub fn set_alternate_email(
    conn: &Connection,
    id: &str,
    alternate_email: Option<&str>,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE users SET alternate_email = ?2 WHERE id = ?1",
        params![id, alternate_email],
    )?;
    Ok(())
}

/// A user's own new password (a change or a recovery): the new hash, and
/// no must-change flag or temporary expiry any more. Sessions are the
/// caller's business.
pub fn set_own_password(conn: &Connection, id: &str, password_hash: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE users SET password_hash = ?2, must_change_password = 0,
                temporary_password_expires_at = NULL
         WHERE id = ?1",
        params![id, password_hash],
    )?;
    Ok(())
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

/// Whether the user must change their password (`false` for no such user).
pub fn must_change(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .query_row(
            "SELECT must_change_password FROM users WHERE id = ?1",
            [id],
            |row| row.get(0),
        )
        .optional()?
        .unwrap_or(false))
}

/// An administrator's reset of a user's password: the new hash;
/// `temporary_hours`: the password is temporary (the user must change it)
/// and expires after that many hours, `None`: a lasting one. `false` (and
/// nothing written) for no such user.
pub fn set_password_hash(
    conn: &Connection,
    user_id: &str,
    password_hash: &str,
    temporary_hours: Option<u32>,
) -> rusqlite::Result<bool> {
    let expires_at = match temporary_hours {
        Some(hours) => format!("strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+{hours} hours')"),
        None => "NULL".to_owned(),
    };
    let updated = conn.execute(
        &format!(
            "UPDATE users SET password_hash = ?2, must_change_password = ?3,
                    temporary_password_expires_at = {expires_at}
             WHERE id = ?1"
        ),
        params![user_id, password_hash, temporary_hours.is_some()],
    )?;
    Ok(updated == 1)
}

/// Keeps the user's password and requires a change at the next sign-in (an
/// administrator's `unchanged` request). `false` for no such user.
pub fn require_change(conn: &Connection, user_id: &str) -> rusqlite::Result<bool> {
    let updated = conn.execute(
        "UPDATE users SET must_change_password = 1, temporary_password_expires_at = NULL
         WHERE id = ?1",
        params![user_id],
    )?;
    Ok(updated == 1)
}

// ---------------------------------------------------------------- resets

/// Records a reset the directory accepted (whatever the directory).
pub fn record_reset(
    conn: &Connection,
    user_id: &str,
    password_source: &str,
    idempotency_key: Option<&str>,
) -> rusqlite::Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO resets (user_id, idempotency_key, password_source, created_at)
             VALUES (?1, ?2, ?3, {NOW})"
        ),
        params![user_id, idempotency_key, password_source],
    )?;
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
    /// `queued` (in the outbox: without a mail server, that is where it
    /// stays; with one, it is being sent), `sent`, `failed`, or `unknown`
    /// (the server stopped while it was being sent, see
    /// [`mark_interrupted_outbox`]).
    pub status: String,
    /// What an `unknown` status means; absent for the others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_detail: Option<&'static str>,
    pub created_at: String,
}

/// Says what an `unknown` outbox status means (the outbox page and API).
pub const UNKNOWN_DELIVERY: &str =
    "The server stopped before this message's delivery was recorded: \
     it may or may not have reached the mail server. Check with the recipient.";

/// A `queued` message; `via_smtp`: a mail server is to get it (so a restart
/// that finds it still queued marks it `unknown`).
pub fn insert_outbox(
    conn: &Connection,
    to: &[String],
    subject: &str,
    body: &str,
    via_smtp: bool,
) -> rusqlite::Result<i64> {
    conn.execute(
        &format!(
            "INSERT INTO outbox (to_addrs, subject, body, status, created_at, via_smtp)
             VALUES (?1, ?2, ?3, 'queued', {NOW}, ?4)"
        ),
        params![to.join(","), subject, body, via_smtp],
    )?;
    Ok(conn.last_insert_rowid())
}

/// At start-up: a message still `queued` for a mail server was being sent
/// when the last run stopped (it died between the commit and recording the
/// server's answer), and no task of this run will send it. It becomes
/// `unknown` rather than queued forever. Returns how many. A message
/// written without a mail server stays `queued`: the outbox is its sink.
/// (One server per database file is assumed, as everywhere here.)
pub fn mark_interrupted_outbox(conn: &Connection) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE outbox SET status = 'unknown' WHERE status = 'queued' AND via_smtp = 1",
        [],
    )
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
        let status: String = row.get(4)?;
        Ok(OutboxMessage {
            id: row.get(0)?,
            to: to
                .split(',')
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect(),
            subject: row.get(2)?,
            body: row.get(3)?,
            status_detail: (status == "unknown").then_some(UNKNOWN_DELIVERY),
            status,
            created_at: row.get(5)?,
        })
    })?;
    rows.collect()
}
