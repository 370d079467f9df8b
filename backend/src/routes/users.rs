//! `GET /api/users`: the directory listing the sample page renders, for
//! administrators only (it holds every user's e-mail address; a
//! non-administrator's page has nothing to do with it): without a session
//! 401, another user's session 403 "Not allowed".

use axum::extract::State;
use axum::Json;

use crate::directory::DirectoryUser;
use crate::problem::Problem;
use crate::routes::auth::AdminReader;
use crate::state::AppState;

/// `[{"id","name","email","isAdmin"}]`, sorted by name: the directory's.
pub async fn list(
    State(state): State<AppState>,
    _admin: AdminReader,
) -> Result<Json<Vec<DirectoryUser>>, Problem> {
    Ok(Json(state.directory.list_users().await?))
}
