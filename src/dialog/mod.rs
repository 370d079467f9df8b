//! The dialogs. Each flow is a pure reducer (`State` + `Action`, tested
//! natively) plus a few screens; both are built from the kit:
//!
//! * [`kit`]: the shared state pieces (the request and its never-lost rules,
//!   the new password and its strength, the delivery form), pure.
//! * `pieces`: the shared components and hooks that show and drive them
//!   (browser only).
//! * [`single`]: one user's reset; [`bulk`]: many users'; [`change`]: a
//!   user's own change; [`recover`]: a forgotten password's recovery.
//! * [`services`]: what a dialog needs from outside (estimator, transport,
//!   blocklist, events), provided by the embed layer or by a test.

pub mod bulk;
pub mod change;
pub mod kit;
pub mod recover;
pub mod single;

#[cfg(target_arch = "wasm32")]
mod config_error;
#[cfg(target_arch = "wasm32")]
mod pieces;
#[cfg(target_arch = "wasm32")]
pub mod services;

#[cfg(target_arch = "wasm32")]
pub use bulk::view::{BulkDialog, BulkDialogProps};
#[cfg(target_arch = "wasm32")]
pub use change::view::{ChangeForm, ChangeFormProps};
#[cfg(target_arch = "wasm32")]
pub use config_error::{ConfigErrorProps, ConfigErrorView};
#[cfg(target_arch = "wasm32")]
pub use recover::view::{RecoverForm, RecoverFormProps};
#[cfg(target_arch = "wasm32")]
pub use single::view::{Dialog, DialogProps};

/// The dialog's stylesheet, adopted into each element's shadow root
/// (a constructable stylesheet: no inline style, so a strict CSP allows it).
pub const STYLESHEET: &str = include_str!("style.css");
