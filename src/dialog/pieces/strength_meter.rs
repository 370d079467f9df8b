//! The strength meter: a `meter` named "Password strength" whose value is the
//! zxcvbn score, a word for it, and (in detail) zxcvbn's warning and suggestions.
//! The bar's width comes from the stylesheet per `data-score`: no inline style,
//! so a strict CSP allows it.

use std::time::Duration;

use yew::prelude::*;

use crate::core::strength::{Strength, StrengthSource};
use crate::dialog::kit::password::Estimation;
use crate::i18n::Texts;

#[derive(Properties, PartialEq)]
pub struct StrengthMeterProps {
    /// The strength shown; `None` while unknown.
    pub strength: Option<Strength>,
    /// Why it is unknown (only for a custom password).
    pub estimation: Estimation,
    pub texts: &'static Texts,
    /// Show zxcvbn's warning and suggestions too.
    #[prop_or_default]
    pub detailed: bool,
}

/// How long the meter must rest before its new value is announced: a screen
/// reader user hears the strength once they pause, not on every keystroke.
const ANNOUNCE_AFTER: Duration = Duration::from_millis(700);

#[function_component(StrengthMeter)]
pub fn strength_meter(props: &StrengthMeterProps) -> Html {
    let t = props.texts;
    let announcement = use_state(String::new);
    let generation = use_mut_ref(|| 0u32);
    let (score, label) = match (&props.strength, &props.estimation) {
        (Some(s), _) => (
            Some(s.score),
            t.score_names[s.score.min(4) as usize].to_string(),
        ),
        (None, Estimation::Checking) => (None, t.checking.to_string()),
        (None, Estimation::Failed) => (None, t.estimator_failed.to_string()),
        (None, _) => (None, String::new()),
    };
    let detail = props
        .strength
        .as_ref()
        .map(|s| match (s.source, s.entropy_bits) {
            (StrengthSource::Generated, Some(bits)) => (t.entropy_bits)(bits),
            _ => String::new(),
        });
    {
        let announcement = announcement.clone();
        let generation = generation.clone();
        let spoken = if label.is_empty() {
            String::new()
        } else {
            format!("{}: {label}", t.password_strength)
        };
        use_effect_with(spoken, move |spoken| {
            *generation.borrow_mut() += 1;
            let mine = *generation.borrow();
            let spoken = spoken.clone();
            wasm_bindgen_futures::spawn_local(async move {
                yew::platform::time::sleep(ANNOUNCE_AFTER).await;
                if *generation.borrow() == mine {
                    announcement.set(spoken);
                }
            });
        });
    }
    html! {
        <div class="meter" part="meter">
            <p class="visually-hidden" aria-live="polite">{ (*announcement).clone() }</p>
            <div class="meter-row">
                <div
                    class="meter-bar"
                    role="meter"
                    aria-label={t.password_strength}
                    aria-valuemin="0"
                    aria-valuemax="4"
                    aria-valuenow={score.unwrap_or(0).to_string()}
                    aria-valuetext={label.clone()}
                    data-score={score.map(|s| s.to_string()).unwrap_or_else(|| "none".into())}
                >
                    <span class="meter-fill"></span>
                </div>
                <span class="meter-label" data-score={score.map(|s| s.to_string())}>{ label }</span>
            </div>
            if let Some(detail) = detail.filter(|d| !d.is_empty()) {
                <p class="hint entropy">{ detail }</p>
            }
            if props.detailed {
                if let Some(s) = &props.strength {
                    if let Some(w) = s.warning {
                        <p class="warning">{ (t.warning)(w) }</p>
                    }
                    if !s.suggestions.is_empty() {
                        <ul class="suggestions">
                            { for s.suggestions.iter().map(|x| html! { <li>{ (t.suggestion)(*x) }</li> }) }
                        </ul>
                    }
                }
            }
        </div>
    }
}
