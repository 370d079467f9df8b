//! The `recovery_codes` and `recovery_tokens` tables. Only hashes are
//! stored (see `crate::recovery`, which makes codes and tokens): this
//! module never sees a code or a token.

use rusqlite::{params, Connection, OptionalExtension};

use super::NOW;

/// The codes issued to a user within the last hour (any state).
pub fn codes_in_last_hour(conn: &Connection, user_id: &str) -> rusqlite::Result<u32> {
    conn.query_row(
        "SELECT COUNT(*) FROM recovery_codes
         WHERE user_id = ?1 AND created_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 hour')",
        [user_id],
        |row| row.get(0),
    )
}

/// Stores a new code for `user_id`, valid `minutes`; every older active
/// code of the user is replaced (no longer accepted).
pub fn insert_code(
    conn: &Connection,
    user_id: &str,
    salt: &str,
    code_hash: &str,
    minutes: u32,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE recovery_codes SET state = 'replaced' WHERE user_id = ?1 AND state = 'active'",
        [user_id],
    )?;
    conn.execute(
        &format!(
            "INSERT INTO recovery_codes (user_id, salt, code_hash, state, failed_attempts, created_at, expires_at)
             VALUES (?1, ?2, ?3, 'active', 0, {NOW}, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+{minutes} minutes'))"
        ),
        params![user_id, salt, code_hash],
    )?;
    Ok(())
}

/// The user's one live code: active and not expired.
pub struct ActiveCode {
    pub id: i64,
    pub salt: String,
    pub code_hash: String,
    pub failed_attempts: u32,
}

pub fn active_code(conn: &Connection, user_id: &str) -> rusqlite::Result<Option<ActiveCode>> {
    conn.query_row(
        &format!(
            "SELECT id, salt, code_hash, failed_attempts FROM recovery_codes
             WHERE user_id = ?1 AND state = 'active' AND expires_at > {NOW}
             ORDER BY id DESC LIMIT 1"
        ),
        [user_id],
        |row| {
            Ok(ActiveCode {
                id: row.get(0)?,
                salt: row.get(1)?,
                code_hash: row.get(2)?,
                failed_attempts: row.get(3)?,
            })
        },
    )
    .optional()
}

/// Counts a wrong try; `burn` makes the code unusable for good.
pub fn code_failed(conn: &Connection, id: i64, burn: bool) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE recovery_codes SET failed_attempts = failed_attempts + 1,
                state = CASE WHEN ?2 THEN 'burned' ELSE state END
         WHERE id = ?1",
        params![id, burn],
    )?;
    Ok(())
}

pub fn code_used(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE recovery_codes SET state = 'used' WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

pub fn insert_token(
    conn: &Connection,
    token_hash: &str,
    user_id: &str,
    seconds: u32,
) -> rusqlite::Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO recovery_tokens (token_hash, user_id, created_at, expires_at)
             VALUES (?1, ?2, {NOW}, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+{seconds} seconds'))"
        ),
        params![token_hash, user_id],
    )?;
    Ok(())
}

/// The user of a live token: known, unexpired, and unused or used by the
/// completion with `key` (whose retry may finish what it started).
pub fn token_user(
    conn: &Connection,
    token_hash: &str,
    key: Option<&str>,
) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        &format!(
            "SELECT user_id FROM recovery_tokens
             WHERE token_hash = ?1 AND expires_at > {NOW}
               AND (used_at IS NULL OR used_key = ?2)"
        ),
        params![token_hash, key],
        |row| row.get(0),
    )
    .optional()
}

/// Uses a live token up for the completion with `key` (see [`token_user`]);
/// `false` when it is not live.
pub fn token_used(conn: &Connection, token_hash: &str, key: &str) -> rusqlite::Result<bool> {
    let updated = conn.execute(
        &format!(
            "UPDATE recovery_tokens SET used_at = {NOW}, used_key = ?2
             WHERE token_hash = ?1 AND expires_at > {NOW}
               AND (used_at IS NULL OR used_key = ?2)"
        ),
        params![token_hash, key],
    )?;
    Ok(updated == 1)
}

/// Gives back a token the completion with `key` used, when the directory
/// refused its password: the user may try another one.
pub fn token_unused(conn: &Connection, token_hash: &str, key: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE recovery_tokens SET used_at = NULL, used_key = NULL
         WHERE token_hash = ?1 AND used_key = ?2",
        params![token_hash, key],
    )?;
    Ok(())
}
