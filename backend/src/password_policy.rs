//! The organisation's password policy, configured once here (the `--policy-*`
//! options) and served to the widget at `GET /api/password-policy`.
//!
//! Every new password (an admin's reset, a user's change, a recovery) is
//! checked with the widget's own `Policy::check` and estimator, run natively:
//! the server refuses exactly what the dialog refuses, for the same reasons,
//! and says so with the same codes, so the dialog can show them by the field
//! in its own language. The policy compares the password's NFKC form, which
//! is also what `passwords::hash` stores.

use std::path::Path;

use password_reset_widget::core::config::PolicySettings;
use password_reset_widget::core::policy::{Blocklist, Policy, UserWords};
use password_reset_widget::core::strength::Strength;
use password_reset_widget::core::unicode::nfkc;
use password_reset_widget::i18n::texts_for;
use serde::Serialize;

use crate::directory::DirectoryUser as User;
use crate::problem::FieldError;

/// Where the blocklist is served, when one is configured.
pub const BLOCKLIST_PATH: &str = "/api/password-policy/blocklist";

#[derive(Debug, Clone, Default)]
pub struct PasswordPolicy {
    pub rules: Policy,
    /// The organisation's own words (its name, products): known words to
    /// the estimator, so a password built on them scores lower.
    pub context_words: Vec<String>,
    pub blocklist: Blocklist,
    /// The blocklist file's text, served as it was read.
    pub blocklist_text: Option<String>,
}

/// The policy as `GET /api/password-policy` serves it (`schema/password-policy.schema.json`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Served<'a> {
    pub min_length: usize,
    pub max_length: usize,
    pub min_score: u8,
    pub require_classes: u8,
    pub context_words: &'a [String],
    pub blocklist_url: Option<&'static str>,
}

impl PasswordPolicy {
    /// Builds the policy from its options, checked by the widget's own parser
    /// (so the server takes no value an element's attribute could not), and
    /// reads the blocklist file.
    pub fn load(
        settings: &PolicySettings,
        context_words: Vec<String>,
        blocklist_file: Option<&Path>,
    ) -> Result<PasswordPolicy, String> {
        let rules = settings
            .to_policy()
            .map_err(|e| format!("--policy-{}: {}", e.attribute, e.message))?;
        let blocklist_text = match blocklist_file {
            Some(path) => Some(
                std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read the blocklist {}: {e}", path.display()))?,
            ),
            None => None,
        };
        let blocklist = blocklist_text
            .as_deref()
            .map_or(Blocklist::None, Blocklist::parse);
        Ok(PasswordPolicy {
            rules,
            context_words,
            blocklist,
            blocklist_text,
        })
    }

    pub fn served(&self) -> Served<'_> {
        Served {
            min_length: self.rules.min_length,
            max_length: self.rules.max_length,
            min_score: self.rules.min_score,
            require_classes: self.rules.require_classes,
            context_words: &self.context_words,
            blocklist_url: self.blocklist_text.is_some().then_some(BLOCKLIST_PATH),
        }
    }

    /// Why `password`, for `user`, may not be used: one field error per
    /// reason, at `field`, with the widget's reason code and English words.
    /// Runs the estimator (a few milliseconds): call it off the async threads.
    pub fn refusals(&self, field: &str, password: &str, user: Option<&User>) -> Vec<FieldError> {
        let words = UserWords {
            user_id: user.map(|u| u.id.clone()).unwrap_or_default(),
            name: user.map(|u| u.name.clone()).unwrap_or_default(),
            email: user.map(|u| u.email.clone()).unwrap_or_default(),
            context: self.context_words.clone(),
        };
        let estimate = reset_estimator::estimate(&nfkc(password), &words.estimator_inputs());
        let strength = Strength::from_estimate(estimate);
        let texts = texts_for("en");
        self.rules
            .check(password, Some(&strength), &words, &self.blocklist)
            .iter()
            .map(|v| FieldError {
                field: field.to_owned(),
                detail: (texts.violation)(v),
                code: Some(v.code().to_owned()),
                limit: v.limit(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diane() -> User {
        User {
            id: "u-1042".into(),
            name: "Diane Prescott".into(),
            email: "diane@contoso.com".into(),
            is_admin: false,
        }
    }

    fn codes(policy: &PasswordPolicy, password: &str) -> Vec<String> {
        policy
            .refusals("newPassword", password, Some(&diane()))
            .into_iter()
            .map(|e| e.code.unwrap())
            .collect()
    }

    #[test]
    fn the_widgets_reasons_come_back_with_their_codes() {
        let policy = PasswordPolicy::default();
        assert!(codes(&policy, "Vq8#tLm2!pZx9wRk").is_empty());
        assert_eq!(codes(&policy, "password1"), ["tooShort", "tooWeak"]);
        assert!(codes(&policy, "Diane-Vq8#tLm2!pZx9").contains(&"containsUserInfo".to_owned()));
        assert!(
            codes(&policy, "\0\0\0\0\0\0\0\0\0\0\0\0").contains(&"controlCharacters".to_owned())
        );
    }

    #[test]
    fn the_options_and_the_blocklist_file_are_applied() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("banned.txt");
        std::fs::write(&file, "# ours\nVq8#tLm2!pZx9wRk\n").unwrap();
        let settings = PolicySettings {
            min_length: Some(20),
            ..Default::default()
        };
        let policy = PasswordPolicy::load(&settings, vec![], Some(&file)).unwrap();
        assert_eq!(
            codes(&policy, "Vq8#tLm2!pZx9wRk"),
            ["tooShort", "onBlocklist"]
        );
        assert_eq!(policy.served().blocklist_url, Some(BLOCKLIST_PATH));
    }

    #[test]
    fn the_organisations_words_make_a_password_weaker() {
        let plain = PasswordPolicy::default();
        let ours = PasswordPolicy {
            context_words: vec!["fabrikamtoys".into()],
            ..Default::default()
        };
        for password in ["fabrikamtoys2026", "fabrikamtoysfabrikamtoys"] {
            assert!(
                !codes(&plain, password).contains(&"tooWeak".to_owned()),
                "{password}"
            );
            assert!(
                codes(&ours, password).contains(&"tooWeak".to_owned()),
                "{password}"
            );
        }
    }

    #[test]
    fn values_an_attribute_could_not_take_are_refused_by_name() {
        let settings = PolicySettings {
            min_score: Some(5),
            ..Default::default()
        };
        let error = PasswordPolicy::load(&settings, vec![], None).unwrap_err();
        assert!(error.starts_with("--policy-min-score"), "{error}");
    }
}
