//! Password generation: uniform over every password the options allow.
//!
//! How classes are guaranteed: we draw every character uniformly from the
//! whole alphabet and *regenerate until* each enabled class has its minimum
//! count. Rejection keeps the result uniform over the set of valid passwords,
//! so no position or class is favoured, and the entropy is exactly
//! `log2(number of valid passwords)`, which we count (see [`valid_password_count_log2`]).
//! The alternative, placing required characters and shuffling, over-represents
//! the required classes and makes the entropy hard to state. Options for which
//! rejection would be slow (fewer than 1 in 10,000 draws valid) are refused.

use super::random::{uniform_below, RandomSource};
use super::secret::Secret;

pub const MIN_LENGTH: usize = 8;
pub const MAX_LENGTH: usize = 128;
pub const DEFAULT_LENGTH: usize = 16;

/// Characters that are easy to misread for one another (l/1/I, O/0, and the like).
pub const LOOK_ALIKES: &str = "lI1O0o";

/// The four character classes, in a fixed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharClass {
    Lowercase,
    Uppercase,
    Digits,
    Symbols,
}

impl CharClass {
    pub const ALL: [CharClass; 4] = [
        Self::Lowercase,
        Self::Uppercase,
        Self::Digits,
        Self::Symbols,
    ];

    /// Every character of the class, before look-alikes are removed.
    pub fn characters(self) -> &'static str {
        match self {
            Self::Lowercase => "abcdefghijklmnopqrstuvwxyz",
            Self::Uppercase => "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            Self::Digits => "0123456789",
            // No quotes, backslash, backtick or space: they break when pasted
            // into a shell, a CSV or a sign-in form.
            Self::Symbols => "!#$%&()*+-./:;<=>?@[]^_{}~",
        }
    }

    pub fn of(c: char) -> Option<CharClass> {
        Self::ALL
            .into_iter()
            .find(|class| class.characters().contains(c))
    }
}

/// Whether a class is used, and how many of its characters a password must have at least.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassRule {
    pub enabled: bool,
    pub min: usize,
}

impl ClassRule {
    pub const ON: ClassRule = ClassRule {
        enabled: true,
        min: 1,
    };
    pub const OFF: ClassRule = ClassRule {
        enabled: false,
        min: 0,
    };
}

/// Options of the character generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratorOptions {
    pub length: usize,
    pub lowercase: ClassRule,
    pub uppercase: ClassRule,
    pub digits: ClassRule,
    pub symbols: ClassRule,
    pub avoid_look_alikes: bool,
}

impl Default for GeneratorOptions {
    fn default() -> Self {
        Self {
            length: DEFAULT_LENGTH,
            lowercase: ClassRule::ON,
            uppercase: ClassRule::ON,
            digits: ClassRule::ON,
            symbols: ClassRule::ON,
            avoid_look_alikes: true,
        }
    }
}

/// Why options cannot make a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GeneratorError {
    LengthOutOfRange { length: usize },
    NoClassEnabled,
    MinimumsExceedLength { total: usize, length: usize },
    TooRestrictive,
}

impl std::fmt::Display for GeneratorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::LengthOutOfRange { length } => write!(
                f,
                "length must be between {MIN_LENGTH} and {MAX_LENGTH} characters (got {length})"
            ),
            Self::NoClassEnabled => write!(f, "at least one character class must be enabled"),
            Self::MinimumsExceedLength { total, length } => write!(
                f,
                "the minimum counts add up to {total}, more than the length {length}"
            ),
            Self::TooRestrictive => write!(
                f,
                "the minimum counts leave too few passwords to draw from; lower them or raise the length"
            ),
        }
    }
}

impl std::error::Error for GeneratorError {}

/// A generated password and the exact entropy of the space it was drawn from.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    pub password: Secret,
    pub entropy_bits: f64,
}

/// The options, checked and turned into alphabets.
#[derive(Debug, Clone)]
struct Plan {
    length: usize,
    /// (class alphabet, minimum count) for each enabled class.
    classes: Vec<(Vec<char>, usize)>,
    alphabet: Vec<char>,
    /// log2 of the number of valid passwords.
    entropy_bits: f64,
}

impl GeneratorOptions {
    fn rule(&self, class: CharClass) -> ClassRule {
        match class {
            CharClass::Lowercase => self.lowercase,
            CharClass::Uppercase => self.uppercase,
            CharClass::Digits => self.digits,
            CharClass::Symbols => self.symbols,
        }
    }

