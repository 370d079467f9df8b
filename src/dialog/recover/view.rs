//! `<recover-password>`: the login, the code, the new password, each a step
//! with its own request; then "Your password was reset" (no sign-in).

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::state::{Action, Request, State, Step};
use crate::core::config::Config;
use crate::core::generator::generate_for;
use crate::core::idempotency::new_key;
use crate::core::random::OsRandom;
use crate::core::secret::Secret;
use crate::core::wire::{StatusResponse, VerificationResponse};
use crate::dialog::kit::password::NewPasswordEdit;
use crate::dialog::pieces::failure_message::{FailureMessage, Flow};
use crate::dialog::pieces::hooks::{
    dispatch_with, outgoing, use_countdown, use_focus_on_change, use_password_feedback,
    use_submission,
};
use crate::dialog::pieces::new_password_form::NewPasswordForm;
use crate::dialog::pieces::policy_status::POLICY_STATUS_ID;
use crate::dialog::pieces::step_frame::StepFrame;
use crate::dialog::services::{RequestKind, Services, WidgetEvent};
use crate::i18n::texts_for;

#[derive(Properties, PartialEq, Clone)]
pub struct RecoverFormProps {
    pub config: Rc<Config>,
    pub services: Services,
}

/// `{endpoint}/{path}`, with one slash between.
fn under(endpoint: &str, path: &str) -> String {
    format!("{}/{path}", endpoint.trim_end_matches('/'))
}

