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

use std::rc::Rc;

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

/// Options of the character generator: `length` characters from the enabled classes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharacterOptions {
    pub length: usize,
    pub lowercase: ClassRule,
    pub uppercase: ClassRule,
    pub digits: ClassRule,
    pub symbols: ClassRule,
    pub avoid_look_alikes: bool,
}

impl Default for CharacterOptions {
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
    LengthOutOfRange {
        length: usize,
    },
    NoClassEnabled,
    MinimumsExceedLength {
        total: usize,
        length: usize,
    },
    TooRestrictive,
    WordsOutOfRange {
        words: usize,
    },
    BadSeparator,
    /// The options cannot make a password the policy accepts.
    CannotMeetPolicy,
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
            Self::WordsOutOfRange { words } => write!(
                f,
                "a passphrase has {MIN_WORDS} to {MAX_WORDS} words (got {words})"
            ),
            Self::BadSeparator => write!(f, "the separator must be at most 3 characters and contain no letters (and may be empty only with capitalize)"),
            Self::CannotMeetPolicy => write!(
                f,
                "these options cannot make a password that meets the policy"
            ),
        }
    }
}

impl std::error::Error for GeneratorError {}

/// A generated password and the exact entropy of the space it was drawn from.
/// Cloning it shares the password (`Rc`), never copies it: a dialog keeps
/// the generated password in its state, which Yew's reducer clones on each action.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    pub password: Rc<Secret>,
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

impl CharacterOptions {
    /// The rule for one class.
    pub fn rule_for(&self, class: CharClass) -> ClassRule {
        self.rule(class)
    }

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
pub fn generate_characters(
    options: &CharacterOptions,
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
                password: Rc::new(Secret::new(chars.iter().collect::<String>())),
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

pub const MIN_WORDS: usize = 4;
pub const MAX_WORDS: usize = 12;
pub const DEFAULT_WORDS: usize = 5;

/// The EFF large word list (7,776 words, CC BY 3.0 US, Electronic Frontier
/// Foundation): five dice choose one word, so each word adds log2(7776) = 12.9 bits.
///
/// The module carries it front-coded: each line is the number of leading
/// letters shared with the word before (one digit) and the rest of the word.
/// The list is sorted, so that is 41 KB instead of 62 KB, and about 5 KB less
/// brotli on every page (the list itself is `data/eff_large_wordlist.txt`;
/// a test checks that the two agree).
const EFF_WORDS_FRONT_CODED: &str = include_str!("data/eff_large_wordlist.front-coded.txt");

/// The list, decoded once (a bulk reset draws hundreds of words).
fn eff_list() -> &'static [String] {
    static LIST: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    LIST.get_or_init(|| decode_front_coded(EFF_WORDS_FRONT_CODED))
}

/// Undoes the front coding of [`EFF_WORDS_FRONT_CODED`].
fn decode_front_coded(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::with_capacity(EFF_WORD_COUNT);
    for line in text.lines() {
        let (shared, rest) = line.split_at(1);
        let shared = usize::from(shared.as_bytes()[0] - b'0');
        let mut word = words.last().map_or("", |w| &w[..shared]).to_string();
        word.push_str(rest);
        words.push(word);
    }
    words
}

pub fn eff_words() -> impl Iterator<Item = &'static str> {
    eff_list().iter().map(String::as_str)
}

/// The shortest EFF word is three letters ("aim", "zoo", ...).
const EFF_SHORTEST_WORD: usize = 3;
/// The longest EFF word is nine letters ("abolition", "zoologist", ...).
const EFF_LONGEST_WORD: usize = 9;

const EFF_WORD_COUNT: usize = 7776;

/// Options of the passphrase generator: `words` words from the EFF list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassphraseOptions {
    pub words: usize,
    pub separator: String,
    /// Capitalise each word (no entropy: every word is treated the same).
    pub capitalize: bool,
    /// Append one random digit to the last word (+log2(10) bits).
    pub append_digit: bool,
}

impl Default for PassphraseOptions {
    fn default() -> Self {
        Self {
            words: DEFAULT_WORDS,
            separator: "-".into(),
            capitalize: true,
            append_digit: true,
        }
    }
}

