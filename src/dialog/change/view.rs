//! `<change-password>`: one form (current password, new password with the
//! meter and the policy, its confirmation), then the result.

use std::rc::Rc;

use yew::prelude::*;

use super::state::{Action, State};
use crate::core::config::Config;
use crate::core::generator::generate_for;
use crate::core::idempotency::new_key;
use crate::core::policy::UserWords;
use crate::core::random::OsRandom;
use crate::core::wire::StatusResponse;
use crate::dialog::kit::password::NewPasswordEdit;
use crate::dialog::pieces::failure_message::{FailureMessage, Flow};
use crate::dialog::pieces::hooks::{
    dispatch_with, outgoing, use_focus_on_change, use_password_feedback, use_submission,
};
use crate::dialog::pieces::new_password_form::NewPasswordForm;
use crate::dialog::pieces::policy_status::POLICY_STATUS_ID;
use crate::dialog::pieces::secret_field::SecretField;
use crate::dialog::services::{RequestKind, Services, WidgetEvent};
use crate::i18n::texts_for;

#[derive(Properties, PartialEq, Clone)]
pub struct ChangeFormProps {
    pub config: Rc<Config>,
    /// The signed-in user.
    pub user: Rc<UserWords>,
    pub services: Services,
}

#[function_component(ChangeForm)]
pub fn change_form(props: &ChangeFormProps) -> Html {
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
        &state.new.draft,
        state.user.estimator_inputs(),
        dispatch_with(&d, Action::Feedback),
    );
    {
        let state = state.clone();
        let user_id = state.user.user_id.clone();
        use_submission(
            services,
            t,
            &state.submission.clone(),
            move || {
                let key = state.submission.key.clone()?;
                Some(outgoing(
                    RequestKind::PasswordChange,
                    &state.config.endpoint,
                    key,
                    &state.request(),
                ))
            },
            move |_: &StatusResponse| Some(WidgetEvent::Changed { user_id }),
            dispatch_with(&d, |(attempt, outcome)| Action::Finished {
                attempt,
                outcome,
            }),
            dispatch_with(&d, |()| Action::RetryTick),
        );
    }
    use_focus_on_change(&heading, state.submission.succeeded().is_some());

    if state.submission.succeeded().is_some() {
        return html! {
            <section class="dialog" part="dialog" aria-labelledby="rp-title">
                <div class="result" part="result">
                    <header class="header" part="header">
                        <h2 id="rp-title" tabindex="-1" ref={heading}>{ t.changed_heading }</h2>
                    </header>
                    <div class="body" part="body">
                        <p role="status">{ t.changed_text }</p>
                    </div>
                </div>
            </section>
        };
    }

    let locked = state.submission.frozen();
    let in_flight = state.submission.in_flight();
    let suggest = {
        let state = state.clone();
        Callback::from(move |()| {
            let c = &state.config;
            if let Ok(g) = generate_for(&c.generator, &c.policy, &state.user, &mut OsRandom) {
                state.dispatch(Action::NewPassword(NewPasswordEdit::Suggested(g)));
            }
        })
    };
    let submit_label = if in_flight {
        t.changing.to_string()
    } else if state.submission.retry_wait > 0 {
        (t.retry_in)(state.submission.retry_wait)
    } else if state
        .submission
        .failure()
        .is_some_and(|f| f.outcome_unknown())
    {
        t.retry.to_string()
    } else {
        t.change_password.to_string()
    };
    let editable = |on: Callback<crate::core::secret::Secret>| -> Option<Callback<String>> {
        (!locked).then(|| on.reform(crate::core::secret::Secret::new))
    };
    // Only a failure that no field explains gets the general message.
    let failure = state
        .submission
        .failure()
        .filter(|_| state.current_error.is_none() && state.new.draft.refused.is_none());

    html! {
        <section class="dialog change" part="dialog" aria-labelledby="rp-title">
            <header class="header" part="header">
                <h2 id="rp-title" tabindex="-1" ref={heading}>{ t.change_title }</h2>
                <p class="who">{ state.user.display_name().to_string() }</p>
            </header>
            <div class="body" part="body">
                if state.config.temporary {
                    <p class="note" part="note">{ t.temporary_note }</p>
                }
                <SecretField id="rp-current" label={if state.config.temporary { t.temporary_password } else { t.current_password }}
                    value={state.current.expose().to_string()} shown={state.current_shown}
                    on_toggle={dispatch_with(&d, |()| Action::ToggleShowCurrent)} texts={t}
                    on_input={editable(dispatch_with(&d, Action::CurrentEdited))} autocomplete="current-password"
                    error={state.current_error.clone().map(AttrValue::from)} />
                <NewPasswordForm entry={state.new.clone()} policy={state.config.policy.clone()}
                    violations={state.violations()} {locked} policy_heading="h3" texts={t}
                    on_edit={dispatch_with(&d, Action::NewPassword)} on_suggest={suggest} />
                if let Some(failure) = failure {
                    <FailureMessage failure={failure.clone()} texts={t} flow={Flow::Change} />
                }
            </div>
            <footer class="footer" part="footer">
                <button type="button" class="primary" aria-describedby={POLICY_STATUS_ID}
                    onclick={dispatch_with(&d, |_: MouseEvent| Action::Submit { fresh_key: new_key(&mut OsRandom) })}
                    disabled={!state.can_submit()} aria-busy={in_flight.to_string()}>
                    { submit_label }
                </button>
            </footer>
        </section>
    }
}
