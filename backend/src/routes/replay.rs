//! A request whose `Idempotency-Key` has a record: the stored answer again
//! (a replay) for the same request, 422 for another. Telling them apart
//! runs Argon2 (`idempotency::fingerprint`), so it runs here, after the
//! database lock is released, on the blocking pool under a hash permit.

use std::sync::Arc;

use axum::response::{IntoResponse, Response};

use crate::db;
use crate::idempotency::{self, Lookup, Record};
use crate::problem::Problem;
use crate::state::AppState;

/// The answer for `scoped_key` if a request with it was already made, else
/// `None` (the lock is held only for the SQL).
pub async fn recorded(
    state: &AppState,
    scoped_key: &str,
    canonical: Arc<idempotency::Canonical>,
) -> Result<Option<Response>, Problem> {
    let key = scoped_key.to_owned();
    let record = db::call(&state.db, move |conn| idempotency::find(conn, &key)).await?;
    match record {
        Some(record) => answer(state, record, canonical).await.map(Some),
        None => Ok(None),
    }
}

/// The answer to the request `canonical` given its key's `record`.
pub async fn answer(
    state: &AppState,
    record: Record,
    canonical: Arc<idempotency::Canonical>,
) -> Result<Response, Problem> {
    let permit = super::hash_permit(state)?;
    let lookup = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        record.answer(&canonical)
    })
    .await
    .map_err(Problem::internal)?;
    Ok(match lookup {
        Lookup::Replay(stored) => stored.into_response(true),
        Lookup::Mismatch => idempotency::key_reused().into_response(),
    })
}
