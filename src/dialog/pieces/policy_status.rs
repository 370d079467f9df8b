//! The organisation's policy and where the password stands against it: the
//! reasons it may not be used yet, or that it meets the requirements.

use yew::prelude::*;

use crate::core::policy::{Policy, Violation};
use crate::i18n::Texts;

#[derive(Properties, PartialEq)]
pub struct PolicyStatusProps {
    pub policy: Policy,
    pub violations: Vec<Violation>,
    pub texts: &'static Texts,
    /// The heading's element: one level below the screen's own heading.
    #[prop_or("h4")]
    pub heading: &'static str,
}

/// The element buttons that wait for the policy name in `aria-describedby`.
pub const POLICY_STATUS_ID: &str = "rp-policy-status";

#[function_component(PolicyStatus)]
pub fn policy_status(props: &PolicyStatusProps) -> Html {
    let t = props.texts;
    html! {
        <div class="policy" part="policy">
            <@{props.heading}>{ t.policy_heading }</@>
            <p class="hint">{ (t.policy_summary)(props.policy.min_length, props.policy.min_score) }</p>
            <div id={POLICY_STATUS_ID} aria-live="polite">
                if props.violations.is_empty() {
                    <p class="ok">{ t.policy_met }</p>
                } else {
                    <ul class="violations">
                        { for props.violations.iter().map(|v| html! {
                            <li class={classes!((*v == Violation::StrengthPending).then_some("pending"))}>{ (t.violation)(v) }</li>
                        }) }
                    </ul>
                }
            </div>
        </div>
    }
}
