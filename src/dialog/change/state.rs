//! Changing one's own password, as a pure reducer over the kit's
//! [`PasswordDraft`] and [`Submission`]: one form, no steps. "Suggest a
//! password" puts a generated passphrase in the new field (shown, its strength
//! exact); typing there makes it the user's own again.

use std::rc::Rc;

use crate::core::config::Config;
use crate::core::generator::Generated;
use crate::core::policy::{UserWords, Violation};
use crate::core::secret::Secret;
use crate::core::wire::{
    ChangeRequest, Failure, StatusResponse, CURRENT_PASSWORD_FIELD, NEW_PASSWORD_FIELD,
};
use crate::dialog::kit::password::{Feedback, NewPassword, NewPasswordEdit, Refusal};
use crate::dialog::kit::submission::Submission;

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub config: Rc<Config>,
    pub user: Rc<UserWords>,
    /// Shared, not copied, when the reducer clones the state (`kit::password`).
    pub current: Rc<Secret>,
    pub current_shown: bool,
    /// The backend said the current password is wrong (its words).
    pub current_error: Option<String>,
    /// The new password and its confirmation.
    pub new: NewPassword,
    pub submission: Submission<StatusResponse>,
}

#[derive(Debug)]
pub enum Action {
    CurrentEdited(Secret),
    ToggleShowCurrent,
    NewPassword(NewPasswordEdit),
    /// The estimator's answer, or the blocklist.
    Feedback(Feedback),
    Submit {
        fresh_key: String,
    },
    Finished {
        attempt: u32,
        outcome: Result<StatusResponse, Failure>,
    },
    RetryTick,
}

impl State {
    /// `generated` is the first suggestion, kept until "Suggest a password".
    pub fn new(config: Rc<Config>, user: Rc<UserWords>, generated: Generated) -> Self {
        Self {
            config,
            user,
            current: Rc::default(),
            current_shown: false,
            current_error: None,
            new: NewPassword::new(generated),
            submission: Submission::default(),
        }
    }

    pub fn new_password(&self) -> &Rc<Secret> {
        self.new.draft.password()
    }

    /// Why the new password may not be used; empty when it may.
    pub fn violations(&self) -> Vec<Violation> {
        self.new.draft.violations(&self.config.policy, &self.user)
    }

    /// The confirmation was typed and differs from the new password.
    pub fn mismatch(&self) -> bool {
        !self.new.confirm.is_empty() && self.new.confirm != *self.new_password()
    }

    pub fn can_submit(&self) -> bool {
        self.submission.can_send()
            && !self.current.is_empty()
            && self.violations().is_empty()
            && self.new.confirm == *self.new_password()
    }

    pub fn request(&self) -> ChangeRequest {
        ChangeRequest {
            user_id: self.user.user_id.clone(),
            current_password: self.current.clone(),
            new_password: self.new_password().clone(),
        }
    }

    pub fn apply(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        // Nothing that would be sent changes while the submission is frozen.
        let editable = !s.submission.frozen();
        match action {
            Action::CurrentEdited(text) if editable => {
                s.current = Rc::new(text);
                s.current_error = None;
                s.submission.changed();
            }
            Action::ToggleShowCurrent => s.current_shown = !s.current_shown,
            Action::NewPassword(NewPasswordEdit::ToggleShown) => {
                s.new.apply(NewPasswordEdit::ToggleShown);
            }
            Action::NewPassword(edit) if !s.submission.frozen() => {
                if s.new.apply(edit) {
                    s.submission.changed();
                }
            }
            Action::Feedback(feedback) => {
                if !s.new.draft.feedback(feedback) {
                    return self;
                }
            }
            Action::Submit { fresh_key } if s.can_submit() => {
                s.submission.start(fresh_key);
            }
            Action::Finished { attempt, outcome } => {
                if !s.submission.finish(attempt, outcome) {
                    return self;
                }
                let problem = s.submission.failure().and_then(|f| f.problem()).cloned();
                for e in problem.iter().flat_map(|p| &p.errors) {
                    if e.field == CURRENT_PASSWORD_FIELD {
                        // A wrong current password is typed again; the new one is kept.
                        s.current = Rc::default();
                        s.current_error = Some(e.detail.clone());
                    } else if e.field == NEW_PASSWORD_FIELD {
                        s.new.draft.refused = Some(Refusal::of(e));
                    }
                }
            }
            Action::RetryTick => s.submission.tick(),
            _ => return self,
        }
        Rc::new(s)
    }
}

