//! The HTTP transport: `POST {endpoint}` with the JSON body, the
//! `Idempotency-Key`, the page's extra headers, and a time limit enforced
//! with an `AbortController`.

use gloo_net::http::Request;
use wasm_bindgen::prelude::*;
use web_sys::{AbortController, RequestCredentials};

use crate::core::config::{Credentials, TransportOptions};
use crate::core::wire::{request_headers, Failure, Reply};
use crate::dialog::services::{LocalFuture, OutgoingRequest, Transport};

pub struct HttpTransport {
    pub options: TransportOptions,
}

impl HttpTransport {
    pub fn new(options: TransportOptions) -> Self {
        Self { options }
    }
}

/// The fetch `credentials` mode for the element's `credentials` attribute.
pub(crate) fn credentials_mode(credentials: Credentials) -> RequestCredentials {
    match credentials {
        Credentials::SameOrigin => RequestCredentials::SameOrigin,
        Credentials::Include => RequestCredentials::Include,
        Credentials::Omit => RequestCredentials::Omit,
    }
}

/// Calls `on_timeout` after `ms` unless dropped first.
pub(crate) struct Timer {
    handle: i32,
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    pub(crate) fn start(ms: u32, on_timeout: impl FnOnce() + 'static) -> Option<Self> {
        let callback = Closure::once(on_timeout);
        let handle = web_sys::window()?
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                ms as i32,
            )
            .ok()?;
        Some(Self {
            handle,
            _callback: callback,
        })
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            w.clear_timeout_with_handle(self.handle);
        }
    }
}

impl Transport for HttpTransport {
    fn send(&self, request: OutgoingRequest) -> LocalFuture<Result<Reply, Failure>> {
        let options = self.options.clone();
        Box::pin(async move {
            let controller = AbortController::new().map_err(|_| Failure::Network)?;
            let signal = controller.signal();
            let _timer = Timer::start(options.timeout_ms, move || controller.abort());
            let mut builder = Request::post(&request.endpoint)
                .credentials(credentials_mode(options.credentials))
                .abort_signal(Some(&signal));
            for (name, value) in request_headers(&request.idempotency_key, &options.headers) {
                builder = builder.header(name, value);
            }
            let sent = builder
                .body(request.body)
                .map_err(|_| Failure::Network)?
                .send()
                .await;
            match sent {
                Err(_) if signal.aborted() => Err(Failure::Timeout),
                Err(_) => Err(Failure::Network),
                Ok(response) => {
                    let headers = response.headers();
                    let content_type = headers.get("content-type");
                    let retry_after = headers.get("retry-after");
                    let status = response.status();
                    match response.text().await {
                        Ok(body) => Ok(Reply {
                            status,
                            content_type,
                            retry_after,
                            body,
                            now_unix_seconds: super::now_unix_seconds(),
                        }),
                        Err(_) if signal.aborted() => Err(Failure::Timeout),
                        Err(_) => Err(Failure::Network),
                    }
                }
            }
        })
    }
}

/// `GET url` with the element's `headers`, `credentials` and `timeout-ms`
/// (the time limit covers the body too): the answer's own URL and its text,
/// or why it could not be read. What the policy and the blocklist share.
pub(crate) async fn get_text(
    url: &str,
    options: &TransportOptions,
    accept: &str,
) -> Result<(String, String), String> {
    let controller = AbortController::new().map_err(|_| "no AbortController".to_string())?;
    let signal = controller.signal();
    let _timer = Timer::start(options.timeout_ms, move || controller.abort());
    let mut request = Request::get(url)
        .credentials(credentials_mode(options.credentials))
        .abort_signal(Some(&signal))
        .header("Accept", accept);
    for (name, value) in &options.headers {
        request = request.header(name, value);
    }
    let response = request
        .send()
        .await
        .map_err(|_| "the request failed or timed out".to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let own_url = response.url();
    let text = response
        .text()
        .await
        .map_err(|_| "the answer could not be read".to_string())?;
    Ok((own_url, text))
}
