//! An embeddable password-reset dialog.
//!
//! * [`core`]: the pure core (generator, strength, policy, wire contract,
//!   configuration), no DOM, tested natively.
//! * [`i18n`]: every text the dialog shows, one file per language.
//! * `dialog`: the Yew components and the dialog's state as a pure reducer.
//! * `embed`: the custom element's Rust side, the transports and the JS API.
//! * `browser`: clipboard and download helpers, used by `dialog` and `embed`.
//!
//! Dependencies go one way: `embed` → `dialog` → `core`, `i18n`, `browser`.

pub mod core;
pub mod i18n;

#[cfg(target_arch = "wasm32")]
pub mod browser;
pub mod dialog;
#[cfg(target_arch = "wasm32")]
pub mod embed;
