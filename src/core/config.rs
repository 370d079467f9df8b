//! The element's attributes (and the JS API's options), read and checked
//! before anything is shown.

use serde::Deserialize;

use super::bulk::{parse_users, BulkUser, BulkUsers};
use super::generator::{
    CharacterOptions, ClassRule, GeneratorOptions, PassphraseOptions, DEFAULT_LENGTH,
    DEFAULT_WORDS, MAX_LENGTH, MAX_WORDS, MIN_LENGTH, MIN_WORDS,
};
use super::policy::{
    classes_used, Policy, UserWords, DEFAULT_MAX_LENGTH, DEFAULT_MIN_LENGTH, DEFAULT_MIN_SCORE,
    LOWEST_MAX_LENGTH,
};
use super::recipients::{parse_recipients, BadAddress};
use super::strength::Strength;

/// Everything the dialog needs from its element.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The dialog's language tag (`lang` of the element or its closest ancestor).
    pub lang: String,
    pub endpoint: String,
    /// Where the admin confirms their own password when a reset of an
    /// administrator asks for it (attribute `step-up-endpoint`; by default
    /// `session/step-up` next to `endpoint`, see [`default_step_up_endpoint`]).
    pub step_up_endpoint: String,
    /// Whose password is reset: one user, or many.
    pub subject: Subject,
    /// The organisation's own words (attribute `context-words`).
    pub context_words: Vec<String>,
    /// `<change-password temporary>`: the current password is the temporary
    /// one an administrator set.
    pub temporary: bool,
    pub deliver_to: Vec<String>,
    pub policy: Policy,
    pub generator: GeneratorOptions,
    /// A newline-separated list of refused passwords, fetched once.
    pub blocklist_url: Option<String>,
    /// Where the backend serves its policy (`schema/password-policy.schema.json`);
    /// read before the dialog shows, it replaces the policy attributes.
    pub policy_url: Option<String>,
    pub transport: TransportOptions,
}

/// The policy a backend serves at `policy-url` (camelCase, as the JS API's).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServedPolicy {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub min_score: Option<u8>,
    pub require_classes: Option<u8>,
    #[serde(default)]
    pub context_words: Vec<String>,
    /// Relative to the policy's own URL.
    #[serde(default)]
    pub blocklist_url: Option<String>,
}

impl Config {
    /// This configuration under the policy its backend serves: the served
    /// numbers and blocklist replace the policy attributes (`min-length`,
    /// `max-length`, `min-score`, `require-classes`, `blocklist-url`), so the
    /// dialog checks what the server enforces; the served context words are
    /// added to the element's. `blocklist_url` is the served one, resolved.
    /// A generator left shorter than the served minimum is lengthened; one
    /// that cannot meet the policy (a served minimum past its maximum) is a
    /// configuration error naming `policy-url`.
    pub fn with_served_policy(
        mut self,
        served: ServedPolicy,
        blocklist_url: Option<String>,
    ) -> Result<Config, ConfigError> {
        let named = |e: ConfigError| error("policy-url", format!("{}: {}", e.attribute, e.message));
        let policy = PolicySettings {
            min_length: served.min_length,
            max_length: served.max_length,
            min_score: served.min_score,
            require_classes: served.require_classes,
        }
        .to_policy()
        .map_err(named)?;
        self.generator = self.generator.at_least(policy.min_length);
        check_generator_meets_policy(&self.generator, &policy).map_err(named)?;
        for word in served.context_words {
            if !self.context_words.contains(&word) {
                self.context_words.push(word);
            }
        }
        if let Subject::One(user) = &mut self.subject {
            user.context = self.context_words.clone();
        }
        self.policy = policy;
        self.blocklist_url = blocklist_url;
        Ok(self)
    }
}

/// Whose password the dialog sets.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    /// One user (attributes `user-id`, `user-name`, `user-email`): the user
    /// an administrator resets, or the signed-in user changing their own.
    One(UserWords),
    /// Many users (attribute `users`), without the signed-in admin.
    Many(BulkUsers),
    /// Whoever the login typed into `<recover-password>` names.
    Login,
}

/// Which element is configured: they share every attribute but their own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Element {
    /// `<reset-password>`: an administrator resets one or many users' passwords.
    #[default]
    ResetPassword,
    /// `<change-password>`: a signed-in user changes their own password.
    ChangePassword,
    /// `<recover-password>`: a user who forgot their password recovers it.
    RecoverPassword,
}

impl Element {
    /// The element for a tag name, if it is one of ours.
    pub fn from_tag(tag: &str) -> Option<Self> {
        match tag.to_ascii_lowercase().as_str() {
            "reset-password" => Some(Self::ResetPassword),
            "change-password" => Some(Self::ChangePassword),
            "recover-password" => Some(Self::RecoverPassword),
            _ => None,
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Self::ResetPassword => "reset-password",
            Self::ChangePassword => "change-password",
            Self::RecoverPassword => "recover-password",
        }
    }
}

