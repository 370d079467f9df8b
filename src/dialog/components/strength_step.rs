//! Step 2: the strength in detail and the organisation's policy. Next stays
//! disabled, with the reasons listed, until the password meets the policy.

use yew::prelude::*;

use super::strength_meter::StrengthMeter;
use crate::core::policy::Violation;
use crate::dialog::state::State;
use crate::i18n::texts_for;

#[derive(Properties, PartialEq)]
pub struct StrengthStepProps {
    pub state: UseReducerHandle<State>,
}

#[function_component(StrengthStep)]
pub fn strength_step(props: &StrengthStepProps) -> Html {
    let state = &props.state;
    let t = texts_for(&state.config.lang);
    let policy = &state.config.policy;
    let violations = state.violations();
    let truncated = matches!(
        &state.estimation,
        crate::dialog::state::Estimation::Known(_)
    ) && state.password().char_count() > reset_estimator::MAX_ANALYSED_CHARS;
    html! {
        <div class="step strength-step">
            <StrengthMeter strength={state.meter_strength()} estimation={state.estimation.clone()} texts={t} detailed=true />
            if truncated {
                <p class="hint">{ (t.truncated_note)(reset_estimator::MAX_ANALYSED_CHARS) }</p>
            }
            <div class="policy" part="policy">
                <h4>{ t.policy_heading }</h4>
                <p class="hint">{ (t.policy_summary)(policy.min_length, policy.min_score) }</p>
                <div id="rp-policy-status" aria-live="polite">
                    if violations.is_empty() {
                        <p class="ok">{ t.policy_met }</p>
                    } else {
                        <ul class="violations">
                            { for violations.iter().map(|v| html! {
                                <li class={classes!((*v == Violation::StrengthPending).then_some("pending"))}>{ (t.violation)(v) }</li>
                            }) }
                        </ul>
                    }
                </div>
            </div>
        </div>
    }
}
