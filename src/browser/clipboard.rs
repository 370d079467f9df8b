//! Copy to the clipboard (the async Clipboard API; needs a secure context).

use wasm_bindgen_futures::JsFuture;

/// True when the text was copied.
pub async fn write_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let promise = window.navigator().clipboard().write_text(text);
    JsFuture::from(promise).await.is_ok()
}
