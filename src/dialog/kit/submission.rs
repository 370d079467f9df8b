//! One request of the wire contract and its never-lost rules, for every flow:
//! an attempt is sent once; a retry keeps the Idempotency-Key (and, because
//! what would be sent is frozen meanwhile, the same body); a change to what
//! would be sent makes the next attempt a new request with a new key; Retry
//! waits for the backend's `Retry-After`; a late answer to an older attempt is
//! dropped; a 409 saying an earlier attempt with the key is still being
//! processed is no failure: the same request goes again, with the same key,
//! once its `Retry-After` has passed.

use crate::core::wire::Failure;

#[derive(Debug, Clone, PartialEq)]
pub enum Phase<R> {
    /// Not sent yet (or refused in a way that lets the admin edit and resend).
    Editing,
    /// Attempt `attempt` is on its way.
    InFlight {
        attempt: u32,
    },
    /// The backend is still applying an earlier attempt with this key (409
    /// `request-in-progress`): the same request goes again, with the same
    /// key, when `retry_wait` runs out. Busy, like `InFlight`; not a failure.
    Rescheduled,
    Failed(Failure),
    Succeeded(R),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Submission<R> {
    pub phase: Phase<R>,
    /// The key of the current request: the same for all its retries.
    pub key: Option<String>,
    /// Attempts so far; each attempt's number is new, so an effect keyed on
    /// it sends each attempt exactly once.
    pub attempts: u32,
    /// Seconds until Retry is allowed again (the backend's `Retry-After`),
    /// or until a rescheduled attempt goes.
    pub retry_wait: u32,
    /// "Still in progress" answers in a row since the last `start`.
    pub rescheduled: u32,
}

/// "Still in progress" answers in a row after which the dialog stops sending
/// by itself and shows the failure (outcome unknown, Retry keeps the key):
/// with `Retry-After: 1`, about half a minute.
pub const MAX_RESCHEDULED: u32 = 30;

impl<R> Default for Submission<R> {
    fn default() -> Self {
        Self {
            phase: Phase::Editing,
            key: None,
            attempts: 0,
            retry_wait: 0,
            rescheduled: 0,
        }
    }
}

impl<R> Submission<R> {
    /// An attempt is on its way, or rescheduled.
    pub fn in_flight(&self) -> bool {
        matches!(self.phase, Phase::InFlight { .. } | Phase::Rescheduled)
    }

    /// The attempt on its way, if one is.
    pub fn attempt_in_flight(&self) -> Option<u32> {
        match self.phase {
            Phase::InFlight { attempt } => Some(attempt),
            _ => None,
        }
    }

    pub fn succeeded(&self) -> Option<&R> {
        match &self.phase {
            Phase::Succeeded(r) => Some(r),
            _ => None,
        }
    }

    pub fn failure(&self) -> Option<&Failure> {
        match &self.phase {
            Phase::Failed(f) => Some(f),
            _ => None,
        }
    }

    /// What would be sent may not change: it is on its way, it was applied,
    /// or its outcome is unknown (changing it then could leave a user with a
    /// password nobody knows).
    pub fn frozen(&self) -> bool {
        match &self.phase {
            Phase::InFlight { .. } | Phase::Rescheduled | Phase::Succeeded(_) => true,
            Phase::Failed(f) => f.outcome_unknown(),
            Phase::Editing => false,
        }
    }

    /// Nothing stands in the way of sending (or resending) now.
    pub fn can_send(&self) -> bool {
        !self.in_flight() && self.retry_wait == 0 && self.succeeded().is_none()
    }

    /// What would be sent changed: the next attempt is a new request.
    pub fn changed(&mut self) {
        self.key = None;
        if matches!(self.phase, Phase::Failed(_)) {
            self.phase = Phase::Editing;
        }
    }

    /// The next request, which already has its key (a bulk batch's).
    pub fn next_request(&mut self, key: String) {
        self.key = Some(key);
        self.phase = Phase::Editing;
    }

    /// Sends (or resends): a new attempt, under the key held or else
    /// `fresh_key`. False, and nothing changes, when sending is not allowed.
    pub fn start(&mut self, fresh_key: String) -> bool {
        if !self.can_send() {
            return false;
        }
        self.key.get_or_insert(fresh_key);
        self.rescheduled = 0;
        self.attempts += 1;
        self.phase = Phase::InFlight {
            attempt: self.attempts,
        };
        true
    }

    /// The answer to `attempt`. False, and nothing changes, for an attempt
    /// that is no longer the one in flight.
    pub fn finish(&mut self, attempt: u32, outcome: Result<R, Failure>) -> bool {
        if self.attempt_in_flight() != Some(attempt) {
            return false;
        }
        self.phase = match outcome {
            Ok(response) => Phase::Succeeded(response),
            Err(failure) if failure.in_progress() && self.rescheduled < MAX_RESCHEDULED => {
                self.rescheduled += 1;
                self.retry_wait = failure.retry_after().unwrap_or(1).max(1);
                Phase::Rescheduled
            }
            Err(failure) => {
                self.retry_wait = failure.retry_after().unwrap_or(0);
                Phase::Failed(failure)
            }
        };
        true
    }

