//! The reset's records in the backend's own SQLite file, around the
//! directory's changes (`Directory::apply`): the idempotency check first;
//! for each user, before the directory is asked, a `pending` journal row
//! (with a key) and the end of the user's sessions (a new password); once
//! the directory accepted, at once, the journal row turned `reset` or
//! `required` (so that a retry with the same key does not change that user
//! again), the reset row and the audit row; last, the failed users' audit
//! rows, the (masked) outbox message and the idempotency record. With the
//! SQLite directory on the same file all of it is one transaction; with
//! another directory a failure midway leaves every user changed and
//! recorded, untouched, or (the one user whose answer was lost) pending: an
//! audit row `unknown`, no session left, and a retry with the same key that
//! makes the change again and records it.

use std::collections::HashMap;

use rusqlite::Connection;

use super::validation::unknown_user;
use super::wire::{
    to_json, Delivery, DeliveryStatus, PasswordSource, ResetRequest, ResetResponse, ResetResult,
    ResultStatus,
};
use crate::audit::{self, Action, Actor};
use crate::db;
use crate::delivery;
use crate::directory::{self, Applied, Change, DirectoryUser, Ledger};
use crate::idempotency::{self, Record, StoredResponse};
use crate::problem::Problem;

/// The journal status of a change asked of the directory, its answer not
/// (yet) received.
const PENDING: &str = "pending";

/// What the reset came to.
pub(super) enum Outcome {
    /// The key has a record (a request with it committed since `process`
    /// looked): nothing was written; the caller compares the request with
    /// it, after the lock (it takes Argon2).
    Recorded(Record),
    UnknownUser(Problem),
    /// The one user's new password was refused by the directory (422):
    /// nothing changed, nothing stored.
    Refused(Problem),
    Applied {
        response: ResetResponse,
        outbox_id: Option<i64>,
        reset_users: Vec<(DirectoryUser, usize)>,
    },
}

/// A request's Idempotency-Key: `record` is its idempotency record's key
/// (scoped to the acting admin) with the request's fingerprint; `shown` is
/// the key as the client sent it, written on each reset row.
pub(super) struct Keys {
    pub record: Option<(String, String)>,
    pub shown: Option<String>,
}

/// The reset's [`Ledger`]: the request, whom the directory found for each
/// entry, and what an earlier attempt with the same key already changed.
pub(super) struct ResetLedger {
    pub request: std::sync::Arc<ResetRequest>,
    /// Per entry of the request, the user the directory found.
    pub users: Vec<Option<DirectoryUser>>,
    pub keys: Keys,
    /// User ids an earlier attempt with this key had changed (or asked
    /// for), with their status (`reset`, `required` or `pending`).
    pub earlier: HashMap<String, String>,
    pub smtp: bool,
    pub actor: Actor,
}

impl ResetLedger {
    /// The changes to ask of the directory: one per entry whose user exists.
    pub fn changes(&self) -> Vec<Change> {
        self.found()
            .map(|(index, user)| Change {
                user_id: user.id.clone(),
                password: self.request.resets[index].password.clone(),
                must_change: self.request.force_change_password_next_sign_in,
            })
            .collect()
    }

    /// The entries whose user exists, with their index: change `n` is the
    /// `n`th of them.
    fn found(&self) -> impl Iterator<Item = (usize, &DirectoryUser)> {
        self.users
            .iter()
            .enumerate()
            .filter_map(|(index, user)| Some((index, user.as_ref()?)))
    }

    fn change(&self, change: usize) -> (usize, &DirectoryUser) {
        self.found().nth(change).expect("a change of a found user")
    }

    fn keeps_passwords(&self) -> bool {
        self.request.password_source == PasswordSource::Unchanged
    }
}

impl Ledger for ResetLedger {
    type Outcome = Outcome;

    /// Whether the key has a record is asked again here (SQL only: no
    /// Argon2 under the lock), because a request with the same key may have
    /// committed since `process` looked: the in-flight claim keeps out this
    /// process's other requests, not another process on the same file.
    fn open(&self, conn: &Connection) -> rusqlite::Result<Option<Outcome>> {
        if let Some((key, _)) = &self.keys.record {
            if let Some(record) = idempotency::find(conn, key)? {
                return Ok(Some(Outcome::Recorded(record)));
            }
        }
        Ok(None)
    }

    fn accepted_before(&self, change: usize) -> bool {
        self.earlier
            .get(&self.change(change).1.id)
            .is_some_and(|status| status != PENDING)
    }

    fn pending(&self, conn: &Connection, change: usize) -> rusqlite::Result<()> {
        let (_, user) = self.change(change);
        if let Some((key, fingerprint)) = &self.keys.record {
            db::idempotency::note_pending(conn, key, &user.id, fingerprint)?;
        }
        if !self.keeps_passwords() {
            // Ended before the change: if its answer is lost, no session
            // signed in with the old password survives it.
            db::sessions::delete_all_of(conn, &user.id)?;
        }
        Ok(())
    }