impl PassphraseOptions {
    fn check(&self) -> Result<(), GeneratorError> {
        if !(MIN_WORDS..=MAX_WORDS).contains(&self.words) {
            return Err(GeneratorError::WordsOutOfRange { words: self.words });
        }
        // A separator made of letters could merge two words into a third, and
        // so could no separator at all unless capitals mark where words start.
        if self.separator.chars().count() > 3
            || self.separator.chars().any(char::is_alphabetic)
            || (self.separator.is_empty() && !self.capitalize)
        {
            return Err(GeneratorError::BadSeparator);
        }
        Ok(())
    }

    pub fn entropy_bits(&self) -> Result<f64, GeneratorError> {
        self.check()?;
        let digit = if self.append_digit { 10f64.log2() } else { 0.0 };
        Ok(self.words as f64 * (EFF_WORD_COUNT as f64).log2() + digit)
    }
}

/// Generates a passphrase: each word uniform over the 7,776 EFF words.
pub fn generate_passphrase(
    options: &PassphraseOptions,
    rng: &mut impl RandomSource,
) -> Result<Generated, GeneratorError> {
    let entropy_bits = options.entropy_bits()?;
    let list = eff_list();
    debug_assert_eq!(list.len(), EFF_WORD_COUNT);
    let mut words: Vec<String> = (0..options.words)
        .map(|_| {
            let word = list[uniform_below(rng, list.len() as u32) as usize].as_str();
            if options.capitalize {
                let mut c = word.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            } else {
                word.to_string()
            }
        })
        .collect();
    if options.append_digit {
        let digit = char::from(b'0' + uniform_below(rng, 10) as u8);
        words.last_mut().expect("at least four words").push(digit);
    }
    Ok(Generated {
        password: Rc::new(Secret::new(words.join(&options.separator))),
        entropy_bits,
    })
}

/// How passwords are generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GeneratorOptions {
    Characters(CharacterOptions),
    Passphrase(PassphraseOptions),
}

impl Default for GeneratorOptions {
    fn default() -> Self {
        Self::Characters(CharacterOptions::default())
    }
}

impl GeneratorOptions {
    pub fn entropy_bits(&self) -> Result<f64, GeneratorError> {
        match self {
            Self::Characters(o) => o.entropy_bits(),
            Self::Passphrase(o) => o.entropy_bits(),
        }
    }

    /// The shortest password these options can make, in characters.
    pub fn min_chars(&self) -> usize {
        match self {
            Self::Characters(o) => o.length,
            Self::Passphrase(o) => o.length_with_words_of(EFF_SHORTEST_WORD),
        }
    }

    /// The longest password these options can make, in characters.
    pub fn max_chars(&self) -> usize {
        match self {
            Self::Characters(o) => o.length,
            Self::Passphrase(o) => o.length_with_words_of(EFF_LONGEST_WORD),
        }
    }

    /// These options, made long enough for passwords of `min_chars` (a policy
    /// served by the backend may ask for more than the element's length);
    /// never past the generator's own maximum.
    pub fn at_least(mut self, min_chars: usize) -> Self {
        match &mut self {
            Self::Characters(o) => o.length = o.length.max(min_chars.min(MAX_LENGTH)),
            Self::Passphrase(o) => {
                while o.length_with_words_of(EFF_SHORTEST_WORD) < min_chars && o.words < MAX_WORDS {
                    o.words += 1;
                }
            }
        }
        self
    }

    /// Characters that every password these options make is sure to hold, one
    /// per class at most (for a policy's "N of 4 classes" rule): a required
    /// class's first character; for a passphrase a lowercase letter, a capital
    /// when words are capitalised, a digit when one is appended, and the separator.
    pub fn sure_characters(&self) -> String {
        match self {
            Self::Characters(o) => CharClass::ALL
                .into_iter()
                .filter(|c| o.rule_for(*c).min > 0)
                .filter_map(|c| c.characters().chars().next())
                .collect(),
            Self::Passphrase(o) => {
                let mut sure = String::from("a");
                if o.capitalize {
                    sure.push('A');
                }
                if o.append_digit {
                    sure.push('0');
                }
                sure + &o.separator
            }
        }
    }
}

impl PassphraseOptions {
    /// The length of a passphrase whose words all have `letters` letters.
    fn length_with_words_of(&self, letters: usize) -> usize {
        self.words * letters
            + (self.words - 1) * self.separator.chars().count()
            + usize::from(self.append_digit)
    }
}

