//! The `sessions` table. Rows are found by the SHA-256 of the cookie value
//! (see `crate::sessions`, which makes tokens and hashes them): this module
//! never sees a cookie value.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::NOW;

/// A live session with its user: what `POST` and `GET /api/session` answer.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub user_id: String,
    pub name: String,
    pub is_admin: bool,
    pub csrf_token: String,
    /// The user must change their password: until then this session may
    /// only read or end itself and change the password (see
    /// `routes::auth::password_change_guard`). True when the sign-in said
    /// so (kept with the session until the session's own change clears
    /// it) or the directory says so now (asked at each request, with the
    /// name and role, by `crate::sessions::current`).
    /// Sent only when true: the session answer of a normal session keeps
    /// exactly the four members it always had.
    #[serde(skip_serializing_if = "is_false")]
    pub must_change_password: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// The CSRF token is a secret: never print it.
impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("user_id", &self.user_id)
            .field("name", &self.name)
            .field("is_admin", &self.is_admin)
            .field("csrf_token", &"<redacted>")
            .field("must_change_password", &self.must_change_password)
            .finish()
    }
}

/// Forgets the sessions that are over.
pub fn delete_expired(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute(
        &format!("DELETE FROM sessions WHERE expires_at <= {NOW}"),
        [],
    )?;
    Ok(())
}

/// Stores a session of `user_id` (with the name and role the directory
/// gave at sign-in, and whether the sign-in said the password must change)
/// that ends `lifetime_hours` from now.
pub fn insert(
    conn: &Connection,
    token_hash: &str,
    (user_id, name, is_admin): (&str, &str, bool),
    must_change: bool,
    csrf_token: &str,
    lifetime_hours: u32,
) -> rusqlite::Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO sessions (token_hash, user_id, name, is_admin, must_change_password, csrf_token, created_at, expires_at, last_seen_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, {NOW}, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+{lifetime_hours} hours'), {NOW})"
        ),
        params![token_hash, user_id, name, is_admin, must_change, csrf_token],
    )?;
    Ok(())
}

/// When a session was last used: `last_seen_at`, or for a row written
/// before that column existed, its sign-in.
const LAST_SEEN: &str = "COALESCE(sessions.last_seen_at, sessions.created_at)";

/// The live session stored under this hash, if any: unexpired and, given
/// `idle_minutes`, used within that many minutes, as it was stored: the
/// name and role of the sign-in, and its must-change flag
/// (`crate::sessions::current` adds what the directory says now).
pub fn find(
    conn: &Connection,
    token_hash: &str,
    idle_minutes: Option<u32>,
) -> rusqlite::Result<Option<Session>> {
    let idle = idle_minutes.map_or_else(String::new, |minutes| {
        format!(" AND {LAST_SEEN} > strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-{minutes} minutes')")
    });
    conn.query_row(
        &format!(
            "SELECT user_id, name, is_admin, csrf_token, must_change_password FROM sessions
             WHERE token_hash = ?1 AND expires_at > {NOW}{idle}"
        ),
        [token_hash],
        |row| {
            Ok(Session {
                user_id: row.get(0)?,
                name: row.get(1)?,
                is_admin: row.get(2)?,
                csrf_token: row.get(3)?,
                must_change_password: row.get(4)?,
            })
        },
    )
    .optional()
}

/// Records a use of the session stored under this hash, unless one was
/// recorded within the last `every_secs` seconds (to spare writes).
pub fn touch(conn: &Connection, token_hash: &str, every_secs: u32) -> rusqlite::Result<()> {
    conn.execute(
        &format!(
            "UPDATE sessions SET last_seen_at = {NOW}
             WHERE token_hash = ?1
               AND {LAST_SEEN} <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-{every_secs} seconds')"
        ),
        [token_hash],
    )?;
    Ok(())
}

/// Records that the user of the session stored under this hash has just
/// confirmed their own password (a step-up).
pub fn mark_stepped_up(conn: &Connection, token_hash: &str) -> rusqlite::Result<()> {
    conn.execute(
        &format!("UPDATE sessions SET stepped_up_at = {NOW} WHERE token_hash = ?1"),
        [token_hash],
    )?;
    Ok(())
}

/// Whether the session stored under this hash confirmed its user's password
/// within the last `minutes` minutes.
pub fn stepped_up_within(
    conn: &Connection,
    token_hash: &str,
    minutes: u32,
) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sessions WHERE token_hash = ?1
             AND stepped_up_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?2))",
        params![token_hash, format!("-{minutes} minutes")],
        |row| row.get(0),
    )
}

/// A database made before sessions had an idle timeout, a step-up or the
/// sign-in's must-change flag gets the columns (its sessions: no flag
/// stored, the directory's answer alone, as they had it).
pub fn add_missing_columns(conn: &Connection) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info('sessions')")?;
    let columns: Vec<String> = stmt
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if !columns.iter().any(|c| c == "last_seen_at") {
        conn.execute("ALTER TABLE sessions ADD COLUMN last_seen_at TEXT NULL", [])?;
    }
    if !columns.iter().any(|c| c == "must_change_password") {
        conn.execute(
            "ALTER TABLE sessions ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0",
            [],
        )?;
    }
    if !columns.iter().any(|c| c == "stepped_up_at") {
        conn.execute(
            "ALTER TABLE sessions ADD COLUMN stepped_up_at TEXT NULL",
            [],
        )?;
    }
    Ok(())
}

/// The user of the session stored under this hash has changed their
/// password in it: its sign-in's must-change flag is over.
pub fn clear_must_change(conn: &Connection, token_hash: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE sessions SET must_change_password = 0 WHERE token_hash = ?1",
        [token_hash],
    )?;
    Ok(())
}

/// Ends the session stored under this hash (nothing if there is none).
pub fn delete(conn: &Connection, token_hash: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
    Ok(())
}

/// Ends every session of a user: called when their password is reset.
pub fn delete_all_of(conn: &Connection, user_id: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])?;
    Ok(())
}

/// Ends every session of a user but the one stored under `keep_token_hash`
/// (a password change keeps the session that made it).
pub fn delete_others_of(
    conn: &Connection,
    user_id: &str,
    keep_token_hash: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2",
        params![user_id, keep_token_hash],
    )?;
    Ok(())
}
