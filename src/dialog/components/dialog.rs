//! The dialog: header with the step indicator, the current step, the footer's
//! buttons; the result view once the reset succeeded.

use std::rc::Rc;

use yew::prelude::*;

use super::delivery_step::DeliveryStep;
use super::password_step::PasswordStep;
use super::result_view::ResultView;
use super::step_indicator::StepIndicator;
use super::strength_step::StrengthStep;
use crate::core::config::Config;
use crate::core::generator::generate_for;
use crate::core::idempotency::new_key;
use crate::core::policy::Blocklist;
use crate::core::random::OsRandom;
use crate::dialog::services::{OutgoingRequest, Services, WidgetEvent};
use crate::dialog::state::{Action, Mode, State, Step, Submission};
use crate::i18n::texts_for;

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        self.apply(action)
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct DialogProps {
    pub config: Rc<Config>,
    pub services: Services,
}

#[function_component(Dialog)]
pub fn dialog(props: &DialogProps) -> Html {
    let config = props.config.clone();
    let state = use_reducer(move || {
        // The config was checked, so the generator options are valid.
        let generated = generate_for(
            &config.generator,
            &config.policy,
            &config.user,
            &mut OsRandom,
        )
        .expect("checked generator options");
        State::new(config, generated)
    });
    let texts = texts_for(&state.config.lang);
    let heading = use_node_ref();

    // The organisation's blocklist, when configured: fetched once.
    {
        let state = state.clone();
        use_effect_with(state.config.blocklist_url.clone(), move |url| {
            if let Some(url) = url.clone() {
                let dispatcher = state.dispatcher();
                dispatcher.dispatch(Action::BlocklistChanged(Blocklist::Loading));
                wasm_bindgen_futures::spawn_local(async move {
                    dispatcher.dispatch(Action::BlocklistChanged(
                        crate::embed::blocklist::fetch(url).await,
                    ));
                });
            }
        });
    }

    // "Let me create the password" chosen: the estimator starts loading now
    // rather than at the first key (a generated password never needs it).
    {
        let estimator = props.services.estimator.clone();
        use_effect_with(state.mode, move |mode| {
            if *mode == Mode::Custom {
                estimator.prepare();
            }
        });
    }

    // Custom password typed: ask the estimator. Late answers for older text
    // are dropped by the reducer (they carry their revision).
    {
        let state = state.clone();
        let estimator = props.services.estimator.clone();
        use_effect_with(
            (state.custom_revision, state.mode),
            move |(revision, mode)| {
                if *mode == Mode::Custom && !state.custom.is_empty() {
                    let revision = *revision;
                    let future = estimator
                        .estimate(state.custom.expose(), &state.config.user.estimator_inputs());
                    let dispatcher = state.dispatcher();
                    wasm_bindgen_futures::spawn_local(async move {
                        dispatcher.dispatch(match future.await {
                            Ok(estimate) => Action::Estimated { revision, estimate },
                            Err(()) => Action::EstimationFailed { revision },
                        });
                    });
                }
            },
        );
    }

    // The meter shows a new result: tell the page (score only, never the password).
    {
        let state = state.clone();
        let on_event = props.services.on_event.clone();
        use_effect_with(state.strength_version, move |_| {
            if let Some(s) = state.strength() {
                on_event.emit(WidgetEvent::Strength {
                    score: s.score,
                    guesses_log10: s.guesses_log10,
                    source: s.source,
                });
            }
        });
    }

    // A submission started: send it. Keyed on the attempt number, so each
    // attempt is sent exactly once however often the dialog re-renders.
    {
        let state = state.clone();
        let services = props.services.clone();
        let attempt = match state.submission {
            Submission::InFlight { attempt } => Some(attempt),
            _ => None,
        };
        use_effect_with(attempt, move |attempt| {
            if let (Some(attempt), Some(request), Some(key)) =
                (*attempt, state.request(), state.idempotency_key.clone())
            {
                let body = crate::core::json::to_string(&request).expect("the request serialises");
                let request = OutgoingRequest {
                    endpoint: state.config.endpoint.clone(),
                    idempotency_key: key,
                    body,
                };
                let dispatcher = state.dispatcher();
                let services = services.clone();
                let texts = texts_for(&state.config.lang);
                wasm_bindgen_futures::spawn_local(async move {
                    let outcome = super::hooks::send_and_report(services, request, texts).await;
                    dispatcher.dispatch(Action::Finished { attempt, outcome });
                });
            }
        });
    }

    // A `Retry-After` answer: count the wait down, one tick a second.
    super::hooks::use_retry_countdown(&state, state.attempts, state.retry_wait, Action::RetryTick);

    // Each new step (and the result view) moves focus to its heading.
    super::hooks::use_focus_on_change(&heading, (state.step, state.succeeded().is_some()));

    let dispatch = |action: fn() -> Action| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(action()))
    };
    let on_submit = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            state.dispatch(Action::Submit {
                fresh_key: new_key(&mut OsRandom),
            })
        })
    };

    let on_close = {
        let on_event = props.services.on_event.clone();
        Callback::from(move |()| on_event.emit(WidgetEvent::Close))
    };

    if state.succeeded().is_some() {
        return html! {
            <section class="dialog" part="dialog" aria-labelledby="rp-title">
                <ResultView state={state.clone()} heading={heading} on_close={on_close} />
            </section>
        };
    }

    let step_body = match state.step {
        Step::Password => html! { <PasswordStep state={state.clone()} /> },
        Step::Strength => html! { <StrengthStep state={state.clone()} /> },
        Step::Delivery => html! { <DeliveryStep state={state.clone()} /> },
    };
    let user = &state.config.user;
    let who = if user.name.is_empty() {
        user.user_id.clone()
    } else {
        user.name.clone()
    };
    let failed = matches!(state.submission, Submission::Failed(_));

    html! {
        <section class="dialog" part="dialog" aria-labelledby="rp-title">
            <header class="header" part="header">
                <h2 id="rp-title">{ texts.dialog_title }</h2>
                <p class="who">{ who }</p>
                <StepIndicator step={state.step} texts={texts} />
            </header>
            <div class="body" part="body">
                <h3 class="step-heading" tabindex="-1" ref={heading}>{ texts.step_names[state.step.number() - 1] }</h3>
                { step_body }
            </div>
            <footer class="footer" part="footer">
                if state.step != Step::Password {
                    <button type="button" class="secondary" onclick={dispatch(|| Action::Back)}
                        disabled={state.in_flight()}>{ texts.back }</button>
                }
                if state.step == Step::Delivery {
                    <button type="button" class="primary" onclick={on_submit}
                        disabled={!state.can_submit()} aria-busy={state.in_flight().to_string()}>
                        { if state.in_flight() {
                            texts.resetting.to_string()
                        } else if state.retry_wait > 0 {
                            (texts.retry_in)(state.retry_wait)
                        } else if failed {
                            texts.retry.to_string()
                        } else {
                            texts.reset_password.to_string()
                        } }
                    </button>
                } else {
                    <button type="button" class="primary" onclick={dispatch(|| Action::Next)}
                        disabled={!state.can_go_next()} aria-describedby={(state.step == Step::Strength).then_some("rp-policy-status")}>
                        { texts.next }
                    </button>
                }
            </footer>
        </section>
    }
}
