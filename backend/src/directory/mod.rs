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

use std::sync::Arc;

use axum::http::StatusCode;
use rusqlite::Connection;
use serde::Serialize;

use crate::db::{self, Db};
use crate::passwords::Password;
use crate::problem::{FieldError, Problem};

pub mod ldap;
pub mod sqlite;

pub use ldap::LdapDirectory;
pub use sqlite::SqliteDirectory;

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
    /// The user is not (or no longer) in the directory: deleted or
    /// disabled since the route found them. A 404 by itself; a batch
    /// reports that user failed and goes on.
    NoSuchUser,
    /// Anything else (a bug, an unexpected answer).
    Failed(String),
    /// The backend itself is too busy to check or hash a password now
    /// (every Argon2 permit is taken, see `passwords::HashPermits`): the
    /// 503 "Server busy" with `Retry-After: 1`. Only the SQLite directory,
    /// which hashes, says it.
    Busy,
}

impl std::fmt::Display for DirectoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DirectoryError::Unavailable(why) => write!(f, "directory unavailable: {why}"),
            DirectoryError::PasswordRefused(why) => {
                write!(f, "directory refused the password: {why}")
            }
            DirectoryError::NoSuchUser => write!(f, "no such user in the directory"),
            DirectoryError::Failed(why) => write!(f, "directory failed: {why}"),
            DirectoryError::Busy => write!(f, "every Argon2 permit is taken"),
        }
    }
}

impl std::error::Error for DirectoryError {}

pub type DirectoryResult<T> = Result<T, DirectoryError>;

/// The `type` of the 503 for a directory that is down, slow, refuses the
/// service account or answers with a referral. Nothing more was changed:
/// the same request with the same `Idempotency-Key` may be sent again after
/// `Retry-After`.
pub const DIRECTORY_UNAVAILABLE: &str = "/problems/directory-unavailable";

/// Seconds a client waits before retrying after [`DIRECTORY_UNAVAILABLE`].
pub const DIRECTORY_RETRY_SECS: u64 = 5;

/// The field error `code` of a new password the directory refused under its
/// own rules.
pub const DIRECTORY_REFUSED: &str = "directoryRefused";

/// The field error `detail` of [`DIRECTORY_REFUSED`].
pub const DIRECTORY_REFUSED_DETAIL: &str =
    "The directory refused this password: it does not meet its complexity or history rules.";

/// 503 [`DIRECTORY_UNAVAILABLE`] with `Retry-After`.
pub fn unavailable() -> Problem {
    Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "Directory unavailable",
        "The user directory did not answer. Try again in a few seconds: the same request, with the same Idempotency-Key, does not change anything twice.",
    )
    .with_type(DIRECTORY_UNAVAILABLE)
    .with_retry_after(DIRECTORY_RETRY_SECS)
}

/// The field error of a new password at `field` the directory refused.
pub fn refused_error(field: impl Into<String>) -> FieldError {
    FieldError {
        code: Some(DIRECTORY_REFUSED.to_owned()),
        ..FieldError::new(field, DIRECTORY_REFUSED_DETAIL)
    }
}

impl DirectoryError {
    /// The problem for this error when the new password came in `field`:
    /// a refusal is a 422 there, anything else as [`From`] says.
    pub fn at_field(self, field: &str) -> Problem {
        match self {
            DirectoryError::PasswordRefused(why) => {
                tracing::info!(%why, field, "the directory refused a new password");
                Problem::invalid_fields(vec![refused_error(field)])
            }
            other => other.into(),
        }
    }
}

