//! The directory: where users and their passwords live. SQLite (the
//! embedded default, `--directory sqlite`) or an LDAP server
//! (`--directory ldap`: OpenLDAP or Active Directory). Whatever the
//! directory, sessions, idempotency records, recovery codes, the outbox and
//! the audit trail stay in the backend's own SQLite file.
//!
//! Every operation is async and answers a [`DirectoryError`] the routes turn
//! into problem+json: the directory being down is a retryable 503, its own
//! password rules a 422 at the password field. Nothing is reported as done
//! that the directory did not accept.

pub mod ldap;

use serde::Serialize;

/// A user as the admin page and the dialog see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryUser {
    /// The sign-in name: the SQLite id, OpenLDAP's `uid`, AD's
    /// `sAMAccountName`.
    pub id: String,
    pub name: String,
    pub email: String,
    pub is_admin: bool,
}

/// A user found for recovery, with the alternate address the code goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub user: DirectoryUser,
    pub alternate_email: Option<String>,
}

/// What a password check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bind {
    /// The password is right; `must_change`: the directory requires a new
    /// one before anything else (SQLite's flag, OpenLDAP's ppolicy
    /// `changeAfterReset`, AD's `data 773`).
    Accepted { must_change: bool },
    /// Wrong password or no such user: one answer for both.
    Rejected,
    /// A right temporary password past its expiry.
    Expired,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirectoryError {
    /// Down, timed out, refused the service account, or answered with a
    /// referral: retry later. The text is for the log only and never holds
    /// a password.
    Unavailable(String),
    /// The directory refused the new password under its own rules
    /// (complexity, history, minimum age: AD's `0000052D`, ppolicy's
    /// quality or history errors). The text is the directory's own, for the
    /// log.
    PasswordRefused(String),
    /// Anything else (a bug, an unexpected answer).
    Failed(String),
}

impl std::fmt::Display for DirectoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DirectoryError::Unavailable(why) => write!(f, "directory unavailable: {why}"),
            DirectoryError::PasswordRefused(why) => {
                write!(f, "directory refused the password: {why}")
            }
            DirectoryError::Failed(why) => write!(f, "directory failed: {why}"),
        }
    }
}

impl std::error::Error for DirectoryError {}

pub type DirectoryResult<T> = Result<T, DirectoryError>;
