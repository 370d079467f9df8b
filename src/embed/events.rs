//! The element's events: bubbling, composed `CustomEvent`s whose detail never
//! holds a password.

use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};
use yew::Callback;

use crate::dialog::services::WidgetEvent;

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

/// Name and detail of the DOM event for a widget event.
pub fn to_dom(event: &WidgetEvent) -> (&'static str, JsValue) {
    match event {
        WidgetEvent::Strength {
            score,
            guesses_log10,
            source,
        } => (
            "reset-password:strength",
            object(&[
                ("score", (*score).into()),
                ("guessesLog10", (*guesses_log10).into()),
                ("source", source.as_str().into()),
            ]),
        ),
        WidgetEvent::Done {
            user_ids,
            delivery_status,
            delivery_detail,
        } => (
            "reset-password:done",
            object(&[
                (
                    "userIds",
                    user_ids
                        .iter()
                        .map(|s| JsValue::from_str(s))
                        .collect::<js_sys::Array>()
                        .into(),
                ),
                (
                    "delivery",
                    object(&[
                        ("status", delivery_status.as_str().into()),
                        (
                            "detail",
                            delivery_detail
                                .clone()
                                .map(JsValue::from)
                                .unwrap_or(JsValue::NULL),
                        ),
                    ]),
                ),
            ]),
        ),
        WidgetEvent::Close => ("reset-password:close", JsValue::NULL),
        WidgetEvent::Error { status, title } => (
            "reset-password:error",
            object(&[
                ("status", (*status).into()),
                ("title", title.as_str().into()),
            ]),
        ),
    }
}

/// A callback that dispatches widget events on `host`.
pub fn dispatcher(host: HtmlElement) -> Callback<WidgetEvent> {
    Callback::from(move |event: WidgetEvent| {
        let (name, detail) = to_dom(&event);
        let init = CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&detail);
        if let Ok(e) = CustomEvent::new_with_event_init_dict(name, &init) {
            let _ = host.dispatch_event(&e);
        }
    })
}
