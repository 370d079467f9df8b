//! The element's events: bubbling, composed `CustomEvent`s named after the
//! element (`reset-password:done`, `change-password:done`), whose detail
//! never holds a password.

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

/// The event's name after the element's (`done`, `strength`, ...) and detail.
pub fn to_dom(event: &WidgetEvent) -> (&'static str, JsValue) {
    match event {
        WidgetEvent::Strength {
            score,
            guesses_log10,
            source,
        } => (
            "strength",
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
            "done",
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
        WidgetEvent::Changed { user_id } => {
            ("done", object(&[("userId", user_id.as_str().into())]))
        }
        WidgetEvent::Recovered => ("done", object(&[])),
        WidgetEvent::Close => ("close", JsValue::NULL),
        WidgetEvent::Error { status, title } => (
            "error",
            object(&[
                ("status", (*status).into()),
                ("title", title.as_str().into()),
            ]),
        ),
    }
}

/// A callback that dispatches widget events on `host`, named after it.
pub fn dispatcher(host: HtmlElement) -> Callback<WidgetEvent> {
    let element = host.tag_name().to_ascii_lowercase();
    Callback::from(move |event: WidgetEvent| {
        let (name, detail) = to_dom(&event);
        let name = format!("{element}:{name}");
        let init = CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&detail);
        if let Ok(e) = CustomEvent::new_with_event_init_dict(&name, &init) {
            let _ = host.dispatch_event(&e);
        }
    })
}
