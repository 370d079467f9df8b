//! A signed-in user changes their own password (`<change-password>`): the
//! current (or temporary) one, a new one with the live meter and the policy,
//! its confirmation; then the result.

pub mod state;

#[cfg(target_arch = "wasm32")]
pub mod view;
