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

/// The record of `key`, first forgetting records older than 24 hours.
pub fn find(conn: &Connection, key: &str) -> rusqlite::Result<Option<Row>> {
    conn.execute(
        "DELETE FROM idempotency WHERE created_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 day')",
        [],
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
