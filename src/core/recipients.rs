//! The delivery addresses: "Email the new password to".

/// An address that is not an e-mail address; the dialog names it in its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadAddress(pub String);

/// Splits a comma- or semicolon-separated list and checks each address.
/// Empty entries (a trailing comma, doubled separators) are skipped; an empty
/// list is valid: the backend then sends no e-mail.
pub fn parse_recipients(text: &str) -> Result<Vec<String>, BadAddress> {
    let mut addresses: Vec<String> = Vec::new();
    for part in text
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        if !is_email_address(part) {
            return Err(BadAddress(part.to_string()));
        }
        if !addresses.iter().any(|a| a.eq_ignore_ascii_case(part)) {
            addresses.push(part.to_string());
        }
    }
    Ok(addresses)
}

/// A pragmatic check of `local@domain.tld`: what an intranet's mail server
/// accepts, not the whole of RFC 5322 (no quoted local parts, no IP literals).
pub fn is_email_address(address: &str) -> bool {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    local_ok && domain_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_split_on_commas_and_semicolons() {
        assert_eq!(
            parse_recipients(" admin@contoso.com; it@contoso.com ,, ").unwrap(),
            vec!["admin@contoso.com", "it@contoso.com"]
        );
        assert_eq!(parse_recipients("").unwrap(), Vec::<String>::new());
        assert_eq!(parse_recipients("a@b.se, A@B.se").unwrap(), vec!["a@b.se"]);
    }

    #[test]
    fn a_bad_address_is_named() {
        assert_eq!(
            parse_recipients("admin@contoso.com, not-an-address").unwrap_err(),
            BadAddress("not-an-address".into())
        );
        for bad in [
            "a@b", "@b.se", "a@.se", "a b@c.se", "a@b..se", "a@-b.se", "a.@b.se",
        ] {
            assert!(!is_email_address(bad), "{bad}");
        }
        for good in [
            "diane@contoso.com",
            "first.last+tag@mail.contoso.co.uk",
            "åsa@företag.se",
        ] {
            assert!(is_email_address(good), "{good}");
        }
    }
}
