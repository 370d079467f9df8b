//! What the dialog says when a submission fails: the backend's own words when
//! it sent a problem, and plainly whether the reset may have happened.

use yew::prelude::*;

use crate::core::wire::Failure;
use crate::i18n::Texts;

/// A one-line title for the failure (also the error event's `title`).
pub fn title(failure: &Failure, t: &Texts) -> String {
    match failure {
        Failure::Rejected {
            status, problem, ..
        } => problem
            .as_ref()
            .and_then(|p| p.title.clone())
            .unwrap_or_else(|| (t.failure_status)(*status)),
        Failure::BadResponse { status } => (t.failure_bad_response)(*status),
        Failure::Network => t.failure_network.to_string(),
        Failure::Timeout => t.failure_timeout.to_string(),
    }
}

/// What the failure means for the user: may it have happened, and what now.
fn consequence(failure: &Failure, t: &Texts, flow: Flow) -> &'static str {
    match (failure, flow) {
        (Failure::Rejected { status: 401, .. }, Flow::StepUp) => t.failure_session,
        (_, Flow::StepUp) => t.step_up_failed,
        // Cancelled "Confirm it's you": Retry asks for the password again.
        (f, Flow::Reset) if f.is_step_up_required() => t.step_up_text,
        (f, Flow::Reset) if f.outcome_unknown() => t.failure_unknown_outcome,
        (f, Flow::Change | Flow::Recover) if f.outcome_unknown() => {
            t.failure_change_unknown_outcome
        }
        (Failure::Rejected { status: 401, .. }, _) => t.failure_session,
        (Failure::Rejected { status: 403, .. }, Flow::Reset) => t.failure_forbidden,
        (_, Flow::Reset) => t.failure_nothing_reset,
        (_, Flow::Change) => t.failure_nothing_changed,
        (_, Flow::Recover) => t.failure_nothing_recovered,
    }
}

/// Whose words say what a failure means: an administrator's reset, a user's
/// own change, a recovery, or the admin's step-up before a reset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Flow {
    #[default]
    Reset,
    Change,
    Recover,
    StepUp,
}

#[derive(Properties, PartialEq)]
pub struct FailureMessageProps {
    pub failure: Failure,
    pub texts: &'static Texts,
    #[prop_or_default]
    pub flow: Flow,
}

#[function_component(FailureMessage)]
pub fn failure_message(props: &FailureMessageProps) -> Html {
    let t = props.texts;
    let f = &props.failure;
    let detail = f.problem().and_then(|p| p.detail.clone());
    html! {
        <div class="failure" part="error" role="alert" id="rp-failure">
            <p class="failure-title">{ title(f, t) }</p>
            if let Some(detail) = detail {
                <p>{ detail }</p>
            }
            <p>{ consequence(f, t, props.flow) }</p>
        </div>
    }
}
