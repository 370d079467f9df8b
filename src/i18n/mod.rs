//! Every text the dialog shows. One file per language; adding a language is
//! adding a file with a [`Texts`] value and a line in [`texts_for`].

mod en;
mod sv;

use crate::core::policy::Violation;
use crate::core::strength::{Suggestion, Warning};

/// The texts of one language. Parameterised messages are functions.
pub struct Texts {
    pub lang: &'static str,
    pub dialog_title: &'static str,
    pub step_names: [&'static str; 3],
    pub step_of: fn(usize, usize) -> String,
    pub auto_generate: &'static str,
    pub let_me_create: &'static str,
    pub new_password: &'static str,
    pub show_password: &'static str,
    pub hide_password: &'static str,
    pub generate_another: &'static str,
    pub copy_password: &'static str,
    pub copied: &'static str,
    pub copy_failed: &'static str,
    pub password_strength: &'static str,
    pub score_names: [&'static str; 5],
    pub checking: &'static str,
    pub estimator_failed: &'static str,
    pub entropy_bits: fn(f64) -> String,
    pub crack_time: fn(f64) -> String,
    pub policy_heading: &'static str,
    pub policy_summary: fn(usize, u8) -> String,
    pub policy_met: &'static str,
    pub truncated_note: fn(usize) -> String,
    pub email_to: &'static str,
    pub email_hint: &'static str,
    pub bad_address: fn(&str) -> String,
    pub force_change: &'static str,
    pub summary_heading: &'static str,
    pub summary_user: fn(&str, &str) -> String,
    pub summary_generated: &'static str,
    pub summary_custom: &'static str,
    pub summary_delivery: fn(&[String]) -> String,
    pub summary_force: fn(bool) -> String,
    pub next: &'static str,
    pub back: &'static str,
    pub reset_password: &'static str,
    pub resetting: &'static str,
    pub retry: &'static str,
    pub retry_in: fn(u32) -> String,
    pub failure_session: &'static str,
    pub failure_forbidden: &'static str,
    pub failure_nothing_reset: &'static str,
    pub done_heading: &'static str,
    pub done_text: fn(&str) -> String,
    pub delivery_status: fn(&str) -> String,
    pub reset_another: &'static str,
    pub failure_unknown_outcome: &'static str,
    pub failure_network: &'static str,
    pub failure_timeout: &'static str,
    pub failure_bad_response: fn(u16) -> String,
    pub failure_status: fn(u16) -> String,
    pub config_error_heading: &'static str,
    pub bulk_title: &'static str,
    pub bulk_step_names: [&'static str; 3],
    pub selected_count: fn(usize, usize) -> String,
    pub self_excluded: &'static str,
    pub select_all: &'static str,
    pub select_none: &'static str,
    pub bulk_generated_note: &'static str,
    pub bulk_delivery: fn(&[String]) -> String,
    pub progress: fn(usize, usize) -> String,
    pub bulk_done: fn(usize, usize) -> String,
    pub col_user: &'static str,
    pub col_status: &'static str,
    pub col_password: &'static str,
    pub status_ready: &'static str,
    pub status_sending: &'static str,
    pub status_reset: &'static str,
    pub status_failed: &'static str,
    pub status_unknown: &'static str,
    pub show_password_for: fn(&str) -> String,
    pub hide_password_for: fn(&str) -> String,
    pub copy_password_for: fn(&str) -> String,
    pub copy_all: &'static str,
    pub download_csv: &'static str,
    pub retry_failed: &'static str,
    // bulk: require a change, keep the passwords
    pub bulk_choice_legend: &'static str,
    pub bulk_reset_choice: &'static str,
    pub bulk_keep_choice: &'static str,
    pub summary_kept: &'static str,
    pub status_required: &'static str,
    pub require_change: &'static str,
    pub bulk_notice_delivery: fn(&[String]) -> String,
    pub bulk_required_done: fn(usize, usize) -> String,
    // <change-password>
    pub change_title: &'static str,
    pub temporary_note: &'static str,
    pub current_password: &'static str,
    pub temporary_password: &'static str,
    pub confirm_password: &'static str,
    pub suggest_password: &'static str,
    pub passwords_differ: &'static str,
    pub change_password: &'static str,
    pub changing: &'static str,
    pub changed_heading: &'static str,
    pub changed_text: &'static str,
    pub failure_nothing_changed: &'static str,
    pub failure_change_unknown_outcome: &'static str,
    // <recover-password>
    pub recover_title: &'static str,
    pub login_label: &'static str,
    pub send_code: &'static str,
    pub sending: &'static str,
    pub code_sent: &'static str,
    pub code_label: &'static str,
    pub verify: &'static str,
    pub verifying: &'static str,
    pub send_new_code: &'static str,
    pub recovered_text: &'static str,
    pub failure_nothing_recovered: &'static str,
    pub recover_step_names: [&'static str; 3],
    pub send_new_code_in: fn(u32) -> String,
    // step-up: the admin's own password before an administrator's reset
    pub step_up_heading: &'static str,
    pub step_up_text: &'static str,
    pub step_up_password: &'static str,
    pub step_up_confirm: &'static str,
    pub step_up_confirming: &'static str,
    pub step_up_failed: &'static str,
    pub cancel: &'static str,
    pub violation: fn(&Violation) -> String,
    pub warning: fn(Warning) -> &'static str,
    pub suggestion: fn(Suggestion) -> &'static str,
}

/// The texts for a language tag such as `en`, `en-GB` or `sv-SE`; English when
/// the language is not one we have.
pub fn texts_for(lang: &str) -> &'static Texts {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    // One arm per language file; English is the fallback.
    match primary.as_str() {
        "sv" => &sv::TEXTS,
        _ => &en::TEXTS,
    }
}

/// Two texts are the same when they are the same language (for Yew's props).
impl PartialEq for Texts {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_is_chosen_by_its_tag() {
        assert_eq!(texts_for("sv").lang, "sv");
        assert_eq!(texts_for("sv-SE").dialog_title, "Återställ lösenord");
        assert_eq!((texts_for("sv").crack_time)(7200.0), "2 timmar");
    }

    #[test]
    fn unknown_languages_fall_back_to_english() {
        assert_eq!(texts_for("xx").lang, "en");
        assert_eq!(texts_for("en-GB").lang, "en");
        assert_eq!(texts_for("").lang, "en");
    }

    #[test]
    fn the_public_accessible_names_are_stable() {
        let t = texts_for("en");
        assert_eq!(t.auto_generate, "Auto-generate a password");
        assert_eq!(t.let_me_create, "Let me create the password");
        assert_eq!(t.new_password, "New password");
        assert_eq!(t.password_strength, "Password strength");
        assert_eq!(t.email_to, "Email the new password to");
        assert_eq!(
            t.force_change,
            "Require this user to change their password when they first sign in"
        );
        assert_eq!(
            [
                t.next,
                t.back,
                t.reset_password,
                t.copy_password,
                t.show_password,
                t.hide_password,
                t.generate_another
            ],
            [
                "Next",
                "Back",
                "Reset password",
                "Copy password",
                "Show password",
                "Hide password",
                "Generate another password"
            ]
        );
        assert_eq!(
            [
                t.current_password,
                t.temporary_password,
                t.confirm_password,
                t.suggest_password,
                t.change_password
            ],
            [
                "Current password",
                "Temporary password",
                "Confirm new password",
                "Suggest a password",
                "Change password"
            ]
        );
        assert_eq!(
            [
                t.login_label,
                t.send_code,
                t.code_label,
                t.verify,
                t.send_new_code
            ],
            [
                "User name or email",
                "Send code",
                "Verification code",
                "Verify",
                "Send a new code"
            ]
        );
    }

    #[test]
    fn every_violation_has_words() {
        let t = texts_for("en");
        for v in [
            Violation::Empty,
            Violation::TooShort { min: 12 },
            Violation::TooLong { max: 256 },
            Violation::TooWeak {
                min_score: 3,
                score: 1,
            },
            Violation::StrengthPending,
            Violation::ContainsUserInfo,
            Violation::TooFewClasses { required: 3 },
            Violation::OnBlocklist,
            Violation::BlocklistPending,
            Violation::BlocklistUnavailable,
            Violation::ControlCharacters,
            Violation::DirectoryRefused,
        ] {
            assert!(!(t.violation)(&v).is_empty());
            // Every code a backend may send back is understood.
            if let Some(back) = Violation::from_code(v.code(), v.limit()) {
                assert_eq!((t.violation)(&back), (t.violation)(&v));
            }
        }
        assert!((t.violation)(&Violation::TooShort { min: 12 }).contains("12"));
    }

    #[test]
    fn crack_times_read_naturally() {
        let t = texts_for("en");
        assert_eq!((t.crack_time)(0.5), "less than a second");
        assert_eq!((t.crack_time)(1.0), "1 second");
        assert_eq!((t.crack_time)(7200.0), "2 hours");
        assert_eq!((t.crack_time)(1e12), "centuries");
    }
}
