//! The new password: auto-generate one (the default) or type one, shown in a
//! masked field with Show/Hide and the live strength meter.

use yew::prelude::*;

use super::secret_field::SecretField;
use super::strength_meter::StrengthMeter;
use crate::core::secret::Secret;
use crate::dialog::kit::password::{Mode, PasswordDraft};
use crate::i18n::Texts;

#[derive(Properties, PartialEq)]
pub struct NewPasswordProps {
    pub draft: PasswordDraft,
    /// While the submission is frozen, the password may not change.
    #[prop_or_default]
    pub locked: bool,
    /// The radio group's accessible name.
    pub legend: AttrValue,
    pub texts: &'static Texts,
    pub on_choose: Callback<Mode>,
    pub on_regenerate: Callback<()>,
    pub on_edit: Callback<Secret>,
    pub on_toggle_shown: Callback<()>,
}

#[function_component(NewPassword)]
pub fn new_password(props: &NewPasswordProps) -> Html {
    let t = props.texts;
    let draft = &props.draft;
    let locked = props.locked;
    let choose = |mode: Mode| props.on_choose.reform(move |_: Event| mode);
    let generated = draft.mode == Mode::Generated;
    let refusal = draft.refused.as_ref().map(|r| AttrValue::from(r.text(t)));
    html! {
        <div class="step password-step">
            <fieldset class="choices" disabled={locked}>
                <legend class="visually-hidden">{ props.legend.clone() }</legend>
                <label class="choice">
                    <input type="radio" name="rp-mode" checked={generated} onchange={choose(Mode::Generated)} />
                    { t.auto_generate }
                </label>
                <label class="choice">
                    <input type="radio" name="rp-mode" checked={!generated} onchange={choose(Mode::Custom)} />
                    { t.let_me_create }
                </label>
            </fieldset>
            if generated {
                <SecretField id="rp-password" label={t.new_password} value={draft.generated.password.expose().to_string()}
                    shown={draft.shown} on_toggle={props.on_toggle_shown.clone()} texts={t}
                    error={refusal.clone()} />
                <button type="button" class="secondary regenerate" onclick={props.on_regenerate.reform(|_: MouseEvent| ())} disabled={locked}>
                    { t.generate_another }
                </button>
            } else {
                <SecretField id="rp-password" label={t.new_password} value={draft.custom.expose().to_string()}
                    shown={draft.shown} on_toggle={props.on_toggle_shown.clone()} texts={t}
                    on_input={(!locked).then(|| props.on_edit.reform(Secret::new))}
                    error={refusal.clone()} />
            }
            <StrengthMeter strength={draft.meter_strength()} estimation={draft.estimation.clone()} texts={t} />
        </div>
    }
}
