//! The delivery form of every reset flow: where the new passwords are
//! e-mailed, whether users must change them at their next sign-in, and a
//! summary of what will happen (the flow's own lines, as children).

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::dialog::kit::delivery::{DeliveryForm, RecipientsError};
use crate::i18n::Texts;

#[derive(Properties, PartialEq)]
pub struct DeliveryFormProps {
    pub form: DeliveryForm,
    /// While the submission is frozen, nothing here may change.
    #[prop_or_default]
    pub locked: bool,
    pub texts: &'static Texts,
    pub on_recipients: Callback<String>,
    pub on_force_change: Callback<()>,
    /// Offer the must-change checkbox (not when a change is all that is asked).
    #[prop_or(true)]
    pub force_change_choice: bool,
    /// The summary's lines (`<li>`s).
    pub children: Html,
}

#[function_component(DeliveryFormView)]
pub fn delivery_form(props: &DeliveryFormProps) -> Html {
    let t = props.texts;
    let form = &props.form;
    let oninput = props
        .on_recipients
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
    let onchange = props.on_force_change.reform(|_: Event| ());
    let error = form.recipients_error.as_ref().map(|e| match e {
        RecipientsError::BadAddress(a) => (t.bad_address)(a),
        RecipientsError::Backend(detail) => detail.clone(),
    });
    let described_by = if error.is_some() {
        "rp-to-hint rp-to-error"
    } else {
        "rp-to-hint"
    };
    html! {
        <>
            <div class="field">
                <label for="rp-to">{ t.email_to }</label>
                <input id="rp-to" type="text" inputmode="email" autocomplete="email" spellcheck="false"
                    value={form.recipients_text.clone()} {oninput} readonly={props.locked}
                    aria-invalid={error.is_some().to_string()} aria-describedby={described_by} />
                <p id="rp-to-hint" class="hint">{ t.email_hint }</p>
                if let Some(error) = error {
                    <p id="rp-to-error" class="field-error" role="alert">{ error }</p>
                }
            </div>
            if props.force_change_choice {
                <label class="choice checkbox">
                    <input type="checkbox" checked={form.force_change} {onchange} disabled={props.locked} />
                    { t.force_change }
                </label>
            }
            <div class="summary" part="summary">
                <h4>{ t.summary_heading }</h4>
                <ul>{ props.children.clone() }</ul>
            </div>
        </>
    }
}
