//! `POST /api/sign-in`: lets a test (or a person) prove that a reset worked.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::db::{self, Credentials};
use crate::problem::Problem;
use crate::state::AppState;
use crate::{json_body, passwords};

#[derive(Deserialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    expecting = "an object with userId and password"
)]
pub struct SignInRequest {
    pub user_id: String,
    pub password: String,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SignInResponse {
    pub must_change_password: bool,
}

/// 200 `{"mustChangePassword": bool}`, or 401 whatever was wrong: the
/// answer does not reveal whether the user id exists.
pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<SignInResponse>, Problem> {
    let SignInRequest { user_id, password } = json_body::parse(&headers, body)?;
    let credentials = db::call(&state.db, move |conn| db::find_credentials(conn, &user_id)).await?;

    let Some(Credentials {
        password_hash: Some(hash),
        must_change_password,
    }) = credentials
    else {
        return Err(incorrect());
    };
    // Argon2 verification is deliberately slow: keep it off the async workers.
    let verified = tokio::task::spawn_blocking(move || passwords::verify(&password, &hash))
        .await
        .map_err(Problem::internal)?;
    if verified {
        Ok(Json(SignInResponse {
            must_change_password,
        }))
    } else {
        Err(incorrect())
    }
}

fn incorrect() -> Problem {
    Problem::new(
        StatusCode::UNAUTHORIZED,
        "Sign-in failed",
        "The user id or password is incorrect.",
    )
}
