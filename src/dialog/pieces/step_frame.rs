//! The frame of a dialog in steps: its title (and whose password), the step
//! indicator, the current step's heading (focused when the step changes), the
//! step's body, and the footer's buttons.

use yew::prelude::*;

use super::step_indicator::StepIndicator;
use crate::i18n::Texts;

#[derive(Properties, PartialEq)]
pub struct StepFrameProps {
    /// An extra class on the dialog (`bulk`, `recover`), for the stylesheet.
    #[prop_or_default]
    pub class: Option<&'static str>,
    pub title: &'static str,
    /// Whose password, under the title.
    #[prop_or_default]
    pub who: Option<AttrValue>,
    /// 1-based.
    pub current: usize,
    pub names: &'static [&'static str],
    /// A heading instead of the current step's name (the step-up prompt's).
    #[prop_or_default]
    pub step_title: Option<&'static str>,
    /// The step heading, which the flow focuses when the step changes.
    pub heading: NodeRef,
    pub texts: &'static Texts,
    pub footer: Html,
    pub children: Html,
}

#[function_component(StepFrame)]
pub fn step_frame(props: &StepFrameProps) -> Html {
    html! {
        <section class={classes!("dialog", props.class)} part="dialog" aria-labelledby="rp-title">
            <header class="header" part="header">
                <h2 id="rp-title">{ props.title }</h2>
                if let Some(who) = &props.who {
                    <p class="who">{ who.clone() }</p>
                }
                <StepIndicator current={props.current} names={props.names} texts={props.texts} />
            </header>
            <div class="body" part="body">
                <h3 class="step-heading" tabindex="-1" ref={props.heading.clone()}>{ props.step_title.unwrap_or(props.names[props.current - 1]) }</h3>
                { props.children.clone() }
            </div>
            <footer class="footer" part="footer">{ props.footer.clone() }</footer>
        </section>
    }
}
