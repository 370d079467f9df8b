//! Password recovery's rules (OWASP Forgot Password cheat sheet, NIST SP
//! 800-63B): e-mailed codes and the recovery tokens they are exchanged for.
//!
//! - A code is [`CODE_DIGITS`] digits drawn uniformly from the OS CSPRNG,
//!   stored as SHA-256 of a random 128-bit salt and the code (never the code),
//!   valid [`CODE_MINUTES`] minutes, single use, replaced by a newer code,
//!   burned after [`MAX_WRONG_TRIES`] wrong tries; at most
//!   [`MAX_CODES_PER_HOUR`] per account an hour.
//! - A token is 256 random bits (base64url), stored as SHA-256, valid
//!   [`TOKEN_SECONDS`] seconds, single use, bound to its user.

use rusqlite::Connection;
use sha2::{Digest, Sha256};

use crate::db;
use crate::directory::Account;
use crate::passwords::Password;
use crate::sessions;

pub const CODE_DIGITS: usize = 8;
pub const CODE_MINUTES: u32 = 15;
pub const MAX_WRONG_TRIES: u32 = 5;
pub const MAX_CODES_PER_HOUR: u32 = 5;
pub const TOKEN_SECONDS: u32 = 600;

/// 10^8: the number of codes.
const CODE_SPACE: u32 = 100_000_000;

/// A code of [`CODE_DIGITS`] digits, uniform: 32-bit draws at or above the
/// largest multiple of 10^8 are drawn again, so no code is likelier.
pub fn new_code() -> String {
    let limit = (u32::MAX / CODE_SPACE) * CODE_SPACE;
    loop {
        let mut bytes = [0u8; 4];
        getrandom::fill(&mut bytes).expect("the operating system's random source is available");
        let value = u32::from_le_bytes(bytes);
        if value < limit {
            return format!("{:0width$}", value % CODE_SPACE, width = CODE_DIGITS);
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn new_salt() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source is available");
    hex(&bytes)
}

/// SHA-256 (hex) of the salt and the code.
pub fn code_hash(salt: &str, code: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    hasher.update(b":");
    hasher.update(code.as_bytes());
    hex(&hasher.finalize())
}

/// What became of a request for a code (never told to the client: the
/// answer is the same for every outcome).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issued {
    /// A new code for the user, to be e-mailed to `to`. The code is a
    /// [`Password`]: wiped when dropped, `<redacted>` in `Debug`.
    Code {
        user_id: String,
        to: String,
        code: Password,
    },
    UnknownLogin,
    AdminRefused,
    NoAlternateAddress,
    TooManyCodes,
}

/// Issues a code for `found`, the user the directory found by the login
/// (`Directory::find_by_login`), if eligible, inside the caller's
/// transaction.
pub fn issue_code(
    conn: &Connection,
    found: Option<Account>,
    allow_admins: bool,
) -> rusqlite::Result<Issued> {
    let Some(found) = found else {
        return Ok(Issued::UnknownLogin);
    };
    if found.user.is_admin && !allow_admins {
        return Ok(Issued::AdminRefused);
    }
    let Some(to) = found.alternate_email.filter(|a| !a.trim().is_empty()) else {
        return Ok(Issued::NoAlternateAddress);
    };
    if db::recovery::codes_in_last_hour(conn, &found.user.id)? >= MAX_CODES_PER_HOUR {
        return Ok(Issued::TooManyCodes);
    }
    let code = new_code();
    let salt = new_salt();
    db::recovery::insert_code(
        conn,
        &found.user.id,
        &salt,
        &code_hash(&salt, &code),
        CODE_MINUTES,
    )?;
    Ok(Issued::Code {
        user_id: found.user.id,
        to,
        code: Password::new(code),
    })
}

/// Exchanges a right code for a new recovery token (returned once, stored
/// hashed); `None` for a wrong code, an unknown login (`user`: whom the
/// directory found by it), or no live code. A wrong try counts against the
/// live code, which burns at the fifth. Call inside a transaction.
pub fn verify_code(
    conn: &Connection,
    user: Option<Account>,
    code: &str,
) -> rusqlite::Result<Option<String>> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let active = match &user {
        Some(found) => db::recovery::active_code(conn, &found.user.id)?,
        None => None,
    };
    let (Some(found), Some(active)) = (user, active) else {
        // The same work as a real comparison.
        let _ = code_hash("0000000000000000", &code);
        return Ok(None);
    };
    let right = constant_time_eq(
        code_hash(&active.salt, &code).as_bytes(),
        active.code_hash.as_bytes(),
    );
    if !right {
        let burn = active.failed_attempts + 1 >= MAX_WRONG_TRIES;
        db::recovery::code_failed(conn, active.id, burn)?;
        return Ok(None);
    }
    db::recovery::code_used(conn, active.id)?;
    let token = sessions::new_token();
    db::recovery::insert_token(
        conn,
        &sessions::token_hash(&token),
        &found.user.id,
        TOKEN_SECONDS,
    )?;
    Ok(Some(token))
}

/// The user a live token is bound to (unexpired; unused, or used by the
/// completion with `key`, whose retry this may be), if any.
pub fn token_user(
    conn: &Connection,
    token: &str,
    key: Option<&str>,
) -> rusqlite::Result<Option<String>> {
    db::recovery::token_user(conn, &sessions::token_hash(token), key)
}

/// Uses the token up for the completion with `key`, before the directory
/// is asked: another completion cannot use it meanwhile, a retry of this
/// one can. `false` when it is no longer live.
pub fn use_token(conn: &Connection, token: &str, key: &str) -> rusqlite::Result<bool> {
    db::recovery::token_used(conn, &sessions::token_hash(token), key)
}

/// Gives the token back: the directory refused the new password.
pub fn give_back_token(conn: &Connection, token: &str, key: &str) -> rusqlite::Result<()> {
    db::recovery::token_unused(conn, &sessions::token_hash(token), key)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_eight_digits_and_vary() {
        let codes: Vec<String> = (0..200).map(|_| new_code()).collect();
        for code in &codes {
            assert_eq!(code.len(), CODE_DIGITS);
            assert!(code.bytes().all(|b| b.is_ascii_digit()), "{code}");
        }
        let distinct: std::collections::HashSet<_> = codes.iter().collect();
        assert!(distinct.len() > 190);
        // Every digit shows up in every position over 200 codes (a
        // failure chance of about 10 × 8 × 0.9^200, i.e. never).
        for position in 0..CODE_DIGITS {
            let seen: std::collections::HashSet<u8> =
                codes.iter().map(|c| c.as_bytes()[position]).collect();
            assert_eq!(seen.len(), 10, "position {position}");
        }
    }

    #[test]
    fn hashes_are_salted() {
        let a = code_hash("aa", "12345678");
        assert_eq!(a.len(), 64);
        assert_ne!(a, code_hash("bb", "12345678"));
        assert_ne!(a, code_hash("aa", "12345679"));
        assert!(!a.contains("12345678"));
    }
}