    fn unknown(&self, conn: &Connection, change: usize) -> rusqlite::Result<()> {
        let (_, user) = self.change(change);
        let detail = if self.keys.record.is_some() {
            "outcome unknown: the directory did not answer; the same request with the same Idempotency-Key makes the change again"
        } else {
            "outcome unknown: the directory did not answer"
        };
        self.actor.record(
            conn,
            Action::AdminReset,
            Some(&user.id),
            audit::UNKNOWN,
            Some(detail),
        )
    }

    fn accepted(&self, conn: &Connection, change: usize) -> rusqlite::Result<()> {
        let (_, user) = self.change(change);
        let source = self.request.password_source.as_str();
        let (outcome, detail) = if self.keeps_passwords() {
            (
                audit::REQUIRED,
                format!("passwordSource {source}; password kept, change required"),
            )
        } else {
            (
                audit::RESET,
                format!(
                    "passwordSource {source}; must change at next sign-in: {}",
                    self.request.force_change_password_next_sign_in
                ),
            )
        };
        if let Some((key, fingerprint)) = &self.keys.record {
            db::idempotency::insert_applied(conn, key, &user.id, fingerprint, outcome)?;
        }
        db::record_reset(conn, &user.id, source, self.keys.shown.as_deref())?;
        if !self.keeps_passwords() {
            // Whoever was signed in as them must sign in with the new password.
            db::sessions::delete_all_of(conn, &user.id)?;
        }
        self.actor.record(
            conn,
            Action::AdminReset,
            Some(&user.id),
            outcome,
            Some(&detail),
        )
    }

    fn close(&self, conn: &Connection, applied: &[Applied]) -> rusqlite::Result<Outcome> {
        let request = &self.request;
        let mut outcomes: Vec<Option<Applied>> = vec![None; request.resets.len()];
        for (change, applied) in applied.iter().enumerate() {
            outcomes[self.change(change).0] = Some(*applied);
        }
        if request.resets.len() == 1 && outcomes[0] == Some(Applied::Refused) {
            let error = directory::refused_error("resets[0].password");
            return Ok(Outcome::Refused(Problem::invalid_fields(vec![error])));
        }

        let mut results = Vec::new();
        // Each user whose password was reset, with the index of its entry.
        let mut reset_users: Vec<(DirectoryUser, usize)> = Vec::new();
        for (index, (entry, outcome)) in request.resets.iter().zip(outcomes).enumerate() {
            let failure = match outcome {
                Some(Applied::Accepted) => None,
                Some(Applied::Refused) => Some(directory::DIRECTORY_REFUSED_DETAIL),
                None | Some(Applied::NoSuchUser) => Some("No user with this id exists."),
            };
            let Some(detail) = failure else {
                let user = self.users[index].clone().expect("a change of a found user");
                let status = if self.keeps_passwords() {
                    ResultStatus::Required
                } else {
                    ResultStatus::Reset
                };
                results.push(ResetResult {
                    user_id: user.id.clone(),
                    status,
                    detail: None,
                });
                reset_users.push((user, index));
                continue;
            };
            self.actor.record(
                conn,
                Action::AdminReset,
                Some(&entry.user_id),
                audit::FAILED,
                Some(detail),
            )?;
            results.push(ResetResult {
                user_id: entry.user_id.clone(),
                status: ResultStatus::Failed,
                detail: Some(detail.to_owned()),
            });
        }

        let (outcome, stored) = if request.resets.len() == 1 && reset_users.is_empty() {
            let problem = unknown_user(&request.resets[0].user_id);
            let stored = StoredResponse {
                status: problem.status,
                body: problem.to_json(),
            };
            (Outcome::UnknownUser(problem), stored)
        } else {
            let mut outbox_id = None;
            let delivery = if request.deliver_to.is_empty() {
                Delivery::new(DeliveryStatus::Sent, "No e-mail was requested.")
            } else if reset_users.is_empty() {
                Delivery::new(
                    DeliveryStatus::Sent,
                    "No password was reset, so no e-mail was written.",
                )
            } else {
                let users: Vec<DirectoryUser> =
                    reset_users.iter().map(|(user, _)| user.clone()).collect();
                let (subject, body) = if self.keeps_passwords() {
                    delivery::change_required_message(&users)
                } else {
                    delivery::outbox_message(&users, request.force_change_password_next_sign_in)
                };
                outbox_id = Some(db::insert_outbox(
                    conn,
                    &request.deliver_to,
                    &subject,
                    &body,
                    self.smtp,
                )?);
                if self.smtp {
                    Delivery::new(DeliveryStatus::Queued, "Queued for the mail server.")
                } else {
                    Delivery::new(
                        DeliveryStatus::Queued,
                        "Written to the demo outbox (/outbox); no mail server is configured.",
                    )
                }
            };
            let response = ResetResponse { results, delivery };
            let stored = StoredResponse {
                status: 200,
                body: to_json(&response),
            };
            (
                Outcome::Applied {
                    response,
                    outbox_id,
                    reset_users,
                },
                stored,
            )
        };

        if let Some((key, fingerprint)) = &self.keys.record {
            idempotency::store(conn, key, fingerprint, &stored)?;
            db::idempotency::forget_applied(conn, key)?;
        }
        Ok(outcome)
    }
}
