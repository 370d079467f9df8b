//! Idempotency keys: one random UUID v4 per submission, kept for its retries.

use super::random::RandomSource;

/// A fresh UUID v4 (122 random bits) in its usual text form.
pub fn new_key(rng: &mut impl RandomSource) -> String {
    let mut b = [0u8; 16];
    rng.fill(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::random::OsRandom;

    #[test]
    fn keys_are_version_4_uuids_and_differ() {
        let a = new_key(&mut OsRandom);
        let b = new_key(&mut OsRandom);
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!("89ab".contains(&a[19..20]));
    }
}
