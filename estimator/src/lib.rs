//! The password-strength estimator of the reset widget.
//!
//! The estimator is [zxcvbn](https://docs.rs/zxcvbn) behind one pure function,
//! [`estimate`]: a password and the user's own words in, an [`Estimate`] out.
//! zxcvbn is about two thirds of the widget's weight, so it is built into a module of
//! its own (feature `worker`) that the widget fetches only when a custom
//! password needs it, and runs twice: in a Web Worker, and on the page for
//! typed passwords of up to 64 characters. With default features off this
//! crate is just the types the widget and the estimator exchange.

use serde::{Deserialize, Serialize};

#[cfg(feature = "worker")]
mod worker;

/// zxcvbn analyses at most this many characters (the crate cuts silently,
/// against denial of service). We cut first and say so in [`Estimate::truncated`].
pub const MAX_ANALYSED_CHARS: usize = 100;

/// What zxcvbn thinks of a password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Estimate {
    /// 0 (too guessable) to 4 (very unguessable), zxcvbn's scale.
    pub score: u8,
    /// log10 of the estimated number of guesses.
    pub guesses_log10: f64,
    /// What is wrong with the password, if anything.
    pub warning: Option<Warning>,
    /// How to make it better.
    pub suggestions: Vec<Suggestion>,
    /// Time to crack offline with a slow hash (10^4 guesses a second), in seconds.
    pub crack_time_seconds: f64,
    /// True when only the first [`MAX_ANALYSED_CHARS`] characters were analysed.
    pub truncated: bool,
}

/// zxcvbn's warnings as codes, so each can be shown in the dialog's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Warning {
    StraightRowsOfKeysAreEasyToGuess,
    ShortKeyboardPatternsAreEasyToGuess,
    RepeatsLikeAaaAreEasyToGuess,
    RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess,
    ThisIsATop10Password,
    ThisIsATop100Password,
    ThisIsACommonPassword,
    ThisIsSimilarToACommonlyUsedPassword,
    SequencesLikeAbcAreEasyToGuess,
    RecentYearsAreEasyToGuess,
    AWordByItselfIsEasyToGuess,
    DatesAreOftenEasyToGuess,
    NamesAndSurnamesByThemselvesAreEasyToGuess,
    CommonNamesAndSurnamesAreEasyToGuess,
}

/// zxcvbn's suggestions as codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Suggestion {
    UseAFewWordsAvoidCommonPhrases,
    NoNeedForSymbolsDigitsOrUppercaseLetters,
    AddAnotherWordOrTwo,
    CapitalizationDoesntHelpVeryMuch,
    AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase,
    ReversedWordsArentMuchHarderToGuess,
    PredictableSubstitutionsDontHelpVeryMuch,
    UseALongerKeyboardPatternWithMoreTurns,
    AvoidRepeatedWordsAndCharacters,
    AvoidSequences,
    AvoidRecentYears,
    AvoidYearsThatAreAssociatedWithYou,
    AvoidDatesAndYearsThatAreAssociatedWithYou,
}

/// The message a page sends the estimator worker (`{ id, password, userInputs }`,
/// read by the worker from the browser's JSON). Its `Debug` hides the password.
#[derive(Clone)]
pub struct EstimateRequest {
    /// Matches the reply to the request.
    pub id: u32,
    pub password: String,
    /// The user's name, id, e-mail and the like: a password made of them is weak.
    pub user_inputs: Vec<String>,
}

impl std::fmt::Debug for EstimateRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EstimateRequest")
            .field("id", &self.id)
            .field("password", &"***")
            .field("user_inputs", &self.user_inputs)
            .finish()
    }
}

/// The worker's reply.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EstimateReply {
    pub id: u32,
    #[serde(flatten)]
    pub estimate: Estimate,
}

