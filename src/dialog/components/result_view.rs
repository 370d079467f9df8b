//! After the reset: the new password (hidden until revealed, copyable) and
//! what the backend said about delivery.

use yew::prelude::*;

use super::secret_field::SecretField;
use crate::core::wire::ResultStatus;
use crate::dialog::state::{Action, State};
use crate::i18n::texts_for;

#[derive(Properties, PartialEq)]
pub struct ResultViewProps {
    pub state: UseReducerHandle<State>,
    pub heading: NodeRef,
    pub on_close: Callback<()>,
}

#[function_component(ResultView)]
pub fn result_view(props: &ResultViewProps) -> Html {
    let state = &props.state;
    let t = texts_for(&state.config.lang);
    let Some(response) = state.succeeded() else {
        return html! {};
    };
    let on_toggle = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(Action::ToggleShowPassword))
    };
    let user = &state.config.user;
    let who = if user.name.is_empty() {
        user.user_id.clone()
    } else {
        format!("{} ({})", user.name, user.user_id)
    };
    let failed: Vec<_> = response
        .results
        .iter()
        .filter(|r| r.status == ResultStatus::Failed)
        .collect();
    html! {
        <div class="result" part="result">
            <header class="header" part="header">
                <h2 id="rp-title" tabindex="-1" ref={props.heading.clone()}>{ t.done_heading }</h2>
            </header>
            <div class="body" part="body">
                <p role="status">{ (t.done_text)(&who) }</p>
                { for failed.iter().map(|r| html! {
                    <p class="failure" role="alert">{ format!("{}: {}", r.user_id, r.detail.clone().unwrap_or_default()) }</p>
                }) }
                <SecretField id="rp-result-password" label={t.new_password} value={state.password().expose().to_string()}
                    shown={state.show_password} on_toggle={on_toggle} texts={t} copyable=true />
                <p class={classes!("delivery", format!("delivery-{}", response.delivery.status.as_str()))}>
                    { (t.delivery_status)(response.delivery.status.as_str()) }
                    if let Some(detail) = &response.delivery.detail {
                        { " " }{ detail.clone() }
                    }
                </p>
            </div>
            <footer class="footer" part="footer">
                <button type="button" class="primary" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ t.reset_another }</button>
            </footer>
        </div>
    }
}
