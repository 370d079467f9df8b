//! One user's reset: choose a password (step 1), check it against the policy
//! (step 2), say where it goes (step 3), then the result.

pub mod state;

#[cfg(target_arch = "wasm32")]
mod result_view;
#[cfg(target_arch = "wasm32")]
mod strength_step;
#[cfg(target_arch = "wasm32")]
pub mod view;
