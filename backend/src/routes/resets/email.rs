//! E-mail after the commit: with `SMTP_URL`, the real message (passwords
//! included) goes to the mail server, then the outbox row and the
//! idempotency record learn how that went.

use super::wire::{to_json, Delivery, DeliveryStatus, ResetRequest, ResetResponse};
use crate::db::{self, Db};
use crate::delivery::{self, Mailer};
use crate::directory::DirectoryUser as User;
use crate::idempotency;

/// Sends the real e-mail (passwords included) after the commit.
pub(super) async fn send_mail(
    mailer: &Mailer,
    request: &ResetRequest,
    reset_users: &[(User, usize)],
) -> Delivery {
    let users: Vec<User> = reset_users.iter().map(|(user, _)| user.clone()).collect();
    // Validation made every entry of a reset carry a password, and every entry
    // of an `unchanged` request none.
    let passwords: Option<Vec<&str>> = reset_users
        .iter()
        .map(|(_, index)| request.resets[*index].password.as_deref())
        .collect();
    let (subject, body) = match passwords {
        Some(passwords) => delivery::smtp_message(
            &users,
            &passwords,
            request.force_change_password_next_sign_in,
        ),
        None => {
            let (subject, body) = delivery::change_required_message(&users);
            (subject, body.into())
        }
    };
    match mailer.send(&request.deliver_to, &subject, &body).await {
        Ok(()) => Delivery::new(
            DeliveryStatus::Sent,
            format!("Sent to {}.", request.deliver_to.join(", ")),
        ),
        Err(error) => {
            tracing::warn!(%error, "e-mail delivery failed");
            Delivery::new(
                DeliveryStatus::Failed,
                "The mail server did not accept the message. The password was reset; tell the user another way.",
            )
        }
    }
}

/// Marks the outbox row and updates the idempotency record, so a replay
/// reports the final delivery status. The reset itself is already committed,
/// so a failure here is logged, not reported.
pub(super) async fn record_delivery(
    db: &Db,
    outbox_id: i64,
    key: Option<String>,
    response: &ResetResponse,
) {
    let status = match response.delivery.status {
        DeliveryStatus::Sent => "sent",
        DeliveryStatus::Failed => "failed",
        DeliveryStatus::Queued => "queued",
    };
    let body = to_json(response);
    let result = db::call(db, move |conn| {
        db::set_outbox_status(conn, outbox_id, status)?;
        if let Some(key) = key {
            idempotency::update_body(conn, &key, &body)?;
        }
        Ok(())
    })
    .await;
    if let Err(error) = result {
        tracing::error!(%error, "could not record the delivery status");
    }
}
