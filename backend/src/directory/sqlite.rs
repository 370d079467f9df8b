//! The SQLite directory: the `users` table of a SQLite file (the backend's
//! own, by default), with Argon2id hashes (`passwords`). Hashing and
//! verifying run on the blocking pool under one of the backend's hash
//! permits; none free is [`DirectoryError::Busy`] at once, the 503 "Server
//! busy" it always was. A locked or busy database file is
//! [`DirectoryError::Unavailable`], like an LDAP server that does not answer.
//!
//! An organisation may give the SQLite directory password rules of its own,
//! as AD has: a trigger on `users` that refuses a new hash with
//! `RAISE(ABORT, '…')` (say, to keep a history) is
//! [`DirectoryError::PasswordRefused`], a 422 at the password field.

use std::sync::Arc;

use rusqlite::{Connection, ErrorCode};

use super::{
    Account, Applied, Bind, Change, DirectoryError, DirectoryResult, DirectoryUser, Ledger,
};
use crate::db::{self, Db};
use crate::passwords::{self, HashPermits, Password};
use crate::problem::Problem;

#[derive(Clone)]
pub struct SqliteDirectory {
    db: Db,
    permits: HashPermits,
    /// Hours a temporary password (an administrator's reset with
    /// must-change) lasts: `--temporary-password-hours`.
    temporary_hours: u32,
}

impl From<db::User> for DirectoryUser {
    fn from(user: db::User) -> DirectoryUser {
        DirectoryUser {
            id: user.id,
            name: user.name,
            email: user.email,
            is_admin: user.is_admin,
        }
    }
}

impl SqliteDirectory {
    /// The users of the database `db` (usually the backend's own handle),
    /// hashing under `permits`.
    pub fn new(db: Db, permits: HashPermits, temporary_hours: u32) -> SqliteDirectory {
        SqliteDirectory {
            db,
            permits,
            temporary_hours,
        }
    }

    /// Whether the users live behind this very handle, so that a change and
    /// the backend's records of it can share one transaction.
    pub fn shares(&self, db: &Db) -> bool {
        Arc::ptr_eq(&self.db, db)
    }

