//! The parts of zxcvbn this repository's fork (`vendor/zxcvbn`, FORK.md)
//! rewrote, against what upstream 3.1.1 used, on generated strings: the
//! repeat finder against fancy-regex's `(.+)\1+`, `(.+?)\1+` and `^(.+?)\1+$`,
//! and the regexes under regex-lite against upstream's patterns under regex.
//! The rest of the crate is upstream's, unchanged, so equal parts give equal
//! estimates.

#[path = "../../vendor/zxcvbn/src/matching/regexes.rs"]
mod regexes;
#[path = "../../vendor/zxcvbn/src/matching/repeat.rs"]
mod repeat;

use proptest::prelude::*;

/// Characters that make repeats, dates and years likely, with a newline,
/// non-ASCII letters and Unicode spaces (which regex and regex-lite see differently).
const ALPHABET: &[char] = &[
    'a', 'b', 'c', 'A', '\n', '\r', 'é', '日', '0', '1', '2', '9', ' ', '\t', '\u{a0}', '\u{3000}',
    '\u{2009}', '\u{85}', '\u{feff}', '/', '\\', '.', '-', '_', ',',
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ALPHABET), 0..24)
        .prop_map(|c| c.into_iter().collect())
}

/// A repeat as fancy-regex reports it, in characters.
fn fancy(pattern: &str, s: &str) -> Option<repeat::Repeat> {
    let re = fancy_regex::Regex::new(pattern).unwrap();
    let caps = re.captures(s).unwrap()?;
    let (whole, base) = (caps.get(0).unwrap(), caps.get(1).unwrap());
    Some(repeat::Repeat {
        start: s[..whole.start()].chars().count(),
        base_len: base.as_str().chars().count(),
        total_len: whole.as_str().chars().count(),
    })
}

fn check_repeats(s: &str) {
    let chars: Vec<char> = s.chars().collect();
    let greedy = repeat::leftmost(&chars, true);
    assert_eq!(greedy, fancy(r"(.+)\1+", s), "greedy on {s:?}");
    assert_eq!(
        repeat::leftmost(&chars, false),
        fancy(r"(.+?)\1+", s),
        "lazy on {s:?}"
    );
    if let Some(g) = greedy {
        let whole: String = chars[g.start..g.end()].iter().collect();
        let shortest = fancy(r"^(.+?)\1+$", &whole).expect("a repeat is made of its base");
        assert_eq!(
            repeat::shortest_base(&chars[g.start..g.end()]),
            shortest.base_len,
            "shortest base of {whole:?}"
        );
    }
}

fn check_regexes(s: &str) {
    let year_upstream = regex::Regex::new(regexes::RECENT_YEAR).unwrap();
    let year_fork = regex_lite::Regex::new(regexes::RECENT_YEAR).unwrap();
    let spans = |it: Vec<(usize, usize)>| it;
    assert_eq!(
        spans(
            year_upstream
                .find_iter(s)
                .map(|m| (m.start(), m.end()))
                .collect()
        ),
        spans(
            year_fork
                .find_iter(s)
                .map(|m| (m.start(), m.end()))
                .collect()
        ),
        "recent years in {s:?}"
    );
    let plain_upstream = regex::Regex::new(regexes::MAYBE_DATE_NO_SEPARATOR).unwrap();
    let plain_fork = regex_lite::Regex::new(regexes::MAYBE_DATE_NO_SEPARATOR).unwrap();
    assert_eq!(
        plain_upstream.is_match(s),
        plain_fork.is_match(s),
        "date without separator: {s:?}"
    );
    let upstream = regex::Regex::new(regexes::UPSTREAM_MAYBE_DATE_WITH_SEPARATOR).unwrap();
    let fork = regex_lite::Regex::new(regexes::MAYBE_DATE_WITH_SEPARATOR).unwrap();
    let groups_upstream = upstream.captures(s).map(|c| {
        c.iter()
            .map(|g| g.map(|g| g.as_str().to_string()))
            .collect::<Vec<_>>()
    });
    let groups_fork = fork.captures(s).map(|c| {
        c.iter()
            .map(|g| g.map(|g| g.as_str().to_string()))
            .collect::<Vec<_>>()
    });
    assert_eq!(groups_upstream, groups_fork, "date with separators: {s:?}");
}

#[test]
fn known_repeats() {
    for s in [
        "",
        "a",
        "aa",
        "aaaaa",
        "aabaab",
        "aabaabaabaab",
        "abab\nabab",
        "ab\nab",
        "a\n\na",
        "xyzxyzxy",
        "ababababa",
        "abcabcabcabcd",
        "zzzz-yyyy",
        "日本日本",
        "éé",
        "correct horse correct horse",
    ] {
        check_repeats(s);
    }
}

#[test]
fn known_dates_and_years() {
    for s in [
        "1991",
        "13/02/1987",
        "1.2.1991",
        "01-01-91",
        "1\u{a0}2\u{a0}1991",
        "1\u{3000}2\u{3000}91",
        "1\u{85}2\u{85}91",
        "1\u{feff}2\u{feff}91",
        "1 2-1991",
        "Orange2026",
        "19999",
        "2020 1899",
    ] {
        check_regexes(s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn repeats_are_found_as_fancy_regex_found_them(s in text()) {
        check_repeats(&s);
    }

    #[test]
    fn regexes_match_as_upstreams_did(s in text()) {
        check_regexes(&s);
    }
}
