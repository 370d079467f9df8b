//! The organisation's password policy: whether the dialog lets a password
//! through, and why not, as reasons the dialog puts in words.
//!
//! By default no composition rules (NIST SP 800-63B): a length range, a
//! minimum zxcvbn score, not containing the user's own name, id or e-mail,
//! and not on the organisation's blocklist. `require_classes` is there for
//! organisations that still need "3 of 4 character classes" (as Microsoft
//! Entra does).

use std::collections::HashSet;
use std::sync::Arc;

use super::strength::Strength;

pub const DEFAULT_MIN_LENGTH: usize = 12;
pub const DEFAULT_MAX_LENGTH: usize = 256;
pub const DEFAULT_MIN_SCORE: u8 = 3;
/// The maximum length may not be set below this (NIST: allow at least 64).
pub const LOWEST_MAX_LENGTH: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub min_length: usize,
    pub max_length: usize,
    pub min_score: u8,
    /// How many of the four classes (lowercase, uppercase, digits, symbols)
    /// a password must use; 0 for none.
    pub require_classes: u8,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            min_length: DEFAULT_MIN_LENGTH,
            max_length: DEFAULT_MAX_LENGTH,
            min_score: DEFAULT_MIN_SCORE,
            require_classes: 0,
        }
    }
}

/// What the password is checked against besides itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserWords {
    pub user_id: String,
    pub name: String,
    pub email: String,
    /// The organisation's own words (attribute `context-words`): only the
    /// estimator uses them, as known words that make a password weaker.
    pub context: Vec<String>,
}

impl UserWords {
    /// How the user is named on screen: the name, or the id when there is none.
    pub fn display_name(&self) -> &str {
        super::bulk::name_or_id(&self.name, &self.user_id)
    }

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

    /// Everything zxcvbn should treat as known words: name, id, e-mail (the
    /// estimator splits them into parts too) and the organisation's words.
    pub fn estimator_inputs(&self) -> Vec<String> {
        [&self.user_id, &self.name, &self.email]
            .into_iter()
            .chain(self.context.iter())
            .filter(|s| !s.is_empty())
            .cloned()
            .collect()
    }
}

/// The organisation's list of refused passwords (attribute `blocklist-url`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Blocklist {
    /// None configured.
    #[default]
    None,
    /// Being fetched.
    Loading,
    /// Lowercased entries (an `Arc`: a server shares one list between threads).
    Loaded(Arc<HashSet<String>>),
    /// Configured but could not be fetched: custom passwords cannot be checked.
    Unavailable,
}

impl Blocklist {
    /// Reads a newline-separated list; blank lines and `#` comments are skipped.
    pub fn parse(text: &str) -> Self {
        let entries = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_lowercase)
            .collect();
        Self::Loaded(Arc::new(entries))
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
    TooFewClasses {
        required: u8,
    },
    OnBlocklist,
    BlocklistPending,
    BlocklistUnavailable,
    /// Holds a control or format character (NUL, TAB, U+202E, ...): see
    /// [`super::unicode`].
    ControlCharacters,
    /// The backend's user directory (AD, OpenLDAP) refused the password
    /// under its own complexity or history rules: only a backend says it.
    DirectoryRefused,
}

impl Violation {
    /// A stable code for the JS API's `checkPolicy` reasons.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::TooShort { .. } => "tooShort",
            Self::TooLong { .. } => "tooLong",
            Self::TooWeak { .. } => "tooWeak",
            Self::StrengthPending => "strengthPending",
            Self::ContainsUserInfo => "containsUserInfo",
            Self::TooFewClasses { .. } => "tooFewClasses",
            Self::OnBlocklist => "onBlocklist",
            Self::BlocklistPending => "blocklistPending",
            Self::BlocklistUnavailable => "blocklistUnavailable",
            Self::ControlCharacters => "controlCharacters",
            Self::DirectoryRefused => "directoryRefused",
        }
    }

    /// The policy's number the reason names (a length, a score, a number of
    /// classes), which travels with its code (`limit` on the wire).
    pub fn limit(&self) -> Option<u32> {
        match *self {
            Self::TooShort { min } => Some(min as u32),
            Self::TooLong { max } => Some(max as u32),
            Self::TooWeak { min_score, .. } => Some(min_score.into()),
            Self::TooFewClasses { required } => Some(required.into()),
            _ => None,
        }
    }

    /// The reason a backend's field error names by `code` and `limit`, so
    /// the dialog can say it in its own language. `None` for a code this
    /// version does not know or a number missing (the backend's own words
    /// are shown then).
    pub fn from_code(code: &str, limit: Option<u32>) -> Option<Self> {
        let number = || limit.and_then(|n| u8::try_from(n).ok());
        Some(match code {
            "empty" => Self::Empty,
            "tooShort" => Self::TooShort {
                min: limit? as usize,
            },
            "tooLong" => Self::TooLong {
                max: limit? as usize,
            },
            // The password's own score is not on the wire: the rule is the message.
            "tooWeak" => Self::TooWeak {
                min_score: number()?,
                score: number()?.saturating_sub(1),
            },
            "containsUserInfo" => Self::ContainsUserInfo,
            "tooFewClasses" => Self::TooFewClasses {
                required: number()?,
            },
            "onBlocklist" => Self::OnBlocklist,
            "controlCharacters" => Self::ControlCharacters,
            "directoryRefused" => Self::DirectoryRefused,
            _ => return None,
        })
    }
}

