//! Password hashing: Argon2id with the crate's default parameters and a
//! random salt per hash. Only the PHC string (`$argon2id$v=19$...`) is ever
//! stored; the plaintext lives in memory for the length of one request.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;

/// Hashes `password` with a fresh random salt.
pub fn hash(password: &str) -> String {
    let hash: PasswordHash = Argon2::default()
        .hash_password(password.as_bytes())
        .expect("Argon2 with default parameters accepts any password up to 4 GiB");
    hash.to_string()
}

/// True when `password` matches the stored PHC string. A malformed stored
/// hash simply fails to verify.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// The hash of a random password that is immediately forgotten: seeded users
/// cannot sign in until an administrator resets their password. The secret
/// is 128 random bits from the OS, never stored or returned, so no password
/// matches the hash that anyone could know or guess; one such hash can
/// therefore stand for many users (see `db::seed`).
pub fn unknown_password_hash() -> String {
    let secret = argon2::password_hash::generate_salt();
    let hash: PasswordHash = Argon2::default()
        .hash_password(&secret)
        .expect("random bytes are a valid password");
    hash.to_string()
}

/// Hashes many passwords on the blocking pool: Argon2 is slow on purpose
/// and must not stall the async workers.
pub async fn hash_all(passwords: Vec<String>) -> Vec<String> {
    tokio::task::spawn_blocking(move || passwords.iter().map(|p| hash(p)).collect())
        .await
        .expect("hashing does not panic")
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