impl Config {
    /// The words a password for `user` must avoid and the estimator knows.
    pub fn words_for(&self, user: &BulkUser) -> UserWords {
        UserWords {
            user_id: user.id.clone(),
            name: user.name.clone(),
            email: user.email.clone(),
            context: self.context_words.clone(),
        }
    }
}

/// How the request travels (attributes `headers`, `credentials`, `timeout-ms`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportOptions {
    /// Extra request headers, e.g. a CSRF token.
    pub headers: Vec<(String, String)>,
    pub credentials: Credentials,
    pub timeout_ms: u32,
}

impl Default for TransportOptions {
    fn default() -> Self {
        Self {
            headers: Vec::new(),
            credentials: Credentials::SameOrigin,
            timeout_ms: DEFAULT_TIMEOUT_MS,
        }
    }
}

pub const DEFAULT_TIMEOUT_MS: u32 = 15_000;

/// The fetch `credentials` mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credentials {
    SameOrigin,
    Include,
    Omit,
}

/// Headers the widget sets itself; the `headers` attribute may not replace them.
const RESERVED_HEADERS: [&str; 4] = [
    "content-type",
    "accept",
    "idempotency-key",
    "content-length",
];

/// A header's value as written in the `headers` attribute: only a string is a
/// header value; anything else is reported by the header's name.
#[derive(Deserialize)]
#[serde(untagged)]
enum HeaderValue {
    Text(String),
    Other(serde::de::IgnoredAny),
}

fn parse_headers(text: &str) -> Result<Vec<(String, String)>, ConfigError> {
    let object: std::collections::BTreeMap<String, HeaderValue> = super::json::from_str(text)
        .map_err(|_| {
            error(
                "headers",
                "must be a JSON object of header names to strings, such as {\"X-CSRF-Token\": \"…\"}",
            )
        })?;
    let mut headers = Vec::new();
    for (name, value) in object {
        let valid_name = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !valid_name {
            return Err(error("headers", format!("\"{name}\" is not a header name")));
        }
        if RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            return Err(error(
                "headers",
                format!("\"{name}\" is set by the widget itself"),
            ));
        }
        let HeaderValue::Text(value) = value else {
            return Err(error(
                "headers",
                format!("the value of \"{name}\" must be a string"),
            ));
        };
        if value.contains(['\r', '\n']) {
            return Err(error(
                "headers",
                format!("the value of \"{name}\" holds a line break"),
            ));
        }
        headers.push((name, value));
    }
    Ok(headers)
}

fn transport_options<F: Fn(&str) -> Option<String>>(
    a: &Attributes<F>,
) -> Result<TransportOptions, ConfigError> {
    Ok(TransportOptions {
        headers: a
            .text("headers")
            .map(|h| parse_headers(&h))
            .transpose()?
            .unwrap_or_default(),
        credentials: match a.text("credentials").as_deref() {
            None | Some("same-origin") => Credentials::SameOrigin,
            Some("include") => Credentials::Include,
            Some("omit") => Credentials::Omit,
            Some(other) => {
                return Err(error(
                    "credentials",
                    format!("\"{other}\" must be same-origin, include or omit"),
                ))
            }
        },
        timeout_ms: a.number("timeout-ms", DEFAULT_TIMEOUT_MS, 1_000..=600_000)?,
    })
}

impl TransportOptions {
    /// Reads `headers`, `credentials` and `timeout-ms`. These are read again
    /// for every request, so a page can renew a CSRF token after the admin
    /// signed in again without the dialog losing its state.
    pub fn from_attributes(attr: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        transport_options(&Attributes(attr))
    }
}

/// The step-up endpoint when the page names none: `session/step-up`
/// resolved against the reset endpoint as a relative URL would be, so
/// `/api/password-resets` gives `/api/session/step-up` (the reference
/// backend's) and `https://api.contoso.com/v1/resets?x=1` gives
/// `https://api.contoso.com/v1/session/step-up`.
pub fn default_step_up_endpoint(endpoint: &str) -> String {
    const STEP_UP: &str = "session/step-up";
    let path_end = endpoint.find(['?', '#']).unwrap_or(endpoint.len());
    let base = &endpoint[..path_end];
    // An absolute URL's last `/` must come after its host.
    let path_start = base.find("://").map_or(0, |i| {
        base[i + 3..].find('/').map_or(base.len(), |j| i + 3 + j)
    });
    match base[path_start..].rfind('/') {
        Some(i) => format!("{}{STEP_UP}", &base[..path_start + i + 1]),
        None if path_start > 0 => format!("{base}/{STEP_UP}"),
        None => STEP_UP.to_string(),
    }
}

/// Passwords travel only over HTTPS: an `http:` endpoint is refused unless the
/// page itself is on this machine (localhost, 127.0.0.1, ::1), as in development.
pub fn check_endpoint_security(
    resolved_endpoint: &str,
    page_hostname: &str,
) -> Result<(), ConfigError> {
    let local = matches!(page_hostname, "localhost" | "127.0.0.1" | "[::1]" | "::1");
    if resolved_endpoint.to_ascii_lowercase().starts_with("http:") && !local {
        return Err(error(
            "endpoint",
            format!("{resolved_endpoint} is not HTTPS: passwords are sent only over HTTPS (http: is allowed on localhost only)"),
        ));
    }
    Ok(())
}

