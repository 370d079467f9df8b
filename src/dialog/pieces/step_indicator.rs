//! "Step 2 of 3", with the steps' names; the current one is marked for
//! assistive technology with `aria-current="step"`.

use yew::prelude::*;

use crate::i18n::Texts;

#[derive(Properties, PartialEq)]
pub struct StepIndicatorProps {
    /// 1-based.
    pub current: usize,
    pub names: &'static [&'static str],
    pub texts: &'static Texts,
}

#[function_component(StepIndicator)]
pub fn step_indicator(props: &StepIndicatorProps) -> Html {
    let t = props.texts;
    let current = props.current;
    let count = props.names.len();
    html! {
        <nav class="steps" part="steps" aria-label={(t.step_of)(current, count)}>
            <p class="step-of" aria-live="polite">{ (t.step_of)(current, count) }</p>
            <ol>
                { for props.names.iter().enumerate().map(|(i, name)| {
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
