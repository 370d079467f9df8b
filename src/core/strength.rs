//! The strength the meter shows, from either of its two sources.
//!
//! A generated password's strength is exact: it is drawn uniformly from a
//! space of `2^bits` passwords, so an attacker who knows how it was made needs
//! `2^(bits-1)` guesses on average. We apply zxcvbn's score thresholds to that
//! number, so both sources share one scale and the default path never needs
//! the estimator. A custom password is scored by zxcvbn (the estimator module).

pub use reset_estimator::{Estimate, Suggestion, Warning};

/// Where a strength came from: the `source` of the `reset-password:strength` event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrengthSource {
    Generated,
    Estimated,
}

impl StrengthSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Generated => "generated",
            Self::Estimated => "estimated",
        }
    }
}

/// What the meter shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Strength {
    /// 0 to 4, zxcvbn's scale.
    pub score: u8,
    pub guesses_log10: f64,
    pub warning: Option<Warning>,
    pub suggestions: Vec<Suggestion>,
    pub source: StrengthSource,
    /// Set for a generated password.
    pub entropy_bits: Option<f64>,
}

/// zxcvbn's score for a number of guesses (given as log10): below 10^3, 10^6,
/// 10^8 and 10^10 guesses (plus zxcvbn's delta of 5) the score is 0, 1, 2 and 3.
pub fn score_for_guesses_log10(guesses_log10: f64) -> u8 {
    const DELTA: f64 = 5.0;
    let guesses = 10f64.powf(guesses_log10);
    [1e3, 1e6, 1e8, 1e10]
        .iter()
        .position(|&threshold| guesses < threshold + DELTA)
        .unwrap_or(4) as u8
}

impl Strength {
    /// The exact strength of a password drawn uniformly from `2^entropy_bits` passwords.
    pub fn from_entropy(entropy_bits: f64) -> Self {
        let guesses_log10 = (entropy_bits - 1.0).max(0.0) * std::f64::consts::LOG10_2;
        Self {
            score: score_for_guesses_log10(guesses_log10),
            guesses_log10,
            warning: None,
            suggestions: Vec::new(),
            source: StrengthSource::Generated,
            entropy_bits: Some(entropy_bits),
        }
    }

    pub fn from_estimate(estimate: Estimate) -> Self {
        Self {
            score: estimate.score.min(4),
            guesses_log10: estimate.guesses_log10,
            warning: estimate.warning,
            suggestions: estimate.suggestions,
            source: StrengthSource::Estimated,
            entropy_bits: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_follow_zxcvbn() {
        assert_eq!(score_for_guesses_log10(0.0), 0);
        assert_eq!(score_for_guesses_log10(3.0), 0);
        assert_eq!(score_for_guesses_log10(3.01), 1);
        assert_eq!(score_for_guesses_log10(7.9), 2);
        assert_eq!(score_for_guesses_log10(9.99), 3);
        assert_eq!(score_for_guesses_log10(10.01), 4);
        assert_eq!(score_for_guesses_log10(300.0), 4);
    }

    #[test]
    fn generated_strength_uses_half_the_space() {
        let s = Strength::from_entropy(34.0);
        // 2^33 guesses = 8.6e9: just under 10^10, so 3.
        assert_eq!(s.score, 3);
        assert!((s.guesses_log10 - 33.0 * 2f64.log10()).abs() < 1e-9);
        assert_eq!(Strength::from_entropy(40.0).score, 4);
        assert_eq!(
            Strength::from_entropy(100.0).source,
            StrengthSource::Generated
        );
    }
}