/// A configuration mistake, named by its attribute, shown inside the element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub attribute: &'static str,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "<reset-password>: attribute `{}`: {}",
            self.attribute, self.message
        )
    }
}

impl std::error::Error for ConfigError {}

fn error(attribute: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        attribute,
        message: message.into(),
    }
}

/// Reads attributes by name, trimmed, with empty values treated as absent.
struct Attributes<F: Fn(&str) -> Option<String>>(F);

impl<F: Fn(&str) -> Option<String>> Attributes<F> {
    fn text(&self, name: &str) -> Option<String> {
        (self.0)(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    fn number<T>(
        &self,
        name: &'static str,
        default: T,
        range: std::ops::RangeInclusive<T>,
    ) -> Result<T, ConfigError>
    where
        T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
    {
        let Some(text) = self.text(name) else {
            return Ok(default);
        };
        let value: T = text
            .parse()
            .map_err(|_| error(name, format!("\"{text}\" is not a whole number")))?;
        if !range.contains(&value) {
            return Err(error(
                name,
                format!(
                    "{value} is out of range ({} to {})",
                    range.start(),
                    range.end()
                ),
            ));
        }
        Ok(value)
    }

    fn switch(&self, name: &'static str, default: bool) -> Result<bool, ConfigError> {
        match self.text(name).map(|t| t.to_ascii_lowercase()).as_deref() {
            None => Ok(default),
            Some("on" | "true" | "yes") => Ok(true),
            Some("off" | "false" | "no") => Ok(false),
            Some(other) => Err(error(
                name,
                format!("\"{other}\" must be \"on\" or \"off\""),
            )),
        }
    }

    /// A class attribute: `on`, `off`, or a minimum count (which implies on).
    fn class(&self, name: &'static str, length: usize) -> Result<ClassRule, ConfigError> {
        match self.text(name).map(|t| t.to_ascii_lowercase()).as_deref() {
            None | Some("on" | "true" | "yes") => Ok(ClassRule::ON),
            Some("off" | "false" | "no") => Ok(ClassRule::OFF),
            Some(n) => match n.parse::<usize>() {
                Ok(min) if min <= length => Ok(ClassRule { enabled: true, min }),
                _ => Err(error(
                    name,
                    format!("\"{n}\" must be \"on\", \"off\" or a minimum count up to the length"),
                )),
            },
        }
    }
}

/// Generator options as the JS API's `generatePassword(options)` takes them
/// (camelCase keys, all optional). Classes are `true`, `false` or a minimum count.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GeneratorSettings {
    pub kind: Option<String>,
    pub length: Option<usize>,
    pub lowercase: Option<ClassSetting>,
    pub uppercase: Option<ClassSetting>,
    pub digits: Option<ClassSetting>,
    pub symbols: Option<ClassSetting>,
    pub avoid_look_alikes: Option<bool>,
    pub words: Option<usize>,
    pub separator: Option<String>,
    pub capitalize: Option<bool>,
    pub append_digit: Option<bool>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(untagged)]
pub enum ClassSetting {
    Enabled(bool),
    AtLeast(usize),
}

impl GeneratorSettings {
    /// Turns JS API options into attribute values, so both are read by one parser.
    fn attribute(&self, name: &str) -> Option<String> {
        let on = |b: bool| if b { "on" } else { "off" }.to_string();
        let class = |c: &Option<ClassSetting>| {
            c.map(|c| match c {
                ClassSetting::Enabled(b) => on(b),
                ClassSetting::AtLeast(n) => n.to_string(),
            })
        };
        match name {
            "generator" => self.kind.clone(),
            "length" => self.length.map(|n| n.to_string()),
            "lowercase" => class(&self.lowercase),
            "uppercase" => class(&self.uppercase),
            "digits" => class(&self.digits),
            "symbols" => class(&self.symbols),
            "avoid-look-alikes" => self.avoid_look_alikes.map(on),
            "words" => self.words.map(|n| n.to_string()),
            "separator" => self.separator.clone(),
            "capitalize" => self.capitalize.map(on),
            "append-digit" => self.append_digit.map(on),
            _ => None,
        }
    }

    pub fn to_options(&self) -> Result<GeneratorOptions, ConfigError> {
        generator_options(&Attributes(|name| self.attribute(name)), "characters")
    }
}

/// Policy options as the JS API's `checkPolicy(password, policy)` takes them
/// (camelCase keys, all optional; the blocklist and language are the API's own).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicySettings {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub min_score: Option<u8>,
    pub require_classes: Option<u8>,
}

