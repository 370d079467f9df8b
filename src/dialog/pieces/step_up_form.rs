//! "Confirm it's you": why the admin's own password is asked for, its field
//! (`autocomplete="current-password"`, so a password manager offers it),
//! the backend's word when it is wrong, and any other failure. The flow's
//! footer carries Cancel and Confirm.

use yew::prelude::*;

use super::failure_message::{FailureMessage, Flow};
use super::secret_field::SecretField;
use crate::core::secret::Secret;
use crate::dialog::kit::step_up::{StepUp, StepUpAction};
use crate::i18n::Texts;

/// The id of the step-up's password field.
pub const STEP_UP_FIELD_ID: &str = "rp-step-up-password";

#[derive(Properties, PartialEq)]
pub struct StepUpFormProps {
    pub step_up: StepUp,
    pub texts: &'static Texts,
    pub on_edit: Callback<Secret>,
    pub on_toggle: Callback<()>,
    /// Enter in the field: as Confirm.
    pub on_submit: Callback<()>,
}

#[function_component(StepUpForm)]
pub fn step_up_form(props: &StepUpFormProps) -> Html {
    let t = props.texts;
    let s = &props.step_up;
    let on_input = (!s.submission.in_flight()).then(|| props.on_edit.reform(Secret::new));
    let onsubmit = props.on_submit.reform(|e: SubmitEvent| e.prevent_default());
    html! {
        <form class="step step-up" {onsubmit}>
            <p id="rp-step-up-why" class="note" part="note">{ t.step_up_text }</p>
            <SecretField id={STEP_UP_FIELD_ID} label={t.step_up_password}
                value={s.password.expose().to_string()} shown={s.shown}
                on_toggle={props.on_toggle.clone()} texts={t} {on_input}
                autocomplete="current-password" described_by={AttrValue::Static("rp-step-up-why")}
                error={s.error.clone().map(AttrValue::from)} />
            if let Some(failure) = s.failure() {
                <FailureMessage failure={failure.clone()} texts={t} flow={Flow::StepUp} />
            }
        </form>
    }
}

/// The prompt's footer: Cancel (back to the form as it was) and Confirm
/// (which says "Confirming…" meanwhile, or counts a `Retry-After` down).
pub fn step_up_footer(
    t: &'static Texts,
    step_up: &StepUp,
    on_action: &Callback<StepUpAction>,
    fresh_key: impl Fn() -> String + 'static,
) -> Html {
    let in_flight = step_up.submission.in_flight();
    let label = if in_flight {
        t.step_up_confirming.to_string()
    } else if step_up.submission.retry_wait > 0 {
        (t.retry_in)(step_up.submission.retry_wait)
    } else {
        t.step_up_confirm.to_string()
    };
    let on_cancel = on_action.reform(|_: MouseEvent| StepUpAction::Cancel);
    let on_confirm = on_action.reform(move |_: MouseEvent| StepUpAction::Submit {
        fresh_key: fresh_key(),
    });
    html! {
        <>
            <button type="button" class="secondary" onclick={on_cancel} disabled={in_flight}>{ t.cancel }</button>
            <button type="button" class="primary" onclick={on_confirm} disabled={!step_up.can_send()}
                aria-busy={in_flight.to_string()}>{ label }</button>
        </>
    }
}
