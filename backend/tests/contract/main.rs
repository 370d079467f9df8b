//! Contract tests: the real router, a real SQLite file in a temp dir, real
//! handlers (`tower::ServiceExt::oneshot`), plus a few tests over real TCP.

mod common;

mod delivery;
mod end_to_end;
mod faults;
mod idempotency;
mod resets;
mod schema;
mod sign_in;
mod site;
mod validation;
