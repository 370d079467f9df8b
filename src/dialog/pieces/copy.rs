//! Copy buttons: the text is made when the button is clicked, not on every
//! render (it holds passwords, so it exists only as long as it must), and the
//! outcome is said in a status line.

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::Texts;

#[derive(Clone)]
pub struct Copier {
    status: UseStateHandle<Option<&'static str>>,
    texts: &'static Texts,
}

impl Copier {
    /// A click handler that copies what `make` returns at that moment.
    pub fn on_click(&self, make: impl Fn() -> String + 'static) -> Callback<MouseEvent> {
        let make = Rc::new(make);
        let status = self.status.clone();
        let t = self.texts;
        Callback::from(move |_: MouseEvent| {
            let text = make();
            let status = status.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let ok = crate::browser::clipboard::write_text(&text).await;
                status.set(Some(if ok { t.copied } else { t.copy_failed }));
            });
        })
    }

    /// "Copied" or "Couldn't copy", once a copy was tried.
    pub fn status(&self) -> &'static str {
        self.status.unwrap_or_default()
    }
}

#[hook]
pub fn use_copier(texts: &'static Texts) -> Copier {
    Copier {
        status: use_state(|| None),
        texts,
    }
}
