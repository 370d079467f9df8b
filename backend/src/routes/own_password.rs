//! What a user's own new password needs, whether they changed it
//! (`password_changes.rs`) or recovered it (`recovery.rs`): a required
//! `Idempotency-Key` and its replay, the organisation's policy (the widget's
//! own `Policy::check` and estimator, run natively), and the notice e-mail
//! sent after the commit.

use std::sync::Arc;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;

use password_reset_widget::core::policy::{Blocklist, Policy, UserWords};
use password_reset_widget::core::strength::Strength;
use password_reset_widget::i18n::texts_for;

use crate::db;
use crate::delivery;
use crate::idempotency::{self, Lookup};
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

/// The stored answer for `scoped_key` if this request was already made
/// (replayed), a 422 if the key came with another request, else `None`.
pub async fn replay(
    state: &AppState,
    scoped_key: &str,
    canonical: Arc<idempotency::Canonical>,
) -> Result<Option<Response>, Problem> {
    let key = scoped_key.to_owned();
    let Some(record) = db::call(&state.db, move |conn| idempotency::find(conn, &key)).await? else {
        return Ok(None);
    };
    let permit = super::hash_permit(state)?;
    let lookup = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        record.answer(&canonical)
    })
    .await
    .map_err(Problem::internal)?;
    Ok(Some(match lookup {
        Lookup::Replay(stored) => stored.into_response(true),
        _ => idempotency::key_reused().into_response(),
    }))
}

/// Length rules of a new password (field `newPassword`), as the reset's.
/// The widget's default policy, checked here with the widget's own code: at
/// least 12 characters, zxcvbn score 3, not the user's name, id or e-mail.
/// The field errors carry the widget's reason codes and English words.
/// zxcvbn takes a few milliseconds, so this runs off the async threads.
pub async fn check_policy(
    state: &AppState,
    user_id: &str,
    new_password: &str,
) -> Result<(), Problem> {
    let id = user_id.to_owned();
    let user = db::call(&state.db, move |conn| db::find_user(conn, &id)).await?;
    let password = new_password.to_owned();
    let refused = tokio::task::spawn_blocking(move || {
        let words = UserWords {
            user_id: user.as_ref().map(|u| u.id.clone()).unwrap_or_default(),
            name: user.as_ref().map(|u| u.name.clone()).unwrap_or_default(),
            email: user.as_ref().map(|u| u.email.clone()).unwrap_or_default(),
            context: Vec::new(),
        };
        let strength = Strength::from_estimate(reset_estimator::estimate(
            &password,
            &words.estimator_inputs(),
        ));
        let texts = texts_for("en");
        Policy::default()
            .check(&password, Some(&strength), &words, &Blocklist::None)
            .iter()
            .map(|v| FieldError {
                field: "newPassword".to_owned(),
                detail: (texts.violation)(v),
                code: Some(v.code().to_owned()),
            })
            .collect::<Vec<_>>()
    })
    .await
    .expect("checking a password does not panic");
    if refused.is_empty() {
        Ok(())
    } else {
        Err(Problem::invalid_fields(refused))
    }
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
/// caller's transaction; `None` when the user has no address.
pub fn write_notice(
    conn: &Connection,
    user_id: &str,
    how: &str,
) -> rusqlite::Result<Option<Notice>> {
    let to = db::addresses_of(conn, user_id)?;
    let Some(user) = db::find_user(conn, user_id)? else {
        return Ok(None);
    };
    if to.is_empty() {
        return Ok(None);
    }
    let (subject, body) = delivery::password_changed_message(&user, how);
    let outbox_id = db::insert_outbox(conn, &to, &subject, &body)?;
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
