//! `GET /api/users`: the directory listing the sample page renders. Any
//! signed-in user may read it; without a session, 401.

use axum::extract::State;
use axum::Json;

use crate::directory::DirectoryUser;
use crate::problem::Problem;
use crate::routes::auth::SignedIn;
use crate::state::AppState;

/// `[{"id","name","email","isAdmin"}]`, sorted by name: the directory's.
pub async fn list(
    State(state): State<AppState>,
    _signed_in: SignedIn,
) -> Result<Json<Vec<DirectoryUser>>, Problem> {
    Ok(Json(state.directory.list_users().await?))
}
