//! The reset's one transaction: the idempotency check, every user's new
//! hash and reset row, the (masked) outbox message and the idempotency
//! record commit together or not at all.

use rusqlite::Connection;

use super::validation::unknown_user;
use super::wire::{
    to_json, Delivery, DeliveryStatus, PasswordSource, ResetRequest, ResetResponse, ResetResult,
    ResultStatus,
};
use crate::audit::{self, Action, Actor};
use crate::db::{self, User};
use crate::delivery;
use crate::idempotency::{self, Record, StoredResponse};
use crate::problem::Problem;

/// What the transaction decided.
pub(super) enum Outcome {
    /// The key has a record (a request with it committed since `process`
    /// looked): nothing was written; the caller compares the request with
    /// it, after the lock (it takes Argon2).
    Recorded(Record),
    UnknownUser(Problem),
    Applied {
        response: ResetResponse,
        outbox_id: Option<i64>,
        reset_users: Vec<(User, usize)>,
    },
}

/// A request's Idempotency-Key: `record` is its idempotency record's key
/// (scoped to the acting admin) with the request's fingerprint; `shown` is
/// the key as the client sent it, written on each reset row.
pub(super) struct Keys<'a> {
    pub record: Option<(&'a str, &'a str)>,
    pub shown: Option<&'a str>,
}

/// The whole reset in one transaction: the idempotency check, every user's
/// new hash and reset row, the outbox message and the idempotency record
/// commit together or not at all. `key` is the Idempotency-Key with the
/// request's fingerprint; whether it has a record is asked again here (SQL
/// only: no Argon2 under the lock), because a request with the same key may
/// have committed since `process` looked: the in-flight claim keeps out
/// this process's other requests, not another process on the same file.
pub(super) fn apply(
    conn: &mut Connection,
    request: &ResetRequest,
    hashes: &[Option<String>],
    keys: Keys<'_>,
    smtp: bool,
    temporary_hours: u32,
    actor: &Actor,
) -> rusqlite::Result<Outcome> {
    let tx = conn.transaction()?;
    let key = keys.record;
    if let Some((key, _)) = key {
        if let Some(record) = idempotency::find(&tx, key)? {
            return Ok(Outcome::Recorded(record));
        }
    }

    let mut results = Vec::new();
    // Each user whose password was reset, with the index of its entry.
    let mut reset_users: Vec<(User, usize)> = Vec::new();
    for (index, (entry, hash)) in request.resets.iter().zip(hashes).enumerate() {
        match db::find_user(&tx, &entry.user_id)? {
            Some(user) => {
                let source = request.password_source.as_str();
                let key = keys.shown;
                let status = match hash {
                    Some(hash) => {
                        let temporary = request
                            .force_change_password_next_sign_in
                            .then_some(temporary_hours);
                        db::apply_reset(&tx, &user.id, hash, temporary, source, key)?;
                        let detail = format!(
                            "passwordSource {source}; must change at next sign-in: {}",
                            request.force_change_password_next_sign_in
                        );
                        actor.record(
                            &tx,
                            Action::AdminReset,
                            Some(&user.id),
                            audit::RESET,
                            Some(&detail),
                        )?;
                        ResultStatus::Reset
                    }
                    // `unchanged`: the password stays; the change is required.
                    None => {
                        db::require_change(&tx, &user.id, source, key)?;
                        let detail =
                            format!("passwordSource {source}; password kept, change required");
                        actor.record(
                            &tx,
                            Action::AdminReset,
                            Some(&user.id),
                            audit::REQUIRED,
                            Some(&detail),
                        )?;
                        ResultStatus::Required
                    }
                };
                results.push(ResetResult {
                    user_id: user.id.clone(),
                    status,
                    detail: None,
                });
                reset_users.push((user, index));
            }
            None => {
                actor.record(
                    &tx,
                    Action::AdminReset,
                    Some(&entry.user_id),
                    audit::FAILED,
                    Some("No user with this id exists."),
                )?;
                results.push(ResetResult {
                    user_id: entry.user_id.clone(),
                    status: ResultStatus::Failed,
                    detail: Some("No user with this id exists.".to_owned()),
                })
            }
        }
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
            let users: Vec<User> = reset_users.iter().map(|(user, _)| user.clone()).collect();
            let (subject, body) = if request.password_source == PasswordSource::Unchanged {
                delivery::change_required_message(&users)
            } else {
                delivery::outbox_message(&users, request.force_change_password_next_sign_in)
            };
            outbox_id = Some(db::insert_outbox(
                &tx,
                &request.deliver_to,
                &subject,
                &body,
                smtp,
            )?);
            if smtp {
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

    if let Some((key, fingerprint)) = key {
        idempotency::store(&tx, key, fingerprint, &stored)?;
    }
    tx.commit()?;
    Ok(outcome)
}
