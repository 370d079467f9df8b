//! Endpoints for end-to-end tests, routed only with `--test-mode` (a flag,
//! on a loopback address only). Each needs an administrator's session and
//! its CSRF token ([`AdminSession`]), as the reset does: 401, then 403.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::db::{self, User};
use crate::directory::Directory;
use crate::faults::ArmRequest;
use crate::json_body;
use crate::passwords;
use crate::problem::{FieldError, Problem};
use crate::routes::auth::AdminSession;
use crate::state::AppState;

/// `POST /api/test/faults`: arm a fault (see `faults.rs`). 204 on success.
pub async fn arm_fault(
    State(state): State<AppState>,
    _admin: AdminSession,
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
pub async fn disarm_faults(State(state): State<AppState>, _admin: AdminSession) -> StatusCode {
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
    _admin: AdminSession,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<ResetCount>, Problem> {
    let user_id = query.get("userId").cloned().ok_or_else(|| {
        Problem::bad_request("The userId query parameter is required.")
            .with_error("userId", "Required.")
    })?;
    let (count, keys) = db::call(&state.db, move |conn| db::resets_of(conn, &user_id)).await?;
    Ok(Json(ResetCount { count, keys }))
}

/// The body of `POST /api/test/users`. Every field is optional to the
/// parser so that a missing one is a 422 naming it, like an empty one.
#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "an object with id, name and email (and isAdmin)"
)]
pub struct NewUser {
    pub id: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    /// An administrator (whose reset needs a step-up); false by default.
    #[serde(default)]
    pub is_admin: bool,
}

/// Longest accepted user id and name, in characters.
const MAX_FIELD_CHARS: usize = 200;

/// `POST /api/test/users` with `{"id","name","email"}` (and optionally
/// `"isAdmin": true`): adds a user, not an administrator unless asked, who
/// has no usable password (the hash of a random
/// secret nobody keeps, as the seeded users have). 201 with the user as
/// `GET /api/users` lists it; 409 when the id exists; 422 when a field is
/// missing, empty or (the address) not an e-mail address; 400/415 for a body
/// that is not such JSON. With `--directory ldap` the users live in the
/// directory, which this backend does not add entries to: 501, nothing
/// written (add the user to the directory instead).
pub async fn create_user(
    State(state): State<AppState>,
    _admin: AdminSession,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<User>), Problem> {
    if let Directory::Ldap(_) = state.directory {
        return Err(Problem::new(
            StatusCode::NOT_IMPLEMENTED,
            "Not with an LDAP directory",
            "Test users are created in the embedded SQLite directory only; this backend's users live in an LDAP directory. Add the user there. Nothing was changed.",
        ));
    }
    let request: NewUser = json_body::parse(&headers, body)?;
    let user = validate_new_user(request)?;

    let hash = passwords::unknown_password_hash().to_owned();
    let created = {
        let user = user.clone();
        db::call(&state.db, move |conn| {
            db::insert_user(
                conn,
                &user.id,
                &user.name,
                &user.email,
                &hash,
                user.is_admin,
            )
        })
        .await?
    };
    if !created {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            "User exists",
            "A user with this id already exists. Nothing was changed.",
        )
        .with_error("id", "A user with this id already exists."));
    }
    tracing::info!(user = %user.id, "test user created");
    Ok((StatusCode::CREATED, Json(user)))
}

fn validate_new_user(request: NewUser) -> Result<User, Problem> {
    let mut errors = Vec::new();
    let mut required = |field: &str, value: Option<String>| -> String {
        let value = value.unwrap_or_default().trim().to_owned();
        if value.is_empty() {
            errors.push(FieldError::new(field, "This field is required."));
        } else if value.chars().count() > MAX_FIELD_CHARS {
            errors.push(FieldError::new(
                field,
                format!("Must be at most {MAX_FIELD_CHARS} characters."),
            ));
        }
        value
    };
    let is_admin = request.is_admin;
    let id = required("id", request.id);
    let name = required("name", request.name);
    let email = required("email", request.email);
    if !email.is_empty() && email.parse::<lettre::Address>().is_err() {
        errors.push(FieldError::new("email", "Not a valid e-mail address."));
    }
    if errors.is_empty() {
        Ok(User {
            id,
            name,
            email,
            is_admin,
        })
    } else {
        Err(Problem::invalid_fields(errors))
    }
}
