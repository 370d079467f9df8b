//! A user's own new password, as `<change-password>` and `<recover-password>`
//! ask for it: the field (with Suggest a password, Show/Hide and, for a
//! suggestion, Copy), the live meter with zxcvbn's warning and suggestions,
//! the policy's reasons, and the confirmation.

use yew::prelude::*;

use super::policy_status::PolicyStatus;
use super::secret_field::SecretField;
use super::strength_meter::StrengthMeter;
use crate::core::policy::{Policy, Violation};
use crate::core::secret::Secret;
use crate::dialog::kit::password::{Mode, NewPassword, NewPasswordEdit};
use crate::i18n::Texts;

#[derive(Properties, PartialEq)]
pub struct NewPasswordFormProps {
    pub entry: NewPassword,
    pub policy: Policy,
    pub violations: Vec<Violation>,
    /// While the submission is frozen, nothing here may change.
    #[prop_or_default]
    pub locked: bool,
    /// The policy heading's element: one level below the screen's heading.
    pub policy_heading: &'static str,
    pub texts: &'static Texts,
    pub on_edit: Callback<NewPasswordEdit>,
    /// "Suggest a password" (the flow draws the password).
    pub on_suggest: Callback<()>,
}

#[function_component(NewPasswordForm)]
pub fn new_password_form(props: &NewPasswordFormProps) -> Html {
    let t = props.texts;
    let entry = &props.entry;
    let draft = &entry.draft;
    let edit = |make: fn(Secret) -> NewPasswordEdit| {
        (!props.locked).then(|| {
            props
                .on_edit
                .reform(move |text: String| make(Secret::new(text)))
        })
    };
    let toggle = props.on_edit.reform(|()| NewPasswordEdit::ToggleShown);
    html! {
        <>
            <SecretField id="rp-password" label={t.new_password} value={entry.password().expose().to_string()}
                shown={draft.shown} on_toggle={toggle.clone()} texts={t}
                on_input={edit(NewPasswordEdit::Typed)} copyable={draft.mode == Mode::Generated}
                error={draft.refused.as_ref().map(|r| AttrValue::from(r.text(t)))} />
            <button type="button" class="secondary regenerate" onclick={props.on_suggest.reform(|_: MouseEvent| ())}
                disabled={props.locked}>
                { t.suggest_password }
            </button>
            <StrengthMeter strength={draft.meter_strength()} estimation={draft.estimation.clone()} texts={t} detailed=true />
            <PolicyStatus policy={props.policy.clone()} violations={props.violations.clone()} texts={t}
                heading={props.policy_heading} />
            <SecretField id="rp-confirm" label={t.confirm_password} value={entry.confirm.expose().to_string()}
                shown={draft.shown} on_toggle={toggle} texts={t} on_input={edit(NewPasswordEdit::Confirmed)}
                error={entry.mismatch().then_some(AttrValue::Static(t.passwords_differ))} />
        </>
    }
}
