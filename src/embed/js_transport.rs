//! The JavaScript transport: `element.transport = async (request) => ({ status, body })`
//! replaces HTTP for backends that are not a plain JSON endpoint (GraphQL, a
//! message bus, Microsoft Graph behind a proxy). When the property is not a
//! function, the element's HTTP transport is used.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlElement;

use super::http::{HttpTransport, Timer};
use crate::core::config::TransportOptions;
use crate::core::wire::{request_headers, Failure, Reply};
use crate::dialog::services::{LocalFuture, OutgoingRequest, Transport};

/// The page's `transport` function, if the element has one.
pub fn page_transport(host: &HtmlElement) -> Option<js_sys::Function> {
    js_sys::Reflect::get(host, &JsValue::from_str("transport"))
        .ok()?
        .dyn_into()
        .ok()
}

pub struct ElementTransport {
    host: HtmlElement,
    http: HttpTransport,
}

impl ElementTransport {
    pub fn new(host: HtmlElement, options: TransportOptions) -> Self {
        Self {
            host,
            http: HttpTransport::new(options),
        }
    }
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}

fn get(target: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// The request object a page's transport receives: `kind` says which
/// request it is (`reset`, `stepUp`, `passwordChange`, `recoveryCode`, …).
/// Its `body` holds a password (a new one, or the admin's own for
/// `stepUp`): the transport is the page's own code, chosen to carry it.
fn request_object(
    request: &OutgoingRequest,
    options: &TransportOptions,
) -> Result<JsValue, Failure> {
    let headers = js_sys::Object::new();
    for (name, value) in request_headers(&request.idempotency_key, &options.headers) {
        set(&headers, name, &value.into());
    }
    let body = js_sys::JSON::parse(&request.body).map_err(|_| Failure::Network)?;
    let object = js_sys::Object::new();
    set(&object, "kind", &request.kind.as_str().into());
    set(&object, "endpoint", &request.endpoint.as_str().into());
    set(&object, "method", &"POST".into());
    set(
        &object,
        "idempotencyKey",
        &request.idempotency_key.as_str().into(),
    );
    set(&object, "headers", &headers);
    set(&object, "body", &body);
    Ok(object.into())
}

/// Reads `{ status, body, headers? }`; `body` is a JSON string or a value.
fn read_answer(answer: &JsValue) -> Result<Reply, Failure> {
    let status = get(answer, "status")
        .as_f64()
        .filter(|s| (100.0..600.0).contains(s))
        .ok_or(Failure::BadResponse { status: 0 })? as u16;
    let body = get(answer, "body");
    let text = match body.as_string() {
        Some(s) => s,
        None if body.is_undefined() || body.is_null() => String::new(),
        None => js_sys::JSON::stringify(&body)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default(),
    };
    let headers = get(answer, "headers");
    let header = |name: &str| {
        [name.to_string(), name.to_ascii_lowercase()]
            .iter()
            .find_map(|n| get(&headers, n).as_string())
    };
    // A page transport speaks JSON; errors are problem details unless it says otherwise.
    let content_type = header("Content-Type").unwrap_or_else(|| {
        if status >= 400 {
            "application/problem+json"
        } else {
            "application/json"
        }
        .to_string()
    });
    Ok(Reply {
        status,
        content_type: Some(content_type),
        retry_after: header("Retry-After"),
        body: text,
        now_unix_seconds: super::now_unix_seconds(),
    })
}

impl ElementTransport {
    /// The transport attributes as they are now; the ones read at mount if
    /// they were changed to something invalid (which is logged).
    fn current_options(&self) -> TransportOptions {
        match TransportOptions::from_attributes(|name| self.host.get_attribute(name)) {
            Ok(options) => options,
            Err(e) => {
                web_sys::console::error_1(&JsValue::from_str(&e.to_string()));
                self.http.options.clone()
            }
        }
    }
}

impl Transport for ElementTransport {
    fn send(&self, request: OutgoingRequest) -> LocalFuture<Result<Reply, Failure>> {
        let options = self.current_options();
        let Some(function) = page_transport(&self.host) else {
            return HttpTransport::new(options).send(request);
        };
        Box::pin(async move {
            let argument = request_object(&request, &options)?;
            // The page's function may throw, return a non-promise, or never settle.
            let returned = function
                .call1(&JsValue::NULL, &argument)
                .map_err(|_| Failure::Network)?;
            let promise = js_sys::Promise::resolve(&returned);
            let timed_out = Rc::new(std::cell::Cell::new(false));
            let timer: Rc<std::cell::RefCell<Option<Timer>>> = Rc::default();
            let timeout = js_sys::Promise::new(&mut |_resolve, reject| {
                let flag = timed_out.clone();
                *timer.borrow_mut() = Timer::start(options.timeout_ms, move || {
                    flag.set(true);
                    let _ = reject.call0(&JsValue::NULL);
                });
            });
            let race = js_sys::Promise::race(&js_sys::Array::of2(&promise, &timeout));
            let settled = JsFuture::from(race).await;
            // Dropping the timer clears it.
            timer.borrow_mut().take();
            match settled {
                Ok(answer) => read_answer(&answer),
                Err(_) if timed_out.get() => Err(Failure::Timeout),
                Err(_) => Err(Failure::Network),
            }
        })
    }
}
