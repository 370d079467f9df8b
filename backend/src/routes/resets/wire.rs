//! The JSON of `POST /api/password-resets`, as `schema/reset-*.schema.json`
//! describes it. Passwords never reach a `Debug` print.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::passwords::Password;

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    expecting = "a password-reset request object"
)]
pub struct ResetRequest {
    pub resets: Vec<ResetEntry>,
    pub password_source: PasswordSource,
    pub force_change_password_next_sign_in: bool,
    /// Who gets the notification e-mail; may be empty.
    pub deliver_to: Vec<String>,
}

#[derive(Clone, Deserialize, Serialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    expecting = "an object with userId and password"
)]
pub struct ResetEntry {
    pub user_id: String,
    /// Absent when `passwordSource` is `unchanged` (only a change is required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<Password>,
}

/// Never print a password, even in a debug log.
impl fmt::Debug for ResetEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResetEntry")
            .field("user_id", &self.user_id)
            .field("password", &"<redacted>")
            .finish()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PasswordSource {
    Generated,
    Custom,
    /// Keep each user's password and require a change at the next sign-in.
    Unchanged,
}

impl PasswordSource {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            PasswordSource::Generated => "generated",
            PasswordSource::Custom => "custom",
            PasswordSource::Unchanged => "unchanged",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct ResetResponse {
    pub results: Vec<ResetResult>,
    pub delivery: Delivery,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResetResult {
    pub user_id: String,
    pub status: ResultStatus,
    /// Present on `failed` entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResultStatus {
    Reset,
    /// `passwordSource: unchanged`: the password stays, a change is required.
    Required,
    Failed,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct Delivery {
    pub status: DeliveryStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    Sent,
    Queued,
    Failed,
}

impl Delivery {
    pub(super) fn new(status: DeliveryStatus, detail: impl Into<String>) -> Delivery {
        Delivery {
            status,
            detail: Some(detail.into()),
        }
    }
}

/// The body of a 200 answer (also what an idempotency record keeps).
pub(super) fn to_json(response: &ResetResponse) -> String {
    serde_json::to_string(response).expect("responses always serialize")
}
