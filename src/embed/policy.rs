//! The policy the backend serves (attribute `policy-url`), fetched with the
//! element's own `headers`, `credentials` and `timeout-ms`, and kept per page
//! and URL, as the blocklist is.

use std::cell::RefCell;
use std::collections::HashMap;

use super::http::get_text;
use crate::core::config::{ServedPolicy, TransportOptions};

/// A served policy and its blocklist's URL.
type Read = (ServedPolicy, Option<String>);

thread_local! {
    /// What was read, per page and URL: every element that names the URL,
    /// and every new render of one, uses it. Failures are not kept.
    static READ: RefCell<HashMap<String, Read>> = RefCell::new(HashMap::new());
}

/// The served policy and its blocklist's URL resolved against the policy's
/// own (itself resolved against the page), or why it could not be read.
pub async fn fetch(url: &str, options: &TransportOptions) -> Result<Read, String> {
    if let Some(read) = READ.with(|r| r.borrow().get(url).cloned()) {
        return Ok(read);
    }
    let (own_url, text) = get_text(url, options, "application/json").await?;
    let served: ServedPolicy =
        crate::core::json::from_str(&text).map_err(|e| format!("not a policy: {e}"))?;
    let blocklist = served.blocklist_url.as_deref().map(|relative| {
        web_sys::Url::new_with_base(relative, &own_url)
            .map(|u| u.href())
            .unwrap_or_else(|_| relative.to_string())
    });
    let read = (served, blocklist);
    READ.with(|r| r.borrow_mut().insert(url.to_string(), read.clone()));
    Ok(read)
}
