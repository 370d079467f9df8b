//! "Confirm it's you" (step-up, GitHub's "sudo mode"): a reset of an
//! administrator's password was refused with
//! [`STEP_UP_REQUIRED`](crate::core::wire::STEP_UP_REQUIRED), so the admin
//! types their own password; it goes to the step-up endpoint in a request
//! of its own, and once the backend confirms it, the flow sends the refused
//! reset again with the same Idempotency-Key. Cancel closes the prompt and
//! leaves the flow's form as it was.
//!
//! The password typed here is a [`Secret`]: dropped as soon as the prompt
//! closes, cleared when the backend says it is wrong, and never in an event.

use std::rc::Rc;

use crate::core::secret::Secret;
use crate::core::wire::{Failure, StatusResponse, StepUpRequest, STEP_UP_PASSWORD_FIELD};
use crate::dialog::kit::submission::Submission;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StepUp {
    /// The prompt is showing: the backend asked for it.
    pub open: bool,
    /// Shared, not copied, as the flows' state is on every action.
    pub password: Rc<Secret>,
    pub shown: bool,
    /// The backend's words on the password (wrong), shown at the field.
    pub error: Option<String>,
    pub submission: Submission<StatusResponse>,
}

#[derive(Debug, Clone)]
pub enum StepUpAction {
    Edited(Rc<Secret>),
    ToggleShown,
    /// Send the password. `fresh_key` is the request's Idempotency-Key (the
    /// step-up endpoint needs none; transports send one with every request).
    Submit {
        fresh_key: String,
    },
    Finished {
        attempt: u32,
        outcome: Result<StatusResponse, Failure>,
    },
    /// One second of a `Retry-After` wait has passed.
    Tick,
    Cancel,
}

/// What an action meant for the flow around the prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepUpEvent {
    /// Nothing changed.
    Ignored,
    Changed,
    /// The backend confirmed the password: send the refused request again.
    Confirmed,
    /// The admin closed the prompt: nothing was sent on their behalf.
    Cancelled,
}

impl StepUp {
    /// Opens the prompt afresh (an empty field, no error).
    pub fn open(&mut self) {
        *self = StepUp {
            open: true,
            ..StepUp::default()
        };
    }

    pub fn can_send(&self) -> bool {
        self.open && !self.password.is_empty() && self.submission.can_send()
    }

    /// The request body.
    pub fn request(&self) -> StepUpRequest {
        StepUpRequest {
            password: self.password.clone(),
        }
    }

    /// A failure that no field explains (the general message), if any.
    pub fn failure(&self) -> Option<&Failure> {
        self.submission.failure().filter(|_| self.error.is_none())
    }

