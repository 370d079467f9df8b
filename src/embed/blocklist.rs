//! The organisation's blocklist (attribute `blocklist-url`): once fetched, kept
//! per page and URL and shared by every element that names it (elements that
//! start while it is still loading fetch it too).

use std::cell::RefCell;
use std::collections::HashMap;

use gloo_net::http::Request;

use crate::core::policy::Blocklist;

thread_local! {
    static LOADED: RefCell<HashMap<String, Blocklist>> = RefCell::new(HashMap::new());
}

/// The blocklist at `url`: from the page's cache, or fetched (with the
/// browser's default, same-origin credentials). A failure gives `Unavailable`, which
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
