//! The policy the backend serves (attribute `policy-url`), fetched with the
//! element's own `headers`, `credentials` and `timeout-ms`, as the blocklist is.

use gloo_net::http::Request;
use web_sys::AbortController;

use super::http::{credentials_mode, Timer};
use crate::core::config::{ServedPolicy, TransportOptions};

/// The served policy and its blocklist's URL resolved against the policy's
/// own (itself resolved against the page), or why it could not be read.
pub async fn fetch(
    url: &str,
    options: &TransportOptions,
) -> Result<(ServedPolicy, Option<String>), String> {
    let controller = AbortController::new().map_err(|_| "no AbortController".to_string())?;
    let signal = controller.signal();
    let _timer = Timer::start(options.timeout_ms, move || controller.abort());
    let mut request = Request::get(url)
        .credentials(credentials_mode(options.credentials))
        .abort_signal(Some(&signal))
        .header("Accept", "application/json");
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
    let served: ServedPolicy =
        crate::core::json::from_str(&text).map_err(|e| format!("not a policy: {e}"))?;
    let blocklist = served.blocklist_url.as_deref().map(|relative| {
        web_sys::Url::new_with_base(relative, &own_url)
            .map(|u| u.href())
            .unwrap_or_else(|_| relative.to_string())
    });
    Ok((served, blocklist))
}
