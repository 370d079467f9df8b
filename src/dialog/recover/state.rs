//! Recovering a forgotten password, as a pure reducer: three requests, each
//! the kit's [`Submission`] with its never-lost rules, and the new password as
//! the kit's [`PasswordDraft`]. The recovery token lives here, in memory only.

use std::rc::Rc;

use crate::core::config::Config;
use crate::core::generator::Generated;
use crate::core::policy::{UserWords, Violation};
use crate::core::secret::Secret;
use crate::core::wire::{
    CodeRequest, CompletionRequest, Failure, StatusResponse, VerificationRequest,
    VerificationResponse, CODE_FIELD, NEW_PASSWORD_FIELD,
};
use crate::dialog::kit::password::{Feedback, NewPassword, NewPasswordEdit, Refusal};
use crate::dialog::kit::submission::Submission;

/// How long "Send a new code" waits after each code sent.
pub const RESEND_AFTER_SECONDS: u32 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Login,
    Code,
    Password,
}

impl Step {
    /// 1-based, for "Step 2 of 3".
    pub fn number(self) -> usize {
        match self {
            Self::Login => 1,
            Self::Code => 2,
            Self::Password => 3,
        }
    }
}

/// The recovery's three requests, each with its own `Retry-After` wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    Codes,
    Verification,
    Completion,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub config: Rc<Config>,
    pub step: Step,
    pub login: String,
    /// Asking for a code (the first, or a new one).
    pub codes: Submission<StatusResponse>,
    /// Seconds until "Send a new code" is allowed.
    pub resend_wait: u32,
    /// Counts codes asked for, so each starts its own resend countdown.
    pub codes_sent: u32,
    /// Shared, not copied, when the reducer clones the state (`kit::password`).
    pub code: Rc<Secret>,
    /// The backend said the code is wrong or has expired (its words).
    pub code_error: Option<String>,
    pub verification: Submission<VerificationResponse>,
    /// Proof of the verified code, for the completion only.
    pub token: Option<Rc<Secret>>,
    /// The new password and its confirmation.
    pub new: NewPassword,
    pub completion: Submission<StatusResponse>,
    /// Why the user is back at step 1 (the recovery expired or was used).
    pub restarted: Option<String>,
}

#[derive(Debug)]
pub enum Action {
    LoginEdited(String),
    /// Send code, or Send a new code.
    SendCode {
        fresh_key: String,
    },
    CodesFinished {
        attempt: u32,
        outcome: Result<StatusResponse, Failure>,
    },
    ResendTick,
    CodeEdited(Secret),
    Verify {
        fresh_key: String,
    },
    Verified {
        attempt: u32,
        outcome: Result<VerificationResponse, Failure>,
    },
    NewPassword(NewPasswordEdit),
    /// The estimator's answer, or the blocklist.
    Feedback(Feedback),
    Complete {
        fresh_key: String,
    },
    Completed {
        attempt: u32,
        outcome: Result<StatusResponse, Failure>,
    },
    /// One second of that request's `Retry-After` wait has passed.
    RetryTick(Request),
}

impl State {
    pub fn new(config: Rc<Config>, generated: Generated) -> Self {
        Self {
            config,
            step: Step::Login,
            login: String::new(),
            codes: Submission::default(),
            resend_wait: 0,
            codes_sent: 0,
            code: Rc::default(),
            code_error: None,
            verification: Submission::default(),
            token: None,
            new: NewPassword::new(generated),
            completion: Submission::default(),
            restarted: None,
        }
    }

    /// The login as typed, without surrounding spaces.
    pub fn login(&self) -> &str {
        self.login.trim()
    }

    /// The words a new password must avoid: the login (an id, or an e-mail).
    pub fn user(&self) -> UserWords {
        let login = self.login().to_string();
        UserWords {
            email: if login.contains('@') {
                login.clone()
            } else {
                String::new()
            },
            user_id: login,
            name: String::new(),
            context: self.config.context_words.clone(),
        }
    }

