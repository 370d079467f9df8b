//! The audit trail's table: one row per password event (see `crate::audit`).

use rusqlite::{params, Connection};
use serde::Serialize;

use super::NOW;

/// One row, as `GET /api/audit` lists it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: Option<String>,
    pub subject: Option<String>,
    pub action: String,
    pub outcome: String,
    pub detail: Option<String>,
    pub client: String,
}

/// Call inside the transaction of the change it records, if there is one.
pub fn insert(
    conn: &Connection,
    actor: Option<&str>,
    subject: Option<&str>,
    action: &str,
    outcome: &str,
    detail: Option<&str>,
    client: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO audit (created_at, actor_id, subject_id, action, outcome, detail, client)
             VALUES ({NOW}, ?1, ?2, ?3, ?4, ?5, ?6)"
        ),
        params![actor, subject, action, outcome, detail, client],
    )?;
    Ok(())
}

/// The newest `limit` rows, newest first.
pub fn list(conn: &Connection, limit: u32) -> rusqlite::Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(
        "SELECT id, created_at, actor_id, subject_id, action, outcome, detail, client
         FROM audit ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |row| {
        Ok(AuditEntry {
            id: row.get(0)?,
            at: row.get(1)?,
            actor: row.get(2)?,
            subject: row.get(3)?,
            action: row.get(4)?,
            outcome: row.get(5)?,
            detail: row.get(6)?,
            client: row.get(7)?,
        })
    })?;
    rows.collect()
}
