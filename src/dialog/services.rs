//! What the dialog needs from outside, as narrow interfaces: the strength
//! estimator, the transport that carries the request, the organisation's
//! blocklist, and where events go. The embed layer provides the real ones (the
//! lazily loaded estimator module, HTTP or the page's own transport, the
//! blocklist fetched with the element's transport settings, DOM events); a
//! test can provide its own.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use yew::Callback;

use crate::core::policy::Blocklist;
use crate::core::strength::{Estimate, StrengthSource};
use crate::core::wire::{DeliveryStatus, Failure, Reply};

pub type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// A pure function of password and user inputs, computed somewhere else
/// (the estimator module is fetched only when first asked).
pub trait Estimator {
    fn estimate(&self, password: &str, user_inputs: &[String])
        -> LocalFuture<Result<Estimate, ()>>;

    /// A custom password is about to be typed: start loading now, so the
    /// first key finds the estimator (nearly) ready. Nothing by default.
    fn prepare(&self) {}
}

/// Which request of the wire contract a POST is: a page's JavaScript
/// transport reads it as `request.kind` to choose its own call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    /// `<reset-password>`: the reset (`endpoint`).
    Reset,
    /// `<reset-password>`: the admin confirms their own password before a
    /// reset of an administrator's (`step-up-endpoint`).
    StepUp,
    /// `<change-password>`: a user's own change.
    PasswordChange,
    /// `<recover-password>`: the three steps.
    RecoveryCode,
    RecoveryVerification,
    RecoveryCompletion,
}

impl RequestKind {
    /// The name a JavaScript transport sees.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reset => "reset",
            Self::StepUp => "stepUp",
            Self::PasswordChange => "passwordChange",
            Self::RecoveryCode => "recoveryCode",
            Self::RecoveryVerification => "recoveryVerification",
            Self::RecoveryCompletion => "recoveryCompletion",
        }
    }
}

/// One POST of the wire contract. `body` is the JSON request; it holds a
/// password (a new one, or the admin's own for a step-up), so
/// implementations must not log it or put it anywhere else.
pub struct OutgoingRequest {
    pub kind: RequestKind,
    pub endpoint: String,
    pub idempotency_key: String,
    pub body: String,
}

/// Carries a request and brings back the answer as it came (or why none
/// came); the flow that asked reads it.
pub trait Transport {
    fn send(&self, request: OutgoingRequest) -> LocalFuture<Result<Reply, Failure>>;
}

/// The organisation's blocklist (attribute `blocklist-url`). A list that
/// cannot be had is `Blocklist::Unavailable`, never an error.
pub trait Blocklists {
    fn load(&self, url: &str) -> LocalFuture<Blocklist>;
}

/// What the dialog tells the host page. Never holds a password.
#[derive(Debug, Clone, PartialEq)]
pub enum WidgetEvent {
    Strength {
        score: u8,
        guesses_log10: f64,
        source: StrengthSource,
    },
    Done {
        user_ids: Vec<String>,
        delivery_status: DeliveryStatus,
        delivery_detail: Option<String>,
    },
    Error {
        status: u16,
        title: String,
    },
    /// A user changed their own password (`<change-password>`).
    Changed {
        user_id: String,
    },
    /// A user recovered their password (`<recover-password>`).
    Recovered,
    /// The admin is done with the dialog (the result view's Done button).
    Close,
}

#[derive(Clone)]
pub struct Services {
    pub estimator: Rc<dyn Estimator>,
    pub transport: Rc<dyn Transport>,
    pub blocklists: Rc<dyn Blocklists>,
    pub on_event: Callback<WidgetEvent>,
}

impl PartialEq for Services {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.estimator, &other.estimator)
            && Rc::ptr_eq(&self.transport, &other.transport)
            && Rc::ptr_eq(&self.blocklists, &other.blocklists)
            && self.on_event == other.on_event
    }
}