/// How many of the four character classes a password uses.
pub fn classes_used(password: &str) -> u8 {
    let has = |f: fn(&char) -> bool| password.chars().any(|c| f(&c)) as u8;
    has(|c| c.is_lowercase())
        + has(|c| c.is_uppercase())
        + has(|c| c.is_numeric())
        + has(|c| !c.is_alphanumeric())
}

impl Policy {
    /// Every reason `password` (as typed) may not be used; empty means it may.
    ///
    /// Lengths, names and the blocklist are compared on its NFKC form, and
    /// `strength` must be the estimate of that form ([`super::unicode::nfkc`]):
    /// the form the server hashes.
    pub fn check(
        &self,
        password: &str,
        strength: Option<&Strength>,
        user: &UserWords,
        blocklist: &Blocklist,
    ) -> Vec<Violation> {
        let password = &super::unicode::nfkc(password);
        let length = password.chars().count();
        if length == 0 {
            return vec![Violation::Empty];
        }
        let mut reasons = Vec::new();
        if super::unicode::has_control_or_format(password) {
            reasons.push(Violation::ControlCharacters);
        }
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
        if self.require_classes > 0 && classes_used(password) < self.require_classes {
            reasons.push(Violation::TooFewClasses {
                required: self.require_classes,
            });
        }
        match blocklist {
            Blocklist::None => {}
            Blocklist::Loading => reasons.push(Violation::BlocklistPending),
            Blocklist::Unavailable => reasons.push(Violation::BlocklistUnavailable),
            Blocklist::Loaded(list) => {
                if list.contains(&lowered) || list.contains(lowered.trim()) {
                    reasons.push(Violation::OnBlocklist);
                }
            }
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
            context: vec!["contoso".into()],
        }
    }

    fn check(p: &Policy, password: &str, s: Option<&Strength>) -> Vec<Violation> {
        p.check(password, s, &diane(), &Blocklist::None)
    }

    #[test]
    fn a_long_strong_password_passes() {
        assert!(check(&Policy::default(), "vB7#qL2!mZ9@xW4$", Some(&strong())).is_empty());
    }

    #[test]
    fn each_rule_has_a_failing_case() {
        let p = Policy::default();
        assert_eq!(check(&p, "", Some(&strong())), vec![Violation::Empty]);
        assert_eq!(
            check(&p, "short", Some(&strong())),
            vec![Violation::TooShort { min: 12 }]
        );
        let long = "x".repeat(257);
        assert_eq!(
            check(&p, &long, Some(&strong())),
            vec![Violation::TooLong { max: 256 }]
        );
        assert_eq!(
            check(&p, "a-long-enough-one", Some(&weak())),
            vec![Violation::TooWeak {
                min_score: 3,
                score: weak().score
            }]
        );
        assert_eq!(
            check(&p, "a-long-enough-one", None),
            vec![Violation::StrengthPending]
        );
        for containing in [
            "Prescott-rules-2026!",
            "my-U-1042-password",
            "xx-DIANE-winter-xx",
        ] {
            assert_eq!(
                check(&p, containing, Some(&strong())),
                vec![Violation::ContainsUserInfo],
                "{containing}"
            );
        }
    }

    #[test]
    fn the_organisations_words_are_for_the_estimator_only() {
        let p = Policy::default();
        assert!(check(&p, "contoso-rules-the-world", Some(&strong())).is_empty());
        assert!(diane().estimator_inputs().contains(&"contoso".to_string()));
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        let p = Policy::default();
        // 12 characters, 24 bytes.
        assert!(check(&p, "åäöåäöåäöåäö", Some(&strong())).is_empty());
        assert_eq!(
            check(&p, "åäöåäöåäöåä", Some(&strong())),
            vec![Violation::TooShort { min: 12 }]
        );
        // Emoji: one character each, four bytes each.
        assert!(check(&p, &"🔑".repeat(12), Some(&strong())).is_empty());
        let max = Policy {
            max_length: 64,
            ..p
        };
        assert_eq!(
            check(&max, &"é".repeat(65), Some(&strong())),
            vec![Violation::TooLong { max: 64 }]
        );
        assert!(check(&max, &"é".repeat(64), Some(&strong())).is_empty());
    }

