//! The reset dialog: its state as a pure reducer ([`state`], tested natively)
//! and one file per component (browser only).

pub mod bulk_state;
pub mod state;

#[cfg(target_arch = "wasm32")]
mod components {
    pub mod bulk_dialog;
    pub mod bulk_results;
    pub mod bulk_users_step;
    pub mod config_error;
    pub mod delivery_step;
    pub mod dialog;
    pub mod failure_message;
    pub mod hooks;
    pub mod password_step;
    pub mod result_view;
    pub mod secret_field;
    pub mod step_indicator;
    pub mod strength_meter;
    pub mod strength_step;
}
#[cfg(target_arch = "wasm32")]
pub mod services;

#[cfg(target_arch = "wasm32")]
pub use components::{
    bulk_dialog::{BulkDialog, BulkDialogProps},
    config_error::{ConfigErrorProps, ConfigErrorView},
    dialog::{Dialog, DialogProps},
};

/// The dialog's stylesheet, adopted into each element's shadow root
/// (a constructable stylesheet: no inline style, so a strict CSP allows it).
pub const STYLESHEET: &str = include_str!("style.css");
