//! The effects every flow needs, as named hooks: each takes what it reads and
//! reports back through a callback, so a flow's view is its screens plus one
//! call per effect.

use web_sys::HtmlElement;
use yew::prelude::*;

use crate::core::policy::Blocklist;
use crate::core::wire::{Failure, ResetResponse, Response, ResultStatus, StatusResponse};
use crate::dialog::kit::password::{Feedback, Mode, PasswordDraft};
use crate::dialog::kit::step_up::{StepUp, StepUpAction};
use crate::dialog::kit::submission::{Submission, MAX_RESCHEDULED};
use crate::dialog::services::{OutgoingRequest, RequestKind, Services, WidgetEvent};
use crate::i18n::Texts;

/// A callback that dispatches the action `make` builds from its argument.
pub fn dispatch_with<R, E>(
    dispatcher: &UseReducerDispatcher<R>,
    make: impl Fn(E) -> R::Action + 'static,
) -> Callback<E>
where
    R: Reducible + 'static,
    E: 'static,
{
    let dispatcher = dispatcher.clone();
    Callback::from(move |e: E| dispatcher.dispatch(make(e)))
}

/// What a new password needs from outside, reported as [`Feedback`]: the
/// organisation's blocklist, when configured (loaded once per URL, with
/// `Blocklist::Loading` reported first), and the estimate of a typed password.
/// The estimator starts loading when typing is chosen (a generated password
/// never needs it); each edit is estimated (the answer carries its revision,
/// so the reducer drops late ones); and each new strength the meter shows is
/// told to the page (score only, never the password).
#[hook]
pub fn use_password_feedback(
    services: &Services,
    blocklist_url: Option<String>,
    draft: &PasswordDraft,
    user_inputs: Vec<String>,
    on_feedback: Callback<Feedback>,
) {
    {
        let blocklists = services.blocklists.clone();
        let on_feedback = on_feedback.clone();
        use_effect_with(blocklist_url, move |url| {
            if let Some(url) = url.clone() {
                on_feedback.emit(Feedback::Blocklist(Blocklist::Loading));
                wasm_bindgen_futures::spawn_local(async move {
                    on_feedback.emit(Feedback::Blocklist(blocklists.load(&url).await));
                });
            }
        });
    }
    {
        let estimator = services.estimator.clone();
        use_effect_with(draft.mode, move |mode| {
            if *mode == Mode::Custom {
                estimator.prepare();
            }
        });
    }
    {
        let estimator = services.estimator.clone();
        let typed =
            (draft.mode == Mode::Custom && !draft.custom.is_empty()).then(|| draft.custom.clone());
        use_effect_with(draft.revision, move |revision| {
            if let Some(password) = typed {
                let revision = *revision;
                // Scored in the form the server hashes and the policy counts (NFKC).
                let normalised = crate::core::unicode::nfkc(password.expose());
                let future = estimator.estimate(&normalised, &user_inputs);
                wasm_bindgen_futures::spawn_local(async move {
                    on_feedback.emit(match future.await {
                        Ok(estimate) => Feedback::Estimated { revision, estimate },
                        Err(()) => Feedback::EstimationFailed { revision },
                    });
                });
            }
        });
    }
    {
        let on_event = services.on_event.clone();
        let strength = draft.strength();
        use_effect_with(draft.strength_version, move |_| {
            if let Some(s) = strength {
                on_event.emit(WidgetEvent::Strength {
                    score: s.score,
                    guesses_log10: s.guesses_log10,
                    source: s.source,
                });
            }
        });
    }
}

