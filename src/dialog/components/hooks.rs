//! What both dialogs (one user, bulk) do the same way.

use web_sys::HtmlElement;
use yew::prelude::*;

use crate::core::wire::{Outcome, ResultStatus};
use crate::dialog::services::{OutgoingRequest, Services, WidgetEvent};
use crate::i18n::Texts;

/// Sends one request and tells the page how it went (`done` with the ids
/// that were reset, or `error`); never with the password.
pub async fn send_and_report(
    services: Services,
    request: OutgoingRequest,
    texts: &'static Texts,
) -> Outcome {
    let outcome = services.transport.send(request).await;
    match &outcome {
        Ok(response) => services.on_event.emit(WidgetEvent::Done {
            user_ids: response
                .results
                .iter()
                .filter(|r| r.status == ResultStatus::Reset)
                .map(|r| r.user_id.clone())
                .collect(),
            delivery_status: response.delivery.status,
            delivery_detail: response.delivery.detail.clone(),
        }),
        Err(failure) => services.on_event.emit(WidgetEvent::Error {
            status: failure.status(),
            title: super::failure_message::title(failure, texts),
        }),
    }
    outcome
}

/// A `Retry-After` wait: dispatches `tick` once a second, `seconds` times,
/// whenever a new wait starts (`attempt` identifies it).
#[hook]
pub fn use_retry_countdown<R>(
    state: &UseReducerHandle<R>,
    attempt: u32,
    seconds: u32,
    tick: R::Action,
) where
    R: Reducible + 'static,
    R::Action: Clone + 'static,
{
    let dispatcher = state.dispatcher();
    use_effect_with((attempt, seconds > 0), move |(_, waiting)| {
        if *waiting {
            wasm_bindgen_futures::spawn_local(async move {
                for _ in 0..seconds {
                    yew::platform::time::sleep(std::time::Duration::from_secs(1)).await;
                    dispatcher.dispatch(tick.clone());
                }
            });
        }
    });
}

/// Moves focus to `heading` whenever `view` changes, so a screen reader
/// announces where the admin is. Not on the first render: a widget that
/// appears on a page must not take the focus (or scroll the page to itself).
#[hook]
pub fn use_focus_on_change<T: PartialEq + 'static>(heading: &NodeRef, view: T) {
    let heading = heading.clone();
    let first = use_mut_ref(|| true);
    use_effect_with(view, move |_| {
        if std::mem::replace(&mut *first.borrow_mut(), false) {
            return;
        }
        if let Some(h) = heading.cast::<HtmlElement>() {
            let _ = h.focus();
        }
    });
}