/// Here rather than in `problem`, so that the leaf `problem` names no
/// module above it.
impl From<DirectoryError> for Problem {
    fn from(error: DirectoryError) -> Problem {
        match error {
            DirectoryError::Unavailable(why) => {
                tracing::warn!(%why, "the directory is unavailable");
                unavailable()
            }
            DirectoryError::Busy => {
                tracing::warn!("request refused: every Argon2 permit is taken");
                Problem::server_busy()
            }
            refused @ DirectoryError::PasswordRefused(_) => refused.at_field("password"),
            DirectoryError::NoSuchUser => {
                tracing::info!("the user is no longer in the directory");
                Problem::new(
                    StatusCode::NOT_FOUND,
                    "Unknown user",
                    "No user with this id exists.",
                )
            }
            DirectoryError::Failed(why) => Problem::internal(format!("directory failed: {why}")),
        }
    }
}

/// Where users live: one variant per kind of directory. Each method asks
/// the variant's own; adding a directory adds one line to each.
#[derive(Clone)]
pub enum Directory {
    Sqlite(SqliteDirectory),
    Ldap(Arc<LdapDirectory>),
}

impl Directory {
    /// Every user, sorted by name: the admin page's list.
    pub async fn list_users(&self) -> DirectoryResult<Vec<DirectoryUser>> {
        match self {
            Directory::Sqlite(directory) => directory.list_users().await,
            Directory::Ldap(directory) => directory.list_users().await,
        }
    }

    /// The user with this id (exactly), if any.
    pub async fn find_user(&self, id: &str) -> DirectoryResult<Option<DirectoryUser>> {
        match self {
            Directory::Sqlite(directory) => directory.find_user(id).await,
            Directory::Ldap(directory) => directory.find_user(id).await,
        }
    }

    /// The user a recovery login names: a user id or an e-mail address,
    /// both without case; an id match wins.
    pub async fn find_by_login(&self, login: &str) -> DirectoryResult<Option<Account>> {
        match self {
            Directory::Sqlite(directory) => directory.find_by_login(login).await,
            Directory::Ldap(directory) => directory.find_by_login(login).await,
        }
    }

    /// Checks a user's password. Unknown users are [`Bind::Rejected`], in
    /// about the time a wrong password takes.
    pub async fn verify_password(&self, id: &str, password: &Password) -> DirectoryResult<Bind> {
        match self {
            Directory::Sqlite(directory) => directory.verify_password(id, password).await,
            Directory::Ldap(directory) => directory.verify_password(id, password).await,
        }
    }

    /// An administrator's reset: the new password, which the user must
    /// change at the next sign-in when `must_change`.
    pub async fn set_password(
        &self,
        id: &str,
        password: &Password,
        must_change: bool,
    ) -> DirectoryResult<()> {
        match self {
            Directory::Sqlite(directory) => directory.set_password(id, password, must_change).await,
            Directory::Ldap(directory) => directory.set_password(id, password, must_change).await,
        }
    }

    /// The user keeps the password and must change it at the next sign-in.
    pub async fn require_change(&self, id: &str) -> DirectoryResult<()> {
        match self {
            Directory::Sqlite(directory) => directory.require_change(id).await,
            Directory::Ldap(directory) => directory.require_change(id).await,
        }
    }

    /// Whether the user must change their password before anything else
    /// (`false` for no such user).
    pub async fn must_change(&self, id: &str) -> DirectoryResult<bool> {
        match self {
            Directory::Sqlite(directory) => directory.must_change(id).await,
            Directory::Ldap(directory) => directory.must_change(id).await,
        }
    }

    /// The user's own change: `current` is checked by the directory where
    /// it can (the route has checked it already, under the sign-in rate
    /// limits); the new password clears any must-change.
    pub async fn change_own_password(
        &self,
        id: &str,
        current: &Password,
        new: &Password,
    ) -> DirectoryResult<()> {
        match self {
            Directory::Sqlite(directory) => directory.change_own_password(id, current, new).await,
            // The route checked `current` a moment ago: a refusal now means
            // the password changed in between.
            Directory::Ldap(directory) => {
                match directory.change_own_password(id, current, new).await? {
                    Bind::Accepted { .. } => Ok(()),
                    Bind::Rejected | Bind::Expired => Err(DirectoryError::Failed(
                        "the directory no longer accepts the current password".into(),
                    )),
                }
            }
        }
    }

