//! Resetting one user's password, as a pure reducer (`State` + `Action`, like
//! Yew's todomvc example): three steps (password, strength, delivery) over the
//! kit's [`PasswordDraft`], [`DeliveryForm`] and [`Submission`]. Randomness (a
//! new password, an idempotency key) is drawn by the caller and passed in, so
//! the reducer stays pure.

use std::rc::Rc;

use crate::core::config::Config;
use crate::core::generator::Generated;
use crate::core::policy::{UserWords, Violation};
use crate::core::secret::Secret;
use crate::core::strength::Strength;
use crate::core::wire::{Outcome, PasswordSource, ResetEntry, ResetRequest, ResetResponse};
use crate::dialog::kit::delivery::DeliveryForm;
use crate::dialog::kit::password::{Feedback, Mode, PasswordDraft, Refusal};
use crate::dialog::kit::step_up::{StepUp, StepUpAction, StepUpEvent};
use crate::dialog::kit::submission::Submission;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Password,
    Strength,
    Delivery,
}

impl Step {
    pub const COUNT: usize = 3;

    /// 1-based, for "Step 2 of 3".
    pub fn number(self) -> usize {
        match self {
            Self::Password => 1,
            Self::Strength => 2,
            Self::Delivery => 3,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub config: Rc<Config>,
    pub user: Rc<UserWords>,
    pub step: Step,
    pub draft: PasswordDraft,
    pub delivery: DeliveryForm,
    pub submission: Submission<ResetResponse>,
    /// "Confirm it's you": open when the backend asked for the admin's own
    /// password before resetting an administrator's.
    pub step_up: StepUp,
}

#[derive(Debug)]
pub enum Action {
    ChooseMode(Mode),
    Regenerated(Generated),
    CustomEdited(Secret),
    /// The estimator's answer, or the blocklist.
    Feedback(Feedback),
    ToggleShowPassword,
    Next,
    Back,
    RecipientsEdited(String),
    ToggleForceChange,
    /// Submit (or retry). `fresh_key` is used only if no key is held yet.
    Submit {
        fresh_key: String,
    },
    Finished {
        attempt: u32,
        outcome: Outcome,
    },
    /// One second of a `Retry-After` wait has passed.
    RetryTick,
    /// The step-up prompt; once confirmed, the reset is sent again with its key.
    StepUp(StepUpAction),
}

impl State {
    pub fn new(config: Rc<Config>, user: Rc<UserWords>, generated: Generated) -> Self {
        Self {
            delivery: DeliveryForm::new(&config.deliver_to),
            config,
            user,
            step: Step::Password,
            draft: PasswordDraft::new(Mode::Generated, generated),
            submission: Submission::default(),
            step_up: StepUp::default(),
        }
    }

    /// The password that would be sent.
    pub fn password(&self) -> &Rc<Secret> {
        self.draft.password()
    }

    /// The strength of the password as it is now, if known.
    pub fn strength(&self) -> Option<Strength> {
        self.draft.strength()
    }

    /// Why the password may not be used; empty when it may.
    pub fn violations(&self) -> Vec<Violation> {
        self.draft.violations(&self.config.policy, &self.user)
    }

    pub fn can_go_next(&self) -> bool {
        match self.step {
            Step::Password => !self.password().is_empty(),
            Step::Strength => self.violations().is_empty(),
            Step::Delivery => false,
        }
    }

    pub fn can_submit(&self) -> bool {
        !self.step_up.open
            && self.step == Step::Delivery
            && self.submission.can_send()
            && self.violations().is_empty()
            && self.delivery.recipients().is_some()
    }

    /// The request body for the current state.
    pub fn request(&self) -> Option<ResetRequest> {
        Some(ResetRequest {
            resets: vec![ResetEntry {
                user_id: self.user.user_id.clone(),
                password: Some(self.password().clone()),
            }],
            password_source: match self.draft.mode {
                Mode::Generated => PasswordSource::Generated,
                Mode::Custom => PasswordSource::Custom,
            },
            force_change_password_next_sign_in: self.delivery.force_change,
            deliver_to: self.delivery.recipients()?,
        })
    }
}

impl State {
    /// The reducer: the state after `action`, or the same `Rc` when the action
    /// changes nothing (so Yew skips the re-render).
    pub fn apply(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        // Everything that would be sent stays as it is while the submission
        // is frozen, or while the step-up prompt stands in front of the form.
        let editable = !s.submission.frozen() && !s.step_up.open;
        match action {
            Action::ChooseMode(mode) if editable => {
                if !s.draft.choose(mode) {
                    return self;
                }
                s.submission.changed();
            }
            Action::Regenerated(generated) if editable => {
                s.draft.regenerate(generated);
                s.submission.changed();
            }
            Action::CustomEdited(text) if editable => {
                s.draft.edit(text);
                s.submission.changed();
            }
            Action::Feedback(feedback) => {
                if !s.draft.feedback(feedback) {
                    return self;
                }
            }
            Action::ToggleShowPassword => s.draft.toggle_shown(),
            Action::Next if s.can_go_next() && !s.step_up.open => {
                s.step = match s.step {
                    Step::Password => Step::Strength,
                    Step::Strength | Step::Delivery => Step::Delivery,
                };
            }
            Action::Back if !s.submission.in_flight() && !s.step_up.open => {
                s.step = match s.step {
                    Step::Password | Step::Strength => Step::Password,
                    Step::Delivery => Step::Strength,
                };
            }
            Action::RecipientsEdited(text) if editable => {
                s.delivery.edit_recipients(text);
                s.submission.changed();
            }
            Action::ToggleForceChange if editable => {
                s.delivery.toggle_force_change();
                s.submission.changed();
            }
            Action::Submit { fresh_key } if s.can_submit() => {
                s.submission.start(fresh_key);
            }
            Action::RetryTick => s.submission.tick(),
            Action::Finished { attempt, outcome } => {
                if !s.submission.finish(attempt, outcome) {
                    return self;
                }
                if s.submission.succeeded().is_some() {
                    // The result view shows the password hidden until revealed again.
                    s.draft.shown = false;
                }
                // An administrator's password: the admin confirms their own
                // first; the reset keeps its key for after.
                if s.submission
                    .failure()
                    .is_some_and(|f| f.is_step_up_required())
                {
                    s.step_up.open();
                }
                // A field error from the backend goes next to its field.
                if let Some(problem) = s.submission.failure().and_then(|f| f.problem()).cloned() {
                    s.delivery.show_field_errors(&problem);
                    if problem.errors.iter().any(|e| e.field.starts_with("resets")) {
                        s.step = Step::Password;
                    }
                    if let Some(e) = problem
                        .errors
                        .iter()
                        .find(|e| e.field == "resets[0].password")
                    {
                        s.draft.refused = Some(Refusal::of(e));
                    }
                }
            }
            Action::StepUp(action) => match s.step_up.apply(action) {
                StepUpEvent::Ignored => return self,
                StepUpEvent::Changed => {}
                // The refused reset again, under the key it was refused with.
                StepUpEvent::Confirmed => {
                    if s.submission.key.is_some() {
                        s.submission.start(String::new());
                    }
                }
                // Back to the form as it was; nothing was reset, so the next
                // Reset password is a new request.
                StepUpEvent::Cancelled => s.submission.changed(),
            },
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
    use crate::core::config::Subject;
    use crate::core::generator::{generate, GeneratorOptions};
    use crate::core::policy::Blocklist;
    use crate::core::random::OsRandom;
    use crate::core::strength::Estimate;
    use crate::core::wire::Failure;
    use crate::core::wire::{
        Delivery, DeliveryStatus, FieldError, Problem, ResultStatus, UserResult,
    };
    use crate::dialog::kit::delivery::RecipientsError;
    use crate::dialog::kit::password::Estimation;
    use crate::dialog::kit::submission::{field_refusal, Phase};

    fn config() -> Rc<Config> {
        Rc::new(
            Config::from_attributes(|name| {
                match name {
                    "endpoint" => Some("/api/password-resets"),
                    "user-id" => Some("u-1042"),
                    "user-name" => Some("Diane Prescott"),
                    "user-email" => Some("diane@contoso.com"),
                    "deliver-to" => Some("admin@contoso.com"),
                    _ => None,
                }
                .map(String::from)
            })
            .unwrap(),
        )
    }

    fn fresh() -> Rc<State> {
        let config = config();
        let Subject::One(user) = config.subject.clone() else {
            panic!("one user")
        };
        Rc::new(State::new(
            config,
            Rc::new(user),
            generate(&GeneratorOptions::default(), &mut OsRandom).unwrap(),
        ))
    }

    fn run(state: Rc<State>, actions: impl IntoIterator<Item = Action>) -> Rc<State> {
        actions.into_iter().fold(state, State::apply)
    }

    fn strong_estimate() -> Estimate {
        Estimate {
            score: 4,
            guesses_log10: 14.0,
            warning: None,
            suggestions: vec![],
            crack_time_seconds: 1e10,
            truncated: false,
        }
    }

    fn success() -> Outcome {
        Ok(ResetResponse {
            results: vec![UserResult {
                user_id: "u-1042".into(),
                status: ResultStatus::Reset,
                detail: None,
            }],
            delivery: Delivery {
                status: DeliveryStatus::Queued,
                detail: None,
            },
        })
    }

    fn submit() -> Action {
        Action::Submit {
            fresh_key: "key-1".into(),
        }
    }

    #[test]
    fn the_default_path_needs_no_estimator() {
        let s = run(fresh(), [Action::Next, Action::Next]);
        assert_eq!(s.step, Step::Delivery);
        assert_eq!(s.strength().unwrap().score, 4);
        assert!(s.can_submit());
        let request = s.request().unwrap();
        assert_eq!(request.password_source, PasswordSource::Generated);
        assert_eq!(request.deliver_to, vec!["admin@contoso.com"]);
        assert!(request.force_change_password_next_sign_in);
    }

    #[test]
    fn next_waits_for_the_policy_on_the_strength_step() {
        let s = run(
            fresh(),
            [
                Action::ChooseMode(Mode::Custom),
                Action::CustomEdited(Secret::new("short")),
                Action::Next,
            ],
        );
        assert_eq!(s.step, Step::Strength);
        assert!(!s.can_go_next(), "strength unknown");
        let s = run(
            s,
            [
                Action::Feedback(Feedback::Estimated {
                    revision: 1,
                    estimate: strong_estimate(),
                }),
                Action::Next,
            ],
        );
        assert_eq!(s.step, Step::Strength, "too short even when strong");
        assert_eq!(s.violations(), vec![Violation::TooShort { min: 12 }]);
    }

    #[test]
    fn a_late_estimate_of_older_text_is_dropped() {
        let s = run(
            fresh(),
            [
                Action::ChooseMode(Mode::Custom),
                Action::CustomEdited(Secret::new("a-long-password-1")),
                Action::CustomEdited(Secret::new("a-long-password-12")),
                Action::Feedback(Feedback::Estimated {
                    revision: 1,
                    estimate: strong_estimate(),
                }),
            ],
        );
        assert_eq!(s.draft.estimation, Estimation::Checking);
        assert_eq!(s.draft.meter_strength(), None, "nothing known yet");
        let s = s.apply(Action::Feedback(Feedback::Estimated {
            revision: 2,
            estimate: strong_estimate(),
        }));
        assert!(matches!(s.draft.estimation, Estimation::Known(_)));
    }

    #[test]
    fn a_blocklist_that_is_loading_or_missing_holds_up_custom_passwords_only() {
        for list in [Blocklist::Loading, Blocklist::Unavailable] {
            let s = run(
                fresh(),
                [
                    Action::Feedback(Feedback::Blocklist(list.clone())),
                    Action::Next,
                ],
            );
            assert_eq!(s.step, Step::Strength);
            assert!(s.violations().is_empty(), "{:?}", s.violations());
            assert!(s.can_go_next(), "the generated password goes on");
            let s = run(
                s,
                [
                    Action::Back,
                    Action::ChooseMode(Mode::Custom),
                    Action::CustomEdited(Secret::new("a-long-password-1")),
                    Action::Feedback(Feedback::Estimated {
                        revision: 1,
                        estimate: strong_estimate(),
                    }),
                    Action::Next,
                ],
            );
            let expected = match list {
                Blocklist::Loading => Violation::BlocklistPending,
                _ => Violation::BlocklistUnavailable,
            };
            assert_eq!(s.violations(), vec![expected]);
            assert!(!s.can_go_next());
        }
    }

    #[test]
    fn going_back_and_forth_keeps_the_input() {
        let s = run(
            fresh(),
            [
                Action::ChooseMode(Mode::Custom),
                Action::CustomEdited(Secret::new("a-long-password-1")),
                Action::Feedback(Feedback::Estimated {
                    revision: 1,
                    estimate: strong_estimate(),
                }),
                Action::Next,
                Action::Next,
                Action::RecipientsEdited("it@contoso.com".into()),
                Action::Back,
                Action::Back,
            ],
        );
        assert_eq!(s.step, Step::Password);
        assert_eq!(s.draft.custom.expose(), "a-long-password-1");
        assert_eq!(s.delivery.recipients_text, "it@contoso.com");
        assert_eq!(run(s, [Action::Next, Action::Next]).step, Step::Delivery);
    }

    #[test]
    fn a_bad_address_blocks_the_reset_and_is_named() {
        let s = run(
            fresh(),
            [
                Action::Next,
                Action::Next,
                Action::RecipientsEdited("admin@contoso.com, nope".into()),
            ],
        );
        assert_eq!(
            s.delivery.recipients_error,
            Some(RecipientsError::BadAddress("nope".into()))
        );
        assert!(!s.can_submit());
        let s = s.apply(submit());
        assert_eq!(s.submission.phase, Phase::Editing);
    }

    #[test]
    fn a_double_submit_is_one_attempt() {
        let s = run(fresh(), [Action::Next, Action::Next, submit(), submit()]);
        assert_eq!(s.submission.phase, Phase::InFlight { attempt: 1 });
        assert_eq!(s.submission.attempts, 1);
    }

    #[test]
    fn a_failure_keeps_the_password_and_the_key_for_the_retry() {
        let s = run(fresh(), [Action::Next, Action::Next, submit()]);
        let password = s.password().clone();
        let s = s.apply(Action::Finished {
            attempt: 1,
            outcome: Err(Failure::Network),
        });
        assert!(s.submission.frozen());
        // Regenerating is refused while the outcome is unknown.
        let other = generate(&GeneratorOptions::default(), &mut OsRandom).unwrap();
        let s = run(
            s,
            [
                Action::Regenerated(other),
                Action::Submit {
                    fresh_key: "key-2".into(),
                },
            ],
        );
        assert_eq!(s.password(), &password);
        assert_eq!(s.submission.key.as_deref(), Some("key-1"));
        let s = s.apply(Action::Finished {
            attempt: 2,
            outcome: success(),
        });
        assert!(s.submission.succeeded().is_some());
    }

    #[test]
    fn a_field_error_from_the_backend_is_shown_at_its_field() {
        let problem = Problem {
            kind: None,
            title: Some("Invalid request".into()),
            status: Some(422),
            detail: Some("Check the addresses.".into()),
            errors: vec![FieldError {
                field: "deliverTo".into(),
                detail: "x@y.invalid is not deliverable".into(),
                code: None,
                limit: None,
            }],
        };
        let s = run(
            fresh(),
            [
                Action::Next,
                Action::Next,
                submit(),
                Action::Finished {
                    attempt: 1,
                    outcome: Err(Failure::Rejected {
                        status: 422,
                        problem: Some(problem),
                        retry_after: None,
                    }),
                },
            ],
        );
        assert_eq!(
            s.delivery.recipients_error,
            Some(RecipientsError::Backend(
                "x@y.invalid is not deliverable".into()
            ))
        );
        assert!(!s.submission.frozen(), "a 422 means nothing was reset");
        // Fixing the address makes a new submission with a new key.
        let s = run(
            s,
            [
                Action::RecipientsEdited("it@contoso.com".into()),
                Action::Submit {
                    fresh_key: "key-2".into(),
                },
            ],
        );
        assert_eq!(s.submission.key.as_deref(), Some("key-2"));
    }

    fn step_up_required() -> Failure {
        Failure::Rejected {
            status: 403,
            problem: Some(Problem {
                kind: Some("/problems/step-up-required".into()),
                title: Some("Confirm your password".into()),
                status: Some(403),
                detail: Some("Nothing was changed.".into()),
                errors: vec![],
            }),
            retry_after: None,
        }
    }

    fn step_up(action: StepUpAction) -> Action {
        Action::StepUp(action)
    }

    #[test]
    fn an_administrators_reset_asks_for_the_admins_password_then_retries_with_the_same_key() {
        let s = run(
            fresh(),
            [
                Action::Next,
                Action::Next,
                submit(),
                Action::Finished {
                    attempt: 1,
                    outcome: Err(step_up_required()),
                },
            ],
        );
        assert!(s.step_up.open, "Confirm it's you");
        assert!(!s.can_submit(), "the prompt stands in front of the form");
        let password = s.password().clone();
        let s = run(
            s,
            [
                Action::RecipientsEdited("someone-else@contoso.com".into()),
                Action::Back,
                step_up(StepUpAction::Edited(std::rc::Rc::new(Secret::new(
                    "wrong-own-password",
                )))),
                step_up(StepUpAction::Submit {
                    fresh_key: "step-1".into(),
                }),
            ],
        );
        assert_eq!(s.step, Step::Delivery, "no going back meanwhile");
        assert_eq!(
            s.delivery.recipients_text, "admin@contoso.com",
            "nor editing"
        );
        assert_eq!(s.step_up.submission.attempt_in_flight(), Some(1));
        assert!(!s.submission.in_flight(), "the reset waits");
        let wrong = field_refusal(422, "password", "The password is wrong.");
        let s = run(
            s,
            [
                step_up(StepUpAction::Finished {
                    attempt: 1,
                    outcome: Err(wrong),
                }),
                step_up(StepUpAction::Edited(std::rc::Rc::new(Secret::new(
                    "right-own-password",
                )))),
                step_up(StepUpAction::Submit {
                    fresh_key: "step-2".into(),
                }),
                step_up(StepUpAction::Finished {
                    attempt: 2,
                    outcome: Ok(crate::core::wire::StatusResponse {
                        status: "confirmed".into(),
                    }),
                }),
            ],
        );
        assert!(!s.step_up.open);
        assert_eq!(s.submission.phase, Phase::InFlight { attempt: 2 });
        assert_eq!(s.submission.key.as_deref(), Some("key-1"), "the same key");
        assert_eq!(s.password(), &password, "the same password");
        let s = s.apply(Action::Finished {
            attempt: 2,
            outcome: success(),
        });
        assert!(s.submission.succeeded().is_some());
    }

    #[test]
    fn cancelling_the_step_up_goes_back_to_the_form_as_it_was() {
        let s = run(
            fresh(),
            [
                Action::Next,
                Action::Next,
                Action::RecipientsEdited("it@contoso.com".into()),
                submit(),
                Action::Finished {
                    attempt: 1,
                    outcome: Err(step_up_required()),
                },
                step_up(StepUpAction::Edited(std::rc::Rc::new(Secret::new(
                    "half-typed",
                )))),
                step_up(StepUpAction::Cancel),
            ],
        );
        assert!(!s.step_up.open);
        assert!(
            s.step_up.password.is_empty(),
            "the typed password is dropped"
        );
        assert_eq!(s.step, Step::Delivery);
        assert_eq!(s.delivery.recipients_text, "it@contoso.com");
        assert_eq!(s.submission.phase, Phase::Editing, "no failure shown");
        assert!(s.can_submit());
        let s = s.apply(Action::Submit {
            fresh_key: "key-2".into(),
        });
        assert_eq!(s.submission.key.as_deref(), Some("key-2"));
    }

    #[test]
    fn the_policys_refusal_is_shown_at_the_password_in_the_dialogs_words() {
        let problem = Problem {
            kind: None,
            title: Some("Invalid request".into()),
            status: Some(422),
            detail: None,
            errors: vec![FieldError {
                field: "resets[0].password".into(),
                detail: "This password is on the organisation's list.".into(),
                code: Some("onBlocklist".into()),
                limit: None,
            }],
        };
        let refused = Action::Finished {
            attempt: 1,
            outcome: Err(Failure::Rejected {
                status: 422,
                problem: Some(problem),
                retry_after: None,
            }),
        };
        let s = run(fresh(), [Action::Next, Action::Next, submit(), refused]);
        assert_eq!(s.step, Step::Password, "back to the password to change it");
        assert_eq!(
            s.draft.refused,
            Some(Refusal::Policy(Violation::OnBlocklist))
        );
        // A rule with a number says the backend's number, not the dialog's.
        let e = FieldError {
            field: "resets[0].password".into(),
            detail: "Must be at least 20 characters.".into(),
            code: Some("tooShort".into()),
            limit: Some(20),
        };
        assert_eq!(
            Refusal::of(&e),
            Refusal::Policy(Violation::TooShort { min: 20 })
        );
        let unknown = FieldError {
            code: Some("tooFamous".into()),
            ..e.clone()
        };
        assert_eq!(
            Refusal::of(&unknown),
            Refusal::Said("Must be at least 20 characters.".into())
        );
        // A new password clears it.
        let s = run(s, [Action::CustomEdited(Secret::new("Vq8#tLm2!pZx9wRk"))]);
        assert_eq!(s.draft.refused, None);
    }

    #[test]
    fn a_stale_finish_is_ignored() {
        let s = run(fresh(), [Action::Next, Action::Next, submit()]);
        let s = s.apply(Action::Finished {
            attempt: 9,
            outcome: success(),
        });
        assert!(s.submission.in_flight());
    }

    #[test]
    fn retry_waits_for_retry_after() {
        let busy = Failure::Rejected {
            status: 503,
            problem: None,
            retry_after: Some(2),
        };
        let s = run(
            fresh(),
            [
                Action::Next,
                Action::Next,
                submit(),
                Action::Finished {
                    attempt: 1,
                    outcome: Err(busy),
                },
            ],
        );
        assert_eq!(s.submission.retry_wait, 2);
        assert!(!s.can_submit());
        let s = run(
            s,
            [
                Action::RetryTick,
                Action::Submit {
                    fresh_key: "key-2".into(),
                },
            ],
        );
        assert!(!s.submission.in_flight(), "still one second to wait");
        let s = run(
            s,
            [
                Action::RetryTick,
                Action::Submit {
                    fresh_key: "key-2".into(),
                },
            ],
        );
        assert_eq!(s.submission.phase, Phase::InFlight { attempt: 2 });
        assert_eq!(
            s.submission.key.as_deref(),
            Some("key-1"),
            "the retry keeps its key"
        );
    }

    #[test]
    fn an_expired_session_loses_nothing() {
        let expired = Failure::Rejected {
            status: 401,
            problem: None,
            retry_after: None,
        };
        let s = run(
            fresh(),
            [
                Action::Next,
                Action::Next,
                Action::RecipientsEdited("it@contoso.com".into()),
                submit(),
                Action::Finished {
                    attempt: 1,
                    outcome: Err(expired),
                },
            ],
        );
        assert_eq!(s.step, Step::Delivery);
        assert_eq!(s.delivery.recipients_text, "it@contoso.com");
        assert!(s.can_submit(), "Retry after signing in again");
    }

    #[test]
    fn the_meter_keeps_the_last_estimate_while_the_next_is_computed() {
        let s = run(
            fresh(),
            [
                Action::ChooseMode(Mode::Custom),
                Action::CustomEdited(Secret::new("a-long-password-1")),
                Action::Feedback(Feedback::Estimated {
                    revision: 1,
                    estimate: strong_estimate(),
                }),
                Action::CustomEdited(Secret::new("a-long-password-12")),
            ],
        );
        assert_eq!(s.strength(), None, "the policy waits for the new estimate");
        assert_eq!(
            s.draft.meter_strength().unwrap().score,
            4,
            "the meter keeps the last one"
        );
        let s = s.apply(Action::CustomEdited(Secret::new("")));
        assert_eq!(s.draft.meter_strength(), None);
    }
}
