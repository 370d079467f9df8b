//! `GET /api/users`: the directory listing the sample page renders. Any
//! signed-in user may read it; without a session, 401.

use axum::extract::State;
use axum::Json;

use crate::db::{self, User};
use crate::problem::Problem;
use crate::routes::auth::SignedIn;
use crate::state::AppState;

/// `[{"id","name","email","isAdmin"}]`, sorted by name.
pub async fn list(
    State(state): State<AppState>,
    _signed_in: SignedIn,
) -> Result<Json<Vec<User>>, Problem> {
    Ok(Json(
        db::call(&state.db, |conn| db::list_users(conn)).await?,
    ))
}
