//! The organisation's password policy: whether the dialog lets a password
//! through, and why not, as reasons the dialog puts in words.
//!
//! No composition rules (NIST SP 800-63B): length, a minimum zxcvbn score, and
//! not being made of the user's own name, id or e-mail address.

use super::strength::Strength;

pub const DEFAULT_MIN_LENGTH: usize = 12;
pub const DEFAULT_MAX_LENGTH: usize = 256;
pub const DEFAULT_MIN_SCORE: u8 = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub min_length: usize,
    pub max_length: usize,
    pub min_score: u8,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            min_length: DEFAULT_MIN_LENGTH,
            max_length: DEFAULT_MAX_LENGTH,
            min_score: DEFAULT_MIN_SCORE,
        }
    }
}

/// What the password is checked against besides itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserWords {
    pub user_id: String,
    pub name: String,
    pub email: String,
}

impl UserWords {
    /// The words a password must not contain (lowercased, at least 3 characters):
    /// the user id, each part of the name, and the e-mail's local part.
    pub fn forbidden(&self) -> Vec<String> {
        let local_part = self.email.split('@').next().unwrap_or_default();
        let mut words = vec![self.user_id.to_lowercase(), local_part.to_lowercase()];
        words.extend(self.name.split_whitespace().map(str::to_lowercase));
        words.retain(|w| w.chars().count() >= 3);
        words.dedup();
        words
    }

    /// Everything zxcvbn should treat as known words.
    pub fn estimator_inputs(&self) -> Vec<String> {
        [&self.user_id, &self.name, &self.email]
            .into_iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect()
    }
}

/// One reason a password may not be used.
#[derive(Debug, Clone, PartialEq)]
pub enum Violation {
    Empty,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    TooWeak {
        min_score: u8,
        score: u8,
    },
    /// The strength is not known yet (the estimator is still loading or working).
    StrengthPending,
    /// Contains the user's name, id or e-mail local part (the word itself is
    /// not repeated in the message: it is part of the password).
    ContainsUserInfo,
}

impl Policy {
    /// Every reason `password` may not be used; empty means it may.
    pub fn check(
        &self,
        password: &str,
        strength: Option<&Strength>,
        user: &UserWords,
    ) -> Vec<Violation> {
        let length = password.chars().count();
        if length == 0 {
            return vec![Violation::Empty];
        }
        let mut reasons = Vec::new();
        if length < self.min_length {
            reasons.push(Violation::TooShort {
                min: self.min_length,
            });
        }
        if length > self.max_length {
            reasons.push(Violation::TooLong {
                max: self.max_length,
            });
        }
        let lowered = password.to_lowercase();
        if user
            .forbidden()
            .iter()
            .any(|w| lowered.contains(w.as_str()))
        {
            reasons.push(Violation::ContainsUserInfo);
        }
        match strength {
            None => reasons.push(Violation::StrengthPending),
            Some(s) if s.score < self.min_score => reasons.push(Violation::TooWeak {
                min_score: self.min_score,
                score: s.score,
            }),
            Some(_) => {}
        }
        reasons
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::strength::Strength;

    fn strong() -> Strength {
        Strength::from_entropy(80.0)
    }

    fn weak() -> Strength {
        Strength::from_entropy(20.0)
    }

    fn diane() -> UserWords {
        UserWords {
            user_id: "u-1042".into(),
            name: "Diane Prescott".into(),
            email: "diane@contoso.com".into(),
        }
    }

    #[test]
    fn a_long_strong_password_passes() {
        assert!(Policy::default()
            .check("vB7#qL2!mZ9@xW4$", Some(&strong()), &diane())
            .is_empty());
    }

    #[test]
    fn each_rule_has_a_failing_case() {
        let p = Policy::default();
        assert_eq!(
            p.check("", Some(&strong()), &diane()),
            vec![Violation::Empty]
        );
        assert_eq!(
            p.check("short", Some(&strong()), &diane()),
            vec![Violation::TooShort { min: 12 }]
        );
        let long = "x".repeat(257);
        assert_eq!(
            p.check(&long, Some(&strong()), &diane()),
            vec![Violation::TooLong { max: 256 }]
        );
        assert_eq!(
            p.check("a-long-enough-one", Some(&weak()), &diane()),
            vec![Violation::TooWeak {
                min_score: 3,
                score: weak().score
            }]
        );
        assert_eq!(
            p.check("a-long-enough-one", None, &diane()),
            vec![Violation::StrengthPending]
        );
        for containing in [
            "Prescott-rules-2026!",
            "my-U-1042-password",
            "xx-DIANE-winter-xx",
        ] {
            assert_eq!(
                p.check(containing, Some(&strong()), &diane()),
                vec![Violation::ContainsUserInfo],
                "{containing}"
            );
        }
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        let p = Policy::default();
        // 12 characters, 24 bytes.
        let swedish = "åäöåäöåäöåäö";
        assert!(p.check(swedish, Some(&strong()), &diane()).is_empty());
        assert_eq!(
            p.check("åäöåäöåäöåä", Some(&strong()), &diane()),
            vec![Violation::TooShort { min: 12 }]
        );
    }

    #[test]
    fn whitespace_counts_like_any_character() {
        let p = Policy::default();
        assert!(p
            .check("            ", Some(&strong()), &diane())
            .is_empty());
        assert_eq!(
            p.check("           ", Some(&strong()), &diane()),
            vec![Violation::TooShort { min: 12 }]
        );
    }

    #[test]
    fn short_user_words_are_not_forbidden() {
        let user = UserWords {
            user_id: "u1".into(),
            name: "Li Wu".into(),
            email: "li@x.se".into(),
        };
        assert!(user.forbidden().is_empty());
        assert_eq!(user.estimator_inputs().len(), 3);
    }
}
