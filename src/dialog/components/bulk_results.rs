//! Bulk results: progress while sending, then a table with a status and the
//! password (hidden until revealed, copyable) per user, Copy all, Download CSV
//! (made in the browser, sent nowhere), and Retry for the users that failed.

use std::rc::Rc;

use yew::prelude::*;

use super::failure_message::FailureMessage;
use crate::core::bulk::csv;
use crate::core::idempotency::new_key;
use crate::core::random::OsRandom;
use crate::dialog::bulk_state::{keys_needed, BulkAction, BulkState, Row, RowStatus, Run};
use crate::i18n::{texts_for, Texts};

#[derive(Properties, PartialEq)]
pub struct BulkResultsProps {
    pub state: UseReducerHandle<BulkState>,
}

fn status_text(row: &Row, t: &Texts) -> String {
    match &row.status {
        RowStatus::Ready => t.status_ready.to_string(),
        RowStatus::Sending => t.status_sending.to_string(),
        RowStatus::Reset => t.status_reset.to_string(),
        RowStatus::Failed(why) if why.is_empty() => t.status_failed.to_string(),
        RowStatus::Failed(why) => format!("{}: {why}", t.status_failed),
        RowStatus::Unknown => t.status_unknown.to_string(),
    }
}

fn who(row: &Row) -> String {
    if row.user.name.is_empty() {
        row.user.id.clone()
    } else {
        row.user.name.clone()
    }
}

#[function_component(BulkResults)]
pub fn bulk_results(props: &BulkResultsProps) -> Html {
    let state = &props.state;
    let t = texts_for(&state.config.lang);
    let copy_status = use_state(|| None::<&'static str>);
    let (done, total) = state.progress();
    let rows: Vec<&Row> = state.selected().collect();
    let reset_count = state.reset_rows().count();
    // The text a Copy or Download button carries is made when it is clicked,
    // not on every render (each progress step, each countdown tick): it holds
    // passwords, so it exists only as long as it must.
    let copy = |make: Rc<dyn Fn() -> String>| {
        let copy_status = copy_status.clone();
        Callback::from(move |_: MouseEvent| {
            let text = make();
            let copy_status = copy_status.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let ok = crate::embed::clipboard::write_text(&text).await;
                copy_status.set(Some(if ok { t.copied } else { t.copy_failed }));
            });
        })
    };
    let copy_all = {
        let state = state.clone();
        copy(Rc::new(move || {
            state
                .reset_rows()
                .map(|r| format!("{}\t{}\t{}\n", r.user.id, r.user.name, r.password.expose()))
                .collect()
        }))
    };
    let on_download = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let text = csv(state.reset_rows().map(|r| {
                (
                    r.user.id.as_str(),
                    r.user.name.as_str(),
                    r.password.expose(),
                )
            }));
            crate::embed::download::save_text("passwords.csv", "text/csv", &text);
        })
    };
    let on_resume = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(BulkAction::Resume))
    };
    let on_retry_failed = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let n = state.failed().count();
            let keys = (0..keys_needed(n))
                .map(|_| new_key(&mut OsRandom))
                .collect();
            state.dispatch(BulkAction::RetryFailed { keys })
        })
    };
    let sending = matches!(state.run, Run::Sending { .. });
    html! {
        <div class="step results-step">
            <p class="progress" role="status" aria-live="polite">
                { if state.run == Run::Finished { (t.bulk_done)(reset_count, rows.len()) } else { (t.progress)(done, total) } }
            </p>
            <progress max={total.to_string()} value={done.to_string()} aria-label={(t.progress)(done, total)}></progress>
            if let Run::Paused { failure, .. } = &state.run {
                <FailureMessage failure={failure.clone()} texts={t} />
                <button type="button" class="primary" onclick={on_resume} disabled={state.retry_wait > 0}>
                    { if state.retry_wait > 0 { (t.retry_in)(state.retry_wait) } else { t.retry.to_string() } }
                </button>
            }
            <table class="results" part="results">
                <thead>
                    <tr>
                        <th scope="col">{ t.col_user }</th>
                        <th scope="col">{ t.col_status }</th>
                        <th scope="col">{ t.col_password }</th>
                    </tr>
                </thead>
                <tbody>
                    { for rows.iter().map(|row| {
                        let id = row.user.id.clone();
                        let name = who(row);
                        let toggle = {
                            let state = state.clone();
                            Callback::from(move |_: MouseEvent| state.dispatch(BulkAction::ToggleShown(id.clone())))
                        };
                        html! {
                            <tr data-user-id={row.user.id.clone()} class={classes!(format!("status-{}", match row.status {
                                RowStatus::Reset => "reset", RowStatus::Failed(_) => "failed", RowStatus::Unknown => "unknown", _ => "pending" }))}>
                                <th scope="row">{ name.clone() }<span class="hint">{ format!(" {}", row.user.id) }</span></th>
                                <td>{ status_text(row, t) }</td>
                                <td class="password-cell">
                                    if row.status == RowStatus::Reset {
                                        <code class="password">
                                            { if row.shown { row.password.expose().to_string() } else { "••••••••••••".to_string() } }
                                        </code>
                                        <button type="button" class="secondary small" onclick={toggle}>
                                            { if row.shown { (t.hide_password_for)(&name) } else { (t.show_password_for)(&name) } }
                                        </button>
                                        <button type="button" class="secondary small" onclick={copy({ let password = row.password.clone(); Rc::new(move || password.expose().to_string()) })}>
                                            { (t.copy_password_for)(&name) }
                                        </button>
                                    }
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            if state.run == Run::Finished {
                <div class="row-actions">
                    <button type="button" class="secondary" onclick={copy_all} disabled={reset_count == 0}>{ t.copy_all }</button>
                    <button type="button" class="secondary" onclick={on_download} disabled={reset_count == 0}>{ t.download_csv }</button>
                    if state.failed().next().is_some() {
                        <button type="button" class="primary" onclick={on_retry_failed} disabled={sending}>{ t.retry_failed }</button>
                    }
                </div>
            }
            <p class="hint" role="status">{ copy_status.unwrap_or_default() }</p>
            { for state.deliveries.last().map(|d| html! {
                <p class={classes!("delivery", format!("delivery-{}", d.status.as_str()))}>
                    { (t.delivery_status)(d.status.as_str()) }
                    if let Some(detail) = &d.detail { { " " }{ detail.clone() } }
                </p>
            }) }
        </div>
    }
}