#[function_component(RecoverForm)]
pub fn recover_form(props: &RecoverFormProps) -> Html {
    let state = {
        let config = props.config.clone();
        use_reducer(move || {
            // The config was checked, so the generator options are valid.
            let generated = crate::core::generator::generate(&config.generator, &mut OsRandom)
                .expect("checked generator options");
            State::new(config, generated)
        })
    };
    let t = texts_for(&state.config.lang);
    let d = state.dispatcher();
    let heading = use_node_ref();
    let services = &props.services;
    let endpoint = state.config.endpoint.clone();

    use_password_feedback(
        services,
        state.config.blocklist_url.clone(),
        &state.new.draft,
        state.user().estimator_inputs(),
        dispatch_with(&d, Action::Feedback),
    );
    // The three requests; the page hears of errors, and of the last one's success.
    {
        let (state, endpoint) = (state.clone(), endpoint.clone());
        use_submission(
            services,
            t,
            &state.codes.clone(),
            move || {
                Some(outgoing(
                    RequestKind::RecoveryCode,
                    &under(&endpoint, "codes"),
                    state.codes.key.clone()?,
                    &state.code_request(),
                ))
            },
            |_: &StatusResponse| None,
            dispatch_with(&d, |(attempt, outcome)| Action::CodesFinished {
                attempt,
                outcome,
            }),
            dispatch_with(&d, |()| Action::RetryTick(Request::Codes)),
        );
    }
    {
        let (state, endpoint) = (state.clone(), endpoint.clone());
        use_submission(
            services,
            t,
            &state.verification.clone(),
            move || {
                let key = state.verification.key.clone()?;
                Some(outgoing(
                    RequestKind::RecoveryVerification,
                    &under(&endpoint, "verifications"),
                    key,
                    &state.verification_request(),
                ))
            },
            |_: &VerificationResponse| None,
            dispatch_with(&d, |(attempt, outcome)| Action::Verified {
                attempt,
                outcome,
            }),
            dispatch_with(&d, |()| Action::RetryTick(Request::Verification)),
        );
    }
    {
        let (state, endpoint) = (state.clone(), endpoint.clone());
        use_submission(
            services,
            t,
            &state.completion.clone(),
            move || {
                let key = state.completion.key.clone()?;
                Some(outgoing(
                    RequestKind::RecoveryCompletion,
                    &under(&endpoint, "completions"),
                    key,
                    &state.completion_request()?,
                ))
            },
            |_: &StatusResponse| Some(WidgetEvent::Recovered),
            dispatch_with(&d, |(attempt, outcome)| Action::Completed {
                attempt,
                outcome,
            }),
            dispatch_with(&d, |()| Action::RetryTick(Request::Completion)),
        );
    }
    use_countdown(
        state.codes_sent,
        state.resend_wait,
        dispatch_with(&d, |()| Action::ResendTick),
    );
    let finished = state.completion.succeeded().is_some();
    use_focus_on_change(&heading, (state.step, finished));

    if finished {
        return html! {
            <section class="dialog" part="dialog" aria-labelledby="rp-title">
                <div class="result" part="result">
                    <header class="header" part="header">
                        <h2 id="rp-title" tabindex="-1" ref={heading}>{ t.done_heading }</h2>
                    </header>
                    <div class="body" part="body">
                        <p role="status">{ t.recovered_text }</p>
                    </div>
                </div>
            </section>
        };
    }

    let submit = |make: fn(String) -> Action| {
        dispatch_with(&d, move |_: MouseEvent| make(new_key(&mut OsRandom)))
    };
    let label = |busy: bool, wait: u32, idle: &'static str, working: &'static str| {
        if busy {
            working.to_string()
        } else if wait > 0 {
            (t.retry_in)(wait)
        } else {
            idle.to_string()
        }
    };
    let (body, footer) = match state.step {
        Step::Login => (
            html! {
                <div class="step">
                    if let Some(why) = &state.restarted {
                        <p class="note" part="note" role="alert">{ why.clone() }</p>
                    }
                    <div class="field">
                        <label for="rp-login">{ t.login_label }</label>
                        <input id="rp-login" type="text" autocomplete="username" spellcheck="false" autocapitalize="none"
                            value={state.login.clone()} readonly={state.codes.frozen()}
                            oninput={dispatch_with(&d, |e: InputEvent| Action::LoginEdited(e.target_unchecked_into::<HtmlInputElement>().value()))} />
                    </div>
                    if let Some(failure) = state.codes.failure() {
                        <FailureMessage failure={failure.clone()} texts={t} flow={Flow::Recover} />
                    }
                </div>
            },
            html! {
                <button type="button" class="primary" onclick={submit(|fresh_key| Action::SendCode { fresh_key })}
                    disabled={!state.can_send_code()} aria-busy={state.codes.in_flight().to_string()}>
                    { label(state.codes.in_flight(), state.codes.retry_wait, t.send_code, t.sending) }
                </button>
            },
        ),
        Step::Code => (
            html! {
                <div class="step">
                    <p role="status">{ t.code_sent }</p>
                    <div class="field">
                        <label for="rp-code">{ t.code_label }</label>
                        <input id="rp-code" type="text" inputmode="numeric" autocomplete="one-time-code" spellcheck="false"
                            value={state.code.expose().to_string()} readonly={state.verification.frozen()}
                            aria-invalid={state.code_error.is_some().then_some("true")}
                            aria-describedby={state.code_error.is_some().then_some("rp-code-error")}
                            oninput={dispatch_with(&d, |e: InputEvent| Action::CodeEdited(Secret::new(e.target_unchecked_into::<HtmlInputElement>().value())))} />
                        if let Some(error) = &state.code_error {
                            <p id="rp-code-error" class="field-error" role="alert">{ error.clone() }</p>
                        }
                    </div>
                    <button type="button" class="secondary" onclick={submit(|fresh_key| Action::SendCode { fresh_key })}
                        disabled={!state.can_send_code()}>
                        { if state.resend_wait > 0 { (t.send_new_code_in)(state.resend_wait) } else { t.send_new_code.to_string() } }
                    </button>
                    if let Some(failure) = state.verification.failure().filter(|_| state.code_error.is_none()).or(state.codes.failure()) {
                        <FailureMessage failure={failure.clone()} texts={t} flow={Flow::Recover} />
                    }
                </div>
            },
            html! {
                <button type="button" class="primary" onclick={submit(|fresh_key| Action::Verify { fresh_key })}
                    disabled={!state.can_verify()} aria-busy={state.verification.in_flight().to_string()}>
                    { label(state.verification.in_flight(), state.verification.retry_wait, t.verify, t.verifying) }
                </button>
            },
        ),
        Step::Password => {
            let locked = state.completion.frozen();
            let suggest = {
                let state = state.clone();
                Callback::from(move |()| {
                    let c = &state.config;
                    if let Ok(g) =
                        generate_for(&c.generator, &c.policy, &state.user(), &mut OsRandom)
                    {
                        state.dispatch(Action::NewPassword(NewPasswordEdit::Suggested(g)));
                    }
                })
            };
            let retry = state
                .completion
                .failure()
                .is_some_and(|f| f.outcome_unknown());
            (
                html! {
                    <div class="step">
                        <NewPasswordForm entry={state.new.clone()} policy={state.config.policy.clone()}
                            violations={state.violations()} {locked} policy_heading="h4" texts={t}
                            on_edit={dispatch_with(&d, Action::NewPassword)} on_suggest={suggest} />
                        if let Some(failure) = state.completion.failure().filter(|_| state.new.draft.refused.is_none()) {
                            <FailureMessage failure={failure.clone()} texts={t} flow={Flow::Recover} />
                        }
                    </div>
                },
                html! {
                    <button type="button" class="primary" aria-describedby={POLICY_STATUS_ID}
                        onclick={submit(|fresh_key| Action::Complete { fresh_key })}
                        disabled={!state.can_complete()} aria-busy={state.completion.in_flight().to_string()}>
                        { if retry && !state.completion.in_flight() && state.completion.retry_wait == 0 { t.retry.to_string() }
                          else { label(state.completion.in_flight(), state.completion.retry_wait, t.reset_password, t.resetting) } }
                    </button>
                },
            )
        }
    };
    let names = &t.recover_step_names[..];
    html! {
        <StepFrame class="recover" title={t.recover_title} current={state.step.number()} {names}
            {heading} texts={t} {footer}>
            { body }
        </StepFrame>
    }
}
