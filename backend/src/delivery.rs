//! The reset notification e-mail.
//!
//! Every reset request that asks for delivery writes one message to the
//! `outbox` table, in the reset's own transaction. That copy is masked: the
//! demo's outbox is readable by anyone at `/outbox`, so it must never hold a
//! password. When `SMTP_URL` is set, the real message (with the passwords)
//! is sent after the transaction commits and only the outbox status changes.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Message, Tokio1Executor};

use crate::config::{parse_smtp_url, SmtpSecurity};
use crate::directory::DirectoryUser as User;
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
        [one] => format!("Password change required for {}", who(one)),
        many => format!("Password change required for {} users", many.len()),
    };
    let mut body = String::from(
        "These users keep their password and must change it when they next sign in:
",
    );
    for user in users {
        body.push_str(&format!(
            "- {}
",
            who(user)
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

/// "Name (id)", on one line whatever the name holds.
fn who(user: &User) -> String {
    format!("{} ({})", one_line(&user.name), one_line(&user.id))
}

fn subject(users: &[User]) -> String {
    match users {
        [one] => format!("Password reset for {}", who(one)),
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
            "The password for {} has been reset.\n{label}: {password}\n{next_step}\n\n",
            who(user)
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
            "Your password was changed for {}: it was {how}.\n\
             If you did not do this, contact IT at once: someone else may know your password.\n",
            who(user)
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

/// Sends mail through the `SMTP_URL` server: over TLS (`smtps://`, or
/// `smtp://` with STARTTLS required), or in plain text to a relay on this
/// machine only (`smtp://…?tls=none`; see [`parse_smtp_url`]). Credentials
/// are out of scope: use a relay that accepts this server.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `ca_file`: a PEM file of certificate authorities trusted (besides the
    /// public ones) for the server's certificate, e.g. a private CA.
    pub fn new(url: &str, ca_file: Option<&Path>, from: Option<&str>) -> Result<Mailer, String> {
        let url = parse_smtp_url(url).map_err(|e| format!("SMTP_URL: {e}"))?;
        let from = from
            .unwrap_or(DEFAULT_FROM)
            .parse()
            .map_err(|e| format!("bad SMTP_FROM: {e}"))?;
        let tls = match url.security {
            SmtpSecurity::Plain => {
                if ca_file.is_some() {
                    return Err("SMTP_CA_FILE is for TLS, but SMTP_URL says tls=none".into());
                }
                Tls::None
            }
            SmtpSecurity::ImplicitTls => Tls::Wrapper(tls_parameters(&url.host, ca_file)?),
            SmtpSecurity::StartTls => Tls::Required(tls_parameters(&url.host, ca_file)?),
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&url.host)
            .port(url.port)
            .tls(tls)
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Mailer { transport, from })
    }

    /// Sends one plain-text message to all recipients. The subject is made
    /// one line (see [`one_line`]); lettre encodes it and the addresses are
    /// parsed, so nothing in either can add a header or a recipient.
    pub async fn send(&self, to: &[String], subject: &str, body: &str) -> Result<(), String> {
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(one_line(subject));
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

/// TLS for `host` with rustls: the public roots, and the certificates of
/// `ca_file` if given. The certificate must be valid for `host`.
fn tls_parameters(host: &str, ca_file: Option<&Path>) -> Result<TlsParameters, String> {
    let mut builder = TlsParameters::builder(host.to_owned());
    if let Some(path) = ca_file {
        let shown = path.display();
        let pem =
            std::fs::read(path).map_err(|e| format!("cannot read SMTP_CA_FILE {shown}: {e}"))?;
        if !pem
            .windows(b"-----BEGIN CERTIFICATE-----".len())
            .any(|w| w == b"-----BEGIN CERTIFICATE-----")
        {
            return Err(format!("SMTP_CA_FILE {shown} holds no PEM certificate"));
        }
        let certificate = Certificate::from_pem(&pem)
            .map_err(|e| format!("SMTP_CA_FILE {shown} is not a PEM certificate file: {e}"))?;
        builder = builder.add_root_certificate(certificate);
    }
    builder
        .build_rustls()
        .map_err(|e| format!("cannot set up TLS for the mail server: {e}"))
}

/// `text` on one line: every control character (CR and LF included) and
/// Unicode line or paragraph separator becomes a space. A user's name goes
/// through it before it is written into a message, so a name cannot start a
/// header, or a line of the body that looks like the server's.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
                ' '
            } else {
                c
            }
        })
        .collect()
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
    fn mailers_are_made_for_tls_urls_and_plain_loopback_ones_only() {
        assert!(Mailer::new("smtps://mail.contoso.com", None, None).is_ok());
        assert!(Mailer::new("smtp://mail.contoso.com:587", None, None).is_ok());
        assert!(Mailer::new("smtp://127.0.0.1:2525?tls=none", None, None).is_ok());
        let refused = Mailer::new("smtp://mail.contoso.com?tls=none", None, None).err();
        assert!(refused.unwrap().contains("without TLS"));
        assert!(Mailer::new("smtp://u:p@mail", None, None).is_err());
    }

    #[test]
    fn a_ca_file_must_hold_a_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        let error = Mailer::new("smtps://localhost", Some(&missing), None).err();
        assert!(error.unwrap().starts_with("cannot read SMTP_CA_FILE"));
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let error = Mailer::new("smtps://localhost", Some(&empty), None).err();
        assert!(error.unwrap().contains("holds no PEM certificate"));
    }

    #[test]
    fn names_are_written_on_one_line() {
        let eve = user("u-6", "Eve\r\nBcc: spy@example.com\n\u{2028}X: 1");
        let (subject, body) = outbox_message(std::slice::from_ref(&eve), true);
        assert_eq!(
            subject,
            "Password reset for Eve  Bcc: spy@example.com  X: 1 (u-6)"
        );
        assert!(!subject.contains(['\r', '\n']));
        assert!(body.starts_with(
            "The password for Eve  Bcc: spy@example.com  X: 1 (u-6) has been reset.\n"
        ));
        let (subject, body) = change_required_message(std::slice::from_ref(&eve));
        assert!(!subject.contains('\n') && !body.contains("\nBcc"));
        let (_, body) = password_changed_message(&eve, "changed");
        assert!(!body.contains("\nBcc"));
    }
}
