//! Bulk step 1: the selected users, with a way to leave some out.

use yew::prelude::*;

use crate::dialog::bulk_state::{BulkAction, BulkState};
use crate::i18n::texts_for;

#[derive(Properties, PartialEq)]
pub struct BulkUsersStepProps {
    pub state: UseReducerHandle<BulkState>,
}

#[function_component(BulkUsersStep)]
pub fn bulk_users_step(props: &BulkUsersStepProps) -> Html {
    let state = &props.state;
    let t = texts_for(&state.config.lang);
    let selected = state.selected().count();
    let all = |on: bool| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(BulkAction::SelectAll(on)))
    };
    html! {
        <div class="step users-step">
            <p class="selected-count" role="status">{ (t.selected_count)(selected, state.rows.len()) }</p>
            if state.excluded_self.is_some() {
                <p class="note" part="note">{ t.self_excluded }</p>
            }
            <p class="hint">{ t.bulk_generated_note }</p>
            <div class="row-actions">
                <button type="button" class="secondary" onclick={all(true)}>{ t.select_all }</button>
                <button type="button" class="secondary" onclick={all(false)}>{ t.select_none }</button>
            </div>
            <fieldset class="user-list" part="user-list">
                <legend class="visually-hidden">{ t.bulk_step_names[0] }</legend>
                { for state.rows.iter().map(|row| {
                    let id = row.user.id.clone();
                    let state = state.clone();
                    let toggle = Callback::from(move |_: Event| state.dispatch(BulkAction::ToggleUser(id.clone())));
                    let name = if row.user.name.is_empty() { row.user.id.clone() } else { row.user.name.clone() };
                    html! {
                        <label class="choice">
                            <input type="checkbox" checked={row.selected} onchange={toggle} />
                            <span>{ name }</span>
                            <span class="hint">{ format!(" {}", row.user.id) }</span>
                        </label>
                    }
                }) }
            </fieldset>
        </div>
    }
}