    /// The characters a password may contain with these options.
    pub fn alphabet_of(&self, class: CharClass) -> Vec<char> {
        class
            .characters()
            .chars()
            .filter(|c| !(self.avoid_look_alikes && LOOK_ALIKES.contains(*c)))
            .collect()
    }

    fn plan(&self) -> Result<Plan, GeneratorError> {
        if !(MIN_LENGTH..=MAX_LENGTH).contains(&self.length) {
            return Err(GeneratorError::LengthOutOfRange {
                length: self.length,
            });
        }
        let classes: Vec<(Vec<char>, usize)> = CharClass::ALL
            .into_iter()
            .filter(|c| self.rule(*c).enabled)
            .map(|c| (self.alphabet_of(c), self.rule(c).min))
            .collect();
        if classes.is_empty() {
            return Err(GeneratorError::NoClassEnabled);
        }
        let total: usize = classes.iter().map(|(_, min)| min).sum();
        if total > self.length {
            return Err(GeneratorError::MinimumsExceedLength {
                total,
                length: self.length,
            });
        }
        let alphabet: Vec<char> = classes
            .iter()
            .flat_map(|(a, _)| a.iter().copied())
            .collect();
        let sizes: Vec<(usize, usize)> = classes.iter().map(|(a, m)| (a.len(), *m)).collect();
        let entropy_bits = valid_password_count_log2(self.length, &sizes);
        let all_bits = self.length as f64 * (alphabet.len() as f64).log2();
        // Probability that a uniform draw is valid; below 1e-4 regeneration is too slow.
        if entropy_bits - all_bits < -(10_000f64.log2()) {
            return Err(GeneratorError::TooRestrictive);
        }
        Ok(Plan {
            length: self.length,
            classes,
            alphabet,
            entropy_bits,
        })
    }

    /// The entropy in bits a password generated with these options has.
    pub fn entropy_bits(&self) -> Result<f64, GeneratorError> {
        self.plan().map(|p| p.entropy_bits)
    }
}

/// Generates one password: uniform over all passwords of `options.length`
/// characters from the enabled classes that meet every class minimum.
pub fn generate(
    options: &GeneratorOptions,
    rng: &mut impl RandomSource,
) -> Result<Generated, GeneratorError> {
    let plan = options.plan()?;
    let n = plan.alphabet.len() as u32;
    let mut chars = Vec::with_capacity(plan.length);
    loop {
        chars.clear();
        chars.extend((0..plan.length).map(|_| plan.alphabet[uniform_below(rng, n) as usize]));
        let meets_minimums = plan
            .classes
            .iter()
            .all(|(alphabet, min)| chars.iter().filter(|c| alphabet.contains(c)).count() >= *min);
        if meets_minimums {
            return Ok(Generated {
                password: Secret::new(chars.iter().collect::<String>()),
                entropy_bits: plan.entropy_bits,
            });
        }
    }
}

