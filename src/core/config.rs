//! The element's attributes, read and checked before anything is shown.

use super::generator::GeneratorOptions;
use super::policy::{Policy, UserWords};
use super::recipients::{parse_recipients, BadAddress};

/// Everything the dialog needs from its element.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The dialog's language tag (`lang` of the element or its closest ancestor).
    pub lang: String,
    pub endpoint: String,
    pub user: UserWords,
    pub deliver_to: Vec<String>,
    pub policy: Policy,
    pub generator: GeneratorOptions,
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

fn error(attribute: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        attribute,
        message: message.into(),
    }
}

fn number<T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy>(
    attr: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
    range: std::ops::RangeInclusive<T>,
) -> Result<T, ConfigError> {
    let Some(text) = attr(name) else {
        return Ok(default);
    };
    let value: T = text
        .trim()
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

impl Config {
    /// Reads the configuration through `attr`, which returns an attribute's value
    /// (`None` when the attribute is absent).
    pub fn from_attributes(attr: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let text = |name: &str| {
            attr(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let endpoint = text("endpoint")
            .ok_or_else(|| error("endpoint", "is required: the URL the reset is posted to"))?;
        let user_id = text("user-id")
            .ok_or_else(|| error("user-id", "is required: whose password is reset"))?;
        let deliver_to = parse_recipients(&text("deliver-to").unwrap_or_default()).map_err(
            |BadAddress(a)| error("deliver-to", format!("\"{a}\" is not an e-mail address")),
        )?;
        let min_length = number(
            &attr,
            "min-length",
            super::policy::DEFAULT_MIN_LENGTH,
            1..=256,
        )?;
        let min_score = number(&attr, "min-score", super::policy::DEFAULT_MIN_SCORE, 0..=4)?;
        let length = number(
            &attr,
            "length",
            super::generator::DEFAULT_LENGTH,
            super::generator::MIN_LENGTH..=super::generator::MAX_LENGTH,
        )?;
        let generator = GeneratorOptions {
            length,
            ..GeneratorOptions::default()
        };
        if length < min_length {
            return Err(error(
                "length",
                format!("generated passwords of {length} characters would be below min-length {min_length}"),
            ));
        }
        Ok(Config {
            lang: text("lang").unwrap_or_else(|| "en".into()),
            endpoint,
            user: UserWords {
                user_id,
                name: text("user-name").unwrap_or_default(),
                email: text("user-email").unwrap_or_default(),
            },
            deliver_to,
            policy: Policy {
                min_length,
                min_score,
                ..Policy::default()
            },
            generator,
        })
    }
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
        assert_eq!(c.user.name, "Diane Prescott");
        assert_eq!(c.deliver_to, vec!["admin@contoso.com", "it@contoso.com"]);
        assert_eq!(c.policy, Policy::default());
        assert_eq!(c.generator.length, 16);
    }

    #[test]
    fn policy_attributes_are_read() {
        let c = read(&[
            ("endpoint", "/x"),
            ("user-id", "u"),
            ("min-length", "14"),
            ("min-score", "4"),
        ])
        .unwrap();
        assert_eq!((c.policy.min_length, c.policy.min_score), (14, 4));
    }

    #[test]
    fn mistakes_name_their_attribute() {
        assert_eq!(read(&[("user-id", "u")]).unwrap_err().attribute, "endpoint");
        assert_eq!(
            read(&[("endpoint", "/x")]).unwrap_err().attribute,
            "user-id"
        );
        let e = read(&[
            ("endpoint", "/x"),
            ("user-id", "u"),
            ("min-length", "twelve"),
        ])
        .unwrap_err();
        assert_eq!(e.attribute, "min-length");
        assert!(e.message.contains("twelve"));
        let e = read(&[("endpoint", "/x"), ("user-id", "u"), ("min-score", "5")]).unwrap_err();
        assert_eq!(e.attribute, "min-score");
        let e = read(&[
            ("endpoint", "/x"),
            ("user-id", "u"),
            ("deliver-to", "nobody"),
        ])
        .unwrap_err();
        assert_eq!(e.attribute, "deliver-to");
        let e = read(&[("endpoint", "/x"), ("user-id", "u"), ("min-length", "20")]).unwrap_err();
        assert_eq!(e.attribute, "length");
        assert!(e
            .to_string()
            .starts_with("<reset-password>: attribute `length`"));
    }
}