    /// Recovery: a new password set for the user, no must-change.
    pub async fn recover_password(&self, id: &str, new: &Password) -> DirectoryResult<()> {
        match self {
            Directory::Sqlite(directory) => directory.recover_password(id, new).await,
            Directory::Ldap(directory) => directory.recover_password(id, new).await,
        }
    }

    /// An administrator's reset of several users, with the backend's own
    /// records of it (`ledger`) in its SQLite file `db`.
    ///
    /// When the users live in that same file (the SQLite directory on the
    /// backend's own database), the whole batch is one transaction: every
    /// change and every record, or nothing. Otherwise (LDAP, or SQLite
    /// users in another file) each change goes to the directory on its
    /// own: [`Ledger::pending`] commits right before the directory is asked
    /// (a journal row `pending`, the user's sessions ended), and
    /// [`Ledger::accepted`] right after it accepted. A failure or a crash
    /// midway, a lost answer included, loses nothing: the ledger tells a
    /// retry which changes not to make again ([`Ledger::accepted_before`]),
    /// and a pending one is made again (the same password set once more).
    /// A change the directory refuses under its password rules is
    /// [`Applied::Refused`], one of a user no longer there
    /// [`Applied::NoSuchUser`], and the others go on; a directory that is
    /// unavailable (or any other failure) gets the user an audit row
    /// ([`Ledger::unknown`]) and ends the batch with its problem, before
    /// [`Ledger::close`].
    pub async fn apply<L: Ledger>(
        &self,
        db: &Db,
        changes: Vec<Change>,
        ledger: L,
    ) -> Result<L::Outcome, Problem> {
        match self {
            Directory::Sqlite(directory) if directory.shares(db) => {
                directory.apply_atomically(db, changes, ledger).await
            }
            _ => self.apply_one_by_one(db, changes, ledger).await,
        }
    }

    /// [`Directory::apply`] for a directory outside the backend's transaction.
    pub async fn apply_one_by_one<L: Ledger>(
        &self,
        db: &Db,
        changes: Vec<Change>,
        ledger: L,
    ) -> Result<L::Outcome, Problem> {
        let ledger = Arc::new(ledger);
        let opening = ledger.clone();
        let opened = db::call(db, move |conn| {
            let tx = conn.transaction()?;
            let outcome = opening.open(&tx)?;
            tx.commit()?;
            Ok(outcome)
        })
        .await?;
        if let Some(outcome) = opened {
            return Ok(outcome);
        }
        let mut applied = Vec::with_capacity(changes.len());
        for (index, change) in changes.iter().enumerate() {
            if ledger.accepted_before(index) {
                applied.push(Applied::Accepted);
                continue;
            }
            // Before the directory is asked: should its answer be lost, the
            // journal says the change may have been made, and no session
            // signed in with the old password outlives it.
            let pending = ledger.clone();
            db::call(db, move |conn| {
                let tx = conn.transaction()?;
                pending.pending(&tx, index)?;
                tx.commit()
            })
            .await?;
            let result = match &change.password {
                Some(password) => {
                    self.set_password(&change.user_id, password, change.must_change)
                        .await
                }
                None => self.require_change(&change.user_id).await,
            };
            match result {
                Ok(()) => {
                    let accepted = ledger.clone();
                    db::call(db, move |conn| {
                        let tx = conn.transaction()?;
                        accepted.accepted(&tx, index)?;
                        tx.commit()
                    })
                    .await?;
                    applied.push(Applied::Accepted);
                }
                Err(DirectoryError::PasswordRefused(why)) => {
                    tracing::info!(%why, "the directory refused a new password");
                    applied.push(Applied::Refused);
                }
                Err(DirectoryError::NoSuchUser) => applied.push(Applied::NoSuchUser),
                Err(DirectoryError::Busy) => return Err(DirectoryError::Busy.into()),
                Err(error) => {
                    let unknown = ledger.clone();
                    let noted = db::call(db, move |conn| unknown.unknown(conn, index)).await;
                    if let Err(db_error) = noted {
                        tracing::error!(%db_error, "could not write the audit trail");
                    }
                    return Err(error.into());
                }
            }
        }
        let closing = ledger.clone();
        Ok(db::call(db, move |conn| {
            let tx = conn.transaction()?;
            let outcome = closing.close(&tx, &applied)?;
            tx.commit()?;
            Ok(outcome)
        })
        .await?)
    }
}

