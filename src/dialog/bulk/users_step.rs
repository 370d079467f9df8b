//! Bulk step 1: the selected users, with a way to leave some out.

use yew::prelude::*;

use super::state::Row;
use crate::i18n::Texts;

#[derive(Properties, PartialEq)]
pub struct UsersStepProps {
    pub rows: std::rc::Rc<Vec<Row>>,
    /// The signed-in admin was in the list and is left out.
    pub excluded_self: bool,
    pub texts: &'static Texts,
    pub on_toggle: Callback<String>,
    pub on_select_all: Callback<bool>,
}

#[function_component(UsersStep)]
pub fn users_step(props: &UsersStepProps) -> Html {
    let t = props.texts;
    let selected = props.rows.iter().filter(|r| r.selected).count();
    let all = |on: bool| props.on_select_all.reform(move |_: MouseEvent| on);
    html! {
        <div class="step users-step">
            <p class="selected-count" role="status">{ (t.selected_count)(selected, props.rows.len()) }</p>
            if props.excluded_self {
                <p class="note" part="note">{ t.self_excluded }</p>
            }
            <p class="hint">{ t.bulk_generated_note }</p>
            <div class="row-actions">
                <button type="button" class="secondary" onclick={all(true)}>{ t.select_all }</button>
                <button type="button" class="secondary" onclick={all(false)}>{ t.select_none }</button>
            </div>
            <fieldset class="user-list" part="user-list">
                <legend class="visually-hidden">{ t.bulk_step_names[0] }</legend>
                { for props.rows.iter().map(|row| {
                    let id = row.user.id.clone();
                    let toggle = props.on_toggle.reform(move |_: Event| id.clone());
                    html! {
                        <label class="choice">
                            <input type="checkbox" checked={row.selected} onchange={toggle} />
                            <span>{ row.user.display_name().to_string() }</span>
                            <span class="hint">{ format!(" {}", row.user.id) }</span>
                        </label>
                    }
                }) }
            </fieldset>
        </div>
    }
}
