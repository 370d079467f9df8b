//! The organisation's blocklist (attribute `blocklist-url`), fetched over HTTP
//! with the element's own `headers`, `credentials` and `timeout-ms` (a page's
//! JavaScript `transport` carries resets only). Once fetched it is kept per
//! page and URL and shared by every element that names it (elements that
//! start while it is still loading fetch it too).

use std::cell::RefCell;
use std::collections::HashMap;

use super::http::get_text;
use crate::core::config::TransportOptions;
use crate::core::policy::Blocklist;
use crate::dialog::services::{Blocklists, LocalFuture};

thread_local! {
    static LOADED: RefCell<HashMap<String, Blocklist>> = RefCell::new(HashMap::new());
}

pub struct PageBlocklists {
    pub options: TransportOptions,
}

impl Blocklists for PageBlocklists {
    /// The blocklist at `url`: from the page's cache, or fetched. A failure
    /// gives `Unavailable`, which the policy treats as "typed passwords cannot
    /// be checked", and is not cached, so the next element tries again.
    fn load(&self, url: &str) -> LocalFuture<Blocklist> {
        let url = url.to_string();
        let options = self.options.clone();
        Box::pin(async move {
            if let Some(cached) = LOADED.with(|l| l.borrow().get(&url).cloned()) {
                return cached;
            }
            let loaded = fetch(&url, &options)
                .await
                .unwrap_or(Blocklist::Unavailable);
            if matches!(loaded, Blocklist::Loaded(_)) {
                LOADED.with(|l| l.borrow_mut().insert(url, loaded.clone()));
            }
            loaded
        })
    }
}

async fn fetch(url: &str, options: &TransportOptions) -> Option<Blocklist> {
    let (_, text) = get_text(url, options, "text/plain").await.ok()?;
    Some(Blocklist::parse(&text))
}