/// Scores `password` with zxcvbn, treating `user_inputs` as known words.
///
/// Pure: the same inputs always give the same estimate. Only the first
/// [`MAX_ANALYSED_CHARS`] characters are analysed, which bounds the time a
/// pasted 256-character password takes (a few milliseconds natively).
#[cfg(feature = "zxcvbn")]
pub fn estimate<S: AsRef<str>>(password: &str, user_inputs: &[S]) -> Estimate {
    let analysed: String = password.chars().take(MAX_ANALYSED_CHARS).collect();
    let truncated = analysed.len() < password.len();
    // zxcvbn lowercases dictionary words; user inputs are matched whole, so
    // split names and e-mail addresses into their parts as well.
    let mut words: Vec<String> = Vec::new();
    for input in user_inputs {
        let input = input.as_ref().trim().to_lowercase();
        if input.is_empty() {
            continue;
        }
        for part in input.split(|c: char| !c.is_alphanumeric()) {
            if part.chars().count() >= 3 && !words.iter().any(|w| w == part) {
                words.push(part.to_string());
            }
        }
        if !words.contains(&input) {
            words.push(input);
        }
    }
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let entropy = zxcvbn::zxcvbn(&analysed, &words);
    let feedback = entropy.feedback();
    let crack_time_seconds = match entropy.crack_times().offline_slow_hashing_1e4_per_second() {
        zxcvbn::time_estimates::CrackTimeSeconds::Integer(n) => n as f64,
        zxcvbn::time_estimates::CrackTimeSeconds::Float(f) => f,
    };
    Estimate {
        score: u8::from(entropy.score()),
        guesses_log10: if password.is_empty() {
            0.0
        } else {
            entropy.guesses_log10()
        },
        warning: feedback.and_then(|f| f.warning()).map(Warning::from),
        suggestions: feedback
            .map(|f| {
                f.suggestions()
                    .iter()
                    .copied()
                    .map(Suggestion::from)
                    .collect()
            })
            .unwrap_or_default(),
        crack_time_seconds,
        truncated,
    }
}

#[cfg(feature = "zxcvbn")]
impl From<zxcvbn::feedback::Warning> for Warning {
    fn from(w: zxcvbn::feedback::Warning) -> Self {
        use zxcvbn::feedback::Warning as Z;
        match w {
            Z::StraightRowsOfKeysAreEasyToGuess => Self::StraightRowsOfKeysAreEasyToGuess,
            Z::ShortKeyboardPatternsAreEasyToGuess => Self::ShortKeyboardPatternsAreEasyToGuess,
            Z::RepeatsLikeAaaAreEasyToGuess => Self::RepeatsLikeAaaAreEasyToGuess,
            Z::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => {
                Self::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess
            }
            Z::ThisIsATop10Password => Self::ThisIsATop10Password,
            Z::ThisIsATop100Password => Self::ThisIsATop100Password,
            Z::ThisIsACommonPassword => Self::ThisIsACommonPassword,
            Z::ThisIsSimilarToACommonlyUsedPassword => Self::ThisIsSimilarToACommonlyUsedPassword,
            Z::SequencesLikeAbcAreEasyToGuess => Self::SequencesLikeAbcAreEasyToGuess,
            Z::RecentYearsAreEasyToGuess => Self::RecentYearsAreEasyToGuess,
            Z::AWordByItselfIsEasyToGuess => Self::AWordByItselfIsEasyToGuess,
            Z::DatesAreOftenEasyToGuess => Self::DatesAreOftenEasyToGuess,
            Z::NamesAndSurnamesByThemselvesAreEasyToGuess => {
                Self::NamesAndSurnamesByThemselvesAreEasyToGuess
            }
            Z::CommonNamesAndSurnamesAreEasyToGuess => Self::CommonNamesAndSurnamesAreEasyToGuess,
        }
    }
}

#[cfg(feature = "zxcvbn")]
impl From<zxcvbn::feedback::Suggestion> for Suggestion {
    fn from(s: zxcvbn::feedback::Suggestion) -> Self {
        use zxcvbn::feedback::Suggestion as Z;
        match s {
            Z::UseAFewWordsAvoidCommonPhrases => Self::UseAFewWordsAvoidCommonPhrases,
            Z::NoNeedForSymbolsDigitsOrUppercaseLetters => {
                Self::NoNeedForSymbolsDigitsOrUppercaseLetters
            }
            Z::AddAnotherWordOrTwo => Self::AddAnotherWordOrTwo,
            Z::CapitalizationDoesntHelpVeryMuch => Self::CapitalizationDoesntHelpVeryMuch,
            Z::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase => {
                Self::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase
            }
            Z::ReversedWordsArentMuchHarderToGuess => Self::ReversedWordsArentMuchHarderToGuess,
            Z::PredictableSubstitutionsDontHelpVeryMuch => {
                Self::PredictableSubstitutionsDontHelpVeryMuch
            }
            Z::UseALongerKeyboardPatternWithMoreTurns => {
                Self::UseALongerKeyboardPatternWithMoreTurns
            }
            Z::AvoidRepeatedWordsAndCharacters => Self::AvoidRepeatedWordsAndCharacters,
            Z::AvoidSequences => Self::AvoidSequences,
            Z::AvoidRecentYears => Self::AvoidRecentYears,
            Z::AvoidYearsThatAreAssociatedWithYou => Self::AvoidYearsThatAreAssociatedWithYou,
            Z::AvoidDatesAndYearsThatAreAssociatedWithYou => {
                Self::AvoidDatesAndYearsThatAreAssociatedWithYou
            }
        }
    }
}

