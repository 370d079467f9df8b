//! English.

use super::Texts;
use crate::core::bulk::MAX_PER_REQUEST;
use crate::core::policy::Violation;
use crate::core::strength::{Suggestion, Warning};

fn plural(n: u64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

fn crack_time(seconds: f64) -> String {
    const MINUTE: f64 = 60.0;
    const HOUR: f64 = 3600.0;
    const DAY: f64 = 86400.0;
    const MONTH: f64 = DAY * 31.0;
    const YEAR: f64 = MONTH * 12.0;
    match seconds {
        s if s < 1.0 => "less than a second".into(),
        s if s < MINUTE => plural(s as u64, "second"),
        s if s < HOUR => plural((s / MINUTE) as u64, "minute"),
        s if s < DAY => plural((s / HOUR) as u64, "hour"),
        s if s < MONTH => plural((s / DAY) as u64, "day"),
        s if s < YEAR => plural((s / MONTH) as u64, "month"),
        s if s < YEAR * 100.0 => plural((s / YEAR) as u64, "year"),
        _ => "centuries".into(),
    }
}

fn violation(v: &Violation) -> String {
    match v {
        Violation::Empty => "Enter a password.".into(),
        Violation::TooShort { min } => format!("Use at least {min} characters."),
        Violation::TooLong { max } => format!("Use at most {max} characters."),
        Violation::TooWeak { min_score, .. } => {
            format!(
                "Too easy to guess: the strength must be at least {} (\"{}\").",
                min_score, SCORES[*min_score as usize]
            )
        }
        Violation::StrengthPending => "Checking the strength…".into(),
        Violation::ContainsUserInfo => {
            "Don't use the user's name, user ID or e-mail address in the password.".into()
        }
        Violation::TooFewClasses { required } => {
            format!("Use at least {required} of these: lowercase letters, uppercase letters, digits, symbols.")
        }
        Violation::OnBlocklist => "This password is on your organisation's list of banned passwords.".into(),
        Violation::BlocklistPending => "Checking your organisation's list of banned passwords…".into(),
        Violation::BlocklistUnavailable => {
            "Your organisation's list of banned passwords couldn't be loaded, so a password you create can't be checked. Use a generated password.".into()
        }
        Violation::ControlCharacters => {
            "Remove invisible or control characters (such as tabs or text-direction marks).".into()
        }
        Violation::DirectoryRefused => {
            "The directory refused this password: it does not meet its complexity or history rules.".into()
        }
    }
}

const SCORES: [&str; 5] = ["Very weak", "Weak", "Fair", "Strong", "Very strong"];

fn warning(w: Warning) -> &'static str {
    match w {
        Warning::StraightRowsOfKeysAreEasyToGuess => "Straight rows of keys are easy to guess.",
        Warning::ShortKeyboardPatternsAreEasyToGuess => {
            "Short keyboard patterns are easy to guess."
        }
        Warning::RepeatsLikeAaaAreEasyToGuess => "Repeats like \"aaa\" are easy to guess.",
        Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => {
            "Repeats like \"abcabcabc\" are only slightly harder to guess than \"abc\"."
        }
        Warning::ThisIsATop10Password => "This is a top-10 common password.",
        Warning::ThisIsATop100Password => "This is a top-100 common password.",
        Warning::ThisIsACommonPassword => "This is a very common password.",
        Warning::ThisIsSimilarToACommonlyUsedPassword => {
            "This is similar to a commonly used password."
        }
        Warning::SequencesLikeAbcAreEasyToGuess => {
            "Sequences like \"abc\" or \"6543\" are easy to guess."
        }
        Warning::RecentYearsAreEasyToGuess => "Recent years are easy to guess.",
        Warning::AWordByItselfIsEasyToGuess => "A word by itself is easy to guess.",
        Warning::DatesAreOftenEasyToGuess => "Dates are often easy to guess.",
        Warning::NamesAndSurnamesByThemselvesAreEasyToGuess => {
            "Names and surnames by themselves are easy to guess."
        }
        Warning::CommonNamesAndSurnamesAreEasyToGuess => {
            "Common names and surnames are easy to guess."
        }
    }
}

