//! The organisation's blocklist (attribute `blocklist-url`): fetched once per
//! page and URL, then shared by every element that names it.

use std::cell::RefCell;
use std::collections::HashMap;

use gloo_net::http::Request;

use crate::core::policy::Blocklist;

thread_local! {
    static LOADED: RefCell<HashMap<String, Blocklist>> = RefCell::new(HashMap::new());
}

/// The blocklist at `url`: from the page's cache, or fetched (same-origin
/// credentials, like the reset itself). A failure gives `Unavailable`, which
/// the policy treats as "custom passwords cannot be checked", and is not
/// cached, so the next element tries again.
pub async fn fetch(url: String) -> Blocklist {
    if let Some(cached) = LOADED.with(|l| l.borrow().get(&url).cloned()) {
        return cached;
    }
    let loaded = match Request::get(&url)
        .header("Accept", "text/plain")
        .send()
        .await
    {
        Ok(r) if r.ok() => match r.text().await {
            Ok(text) => Blocklist::parse(&text),
            Err(_) => Blocklist::Unavailable,
        },
        _ => Blocklist::Unavailable,
    };
    if matches!(loaded, Blocklist::Loaded(_)) {
        LOADED.with(|l| l.borrow_mut().insert(url, loaded.clone()));
    }
    loaded
}
