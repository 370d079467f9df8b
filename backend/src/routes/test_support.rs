//! Endpoints for end-to-end tests, routed only with `--test-mode`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::Serialize;

use crate::db;
use crate::faults::ArmRequest;
use crate::json_body;
use crate::problem::{FieldError, Problem};
use crate::state::AppState;

/// `POST /api/test/faults`: arm a fault (see `faults.rs`). 204 on success.
pub async fn arm_fault(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<StatusCode, Problem> {
    let request: ArmRequest = json_body::parse(&headers, body)?;
    let (fault, times) = request
        .validate()
        .map_err(|detail| Problem::invalid_fields(vec![FieldError::new("fault", detail)]))?;
    state.faults.arm(fault, times);
    tracing::info!(?fault, times, "fault armed");
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/test/faults`: disarm. 204.
pub async fn disarm_faults(State(state): State<AppState>) -> StatusCode {
    state.faults.disarm();
    StatusCode::NO_CONTENT
}

#[derive(Debug, Serialize)]
pub struct ResetCount {
    pub count: i64,
    /// Idempotency keys of those resets, oldest first (resets without a key
    /// are counted but have no entry).
    pub keys: Vec<String>,
}

/// `GET /api/test/resets?userId=u-1042`: how many resets were applied.
pub async fn resets(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<ResetCount>, Problem> {
    let user_id = query.get("userId").cloned().ok_or_else(|| {
        Problem::bad_request("The userId query parameter is required.")
            .with_error("userId", "Required.")
    })?;
    let (count, keys) = db::call(&state.db, move |conn| db::resets_of(conn, &user_id)).await?;
    Ok(Json(ResetCount { count, keys }))
}
