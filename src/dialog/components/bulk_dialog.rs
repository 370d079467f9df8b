//! The bulk dialog: pick users, say where the passwords go, then send them in
//! batches of at most 40 and show a result per user.

use std::collections::HashSet;
use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::bulk_results::BulkResults;
use super::bulk_users_step::BulkUsersStep;
use crate::core::config::Config;
use crate::core::generator::generate_for;
use crate::core::idempotency::new_key;
use crate::core::policy::UserWords;
use crate::core::random::OsRandom;
use crate::core::recipients::parse_recipients;
use crate::core::secret::Secret;
use crate::dialog::bulk_state::{keys_needed, BulkAction, BulkState, BulkStep, Run};
use crate::dialog::services::{OutgoingRequest, Services, WidgetEvent};
use crate::i18n::texts_for;

impl Reducible for BulkState {
    type Action = BulkAction;

    fn reduce(self: Rc<Self>, action: BulkAction) -> Rc<Self> {
        self.apply(action)
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct BulkDialogProps {
    pub config: Rc<Config>,
    pub services: Services,
}

/// One unique generated password per user, each passing the policy for that user.
fn passwords_for(config: &Config) -> Vec<Secret> {
    let mut seen = HashSet::new();
    let users = config
        .bulk
        .as_ref()
        .map(|b| b.users.as_slice())
        .unwrap_or_default();
    users
        .iter()
        .map(|u| {
            let words = UserWords {
                user_id: u.id.clone(),
                name: u.name.clone(),
                email: u.email.clone(),
                context: config.user.context.clone(),
            };
            loop {
                let g = generate_for(&config.generator, &config.policy, &words, &mut OsRandom)
                    .expect("checked generator options");
                if seen.insert(g.password.expose().to_string()) {
                    return g.password;
                }
            }
        })
        .collect()
}

fn fresh_keys(n: usize) -> Vec<String> {
    (0..n).map(|_| new_key(&mut OsRandom)).collect()
}

#[function_component(BulkDialog)]
pub fn bulk_dialog(props: &BulkDialogProps) -> Html {
    let config = props.config.clone();
    let state = use_reducer(move || {
        let passwords = passwords_for(&config);
        BulkState::new(config, passwords)
    });
    let t = texts_for(&state.config.lang);
    let heading = use_node_ref();

    // Send the batch in flight, once per attempt.
    {
        let state = state.clone();
        let services = props.services.clone();
        let sending = match state.run {
            Run::Sending { batch, attempt } => Some((batch, attempt)),
            _ => None,
        };
        use_effect_with(sending, move |sending| {
            if let Some((batch, attempt)) = *sending {
                if let Some(request) = state.request(batch) {
                    let body =
                        crate::core::json::to_string(&request).expect("the request serialises");
                    let request = OutgoingRequest {
                        endpoint: state.config.endpoint.clone(),
                        idempotency_key: state.batches[batch].key.clone(),
                        body,
                    };
                    let dispatcher = state.dispatcher();
                    let services = services.clone();
                    let texts = texts_for(&state.config.lang);
                    wasm_bindgen_futures::spawn_local(async move {
                        let outcome = super::hooks::send_and_report(services, request, texts).await;
                        dispatcher.dispatch(BulkAction::BatchFinished {
                            batch,
                            attempt,
                            outcome,
                        });
                    });
                }
            }
        });
    }

    // A `Retry-After` answer: count the wait down.
    super::hooks::use_retry_countdown(
        &state,
        state.attempts,
        state.retry_wait,
        BulkAction::RetryTick,
    );

    // Each step moves focus to its heading.
    super::hooks::use_focus_on_change(&heading, state.step);

    let dispatch = |action: BulkAction| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(action.clone()))
    };
    let on_start = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let n = state.selected().count();
            state.dispatch(BulkAction::Start {
                keys: fresh_keys(keys_needed(n)),
            })
        })
    };
    let on_close = {
        let on_event = props.services.on_event.clone();
        Callback::from(move |_: MouseEvent| on_event.emit(WidgetEvent::Close))
    };
    let step_number = match state.step {
        BulkStep::Users => 1,
        BulkStep::Delivery => 2,
        BulkStep::Results => 3,
    };
    let body = match state.step {
        BulkStep::Users => html! { <BulkUsersStep state={state.clone()} /> },
        BulkStep::Delivery => {
            let on_recipients = {
                let state = state.clone();
                Callback::from(move |e: InputEvent| {
                    state.dispatch(BulkAction::RecipientsEdited(
                        e.target_unchecked_into::<HtmlInputElement>().value(),
                    ))
                })
            };
            let on_force = {
                let state = state.clone();
                Callback::from(move |_: Event| state.dispatch(BulkAction::ToggleForceChange))
            };
            let recipients = parse_recipients(&state.recipients_text).unwrap_or_default();
            let error = state.recipients_error.as_ref().map(|a| (t.bad_address)(a));
            html! {
                <div class="step delivery-step">
                    <div class="field">
                        <label for="rp-to">{ t.email_to }</label>
                        <input id="rp-to" type="text" inputmode="email" autocomplete="email" spellcheck="false"
                            value={state.recipients_text.clone()} oninput={on_recipients}
                            aria-invalid={error.is_some().to_string()}
                            aria-describedby={if error.is_some() { "rp-to-hint rp-to-error" } else { "rp-to-hint" }} />
                        <p id="rp-to-hint" class="hint">{ t.email_hint }</p>
                        if let Some(error) = error {
                            <p id="rp-to-error" class="field-error" role="alert">{ error }</p>
                        }
                    </div>
                    <label class="choice checkbox">
                        <input type="checkbox" checked={state.force_change} onchange={on_force} />
                        { t.force_change }
                    </label>
                    <div class="summary" part="summary">
                        <h4>{ t.summary_heading }</h4>
                        <ul>
                            <li>{ (t.selected_count)(state.selected().count(), state.rows.len()) }</li>
                            <li>{ t.bulk_generated_note }</li>
                            <li>{ (t.bulk_delivery)(&recipients) }</li>
                            <li>{ (t.summary_force)(state.force_change) }</li>
                        </ul>
                    </div>
                </div>
            }
        }
        BulkStep::Results => html! { <BulkResults state={state.clone()} /> },
    };

    html! {
        <section class="dialog bulk" part="dialog" aria-labelledby="rp-title">
            <header class="header" part="header">
                <h2 id="rp-title">{ t.bulk_title }</h2>
                <nav class="steps" part="steps" aria-label={(t.step_of)(step_number, 3)}>
                    <p class="step-of" aria-live="polite">{ (t.step_of)(step_number, 3) }</p>
                </nav>
            </header>
            <div class="body" part="body">
                <h3 class="step-heading" tabindex="-1" ref={heading}>{ t.bulk_step_names[step_number - 1] }</h3>
                { body }
            </div>
            <footer class="footer" part="footer">
                if state.step == BulkStep::Delivery {
                    <button type="button" class="secondary" onclick={dispatch(BulkAction::Back)}>{ t.back }</button>
                    <button type="button" class="primary" onclick={on_start} disabled={!state.can_start()}>
                        { t.reset_password }
                    </button>
                }
                if state.run == Run::Finished {
                    <button type="button" class="primary" onclick={on_close}>{ t.reset_another }</button>
                }
                if state.step == BulkStep::Users {
                    <button type="button" class="primary" onclick={dispatch(BulkAction::Next)}
                        disabled={state.selected().next().is_none()}>{ t.next }</button>
                }
            </footer>
        </section>
    }
}
