//! The server's answers and what they mean: the result codes (RFC 4511),
//! the password policy control (asked for on binds, read from the
//! answers), AD's reasons for a refused bind, AD's `unicodePwd` encoding,
//! and the mapping of a result other than success to a [`DirectoryError`]
//! with the operation's name and the server's diagnostic (never a password).

use ldap3::asn1::{parse_tag, TagClass};
use ldap3::controls::RawControl;
use ldap3::LdapResult;
use zeroize::Zeroizing;

use super::LdapDirectory;
use crate::config::LdapFlavour;
use crate::directory::DirectoryError;
use crate::directory::DirectoryResult;

/// The password policy request and response control (draft-behera-ldap-password-policy).
const PPOLICY_OID: &str = "1.3.6.1.4.1.42.2.27.8.5.1";

/// Result codes (RFC 4511).
pub(super) const SUCCESS: u32 = 0;
const TIME_LIMIT_EXCEEDED: u32 = 3;
pub(super) const REFERRAL: u32 = 10;
pub(super) const NO_SUCH_ATTRIBUTE: u32 = 16;
pub(super) const CONSTRAINT_VIOLATION: u32 = 19;
pub(super) const NO_SUCH_OBJECT: u32 = 32;
pub(super) const INVALID_DN_SYNTAX: u32 = 34;
pub(super) const INVALID_CREDENTIALS: u32 = 49;
const BUSY: u32 = 51;
const UNAVAILABLE: u32 = 52;
pub(super) const UNWILLING_TO_PERFORM: u32 = 53;

/// The ppolicy response control's errors (its `error` field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PpolicyError {
    PasswordExpired,
    AccountLocked,
    ChangeAfterReset,
    Other(u8),
}

impl LdapDirectory {
    pub(super) fn expect_success(
        &self,
        what: &str,
        result: &LdapResult,
        sets_password: bool,
    ) -> DirectoryResult<()> {
        if result.rc == SUCCESS {
            Ok(())
        } else {
            Err(self.refusal(what, result, sets_password))
        }
    }

    /// What a result other than success means for the caller.
    pub(super) fn refusal(
        &self,
        what: &str,
        result: &LdapResult,
        sets_password: bool,
    ) -> DirectoryError {
        let text = format!("{what}: {}", describe(result));
        match result.rc {
            REFERRAL => DirectoryError::Unavailable(format!(
                "{text}; referred elsewhere ({}), which this backend does not follow: \
                 point --ldap-url at the server that holds the users",
                result.refs.join(" ")
            )),
            TIME_LIMIT_EXCEEDED | BUSY | UNAVAILABLE => DirectoryError::Unavailable(text),
            CONSTRAINT_VIOLATION if sets_password => match self.config.flavour {
                LdapFlavour::OpenLdap => DirectoryError::PasswordRefused(text),
                LdapFlavour::ActiveDirectory if result.text.contains("0000052D") => {
                    DirectoryError::PasswordRefused(text)
                }
                LdapFlavour::ActiveDirectory => DirectoryError::Failed(text),
            },
            _ => DirectoryError::Failed(text),
        }
    }
}

/// The result's code, name and diagnostic text, and its ppolicy error if
/// any, on one line.
pub(super) fn describe(result: &LdapResult) -> String {
    let mut text = format!("rc={} {}", result.rc, one_line(&result.text));
    if let Some(error) = ppolicy_error(result) {
        text.push_str(&format!(" (ppolicy: {error:?})"));
    }
    text
}

fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The request control asking for the ppolicy response.
pub(super) fn ppolicy_request() -> RawControl {
    RawControl {
        ctype: PPOLICY_OID.to_owned(),
        crit: false,
        val: None,
    }
}

/// The `error` of a ppolicy response control:
/// `SEQUENCE { warning [0] … OPTIONAL, error [1] ENUMERATED OPTIONAL }`.
pub(super) fn ppolicy_error(result: &LdapResult) -> Option<PpolicyError> {
    let control = result.ctrls.iter().find(|c| c.1.ctype == PPOLICY_OID)?;
    let value = control.1.val.as_deref()?;
    let (_, tag) = parse_tag(value).ok()?;
    let error = tag
        .expect_constructed()?
        .into_iter()
        .find(|item| item.class == TagClass::Context && item.id == 1)?
        .expect_primitive()?;
    Some(match error.as_slice() {
        [0] => PpolicyError::PasswordExpired,
        [1] => PpolicyError::AccountLocked,
        [2] => PpolicyError::ChangeAfterReset,
        [n] => PpolicyError::Other(*n),
        _ => PpolicyError::Other(u8::MAX),
    })
}

/// AD's reason for a refused bind: the `data 773` in
/// `80090308: LdapErr: DSID-0C09041C, comment: AcceptSecurityContext error, data 773, v4563`.
pub(super) fn ad_bind_data(text: &str) -> Option<String> {
    let rest = &text[text.find("data ")? + "data ".len()..];
    let code: String = rest
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect::<String>()
        .to_ascii_lowercase();
    (!code.is_empty()).then_some(code)
}

/// AD's `unicodePwd` value: the password in double quotes, UTF-16LE.
pub(super) fn unicode_pwd(password: &str) -> Zeroizing<Vec<u8>> {
    let mut bytes = Zeroizing::new(Vec::with_capacity((password.len() + 2) * 2));
    for unit in std::iter::once('"')
        .chain(password.chars())
        .chain(std::iter::once('"'))
        .flat_map(|c| {
            let mut buffer = [0u16; 2];
            let units: Vec<u16> = c.encode_utf16(&mut buffer).to_vec();
            units
        })
    {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_pwd_is_quoted_utf16le() {
        assert_eq!(
            &unicode_pwd("aé")[..],
            &[b'"', 0, b'a', 0, 0xe9, 0, b'"', 0][..]
        );
        assert_eq!(
            &unicode_pwd("😀")[..],
            &[b'"', 0, 0x3d, 0xd8, 0x00, 0xde, b'"', 0][..]
        );
    }

    #[test]
    fn reads_ad_bind_reasons() {
        let text = "80090308: LdapErr: DSID-0C09041C, comment: AcceptSecurityContext error, data 773, v4563";
        assert_eq!(ad_bind_data(text).as_deref(), Some("773"));
        assert_eq!(ad_bind_data("... data 52E, v1db1").as_deref(), Some("52e"));
        assert_eq!(ad_bind_data("Invalid credentials"), None);
    }
}
