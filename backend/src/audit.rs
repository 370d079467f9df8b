//! The audit trail: who reset or changed whose password, when, from which
//! client address, and with what outcome. Never a password. Rows are
//! written in the transaction of the change they record (a refused
//! request, which changes nothing, gets its own); `db::audit` holds the SQL.

use std::net::IpAddr;

use rusqlite::Connection;

use crate::db;
use crate::problem::Problem;

/// What happened, as the `action` column says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `POST /api/password-resets`, one row per user named.
    AdminReset,
    /// `POST /api/password-changes`: a user's own change.
    PasswordChange,
    /// `POST /api/password-recovery/completions`.
    Recovery,
    /// `POST /api/session/step-up`: an administrator confirmed their own
    /// password (`confirmed`) or gave a wrong one (`refused`).
    StepUp,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::AdminReset => "admin-reset",
            Action::PasswordChange => "password-change",
            Action::Recovery => "recovery",
            Action::StepUp => "step-up",
        }
    }
}

/// `outcome` values.
pub const RESET: &str = "reset";
pub const REQUIRED: &str = "required";
pub const CHANGED: &str = "changed";
pub const FAILED: &str = "failed";
pub const REFUSED: &str = "refused";
pub const CONFIRMED: &str = "confirmed";
/// A change asked of a directory that did not answer (or failed): it may
/// or may not have been made.
pub const UNKNOWN: &str = "unknown";

/// Who acted and from where: the same for every row a request writes.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<String>,
    /// The connection's peer address, or `unknown` without one.
    pub client: String,
}

impl Actor {
    pub fn new(user_id: Option<&str>, client: Option<IpAddr>) -> Actor {
        Actor {
            user_id: user_id.map(str::to_owned),
            client: client.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string()),
        }
    }

    /// Writes one row.
    pub fn record(
        &self,
        conn: &Connection,
        action: Action,
        subject: Option<&str>,
        outcome: &str,
        detail: Option<&str>,
    ) -> rusqlite::Result<()> {
        db::audit::insert(
            conn,
            self.user_id.as_deref(),
            subject,
            action.as_str(),
            outcome,
            detail,
            &self.client,
        )
    }
}

/// A refused request's reason: the problem's title and the fields it
/// names with their (fixed) messages. Never a value the client sent.
pub fn refusal_detail(problem: &Problem) -> String {
    let mut detail = format!("{} {}", problem.status, problem.title);
    for error in &problem.errors {
        detail.push_str(&format!("; {}: {}", error.field, error.detail));
    }
    detail
}
