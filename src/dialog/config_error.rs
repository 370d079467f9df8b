//! A bad configuration, shown inside the element instead of the dialog.

use yew::prelude::*;

use crate::i18n::texts_for;

#[derive(Properties, PartialEq)]
pub struct ConfigErrorProps {
    pub message: AttrValue,
    pub lang: AttrValue,
}

#[function_component(ConfigErrorView)]
pub fn config_error_view(props: &ConfigErrorProps) -> Html {
    let t = texts_for(&props.lang);
    html! {
        <section class="dialog config-error" part="dialog error" role="alert">
            <p class="failure-title">{ t.config_error_heading }</p>
            <p><code>{ props.message.clone() }</code></p>
        </section>
    }
}
