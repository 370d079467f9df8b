//! Contract tests: the real router, a real SQLite file in a temp dir, real
//! handlers (`tower::ServiceExt::oneshot`), plus a few tests over real TCP.

mod common;

mod access;
mod audit;
mod authorization;
mod bulk;
mod change_required;
mod crash;
mod delivery;
mod directory;
mod end_to_end;
mod faults;
mod idempotency;
mod in_flight;
mod live_sessions;
mod password_changes;
mod password_policy;
mod rate_limit;
mod recovery;
mod resets;
mod schema;
mod seed_users;
mod session;
mod sessions_idle;
mod sign_in;
mod sign_in_protection;
mod site;
mod step_up;
mod validation;