impl PolicySettings {
    /// Checked by the same parser as the element's attributes (`minScore: 5`
    /// is refused the way `min-score="5"` is).
    pub fn to_policy(&self) -> Result<Policy, ConfigError> {
        policy_options(&Attributes(|name| match name {
            "min-length" => self.min_length.map(|n| n.to_string()),
            "max-length" => self.max_length.map(|n| n.to_string()),
            "min-score" => self.min_score.map(|n| n.to_string()),
            "require-classes" => self.require_classes.map(|n| n.to_string()),
            _ => None,
        }))
    }
}

fn policy_options<F: Fn(&str) -> Option<String>>(a: &Attributes<F>) -> Result<Policy, ConfigError> {
    let min_length = a.number("min-length", DEFAULT_MIN_LENGTH, 1..=256)?;
    let max_length = a.number("max-length", DEFAULT_MAX_LENGTH, LOWEST_MAX_LENGTH..=4096)?;
    if max_length < min_length {
        return Err(error(
            "max-length",
            format!("{max_length} is below min-length {min_length}"),
        ));
    }
    Ok(Policy {
        min_length,
        max_length,
        min_score: a.number("min-score", DEFAULT_MIN_SCORE, 0..=4)?,
        require_classes: a.number("require-classes", 0, 0..=4)?,
    })
}

fn generator_options<F: Fn(&str) -> Option<String>>(
    a: &Attributes<F>,
    default: &str,
) -> Result<GeneratorOptions, ConfigError> {
    let options = match a.text("generator").as_deref().unwrap_or(default) {
        "characters" => {
            let length = a.number("length", DEFAULT_LENGTH, MIN_LENGTH..=MAX_LENGTH)?;
            let options = CharacterOptions {
                length,
                lowercase: a.class("lowercase", length)?,
                uppercase: a.class("uppercase", length)?,
                digits: a.class("digits", length)?,
                symbols: a.class("symbols", length)?,
                avoid_look_alikes: a.switch("avoid-look-alikes", true)?,
            };
            GeneratorOptions::Characters(options)
        }
        "passphrase" => {
            // `separator=" "` is meaningful, so it is read untrimmed.
            let separator = (a.0)("separator").unwrap_or_else(|| "-".into());
            GeneratorOptions::Passphrase(PassphraseOptions {
                words: a.number("words", DEFAULT_WORDS, MIN_WORDS..=MAX_WORDS)?,
                separator,
                capitalize: a.switch("capitalize", true)?,
                append_digit: a.switch("append-digit", true)?,
            })
        }
        other => {
            return Err(error(
                "generator",
                format!("\"{other}\" must be \"characters\" or \"passphrase\""),
            ));
        }
    };
    let attribute = match options {
        GeneratorOptions::Characters(_) => "length",
        GeneratorOptions::Passphrase(_) => "words",
    };
    options
        .entropy_bits()
        .map_err(|e| error(attribute, e.to_string()))?;
    Ok(options)
}

/// What the configuration depends on besides the element's own attributes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surroundings {
    /// The closest ancestor's `lang` (or the document's), when the element has none.
    pub inherited_lang: Option<String>,
    /// The element has a JavaScript `transport`, which replaces HTTP, so no
    /// `endpoint` is needed.
    pub has_transport: bool,
    pub element: Element,
}

impl Config {
    /// Reads the configuration through `attr`, which returns an attribute's value
    /// (`None` when the attribute is absent), for an element on its own.
    pub fn from_attributes(attr: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Self::read(attr, &Surroundings::default())
    }