    #[test]
    fn lengths_names_and_the_blocklist_see_the_normalised_password() {
        // 11 full-width characters are 11 ASCII ones after NFKC: too short.
        assert_eq!(
            check(
                &Policy::default(),
                "ｘｑ７ｍｚｐ２ｖｌｘ９",
                Some(&strong())
            ),
            vec![Violation::TooShort { min: 12 }]
        );
        // "ﬁ" is "fi": 11 code points typed, 12 characters once normalised.
        assert!(check(&Policy::default(), "\u{FB01}q7#mZp2vLx9", Some(&strong())).is_empty());
        // The user's name in full-width letters is still the user's name.
        assert_eq!(
            check(
                &Policy::default(),
                "ＤＩＡＮＥ-vB7#qL2!mZ9",
                Some(&strong())
            ),
            vec![Violation::ContainsUserInfo]
        );
        let list = Blocklist::parse("password123456\n");
        let refused =
            Policy::default().check("ｐａｓｓｗｏｒｄ123456", Some(&strong()), &diane(), &list);
        assert_eq!(refused, vec![Violation::OnBlocklist]);
    }

    #[test]
    fn control_and_format_characters_are_refused() {
        for case in crate::core::unicode::CASES {
            let refused = check(&Policy::default(), case.typed, Some(&strong()))
                .contains(&Violation::ControlCharacters);
            assert_eq!(refused, case.refused, "{:?}", case.typed);
        }
    }

    #[test]
    fn whitespace_counts_like_any_character() {
        let p = Policy::default();
        assert!(check(&p, "            ", Some(&strong())).is_empty());
        assert_eq!(
            check(&p, "           ", Some(&strong())),
            vec![Violation::TooShort { min: 12 }]
        );
        assert!(check(&p, "  spaces and spaces ", Some(&strong())).is_empty());
        // A tab or a newline is a control character, not whitespace to keep.
        assert_eq!(
            check(&p, "  tab\tand newline\n ", Some(&strong())),
            vec![Violation::ControlCharacters]
        );
    }

    #[test]
    fn required_classes_pass_and_fail() {
        let p = Policy {
            require_classes: 3,
            ..Policy::default()
        };
        assert_eq!(
            check(&p, "onlylowercaseletters", Some(&strong())),
            vec![Violation::TooFewClasses { required: 3 }]
        );
        assert!(check(&p, "Lower-and-UPPER", Some(&strong())).is_empty());
        assert!(
            check(&p, "Åsa och Örjan 7", Some(&strong())).is_empty(),
            "Unicode letters count as cased"
        );
        assert_eq!(classes_used("aA1!"), 4);
        assert_eq!(classes_used("ÅÄÖ"), 1);
    }

    #[test]
    fn the_blocklist_refuses_its_entries_case_insensitively() {
        let p = Policy::default();
        let list =
            Blocklist::parse("# refused\nContoso-Spring-2026\n\n  winter-is-coming-2026  \n");
        let user = diane();
        assert_eq!(
            p.check("contoso-spring-2026", Some(&strong()), &user, &list),
            vec![Violation::OnBlocklist]
        );
        assert_eq!(
            p.check("Winter-Is-Coming-2026", Some(&strong()), &user, &list),
            vec![Violation::OnBlocklist]
        );
        assert!(p
            .check("contoso-summer-2026", Some(&strong()), &user, &list)
            .is_empty());
        assert_eq!(
            p.check(
                "contoso-summer-2026",
                Some(&strong()),
                &user,
                &Blocklist::Loading
            ),
            vec![Violation::BlocklistPending]
        );
        assert_eq!(
            p.check(
                "contoso-summer-2026",
                Some(&strong()),
                &user,
                &Blocklist::Unavailable
            ),
            vec![Violation::BlocklistUnavailable]
        );
    }

    #[test]
    fn short_user_words_are_not_forbidden() {
        let user = UserWords {
            user_id: "u1".into(),
            name: "Li Wu".into(),
            email: "li@x.se".into(),
            context: vec![],
        };
        assert!(user.forbidden().is_empty());
        assert_eq!(user.estimator_inputs().len(), 3);
    }
}
