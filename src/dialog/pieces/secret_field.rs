//! A password field with Show/Hide (and optionally Copy): masked until revealed.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::copy::use_copier;
use crate::i18n::Texts;

#[derive(Properties, PartialEq)]
pub struct SecretFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub shown: bool,
    pub on_toggle: Callback<()>,
    pub texts: &'static Texts,
    /// Editable (a custom password) or read-only (generated, or the result).
    #[prop_or_default]
    pub on_input: Option<Callback<String>>,
    #[prop_or_default]
    pub copyable: bool,
    #[prop_or_default]
    pub described_by: Option<AttrValue>,
    /// The browser's autofill hint for an editable field (`new-password` by
    /// default; `current-password` for the one a user signs in with).
    #[prop_or(AttrValue::Static("new-password"))]
    pub autocomplete: AttrValue,
    /// What is wrong with the value, shown under the field and announced.
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

#[function_component(SecretField)]
pub fn secret_field(props: &SecretFieldProps) -> Html {
    let t = props.texts;
    let copier = use_copier(t);
    let oninput = props.on_input.clone().map(|cb| {
        Callback::from(move |e: InputEvent| {
            cb.emit(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    });
    let on_toggle = {
        let cb = props.on_toggle.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let on_copy = {
        let value = props.value.clone();
        copier.on_click(move || value.to_string())
    };
    let status_id = format!("{}-copy-status", props.id);
    let error_id = format!("{}-error", props.id);
    let described_by = [
        props.described_by.as_deref(),
        props.error.is_some().then_some(error_id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    html! {
        <div class="field secret-field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <div class="secret-row">
                <input
                    id={props.id.clone()}
                    class="password"
                    part="password-input"
                    type={if props.shown { "text" } else { "password" }}
                    value={props.value.clone()}
                    readonly={props.on_input.is_none()}
                    autocomplete={if props.on_input.is_some() { props.autocomplete.clone() } else { AttrValue::Static("off") }}
                    spellcheck="false"
                    autocapitalize="off"
                    aria-invalid={props.error.is_some().then_some("true")}
                    aria-describedby={(!described_by.is_empty()).then_some(described_by)}
                    {oninput}
                />
                <button type="button" class="secondary toggle" aria-controls={props.id.clone()} onclick={on_toggle}>
                    { if props.shown { t.hide_password } else { t.show_password } }
                </button>
                if props.copyable {
                    <button type="button" class="secondary" onclick={on_copy} aria-describedby={status_id.clone()}>
                        { t.copy_password }
                    </button>
                }
            </div>
            if let Some(error) = &props.error {
                <p id={error_id} class="field-error" role="alert">{ error.clone() }</p>
            }
            if props.copyable {
                <p id={status_id} class="hint" role="status">{ copier.status() }</p>
            }
        </div>
    }
}
