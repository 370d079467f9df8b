//! The request's checks that need no database: 413 for too many resets,
//! 422 with every field error at once. No message repeats a password.

use std::collections::HashSet;

use axum::http::StatusCode;

use super::wire::{PasswordSource, ResetRequest};
use crate::directory::DirectoryUser;
use crate::json_body;
use crate::limits::{MAX_RECIPIENTS, MAX_RESETS};
use crate::problem::{FieldError, Problem};

/// The field error code of an address outside `--delivery-domains`.
pub const DOMAIN_NOT_ALLOWED: &str = "domainNotAllowed";

/// Everything that can be checked without the database. All field errors
/// are reported at once; none of them repeats a password. `domains`: the
/// only mail domains `deliverTo` may name (lowercase); empty: any.
pub(super) fn validate(request: &ResetRequest, domains: &[String]) -> Result<(), Problem> {
    // A reset's password is a required field: its absence is a shape error (400).
    if request.password_source != PasswordSource::Unchanged {
        if let Some(index) = request.resets.iter().position(|e| e.password.is_none()) {
            return Err(json_body::missing_field(&format!(
                "resets[{index}].password"
            )));
        }
    }
    if request.resets.len() > MAX_RESETS {
        let detail = format!("At most {MAX_RESETS} passwords can be reset in one request.");
        return Err(Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Too many resets",
            detail.clone(),
        )
        .with_error("resets", detail));
    }

    let mut errors = Vec::new();
    if request.resets.is_empty() {
        errors.push(FieldError::new("resets", "At least one reset is required."));
    }
    let mut seen = HashSet::new();
    for (index, entry) in request.resets.iter().enumerate() {
        if entry.user_id.trim().is_empty() {
            errors.push(FieldError::new(
                format!("resets[{index}].userId"),
                "Must not be empty.",
            ));
        } else if !seen.insert(entry.user_id.as_str()) {
            errors.push(FieldError::new(
                format!("resets[{index}].userId"),
                "This user appears more than once.",
            ));
        }
        // The password itself is the policy's (`password_policy::check`).
        let keep = request.password_source == PasswordSource::Unchanged;
        match entry.password.as_deref() {
            Some(_) if keep => errors.push(FieldError::new(
                format!("resets[{index}].password"),
                "Leave the password out: passwordSource unchanged keeps it.",
            )),
            // Reported with the others; the policy's other reasons need the database.
            Some("") => errors.push(FieldError {
                code: Some("empty".to_owned()),
                limit: None,
                ..FieldError::new(format!("resets[{index}].password"), "Must not be empty.")
            }),
            _ => {}
        }
    }
    if request.password_source == PasswordSource::Unchanged
        && !request.force_change_password_next_sign_in
    {
        errors.push(FieldError::new(
            "forceChangePasswordNextSignIn",
            "Must be true when passwordSource is unchanged: requiring the change is all it does.",
        ));
    }

    if request.deliver_to.len() > MAX_RECIPIENTS {
        errors.push(FieldError::new(
            "deliverTo",
            format!("At most {MAX_RECIPIENTS} addresses."),
        ));
    }
    for address in &request.deliver_to {
        match address.parse::<lettre::Address>() {
            Err(_) => errors.push(FieldError::new(
                "deliverTo",
                format!("{} is not a valid e-mail address.", quote(address)),
            )),
            Ok(parsed) if !domain_allowed(parsed.domain(), domains) => {
                let mut error = FieldError::new(
                    "deliverTo",
                    format!(
                        "{} is not in a domain passwords may be sent to ({}).",
                        quote(address),
                        domains.join(", ")
                    ),
                );
                error.code = Some(DOMAIN_NOT_ALLOWED.to_owned());
                errors.push(error);
            }
            Ok(_) => {}
        }
    }

    if errors.is_empty() {
        Ok(())
    } else {
        Err(Problem::invalid_fields(errors))
    }
}

/// `domain` is one of `domains` (lowercase), compared without case and
/// exactly: a subdomain (`mail.contoso.com` for `contoso.com`) is another
/// domain, often another organisation's mailboxes. Empty `domains`: any.
fn domain_allowed(domain: &str, domains: &[String]) -> bool {
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    domains.is_empty() || domains.iter().any(|d| d.eq_ignore_ascii_case(domain))
}

/// 422 at each later entry's `userId` that names a user an earlier entry
/// names too, as the directory found them (`users`, one per entry, by
/// their own id): a directory that matches ids without case or extra
/// spaces (LDAP) finds one user for "alice" and "ALICE ". The same error
/// as one id written twice.
pub(super) fn distinct_users(users: &[Option<DirectoryUser>]) -> Result<(), Problem> {
    let mut seen = HashSet::new();
    let errors: Vec<FieldError> = users
        .iter()
        .enumerate()
        .filter_map(|(index, user)| {
            let user = user.as_ref()?;
            (!seen.insert(user.id.as_str())).then(|| {
                FieldError::new(
                    format!("resets[{index}].userId"),
                    "This user appears more than once.",
                )
            })
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Problem::invalid_fields(errors))
    }
}

/// Quotes a user-supplied address for an error message, shortened so a
/// pasted paragraph does not come back whole.
fn quote(text: &str) -> String {
    const LIMIT: usize = 80;
    if text.chars().count() > LIMIT {
        format!("\"{}…\"", text.chars().take(LIMIT).collect::<String>())
    } else {
        format!("\"{text}\"")
    }
}

pub(super) fn unknown_user(user_id: &str) -> Problem {
    let detail = format!(
        "No user with id {} exists. Nothing was changed.",
        quote(user_id)
    );
    Problem::new(StatusCode::NOT_FOUND, "Unknown user", detail)
        .with_error("resets[0].userId", "No user with this id exists.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_listed_domains_exactly_and_without_case() {
        let domains = ["contoso.com".to_owned(), "fabrikam.com".to_owned()];
        for domain in [
            "contoso.com",
            "CONTOSO.com",
            "fabrikam.com",
            "Fabrikam.Com.",
        ] {
            assert!(domain_allowed(domain, &domains), "{domain}");
        }
        for domain in [
            "mail.contoso.com",
            "contoso.com.evil.test",
            "notcontoso.com",
            "contoso.co",
            "",
        ] {
            assert!(!domain_allowed(domain, &domains), "{domain}");
        }
        assert!(domain_allowed("anything.test", &[]));
    }
}