fn suggestion(s: Suggestion) -> &'static str {
    match s {
        Suggestion::UseAFewWordsAvoidCommonPhrases => "Use a few words, avoid common phrases.",
        Suggestion::NoNeedForSymbolsDigitsOrUppercaseLetters => {
            "No need for symbols, digits, or uppercase letters."
        }
        Suggestion::AddAnotherWordOrTwo => "Add another word or two. Uncommon words are better.",
        Suggestion::CapitalizationDoesntHelpVeryMuch => "Capitalization doesn't help very much.",
        Suggestion::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase => {
            "All-uppercase is almost as easy to guess as all-lowercase."
        }
        Suggestion::ReversedWordsArentMuchHarderToGuess => {
            "Reversed words aren't much harder to guess."
        }
        Suggestion::PredictableSubstitutionsDontHelpVeryMuch => {
            "Predictable substitutions like '@' instead of 'a' don't help very much."
        }
        Suggestion::UseALongerKeyboardPatternWithMoreTurns => {
            "Use a longer keyboard pattern with more turns."
        }
        Suggestion::AvoidRepeatedWordsAndCharacters => "Avoid repeated words and characters.",
        Suggestion::AvoidSequences => "Avoid sequences.",
        Suggestion::AvoidRecentYears => "Avoid recent years.",
        Suggestion::AvoidYearsThatAreAssociatedWithYou => {
            "Avoid years that are associated with the user."
        }
        Suggestion::AvoidDatesAndYearsThatAreAssociatedWithYou => {
            "Avoid dates and years that are associated with the user."
        }
    }
}