    /// One second of a `Retry-After` wait has passed; at the end of a
    /// rescheduled attempt's wait, the attempt goes (a new number, the same
    /// key).
    pub fn tick(&mut self) {
        self.retry_wait = self.retry_wait.saturating_sub(1);
        if self.retry_wait == 0 && matches!(self.phase, Phase::Rescheduled) {
            self.attempts += 1;
            self.phase = Phase::InFlight {
                attempt: self.attempts,
            };
        }
    }
}

/// What the reducers' tests answer a request with: a refusal with one
/// field error (`detail` also the problem's), as the reference backend sends.
#[cfg(test)]
pub(crate) fn field_refusal(status: u16, field: &str, detail: &str) -> Failure {
    use crate::core::wire::{FieldError, Problem};
    Failure::Rejected {
        status,
        problem: Some(Problem {
            kind: None,
            title: None,
            status: Some(status),
            detail: Some(detail.into()),
            errors: vec![FieldError {
                field: field.into(),
                detail: detail.into(),
                code: None,
                limit: None,
            }],
        }),
        retry_after: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn busy(seconds: u32) -> Failure {
        Failure::Rejected {
            status: 503,
            problem: None,
            retry_after: Some(seconds),
        }
    }

    #[test]
    fn a_retry_keeps_its_key_and_a_change_makes_a_new_one() {
        let mut s = Submission::<()>::default();
        assert!(s.start("k1".into()));
        assert!(!s.start("k2".into()), "one attempt at a time");
        assert!(s.finish(1, Err(Failure::Network)));
        assert!(s.frozen(), "the outcome is unknown");
        assert!(s.start("k2".into()));
        assert_eq!(s.key.as_deref(), Some("k1"));
        let refused = Failure::Rejected {
            status: 422,
            problem: None,
            retry_after: None,
        };
        assert!(s.finish(2, Err(refused)));
        assert!(!s.frozen(), "a definite refusal");
        s.changed();
        assert_eq!(s.phase, Phase::Editing);
        assert!(s.start("k3".into()));
        assert_eq!(s.key.as_deref(), Some("k3"));
        assert_eq!(s.attempt_in_flight(), Some(3));
    }

    fn in_progress(retry_after: Option<u32>) -> Failure {
        Failure::Rejected {
            status: 409,
            problem: Some(crate::core::wire::Problem {
                kind: Some(crate::core::wire::IN_PROGRESS.into()),
                ..Default::default()
            }),
            retry_after,
        }
    }

    #[test]
    fn a_request_in_progress_goes_again_with_its_key_and_is_no_failure() {
        let mut s = Submission::<()>::default();
        assert!(s.start("k1".into()));
        assert!(s.finish(1, Err(in_progress(Some(2)))));
        assert_eq!(s.phase, Phase::Rescheduled);
        assert!(s.failure().is_none(), "not shown as a failure");
        assert!(s.in_flight() && s.frozen());
        assert_eq!(s.attempt_in_flight(), None, "nothing on its way meanwhile");
        assert!(!s.start("k2".into()), "no second request meanwhile");
        s.tick();
        assert_eq!(s.attempt_in_flight(), None, "one second still to wait");
        s.tick();
        assert_eq!(s.attempt_in_flight(), Some(2), "sent again by itself");
        assert_eq!(s.key.as_deref(), Some("k1"), "with the same key");
        // Without a Retry-After, a second.
        assert!(s.finish(2, Err(in_progress(None))));
        assert_eq!(s.retry_wait, 1);
        s.tick();
        assert!(s.finish(3, Ok(())));
        assert!(s.succeeded().is_some());
    }

    #[test]
    fn endless_in_progress_answers_end_as_a_failure_that_keeps_the_key() {
        let mut s = Submission::<()>::default();
        s.start("k1".into());
        for _ in 0..MAX_RESCHEDULED {
            let attempt = s.attempt_in_flight().unwrap();
            assert!(s.finish(attempt, Err(in_progress(Some(1)))));
            s.tick();
        }
        let attempt = s.attempt_in_flight().unwrap();
        assert!(s.finish(attempt, Err(in_progress(Some(1)))));
        assert!(s.failure().is_some_and(Failure::in_progress));
        assert!(s.frozen(), "its outcome is unknown");
        s.tick();
        assert!(s.start("k2".into()), "Retry, by hand");
        assert_eq!(s.key.as_deref(), Some("k1"));
        assert_eq!(s.rescheduled, 0);
    }

    #[test]
    fn late_answers_are_dropped_and_retry_after_is_waited_for() {
        let mut s = Submission::<()>::default();
        s.start("k".into());
        assert!(!s.finish(7, Ok(())), "not the attempt in flight");
        assert!(s.finish(1, Err(busy(2))));
        assert!(!s.can_send());
        s.tick();
        assert!(!s.start("x".into()));
        s.tick();
        assert!(s.start("x".into()));
        assert!(s.finish(2, Ok(())));
        assert!(s.frozen());
        assert!(!s.start("y".into()), "applied once");
    }
}
