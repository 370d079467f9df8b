//! How a password's text is compared, counted and stored, as NIST SP
//! 800-63B advises: normalised to NFKC (so the same password typed on
//! another keyboard or pasted from another program is the same password),
//! and never with control or format characters (a NUL cuts strings short in
//! C code downstream; U+202E reverses what an admin sees).
//!
//! The widget and the server must agree on both. Natively (the reference
//! backend, the tests) NFKC comes from the `unicode-normalization` crate; in
//! the browser from `String.prototype.normalize`, which costs the WebAssembly
//! module nothing. [`CASES`] is the table both sides are tested against.

use zeroize::Zeroizing;

/// `password` in Unicode Normalization Form KC, in a buffer wiped when
/// dropped (it is a copy of a password).
#[cfg(not(target_arch = "wasm32"))]
pub fn nfkc(password: &str) -> Zeroizing<String> {
    use unicode_normalization::UnicodeNormalization;
    Zeroizing::new(password.nfkc().collect())
}

/// `password` in Unicode Normalization Form KC (the browser's own tables).
#[cfg(target_arch = "wasm32")]
pub fn nfkc(password: &str) -> Zeroizing<String> {
    Zeroizing::new(String::from(
        js_sys::JsString::from(password).normalize("NFKC"),
    ))
}

/// Whether `c` is a control character (Unicode category Cc) or a format
/// character (Cf): invisible, or changing how the rest is shown.
pub fn is_control_or_format(c: char) -> bool {
    c.is_control() || FORMAT.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

/// Whether the password holds any character it may not.
pub fn has_control_or_format(password: &str) -> bool {
    password.chars().any(is_control_or_format)
}

/// Unicode's format characters (category Cf, Unicode 15.1), as ranges.
const FORMAT: &[(char, char)] = &[
    ('\u{00AD}', '\u{00AD}'),
    ('\u{0600}', '\u{0605}'),
    ('\u{061C}', '\u{061C}'),
    ('\u{06DD}', '\u{06DD}'),
    ('\u{070F}', '\u{070F}'),
    ('\u{0890}', '\u{0891}'),
    ('\u{08E2}', '\u{08E2}'),
    ('\u{180E}', '\u{180E}'),
    ('\u{200B}', '\u{200F}'),
    ('\u{202A}', '\u{202E}'),
    ('\u{2060}', '\u{2064}'),
    ('\u{2066}', '\u{206F}'),
    ('\u{FEFF}', '\u{FEFF}'),
    ('\u{FFF9}', '\u{FFFB}'),
    ('\u{110BD}', '\u{110BD}'),
    ('\u{110CD}', '\u{110CD}'),
    ('\u{13430}', '\u{1343F}'),
    ('\u{1BCA0}', '\u{1BCA3}'),
    ('\u{1D173}', '\u{1D17A}'),
    ('\u{E0001}', '\u{E0001}'),
    ('\u{E0020}', '\u{E007F}'),
];

/// One agreed case: a password as typed, its NFKC form, and whether it
/// holds a character that is refused.
pub struct Case {
    pub typed: &'static str,
    pub normalised: &'static str,
    pub refused: bool,
}

/// The cases the widget (in Chromium) and the server (natively, and over
/// HTTP) are both tested against.
pub const CASES: &[Case] = &[
    // Plain ASCII is its own normal form.
    Case {
        typed: "Vq8#tLm2!pZx9wRk",
        normalised: "Vq8#tLm2!pZx9wRk",
        refused: false,
    },
    // Full-width letters (an East Asian keyboard) are the ASCII ones.
    Case {
        typed: "ｐａｓｓｗｏｒｄ１２３",
        normalised: "password123",
        refused: false,
    },
    // é as one code point or as e + a combining accent: one password.
    Case {
        typed: "caf\u{00E9} au lait 42",
        normalised: "caf\u{00E9} au lait 42",
        refused: false,
    },
    Case {
        typed: "cafe\u{0301} au lait 42",
        normalised: "caf\u{00E9} au lait 42",
        refused: false,
    },
    // Ligatures and compatibility forms unfold: ﬁ is f + i, ² is 2, Ⅻ is XII.
    Case {
        typed: "\u{FB01}ve\u{00B2}\u{216B}",
        normalised: "five2XII",
        refused: false,
    },
    // The Ångström sign is the letter Å.
    Case {
        typed: "\u{212B}ngstr\u{00F6}m",
        normalised: "\u{00C5}ngstr\u{00F6}m",
        refused: false,
    },
    // A non-breaking space is a space.
    Case {
        typed: "correct\u{00A0}horse",
        normalised: "correct horse",
        refused: false,
    },
    // Emoji are kept as they are.
    Case {
        typed: "\u{1F511} kl\u{00E4}tterv\u{00E4}xt",
        normalised: "\u{1F511} kl\u{00E4}tterv\u{00E4}xt",
        refused: false,
    },
    // Control characters: NUL, TAB, DEL, a C1 control.
    Case {
        typed: "\0\0\0\0\0\0\0\0\0\0\0\0",
        normalised: "\0\0\0\0\0\0\0\0\0\0\0\0",
        refused: true,
    },
    Case {
        typed: "tab\there-and-there",
        normalised: "tab\there-and-there",
        refused: true,
    },
    Case {
        typed: "delete\u{7F}this-one",
        normalised: "delete\u{7F}this-one",
        refused: true,
    },
    Case {
        typed: "c1-control\u{85}here",
        normalised: "c1-control\u{85}here",
        refused: true,
    },
    // Format characters: right-to-left override, zero-width space, BOM, soft hyphen.
    Case {
        typed: "admin\u{202E}drowssap",
        normalised: "admin\u{202E}drowssap",
        refused: true,
    },
    Case {
        typed: "zero\u{200B}width-space",
        normalised: "zero\u{200B}width-space",
        refused: true,
    },
    Case {
        typed: "\u{FEFF}byte-order-mark",
        normalised: "\u{FEFF}byte-order-mark",
        refused: true,
    },
    Case {
        typed: "soft\u{00AD}hyphenated-word",
        normalised: "soft\u{00AD}hyphenated-word",
        refused: true,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    // In the browser (`make test-components`), the same cases hold with the
    // browser's own NFKC: the widget and the server agree.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn every_agreed_case_holds() {
        for case in CASES {
            assert_eq!(*nfkc(case.typed), case.normalised, "{:?}", case.typed);
            assert_eq!(
                has_control_or_format(case.typed),
                case.refused,
                "{:?}",
                case.typed
            );
            // Normalising never adds or removes a refused character.
            assert_eq!(has_control_or_format(case.normalised), case.refused);
        }
    }

    #[test]
    fn letters_digits_symbols_and_spaces_are_allowed() {
        for c in "aZ09 !#€ßÅ你🔑".chars() {
            assert!(!is_control_or_format(c), "{c:?}");
        }
    }
}