    pub fn new_password(&self) -> &Rc<Secret> {
        self.new.draft.password()
    }

    pub fn violations(&self) -> Vec<Violation> {
        self.new.draft.violations(&self.config.policy, &self.user())
    }

    pub fn mismatch(&self) -> bool {
        !self.new.confirm.is_empty() && self.new.confirm != *self.new_password()
    }

    /// Send code (or, once one was sent, Send a new code).
    pub fn can_send_code(&self) -> bool {
        !self.login().is_empty()
            && self.resend_wait == 0
            && (self.codes.can_send() || self.codes.succeeded().is_some())
    }

    pub fn can_verify(&self) -> bool {
        self.step == Step::Code && !self.code.is_empty() && self.verification.can_send()
    }

    pub fn can_complete(&self) -> bool {
        self.step == Step::Password
            && self.token.is_some()
            && self.completion.can_send()
            && self.violations().is_empty()
            && self.new.confirm == *self.new_password()
    }

    pub fn code_request(&self) -> CodeRequest {
        CodeRequest {
            login: self.login().to_string(),
        }
    }

    pub fn verification_request(&self) -> VerificationRequest {
        VerificationRequest {
            login: self.login().to_string(),
            code: Rc::new(Secret::new(self.code.expose().trim())),
        }
    }

    pub fn completion_request(&self) -> Option<CompletionRequest> {
        Some(CompletionRequest {
            recovery_token: self.token.clone()?,
            new_password: self.new_password().clone(),
        })
    }

    /// Back to step 1 with the login kept: the code and token are gone.
    fn start_again(&mut self, why: Option<String>) {
        let login = std::mem::take(&mut self.login);
        let mut fresh = State::new(self.config.clone(), self.new.draft.generated.clone());
        fresh.new.draft.blocklist = std::mem::take(&mut self.new.draft.blocklist);
        *self = State {
            login,
            restarted: why,
            ..fresh
        };
    }

    pub fn apply(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::LoginEdited(text) if s.step == Step::Login && !s.codes.frozen() => {
                s.login = text;
                s.codes.changed();
            }
            Action::SendCode { fresh_key } if s.can_send_code() => {
                // Each code asked for is a request of its own.
                if s.codes.succeeded().is_some() {
                    s.codes = Submission {
                        attempts: s.codes.attempts,
                        ..Submission::default()
                    };
                }
                s.codes.start(fresh_key);
            }
            Action::CodesFinished { attempt, outcome } => {
                if !s.codes.finish(attempt, outcome) {
                    return self;
                }
                if s.codes.succeeded().is_some() {
                    s.step = s.step.max_code();
                    s.codes_sent += 1;
                    s.resend_wait = RESEND_AFTER_SECONDS;
                    s.restarted = None;
                }
            }
            Action::ResendTick => s.resend_wait = s.resend_wait.saturating_sub(1),
            Action::CodeEdited(code) if !s.verification.frozen() => {
                s.code = Rc::new(code);
                s.code_error = None;
                s.verification.changed();
            }
            Action::Verify { fresh_key } if s.can_verify() => {
                s.verification.start(fresh_key);
            }
            Action::Verified { attempt, outcome } => {
                if !s.verification.finish(attempt, outcome) {
                    return self;
                }
                if let Some(answer) = s.verification.succeeded() {
                    s.token = Some(answer.recovery_token.clone());
                    s.code = Rc::default();
                    s.step = Step::Password;
                }
                let problem = s.verification.failure().and_then(|f| f.problem()).cloned();
                if let Some(e) = problem
                    .iter()
                    .flat_map(|p| &p.errors)
                    .find(|e| e.field == CODE_FIELD)
                {
                    s.code_error = Some(e.detail.clone());
                }
            }
            Action::NewPassword(NewPasswordEdit::ToggleShown) => {
                s.new.apply(NewPasswordEdit::ToggleShown);
            }
            Action::NewPassword(edit) if !s.completion.frozen() => {
                if s.new.apply(edit) {
                    s.completion.changed();
                }
            }
            Action::Feedback(feedback) => {
                if !s.new.draft.feedback(feedback) {
                    return self;
                }
            }
            Action::Complete { fresh_key } if s.can_complete() => {
                s.completion.start(fresh_key);
            }
            Action::Completed { attempt, outcome } => {
                if !s.completion.finish(attempt, outcome) {
                    return self;
                }
                if s.completion.succeeded().is_some() {
                    // Done: the token is used up, and forgotten.
                    s.token = None;
                }
                let failure = s.completion.failure().cloned();
                if let Some(Failure::Rejected {
                    status: 410,
                    problem,
                    ..
                }) = &failure
                {
                    s.start_again(problem.as_ref().and_then(|p| p.detail.clone()));
                } else if let Some(problem) = failure.as_ref().and_then(|f| f.problem()) {
                    if let Some(e) = problem
                        .errors
                        .iter()
                        .find(|e| e.field == NEW_PASSWORD_FIELD)
                    {
                        s.new.draft.refused = Some(Refusal::of(e));
                    }
                }
            }
            Action::RetryTick(Request::Codes) => s.codes.tick(),
            Action::RetryTick(Request::Verification) => s.verification.tick(),
            Action::RetryTick(Request::Completion) => s.completion.tick(),
            _ => return self,
        }
        Rc::new(s)
    }
}

