//! The bulk dialog: pick users, say where the passwords go, then send them in
//! batches of at most 40 and show a result per user.

use std::collections::HashSet;
use std::rc::Rc;

use yew::prelude::*;

use super::results::Results;
use super::state::{keys_needed, BulkAction, BulkState, BulkStep, Run};
use super::users_step::UsersStep;
use crate::core::bulk::BulkUsers;
use crate::core::config::Config;
use crate::core::generator::generate_for;
use crate::core::idempotency::new_key;
use crate::core::random::OsRandom;
use crate::core::secret::Secret;
use crate::dialog::kit::step_up::StepUpAction;
use crate::dialog::pieces::delivery_form::DeliveryFormView;
use crate::dialog::pieces::hooks::{
    dispatch_with, outgoing, reset_done, use_focus_on_change, use_step_up, use_submission,
};
use crate::dialog::pieces::step_frame::StepFrame;
use crate::dialog::pieces::step_up_form::{step_up_footer, StepUpForm};
use crate::dialog::services::{RequestKind, Services, WidgetEvent};
use crate::i18n::texts_for;

#[derive(Properties, PartialEq, Clone)]
pub struct BulkDialogProps {
    pub config: Rc<Config>,
    /// Whose passwords are reset.
    pub users: Rc<BulkUsers>,
    pub services: Services,
}

/// One unique generated password per user, each passing the policy for that user.
fn passwords_for(config: &Config, users: &BulkUsers) -> Vec<Rc<Secret>> {
    let mut seen = HashSet::new();
    users
        .users
        .iter()
        .map(|u| {
            let words = config.words_for(u);
            loop {
                let g = generate_for(&config.generator, &config.policy, &words, &mut OsRandom)
                    .expect("checked generator options");
                if seen.insert(g.password.clone()) {
                    return g.password;
                }
            }
        })
        .collect()
}

/// One fresh Idempotency-Key per batch for `users` users.
pub fn fresh_keys(users: usize) -> Vec<String> {
    (0..keys_needed(users))
        .map(|_| new_key(&mut OsRandom))
        .collect()
}