/// Generates one password with `options`.
pub fn generate(
    options: &GeneratorOptions,
    rng: &mut impl RandomSource,
) -> Result<Generated, GeneratorError> {
    match options {
        GeneratorOptions::Characters(o) => generate_characters(o, rng),
        GeneratorOptions::Passphrase(o) => generate_passphrase(o, rng),
    }
}

/// Generates a password that also passes `policy` for `user`: a draw that
/// happens to contain the user's name or id (rare: a few in ten thousand) is
/// drawn again. The configuration refuses options whose every draw could fail
/// the policy's length, score or class rules (`config`), so only those rare
/// draws are redrawn. Its strength is exact from its entropy, so the policy's
/// score rule is checked against that.
pub fn generate_for(
    options: &GeneratorOptions,
    policy: &super::policy::Policy,
    user: &super::policy::UserWords,
    rng: &mut impl RandomSource,
) -> Result<Generated, GeneratorError> {
    for _ in 0..1000 {
        let g = generate(options, rng)?;
        let strength = super::strength::Strength::from_entropy(g.entropy_bits);
        if policy
            .check(
                g.password.expose(),
                Some(&strength),
                user,
                &super::policy::Blocklist::None,
            )
            .is_empty()
        {
            return Ok(g);
        }
    }
    Err(GeneratorError::CannotMeetPolicy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::random::{testing::SeededRandom, OsRandom};

    #[test]
    fn the_default_password_has_every_class_and_no_look_alikes() {
        let g = generate_characters(&CharacterOptions::default(), &mut OsRandom).unwrap();
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
        let options = CharacterOptions {
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
        let bits = CharacterOptions::default().entropy_bits().unwrap();
        // 16 characters over 82 symbols is 101.7 bits; the minimums remove a little.
        let all = 16.0 * 82f64.log2();
        assert!(bits > all - 1.0 && bits < all, "{bits}");
    }

    #[test]
    fn bad_options_are_refused_with_a_reason() {
        let mut o = CharacterOptions {
            length: 7,
            ..Default::default()
        };
        assert_eq!(
            o.entropy_bits(),
            Err(GeneratorError::LengthOutOfRange { length: 7 })
        );
        o.length = 129;
        assert!(generate_characters(&o, &mut OsRandom).is_err());
        o = CharacterOptions {
            lowercase: ClassRule::OFF,
            uppercase: ClassRule::OFF,
            digits: ClassRule::OFF,
            symbols: ClassRule::OFF,
            ..Default::default()
        };
        assert_eq!(o.entropy_bits(), Err(GeneratorError::NoClassEnabled));
        o = CharacterOptions {
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
        o = CharacterOptions {
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
        let options = CharacterOptions {
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
            let p = generate_characters(&options, &mut rng).unwrap().password;
            let count = |class| {
                p.expose()
                    .chars()
                    .filter(|c| CharClass::of(*c) == Some(class))
                    .count()
            };
            assert!(count(CharClass::Digits) >= 3 && count(CharClass::Symbols) >= 2);
        }
    }

    #[test]
    fn the_front_coded_list_is_the_eff_list() {
        let original: Vec<&str> = include_str!("data/eff_large_wordlist.txt")
            .lines()
            .collect();
        assert_eq!(original.len(), EFF_WORD_COUNT);
        assert_eq!(eff_words().collect::<Vec<_>>(), original);
        // And the file is the canonical coding of it (the longest shared prefix, one digit).
        let mut coded = String::new();
        let mut before = "";
        for word in &original {
            let shared = word
                .bytes()
                .zip(before.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            assert!(shared <= 9, "{word}");
            coded.push_str(&format!("{shared}{}\n", &word[shared..]));
            before = word;
        }
        assert_eq!(coded, EFF_WORDS_FRONT_CODED);
    }

    #[test]
    fn passphrases_are_words_from_the_eff_list() {
        assert_eq!(eff_words().count(), 7776);
        assert_eq!(
            eff_words().map(|w| w.chars().count()).min(),
            Some(EFF_SHORTEST_WORD)
        );
        assert_eq!(
            eff_words().map(|w| w.chars().count()).max(),
            Some(EFF_LONGEST_WORD)
        );
        // A space: unlike "-", no EFF word holds one ("t-shirt" does hold a hyphen).
        let o = PassphraseOptions {
            separator: " ".into(),
            ..Default::default()
        };
        let g = generate_passphrase(&o, &mut OsRandom).unwrap();
        let p = g.password.expose();
        let parts: Vec<&str> = p.split(' ').collect();
        assert_eq!(parts.len(), 5);
        assert!(parts
            .last()
            .unwrap()
            .chars()
            .last()
            .unwrap()
            .is_ascii_digit());
        for part in parts {
            let word = part
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .to_lowercase();
            assert!(eff_words().any(|w| w == word), "{word}");
            assert!(part.chars().next().unwrap().is_uppercase());
        }
        assert!((g.entropy_bits - (5.0 * 7776f64.log2() + 10f64.log2())).abs() < 1e-9);
    }

    #[test]
    fn passphrase_options_are_checked() {
        let mut o = PassphraseOptions {
            words: 3,
            ..Default::default()
        };
        assert_eq!(
            o.entropy_bits(),
            Err(GeneratorError::WordsOutOfRange { words: 3 })
        );
        o.words = 13;
        assert!(generate_passphrase(&o, &mut OsRandom).is_err());
        o = PassphraseOptions {
            separator: "and".into(),
            ..Default::default()
        };
        assert_eq!(o.entropy_bits(), Err(GeneratorError::BadSeparator));
        // No separator: only capitals can show where one word ends.
        o = PassphraseOptions {
            separator: String::new(),
            capitalize: false,
            ..Default::default()
        };
        assert_eq!(o.entropy_bits(), Err(GeneratorError::BadSeparator));
        o.capitalize = true;
        assert!(o.entropy_bits().is_ok());
        o = PassphraseOptions {
            words: 4,
            separator: " ".into(),
            capitalize: false,
            append_digit: false,
        };
        let p = generate_passphrase(&o, &mut OsRandom).unwrap().password;
        assert_eq!(p.expose().split(' ').count(), 4);
        assert_eq!(p.expose(), p.expose().to_lowercase());
    }

    #[test]
    fn generated_passwords_avoid_the_users_own_words() {
        use crate::core::policy::{Policy, UserWords};
        // A user named after common three-letter runs: plenty of raw draws contain them.
        let user = UserWords {
            user_id: "abc".into(),
            name: "Ann Tea".into(),
            email: "ann@x.se".into(),
            context: vec![],
        };
        let options = GeneratorOptions::Passphrase(PassphraseOptions::default());
        let policy = Policy::default();
        let mut rng = SeededRandom(3);
        for _ in 0..300 {
            let g = generate_for(&options, &policy, &user, &mut rng).unwrap();
            let lower = g.password.expose().to_lowercase();
            assert!(
                !lower.contains("ann") && !lower.contains("tea") && !lower.contains("abc"),
                "{lower}"
            );
        }
    }

    #[test]
    fn options_too_weak_for_the_policy_are_refused() {
        use crate::core::policy::{Policy, UserWords};
        let options = GeneratorOptions::Characters(CharacterOptions {
            length: 8,
            uppercase: ClassRule::OFF,
            symbols: ClassRule::OFF,
            lowercase: ClassRule::OFF,
            ..Default::default()
        });
        let policy = Policy {
            min_length: 8,
            ..Policy::default()
        };
        assert_eq!(
            generate_for(&options, &policy, &UserWords::default(), &mut OsRandom),
            Err(GeneratorError::CannotMeetPolicy)
        );
    }

    /// Pearson's chi-square statistic of `counts` against `expected` probabilities.
    fn chi_square(counts: &[u64], expected: &[f64], draws: u64) -> f64 {
        counts
            .iter()
            .zip(expected)
            .map(|(&o, &p)| {
                let e = p * draws as f64;
                (o as f64 - e).powi(2) / e
            })
            .sum()
    }

    /// The chi-square critical value for `dof` degrees of freedom at the upper
    /// quantile `z` of the normal distribution (Wilson-Hilferty approximation).
    fn chi_square_critical(dof: f64, z: f64) -> f64 {
        let a = 2.0 / (9.0 * dof);
        dof * (1.0 - a + z * a.sqrt()).powi(3)
    }

    /// z for a significance of 1e-6 per position: with a fixed seed the test
    /// is deterministic; with a fresh CSPRNG its false-failure rate would be
    /// at most 16 * 1e-6 = 1.6e-5 per run.
    const Z_1E6: f64 = 4.753;
    const DRAWS: u64 = 200_000;

    fn counts_per_position(
        options: &CharacterOptions,
        alphabet: &[char],
        rng: &mut impl RandomSource,
    ) -> Vec<Vec<u64>> {
        let mut counts = vec![vec![0u64; alphabet.len()]; options.length];
        for _ in 0..DRAWS {
            let p = generate_characters(options, rng).unwrap().password;
            for (i, c) in p.expose().chars().enumerate() {
                counts[i][alphabet.iter().position(|a| *a == c).unwrap()] += 1;
            }
        }
        counts
    }

    #[test]
    fn characters_are_uniform_at_every_position() {
        // No minimums: every character of the alphabet is equally likely everywhere.
        let options = CharacterOptions {
            lowercase: ClassRule {
                enabled: true,
                min: 0,
            },
            uppercase: ClassRule {
                enabled: true,
                min: 0,
            },
            digits: ClassRule {
                enabled: true,
                min: 0,
            },
            symbols: ClassRule {
                enabled: true,
                min: 0,
            },
            ..Default::default()
        };
        let alphabet: Vec<char> = CharClass::ALL
            .into_iter()
            .flat_map(|c| options.alphabet_of(c))
            .collect();
        let uniform = vec![1.0 / alphabet.len() as f64; alphabet.len()];
        let critical = chi_square_critical((alphabet.len() - 1) as f64, Z_1E6);
        let counts = counts_per_position(&options, &alphabet, &mut SeededRandom(0x5eed));
        for (position, c) in counts.iter().enumerate() {
            let x2 = chi_square(c, &uniform, DRAWS);
            assert!(
                x2 < critical,
                "position {position}: chi-square {x2:.1} >= {critical:.1}"
            );
        }
    }

    #[test]
    fn required_classes_do_not_bias_positions() {
        // With a minimum per class the valid set is no longer uniform per
        // character, but every position must follow the same exact marginal:
        // P(c at a position) = valid(L-1, that class's minimum - 1) / valid(L).
        let options = CharacterOptions::default();
        let classes: Vec<(CharClass, usize, usize)> = CharClass::ALL
            .into_iter()
            .map(|c| (c, options.alphabet_of(c).len(), options.rule_for(c).min))
            .collect();
        let all: Vec<(usize, usize)> = classes.iter().map(|(_, n, m)| (*n, *m)).collect();
        let total = valid_password_count_log2(options.length, &all);
        let mut alphabet = Vec::new();
        let mut expected = Vec::new();
        for (i, (class, _, _)) in classes.iter().enumerate() {
            let mut fewer = all.clone();
            fewer[i].1 = fewer[i].1.saturating_sub(1);
            let p = 2f64.powf(valid_password_count_log2(options.length - 1, &fewer) - total);
            for c in options.alphabet_of(*class) {
                alphabet.push(c);
                expected.push(p);
            }
        }
        assert!(
            (expected.iter().sum::<f64>() - 1.0).abs() < 1e-9,
            "the marginal sums to 1"
        );
        let critical = chi_square_critical((alphabet.len() - 1) as f64, Z_1E6);
        let counts = counts_per_position(&options, &alphabet, &mut SeededRandom(0xc1a55));
        for (position, c) in counts.iter().enumerate() {
            let x2 = chi_square(c, &expected, DRAWS);
            assert!(
                x2 < critical,
                "position {position}: chi-square {x2:.1} >= {critical:.1}"
            );
        }
    }

    #[test]
    fn the_chi_square_test_catches_modulo_bias() {
        // The mistake rejection sampling prevents: a random byte modulo 82
        // makes the first 256 % 82 = 10 characters 4/3 as likely as the rest.
        let n = 82usize;
        let mut rng = SeededRandom(1);
        let mut counts = vec![0u64; n];
        for _ in 0..DRAWS {
            let mut b = [0u8; 1];
            rng.fill(&mut b);
            counts[b[0] as usize % n] += 1;
        }
        let x2 = chi_square(&counts, &vec![1.0 / n as f64; n], DRAWS);
        assert!(
            x2 > chi_square_critical((n - 1) as f64, Z_1E6),
            "bias went unnoticed: {x2:.1}"
        );
    }
}