#[cfg(target_arch = "wasm32")]
impl yew::Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        self.apply(action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::{Element, Subject, Surroundings};
    use crate::core::generator::generate_for;
    use crate::core::random::OsRandom;
    use crate::core::strength::Estimate;
    use crate::dialog::kit::password::Mode;
    use crate::dialog::kit::submission::field_refusal;

    fn fresh() -> Rc<State> {
        let around = Surroundings {
            element: Element::ChangePassword,
            ..Default::default()
        };
        let config = Config::read(
            |name| {
                match name {
                    "endpoint" => Some("/api/password-changes"),
                    "user-id" => Some("u-1042"),
                    "user-name" => Some("Diane Prescott"),
                    "temporary" => Some(""),
                    _ => None,
                }
                .map(String::from)
            },
            &around,
        )
        .unwrap();
        let Subject::One(user) = config.subject.clone() else {
            panic!("one user")
        };
        let generated =
            generate_for(&config.generator, &config.policy, &user, &mut OsRandom).unwrap();
        Rc::new(State::new(Rc::new(config), Rc::new(user), generated))
    }

    fn strong() -> Estimate {
        Estimate {
            score: 4,
            guesses_log10: 14.0,
            warning: None,
            suggestions: vec![],
            crack_time_seconds: 1e10,
            truncated: false,
        }
    }

    fn typed(s: Rc<State>, new: &str) -> Rc<State> {
        let s = s.apply(Action::NewPassword(NewPasswordEdit::Typed(Secret::new(
            new,
        ))));
        let revision = s.new.draft.revision;
        s.apply(Action::Feedback(Feedback::Estimated {
            revision,
            estimate: strong(),
        }))
    }

    fn submit(s: Rc<State>) -> Rc<State> {
        s.apply(Action::Submit {
            fresh_key: "k".into(),
        })
    }

    #[test]
    fn it_needs_the_current_password_a_new_one_that_passes_and_the_same_confirmation() {
        let s = fresh().apply(Action::CurrentEdited(Secret::new("Temp-1")));
        let s = typed(s, "Quokka-Marmalade-Tundra-7");
        assert!(!s.can_submit(), "not confirmed");
        let s = s.apply(Action::NewPassword(NewPasswordEdit::Confirmed(
            Secret::new("Quokka-Marmalade-Tundra"),
        )));
        assert!(s.mismatch());
        let s = s.apply(Action::NewPassword(NewPasswordEdit::Confirmed(
            Secret::new("Quokka-Marmalade-Tundra-7"),
        )));
        assert!(!s.mismatch());
        assert!(s.can_submit());
        let request = s.request();
        assert_eq!(request.current_password.expose(), "Temp-1");
        assert_eq!(request.new_password.expose(), "Quokka-Marmalade-Tundra-7");
        let weak = typed(s, "short");
        assert!(!weak.can_submit(), "{:?}", weak.violations());
    }

    #[test]
    fn a_suggestion_is_shown_confirmed_and_exactly_strong_and_typing_makes_it_ones_own() {
        let s = fresh().apply(Action::CurrentEdited(Secret::new("Temp-1")));
        let g = generate_for(
            &s.config.generator,
            &s.config.policy,
            &s.user,
            &mut OsRandom,
        )
        .unwrap();
        let s = s.apply(Action::NewPassword(NewPasswordEdit::Suggested(g.clone())));
        assert_eq!(s.new_password(), &g.password);
        assert!(s.new.draft.shown, "a suggestion is shown");
        assert_eq!(s.new.confirm, g.password);
        assert!(
            s.new.draft.strength().is_some(),
            "its strength is exact at once"
        );
        assert!(s.can_submit());
        let s = s.apply(Action::NewPassword(NewPasswordEdit::Typed(Secret::new(
            "mine",
        ))));
        assert_eq!(s.new.draft.mode, Mode::Custom);
        assert!(s.new.draft.strength().is_none(), "waits for the estimator");
        assert!(s.mismatch());
    }

    #[test]
    fn a_wrong_current_password_clears_that_field_only_and_a_retry_keeps_the_key() {
        let s = fresh().apply(Action::CurrentEdited(Secret::new("Temp-1")));
        let s = typed(s, "Quokka-Marmalade-Tundra-7").apply(Action::NewPassword(
            NewPasswordEdit::Confirmed(Secret::new("Quokka-Marmalade-Tundra-7")),
        ));
        let s = submit(s).apply(Action::Finished {
            attempt: 1,
            outcome: Err(Failure::Network),
        });
        assert!(s.submission.frozen(), "the outcome is unknown");
        let s = s.apply(Action::CurrentEdited(Secret::new("other")));
        assert_eq!(s.current.expose(), "Temp-1", "frozen until the retry");
        let s = submit(s);
        assert_eq!(s.submission.key.as_deref(), Some("k"));
        let wrong = field_refusal(422, "currentPassword", "The current password is wrong.");
        let s = s.apply(Action::Finished {
            attempt: 2,
            outcome: Err(wrong),
        });
        assert!(s.current.is_empty());
        assert_eq!(
            s.current_error.as_deref(),
            Some("The current password is wrong.")
        );
        assert_eq!(s.new_password().expose(), "Quokka-Marmalade-Tundra-7");
        assert_eq!(s.new.confirm.expose(), "Quokka-Marmalade-Tundra-7");
        let s = s.apply(Action::CurrentEdited(Secret::new("Temp-2")));
        assert_eq!(s.current_error, None);
        let s = submit(s);
        assert_eq!(
            s.submission.key.as_deref(),
            Some("k"),
            "fresh_key is k again in the test"
        );
        assert!(s.submission.in_flight());
    }

    #[test]
    fn temporary_and_a_passphrase_suggestion_come_from_the_element() {
        let s = fresh();
        assert!(s.config.temporary);
        assert!(matches!(
            s.config.generator,
            crate::core::generator::GeneratorOptions::Passphrase(_)
        ));
    }
}