#[cfg(all(test, feature = "zxcvbn"))]
mod tests {
    use super::*;

    #[test]
    fn common_passwords_score_low_with_a_warning() {
        let e = estimate("password1", &[] as &[&str]);
        assert!(e.score <= 1, "{e:?}");
        assert!(e.warning.is_some());
        assert!(!e.suggestions.is_empty());
    }

    #[test]
    fn long_random_passwords_score_four() {
        let e = estimate("vB7#qL2!mZ9@xW4$", &[] as &[&str]);
        assert_eq!(e.score, 4, "{e:?}");
        assert!(e.guesses_log10 > 10.0);
        assert!(!e.truncated);
    }

    #[test]
    fn the_users_own_name_makes_a_password_weak() {
        let inputs = ["Diane Prescott", "u-1042", "diane@contoso.com"];
        let with = estimate("prescottdiane", &inputs);
        let without = estimate("prescottdiane", &[] as &[&str]);
        assert!(
            with.guesses_log10 < without.guesses_log10,
            "{with:?} vs {without:?}"
        );
        assert!(with.score <= 2, "{with:?}");
    }

    #[test]
    fn only_the_first_hundred_characters_are_analysed() {
        let long = "correct-Horse7battery!staple-Quokka9-".repeat(7);
        let e = estimate(&long, &[] as &[&str]);
        assert!(e.truncated);
        let first: String = long.chars().take(MAX_ANALYSED_CHARS).collect();
        assert_eq!(
            e.guesses_log10,
            estimate(&first, &[] as &[&str]).guesses_log10
        );
    }

    #[test]
    fn the_empty_password_scores_zero() {
        let e = estimate("", &[] as &[&str]);
        assert_eq!(e.score, 0);
        assert_eq!(e.guesses_log10, 0.0);
    }

    #[test]
    fn a_request_never_prints_its_password() {
        let request = EstimateRequest {
            id: 1,
            password: "Hunter2-Secret".into(),
            user_inputs: vec!["diane".into()],
        };
        let shown = format!("{request:?}");
        assert!(!shown.contains("Hunter2"), "{shown}");
        assert!(shown.contains("diane"), "{shown}");
    }

    #[test]
    fn the_same_password_always_gets_the_same_estimate() {
        // Passwords whose reading upstream zxcvbn took from its hash maps'
        // random order (the fork's maps have a fixed hasher): the warning,
        // and for the long ones the guesses, changed from call to call.
        let inputs = ["Diane Prescott", "u-1042", "diane@contoso.com"];
        for password in [
            "123456789prescott",
            "diane.prescott1969Contoso",
            "river.Master.spring33prescott",
            "GVYXYZN3D8GMCIR33U",
            "Prescott-Diane-2026",
        ] {
            let first = estimate(password, &inputs);
            for _ in 0..30 {
                assert_eq!(estimate(password, &inputs), first, "{password}");
            }
        }
    }

    #[test]
    fn replies_travel_as_camel_case_json() {
        let reply = EstimateReply {
            id: 7,
            estimate: estimate("qwerty", &[] as &[&str]),
        };
        let json = serde_json::to_string(&reply).unwrap();
        assert!(json.contains("\"guessesLog10\""), "{json}");
        assert!(json.contains("\"id\":7"));
        let back: EstimateReply = serde_json::from_str(&json).unwrap();
        assert_eq!(back.estimate, reply.estimate);
    }
}
