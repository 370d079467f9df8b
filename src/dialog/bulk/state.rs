//! Resetting many users' passwords, as a pure reducer: pick users, say where
//! the passwords go, then send them in batches of at most 40 (one request
//! each, each with its own Idempotency-Key, one after the other through the
//! kit's [`Submission`]) and show a result per user. Like the single flow,
//! randomness is drawn by the caller and passed in.

use std::rc::Rc;

use crate::core::bulk::{batches, BulkUser, BulkUsers, MAX_PER_REQUEST};
use crate::core::config::Config;
use crate::core::secret::Secret;
use crate::core::wire::{
    Delivery, Failure, Outcome, PasswordSource, Problem, ResetEntry, ResetRequest, ResultStatus,
};
use crate::dialog::kit::delivery::DeliveryForm;
use crate::dialog::kit::step_up::{StepUp, StepUpAction, StepUpEvent};
use crate::dialog::kit::submission::Submission;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkStep {
    Users,
    Delivery,
    Results,
}

impl BulkStep {
    pub const COUNT: usize = 3;

    /// 1-based, for "Step 2 of 3".
    pub fn number(self) -> usize {
        match self {
            Self::Users => 1,
            Self::Delivery => 2,
            Self::Results => 3,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum RowStatus {
    /// Not sent yet.
    Ready,
    Sending,
    Reset,
    /// The user keeps their password and must change it at the next sign-in.
    Required,
    /// The backend said no for this user; the password was not set.
    Failed(String),
    /// Its request got no answer: it may or may not have been reset. Only a
    /// retry of the same batch (same key, same passwords) may follow.
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub user: BulkUser,
    pub selected: bool,
    /// Shared, not copied, when the rows are cloned (`kit::password` says why).
    pub password: Rc<Secret>,
    pub status: RowStatus,
    pub shown: bool,
}

/// One request: up to 40 users, its key kept for every retry.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub key: String,
    pub user_ids: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    Idle,
    /// Batch `batch` is the current request ([`BulkState::submission`] says
    /// whether it is on its way or waiting for Retry).
    Running {
        batch: usize,
    },
    Finished,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BulkState {
    pub config: Rc<Config>,
    pub step: BulkStep,
    /// Shared, so the many copies of the state an admin's clicks make (and a
    /// view's props) do not copy every password.
    pub rows: Rc<Vec<Row>>,
    pub excluded_self: Option<BulkUser>,
    pub delivery: DeliveryForm,
    /// Keep the users' passwords and only require a change at the next
    /// sign-in, instead of resetting them.
    pub keep_passwords: bool,
    pub batches: Vec<Batch>,
    /// Index of the first batch of the current run (a retry of failed users starts a new run).
    pub run_start: usize,
    pub run: Run,
    /// The current batch's request.
    pub submission: Submission<()>,
    pub deliveries: Vec<Delivery>,
    /// "Confirm it's you": open when a batch naming an administrator was
    /// refused until the admin confirms their own password.
    pub step_up: StepUp,
}

#[derive(Debug, Clone)]
pub enum BulkAction {
    ToggleUser(String),
    SelectAll(bool),
    Next,
    Back,
    RecipientsEdited(String),
    ToggleForceChange,
    /// Reset the passwords (false) or keep them and require a change (true).
    KeepPasswords(bool),
    /// Send the selected users; one fresh key per batch of 40.
    Start {
        keys: Vec<String>,
    },
    BatchFinished {
        batch: usize,
        attempt: u32,
        outcome: Outcome,
    },
    /// Send a paused batch again, with its own key.
    Resume,
    /// Send the users the backend refused again, in new batches with new keys.
    RetryFailed {
        keys: Vec<String>,
    },
    ToggleShown(String),
    RetryTick,
    /// The step-up prompt; once confirmed, the paused batch is sent again
    /// with its key.
    StepUp(StepUpAction),
}

/// How many keys `Start` or `RetryFailed` needs for `users` users.
pub fn keys_needed(users: usize) -> usize {
    users.div_ceil(MAX_PER_REQUEST)
}

impl BulkState {
    /// `passwords` holds one generated password per user, in order.
    pub fn new(config: Rc<Config>, users: &BulkUsers, passwords: Vec<Rc<Secret>>) -> Self {
        let rows: Vec<Row> = users
            .users
            .iter()
            .cloned()
            .zip(passwords)
            .map(|(user, password)| Row {
                user,
                selected: true,
                password,
                status: RowStatus::Ready,
                shown: false,
            })
            .collect();
        Self {
            delivery: DeliveryForm::new(&config.deliver_to),
            keep_passwords: false,
            config,
            step: BulkStep::Users,
            rows: Rc::new(rows),
            excluded_self: users.excluded_self.clone(),
            batches: Vec::new(),
            run_start: 0,
            run: Run::Idle,
            submission: Submission::default(),
            deliveries: Vec::new(),
            step_up: StepUp::default(),
        }
    }

    /// The selected users whose password was reset (what Copy all and the CSV hold).
    pub fn reset_rows(&self) -> impl Iterator<Item = &Row> {
        self.selected().filter(|r| r.status == RowStatus::Reset)
    }

    pub fn selected(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.selected)
    }

    pub fn failed(&self) -> impl Iterator<Item = &Row> {
        self.rows
            .iter()
            .filter(|r| r.selected && matches!(r.status, RowStatus::Failed(_)))
    }

    /// The batch on its way and its attempt.
    pub fn sending(&self) -> Option<(usize, u32)> {
        match (self.run, self.submission.attempt_in_flight()) {
            (Run::Running { batch }, Some(attempt)) => Some((batch, attempt)),
            _ => None,
        }
    }

    /// The batch waiting for Retry (its outcome unknown, or the session
    /// lapsed), and why.
    pub fn paused(&self) -> Option<(usize, &Failure)> {
        match (self.run, self.submission.failure()) {
            (Run::Running { batch }, Some(failure)) => Some((batch, failure)),
            _ => None,
        }
    }

    pub fn can_start(&self) -> bool {
        self.step == BulkStep::Delivery
            && self.run == Run::Idle
            && self.selected().next().is_some()
            && self.delivery.recipients().is_some()
    }

    /// "Resetting 40 of 95": users in this run's batches up to the one in flight, of all.
    pub fn progress(&self) -> (usize, usize) {
        let run = &self.batches[self.run_start.min(self.batches.len())..];
        let total = run.iter().map(|b| b.user_ids.len()).sum();
        let upto = match self.run {
            Run::Running { batch } => batch + 1 - self.run_start,
            Run::Finished => run.len(),
            Run::Idle => 0,
        };
        (run.iter().take(upto).map(|b| b.user_ids.len()).sum(), total)
    }

    /// The request for batch `index`.
    pub fn request(&self, index: usize) -> Option<ResetRequest> {
        let batch = self.batches.get(index)?;
        let resets = batch
            .user_ids
            .iter()
            .filter_map(|id| self.rows.iter().find(|r| &r.user.id == id))
            .map(|r| ResetEntry {
                user_id: r.user.id.clone(),
                password: (!self.keep_passwords).then(|| r.password.clone()),
            })
            .collect();
        Some(ResetRequest {
            resets,
            password_source: if self.keep_passwords {
                PasswordSource::Unchanged
            } else {
                PasswordSource::Generated
            },
            // Requiring the change is all that keeping the passwords does.
            force_change_password_next_sign_in: self.keep_passwords || self.delivery.force_change,
            deliver_to: self.delivery.recipients()?,
        })
    }

    fn set_status(&mut self, ids: &[String], status: RowStatus) {
        for row in Rc::make_mut(&mut self.rows)
            .iter_mut()
            .filter(|r| ids.contains(&r.user.id))
        {
            row.status = status.clone();
        }
    }

    fn send(&mut self, batch: usize) {
        let ids = self.batches[batch].user_ids.clone();
        self.set_status(&ids, RowStatus::Sending);
        self.run = Run::Running { batch };
        self.submission
            .next_request(self.batches[batch].key.clone());
        self.submission.start(String::new());
    }

    fn next_or_finish(&mut self, batch: usize) {
        if batch + 1 < self.batches.len() {
            self.send(batch + 1);
        } else {
            self.run = Run::Finished;
        }
    }

    /// New batches (one key each) for `ids`, sent one after the other.
    fn start_run(&mut self, ids: Vec<String>, keys: Vec<String>) {
        if keys.len() < keys_needed(ids.len()) || ids.is_empty() {
            return;
        }
        self.run_start = self.batches.len();
        for (user_ids, key) in batches(&ids).into_iter().zip(keys) {
            self.batches.push(Batch { key, user_ids });
        }
        self.step = BulkStep::Results;
        self.send(self.run_start);
    }

    /// A definite refusal of batch `batch`: nobody in it was reset. Field
    /// errors go to their field: the addresses' to the delivery form (and,
    /// while nobody has been reset yet, back to that step to correct them),
    /// a user's entry's to that user's row.
    fn refused(&mut self, batch: usize, problem: Option<&Problem>) {
        let ids = self.batches[batch].user_ids.clone();
        let why = problem
            .and_then(|p| p.detail.clone().or(p.title.clone()))
            .unwrap_or_default();
        let nobody_reset = !self.rows.iter().any(|r| r.status == RowStatus::Reset);
        if let Some(problem) = problem {
            if self.delivery.show_field_errors(problem) && nobody_reset {
                let unsent: Vec<String> = self
                    .batches
                    .drain(self.run_start..)
                    .flat_map(|b| b.user_ids)
                    .collect();
                self.set_status(&unsent, RowStatus::Ready);
                self.run = Run::Idle;
                self.submission = Submission::default();
                self.step = BulkStep::Delivery;
                return;
            }
        }
        for (index, id) in ids.iter().enumerate() {
            let field = format!("resets[{index}].");
            let own = problem.and_then(|p| p.errors.iter().find(|e| e.field.starts_with(&field)));
            let status = RowStatus::Failed(own.map_or_else(|| why.clone(), |e| e.detail.clone()));
            self.set_status(std::slice::from_ref(id), status);
        }
        self.next_or_finish(batch);
    }

    pub fn apply(self: Rc<Self>, action: BulkAction) -> Rc<Self> {
        let mut s = (*self).clone();
        let editable = s.run == Run::Idle;
        match action {
            BulkAction::ToggleUser(id) if editable => {
                if let Some(row) = Rc::make_mut(&mut s.rows)
                    .iter_mut()
                    .find(|r| r.user.id == id)
                {
                    row.selected = !row.selected;
                }
            }
            BulkAction::SelectAll(on) if editable => Rc::make_mut(&mut s.rows)
                .iter_mut()
                .for_each(|r| r.selected = on),
            BulkAction::Next
                if editable && s.step == BulkStep::Users && s.selected().next().is_some() =>
            {
                s.step = BulkStep::Delivery
            }
            BulkAction::Back if editable && s.step == BulkStep::Delivery => {
                s.step = BulkStep::Users
            }
            BulkAction::RecipientsEdited(text) if editable => s.delivery.edit_recipients(text),
            BulkAction::ToggleForceChange if editable => s.delivery.toggle_force_change(),
            BulkAction::KeepPasswords(keep) if editable => s.keep_passwords = keep,
            BulkAction::Start { keys } if s.can_start() => {
                let ids: Vec<String> = s.selected().map(|r| r.user.id.clone()).collect();
                s.start_run(ids, keys);
            }
            BulkAction::BatchFinished {
                batch,
                attempt,
                outcome,
            } if s.sending() == Some((batch, attempt)) => {
                let ids = s.batches[batch].user_ids.clone();
                match outcome {
                    Ok(response) => {
                        s.submission.finish(attempt, Ok(()));
                        for id in &ids {
                            let status = match response.results.iter().find(|r| &r.user_id == id) {
                                Some(r) if r.status == ResultStatus::Reset => RowStatus::Reset,
                                Some(r) if r.status == ResultStatus::Required => {
                                    RowStatus::Required
                                }
                                Some(r) => RowStatus::Failed(r.detail.clone().unwrap_or_default()),
                                None => RowStatus::Failed(String::new()),
                            };
                            s.set_status(std::slice::from_ref(id), status);
                        }
                        s.deliveries.push(response.delivery);
                        s.next_or_finish(batch);
                    }
                    // Nobody in this batch was reset: it waits for the
                    // admin's own password, then goes again with its key.
                    Err(failure) if failure.is_step_up_required() => {
                        s.set_status(&ids, RowStatus::Ready);
                        s.submission.finish(attempt, Err(failure));
                        s.step_up.open();
                    }
                    Err(failure) if failure.outcome_unknown() || failure.is_authorization() => {
                        s.submission.finish(attempt, Err(failure));
                        // Still in progress: the batch goes again by itself.
                        if s.submission.failure().is_some() {
                            s.set_status(&ids, RowStatus::Unknown);
                        }
                    }
                    Err(failure) => {
                        let problem = failure.problem().cloned();
                        s.submission.finish(attempt, Err(failure));
                        s.refused(batch, problem.as_ref());
                    }
                }
            }
            BulkAction::Resume if s.paused().is_some() && !s.step_up.open => {
                let Some((batch, _)) = s.paused() else {
                    return self;
                };
                if !s.submission.start(String::new()) {
                    return self;
                }
                let ids = s.batches[batch].user_ids.clone();
                s.set_status(&ids, RowStatus::Sending);
            }
            BulkAction::RetryFailed { keys } if s.run == Run::Finished => {
                let ids: Vec<String> = s.failed().map(|r| r.user.id.clone()).collect();
                s.start_run(ids, keys);
            }
            BulkAction::ToggleShown(id) => {
                if let Some(row) = Rc::make_mut(&mut s.rows)
                    .iter_mut()
                    .find(|r| r.user.id == id)
                {
                    row.shown = !row.shown;
                }
            }
            BulkAction::RetryTick => s.submission.tick(),
            BulkAction::StepUp(action) => match s.step_up.apply(action) {
                StepUpEvent::Ignored => return self,
                // Cancelled: the batch stays paused; Retry asks again.
                StepUpEvent::Changed | StepUpEvent::Cancelled => {}
                StepUpEvent::Confirmed => {
                    if let Some((batch, _)) = s.paused() {
                        if s.submission.start(String::new()) {
                            let ids = s.batches[batch].user_ids.clone();
                            s.set_status(&ids, RowStatus::Sending);
                        }
                    }
                }
            },
            _ => return self,
        }
        Rc::new(s)
    }
}

#[cfg(target_arch = "wasm32")]
impl yew::Reducible for BulkState {
    type Action = BulkAction;

    fn reduce(self: Rc<Self>, action: BulkAction) -> Rc<Self> {
        self.apply(action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::Subject;
    use crate::core::wire::{DeliveryStatus, FieldError, ResetResponse, UserResult};
    use crate::dialog::kit::delivery::RecipientsError;

    fn state(n: usize, current: Option<&str>) -> Rc<BulkState> {
        let users: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"id":"u-{i}","name":"User {i}","email":"u{i}@contoso.com"}}"#))
            .collect();
        let users = format!("[{}]", users.join(","));
        let config = Config::from_attributes(|name| match name {
            "endpoint" => Some("/api/password-resets".into()),
            "users" => Some(users.clone()),
            "current-user-id" => current.map(String::from),
            "deliver-to" => Some("adele@contoso.com".into()),
            _ => None,
        })
        .unwrap();
        let Subject::Many(users) = config.subject.clone() else {
            panic!("bulk mode")
        };
        let passwords = (0..users.users.len())
            .map(|i| Rc::new(Secret::new(format!("password-{i}-xxxxxxxx"))))
            .collect();
        Rc::new(BulkState::new(Rc::new(config), &users, passwords))
    }

    fn keys(prefix: &str, n: usize) -> Vec<String> {
        (0..n).map(|i| format!("{prefix}-{i}")).collect()
    }

    fn answer(s: &BulkState, batch: usize, failing: &[&str]) -> Outcome {
        let results = s.batches[batch]
            .user_ids
            .iter()
            .map(|id| UserResult {
                user_id: id.clone(),
                status: if failing.contains(&id.as_str()) {
                    ResultStatus::Failed
                } else {
                    ResultStatus::Reset
                },
                detail: failing
                    .contains(&id.as_str())
                    .then(|| "No such user".to_string()),
            })
            .collect();
        Ok(ResetResponse {
            results,
            delivery: Delivery {
                status: DeliveryStatus::Queued,
                detail: None,
            },
        })
    }

    fn finish(s: Rc<BulkState>, outcome: Outcome) -> Rc<BulkState> {
        let Some((batch, attempt)) = s.sending() else {
            panic!("not sending: {:?}", s.run)
        };
        s.apply(BulkAction::BatchFinished {
            batch,
            attempt,
            outcome,
        })
    }

    #[test]
    fn ninety_five_users_go_out_as_40_40_and_15_each_with_its_own_key() {
        let s = state(96, Some("u-5"));
        assert_eq!(s.rows.len(), 95, "the signed-in admin is left out");
        assert_eq!(s.excluded_self.as_ref().unwrap().id, "u-5");
        let s = s.apply(BulkAction::Next).apply(BulkAction::Start {
            keys: keys("k", keys_needed(95)),
        });
        assert_eq!(
            s.batches
                .iter()
                .map(|b| b.user_ids.len())
                .collect::<Vec<_>>(),
            vec![40, 40, 15]
        );
        assert_eq!(s.progress(), (40, 95));
        assert_eq!(s.request(0).unwrap().resets.len(), 40);
        let s = finish(s.clone(), answer(&s, 0, &[]));
        assert_eq!(s.progress(), (80, 95));
        let s = finish(s.clone(), answer(&s, 1, &["u-50"]));
        let s = finish(s.clone(), answer(&s, 2, &[]));
        assert_eq!(s.run, Run::Finished);
        assert_eq!(s.progress(), (95, 95));
        assert_eq!(
            s.rows
                .iter()
                .filter(|r| r.status == RowStatus::Reset)
                .count(),
            94
        );
        assert_eq!(
            s.failed().map(|r| r.user.id.as_str()).collect::<Vec<_>>(),
            vec!["u-50"]
        );
        let keys_used: std::collections::HashSet<_> = s.batches.iter().map(|b| &b.key).collect();
        assert_eq!(keys_used.len(), 3);
        assert_eq!(s.deliveries.len(), 3, "one message per request");
    }

    #[test]
    fn a_failed_user_is_retried_alone_with_a_new_key_and_the_same_password() {
        let s = state(3, None)
            .apply(BulkAction::Next)
            .apply(BulkAction::Start { keys: keys("k", 1) });
        let s = finish(s.clone(), answer(&s, 0, &["u-1"]));
        let password = s.rows[1].password.clone();
        let s = s.apply(BulkAction::RetryFailed {
            keys: keys("again", 1),
        });
        assert_eq!(s.batches.len(), 2);
        assert_eq!(s.batches[1].user_ids, vec!["u-1"]);
        assert_eq!(s.batches[1].key, "again-0");
        assert_eq!(s.request(1).unwrap().resets[0].password, Some(password));
        assert_eq!(s.progress(), (1, 1));
        let s = finish(s.clone(), answer(&s, 1, &[]));
        assert!(s.rows.iter().all(|r| r.status == RowStatus::Reset));
    }

    #[test]
    fn an_unknown_outcome_pauses_and_resumes_the_same_batch_with_the_same_key() {
        let s = state(45, None)
            .apply(BulkAction::Next)
            .apply(BulkAction::Start { keys: keys("k", 2) });
        let s = finish(s, Err(Failure::Network));
        assert!(matches!(s.paused(), Some((0, _))));
        assert!(s.rows[..40].iter().all(|r| r.status == RowStatus::Unknown));
        assert!(
            s.rows[40..].iter().all(|r| r.status == RowStatus::Ready),
            "later batches wait"
        );
        let before = s.request(0);
        let s = s.apply(BulkAction::Resume);
        assert!(matches!(s.sending(), Some((0, _))));
        assert_eq!(s.request(0), before, "same users, same passwords");
        assert_eq!(s.batches[0].key, "k-0");
    }

    #[test]
    fn a_batch_still_in_progress_goes_again_by_itself_with_its_key() {
        let s = state(45, None)
            .apply(BulkAction::Next)
            .apply(BulkAction::Start { keys: keys("k", 2) });
        let in_progress = Failure::Rejected {
            status: 409,
            problem: Some(Problem {
                kind: Some(crate::core::wire::IN_PROGRESS.into()),
                ..Problem::default()
            }),
            retry_after: Some(1),
        };
        let before = s.request(0);
        let s = finish(s, Err(in_progress));
        assert!(s.paused().is_none(), "not a failure to show");
        assert!(s.sending().is_none(), "nothing on its way for a second");
        assert!(s.rows[..40].iter().all(|r| r.status == RowStatus::Sending));
        let s = s.apply(BulkAction::RetryTick);
        assert_eq!(s.sending(), Some((0, 2)), "the same batch, a new attempt");
        assert_eq!(s.batches[0].key, "k-0");
        assert_eq!(s.request(0), before, "same users, same passwords");
        let s = finish(s.clone(), answer(&s, 0, &[]));
        assert!(s.rows[..40].iter().all(|r| r.status == RowStatus::Reset));
        assert!(matches!(s.sending(), Some((1, _))), "then the next batch");
    }

    #[test]
    fn a_batch_with_an_administrator_waits_for_the_step_up_then_goes_with_its_key() {
        use crate::core::secret::Secret;
        use crate::dialog::kit::step_up::StepUpAction;
        let s = state(45, None)
            .apply(BulkAction::Next)
            .apply(BulkAction::Start { keys: keys("k", 2) });
        let s = finish(s.clone(), answer(&s, 0, &[]));
        let before = s.request(1);
        let refused = Failure::Rejected {
            status: 403,
            problem: Some(Problem {
                kind: Some("/problems/step-up-required".into()),
                title: Some("Confirm your password".into()),
                status: Some(403),
                detail: None,
                errors: vec![],
            }),
            retry_after: None,
        };
        let s = finish(s, Err(refused));
        assert!(s.step_up.open);
        assert!(matches!(s.paused(), Some((1, _))));
        assert!(s.rows[40..].iter().all(|r| r.status == RowStatus::Ready));
        assert!(s.rows[..40].iter().all(|r| r.status == RowStatus::Reset));
        let same = s.clone().apply(BulkAction::Resume);
        assert!(Rc::ptr_eq(&same, &s), "the prompt first");

        // Cancel keeps the batch paused; Retry sends it and the prompt comes back.
        let cancelled = s.clone().apply(BulkAction::StepUp(StepUpAction::Cancel));
        assert!(!cancelled.step_up.open);
        assert!(matches!(cancelled.paused(), Some((1, _))));

        let s = s
            .apply(BulkAction::StepUp(StepUpAction::Edited(std::rc::Rc::new(
                Secret::new("own-password"),
            ))))
            .apply(BulkAction::StepUp(StepUpAction::Submit {
                fresh_key: "step".into(),
            }));
        let attempt = s.step_up.submission.attempt_in_flight().unwrap();
        let s = s.apply(BulkAction::StepUp(StepUpAction::Finished {
            attempt,
            outcome: Ok(crate::core::wire::StatusResponse {
                status: "confirmed".into(),
            }),
        }));
        assert!(!s.step_up.open);
        assert!(matches!(s.sending(), Some((1, _))));
        assert_eq!(s.batches[1].key, "k-1", "the same key");
        assert_eq!(s.request(1), before, "the same users and passwords");
        assert!(s.rows[40..].iter().all(|r| r.status == RowStatus::Sending));
        let s = finish(s.clone(), answer(&s, 1, &[]));
        assert_eq!(s.run, Run::Finished);
    }

    #[test]
    fn a_definite_refusal_fails_its_batch_and_goes_on() {
        let s = state(45, None)
            .apply(BulkAction::Next)
            .apply(BulkAction::Start { keys: keys("k", 2) });
        let refused = Failure::Rejected {
            status: 413,
            problem: None,
            retry_after: None,
        };
        let s = finish(s, Err(refused));
        assert!(matches!(s.sending(), Some((1, _))));
        assert!(s.rows[..40]
            .iter()
            .all(|r| matches!(r.status, RowStatus::Failed(_))));
    }

    #[test]
    fn deselected_users_are_not_sent_and_nothing_changes_mid_run() {
        let s = state(5, None)
            .apply(BulkAction::ToggleUser("u-1".into()))
            .apply(BulkAction::ToggleUser("u-3".into()))
            .apply(BulkAction::Next)
            .apply(BulkAction::Start { keys: keys("k", 1) });
        assert_eq!(s.batches[0].user_ids, vec!["u-0", "u-2", "u-4"]);
        let same = s.clone().apply(BulkAction::ToggleUser("u-0".into()));
        assert!(
            Rc::ptr_eq(&same, &s),
            "the selection is frozen while sending"
        );
        let none = state(2, None)
            .apply(BulkAction::SelectAll(false))
            .apply(BulkAction::Next);
        assert_eq!(none.step, BulkStep::Users, "nobody selected: no Next");
    }
    fn invalid(errors: &[(&str, &str)]) -> Outcome {
        Err(Failure::Rejected {
            status: 422,
            problem: Some(Problem {
                kind: None,
                title: Some("Invalid request".into()),
                status: Some(422),
                detail: Some("Check the fields.".into()),
                errors: errors
                    .iter()
                    .map(|(field, detail)| FieldError {
                        field: field.to_string(),
                        detail: detail.to_string(),
                        code: None,
                        limit: None,
                    })
                    .collect(),
            }),
            retry_after: None,
        })
    }

    #[test]
    fn an_address_refused_by_the_backend_is_shown_at_its_field_and_corrected_with_new_keys() {
        let s = state(45, None)
            .apply(BulkAction::Next)
            .apply(BulkAction::Start { keys: keys("k", 2) });
        let s = finish(s, invalid(&[("deliverTo", "At most 20 addresses.")]));
        assert_eq!(s.step, BulkStep::Delivery, "back to the addresses");
        assert_eq!(
            s.delivery.recipients_error,
            Some(RecipientsError::Backend("At most 20 addresses.".into()))
        );
        assert_eq!(s.run, Run::Idle);
        assert!(s.rows.iter().all(|r| r.status == RowStatus::Ready));
        let s = s
            .apply(BulkAction::RecipientsEdited("it@contoso.com".into()))
            .apply(BulkAction::Start {
                keys: keys("new", 2),
            });
        assert_eq!(s.batches.len(), 2, "the refused run's batches are gone");
        assert_eq!(s.batches[0].key, "new-0");
        assert!(matches!(s.sending(), Some((0, _))));
    }

    #[test]
    fn a_users_field_error_is_shown_on_that_users_row() {
        let s = state(3, None)
            .apply(BulkAction::Next)
            .apply(BulkAction::Start { keys: keys("k", 1) });
        let s = finish(
            s,
            invalid(&[("resets[1].password", "Must be at most 256 characters.")]),
        );
        assert_eq!(s.run, Run::Finished);
        assert_eq!(
            s.rows[1].status,
            RowStatus::Failed("Must be at most 256 characters.".into())
        );
        assert_eq!(
            s.rows[0].status,
            RowStatus::Failed("Check the fields.".into())
        );
        assert_eq!(s.step, BulkStep::Results);
    }

    #[test]
    fn keeping_the_passwords_sends_none_and_requires_the_change() {
        let s = state(3, None)
            .apply(BulkAction::Next)
            .apply(BulkAction::ToggleForceChange)
            .apply(BulkAction::KeepPasswords(true))
            .apply(BulkAction::Start { keys: keys("k", 1) });
        let request = s.request(0).unwrap();
        assert_eq!(request.password_source, PasswordSource::Unchanged);
        assert!(request.resets.iter().all(|e| e.password.is_none()));
        assert!(request.force_change_password_next_sign_in, "required");
        let ids = s.batches[0].user_ids.clone();
        let response = crate::core::wire::ResetResponse {
            results: ids
                .iter()
                .map(|id| UserResult {
                    user_id: id.clone(),
                    status: ResultStatus::Required,
                    detail: None,
                })
                .collect(),
            delivery: Delivery {
                status: DeliveryStatus::Queued,
                detail: None,
            },
        };
        let s = finish(s, Ok(response));
        assert!(s.rows.iter().all(|r| r.status == RowStatus::Required));
        assert_eq!(s.reset_rows().count(), 0, "no password to copy");
        let same = s.clone().apply(BulkAction::KeepPasswords(false));
        assert!(Rc::ptr_eq(&same, &s), "the choice is frozen once sent");
    }
}
