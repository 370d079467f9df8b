//! After the reset: the new password (hidden until revealed, copyable) and
//! what the backend said about delivery.

use yew::prelude::*;

use crate::core::policy::UserWords;
use crate::core::secret::Secret;
use crate::core::wire::{ResetResponse, ResultStatus};
use crate::dialog::pieces::delivery_note::DeliveryNote;
use crate::dialog::pieces::secret_field::SecretField;
use crate::i18n::Texts;

#[derive(Properties, PartialEq)]
pub struct ResultViewProps {
    pub user: std::rc::Rc<UserWords>,
    pub response: ResetResponse,
    /// Yew's props must be `Clone`: shared with the dialog's state, not copied.
    pub password: std::rc::Rc<Secret>,
    pub shown: bool,
    pub texts: &'static Texts,
    pub heading: NodeRef,
    pub on_toggle_shown: Callback<()>,
    pub on_close: Callback<()>,
}

#[function_component(ResultView)]
pub fn result_view(props: &ResultViewProps) -> Html {
    let t = props.texts;
    let user = &props.user;
    let who = if user.name.is_empty() {
        user.user_id.clone()
    } else {
        format!("{} ({})", user.name, user.user_id)
    };
    html! {
        <div class="result" part="result">
            <header class="header" part="header">
                <h2 id="rp-title" tabindex="-1" ref={props.heading.clone()}>{ t.done_heading }</h2>
            </header>
            <div class="body" part="body">
                <p role="status">{ (t.done_text)(&who) }</p>
                { for props.response.results.iter().filter(|r| r.status == ResultStatus::Failed).map(|r| html! {
                    <p class="failure" role="alert">{ format!("{}: {}", r.user_id, r.detail.clone().unwrap_or_default()) }</p>
                }) }
                <SecretField id="rp-result-password" label={t.new_password} value={props.password.expose().to_string()}
                    shown={props.shown} on_toggle={props.on_toggle_shown.clone()} texts={t} copyable=true />
                <DeliveryNote delivery={props.response.delivery.clone()} texts={t} />
            </div>
            <footer class="footer" part="footer">
                <button type="button" class="primary" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ t.reset_another }</button>
            </footer>
        </div>
    }
}
