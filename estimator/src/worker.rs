//! The estimator's JavaScript entry points (feature `worker`). The same module
//! serves two places: a Web Worker (`startWorker`), which answers requests off
//! the page's main thread, and the page itself (`estimateJson`), which scores
//! short passwords at once, in the keystroke's own task.
//!
//! zxcvbn builds its dictionaries (about 94,000 words in hash maps) on first
//! use: 50-90 ms in one task, which would make a key wait if the page built
//! them. So only the worker builds them ([`warm_up`]); the page's copy then
//! starts from a copy of the worker's memory, taken right after, before the
//! worker has read any request (`estimator-worker.js`). At that moment the
//! module's state is its memory alone: its one mutable global is the stack
//! pointer, back at its start between calls, and no JavaScript object is held
//! in its reference table ([`warm_up`] checks; zxcvbn's `custom_wasm_env`
//! keeps zxcvbn from holding the `performance` object there). Later calls do
//! hold some (serde-wasm-bindgen caches strings), so the copy is taken only then.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::{estimate, EstimateReply, EstimateRequest};

/// Answers one `EstimateRequest` (JSON text) with an `EstimateReply` (JSON
/// text); `None` for text that is not a request. The browser's own JSON
/// reads and writes the text: serde_json (and the buffering its
/// `#[serde(flatten)]` needs) added 17 KB brotli to the module.
fn answer(text: &str) -> Option<String> {
    let request = read_request(text)?;
    let reply = EstimateReply {
        id: request.id,
        estimate: estimate(&request.password, &request.user_inputs),
    };
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let value = reply.serialize(&serializer).ok()?;
    js_sys::JSON::stringify(&value).ok().map(String::from)
}

/// `{ id, password, userInputs }`, each of its type, or nothing.
fn read_request(text: &str) -> Option<EstimateRequest> {
    let value = js_sys::JSON::parse(text).ok()?;
    let field = |name: &str| js_sys::Reflect::get(&value, &JsValue::from_str(name)).ok();
    let id = field("id")?
        .as_f64()
        .filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n))?;
    let password = field("password")?.as_string()?;
    let inputs = field("userInputs")?;
    let user_inputs = if inputs.is_undefined() {
        Vec::new()
    } else {
        js_sys::Array::is_array(&inputs)
            .then(|| {
                js_sys::Array::from(&inputs)
                    .iter()
                    .map(|v| v.as_string())
                    .collect::<Option<Vec<String>>>()
            })
            .flatten()?
    };
    Some(EstimateRequest {
        id: id as u32,
        password,
        user_inputs,
    })
}

/// Passwords that take zxcvbn through every matcher (dictionary, reversed,
/// l33t, spatial, repeat, sequence, recent year, dates), so that every table
/// it builds lazily is built by [`warm_up`].
const WARM_UP: [&str; 6] = [
    "P@ssw0rd-drowssap",
    "qwertyuiop;zxcvbnm,./1qaz",
    "abcabcabc-aaaa-13579",
    "13/02/1987-19870213-2024",
    "jennifer.smith1984",
    "Tr0ub4dour&3correct horse",
];

/// Set by [`warm_up`]. It lives in the memory the page copies, so the page's
/// instance can tell that it really started from a warmed-up one.
static WARMED_UP: AtomicBool = AtomicBool::new(false);

/// Builds every table zxcvbn builds on first use, in the calling thread.
/// True when this memory may be copied into another instance: no JavaScript
/// object is held in the reference table (its slots would mean nothing there).
#[wasm_bindgen(js_name = warmUp)]
pub fn warm_up() -> bool {
    for password in WARM_UP {
        estimate(password, &["warm-up", "reset.widget@example.com"]);
    }
    WARMED_UP.store(true, Ordering::Relaxed);
    wasm_bindgen::externref_heap_live_count() == 0
}

/// Whether this instance's tables are built: by [`warm_up`] here, or in the
/// worker whose memory this instance took over.
#[wasm_bindgen(js_name = warmedUp)]
pub fn warmed_up() -> bool {
    WARMED_UP.load(Ordering::Relaxed)
}

/// Scores one request in the calling thread.
#[wasm_bindgen(js_name = estimateJson)]
pub fn estimate_json(request: &str) -> Option<String> {
    answer(request)
}

/// Makes this worker answer requests, one at a time, and says it is ready.
#[wasm_bindgen(js_name = startWorker)]
pub fn start_worker() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        // A message that is not a request is ignored: nothing to answer.
        if let Some(json) = event.data().as_string().and_then(|text| answer(&text)) {
            let _ = reply_scope.post_message(&JsValue::from_str(&json));
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str("{\"ready\":true}"));
}
