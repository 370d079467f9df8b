//! Bulk results: progress while sending, then a table with a status and the
//! password (hidden until revealed, copyable) per user, Copy all, Download CSV
//! (made in the browser, sent nowhere), and Retry for the users that failed.

use std::rc::Rc;

use yew::prelude::*;

use super::state::{Row, RowStatus, Run};
use crate::core::bulk::csv;
use crate::core::wire::{Delivery, Failure};
use crate::dialog::pieces::copy::use_copier;
use crate::dialog::pieces::delivery_note::DeliveryNote;
use crate::dialog::pieces::failure_message::FailureMessage;
use crate::i18n::Texts;

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    pub rows: Rc<Vec<Row>>,
    pub run: Run,
    /// Users done in this run, of all in it.
    pub progress: (usize, usize),
    /// Why the current batch waits for Retry, if it does.
    pub paused: Option<Failure>,
    pub retry_wait: u32,
    /// What the backend said about the last request's delivery.
    pub delivery: Option<Delivery>,
    pub texts: &'static Texts,
    pub on_resume: Callback<()>,
    pub on_retry_failed: Callback<()>,
    pub on_toggle_shown: Callback<String>,
}

fn status_text(row: &Row, t: &Texts) -> String {
    match &row.status {
        RowStatus::Ready => t.status_ready.to_string(),
        RowStatus::Sending => t.status_sending.to_string(),
        RowStatus::Reset => t.status_reset.to_string(),
        RowStatus::Required => t.status_required.to_string(),
        RowStatus::Failed(why) if why.is_empty() => t.status_failed.to_string(),
        RowStatus::Failed(why) => format!("{}: {why}", t.status_failed),
        RowStatus::Unknown => t.status_unknown.to_string(),
    }
}

/// The selected users whose password was reset.
fn reset_rows(rows: &[Row]) -> impl Iterator<Item = &Row> {
    rows.iter()
        .filter(|r| r.selected && r.status == RowStatus::Reset)
}

#[function_component(Results)]
pub fn results(props: &ResultsProps) -> Html {
    let t = props.texts;
    let copier = use_copier(t);
    let (done, total) = props.progress;
    let finished = props.run == Run::Finished;
    let selected: Vec<&Row> = props.rows.iter().filter(|r| r.selected).collect();
    let reset_count = reset_rows(&props.rows).count();
    let required_count = selected
        .iter()
        .filter(|r| r.status == RowStatus::Required)
        .count();
    let any_failed = selected
        .iter()
        .any(|r| matches!(r.status, RowStatus::Failed(_)));
    let copy_all = {
        let rows = props.rows.clone();
        copier.on_click(move || {
            reset_rows(&rows)
                .map(|r| format!("{}\t{}\t{}\n", r.user.id, r.user.name, r.password.expose()))
                .collect()
        })
    };
    let on_download = {
        let rows = props.rows.clone();
        Callback::from(move |_: MouseEvent| {
            let text = csv(reset_rows(&rows).map(|r| {
                (
                    r.user.id.as_str(),
                    r.user.name.as_str(),
                    r.password.expose(),
                )
            }));
            crate::browser::download::save_text("passwords.csv", "text/csv", &text);
        })
    };
    html! {
        <div class="step results-step">
            <p class="progress" role="status" aria-live="polite">
                { if finished && required_count > 0 { (t.bulk_required_done)(required_count, selected.len()) }
                  else if finished { (t.bulk_done)(reset_count, selected.len()) } else { (t.progress)(done, total) } }
            </p>
            <progress max={total.to_string()} value={done.to_string()} aria-label={(t.progress)(done, total)}></progress>
            if let Some(failure) = &props.paused {
                <FailureMessage failure={failure.clone()} texts={t} />
                <button type="button" class="primary" onclick={props.on_resume.reform(|_: MouseEvent| ())} disabled={props.retry_wait > 0}>
                    { if props.retry_wait > 0 { (t.retry_in)(props.retry_wait) } else { t.retry.to_string() } }
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
                    { for selected.iter().map(|row| {
                        let id = row.user.id.clone();
                        let name = row.user.display_name();
                        let status_class = match row.status {
                            RowStatus::Reset | RowStatus::Required => "reset",
                            RowStatus::Failed(_) => "failed",
                            RowStatus::Unknown => "unknown",
                            _ => "pending",
                        };
                        let copy = {
                            let password = row.password.clone();
                            copier.on_click(move || password.expose().to_string())
                        };
                        html! {
                            <tr data-user-id={row.user.id.clone()} class={classes!(format!("status-{status_class}"))}>
                                <th scope="row">{ name.to_string() }<span class="hint">{ format!(" {}", row.user.id) }</span></th>
                                <td>{ status_text(row, t) }</td>
                                <td class="password-cell">
                                    if row.status == RowStatus::Reset {
                                        <code class="password">
                                            { if row.shown { row.password.expose().to_string() } else { "••••••••••••".to_string() } }
                                        </code>
                                        <button type="button" class="secondary small" onclick={props.on_toggle_shown.reform(move |_: MouseEvent| id.clone())}>
                                            { if row.shown { (t.hide_password_for)(name) } else { (t.show_password_for)(name) } }
                                        </button>
                                        <button type="button" class="secondary small" onclick={copy}>
                                            { (t.copy_password_for)(name) }
                                        </button>
                                    }
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            if finished {
                <div class="row-actions">
                    <button type="button" class="secondary" onclick={copy_all} disabled={reset_count == 0}>{ t.copy_all }</button>
                    <button type="button" class="secondary" onclick={on_download} disabled={reset_count == 0}>{ t.download_csv }</button>
                    if any_failed {
                        <button type="button" class="primary" onclick={props.on_retry_failed.reform(|_: MouseEvent| ())}>{ t.retry_failed }</button>
                    }
                </div>
            }
            <p class="hint" role="status">{ copier.status() }</p>
            if let Some(delivery) = &props.delivery {
                <DeliveryNote delivery={delivery.clone()} texts={t} />
            }
        </div>
    }
}
