//! The reset notification e-mail.
//!
//! Every reset request that asks for delivery writes one message to the
//! `outbox` table, in the reset's own transaction. That copy is masked: the
//! demo's outbox is readable by anyone at `/outbox`, so it must never hold a
//! password. When `SMTP_URL` is set, the real message (with the passwords)
//! is sent after the transaction commits and only the outbox status changes.

use std::fmt::Write as _;
use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Message, Tokio1Executor};

use crate::db::User;
use zeroize::Zeroizing;

/// What stands in for a password in the outbox copy.
pub const MASK: &str = "••••••••";
const DEFAULT_FROM: &str = "Contoso IT <it-noreply@contoso.com>";
const SMTP_TIMEOUT: Duration = Duration::from_secs(10);

/// Subject and masked body for the outbox copy.
pub fn outbox_message(users: &[User], must_change: bool) -> (String, String) {
    let masked = format!("{MASK} (omitted from the demo outbox)");
    let mut text = String::new();
    body(
        &mut text,
        users.iter().map(|user| (user, masked.as_str())),
        must_change,
    );
    (subject(users), text)
}

/// The notice of an `unchanged` request: who must change their password at
/// their next sign-in. There is no password in it to mask.
pub fn change_required_message(users: &[User]) -> (String, String) {
    let subject = match users {
        [one] => format!("Password change required for {} ({})", one.name, one.id),
        many => format!("Password change required for {} users", many.len()),
    };
    let mut body = String::from(
        "These users keep their password and must change it when they next sign in:
",
    );
    for user in users {
        body.push_str(&format!(
            "- {} ({})
",
            user.name, user.id
        ));
    }
    (subject, body)
}

/// Subject and body of the real e-mail; `passwords[i]` belongs to `users[i]`.
/// The body holds the passwords, so it is zeroed when dropped (the copy
/// `lettre` makes to send it is beyond reach).
pub fn smtp_message(
    users: &[User],
    passwords: &[&str],
    must_change: bool,
) -> (String, Zeroizing<String>) {
    // Room for every entry up front: a buffer that grows leaves copies behind.
    let mut text = Zeroizing::new(String::with_capacity(256 * (users.len() + 1)));
    body(
        &mut text,
        users.iter().zip(passwords.iter().copied()),
        must_change,
    );
    (subject(users), text)
}

fn subject(users: &[User]) -> String {
    match users {
        [one] => format!("Password reset for {} ({})", one.name, one.id),
        many => format!("Password reset for {} users", many.len()),
    }
}

/// Writes the body into `text` directly, with no temporary string holding a password.
fn body<'a>(
    text: &mut String,
    entries: impl Iterator<Item = (&'a User, &'a str)>,
    must_change: bool,
) {
    let label = if must_change {
        "Temporary password"
    } else {
        "New password"
    };
    let next_step = if must_change {
        "They must change it at next sign-in."
    } else {
        "They are not required to change it at next sign-in."
    };
    for (user, password) in entries {
        let _ = write!(
            text,
            "The password for {} ({}) has been reset.\n{label}: {password}\n{next_step}\n\n",
            user.name, user.id
        );
    }
    text.push_str("Give the password to the user through a trusted channel.\n");
}

/// The notice a user gets when their own password was changed (`how`:
/// "changed" after a change, "reset with a recovery code" after a
/// recovery). It holds no password.
pub fn password_changed_message(user: &User, how: &str) -> (String, String) {
    (
        "Your password was changed".to_owned(),
        format!(
            "Your password was changed for {} ({}): it was {how}.\n\
             If you did not do this, contact IT at once: someone else may know your password.\n",
            user.name, user.id
        ),
    )
}

/// The recovery code e-mail. `shown`: the code itself (the real e-mail, or
/// the demo outbox when it is the only mail sink) or [`MASK`].
pub fn recovery_code_message(shown: &str, minutes: u32) -> (String, String) {
    (
        "Your password recovery code".to_owned(),
        format!(
            "Your verification code is {shown}. It is valid for {minutes} minutes and works once.\n\
             If you did not ask to recover your password, ignore this message: your password is unchanged.\n"
        ),
    )
}

/// Sends mail through a plain SMTP relay (`smtp://host[:port]`). TLS and
/// credentials are out of scope for the demo: use a local relay or a mail
/// catcher.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    pub fn from_url(url: &str, from: Option<&str>) -> Result<Mailer, String> {
        let authority = url
            .strip_prefix("smtp://")
            .ok_or("SMTP_URL must look like smtp://host[:port] (TLS is not built in)")?
            .trim_end_matches('/');
        if authority.contains('@') {
            return Err("SMTP_URL credentials are not supported without TLS".into());
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => (
                host,
                port.parse()
                    .map_err(|_| format!("bad SMTP port {port:?}"))?,
            ),
            None => (authority, 25),
        };
        let from = from
            .unwrap_or(DEFAULT_FROM)
            .parse()
            .map_err(|e| format!("bad SMTP_FROM: {e}"))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Mailer { transport, from })
    }

    /// Sends one plain-text message to all recipients.
    pub async fn send(&self, to: &[String], subject: &str, body: &str) -> Result<(), String> {
        let mut builder = Message::builder().from(self.from.clone()).subject(subject);
        for address in to {
            builder = builder.to(address.parse().map_err(|e| format!("bad recipient: {e}"))?);
        }
        let message = builder
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .map_err(|e| format!("cannot build the message: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str, name: &str) -> User {
        User {
            id: id.into(),
            name: name.into(),
            email: format!("{id}@contoso.com"),
            is_admin: false,
        }
    }

    #[test]
    fn outbox_copy_is_masked_and_real_mail_is_not() {
        let reset = [user("u-1042", "Diane Prescott")];
        let (subject, masked) = outbox_message(&reset, true);
        assert_eq!(subject, "Password reset for Diane Prescott (u-1042)");
        assert!(masked.starts_with(
            "The password for Diane Prescott (u-1042) has been reset.\n\
             Temporary password: •••••••• (omitted from the demo outbox)\n\
             They must change it at next sign-in.\n"
        ));
        assert!(!masked.contains("Tr0ub4dor"));
        let (_, real) = smtp_message(&reset, &["Tr0ub4dor&3x"], true);
        assert!(real.contains("\nTemporary password: Tr0ub4dor&3x\n"));
    }

    #[test]
    fn one_message_lists_every_user() {
        let reset = [user("u-1", "A"), user("u-2", "B")];
        let (subject, body) = outbox_message(&reset, false);
        assert_eq!(subject, "Password reset for 2 users");
        assert!(body.contains("A (u-1)") && body.contains("B (u-2)"));
        assert!(body.contains("New password: ••••••••"));
    }

    #[test]
    fn user_notices_hold_no_secret() {
        let (subject, body) =
            password_changed_message(&user("u-1042", "Diane Prescott"), "changed");
        assert_eq!(subject, "Your password was changed");
        assert!(body
            .starts_with("Your password was changed for Diane Prescott (u-1042): it was changed."));
        let (_, body) = recovery_code_message("12345678", 15);
        assert!(body.contains("12345678") && body.contains("valid for 15 minutes"));
    }

    #[test]
    fn smtp_url_must_be_plain_smtp() {
        assert!(Mailer::from_url("smtps://mail:465", None).is_err());
        assert!(Mailer::from_url("smtp://u:p@mail", None).is_err());
    }
}
