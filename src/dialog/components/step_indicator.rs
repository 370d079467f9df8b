//! "Step 2 of 3", with the three steps' names; the current one is marked for
//! assistive technology with `aria-current="step"`.

use yew::prelude::*;

use crate::dialog::state::Step;
use crate::i18n::Texts;

#[derive(Properties, PartialEq)]
pub struct StepIndicatorProps {
    pub step: Step,
    pub texts: &'static Texts,
}

#[function_component(StepIndicator)]
pub fn step_indicator(props: &StepIndicatorProps) -> Html {
    let t = props.texts;
    let current = props.step.number();
    html! {
        <nav class="steps" part="steps" aria-label={(t.step_of)(current, Step::COUNT)}>
            <p class="step-of" aria-live="polite">{ (t.step_of)(current, Step::COUNT) }</p>
            <ol>
                { for t.step_names.iter().enumerate().map(|(i, name)| {
                    let n = i + 1;
                    let class = classes!("step", (n == current).then_some("current"), (n < current).then_some("done"));
                    html! {
                        <li class={class} aria-current={(n == current).then_some("step")}>
                            <span class="step-number" aria-hidden="true">{ n }</span>
                            <span class="step-name">{ *name }</span>
                        </li>
                    }
                }) }
            </ol>
        </nav>
    }
}
