//! Many users' reset: pick the users (step 1), say where the passwords go
//! (step 2), then send them in batches and show a result per user (step 3).

pub mod state;

#[cfg(target_arch = "wasm32")]
mod results;
#[cfg(target_arch = "wasm32")]
mod users_step;
#[cfg(target_arch = "wasm32")]
pub mod view;
