//! What a user's own new password needs, whether they changed it
//! (`password_changes.rs`) or recovered it (`recovery.rs`): a required
//! `Idempotency-Key` (its replay is `replay.rs`), the organisation's policy
//! (`password_policy.rs`), and the notice e-mail
//! sent after the commit.

use axum::http::{HeaderMap, StatusCode};
use rusqlite::Connection;

use crate::db;
use crate::delivery;
use crate::directory::Account;
use crate::idempotency;
use crate::problem::{FieldError, Problem};
use crate::state::AppState;

/// The `Idempotency-Key` header: required here (400 without it), with the
/// same rules as the reset's.
pub fn required_key(headers: &HeaderMap) -> Result<String, Problem> {
    idempotency::key_from_headers(headers)?.ok_or_else(|| {
        let detail =
            "Required: a new random value (such as a UUID) per attempt, the same for its retries.";
        Problem::bad_request(format!("The Idempotency-Key header is missing. {detail}"))
            .with_error("Idempotency-Key", detail)
    })
}

/// The organisation's policy for a user's own new password (field
/// `newPassword`): `password_policy::check`, as every new password.
pub async fn check_policy(
    state: &AppState,
    user_id: &str,
    new_password: &str,
) -> Result<(), Problem> {
    let field = "newPassword".to_owned();
    let password = super::password_policy::NewPassword {
        field,
        user_id,
        password: new_password,
    };
    super::password_policy::check(state, vec![password]).await
}

pub fn new_password_refused(detail: impl Into<String>) -> Problem {
    Problem::invalid_fields(vec![FieldError::new("newPassword", detail)])
}

/// A notice to send once the transaction has committed.
pub struct Notice {
    pub outbox_id: i64,
    pub to: Vec<String>,
    pub subject: String,
    pub body: String,
}

/// Writes the "your password was changed" notice to the outbox, inside the
/// caller's transaction, for the user's e-mail and alternate e-mail (the
/// directory's `account`); `None` when there is no address. `via_smtp`: a
/// mail server will get it ([`send_in_background`]).
pub fn write_notice(
    conn: &Connection,
    account: &Account,
    how: &str,
    via_smtp: bool,
) -> rusqlite::Result<Option<Notice>> {
    let to: Vec<String> = std::iter::once(&account.user.email)
        .chain(account.alternate_email.as_ref())
        .filter(|address| !address.trim().is_empty())
        .cloned()
        .collect();
    if to.is_empty() {
        return Ok(None);
    }
    let (subject, body) = delivery::password_changed_message(&account.user, how);
    let outbox_id = db::insert_outbox(conn, &to, &subject, &body, via_smtp)?;
    Ok(Some(Notice {
        outbox_id,
        to,
        subject,
        body,
    }))
}

/// With `SMTP_URL`, sends `notice` from a background task and records in
/// the outbox how that went. Without it, the outbox row is the mail.
pub fn send_in_background(state: &AppState, notice: Notice) {
    let Some(mailer) = state.mailer.clone() else {
        return;
    };
    let db = state.db.clone();
    state.background.spawn(async move {
        let status = match mailer.send(&notice.to, &notice.subject, &notice.body).await {
            Ok(()) => "sent",
            Err(error) => {
                tracing::warn!(%error, "e-mail delivery failed");
                "failed"
            }
        };
        let id = notice.outbox_id;
        if let Err(error) = db::call(&db, move |conn| db::set_outbox_status(conn, id, status)).await
        {
            tracing::error!(%error, "could not record the delivery status");
        }
    });
}

/// 403 when a request names another user than the session's.
pub fn not_your_account() -> Problem {
    Problem::new(
        StatusCode::FORBIDDEN,
        "Not allowed",
        "You can only change your own password.",
    )
    .with_error("userId", "Not the signed-in user.")
}
