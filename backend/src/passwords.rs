//! Password hashing: Argon2id with the crate's default parameters and a
//! random salt per hash. Only the PHC string (`$argon2id$v=19$...`) is ever
//! stored; the plaintext lives in memory for the length of one request.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use password_reset_widget::core::unicode::nfkc;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use zeroize::Zeroizing;

/// A password read from a request (or a recovery code or token, which stand
/// for one). Its buffer is overwritten with zeros when it is dropped, its
/// `Debug` prints `<redacted>`, and it has no `Display`. It reads as a `&str`
/// (`Deref`) for the hash, the policy and the e-mail. (Copies it does not
/// own, such as the request body's bytes or what `lettre` builds, are not
/// wiped.)
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Password(Zeroizing<String>);

impl Password {
    pub fn new(text: impl Into<String>) -> Password {
        Password(Zeroizing::new(text.into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Password {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<'de> Deserialize<'de> for Password {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Password, D::Error> {
        String::deserialize(deserializer).map(Password::new)
    }
}

/// `Password` has no `Display`: were it given one, the two impls below would
/// both apply and this would not compile (the `assert_not_impl_any` trick).
const _: fn() = || {
    trait AmbiguousIfDisplay<A> {
        fn check() {}
    }
    impl<T: ?Sized> AmbiguousIfDisplay<()> for T {}
    impl<T: ?Sized + std::fmt::Display> AmbiguousIfDisplay<u8> for T {}
    <Password as AmbiguousIfDisplay<_>>::check();
};

/// For the idempotency record's canonical form of a request (`idempotency::canonical`).
impl Serialize for Password {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

/// Hashes `password`, in NFKC, with a fresh random salt. Normalised on set
/// and on verify (NIST SP 800-63B): the same password typed on another
/// keyboard, or pasted from a program that composes accents differently,
/// signs in.
pub fn hash(password: &str) -> String {
    hash_bytes(nfkc(password).as_bytes())
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
    verify_bytes(nfkc(password).as_bytes(), stored)
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

/// How many Argon2 computations may run at once: each takes about 19 MiB
/// and one core for a while, so a request that finds every permit taken is
/// refused at once (503, see `routes::hash_permit`) rather than queued.
#[derive(Debug, Clone)]
pub struct HashPermits(Arc<Semaphore>);

/// Held while one request's Argon2 work runs; dropping it frees the slot.
pub type HashPermit = OwnedSemaphorePermit;

impl HashPermits {
    /// `permits` at once (at least 1).
    pub fn new(permits: usize) -> HashPermits {
        HashPermits(Arc::new(Semaphore::new(permits.max(1))))
    }

    /// A free permit, or `None` at once when all are taken.
    pub fn try_acquire(&self) -> Option<HashPermit> {
        self.0.clone().try_acquire_owned().ok()
    }
}

/// The default number of permits: one per core the process may use.
pub fn default_hash_permits() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
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

    #[test]
    fn a_password_verifies_in_any_of_its_unicode_forms() {
        // Set with a composed é, signed in with e + combining accent, and
        // with full-width digits: the same password.
        let stored = hash("caf\u{00E9} au lait 42");
        assert!(verify("cafe\u{0301} au lait 42", &stored));
        assert!(verify("caf\u{00E9} au lait \u{FF14}\u{FF12}", &stored));
        assert!(!verify("cafe au lait 42", &stored));
    }

    #[test]
    fn permits_are_refused_when_all_are_taken() {
        let permits = HashPermits::new(2);
        let first = permits.try_acquire().expect("one free");
        let _second = permits.try_acquire().expect("two free");
        assert!(permits.try_acquire().is_none());
        drop(first);
        assert!(permits.try_acquire().is_some());
        assert!(HashPermits::new(0).try_acquire().is_some(), "at least one");
        assert!(default_hash_permits() >= 1);
    }
}
