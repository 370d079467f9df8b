//! What the backend said about delivering the new passwords, on a result view.

use yew::prelude::*;

use crate::core::wire::Delivery;
use crate::i18n::Texts;

#[derive(Properties, PartialEq)]
pub struct DeliveryNoteProps {
    pub delivery: Delivery,
    pub texts: &'static Texts,
}

#[function_component(DeliveryNote)]
pub fn delivery_note(props: &DeliveryNoteProps) -> Html {
    let d = &props.delivery;
    html! {
        <p class={classes!("delivery", format!("delivery-{}", d.status.as_str()))}>
            { (props.texts.delivery_status)(d.status.as_str()) }
            if let Some(detail) = &d.detail {
                { " " }{ detail.clone() }
            }
        </p>
    }
}