    /// Reads the configuration of an element in its page.
    pub fn read(
        attr: impl Fn(&str) -> Option<String>,
        around: &Surroundings,
    ) -> Result<Self, ConfigError> {
        let a = Attributes(attr);
        let endpoint = match a.text("endpoint") {
            Some(e) => e,
            None if around.has_transport => String::new(),
            None => {
                return Err(error(
                    "endpoint",
                    "is required: the URL the reset is posted to",
                ))
            }
        };
        // Step-up, delivery and bulk mode are an administrator's: the other
        // elements do not read those attributes (src/embed/elements.json
        // lists what each element reads; tests/element_api.rs checks it).
        let admin = around.element == Element::ResetPassword;
        let step_up_endpoint = admin
            .then(|| a.text("step-up-endpoint"))
            .flatten()
            .unwrap_or_else(|| default_step_up_endpoint(&endpoint));
        let transport = transport_options(&a)?;
        let context_words: Vec<String> = a
            .text("context-words")
            .map(|t| {
                t.split([',', ';'])
                    .map(str::trim)
                    .filter(|w| !w.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        // Bulk mode has its list; one user's dialog must know whose password it
        // sets; recovery learns it from the login typed.
        let subject = match a.text("users") {
            None if around.element == Element::RecoverPassword => Subject::Login,
            Some(json) if around.element == Element::ResetPassword => Subject::Many(
                parse_users(&json, a.text("current-user-id").as_deref())
                    .map_err(|e| error("users", e.to_string()))?,
            ),
            Some(_) => return Err(error("users", "is for <reset-password> only")),
            None => Subject::One(UserWords {
                user_id: a
                    .text("user-id")
                    .ok_or_else(|| error("user-id", "is required: whose password is set"))?,
                name: a.text("user-name").unwrap_or_default(),
                email: a.text("user-email").unwrap_or_default(),
                context: context_words.clone(),
            }),
        };
        let deliver_to = match admin.then(|| a.text("deliver-to")).flatten() {
            Some(text) => parse_recipients(&text).map_err(|BadAddress(x)| {
                error("deliver-to", format!("\"{x}\" is not an e-mail address"))
            })?,
            None => Vec::new(),
        };
        let policy = policy_options(&a)?;
        // A user's own password is one to remember: they are offered passphrases.
        let default_generator = match around.element {
            Element::ResetPassword => "characters",
            Element::ChangePassword | Element::RecoverPassword => "passphrase",
        };
        let generator = generator_options(&a, default_generator)?;
        check_generator_meets_policy(&generator, &policy)?;
        Ok(Config {
            lang: a
                .text("lang")
                .or_else(|| around.inherited_lang.clone())
                .unwrap_or_else(|| "en".into()),
            endpoint,
            step_up_endpoint,
            subject,
            context_words,
            // A boolean attribute, as HTML's: present (`temporary`, or any value but "off").
            temporary: around.element == Element::ChangePassword
                && (a.0)("temporary").is_some()
                && a.switch("temporary", true)?,
            deliver_to,
            policy,
            generator,
            blocklist_url: a.text("blocklist-url"),
            policy_url: a.text("policy-url"),
            transport,
        })
    }
}

/// Generated passwords must pass the policy by construction: no longer and no
/// shorter than it allows, strong enough (their strength is exact), and sure to
/// hold the required classes. A draw can then fail only on the user's own words,
/// which `generate_for` draws again; anything else would fail every draw.
fn check_generator_meets_policy(
    generator: &GeneratorOptions,
    policy: &Policy,
) -> Result<(), ConfigError> {
    let attribute = match generator {
        GeneratorOptions::Characters(_) => "length",
        GeneratorOptions::Passphrase(_) => "words",
    };
    let min_chars = generator.min_chars();
    if min_chars < policy.min_length {
        return Err(error(
            attribute,
            format!(
                "generated passwords can be {min_chars} characters, below min-length {}",
                policy.min_length
            ),
        ));
    }
    let max_chars = generator.max_chars();
    if max_chars > policy.max_length {
        return Err(error(
            attribute,
            format!(
                "generated passwords can be {max_chars} characters, above max-length {}",
                policy.max_length
            ),
        ));
    }
    let bits = generator
        .entropy_bits()
        .map_err(|e| error(attribute, e.to_string()))?;
    let score = Strength::from_entropy(bits).score;
    if score < policy.min_score {
        return Err(error(
            attribute,
            format!(
                "generated passwords score {score}, below min-score {}",
                policy.min_score
            ),
        ));
    }
    let sure = classes_used(&generator.sure_characters());
    if sure < policy.require_classes {
        return Err(error(
            "require-classes",
            format!(
                "the generator guarantees {sure} classes, fewer than {}",
                policy.require_classes
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_attributes(|name| map.get(name).cloned())
    }

    fn one(c: &Config) -> &UserWords {
        match &c.subject {
            Subject::One(user) => user,
            other => panic!("not one user: {other:?}"),
        }
    }

    fn with(extra: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let mut pairs = vec![("endpoint", "/x"), ("user-id", "u")];
        pairs.extend_from_slice(extra);
        read(&pairs)
    }

    #[test]
    fn the_documented_example_reads() {
        let c = read(&[
            ("endpoint", "/api/password-resets"),
            ("user-id", "u-1042"),
            ("user-name", "Diane Prescott"),
            ("user-email", "diane@contoso.com"),
            ("deliver-to", "admin@contoso.com; it@contoso.com"),
        ])
        .unwrap();
        assert_eq!(c.endpoint, "/api/password-resets");
        assert_eq!(one(&c).name, "Diane Prescott");
        assert_eq!(c.deliver_to, vec!["admin@contoso.com", "it@contoso.com"]);
        assert_eq!(c.policy, Policy::default());
        assert_eq!(c.generator, GeneratorOptions::default());
        assert_eq!(c.blocklist_url, None);
        assert_eq!(c.transport, TransportOptions::default());
    }

    #[test]
    fn transport_attributes_are_read() {
        let c = with(&[
            (
                "headers",
                r#"{"X-CSRF-Token": "abc123", "X-Tenant": "contoso"}"#,
            ),
            ("credentials", "include"),
            ("timeout-ms", "5000"),
        ])
        .unwrap();
        assert_eq!(
            c.transport.headers,
            vec![
                ("X-CSRF-Token".to_string(), "abc123".to_string()),
                ("X-Tenant".to_string(), "contoso".to_string())
            ]
        );
        assert_eq!(c.transport.credentials, Credentials::Include);
        assert_eq!(c.transport.timeout_ms, 5000);
        for (attr, value) in [
            ("headers", "not json"),
            ("headers", "[1,2]"),
            ("headers", r#"{"Content-Type": "text/plain"}"#),
            ("headers", r#"{"Idempotency-Key": "x"}"#),
            ("headers", r#"{"X-A": 3}"#),
            ("headers", r#"{"bad name": "x"}"#),
            ("headers", r#"{"X-A": "a\r\nInjected: 1"}"#),
            ("credentials", "sometimes"),
            ("timeout-ms", "10"),
        ] {
            assert_eq!(
                with(&[(attr, value)]).unwrap_err().attribute,
                attr,
                "{attr}={value}"
            );
        }
    }

    #[test]
    fn a_users_list_makes_bulk_mode() {
        let users = r#"[{"id":"u-1","name":"A"},{"id":"u-1001","name":"Adele Vance"},{"id":"u-2","name":"B"}]"#;
        let c = read(&[
            ("endpoint", "/x"),
            ("users", users),
            ("current-user-id", "u-1001"),
        ])
        .unwrap();
        let Subject::Many(bulk) = c.subject else {
            panic!("not bulk mode")
        };
        assert_eq!(
            bulk.users.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(),
            vec!["u-1", "u-2"]
        );
        assert_eq!(bulk.excluded_self.unwrap().name, "Adele Vance");
        assert_eq!(
            read(&[("endpoint", "/x"), ("users", "nope")])
                .unwrap_err()
                .attribute,
            "users"
        );
        assert!(matches!(with(&[]).unwrap().subject, Subject::One(_)));
    }

    #[test]
    fn a_javascript_transport_makes_the_endpoint_optional() {
        assert_eq!(read(&[("user-id", "u")]).unwrap_err().attribute, "endpoint");
        let around = Surroundings {
            has_transport: true,
            ..Default::default()
        };
        let c = Config::read(|n| (n == "user-id").then(|| "u".to_string()), &around).unwrap();
        assert_eq!(c.endpoint, "");
        assert_eq!(
            with(&[("has-transport", "on")]).unwrap().endpoint,
            "/x",
            "not an attribute"
        );
        assert_eq!(
            read(&[("user-id", "u"), ("has-transport", "on")])
                .unwrap_err()
                .attribute,
            "endpoint"
        );
    }

    #[test]
    fn the_language_is_the_elements_own_else_inherited_else_english() {
        let around = Surroundings {
            inherited_lang: Some("sv".into()),
            ..Default::default()
        };
        let attrs = |lang: Option<&'static str>| {
            move |n: &str| match n {
                "endpoint" => Some("/x".to_string()),
                "user-id" => Some("u".to_string()),
                "lang" => lang.map(String::from),
                _ => None,
            }
        };
        assert_eq!(Config::read(attrs(None), &around).unwrap().lang, "sv");
        assert_eq!(
            Config::read(attrs(Some("en-GB")), &around).unwrap().lang,
            "en-GB"
        );
        assert_eq!(
            Config::read(attrs(None), &Surroundings::default())
                .unwrap()
                .lang,
            "en"
        );
    }

    #[test]
    fn the_step_up_endpoint_sits_next_to_the_reset_endpoint_unless_named() {
        for (endpoint, expected) in [
            ("/api/password-resets", "/api/session/step-up"),
            (
                "/api/password-resets/",
                "/api/password-resets/session/step-up",
            ),
            (
                "https://api.contoso.com/v1/resets?x=1#y",
                "https://api.contoso.com/v1/session/step-up",
            ),
            (
                "https://api.contoso.com",
                "https://api.contoso.com/session/step-up",
            ),
            ("resets", "session/step-up"),
            ("", "session/step-up"),
        ] {
            assert_eq!(default_step_up_endpoint(endpoint), expected, "{endpoint}");
        }
        let c = read(&[("endpoint", "/api/password-resets"), ("user-id", "u")]).unwrap();
        assert_eq!(c.step_up_endpoint, "/api/session/step-up");
        let c = read(&[
            ("endpoint", "/api/password-resets"),
            ("user-id", "u"),
            ("step-up-endpoint", "/auth/sudo"),
        ])
        .unwrap();
        assert_eq!(c.step_up_endpoint, "/auth/sudo");
    }

    #[test]
    fn http_endpoints_are_refused_off_localhost() {
        assert!(check_endpoint_security(
            "https://intranet.contoso.com/api/resets",
            "intranet.contoso.com"
        )
        .is_ok());
        assert!(check_endpoint_security("http://127.0.0.1:8080/api/resets", "127.0.0.1").is_ok());
        assert!(check_endpoint_security("http://localhost:8080/api/resets", "localhost").is_ok());
        let e = check_endpoint_security(
            "http://intranet.contoso.com/api/resets",
            "intranet.contoso.com",
        )
        .unwrap_err();
        assert_eq!(e.attribute, "endpoint");
        assert!(e.message.contains("HTTPS"));
        assert!(
            check_endpoint_security("HTTP://api.contoso.com/x", "intranet.contoso.com").is_err()
        );
    }

    #[test]
    fn a_served_policy_replaces_the_policy_attributes() {
        let c = read(&[
            ("endpoint", "/api/password-resets"),
            ("user-id", "u-1042"),
            ("min-length", "14"),
            ("require-classes", "2"),
            ("context-words", "contoso"),
            ("blocklist-url", "/mine.txt"),
            ("policy-url", "/api/password-policy"),
        ])
        .unwrap();
        assert_eq!(c.policy_url.as_deref(), Some("/api/password-policy"));
        let served: ServedPolicy = serde_json::from_str(
            r#"{"minLength":20,"maxLength":256,"minScore":4,"requireClasses":0,
                "contextWords":["fabrikam","contoso"],"blocklistUrl":"/api/password-policy/blocklist"}"#,
        )
        .unwrap();
        let c = c
            .with_served_policy(
                served,
                Some("https://intra.example/api/password-policy/blocklist".into()),
            )
            .unwrap();
        assert_eq!(
            c.policy,
            Policy {
                min_length: 20,
                max_length: 256,
                min_score: 4,
                require_classes: 0,
            }
        );
        assert_eq!(c.context_words, ["contoso", "fabrikam"]);
        assert_eq!(one(&c).context, ["contoso", "fabrikam"]);
        assert_eq!(
            c.blocklist_url.as_deref(),
            Some("https://intra.example/api/password-policy/blocklist")
        );
        // The default 16-character generator grew to the served minimum.
        assert_eq!(c.generator.min_chars(), 20);
    }

    #[test]
    fn a_served_policy_the_generator_cannot_meet_names_policy_url() {
        let base = [("endpoint", "/api/password-resets"), ("user-id", "u-1042")];
        let c = read(&[base[0], base[1], ("generator", "passphrase")]).unwrap();
        let served = ServedPolicy {
            min_length: Some(200),
            ..Default::default()
        };
        let e = c.with_served_policy(served, None).unwrap_err();
        assert_eq!(e.attribute, "policy-url");
        let c = read(&base).unwrap();
        let served = ServedPolicy {
            min_score: Some(9),
            ..Default::default()
        };
        let e = c.with_served_policy(served, None).unwrap_err();
        assert_eq!(e.attribute, "policy-url");
        assert!(e.message.contains("min-score"), "{}", e.message);
    }

    #[test]
    fn policy_attributes_are_read() {
        let c = with(&[
            ("min-length", "14"),
            ("min-score", "4"),
            ("max-length", "64"),
            ("require-classes", "3"),
        ])
        .unwrap();
        assert_eq!(
            c.policy,
            Policy {
                min_length: 14,
                min_score: 4,
                max_length: 64,
                require_classes: 3
            }
        );
        let c = with(&[("context-words", "Contoso, Northwind ;")]).unwrap();
        assert_eq!(one(&c).context, vec!["Contoso", "Northwind"]);
        let c = with(&[("blocklist-url", "/blocked.txt")]).unwrap();
        assert_eq!(c.blocklist_url.as_deref(), Some("/blocked.txt"));
    }

    #[test]
    fn generator_attributes_are_read() {
        let c = with(&[
            ("length", "20"),
            ("symbols", "off"),
            ("digits", "3"),
            ("avoid-look-alikes", "off"),
        ])
        .unwrap();
        let GeneratorOptions::Characters(o) = c.generator else {
            panic!()
        };
        assert_eq!(o.length, 20);
        assert_eq!(o.symbols, ClassRule::OFF);
        assert_eq!(
            o.digits,
            ClassRule {
                enabled: true,
                min: 3
            }
        );
        assert!(!o.avoid_look_alikes);
        let c = with(&[
            ("generator", "passphrase"),
            ("words", "6"),
            ("separator", " "),
            ("append-digit", "off"),
        ])
        .unwrap();
        assert_eq!(
            c.generator,
            GeneratorOptions::Passphrase(PassphraseOptions {
                words: 6,
                separator: " ".into(),
                capitalize: true,
                append_digit: false
            })
        );
    }

    #[test]
    fn js_api_options_read_like_attributes() {
        let s: GeneratorSettings =
            serde_json::from_str(r#"{"kind":"characters","length":24,"symbols":false,"digits":2}"#)
                .unwrap();
        let GeneratorOptions::Characters(o) = s.to_options().unwrap() else {
            panic!()
        };
        assert_eq!((o.length, o.symbols.enabled, o.digits.min), (24, false, 2));
        let s: GeneratorSettings =
            serde_json::from_str(r#"{"kind":"passphrase","words":3}"#).unwrap();
        assert_eq!(s.to_options().unwrap_err().attribute, "words");
        assert!(
            serde_json::from_str::<GeneratorSettings>(r#"{"lenght":3}"#).is_err(),
            "typos are refused"
        );
    }

    #[test]
    fn mistakes_name_their_attribute() {
        assert_eq!(read(&[("user-id", "u")]).unwrap_err().attribute, "endpoint");
        assert_eq!(
            read(&[("endpoint", "/x")]).unwrap_err().attribute,
            "user-id"
        );
        let e = with(&[("min-length", "twelve")]).unwrap_err();
        assert_eq!(e.attribute, "min-length");
        assert!(e.message.contains("twelve"));
        for (attr, value) in [
            ("min-score", "5"),
            ("deliver-to", "nobody"),
            ("max-length", "32"),
            ("require-classes", "5"),
            ("generator", "emoji"),
            ("symbols", "maybe"),
            ("avoid-look-alikes", "perhaps"),
        ] {
            assert_eq!(
                with(&[(attr, value)]).unwrap_err().attribute,
                attr,
                "{attr}={value}"
            );
        }
        let e = with(&[("min-length", "20")]).unwrap_err();
        assert_eq!(e.attribute, "length");
        assert!(e
            .to_string()
            .starts_with("<reset-password>: attribute `length`"));
        assert_eq!(
            with(&[("generator", "passphrase"), ("words", "2")])
                .unwrap_err()
                .attribute,
            "words"
        );
        assert_eq!(
            with(&[
                ("length", "8"),
                ("min-length", "8"),
                ("symbols", "off"),
                ("uppercase", "off"),
                ("lowercase", "off")
            ])
            .unwrap_err()
            .attribute,
            "length"
        );
        assert_eq!(
            with(&[("require-classes", "4"), ("symbols", "off")])
                .unwrap_err()
                .attribute,
            "require-classes"
        );
    }

    #[test]
    fn js_api_policies_are_checked_like_attributes() {
        let p = PolicySettings {
            min_length: Some(8),
            ..Default::default()
        }
        .to_policy()
        .unwrap();
        assert_eq!((p.min_length, p.max_length, p.min_score), (8, 256, 3));
        for (bad, attribute) in [
            (
                PolicySettings {
                    min_score: Some(5),
                    ..Default::default()
                },
                "min-score",
            ),
            (
                PolicySettings {
                    require_classes: Some(5),
                    ..Default::default()
                },
                "require-classes",
            ),
            (
                PolicySettings {
                    min_length: Some(0),
                    ..Default::default()
                },
                "min-length",
            ),
            (
                PolicySettings {
                    min_length: Some(100),
                    max_length: Some(80),
                    ..Default::default()
                },
                "max-length",
            ),
        ] {
            assert_eq!(bad.to_policy().unwrap_err().attribute, attribute, "{bad:?}");
        }
    }

    /// Options whose every draw the policy would refuse are refused here;
    /// otherwise the dialog could never show a generated password.
    #[test]
    fn generators_that_could_break_the_policy_are_refused() {
        let longer = with(&[("length", "100"), ("max-length", "64")]).unwrap_err();
        assert_eq!(longer.attribute, "length");
        assert!(
            longer.to_string().contains("above max-length 64"),
            "{longer}"
        );
        // 12 words of up to 9 letters, with separators and a digit: 142 characters.
        let words = with(&[
            ("generator", "passphrase"),
            ("words", "12"),
            ("separator", "---"),
            ("max-length", "100"),
        ])
        .unwrap_err();
        assert_eq!(words.attribute, "words");
        assert!(words.to_string().contains("142 characters"), "{words}");
        // A passphrase without capitals or a digit holds lowercase letters and "-" only.
        let plain = [
            ("generator", "passphrase"),
            ("capitalize", "off"),
            ("append-digit", "off"),
        ];
        assert_eq!(
            with(&[plain.as_slice(), &[("require-classes", "3")]].concat())
                .unwrap_err()
                .attribute,
            "require-classes"
        );
        assert!(with(&[plain.as_slice(), &[("require-classes", "2")]].concat()).is_ok());
        // The default passphrase is sure of all four: "Word-Word-…-Word7".
        assert!(with(&[("generator", "passphrase"), ("require-classes", "4")]).is_ok());
        // No separator without capitals: words could run together.
        assert_eq!(
            with(&[
                ("generator", "passphrase"),
                ("separator", ""),
                ("capitalize", "off")
            ])
            .unwrap_err()
            .attribute,
            "words"
        );
    }

    /// Every configuration accepted here lets the generator make a password the
    /// policy accepts for the user, at once (not after a thousand draws).
    #[test]
    fn accepted_generators_draw_passing_passwords() {
        use crate::core::generator::generate_for;
        use crate::core::random::OsRandom;
        for pairs in [
            &[][..],
            &[("length", "64"), ("max-length", "64")],
            &[("generator", "passphrase"), ("require-classes", "4")],
            &[
                ("generator", "passphrase"),
                ("words", "7"),
                ("max-length", "70"),
            ],
            &[
                ("generator", "passphrase"),
                ("separator", ""),
                ("require-classes", "3"),
            ],
            &[
                ("symbols", "off"),
                ("require-classes", "3"),
                ("length", "20"),
            ],
        ] {
            let c = with(pairs).unwrap_or_else(|e| panic!("{pairs:?}: {e}"));
            for _ in 0..50 {
                generate_for(&c.generator, &c.policy, one(&c), &mut OsRandom)
                    .unwrap_or_else(|e| panic!("{pairs:?}: {e}"));
            }
        }
    }
}