#[function_component(BulkDialog)]
pub fn bulk_dialog(props: &BulkDialogProps) -> Html {
    let state = {
        let (config, users) = (props.config.clone(), props.users.clone());
        use_reducer(move || {
            let passwords = passwords_for(&config, &users);
            BulkState::new(config, &users, passwords)
        })
    };
    let t = texts_for(&state.config.lang);
    let d = state.dispatcher();
    let heading = use_node_ref();
    let services = &props.services;

    {
        let state = state.clone();
        let batch = state.sending().map(|(batch, _)| batch);
        use_submission(
            services,
            t,
            &state.submission.clone(),
            move || {
                let batch = batch?;
                let key = state.batches[batch].key.clone();
                Some(outgoing(
                    RequestKind::Reset,
                    &state.config.endpoint,
                    key,
                    &state.request(batch)?,
                ))
            },
            reset_done,
            dispatch_with(&d, move |(attempt, outcome)| BulkAction::BatchFinished {
                batch: batch.unwrap_or_default(),
                attempt,
                outcome,
            }),
            dispatch_with(&d, |()| BulkAction::RetryTick),
        );
    }
    let on_step_up = dispatch_with(&d, BulkAction::StepUp);
    use_step_up(
        services,
        t,
        state.config.step_up_endpoint.clone(),
        &state.step_up,
        on_step_up.clone(),
    );
    // Each step (and the step-up prompt) moves focus to its heading.
    use_focus_on_change(&heading, (state.step, state.step_up.open));

    if state.step_up.open {
        let fresh_key = || new_key(&mut OsRandom);
        let footer = step_up_footer(t, &state.step_up, &on_step_up, fresh_key);
        return html! {
            <StepFrame class="bulk" title={t.bulk_title} current={state.step.number()}
                names={&t.bulk_step_names[..]} step_title={t.step_up_heading} {heading} texts={t} {footer}>
                <StepUpForm step_up={state.step_up.clone()} texts={t}
                    on_edit={on_step_up.reform(|password| StepUpAction::Edited(std::rc::Rc::new(password)))}
                    on_toggle={on_step_up.reform(|()| StepUpAction::ToggleShown)}
                    on_submit={on_step_up.reform(move |()| StepUpAction::Submit { fresh_key: fresh_key() })} />
            </StepFrame>
        };
    }

    let body = match state.step {
        BulkStep::Users => html! {
            <UsersStep rows={state.rows.clone()} excluded_self={state.excluded_self.is_some()} texts={t}
                on_toggle={dispatch_with(&d, BulkAction::ToggleUser)}
                on_select_all={dispatch_with(&d, BulkAction::SelectAll)} />
        },
        BulkStep::Delivery => {
            let keep = state.keep_passwords;
            let choose =
                |on: bool| dispatch_with(&d, move |_: Event| BulkAction::KeepPasswords(on));
            let recipients = state.delivery.recipients_for_summary();
            html! {
                <div class="step delivery-step">
                    // The admin center's "force a password change": keep the passwords, require the change.
                    <fieldset class="choices">
                        <legend>{ t.bulk_choice_legend }</legend>
                        <label class="choice">
                            <input type="radio" name="rp-bulk-action" checked={!keep} onchange={choose(false)} />
                            { t.bulk_reset_choice }
                        </label>
                        <label class="choice">
                            <input type="radio" name="rp-bulk-action" checked={keep} onchange={choose(true)} />
                            { t.bulk_keep_choice }
                        </label>
                    </fieldset>
                    <DeliveryFormView form={state.delivery.clone()} texts={t} force_change_choice={!keep}
                        on_recipients={dispatch_with(&d, BulkAction::RecipientsEdited)}
                        on_force_change={dispatch_with(&d, |()| BulkAction::ToggleForceChange)}>
                        <li>{ (t.selected_count)(state.selected().count(), state.rows.len()) }</li>
                        if keep {
                            <li>{ t.summary_kept }</li>
                            <li>{ (t.bulk_notice_delivery)(&recipients) }</li>
                        } else {
                            <li>{ t.bulk_generated_note }</li>
                            <li>{ (t.bulk_delivery)(&recipients) }</li>
                            <li>{ (t.summary_force)(state.delivery.force_change) }</li>
                        }
                    </DeliveryFormView>
                </div>
            }
        }
        BulkStep::Results => {
            let on_retry_failed = {
                let state = state.clone();
                Callback::from(move |()| {
                    state.dispatch(BulkAction::RetryFailed {
                        keys: fresh_keys(state.failed().count()),
                    })
                })
            };
            html! {
                <Results rows={state.rows.clone()} run={state.run} progress={state.progress()}
                    paused={state.paused().map(|(_, f)| f.clone())} retry_wait={state.submission.retry_wait}
                    delivery={state.deliveries.last().cloned()} texts={t}
                    on_resume={dispatch_with(&d, |()| BulkAction::Resume)} {on_retry_failed}
                    on_toggle_shown={dispatch_with(&d, BulkAction::ToggleShown)} />
            }
        }
    };

    let on_start = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            state.dispatch(BulkAction::Start {
                keys: fresh_keys(state.selected().count()),
            })
        })
    };
    let footer = html! {
        <>
            if state.step == BulkStep::Delivery {
                <button type="button" class="secondary" onclick={dispatch_with(&d, |_: MouseEvent| BulkAction::Back)}>{ t.back }</button>
                <button type="button" class="primary" onclick={on_start} disabled={!state.can_start()}>
                    { if state.keep_passwords { t.require_change } else { t.reset_password } }
                </button>
            }
            if state.run == Run::Finished {
                <button type="button" class="primary" onclick={services.on_event.reform(|_: MouseEvent| WidgetEvent::Close)}>{ t.reset_another }</button>
            }
            if state.step == BulkStep::Users {
                <button type="button" class="primary" onclick={dispatch_with(&d, |_: MouseEvent| BulkAction::Next)}
                    disabled={state.selected().next().is_none()}>{ t.next }</button>
            }
        </>
    };
    html! {
        <StepFrame class="bulk" title={t.bulk_title} current={state.step.number()}
            names={&t.bulk_step_names[..]} {heading} texts={t} {footer}>
            { body }
        </StepFrame>
    }
}