pub static TEXTS: Texts = Texts {
    lang: "en",
    dialog_title: "Reset password",
    step_names: ["Password", "Strength", "Delivery"],
    step_of: |n, of| format!("Step {n} of {of}"),
    auto_generate: "Auto-generate a password",
    let_me_create: "Let me create the password",
    new_password: "New password",
    show_password: "Show password",
    hide_password: "Hide password",
    generate_another: "Generate another password",
    copy_password: "Copy password",
    copied: "Copied to the clipboard.",
    copy_failed: "Couldn't copy: select the password and copy it yourself.",
    password_strength: "Password strength",
    score_names: SCORES,
    checking: "Checking…",
    estimator_failed: "The strength checker couldn't be loaded. Try again, or use a generated password.",
    entropy_bits: |bits| format!("{bits:.0} bits of entropy"),
    crack_time,
    policy_heading: "Password requirements",
    policy_summary: |min_length, min_score| {
        format!("At least {min_length} characters, strength at least \"{}\", not the user's name, ID or e-mail.", SCORES[min_score as usize])
    },
    policy_met: "This password meets the requirements.",
    truncated_note: |n| format!("Only the first {n} characters were analysed."),
    email_to: "Email the new password to",
    email_hint: "Separate several addresses with commas or semicolons.",
    bad_address: |a| format!("\"{a}\" is not a valid e-mail address."),
    force_change: "Require this user to change their password when they first sign in",
    summary_heading: "Summary",
    summary_user: |name, id| if name.is_empty() { format!("User: {id}") } else { format!("User: {name} ({id})") },
    summary_generated: "Password: auto-generated",
    summary_custom: "Password: created by you",
    summary_delivery: |to| {
        if to.is_empty() {
            "The new password won't be e-mailed.".into()
        } else {
            format!("The new password will be e-mailed to {}.", to.join(", "))
        }
    },
    summary_force: |on| {
        if on {
            "The user must change the password at first sign-in.".into()
        } else {
            "The user can keep this password.".into()
        }
    },
    next: "Next",
    back: "Back",
    reset_password: "Reset password",
    resetting: "Resetting…",
    retry: "Retry",
    retry_in: |s| format!("Retry in {s} s"),
    failure_session: "Your session has expired or you are not signed in. Sign in again in another tab, then press Retry: nothing here is lost.",
    failure_forbidden: "You don't have the right to reset this password, or the request was refused for security reasons. Nothing was reset.",
    failure_nothing_reset: "Nothing was reset.",
    done_heading: "Password reset",
    done_text: |who| format!("The password for {who} has been reset."),
    delivery_status: |status| match status {
        "sent" => "The new password was e-mailed.".into(),
        "queued" => "The e-mail with the new password is queued.".into(),
        _ => "The e-mail with the new password couldn't be sent.".into(),
    },
    reset_another: "Done",
    failure_unknown_outcome: "The reset may or may not have happened. Retry with the same password: a retry never resets twice.",
    failure_network: "The server couldn't be reached.",
    failure_timeout: "The server didn't answer in time.",
    failure_bad_response: |status| format!("The server sent an answer the widget doesn't understand (HTTP {status})."),
    failure_status: |status| format!("The server refused the reset (HTTP {status})."),
    config_error_heading: "The password reset widget is not set up correctly",
    bulk_title: "Reset passwords",
    bulk_step_names: ["Users", "Delivery", "Results"],
    selected_count: |n, total| format!("{n} of {total} users selected"),
    self_excluded: "You can't reset your own password at the same time as everyone else's.",
    select_all: "Select all",
    select_none: "Clear selection",
    bulk_generated_note: "Each user gets a unique auto-generated password.",
    bulk_delivery: |to| {
        if to.is_empty() {
            "The temporary passwords won't be e-mailed: copy or download them after the reset.".into()
        } else {
            format!("The temporary passwords will be e-mailed to {}, in one message per batch of up to {MAX_PER_REQUEST} users.", to.join(", "))
        }
    },
    progress: |done, total| format!("Resetting {done} of {total}…"),
    bulk_done: |reset, total| format!("{reset} of {total} passwords reset."),
    col_user: "User",
    col_status: "Status",
    col_password: "Password",
    status_ready: "Waiting",
    status_sending: "Sending…",
    status_reset: "Reset",
    status_failed: "Failed",
    status_unknown: "Unknown: press Retry",
    show_password_for: |who| format!("Show password for {who}"),
    hide_password_for: |who| format!("Hide password for {who}"),
    copy_password_for: |who| format!("Copy password for {who}"),
    copy_all: "Copy all",
    download_csv: "Download CSV",
    retry_failed: "Retry failed users",
    bulk_choice_legend: "What to do with their passwords",
    bulk_reset_choice: "Reset their passwords",
    bulk_keep_choice: "Keep their passwords and require a change at next sign-in",
    summary_kept: "Passwords: kept; each user must change theirs at next sign-in.",
    status_required: "Must change at next sign-in",
    require_change: "Require password change",
    bulk_notice_delivery: |to| if to.is_empty() { "No e-mail will be sent.".into() } else { format!("A list of the users will be e-mailed to {}.", to.join(", ")) },
    bulk_required_done: |n, total| format!("{n} of {total} users must change their password at next sign-in."),
    change_title: "Change password",
    temporary_note: "You signed in with a temporary password. Choose a new password to continue.",
    current_password: "Current password",
    temporary_password: "Temporary password",
    confirm_password: "Confirm new password",
    suggest_password: "Suggest a password",
    passwords_differ: "The two new passwords don't match.",
    change_password: "Change password",
    changing: "Changing…",
    changed_heading: "Password changed",
    changed_text: "Your password was changed. Use the new one from now on.",
    failure_nothing_changed: "Your password was not changed.",
    failure_change_unknown_outcome: "The change may or may not have happened. Retry with the same passwords: a retry never changes it twice.",
    recover_title: "Reset your password",
    login_label: "User name or email",
    send_code: "Send code",
    sending: "Sending…",
    code_sent: "If an account matches, a code was sent to its alternate e-mail address.",
    code_label: "Verification code",
    verify: "Verify",
    verifying: "Verifying…",
    send_new_code: "Send a new code",
    recovered_text: "Your password was reset. Sign in with your new password.",
    failure_nothing_recovered: "Your password was not reset.",
    recover_step_names: ["Account", "Code", "New password"],
    send_new_code_in: |s| format!("Send a new code in {s} s"),
    step_up_heading: "Confirm it's you",
    step_up_text: "You are resetting an administrator's password. Enter your own password to continue.",
    step_up_password: "Your password",
    step_up_confirm: "Confirm",
    step_up_confirming: "Confirming…",
    step_up_failed: "Your password was not confirmed, and nothing was reset.",
    cancel: "Cancel",
    violation,
    warning,
    suggestion,
};