impl Step {
    /// After a code is sent: the code step (a new code keeps the user there).
    fn max_code(self) -> Self {
        match self {
            Self::Login | Self::Code => Self::Code,
            Self::Password => Self::Password,
        }
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
    use crate::core::config::{Element, Surroundings};
    use crate::core::generator::generate;
    use crate::core::random::OsRandom;
    use crate::core::wire::Problem;
    use crate::dialog::kit::submission::field_refusal;

    fn fresh() -> Rc<State> {
        let around = Surroundings {
            element: Element::RecoverPassword,
            ..Default::default()
        };
        let config = Config::read(
            |name| (name == "endpoint").then(|| "/api/password-recovery".to_string()),
            &around,
        )
        .unwrap();
        let generated = generate(&config.generator, &mut OsRandom).unwrap();
        Rc::new(State::new(Rc::new(config), generated))
    }

    fn accepted() -> Result<StatusResponse, Failure> {
        Ok(StatusResponse {
            status: "accepted".into(),
        })
    }

    fn verified(s: Rc<State>) -> Rc<State> {
        let s = s
            .apply(Action::CodeEdited(Secret::new(" 12345678 ")))
            .apply(Action::Verify {
                fresh_key: "v".into(),
            });
        assert_eq!(s.verification_request().code.expose(), "12345678");
        let attempt = s.verification.attempt_in_flight().unwrap();
        s.apply(Action::Verified {
            attempt,
            outcome: Ok(VerificationResponse {
                recovery_token: Rc::new(Secret::new("token-1")),
                expires_in_seconds: 600,
            }),
        })
    }

    fn code_sent() -> Rc<State> {
        let s = fresh()
            .apply(Action::LoginEdited(" diane@contoso.com ".into()))
            .apply(Action::SendCode {
                fresh_key: "c1".into(),
            });
        s.apply(Action::CodesFinished {
            attempt: 1,
            outcome: accepted(),
        })
    }

    #[test]
    fn a_sent_code_moves_on_and_a_new_one_waits_thirty_seconds_and_is_a_new_request() {
        let s = code_sent();
        assert_eq!(s.step, Step::Code);
        assert_eq!(s.code_request().login, "diane@contoso.com");
        assert_eq!(s.resend_wait, RESEND_AFTER_SECONDS);
        assert!(!s.can_send_code());
        let s = (0..RESEND_AFTER_SECONDS).fold(s, |s, _| s.apply(Action::ResendTick));
        assert!(s.can_send_code());
        let s = s.apply(Action::SendCode {
            fresh_key: "c2".into(),
        });
        assert_eq!(s.codes.key.as_deref(), Some("c2"));
        assert_eq!(s.codes.attempt_in_flight(), Some(2));
    }

    #[test]
    fn a_wrong_code_is_said_at_its_field_and_a_right_one_gives_the_token_in_memory() {
        let s = code_sent()
            .apply(Action::CodeEdited(Secret::new("00000000")))
            .apply(Action::Verify {
                fresh_key: "v".into(),
            });
        let s = s.apply(Action::Verified {
            attempt: 1,
            outcome: Err(field_refusal(
                400,
                "code",
                "The code is wrong or has expired.",
            )),
        });
        assert_eq!(s.step, Step::Code);
        assert_eq!(
            s.code_error.as_deref(),
            Some("The code is wrong or has expired.")
        );
        let s = verified(s);
        assert_eq!(s.step, Step::Password);
        assert_eq!(s.token.as_ref().map(|t| t.expose()), Some("token-1"));
        assert!(s.code.is_empty(), "the code is used up");
    }

    #[test]
    fn an_expired_recovery_starts_again_with_the_login_kept() {
        let s = verified(code_sent());
        let g = generate(&s.config.generator, &mut OsRandom).unwrap();
        let s = s
            .apply(Action::NewPassword(NewPasswordEdit::Suggested(g)))
            .apply(Action::Complete {
                fresh_key: "k".into(),
            });
        assert!(s.completion.in_flight());
        let s = s.apply(Action::Completed {
            attempt: 1,
            outcome: Err(Failure::Rejected {
                status: 410,
                problem: Some(Problem {
                    kind: None,
                    title: Some("Start again".into()),
                    status: Some(410),
                    detail: Some("This recovery has expired.".into()),
                    errors: vec![],
                }),
                retry_after: None,
            }),
        });
        assert_eq!(s.step, Step::Login);
        assert_eq!(s.login(), "diane@contoso.com");
        assert_eq!(s.token, None);
        assert_eq!(s.restarted.as_deref(), Some("This recovery has expired."));
    }

    #[test]
    fn a_lost_completion_is_retried_with_the_same_key_and_password() {
        let s = verified(code_sent());
        let g = generate(&s.config.generator, &mut OsRandom).unwrap();
        let s = s
            .apply(Action::NewPassword(NewPasswordEdit::Suggested(g)))
            .apply(Action::Complete {
                fresh_key: "k".into(),
            });
        let sent = s.completion_request();
        let s = s.apply(Action::Completed {
            attempt: 1,
            outcome: Err(Failure::Network),
        });
        let s = s.apply(Action::NewPassword(NewPasswordEdit::Typed(Secret::new(
            "other",
        ))));
        assert_eq!(
            s.completion_request(),
            sent,
            "frozen while the outcome is unknown"
        );
        let s = s.apply(Action::Complete {
            fresh_key: "other".into(),
        });
        assert_eq!(s.completion.key.as_deref(), Some("k"));
        let s = s.apply(Action::Completed {
            attempt: 2,
            outcome: Ok(StatusResponse {
                status: "reset".into(),
            }),
        });
        assert!(s.completion.succeeded().is_some());
        assert_eq!(s.token, None, "the token is forgotten");
    }

    #[test]
    fn each_request_counts_down_its_own_retry_after() {
        let busy = |seconds| {
            Err(Failure::Rejected {
                status: 429,
                problem: None,
                retry_after: Some(seconds),
            })
        };
        let s = code_sent()
            .apply(Action::CodeEdited(Secret::new("12345678")))
            .apply(Action::Verify {
                fresh_key: "v".into(),
            });
        let s = s.apply(Action::Verified {
            attempt: 1,
            outcome: busy(5),
        });
        assert_eq!(s.verification.retry_wait, 5);
        let s = s.apply(Action::RetryTick(Request::Codes));
        assert_eq!(s.verification.retry_wait, 5, "another request's second");
        let s = s.apply(Action::RetryTick(Request::Verification));
        assert_eq!(s.verification.retry_wait, 4);
    }
}
