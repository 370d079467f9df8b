//! The Web Worker entry point: answers `EstimateRequest`s (JSON text) with
//! `EstimateReply`s (JSON text), one at a time, off the page's main thread.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::{estimate, EstimateReply, EstimateRequest};

#[wasm_bindgen(start)]
pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        // A message that is not a request is ignored: nothing to answer.
        let Some(text) = event.data().as_string() else {
            return;
        };
        let Ok(request) = serde_json::from_str::<EstimateRequest>(&text) else {
            return;
        };
        let reply = EstimateReply {
            id: request.id,
            estimate: estimate(&request.password, &request.user_inputs),
        };
        if let Ok(json) = serde_json::to_string(&reply) {
            let _ = reply_scope.post_message(&JsValue::from_str(&json));
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    // Tell the page the module is compiled and ready.
    let _ = scope.post_message(&JsValue::from_str("{\"ready\":true}"));
}