/// Sends each attempt of `submission` exactly once (`request` makes its body
/// only then), reads the answer as a `T`, tells the page how it went
/// (`done_event` for a success, if the page hears of it, else an error
/// event; never a password), and
/// reports the outcome with the attempt's number; counts a `Retry-After` wait
/// down a second at a time.
// Each argument is one thing a flow decides; a struct of them would only rename them.
#[allow(clippy::too_many_arguments)]
#[hook]
pub fn use_submission<R, T, F, D>(
    services: &Services,
    texts: &'static Texts,
    submission: &Submission<R>,
    request: F,
    done_event: D,
    on_finished: Callback<(u32, Result<T, Failure>)>,
    on_tick: Callback<()>,
) where
    R: 'static,
    T: Response + 'static,
    F: FnOnce() -> Option<OutgoingRequest> + 'static,
    D: FnOnce(&T) -> Option<WidgetEvent> + 'static,
{
    {
        let services = services.clone();
        // Whether a "still in progress" answer to this attempt ends the
        // resending (and is shown as a failure) rather than reschedules it.
        let last_chance = submission.rescheduled >= MAX_RESCHEDULED;
        use_effect_with(submission.attempt_in_flight(), move |attempt| {
            if let (Some(attempt), Some(request)) = (*attempt, request()) {
                wasm_bindgen_futures::spawn_local(async move {
                    let outcome = services
                        .transport
                        .send(request)
                        .await
                        .and_then(|reply| reply.interpret::<T>());
                    let event = match &outcome {
                        Ok(response) => done_event(response),
                        // Sent again by itself (`Submission::finish`): no error.
                        Err(failure) if failure.in_progress() && !last_chance => None,
                        Err(failure) => Some(WidgetEvent::Error {
                            status: failure.status(),
                            title: super::failure_message::title(failure, texts),
                        }),
                    };
                    if let Some(event) = event {
                        services.on_event.emit(event);
                    }
                    on_finished.emit((attempt, outcome));
                });
            }
        });
    }
    use_countdown(submission.attempts, submission.retry_wait, on_tick);
}

/// Sends each attempt of the step-up prompt's password to `endpoint` (a
/// request of kind `stepUp`, through the same transport as the reset) and
/// reports the answer (and each second of a `Retry-After` wait) as
/// [`StepUpAction`]s. The page hears of a failure as of any other (status
/// and title, never the password), and of nothing on success.
#[hook]
pub fn use_step_up(
    services: &Services,
    texts: &'static Texts,
    endpoint: String,
    step_up: &StepUp,
    on_action: Callback<StepUpAction>,
) {
    let key = step_up.submission.key.clone();
    let request = step_up.request();
    use_submission(
        services,
        texts,
        &step_up.submission,
        move || Some(outgoing(RequestKind::StepUp, &endpoint, key?, &request)),
        |_: &StatusResponse| None,
        on_action.reform(|(attempt, outcome)| StepUpAction::Finished { attempt, outcome }),
        on_action.reform(|()| StepUpAction::Tick),
    );
}

/// Calls `on_tick` once a second, `seconds` times, whenever a wait starts
/// (`wait` names it: a new value is a new wait).
#[hook]
pub fn use_countdown(wait: u32, seconds: u32, on_tick: Callback<()>) {
    use_effect_with((wait, seconds > 0), move |(_, waiting)| {
        if *waiting {
            wasm_bindgen_futures::spawn_local(async move {
                for _ in 0..seconds {
                    yew::platform::time::sleep(std::time::Duration::from_secs(1)).await;
                    on_tick.emit(());
                }
            });
        }
    });
}

/// The page's `done` event for a reset: the ids that were reset (or must now
/// change their password) and what became of the delivery.
pub fn reset_done(response: &ResetResponse) -> Option<WidgetEvent> {
    Some(WidgetEvent::Done {
        user_ids: response
            .results
            .iter()
            .filter(|r| r.status != ResultStatus::Failed)
            .map(|r| r.user_id.clone())
            .collect(),
        delivery_status: response.delivery.status,
        delivery_detail: response.delivery.detail.clone(),
    })
}

/// The body of a request, as the transport takes it.
pub fn outgoing(
    kind: RequestKind,
    endpoint: &str,
    key: String,
    body: &impl serde::Serialize,
) -> OutgoingRequest {
    OutgoingRequest {
        kind,
        endpoint: endpoint.to_string(),
        idempotency_key: key,
        body: crate::core::json::to_string(body).expect("the request serialises"),
    }
}

/// Moves focus to `heading` whenever `view` changes, so a screen reader
/// announces where the user is. Not on the first render: a widget that
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
