//! The HTTP transport: `POST {endpoint}` with the JSON body, an
//! `Idempotency-Key`, and a time limit enforced with an `AbortController`.

use gloo_net::http::Request;
use wasm_bindgen::prelude::*;
use web_sys::{AbortController, RequestCredentials};

use crate::core::wire::{interpret, Failure, Outcome};
use crate::dialog::services::{LocalFuture, OutgoingRequest, Transport};

/// How long a reset may take before the dialog gives up waiting.
pub const TIMEOUT_MS: i32 = 15_000;

pub struct HttpTransport;

impl Transport for HttpTransport {
    fn send(&self, request: OutgoingRequest) -> LocalFuture<Outcome> {
        Box::pin(async move {
            let controller = AbortController::new().map_err(|_| Failure::Network)?;
            let signal = controller.signal();
            let abort = Closure::once(move || controller.abort());
            let window = web_sys::window().ok_or(Failure::Network)?;
            let timer = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(
                    abort.as_ref().unchecked_ref(),
                    TIMEOUT_MS,
                )
                .map_err(|_| Failure::Network)?;
            let sent = Request::post(&request.endpoint)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, application/problem+json")
                .header("Idempotency-Key", &request.idempotency_key)
                .credentials(RequestCredentials::SameOrigin)
                .abort_signal(Some(&signal))
                .body(request.body)
                .map_err(|_| Failure::Network)?
                .send()
                .await;
            let outcome = match sent {
                Err(_) if signal.aborted() => Err(Failure::Timeout),
                Err(_) => Err(Failure::Network),
                Ok(response) => {
                    let status = response.status();
                    let content_type = response.headers().get("content-type");
                    match response.text().await {
                        Ok(body) => interpret(status, content_type.as_deref(), &body),
                        Err(_) if signal.aborted() => Err(Failure::Timeout),
                        Err(_) => Err(Failure::Network),
                    }
                }
            };
            window.clear_timeout_with_handle(timer);
            drop(abort);
            outcome
        })
    }
}
