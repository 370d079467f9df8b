//! Step 3: where the new password is e-mailed, whether the user must change
//! it at first sign-in, a summary, and (after a failure) what went wrong.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::failure_message::FailureMessage;
use crate::core::recipients::parse_recipients;
use crate::dialog::state::{Action, Mode, RecipientsError, State, Submission};
use crate::i18n::texts_for;

#[derive(Properties, PartialEq)]
pub struct DeliveryStepProps {
    pub state: UseReducerHandle<State>,
}

#[function_component(DeliveryStep)]
pub fn delivery_step(props: &DeliveryStepProps) -> Html {
    let state = &props.state;
    let t = texts_for(&state.config.lang);
    let locked = state.password_locked();
    let on_recipients = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            state.dispatch(Action::RecipientsEdited(
                e.target_unchecked_into::<HtmlInputElement>().value(),
            ))
        })
    };
    let on_force = {
        let state = state.clone();
        Callback::from(move |_: Event| state.dispatch(Action::ToggleForceChange))
    };
    let error = state.recipients_error.as_ref().map(|e| match e {
        RecipientsError::BadAddress(a) => (t.bad_address)(a),
        RecipientsError::Backend(detail) => detail.clone(),
    });
    let described_by = if error.is_some() {
        "rp-to-hint rp-to-error"
    } else {
        "rp-to-hint"
    };
    let recipients = parse_recipients(&state.recipients_text).unwrap_or_default();
    let user = &state.config.user;
    html! {
        <div class="step delivery-step">
            <div class="field">
                <label for="rp-to">{ t.email_to }</label>
                <input id="rp-to" type="text" inputmode="email" autocomplete="email" spellcheck="false"
                    value={state.recipients_text.clone()} oninput={on_recipients} readonly={locked}
                    aria-invalid={error.is_some().to_string()} aria-describedby={described_by} />
                <p id="rp-to-hint" class="hint">{ t.email_hint }</p>
                if let Some(error) = error {
                    <p id="rp-to-error" class="field-error" role="alert">{ error }</p>
                }
            </div>
            <label class="choice checkbox">
                <input type="checkbox" checked={state.force_change} onchange={on_force} disabled={locked} />
                { t.force_change }
            </label>
            <div class="summary" part="summary">
                <h4>{ t.summary_heading }</h4>
                <ul>
                    <li>{ (t.summary_user)(&user.name, &user.user_id) }</li>
                    <li>{ if state.mode == Mode::Generated { t.summary_generated } else { t.summary_custom } }</li>
                    <li>{ (t.summary_delivery)(&recipients) }</li>
                    <li>{ (t.summary_force)(state.force_change) }</li>
                </ul>
            </div>
            if let Submission::Failed(failure) = &state.submission {
                <FailureMessage failure={failure.clone()} texts={t} />
            }
        </div>
    }
}
