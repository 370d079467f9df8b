//! Step 1: auto-generate a password (the default) or type one.

use yew::prelude::*;

use super::secret_field::SecretField;
use super::strength_meter::StrengthMeter;
use crate::core::generator::generate_for;
use crate::core::random::OsRandom;
use crate::core::secret::Secret;
use crate::dialog::state::{Action, Mode, State};
use crate::i18n::texts_for;

#[derive(Properties, PartialEq)]
pub struct PasswordStepProps {
    pub state: UseReducerHandle<State>,
}

#[function_component(PasswordStep)]
pub fn password_step(props: &PasswordStepProps) -> Html {
    let state = &props.state;
    let t = texts_for(&state.config.lang);
    let locked = state.password_locked();
    let choose = |mode: Mode| {
        let state = state.clone();
        Callback::from(move |_: Event| state.dispatch(Action::ChooseMode(mode)))
    };
    let on_toggle = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(Action::ToggleShowPassword))
    };
    let on_regenerate = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let options = &state.config.generator;
            if let Ok(generated) = generate_for(
                options,
                &state.config.policy,
                &state.config.user,
                &mut OsRandom,
            ) {
                state.dispatch(Action::Regenerated(generated));
            }
        })
    };
    let on_input = {
        let state = state.clone();
        Callback::from(move |text: String| state.dispatch(Action::CustomEdited(Secret::new(text))))
    };
    let generated = state.mode == Mode::Generated;
    html! {
        <div class="step password-step">
            <fieldset class="choices" disabled={locked}>
                <legend class="visually-hidden">{ t.step_names[0] }</legend>
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
                <SecretField id="rp-password" label={t.new_password} value={state.generated.password.expose().to_string()}
                    shown={state.show_password} on_toggle={on_toggle} texts={t} />
                <button type="button" class="secondary regenerate" onclick={on_regenerate} disabled={locked}>
                    { t.generate_another }
                </button>
            } else {
                <SecretField id="rp-password" label={t.new_password} value={state.custom.expose().to_string()}
                    shown={state.show_password} on_toggle={on_toggle} texts={t}
                    on_input={(!locked).then_some(on_input)} />
            }
            <StrengthMeter strength={state.meter_strength()} estimation={state.estimation.clone()} texts={t} />
        </div>
    }
}
