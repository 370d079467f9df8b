//! One user's dialog: header with the step indicator, the current step, the
//! footer's buttons; the result view once the reset succeeded.

use std::rc::Rc;

use yew::prelude::*;

use super::result_view::ResultView;
use super::state::{Action, State, Step};
use super::strength_step::StrengthStep;
use crate::core::config::Config;
use crate::core::generator::generate_for;
use crate::core::idempotency::new_key;
use crate::core::policy::UserWords;
use crate::core::random::OsRandom;
use crate::dialog::kit::password::Mode;
use crate::dialog::kit::step_up::StepUpAction;
use crate::dialog::pieces::delivery_form::DeliveryFormView;
use crate::dialog::pieces::failure_message::FailureMessage;
use crate::dialog::pieces::hooks::{
    dispatch_with, outgoing, reset_done, use_focus_on_change, use_password_feedback, use_step_up,
    use_submission,
};
use crate::dialog::pieces::new_password::NewPassword;
use crate::dialog::pieces::policy_status::POLICY_STATUS_ID;
use crate::dialog::pieces::step_frame::StepFrame;
use crate::dialog::pieces::step_up_form::{step_up_footer, StepUpForm};
use crate::dialog::services::{RequestKind, Services, WidgetEvent};
use crate::i18n::texts_for;

#[derive(Properties, PartialEq, Clone)]
pub struct DialogProps {
    pub config: Rc<Config>,
    /// Whose password is reset.
    pub user: Rc<UserWords>,
    pub services: Services,
}