    /// Runs `f` on the connection on the blocking pool; a busy or locked
    /// file is [`DirectoryError::Unavailable`].
    async fn run<T, F>(&self, f: F) -> DirectoryResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = db.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&mut conn)
        })
        .await
        .map_err(|e| DirectoryError::Failed(e.to_string()))?
        .map_err(|error| {
            if refused_by_trigger(&error) {
                return DirectoryError::PasswordRefused(error.to_string());
            }
            match error.sqlite_error_code() {
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                    DirectoryError::Unavailable(error.to_string())
                }
                _ => DirectoryError::Failed(error.to_string()),
            }
        })
    }

    /// Runs `f` on the blocking pool under a hash permit.
    async fn hashing<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> DirectoryResult<T> {
        let permit = self.permits.try_acquire().ok_or(DirectoryError::Busy)?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            f()
        })
        .await
        .map_err(|e| DirectoryError::Failed(e.to_string()))
    }

    pub async fn list_users(&self) -> DirectoryResult<Vec<DirectoryUser>> {
        let users = self.run(|conn| db::list_users(conn)).await?;
        Ok(users.into_iter().map(DirectoryUser::from).collect())
    }

    pub async fn find_user(&self, id: &str) -> DirectoryResult<Option<DirectoryUser>> {
        let id = id.to_owned();
        let user = self.run(move |conn| db::find_user(conn, &id)).await?;
        Ok(user.map(DirectoryUser::from))
    }

    pub async fn find_by_login(&self, login: &str) -> DirectoryResult<Option<Account>> {
        let login = login.to_owned();
        let found = self
            .run(move |conn| db::find_by_login(conn, &login))
            .await?;
        Ok(found.map(|found| Account {
            user: found.user.into(),
            alternate_email: found.alternate_email,
        }))
    }

    pub async fn verify_password(&self, id: &str, password: &Password) -> DirectoryResult<Bind> {
        let id = id.to_owned();
        let credentials = self
            .run(move |conn| db::find_credentials(conn, &id))
            .await?;
        let stored = credentials.as_ref().and_then(|c| c.password_hash.clone());
        let password = password.clone();
        // Argon2 is deliberately slow; an unknown user (or one without a
        // hash) costs the same, against a hash nobody can match, so the
        // time taken does not tell which ids exist.
        let verified = self
            .hashing(move || match stored {
                Some(hash) => passwords::verify(&password, &hash),
                None => {
                    passwords::verify(&password, passwords::unknown_password_hash());
                    false
                }
            })
            .await?;
        Ok(match credentials {
            Some(credentials) if verified => {
                if credentials.temporary_password_expired {
                    Bind::Expired
                } else {
                    Bind::Accepted {
                        must_change: credentials.must_change_password,
                    }
                }
            }
            _ => Bind::Rejected,
        })
    }

    pub async fn set_password(
        &self,
        id: &str,
        password: &Password,
        must_change: bool,
    ) -> DirectoryResult<()> {
        let hash = self.hash(password).await?;
        let (id, hours) = (id.to_owned(), must_change.then_some(self.temporary_hours));
        let found = self
            .run(move |conn| db::set_password_hash(conn, &id, &hash, hours))
            .await?;
        found.then_some(()).ok_or_else(no_such_user)
    }

    pub async fn require_change(&self, id: &str) -> DirectoryResult<()> {
        let id = id.to_owned();
        let found = self.run(move |conn| db::require_change(conn, &id)).await?;
        found.then_some(()).ok_or_else(no_such_user)
    }

    pub async fn must_change(&self, id: &str) -> DirectoryResult<bool> {
        let id = id.to_owned();
        self.run(move |conn| db::must_change(conn, &id)).await
    }

    /// `current` is not checked again: the route checked it a moment ago
    /// (under the sign-in rate limits), in this same process, and a second
    /// Argon2 run would only double the cost. (LDAP checks it itself, as it
    /// changes the password bound as the user.)
    pub async fn change_own_password(
        &self,
        id: &str,
        _current: &Password,
        new: &Password,
    ) -> DirectoryResult<()> {
        self.set_own_password(id, new).await
    }

    pub async fn recover_password(&self, id: &str, new: &Password) -> DirectoryResult<()> {
        self.set_own_password(id, new).await
    }

    async fn set_own_password(&self, id: &str, new: &Password) -> DirectoryResult<()> {
        let hash = self.hash(new).await?;
        let id = id.to_owned();
        let found = self
            .run(move |conn| {
                let found = db::find_user(conn, &id)?.is_some();
                db::set_own_password(conn, &id, &hash)?;
                Ok(found)
            })
            .await?;
        found.then_some(()).ok_or_else(no_such_user)
    }

    async fn hash(&self, password: &Password) -> DirectoryResult<String> {
        let password = password.clone();
        self.hashing(move || passwords::hash(&password)).await
    }

    /// [`super::Directory::apply`] when the users live in the backend's own
    /// database: every new password hashed first (under one permit), then
    /// the changes and the ledger's records in one transaction.
    pub(super) async fn apply_atomically<L: Ledger>(
        &self,
        db: &Db,
        changes: Vec<Change>,
        ledger: L,
    ) -> Result<L::Outcome, Problem> {
        let passwords: Vec<Option<Password>> = changes
            .iter()
            .map(|change| change.password.clone())
            .collect();
        let hashes = self
            .hashing(move || {
                passwords
                    .iter()
                    .map(|password| password.as_deref().map(passwords::hash))
                    .collect::<Vec<_>>()
            })
            .await?;
        let hours = self.temporary_hours;
        Ok(db::call(db, move |conn| {
            let tx = conn.transaction()?;
            if let Some(outcome) = ledger.open(&tx)? {
                return Ok(outcome);
            }
            let mut applied = Vec::with_capacity(changes.len());
            for (index, (change, hash)) in changes.iter().zip(&hashes).enumerate() {
                if ledger.accepted_before(index) {
                    applied.push(Applied::Accepted);
                    continue;
                }
                let found = match hash {
                    Some(hash) => {
                        let temporary = change.must_change.then_some(hours);
                        db::set_password_hash(&tx, &change.user_id, hash, temporary)
                    }
                    None => db::require_change(&tx, &change.user_id),
                };
                // A trigger's ABORT undoes its statement only: the others go on.
                match found {
                    Ok(true) => {
                        ledger.accepted(&tx, index)?;
                        applied.push(Applied::Accepted);
                    }
                    Ok(false) => applied.push(Applied::NoSuchUser),
                    Err(error) if refused_by_trigger(&error) => {
                        tracing::info!(%error, "the directory refused a new password");
                        applied.push(Applied::Refused);
                    }
                    Err(error) => return Err(error),
                }
            }
            let outcome = ledger.close(&tx, &applied)?;
            tx.commit()?;
            Ok(outcome)
        })
        .await?)
    }
}

/// A trigger's `RAISE(ABORT, …)`: the directory's own rules said no.
fn refused_by_trigger(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(failure, _)
            if failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_TRIGGER
    )
}

fn no_such_user() -> DirectoryError {
    DirectoryError::NoSuchUser
}
