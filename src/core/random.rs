//! Uniform random choices from a cryptographically secure source.

/// Where random bytes come from. The browser's CSPRNG (`crypto.getRandomValues`)
/// in the widget, the operating system's natively; both through `getrandom`.
pub trait RandomSource {
    fn fill(&mut self, bytes: &mut [u8]);

    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.fill(&mut b);
        u32::from_le_bytes(b)
    }
}

/// The system's CSPRNG through `getrandom`.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsRandom;

impl RandomSource for OsRandom {
    fn fill(&mut self, bytes: &mut [u8]) {
        // A CSPRNG that fails is not something to work around: without it no
        // password may be generated at all.
        getrandom::fill(bytes).expect("the system's random number generator failed");
    }
}

/// A uniform integer in `0..n` by rejection sampling: draws that fall in the
/// incomplete last block of `u32` values are thrown away, so no value is more
/// likely than another (no modulo bias), and no floating point is involved.
pub fn uniform_below(rng: &mut impl RandomSource, n: u32) -> u32 {
    assert!(n > 0, "uniform_below(0)");
    // The largest multiple of n that fits in u32's range, as a count of values.
    let zone = u32::MAX - (u32::MAX - n + 1) % n;
    loop {
        let r = rng.next_u32();
        if r <= zone {
            return r % n;
        }
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use super::RandomSource;

    /// A deterministic source for tests that need a fixed seed (xorshift64*).
    /// Never used to make a real password.
    pub struct SeededRandom(pub u64);

    impl RandomSource for SeededRandom {
        fn fill(&mut self, bytes: &mut [u8]) {
            for b in bytes {
                self.0 ^= self.0 >> 12;
                self.0 ^= self.0 << 25;
                self.0 ^= self.0 >> 27;
                *b = (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8;
            }
        }
    }

    /// Replays fixed u32 values, to test the rejection step itself.
    pub struct Replay(pub Vec<u32>);

    impl RandomSource for Replay {
        fn fill(&mut self, bytes: &mut [u8]) {
            let v = self.0.remove(0);
            bytes.copy_from_slice(&v.to_le_bytes()[..bytes.len()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    #[test]
    fn draws_in_the_incomplete_last_block_are_rejected() {
        // For n = 3, u32::MAX = 4294967295 is in the last, incomplete block
        // (2^32 = 3 * 1431655765 + 1), so it must be rejected and 7 used instead.
        let mut rng = Replay(vec![u32::MAX, 7]);
        assert_eq!(uniform_below(&mut rng, 3), 1);
        assert!(rng.0.is_empty());
    }

    #[test]
    fn the_last_complete_block_is_accepted() {
        let mut rng = Replay(vec![u32::MAX - 1]);
        assert_eq!(uniform_below(&mut rng, 3), (u32::MAX - 1) % 3);
    }

    #[test]
    fn powers_of_two_never_reject() {
        let mut rng = Replay(vec![u32::MAX]);
        assert_eq!(uniform_below(&mut rng, 64), 63);
    }

    #[test]
    fn results_stay_below_n() {
        let mut rng = OsRandom;
        for n in [1, 2, 3, 7, 59, 1000, u32::MAX] {
            for _ in 0..200 {
                assert!(uniform_below(&mut rng, n) < n);
            }
        }
    }

    #[test]
    fn a_seeded_source_is_repeatable() {
        let (mut a, mut b) = (SeededRandom(42), SeededRandom(42));
        assert_eq!(a.next_u32(), b.next_u32());
    }
}