#[function_component(Dialog)]
pub fn dialog(props: &DialogProps) -> Html {
    let state = {
        let (config, user) = (props.config.clone(), props.user.clone());
        use_reducer(move || {
            // The config was checked, so the generator options are valid.
            let generated = generate_for(&config.generator, &config.policy, &user, &mut OsRandom)
                .expect("checked generator options");
            State::new(config, user, generated)
        })
    };
    let t = texts_for(&state.config.lang);
    let d = state.dispatcher();
    let heading = use_node_ref();
    let services = &props.services;

    use_password_feedback(
        services,
        state.config.blocklist_url.clone(),
        &state.draft,
        state.user.estimator_inputs(),
        dispatch_with(&d, Action::Feedback),
    );
    {
        let state = state.clone();
        use_submission(
            services,
            t,
            &state.submission.clone(),
            move || {
                let key = state.submission.key.clone()?;
                Some(outgoing(
                    RequestKind::Reset,
                    &state.config.endpoint,
                    key,
                    &state.request()?,
                ))
            },
            reset_done,
            dispatch_with(&d, |(attempt, outcome)| Action::Finished {
                attempt,
                outcome,
            }),
            dispatch_with(&d, |()| Action::RetryTick),
        );
    }
    let on_step_up = dispatch_with(&d, Action::StepUp);
    use_step_up(
        services,
        t,
        state.config.step_up_endpoint.clone(),
        &state.step_up,
        on_step_up.clone(),
    );
    // Each new step (the step-up prompt, the result view) moves focus to its heading.
    use_focus_on_change(
        &heading,
        (
            state.step,
            state.step_up.open,
            state.submission.succeeded().is_some(),
        ),
    );

    let on_toggle_shown = dispatch_with(&d, |()| Action::ToggleShowPassword);
    if let Some(response) = state.submission.succeeded() {
        return html! {
            <section class="dialog" part="dialog" aria-labelledby="rp-title">
                <ResultView user={state.user.clone()} response={response.clone()} password={state.password().clone()}
                    shown={state.draft.shown} texts={t} heading={heading} {on_toggle_shown}
                    on_close={services.on_event.reform(|()| WidgetEvent::Close)} />
            </section>
        };
    }

    let who = AttrValue::from(state.user.display_name().to_string());
    if state.step_up.open {
        let fresh_key = || new_key(&mut OsRandom);
        let footer = step_up_footer(t, &state.step_up, &on_step_up, fresh_key);
        return html! {
            <StepFrame title={t.dialog_title} {who} current={state.step.number()} names={&t.step_names[..]}
                step_title={t.step_up_heading} {heading} texts={t} {footer}>
                <StepUpForm step_up={state.step_up.clone()} texts={t}
                    on_edit={on_step_up.reform(|password| StepUpAction::Edited(std::rc::Rc::new(password)))}
                    on_toggle={on_step_up.reform(|()| StepUpAction::ToggleShown)}
                    on_submit={on_step_up.reform(move |()| StepUpAction::Submit { fresh_key: fresh_key() })} />
            </StepFrame>
        };
    }

    let locked = state.submission.frozen();
    let step_body = match state.step {
        Step::Password => {
            let regenerate = {
                let state = state.clone();
                Callback::from(move |()| {
                    let c = &state.config;
                    if let Ok(g) = generate_for(&c.generator, &c.policy, &state.user, &mut OsRandom)
                    {
                        state.dispatch(Action::Regenerated(g));
                    }
                })
            };
            html! {
                <NewPassword draft={state.draft.clone()} {locked} legend={t.step_names[0]} texts={t}
                    on_choose={dispatch_with(&d, Action::ChooseMode)} on_regenerate={regenerate}
                    on_edit={dispatch_with(&d, Action::CustomEdited)} {on_toggle_shown} />
            }
        }
        Step::Strength => html! {
            <StrengthStep draft={state.draft.clone()} policy={state.config.policy.clone()}
                violations={state.violations()} texts={t} />
        },
        Step::Delivery => {
            let user = &state.user;
            html! {
                <div class="step delivery-step">
                    <DeliveryFormView form={state.delivery.clone()} {locked} texts={t}
                        on_recipients={dispatch_with(&d, Action::RecipientsEdited)}
                        on_force_change={dispatch_with(&d, |()| Action::ToggleForceChange)}>
                        <li>{ (t.summary_user)(&user.name, &user.user_id) }</li>
                        <li>{ if state.draft.mode == Mode::Generated { t.summary_generated } else { t.summary_custom } }</li>
                        <li>{ (t.summary_delivery)(&state.delivery.recipients_for_summary()) }</li>
                        <li>{ (t.summary_force)(state.delivery.force_change) }</li>
                    </DeliveryFormView>
                    if let Some(failure) = state.submission.failure() {
                        <FailureMessage failure={failure.clone()} texts={t} />
                    }
                </div>
            }
        }
    };
    let in_flight = state.submission.in_flight();
    let submit_label = if in_flight {
        t.resetting.to_string()
    } else if state.submission.retry_wait > 0 {
        (t.retry_in)(state.submission.retry_wait)
    } else if state.submission.failure().is_some() {
        t.retry.to_string()
    } else {
        t.reset_password.to_string()
    };

    let footer = html! {
        <>
            if state.step != Step::Password {
                <button type="button" class="secondary" onclick={dispatch_with(&d, |_: MouseEvent| Action::Back)}
                    disabled={in_flight}>{ t.back }</button>
            }
            if state.step == Step::Delivery {
                <button type="button" class="primary" onclick={dispatch_with(&d, |_: MouseEvent| Action::Submit { fresh_key: new_key(&mut OsRandom) })}
                    disabled={!state.can_submit()} aria-busy={in_flight.to_string()}>
                    { submit_label }
                </button>
            } else {
                <button type="button" class="primary" onclick={dispatch_with(&d, |_: MouseEvent| Action::Next)}
                    disabled={!state.can_go_next()} aria-describedby={(state.step == Step::Strength).then_some(POLICY_STATUS_ID)}>
                    { t.next }
                </button>
            }
        </>
    };
    html! {
        <StepFrame title={t.dialog_title} {who}
            current={state.step.number()} names={&t.step_names[..]} {heading} texts={t} {footer}>
            { step_body }
        </StepFrame>
    }
}
