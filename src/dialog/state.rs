//! The dialog's state as a pure reducer (`State` + `Action`, like Yew's
//! todomvc example). Everything the dialog decides is decided here; the
//! components only render a `State` and dispatch `Action`s. Randomness (a new
//! password, an idempotency key) is drawn by the caller and passed in, so the
//! reducer stays pure.

use std::rc::Rc;

use crate::core::config::Config;
use crate::core::generator::Generated;
use crate::core::policy::{Blocklist, Violation};
use crate::core::recipients::{parse_recipients, BadAddress};
use crate::core::secret::Secret;
use crate::core::strength::{Estimate, Strength};
use crate::core::wire::{
    Failure, Outcome, PasswordSource, ResetEntry, ResetRequest, ResetResponse,
};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Generated,
    Custom,
}

/// The strength of the custom password, which the estimator computes.
#[derive(Debug, Clone, PartialEq)]
pub enum Estimation {
    /// Nothing typed yet.
    Idle,
    /// Asked the estimator; waiting (it may still be downloading).
    Checking,
    Known(Strength),
    /// The estimator could not be loaded or failed.
    Failed,
}

/// What is wrong with the delivery addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecipientsError {
    /// Found by the widget: this entry is not an e-mail address.
    BadAddress(String),
    /// Said by the backend (a field error on `deliverTo`).
    Backend(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Submission {
    /// Not sent yet.
    Editing,
    /// Attempt `attempt` is on its way; the Reset button is disabled.
    InFlight {
        attempt: u32,
    },
    Failed(Failure),
    Succeeded(ResetResponse),
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub config: Rc<Config>,
    pub step: Step,
    pub mode: Mode,
    pub generated: Generated,
    pub custom: Secret,
    /// Counts edits of the custom password, so a late estimate of an older
    /// text is recognised and dropped.
    pub custom_revision: u32,
    pub estimation: Estimation,
    /// The last estimate of the custom password, shown while the next is computed.
    pub previous_estimate: Option<Strength>,
    pub show_password: bool,
    pub recipients_text: String,
    pub recipients_error: Option<RecipientsError>,
    pub force_change: bool,
    pub submission: Submission,
    /// The Idempotency-Key of the current submission: the same for all its
    /// retries, cleared by any change to what would be sent.
    pub idempotency_key: Option<String>,
    pub attempts: u32,
    /// Seconds until Retry is allowed again (the backend's `Retry-After`).
    pub retry_wait: u32,
    /// The organisation's blocklist, fetched once when configured.
    pub blocklist: Blocklist,
    /// Bumped whenever the strength the meter shows changes (for the strength event).
    pub strength_version: u32,
}

#[derive(Debug, Clone)]
pub enum Action {
    ChooseMode(Mode),
    Regenerated(Generated),
    CustomEdited(Secret),
    Estimated {
        revision: u32,
        estimate: Estimate,
    },
    EstimationFailed {
        revision: u32,
    },
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
    /// The blocklist was fetched (or could not be).
    BlocklistChanged(Blocklist),
}

impl State {
    pub fn new(config: Rc<Config>, generated: Generated) -> Self {
        let recipients_text = config.deliver_to.join(", ");
        Self {
            config,
            step: Step::Password,
            mode: Mode::Generated,
            generated,
            custom: Secret::default(),
            custom_revision: 0,
            estimation: Estimation::Idle,
            previous_estimate: None,
            show_password: false,
            recipients_text,
            recipients_error: None,
            force_change: true,
            submission: Submission::Editing,
            idempotency_key: None,
            attempts: 0,
            blocklist: Blocklist::None,
            retry_wait: 0,
            strength_version: 1,
        }
    }

    /// The password that would be sent.
    pub fn password(&self) -> &Secret {
        match self.mode {
            Mode::Generated => &self.generated.password,
            Mode::Custom => &self.custom,
        }
    }

    /// What the meter shows: the strength, or while a new estimate is on its
    /// way the previous one. Keeping it (instead of flashing "Checking…")
    /// means a keystroke changes nothing on screen but the field, so the
    /// browser need not render a frame before the estimate's answer is handled.
    pub fn meter_strength(&self) -> Option<Strength> {
        match (self.mode, &self.estimation) {
            (Mode::Custom, Estimation::Checking) => self.previous_estimate.clone(),
            _ => self.strength(),
        }
    }

    /// The strength of the password as it is now, if known (what the policy uses).
    pub fn strength(&self) -> Option<Strength> {
        match (self.mode, &self.estimation) {
            (Mode::Generated, _) => Some(Strength::from_entropy(self.generated.entropy_bits)),
            (Mode::Custom, Estimation::Known(s)) => Some(s.clone()),
            (Mode::Custom, _) => None,
        }
    }

    /// Why the password may not be used; empty when it may.
    pub fn violations(&self) -> Vec<Violation> {
        // A banned-password list holds what people choose; a generated password
        // is drawn from 2^100 or so, so it neither waits for the list nor
        // needs it (it is the way out when the list cannot be loaded).
        let blocklist = match self.mode {
            Mode::Generated => &Blocklist::None,
            Mode::Custom => &self.blocklist,
        };
        self.config.policy.check(
            self.password().expose(),
            self.strength().as_ref(),
            &self.config.user,
            blocklist,
        )
    }

    pub fn can_go_next(&self) -> bool {
        match self.step {
            Step::Password => !self.password().is_empty(),
            Step::Strength => self.violations().is_empty(),
            Step::Delivery => false,
        }
    }

    pub fn in_flight(&self) -> bool {
        matches!(self.submission, Submission::InFlight { .. })
    }

    pub fn succeeded(&self) -> Option<&ResetResponse> {
        match &self.submission {
            Submission::Succeeded(r) => Some(r),
            _ => None,
        }
    }

    /// Once a submission's outcome is unknown, the password is frozen: editing
    /// it could lock the user out with a password nobody knows.
    pub fn password_locked(&self) -> bool {
        match &self.submission {
            Submission::InFlight { .. } | Submission::Succeeded(_) => true,
            Submission::Failed(f) => f.outcome_unknown(),
            Submission::Editing => false,
        }
    }

    pub fn can_submit(&self) -> bool {
        self.step == Step::Delivery
            && !self.in_flight()
            && self.retry_wait == 0
            && self.succeeded().is_none()
            && self.violations().is_empty()
            && parse_recipients(&self.recipients_text).is_ok()
    }

    /// The request body for the current state.
    pub fn request(&self) -> Option<ResetRequest> {
        let deliver_to = parse_recipients(&self.recipients_text).ok()?;
        Some(ResetRequest {
            resets: vec![ResetEntry {
                user_id: self.config.user.user_id.clone(),
                password: self.password().clone(),
            }],
            password_source: match self.mode {
                Mode::Generated => PasswordSource::Generated,
                Mode::Custom => PasswordSource::Custom,
            },
            force_change_password_next_sign_in: self.force_change,
            deliver_to,
        })
    }

    /// Something that changes the request: a new submission, a new key.
    fn request_changed(&mut self) {
        self.idempotency_key = None;
        if matches!(self.submission, Submission::Failed(_)) {
            self.submission = Submission::Editing;
        }
    }
}

impl State {
    /// The reducer: the state after `action`, or the same `Rc` when the action
    /// changes nothing (so Yew skips the re-render).
    pub fn apply(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::ChooseMode(mode) => {
                if s.password_locked() || s.mode == mode {
                    return self;
                }
                s.mode = mode;
                s.request_changed();
                s.strength_version += 1;
            }
            Action::Regenerated(generated) => {
                if s.password_locked() {
                    return self;
                }
                s.generated = generated;
                s.request_changed();
                if s.mode == Mode::Generated {
                    s.strength_version += 1;
                }
            }
            Action::CustomEdited(text) => {
                if s.password_locked() {
                    return self;
                }
                s.estimation = if text.is_empty() {
                    s.previous_estimate = None;
                    Estimation::Idle
                } else {
                    Estimation::Checking
                };
                s.custom = text;
                s.custom_revision += 1;
                s.request_changed();
            }
            Action::Estimated { revision, estimate } => {
                if revision != s.custom_revision {
                    return self;
                }
                let strength = Strength::from_estimate(estimate);
                s.previous_estimate = Some(strength.clone());
                s.estimation = Estimation::Known(strength);
                s.strength_version += 1;
            }
            Action::EstimationFailed { revision } => {
                if revision != s.custom_revision {
                    return self;
                }
                s.estimation = Estimation::Failed;
            }
            Action::ToggleShowPassword => s.show_password = !s.show_password,
            Action::Next => {
                if !s.can_go_next() {
                    return self;
                }
                s.step = match s.step {
                    Step::Password => Step::Strength,
                    Step::Strength | Step::Delivery => Step::Delivery,
                };
            }
            Action::Back => {
                if s.in_flight() {
                    return self;
                }
                s.step = match s.step {
                    Step::Password | Step::Strength => Step::Password,
                    Step::Delivery => Step::Strength,
                };
            }
            Action::RecipientsEdited(text) => {
                if s.password_locked() {
                    return self;
                }
                s.recipients_error = parse_recipients(&text)
                    .err()
                    .map(|BadAddress(a)| RecipientsError::BadAddress(a));
                s.recipients_text = text;
                s.request_changed();
            }
            Action::ToggleForceChange => {
                if s.password_locked() {
                    return self;
                }
                s.force_change = !s.force_change;
                s.request_changed();
            }
            Action::Submit { fresh_key } => {
                if !s.can_submit() {
                    return self;
                }
                s.idempotency_key.get_or_insert(fresh_key);
                s.attempts += 1;
                s.submission = Submission::InFlight {
                    attempt: s.attempts,
                };
            }
            Action::BlocklistChanged(blocklist) => s.blocklist = blocklist,
            Action::RetryTick => s.retry_wait = s.retry_wait.saturating_sub(1),
            Action::Finished { attempt, outcome } => {
                if s.submission != (Submission::InFlight { attempt }) {
                    return self;
                }
                s.submission = match outcome {
                    Ok(response) => {
                        // The result view shows the password hidden until revealed again.
                        s.show_password = false;
                        Submission::Succeeded(response)
                    }
                    Err(failure) => {
                        s.retry_wait = failure.retry_after().unwrap_or(0);
                        // A field error from the backend goes next to its field.
                        if let Some(problem) = failure.problem() {
                            for e in &problem.errors {
                                if e.field == "deliverTo" {
                                    s.recipients_error =
                                        Some(RecipientsError::Backend(e.detail.clone()));
                                }
                            }
                            if problem.errors.iter().any(|e| e.field.starts_with("resets")) {
                                s.step = Step::Password;
                            }
                        }
                        Submission::Failed(failure)
                    }
                };
            }
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::generator::{generate, GeneratorOptions};
    use crate::core::random::OsRandom;
    use crate::core::wire::{
        Delivery, DeliveryStatus, FieldError, Problem, ResultStatus, UserResult,
    };

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
        Rc::new(State::new(
            config(),
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
                Action::Estimated {
                    revision: 1,
                    estimate: strong_estimate(),
                },
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
                Action::Estimated {
                    revision: 1,
                    estimate: strong_estimate(),
                },
            ],
        );
        assert_eq!(s.estimation, Estimation::Checking);
        assert_eq!(s.meter_strength(), None, "nothing known yet");
        let s = s.apply(Action::Estimated {
            revision: 2,
            estimate: strong_estimate(),
        });
        assert!(matches!(s.estimation, Estimation::Known(_)));
    }

    #[test]
    fn a_blocklist_that_is_loading_or_missing_holds_up_custom_passwords_only() {
        for list in [Blocklist::Loading, Blocklist::Unavailable] {
            let s = run(
                fresh(),
                [Action::BlocklistChanged(list.clone()), Action::Next],
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
                    Action::Estimated {
                        revision: 1,
                        estimate: strong_estimate(),
                    },
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
                Action::Estimated {
                    revision: 1,
                    estimate: strong_estimate(),
                },
                Action::Next,
                Action::Next,
                Action::RecipientsEdited("it@contoso.com".into()),
                Action::Back,
                Action::Back,
            ],
        );
        assert_eq!(s.step, Step::Password);
        assert_eq!(s.custom.expose(), "a-long-password-1");
        assert_eq!(s.recipients_text, "it@contoso.com");
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
            s.recipients_error,
            Some(RecipientsError::BadAddress("nope".into()))
        );
        assert!(!s.can_submit());
        let s = s.apply(submit());
        assert_eq!(s.submission, Submission::Editing);
    }

    #[test]
    fn a_double_submit_is_one_attempt() {
        let s = run(fresh(), [Action::Next, Action::Next, submit(), submit()]);
        assert_eq!(s.submission, Submission::InFlight { attempt: 1 });
        assert_eq!(s.attempts, 1);
    }

    #[test]
    fn a_failure_keeps_the_password_and_the_key_for_the_retry() {
        let s = run(fresh(), [Action::Next, Action::Next, submit()]);
        let password = s.password().clone();
        let s = s.apply(Action::Finished {
            attempt: 1,
            outcome: Err(Failure::Network),
        });
        assert!(s.password_locked());
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
        assert_eq!(s.idempotency_key.as_deref(), Some("key-1"));
        let s = s.apply(Action::Finished {
            attempt: 2,
            outcome: success(),
        });
        assert!(s.succeeded().is_some());
    }

    #[test]
    fn a_field_error_from_the_backend_is_shown_at_its_field() {
        let problem = Problem {
            title: Some("Invalid request".into()),
            status: Some(422),
            detail: Some("Check the addresses.".into()),
            errors: vec![FieldError {
                field: "deliverTo".into(),
                detail: "x@y.invalid is not deliverable".into(),
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
            s.recipients_error,
            Some(RecipientsError::Backend(
                "x@y.invalid is not deliverable".into()
            ))
        );
        assert!(!s.password_locked(), "a 422 means nothing was reset");
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
        assert_eq!(s.idempotency_key.as_deref(), Some("key-2"));
    }

    #[test]
    fn a_stale_finish_is_ignored() {
        let s = run(fresh(), [Action::Next, Action::Next, submit()]);
        let s = s.apply(Action::Finished {
            attempt: 9,
            outcome: success(),
        });
        assert!(s.in_flight());
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
        assert_eq!(s.retry_wait, 2);
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
        assert!(!s.in_flight(), "still one second to wait");
        let s = run(
            s,
            [
                Action::RetryTick,
                Action::Submit {
                    fresh_key: "key-2".into(),
                },
            ],
        );
        assert_eq!(s.submission, Submission::InFlight { attempt: 2 });
        assert_eq!(
            s.idempotency_key.as_deref(),
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
        assert_eq!(s.recipients_text, "it@contoso.com");
        assert!(s.can_submit(), "Retry after signing in again");
    }

    #[test]
    fn the_meter_keeps_the_last_estimate_while_the_next_is_computed() {
        let s = run(
            fresh(),
            [
                Action::ChooseMode(Mode::Custom),
                Action::CustomEdited(Secret::new("a-long-password-1")),
                Action::Estimated {
                    revision: 1,
                    estimate: strong_estimate(),
                },
                Action::CustomEdited(Secret::new("a-long-password-12")),
            ],
        );
        assert_eq!(s.strength(), None, "the policy waits for the new estimate");
        assert_eq!(
            s.meter_strength().unwrap().score,
            4,
            "the meter keeps the last one"
        );
        let s = s.apply(Action::CustomEdited(Secret::new("")));
        assert_eq!(s.meter_strength(), None);
    }
}
