//! The element API's one description (`src/embed/elements.json`, from which
//! `scripts/api.mjs` writes the `.d.ts`, the Custom Elements Manifest and the
//! README's table) against the code: the attributes `Config::read` reads for
//! each element, and the attributes `reset-widget.js` observes.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use password_reset_widget::core::config::{Config, Element, Surroundings};
use serde_json::Value;

fn description() -> Value {
    serde_json::from_str(include_str!("../src/embed/elements.json")).unwrap()
}

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// The attributes the dialog reads: all but those only the loader
/// (reset-widget.js) reads, `"readBy": "loader"` (when to load the module).
fn dialog_attributes() -> Vec<Value> {
    description()["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["readBy"] != "loader")
        .cloned()
        .collect()
}

/// Per element: the attributes the description lists for it, and those it
/// lists as read only to be refused (`refusedBy`).
fn documented(tag: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut listed = BTreeSet::new();
    let mut refused = BTreeSet::new();
    for a in &dialog_attributes() {
        if names(&a["elements"]).iter().any(|t| t == tag) {
            listed.extend(names(&a["names"]));
        }
        if names(&a["refusedBy"]).iter().any(|t| t == tag) {
            refused.extend(names(&a["names"]));
        }
    }
    (listed, refused)
}

/// A valid value for every attribute the widget knows (the bulk list only
/// when `bulk`), so that each configuration below is accepted.
fn values(generator: &str, bulk: bool) -> BTreeMap<&'static str, String> {
    let mut v: BTreeMap<&'static str, String> = [
        ("endpoint", "/api/password-resets"),
        ("step-up-endpoint", "/api/session/step-up"),
        ("user-id", "u-1042"),
        ("user-name", "Diane Prescott"),
        ("user-email", "diane@contoso.com"),
        ("deliver-to", "admin@contoso.com"),
        ("lang", "sv"),
        ("policy-url", "/api/password-policy"),
        ("min-length", "12"),
        ("max-length", "256"),
        ("min-score", "3"),
        ("require-classes", "2"),
        ("context-words", "Contoso"),
        ("blocklist-url", "/banned.txt"),
        ("length", "20"),
        ("lowercase", "on"),
        ("uppercase", "2"),
        ("digits", "on"),
        ("symbols", "off"),
        ("avoid-look-alikes", "on"),
        ("words", "6"),
        ("separator", " "),
        ("capitalize", "on"),
        ("append-digit", "on"),
        ("headers", r#"{"X-CSRF-Token": "abc"}"#),
        ("credentials", "include"),
        ("timeout-ms", "5000"),
        ("current-user-id", "u-1001"),
        ("temporary", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect();
    v.insert("generator", generator.to_string());
    if bulk {
        v.insert(
            "users",
            r#"[{"id":"u-1","name":"Adele Vance"},{"id":"u-1001","name":"Admin"}]"#.into(),
        );
    }
    v
}

/// Every attribute name `Config::read` asks for, over configurations that
/// take each of its paths (one user and bulk mode, both generators, with
/// and without a JS transport).
fn read_by(element: Element) -> BTreeSet<String> {
    let asked = RefCell::new(BTreeSet::new());
    let bulk_modes: &[bool] = if element == Element::ResetPassword {
        &[false, true]
    } else {
        &[false]
    };
    for generator in ["characters", "passphrase"] {
        for &bulk in bulk_modes {
            for has_transport in [false, true] {
                let values = values(generator, bulk);
                let around = Surroundings {
                    element,
                    has_transport,
                    ..Default::default()
                };
                let attr = |name: &str| {
                    asked.borrow_mut().insert(name.to_string());
                    values.get(name).cloned()
                };
                if let Err(e) = Config::read(attr, &around) {
                    panic!("<{}> {generator} bulk={bulk}: {e}", element.tag());
                }
            }
        }
    }
    asked.into_inner()
}

#[test]
fn each_element_reads_exactly_the_attributes_the_description_lists() {
    let tags: Vec<String> = description()["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["tag"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        tags,
        ["reset-password", "change-password", "recover-password"]
    );
    for tag in &tags {
        let element = Element::from_tag(tag).unwrap();
        let read = read_by(element);
        let (listed, refused) = documented(tag);
        let expected: BTreeSet<String> = listed.union(&refused).cloned().collect();
        let undocumented: Vec<_> = read.difference(&expected).collect();
        let unread: Vec<_> = expected.difference(&read).collect();
        assert!(
            undocumented.is_empty() && unread.is_empty(),
            "<{tag}>: read but not in src/embed/elements.json: {undocumented:?}; \
             listed there but never read: {unread:?}"
        );
    }
}

#[test]
fn a_refused_attribute_is_refused() {
    for tag in ["change-password", "recover-password"] {
        let (_, refused) = documented(tag);
        for name in refused {
            let element = Element::from_tag(tag).unwrap();
            let mut values = values("passphrase", false);
            values.insert("users", r#"[{"id":"u-1"}]"#.into());
            let around = Surroundings {
                element,
                ..Default::default()
            };
            let e = Config::read(|n| values.get(n).cloned(), &around).unwrap_err();
            assert_eq!(e.attribute, name, "<{tag}>");
        }
    }
}

/// `const NAME = [ 'a', 'b', ... ];` in reset-widget.js, as a set.
fn js_list(name: &str) -> BTreeSet<String> {
    let js = include_str!("../src/embed/reset-widget.js");
    let start = js
        .find(&format!("const {name} = ["))
        .unwrap_or_else(|| panic!("reset-widget.js has no `const {name} = [`"));
    let body = &js[start..];
    let body = &body[body.find('[').unwrap() + 1..body.find("];").unwrap()];
    body.split(',')
        .map(|s| s.trim().trim_matches(['\'', '"']))
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn reset_widget_js_observes_every_described_attribute() {
    let d = description();
    let all: BTreeSet<String> = d["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| names(&a["names"]))
        .collect();
    assert_eq!(js_list("ATTRIBUTES"), all, "ATTRIBUTES in reset-widget.js");
    let transport: BTreeSet<String> = d["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["group"] == "transport")
        .flat_map(|a| names(&a["names"]))
        .collect();
    assert_eq!(
        js_list("LIVE_ATTRIBUTES"),
        transport,
        "LIVE_ATTRIBUTES in reset-widget.js: the transport group"
    );
}

/// The defaults the description states (and the README, the `.d.ts` and the
/// manifest repeat) are those the parser applies when an attribute is absent.
#[test]
fn the_described_defaults_are_the_parsers() {
    use password_reset_widget::core::config::Credentials;
    use password_reset_widget::core::generator::GeneratorOptions;
    let on = |b: bool| if b { "on" } else { "off" }.to_string();
    let read = |generator: Option<&str>| {
        Config::read(
            |n| match n {
                "endpoint" => Some("/x".into()),
                "user-id" => Some("u".into()),
                "generator" => generator.map(String::from),
                _ => None,
            },
            &Surroundings::default(),
        )
        .unwrap()
    };
    let c = read(None);
    let GeneratorOptions::Characters(chars) = &c.generator else {
        panic!("characters by default")
    };
    let GeneratorOptions::Passphrase(phrase) = read(Some("passphrase")).generator else {
        panic!("a passphrase")
    };
    let actual: BTreeMap<&str, String> = [
        ("min-length", c.policy.min_length.to_string()),
        ("max-length", c.policy.max_length.to_string()),
        ("min-score", c.policy.min_score.to_string()),
        ("require-classes", c.policy.require_classes.to_string()),
        ("generator", "characters".into()),
        ("length", chars.length.to_string()),
        ("lowercase", on(chars.lowercase.enabled)),
        ("uppercase", on(chars.uppercase.enabled)),
        ("digits", on(chars.digits.enabled)),
        ("symbols", on(chars.symbols.enabled)),
        ("avoid-look-alikes", on(chars.avoid_look_alikes)),
        ("words", phrase.words.to_string()),
        ("separator", phrase.separator.clone()),
        ("capitalize", on(phrase.capitalize)),
        ("append-digit", on(phrase.append_digit)),
        ("timeout-ms", c.transport.timeout_ms.to_string()),
        (
            "credentials",
            match c.transport.credentials {
                Credentials::SameOrigin => "same-origin",
                Credentials::Include => "include",
                Credentials::Omit => "omit",
            }
            .into(),
        ),
    ]
    .into_iter()
    .collect();
    let described: BTreeMap<String, String> = dialog_attributes()
        .iter()
        .filter_map(|a| Some((a["names"].clone(), a["default"].as_str()?.to_string())))
        .flat_map(|(list, d)| names(&list).into_iter().map(move |n| (n, d.clone())))
        .collect();
    let described: BTreeMap<&str, String> = described
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    assert_eq!(described, actual, "defaults in src/embed/elements.json");
}
