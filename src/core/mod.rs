//! The pure core of the widget: no DOM, no browser, tested natively with `cargo test`.
//!
//! A password's path through it: [`generator`] draws it (or the admin types
//! one), [`strength`] scores it (exactly from its entropy when generated, by the
//! estimator otherwise), [`policy`] says whether it may be used and why not,
//! and [`wire`] puts it in the one place it may travel: the POST body.

pub mod bulk;
pub mod config;
pub mod generator;
pub mod idempotency;
pub mod json;
pub mod policy;
pub mod random;
pub mod recipients;
pub mod secret;
pub mod strength;
pub mod unicode;
pub mod wire;
