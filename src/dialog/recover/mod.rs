//! A user who forgot their password recovers it (`<recover-password>`): their
//! login (step 1), the code sent to their alternate address (step 2), a new
//! password (step 3); then the result, with no automatic sign-in.

pub mod state;

#[cfg(target_arch = "wasm32")]
pub mod view;
