//! The new password being chosen, in any flow: generated (its strength exact
//! from its entropy) or typed (its strength from the estimator, which answers
//! later), and what the organisation's policy says of it.

use std::rc::Rc;

use crate::core::generator::Generated;
use crate::core::policy::{Blocklist, Policy, UserWords, Violation};
use crate::core::secret::Secret;
use crate::core::strength::{Estimate, Strength};
use crate::core::wire::FieldError;
use crate::i18n::Texts;

/// The backend refused the new password: for one of the policy's reasons,
/// which the dialog says in its own language, or in the backend's words
/// when its code is not one the dialog knows.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    Policy(Violation),
    Said(String),
}

impl Refusal {
    pub fn of(error: &FieldError) -> Self {
        error
            .code
            .as_deref()
            .and_then(|code| Violation::from_code(code, error.limit))
            .map_or_else(|| Self::Said(error.detail.clone()), Self::Policy)
    }

    pub fn text(&self, t: &Texts) -> String {
        match self {
            Self::Policy(violation) => (t.violation)(violation),
            Self::Said(detail) => detail.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Generated,
    Custom,
}

/// The strength of the typed password, which the estimator computes.
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

#[derive(Debug, Clone, PartialEq)]
pub struct PasswordDraft {
    pub mode: Mode,
    pub generated: Generated,
    /// `Rc`, as every password a dialog's state holds: Yew's reducer clones
    /// the state on each action, and this shares the password instead of
    /// copying it (the one buffer is zeroed when the last owner drops it).
    pub custom: Rc<Secret>,
    /// Counts edits of the typed password, so a late estimate of an older
    /// text is recognised and dropped.
    pub revision: u32,
    pub estimation: Estimation,
    /// The last estimate of the typed password, shown while the next is computed.
    pub previous_estimate: Option<Strength>,
    pub shown: bool,
    /// Bumped whenever the strength the meter shows changes (for the strength event).
    pub strength_version: u32,
    /// The organisation's blocklist, fetched once when configured.
    pub blocklist: Blocklist,
    /// The backend refused the password last sent; cleared by any change.
    pub refused: Option<Refusal>,
}

/// What the browser tells a flow about its new password: the estimator's
/// answer for an edit, or the organisation's blocklist.
#[derive(Debug, Clone)]
pub enum Feedback {
    Estimated { revision: u32, estimate: Estimate },
    EstimationFailed { revision: u32 },
    Blocklist(Blocklist),
}

impl PasswordDraft {
    pub fn new(mode: Mode, generated: Generated) -> Self {
        Self {
            mode,
            generated,
            custom: Rc::default(),
            revision: 0,
            estimation: Estimation::Idle,
            previous_estimate: None,
            shown: false,
            strength_version: 1,
            blocklist: Blocklist::None,
            refused: None,
        }
    }

    /// The password that would be sent.
    pub fn password(&self) -> &Rc<Secret> {
        match self.mode {
            Mode::Generated => &self.generated.password,
            Mode::Custom => &self.custom,
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

    /// Why the password may not be used; empty when it may.
    pub fn violations(&self, policy: &Policy, user: &UserWords) -> Vec<Violation> {
        // A banned-password list holds what people choose; a generated password
        // is drawn from 2^100 or so, so it neither waits for the list nor
        // needs it (it is the way out when the list cannot be loaded).
        let blocklist = match self.mode {
            Mode::Generated => &Blocklist::None,
            Mode::Custom => &self.blocklist,
        };
        policy.check(
            self.password().expose(),
            self.strength().as_ref(),
            user,
            blocklist,
        )
    }

    /// The password was typed past the estimator's analysed length.
    pub fn truncated(&self) -> bool {
        matches!(self.estimation, Estimation::Known(_))
            && self.password().char_count() > reset_estimator::MAX_ANALYSED_CHARS
    }

    /// False when `mode` is already chosen.
    pub fn choose(&mut self, mode: Mode) -> bool {
        if self.mode == mode {
            return false;
        }
        self.mode = mode;
        self.strength_version += 1;
        self.refused = None;
        true
    }

    pub fn regenerate(&mut self, generated: Generated) {
        self.generated = generated;
        if self.mode == Mode::Generated {
            self.strength_version += 1;
            self.refused = None;
        }
    }

    pub fn edit(&mut self, text: Secret) {
        self.estimation = if text.is_empty() {
            self.previous_estimate = None;
            Estimation::Idle
        } else {
            Estimation::Checking
        };
        self.custom = Rc::new(text);
        self.revision += 1;
        self.refused = None;
    }

    /// The estimator's answer for `revision`; false when that text is gone.
    pub fn estimated(&mut self, revision: u32, estimate: Estimate) -> bool {
        if revision != self.revision {
            return false;
        }
        let strength = Strength::from_estimate(estimate);
        self.previous_estimate = Some(strength.clone());
        self.estimation = Estimation::Known(strength);
        self.strength_version += 1;
        true
    }

    /// The estimator failed for `revision`; false when that text is gone.
    pub fn estimation_failed(&mut self, revision: u32) -> bool {
        if revision != self.revision {
            return false;
        }
        self.estimation = Estimation::Failed;
        true
    }

    /// Takes the browser's feedback; false when it changes nothing (a late
    /// estimate of a text that is gone).
    pub fn feedback(&mut self, feedback: Feedback) -> bool {
        match feedback {
            Feedback::Estimated { revision, estimate } => self.estimated(revision, estimate),
            Feedback::EstimationFailed { revision } => self.estimation_failed(revision),
            Feedback::Blocklist(list) => {
                self.blocklist = list;
                true
            }
        }
    }

    pub fn toggle_shown(&mut self) {
        self.shown = !self.shown;
    }
}

/// A user's own new password and its confirmation (a change, a recovery):
/// typed by default; "Suggest a password" puts a generated one in both
/// fields, shown, and typing in the first makes it the user's own again.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPassword {
    pub draft: PasswordDraft,
    /// Shared, as [`PasswordDraft::custom`].
    pub confirm: Rc<Secret>,
}

/// What the user does to a [`NewPassword`].
#[derive(Debug)]
pub enum NewPasswordEdit {
    Typed(Secret),
    /// "Suggest a password": a freshly generated one.
    Suggested(Generated),
    ToggleShown,
    Confirmed(Secret),
}

impl NewPassword {
    /// `generated` is the first suggestion, kept until one is asked for.
    pub fn new(generated: Generated) -> Self {
        Self {
            draft: PasswordDraft::new(Mode::Custom, generated),
            confirm: Rc::default(),
        }
    }

    pub fn password(&self) -> &Rc<Secret> {
        self.draft.password()
    }

    /// The confirmation was typed and differs.
    pub fn mismatch(&self) -> bool {
        !self.confirm.is_empty() && self.confirm != *self.password()
    }

    pub fn confirmed(&self) -> bool {
        self.confirm == *self.password()
    }

    /// True when what would be sent changed (so the next request is a new one).
    pub fn apply(&mut self, edit: NewPasswordEdit) -> bool {
        match edit {
            NewPasswordEdit::Typed(text) => {
                self.draft.choose(Mode::Custom);
                self.draft.edit(text);
            }
            NewPasswordEdit::Suggested(generated) => {
                self.confirm = generated.password.clone();
                self.draft.regenerate(generated);
                self.draft.choose(Mode::Generated);
                self.draft.shown = true;
            }
            NewPasswordEdit::ToggleShown => {
                self.draft.toggle_shown();
                return false;
            }
            NewPasswordEdit::Confirmed(text) => self.confirm = Rc::new(text),
        }
        true
    }
}
