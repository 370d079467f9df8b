//! Reference backend for the password-reset widget.
//!
//! It is deliberately small: every module owns one concern, and the HTTP
//! contract the widget relies on lives in [`routes::resets`]. The JSON Schema
//! files in `schema/` describe the same contract for front-end developers.
//!
//! Modules depend in one direction only (`scripts/check-layers.sh` checks
//! it), leaves first:
//!
//! 1. `limits`, `seed`, `passwords`, `problem`, `rate_limit`, `faults`,
//!    `background`, `in_flight`, and `json_body` (on `problem`): constants,
//!    data and small tools;
//! 2. `config`: the command line;
//! 3. `db`: every SQL statement, taking plain values;
//! 4. `directory` (on `db` and `passwords`): where users and their passwords
//!    live, behind one interface: the SQLite `users` table, or LDAP;
//! 5. `sessions`, `idempotency`, `delivery`, `audit` (the audit trail),
//!    `password_policy` (the widget's policy, natively), and `recovery` (on
//!    `sessions`): rules on top of `db` and `directory`;
//! 6. `state`: what every handler shares;
//! 7. `routes`: the HTTP surface.

pub mod audit;
pub mod background;
pub mod config;
pub mod db;
pub mod delivery;
pub mod directory;
pub mod faults;
pub mod idempotency;
pub mod in_flight;
pub mod json_body;
pub mod limits;
pub mod password_policy;
pub mod passwords;
pub mod problem;
pub mod rate_limit;
pub mod recovery;
pub mod routes;
pub mod seed;
pub mod sessions;
pub mod state;

pub use config::Config;
pub use routes::router;
pub use state::AppState;
