//! Step 2: the strength in detail and the organisation's policy. Next stays
//! disabled, with the reasons listed, until the password meets the policy.

use yew::prelude::*;

use crate::core::policy::{Policy, Violation};
use crate::dialog::kit::password::PasswordDraft;
use crate::dialog::pieces::policy_status::PolicyStatus;
use crate::dialog::pieces::strength_meter::StrengthMeter;
use crate::i18n::Texts;

#[derive(Properties, PartialEq)]
pub struct StrengthStepProps {
    pub draft: PasswordDraft,
    pub policy: Policy,
    pub violations: Vec<Violation>,
    pub texts: &'static Texts,
}

#[function_component(StrengthStep)]
pub fn strength_step(props: &StrengthStepProps) -> Html {
    let t = props.texts;
    let draft = &props.draft;
    html! {
        <div class="step strength-step">
            <StrengthMeter strength={draft.meter_strength()} estimation={draft.estimation.clone()} texts={t} detailed=true />
            if draft.truncated() {
                <p class="hint">{ (t.truncated_note)(reset_estimator::MAX_ANALYSED_CHARS) }</p>
            }
            <PolicyStatus policy={props.policy.clone()} violations={props.violations.clone()} texts={t} />
        </div>
    }
}
