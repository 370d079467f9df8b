//! The `idempotency` table: per key, the request's fingerprint and the
//! response sent. What a record means (replay or refuse) is decided in
//! `crate::idempotency`.

use rusqlite::{params, Connection, OptionalExtension};

use super::NOW;

/// One stored record.
pub struct Row {
    /// Argon2id hash of the canonical request.
    pub fingerprint: String,
    pub status: u16,
    pub body: String,
}

/// The record of `key`, first forgetting records (and journal rows) older
/// than 24 hours.
pub fn find(conn: &Connection, key: &str) -> rusqlite::Result<Option<Row>> {
    conn.execute_batch(
        "DELETE FROM idempotency WHERE created_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 day');
         DELETE FROM applied WHERE created_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 day');",
    )?;
    conn.query_row(
        "SELECT request_hash, status, body FROM idempotency WHERE key = ?1",
        [key],
        |row| {
            Ok(Row {
                fingerprint: row.get(0)?,
                status: row.get(1)?,
                body: row.get(2)?,
            })
        },
    )
    .optional()
}

pub fn insert(
    conn: &Connection,
    key: &str,
    fingerprint: &str,
    status: u16,
    body: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO idempotency (key, request_hash, status, body, created_at)
             VALUES (?1, ?2, ?3, ?4, {NOW})"
        ),
        params![key, fingerprint, status, body],
    )?;
    Ok(())
}

/// Replaces the stored body (once e-mail delivery has finished).
pub fn update_body(conn: &Connection, key: &str, body: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE idempotency SET body = ?2 WHERE key = ?1",
        params![key, body],
    )?;
    Ok(())
}

/// A user of a reset whose change the directory accepted, before the
/// reset's record was stored (see `routes::resets::apply`); or a user's own
/// change about to be asked of the directory (`routes::password_changes`).
pub struct Applied {
    pub user_id: String,
    /// `reset` or `required`; `pending` for a user's own change.
    pub status: String,
    /// The request's fingerprint (Argon2id), as a record's.
    pub fingerprint: String,
}

/// The users a request with `key` has had changed so far, oldest first.
pub fn applied_of(conn: &Connection, key: &str) -> rusqlite::Result<Vec<Applied>> {
    let mut stmt = conn.prepare(
        "SELECT user_id, status, request_hash FROM applied WHERE key = ?1 ORDER BY rowid",
    )?;
    let rows = stmt.query_map([key], |row| {
        Ok(Applied {
            user_id: row.get(0)?,
            status: row.get(1)?,
            fingerprint: row.get(2)?,
        })
    })?;
    rows.collect()
}

/// Notes that the directory accepted `user_id`'s change for `key` (the
/// `pending` row written before it was asked, if any, becomes this one).
pub fn insert_applied(
    conn: &Connection,
    key: &str,
    user_id: &str,
    fingerprint: &str,
    status: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO applied (key, user_id, request_hash, status, created_at)
             VALUES (?1, ?2, ?3, ?4, {NOW})
             ON CONFLICT (key, user_id) DO UPDATE SET status = excluded.status"
        ),
        params![key, user_id, fingerprint, status],
    )?;
    Ok(())
}

/// Forgets the journal of `key`: its record now says it all.
pub fn forget_applied(conn: &Connection, key: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM applied WHERE key = ?1", [key])?;
    Ok(())
}

/// Notes that a change of `user_id` with `key` is about to be asked of the
/// directory (a user's own change, or one user of a reset); a row already
/// there stays as it is.
pub fn note_pending(
    conn: &Connection,
    key: &str,
    user_id: &str,
    fingerprint: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO applied (key, user_id, request_hash, status, created_at)
             VALUES (?1, ?2, ?3, 'pending', {NOW})
             ON CONFLICT (key, user_id) DO NOTHING"
        ),
        params![key, user_id, fingerprint],
    )?;
    Ok(())
}