    pub fn apply(&mut self, action: StepUpAction) -> StepUpEvent {
        let busy = self.submission.in_flight();
        match action {
            _ if !self.open => return StepUpEvent::Ignored,
            StepUpAction::Edited(text) if !busy => {
                self.password = text;
                self.error = None;
                self.submission.changed();
            }
            StepUpAction::ToggleShown => self.shown = !self.shown,
            StepUpAction::Submit { fresh_key } if self.can_send() => {
                self.submission.start(fresh_key);
            }
            StepUpAction::Finished { attempt, outcome } => {
                if !self.submission.finish(attempt, outcome) {
                    return StepUpEvent::Ignored;
                }
                if self.submission.succeeded().is_some() {
                    *self = StepUp::default();
                    return StepUpEvent::Confirmed;
                }
                let wrong = self
                    .submission
                    .failure()
                    .and_then(Failure::problem)
                    .and_then(|p| p.errors.iter().find(|e| e.field == STEP_UP_PASSWORD_FIELD))
                    .map(|e| e.detail.clone());
                if let Some(detail) = wrong {
                    // Typed again from scratch; the field says why.
                    self.password = Rc::default();
                    self.error = Some(detail);
                }
            }
            StepUpAction::Tick => self.submission.tick(),
            StepUpAction::Cancel if !busy => {
                *self = StepUp::default();
                return StepUpEvent::Cancelled;
            }
            _ => return StepUpEvent::Ignored,
        }
        StepUpEvent::Changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialog::kit::submission::field_refusal;

    fn wrong_password() -> Failure {
        field_refusal(422, "password", "The password is wrong.")
    }

    fn confirmed() -> Result<StatusResponse, Failure> {
        Ok(StatusResponse {
            status: "confirmed".into(),
        })
    }

    fn submit(s: &mut StepUp, key: &str) -> StepUpEvent {
        s.apply(StepUpAction::Submit {
            fresh_key: key.into(),
        })
    }

    #[test]
    fn a_closed_prompt_does_nothing() {
        let mut s = StepUp::default();
        assert_eq!(
            s.apply(StepUpAction::Edited(std::rc::Rc::new(Secret::new("x")))),
            StepUpEvent::Ignored
        );
        assert_eq!(s.apply(StepUpAction::Cancel), StepUpEvent::Ignored);
        assert!(!s.can_send());
    }

    #[test]
    fn a_wrong_password_is_cleared_and_said_at_the_field_then_the_right_one_confirms() {
        let mut s = StepUp::default();
        s.open();
        assert!(!s.can_send(), "nothing typed");
        s.apply(StepUpAction::Edited(std::rc::Rc::new(Secret::new(
            "not-my-password",
        ))));
        submit(&mut s, "k1");
        assert_eq!(s.submission.attempt_in_flight(), Some(1));
        assert_eq!(
            s.apply(StepUpAction::Edited(std::rc::Rc::new(Secret::new(
                "changed meanwhile"
            )))),
            StepUpEvent::Ignored,
            "the field is frozen while the password is checked"
        );
        assert_eq!(
            s.apply(StepUpAction::Cancel),
            StepUpEvent::Ignored,
            "not while it is checked"
        );
        s.apply(StepUpAction::Finished {
            attempt: 1,
            outcome: Err(wrong_password()),
        });
        assert!(s.open);
        assert!(s.password.is_empty(), "typed again");
        assert_eq!(s.error.as_deref(), Some("The password is wrong."));
        assert_eq!(s.failure(), None, "the field says it all");
        s.apply(StepUpAction::Edited(std::rc::Rc::new(Secret::new(
            "Contoso-Admin-Demo-2026",
        ))));
        assert_eq!(s.error, None);
        assert_eq!(s.request().password.expose(), "Contoso-Admin-Demo-2026");
        submit(&mut s, "k2");
        let event = s.apply(StepUpAction::Finished {
            attempt: 2,
            outcome: confirmed(),
        });
        assert_eq!(event, StepUpEvent::Confirmed);
        assert!(!s.open);
        assert!(s.password.is_empty(), "the password is not kept");
    }

    #[test]
    fn a_busy_backend_is_waited_for_and_cancel_forgets_the_password() {
        let mut s = StepUp::default();
        s.open();
        s.apply(StepUpAction::Edited(std::rc::Rc::new(Secret::new(
            "my-password",
        ))));
        submit(&mut s, "k1");
        let limited = Failure::Rejected {
            status: 429,
            problem: None,
            retry_after: Some(1),
        };
        s.apply(StepUpAction::Finished {
            attempt: 1,
            outcome: Err(limited.clone()),
        });
        assert_eq!(s.failure(), Some(&limited));
        assert_eq!(s.password.expose(), "my-password", "kept for the retry");
        assert!(!s.can_send(), "Retry-After");
        s.apply(StepUpAction::Tick);
        assert!(s.can_send());
        assert_eq!(
            s.apply(StepUpAction::Finished {
                attempt: 7,
                outcome: confirmed()
            }),
            StepUpEvent::Ignored,
            "a stale answer"
        );
        assert_eq!(s.apply(StepUpAction::Cancel), StepUpEvent::Cancelled);
        assert_eq!(s, StepUp::default());
    }
}