/// log2 of the number of strings of `length` characters over disjoint classes
/// of the given `(size, minimum)` that contain at least `minimum` characters of
/// each class.
///
/// Counted with exponential generating functions: the count is
/// `length! * [x^length] prod_i sum_{k >= min_i} (size_i x)^k / k!`.
/// Coefficients are kept in f64, scaled per step to stay within range.
pub fn valid_password_count_log2(length: usize, classes: &[(usize, usize)]) -> f64 {
    // poly[k] = coefficient of x^k, times 2^scale.
    let mut poly = vec![0f64; length + 1];
    poly[0] = 1.0;
    let mut scale_log2 = 0f64;
    for &(size, min) in classes {
        // term[k] = size^k / k! for k >= min.
        let mut term = vec![0f64; length + 1];
        let mut t = 1f64;
        for (k, slot) in term.iter_mut().enumerate() {
            if k > 0 {
                t *= size as f64 / k as f64;
            }
            if k >= min {
                *slot = t;
            }
        }
        let mut next = vec![0f64; length + 1];
        for (i, a) in poly.iter().enumerate() {
            if *a == 0.0 {
                continue;
            }
            for (j, b) in term.iter().enumerate().take(length + 1 - i) {
                next[i + j] += a * b;
            }
        }
        let max = next.iter().cloned().fold(0f64, f64::max);
        if max > 0.0 {
            let shift = max.log2().floor();
            for v in &mut next {
                *v /= 2f64.powf(shift);
            }
            scale_log2 += shift;
        }
        poly = next;
    }
    let factorial_log2: f64 = (2..=length).map(|k| (k as f64).log2()).sum();
    poly[length].log2() + scale_log2 + factorial_log2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::random::{testing::SeededRandom, OsRandom};

    #[test]
    fn the_default_password_has_every_class_and_no_look_alikes() {
        let g = generate(&GeneratorOptions::default(), &mut OsRandom).unwrap();
        let p = g.password.expose();
        assert_eq!(p.chars().count(), DEFAULT_LENGTH);
        for class in CharClass::ALL {
            assert!(
                p.chars().any(|c| CharClass::of(c) == Some(class)),
                "{class:?} missing"
            );
        }
        assert!(!p.chars().any(|c| LOOK_ALIKES.contains(c)));
    }

    #[test]
    fn entropy_without_minimums_is_length_times_log2_alphabet() {
        let options = GeneratorOptions {
            lowercase: ClassRule {
                enabled: true,
                min: 0,
            },
            uppercase: ClassRule::OFF,
            digits: ClassRule::OFF,
            symbols: ClassRule::OFF,
            avoid_look_alikes: false,
            length: 20,
        };
        let bits = options.entropy_bits().unwrap();
        assert!((bits - 20.0 * 26f64.log2()).abs() < 1e-9, "{bits}");
    }

    #[test]
    fn entropy_counts_exactly_on_a_small_case() {
        // Length 2 over {a,b} (min 1) and {0} (min 1): a0 b0 0a 0b = 4 strings.
        let bits = valid_password_count_log2(2, &[(2, 1), (1, 1)]);
        assert!((bits - 2.0).abs() < 1e-9, "{bits}");
        // Length 3 over 2 letters (min 1) and 3 digits (min 2): C(3,2)*2*9 = 54.
        let bits = valid_password_count_log2(3, &[(2, 1), (3, 2)]);
        assert!((bits - 54f64.log2()).abs() < 1e-9, "{bits}");
    }

    #[test]
    fn the_default_options_give_about_a_hundred_bits() {
        let bits = GeneratorOptions::default().entropy_bits().unwrap();
        // 16 characters over 82 symbols is 101.7 bits; the minimums remove a little.
        let all = 16.0 * 82f64.log2();
        assert!(bits > all - 1.0 && bits < all, "{bits}");
    }

    #[test]
    fn bad_options_are_refused_with_a_reason() {
        let mut o = GeneratorOptions {
            length: 7,
            ..Default::default()
        };
        assert_eq!(
            o.entropy_bits(),
            Err(GeneratorError::LengthOutOfRange { length: 7 })
        );
        o.length = 129;
        assert!(generate(&o, &mut OsRandom).is_err());
        o = GeneratorOptions {
            lowercase: ClassRule::OFF,
            uppercase: ClassRule::OFF,
            digits: ClassRule::OFF,
            symbols: ClassRule::OFF,
            ..Default::default()
        };
        assert_eq!(o.entropy_bits(), Err(GeneratorError::NoClassEnabled));
        o = GeneratorOptions {
            length: 8,
            digits: ClassRule {
                enabled: true,
                min: 9,
            },
            ..Default::default()
        };
        assert!(matches!(
            o.entropy_bits(),
            Err(GeneratorError::MinimumsExceedLength { .. })
        ));
        o = GeneratorOptions {
            length: 16,
            digits: ClassRule {
                enabled: true,
                min: 13,
            },
            ..Default::default()
        };
        assert_eq!(o.entropy_bits(), Err(GeneratorError::TooRestrictive));
        assert!(!GeneratorError::TooRestrictive.to_string().is_empty());
    }

    #[test]
    fn minimum_counts_are_met() {
        let options = GeneratorOptions {
            length: 12,
            digits: ClassRule {
                enabled: true,
                min: 3,
            },
            symbols: ClassRule {
                enabled: true,
                min: 2,
            },
            ..Default::default()
        };
        let mut rng = SeededRandom(7);
        for _ in 0..500 {
            let p = generate(&options, &mut rng).unwrap().password;
            let count = |class| {
                p.expose()
                    .chars()
                    .filter(|c| CharClass::of(*c) == Some(class))
                    .count()
            };
            assert!(count(CharClass::Digits) >= 3 && count(CharClass::Symbols) >= 2);
        }
    }
}
