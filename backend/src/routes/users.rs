//! `GET /api/users`: the directory listing the sample page renders.

use axum::extract::State;
use axum::Json;

use crate::db::{self, User};
use crate::problem::Problem;
use crate::state::AppState;

/// `[{"id","name","email","isAdmin"}]`, sorted by name.
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<User>>, Problem> {
    Ok(Json(
        db::call(&state.db, |conn| db::list_users(conn)).await?,
    ))
}