/// One user's part of an administrator's reset.
#[derive(Debug, Clone)]
pub struct Change {
    pub user_id: String,
    /// The new password; `None`: the user keeps theirs and must change it.
    pub password: Option<Password>,
    /// With a password: the user must change it at the next sign-in.
    pub must_change: bool,
}

/// What became of one [`Change`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    Accepted,
    /// The directory refused the password under its own rules.
    Refused,
    /// The user was gone by the time the change was made.
    NoSuchUser,
}

/// The backend's own records of a batch of changes, kept in its SQLite
/// file whatever the directory: the idempotency record, a journal of the
/// changes accepted, reset and audit rows, the outbox. Each method runs in
/// a transaction the caller commits.
pub trait Ledger: Send + Sync + 'static {
    type Outcome: Send + 'static;

    /// First: `Some` ends the batch before any change (say, a request
    /// with the same key has been answered meanwhile).
    fn open(&self, conn: &Connection) -> rusqlite::Result<Option<Self::Outcome>>;

    /// Whether change `index` was accepted by an earlier attempt of the same
    /// request (it is not made again, and counts as accepted). A change
    /// only pending then is made again.
    fn accepted_before(&self, index: usize) -> bool;

    /// Change `index` is about to be asked of a directory outside the
    /// backend's transaction (committed before it is).
    fn pending(&self, conn: &Connection, index: usize) -> rusqlite::Result<()>;

    /// The directory has just accepted change `index`.
    fn accepted(&self, conn: &Connection, index: usize) -> rusqlite::Result<()>;

    /// The directory did not answer change `index` (or failed): it may
    /// have been made. The batch ends.
    fn unknown(&self, conn: &Connection, index: usize) -> rusqlite::Result<()>;

    /// Last, with what became of each change.
    fn close(&self, conn: &Connection, applied: &[Applied]) -> rusqlite::Result<Self::Outcome>;
}

#[cfg(test)]
mod tests {
    use password_reset_widget::core::policy::Violation;
    use password_reset_widget::i18n::texts_for;

    use super::*;

    /// The dialog shows the refusal at the field in its own language: the
    /// code is the widget's, and the English words are its English words.
    #[test]
    fn a_refusal_speaks_the_widgets_code_and_words() {
        let violation = Violation::from_code(DIRECTORY_REFUSED, None);
        assert_eq!(violation, Some(Violation::DirectoryRefused));
        assert_eq!(
            (texts_for("en").violation)(&Violation::DirectoryRefused),
            DIRECTORY_REFUSED_DETAIL
        );
        let error = refused_error("newPassword");
        assert_eq!(error.code.as_deref(), Some(DIRECTORY_REFUSED));
        assert_eq!(error.field, "newPassword");
    }

    #[test]
    fn an_unavailable_directory_is_a_503_to_retry() {
        let problem = Problem::from(DirectoryError::Unavailable("timed out".to_owned()));
        assert_eq!(problem.status, 503);
        assert_eq!(problem.kind, DIRECTORY_UNAVAILABLE);
        assert_eq!(problem.retry_after, Some(DIRECTORY_RETRY_SECS));
        assert!(
            !problem.detail.contains("timed out"),
            "the cause is logged only"
        );
        let busy = Problem::from(DirectoryError::Busy);
        assert_eq!((busy.status, busy.title.as_str()), (503, "Server busy"));
        assert_eq!(
            Problem::from(DirectoryError::Failed("x".into())).status,
            500
        );
    }
}
