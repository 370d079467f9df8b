//! What the dialog says when a submission fails: the backend's own words when
//! it sent a problem, and plainly whether the reset may have happened.

use yew::prelude::*;

use crate::core::wire::Failure;
use crate::i18n::Texts;

/// A one-line title for the failure (also the error event's `title`).
pub fn title(failure: &Failure, t: &Texts) -> String {
    match failure {
        Failure::Rejected { status, problem } => problem
            .as_ref()
            .and_then(|p| p.title.clone())
            .unwrap_or_else(|| (t.failure_status)(*status)),
        Failure::BadResponse { status } => (t.failure_bad_response)(*status),
        Failure::Network => t.failure_network.to_string(),
        Failure::Timeout => t.failure_timeout.to_string(),
    }
}

#[derive(Properties, PartialEq)]
pub struct FailureMessageProps {
    pub failure: Failure,
    pub texts: &'static Texts,
}

#[function_component(FailureMessage)]
pub fn failure_message(props: &FailureMessageProps) -> Html {
    let t = props.texts;
    let f = &props.failure;
    let detail = f.problem().and_then(|p| p.detail.clone());
    html! {
        <div class="failure" part="error" role="alert">
            <p class="failure-title">{ title(f, t) }</p>
            if let Some(detail) = detail {
                <p>{ detail }</p>
            }
            if f.outcome_unknown() {
                <p>{ t.failure_unknown_outcome }</p>
            }
        </div>
    }
}
