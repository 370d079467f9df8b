//! Password hashing: Argon2id with the crate's default parameters and a
//! random salt per hash. Only the PHC string (`$argon2id$v=19$...`) is ever
//! stored; the plaintext lives in memory for the length of one request.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;

/// Hashes `password` with a fresh random salt.
pub fn hash(password: &str) -> String {
    hash_bytes(password.as_bytes())
}

/// Hashes any secret bytes (a password, or a request that holds passwords).
pub fn hash_bytes(secret: &[u8]) -> String {
    let hash: PasswordHash = Argon2::default()
        .hash_password(secret)
        .expect("Argon2 with default parameters accepts any secret up to 4 GiB");
    hash.to_string()
}

/// True when `password` matches the stored PHC string. A malformed stored
/// hash simply fails to verify.
pub fn verify(password: &str, stored: &str) -> bool {
    verify_bytes(password.as_bytes(), stored)
}

/// [`verify`] for any secret bytes.
pub fn verify_bytes(secret: &[u8], stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| Argon2::default().verify_password(secret, &parsed).is_ok())
        .unwrap_or(false)
}

/// The hash of a random password that is immediately forgotten: seeded users
/// cannot sign in until an administrator resets their password. The secret
/// is 128 random bits from the OS, never stored or returned, so no password
/// matches the hash that anyone could know or guess; one such hash can
/// therefore stand for many users (see `db::seed`), and the process makes it
/// once. Sign-in also verifies against it for an unknown user id, so that
/// answer takes as long as a wrong password.
pub fn unknown_password_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_bytes(&argon2::password_hash::generate_salt()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_salted_argon2id_and_verify() {
        let first = hash("correct horse battery");
        let second = hash("correct horse battery");
        assert!(first.starts_with("$argon2id$v=19$"), "{first}");
        assert_ne!(first, second, "each hash has its own salt");
        assert!(verify("correct horse battery", &first));
        assert!(!verify("correct horse battery!", &first));
        assert!(!verify("anything", "not a phc string"));
    }
}
