//! Property tests of the generator (native, `cargo test`): for any valid
//! options the password is what was asked for, and invalid options give an
//! error, never a panic.
#![cfg(not(target_arch = "wasm32"))]

use password_reset_widget::core::generator::{
    eff_words, generate, CharClass, CharacterOptions, ClassRule, GeneratorOptions,
    PassphraseOptions,
};
use password_reset_widget::core::random::OsRandom;
use proptest::prelude::*;

fn class_rule() -> impl Strategy<Value = ClassRule> {
    (any::<bool>(), 0usize..4).prop_map(|(enabled, min)| ClassRule {
        enabled,
        min: if enabled { min } else { 0 },
    })
}

fn character_options() -> impl Strategy<Value = CharacterOptions> {
    (
        1usize..140,
        class_rule(),
        class_rule(),
        class_rule(),
        class_rule(),
        any::<bool>(),
    )
        .prop_map(
            |(length, lowercase, uppercase, digits, symbols, avoid_look_alikes)| CharacterOptions {
                length,
                lowercase,
                uppercase,
                digits,
                symbols,
                avoid_look_alikes,
            },
        )
}

/// Entropy by inclusion-exclusion, independent of the generator's own count,
/// for minimums of 0 or 1: all strings minus those missing a required class.
fn entropy_by_inclusion_exclusion(o: &CharacterOptions) -> Option<f64> {
    let classes: Vec<(usize, usize)> = CharClass::ALL
        .into_iter()
        .map(|c| (o.alphabet_of(c).len(), o.rule_for(c)))
        .filter(|(_, r)| r.enabled)
        .map(|(n, r)| (n, r.min))
        .collect();
    if classes.iter().any(|(_, min)| *min > 1) {
        return None;
    }
    let total: usize = classes.iter().map(|(n, _)| n).sum();
    let required: Vec<usize> = classes
        .iter()
        .filter(|(_, m)| *m == 1)
        .map(|(n, _)| *n)
        .collect();
    // Sum over subsets S of required classes of (-1)^|S| (total - size(S))^L, scaled by total^L.
    let mut ratio = 0f64;
    for mask in 0u32..(1 << required.len()) {
        let removed: usize = (0..required.len())
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| required[i])
            .sum();
        let sign = if mask.count_ones() % 2 == 0 {
            1.0
        } else {
            -1.0
        };
        ratio += sign * ((total - removed) as f64 / total as f64).powi(o.length as i32);
    }
    Some(o.length as f64 * (total as f64).log2() + ratio.log2())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn character_passwords_are_what_was_asked_for(options in character_options()) {
        let wrapped = GeneratorOptions::Characters(options.clone());
        match generate(&wrapped, &mut OsRandom) {
            Err(e) => {
                // Refused with a reason, and consistently so.
                prop_assert!(!e.to_string().is_empty());
                prop_assert!(options.entropy_bits().is_err());
            }
            Ok(g) => {
                let p = g.password.expose();
                prop_assert_eq!(p.chars().count(), options.length);
                for class in CharClass::ALL {
                    let rule = options.rule_for(class);
                    let alphabet = options.alphabet_of(class);
                    let count = p.chars().filter(|c| alphabet.contains(c)).count();
                    if rule.enabled {
                        prop_assert!(count >= rule.min, "{:?}: {} < {}", class, count, rule.min);
                    } else {
                        prop_assert_eq!(count, 0, "{:?} is off", class);
                    }
                }
                let allowed: Vec<char> = CharClass::ALL
                    .into_iter()
                    .filter(|c| options.rule_for(*c).enabled)
                    .flat_map(|c| options.alphabet_of(c))
                    .collect();
                prop_assert!(p.chars().all(|c| allowed.contains(&c)), "only allowed characters");
                prop_assert_eq!(g.entropy_bits, options.entropy_bits().unwrap());
                if let Some(expected) = entropy_by_inclusion_exclusion(&options) {
                    prop_assert!((g.entropy_bits - expected).abs() < 1e-6, "{} vs {}", g.entropy_bits, expected);
                }
            }
        }
    }

    #[test]
    fn passphrases_are_what_was_asked_for(
        words in 0usize..16,
        separator in prop::sample::select(vec!["-", " ", ".", "_", "", "and", "1234"]),
        capitalize in any::<bool>(),
        append_digit in any::<bool>(),
    ) {
        let options = PassphraseOptions { words, separator: separator.to_string(), capitalize, append_digit };
        match generate(&GeneratorOptions::Passphrase(options.clone()), &mut OsRandom) {
            Err(e) => prop_assert!(!e.to_string().is_empty()),
            Ok(g) => {
                let expected = words as f64 * 7776f64.log2() + if append_digit { 10f64.log2() } else { 0.0 };
                prop_assert!((g.entropy_bits - expected).abs() < 1e-9);
                prop_assert!(
                    splits_into_words(&g.password.expose().to_lowercase(), separator, words, append_digit),
                    "not {} EFF words joined by {:?}",
                    words,
                    separator
                );
            }
        }
    }
}

/// True when `text` is exactly `n` EFF words joined by `separator` (plus a
/// final digit). Parsed, not split: a few EFF words hold a hyphen ("t-shirt").
fn splits_into_words(text: &str, separator: &str, n: usize, digit: bool) -> bool {
    let body = if digit {
        match text.strip_suffix(|c: char| c.is_ascii_digit()) {
            Some(b) => b,
            None => return false,
        }
    } else {
        text
    };
    let words: Vec<&str> = eff_words().collect();
    fn parse(rest: &str, left: usize, sep: &str, words: &[&str]) -> bool {
        if left == 0 {
            return rest.is_empty();
        }
        words.iter().any(|w| {
            rest.strip_prefix(w).is_some_and(|after| {
                if left == 1 {
                    after.is_empty()
                } else {
                    after
                        .strip_prefix(sep)
                        .is_some_and(|r| parse(r, left - 1, sep, words))
                }
            })
        })
    }
    parse(body, n, separator, &words)
}
