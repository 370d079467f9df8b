//! RFC 9457 problem details: every error the API returns has this shape
//! (`application/problem+json`, see `schema/problem.schema.json`).
//!
//! Details are written by us. They may quote a user id or an e-mail address
//! from the request, but never a password field, so they cannot leak one.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// `about:blank` (the status code and title say what happened), or one
    /// of the `/problems/…` types a client must tell apart (see
    /// [`Problem::with_type`]).
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Which request fields are wrong, when the problem is about fields.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Sent as the `Retry-After` header (seconds), not in the body.
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldError {
    /// A path into the request: `resets`, `resets[2].password`, `deliverTo`…
    pub field: String,
    pub detail: String,
    /// For a password the policy refuses: the widget's reason code
    /// (`tooShort`, `tooWeak`, `containsUserInfo`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// With `code`: the policy's number it names (`tooShort`: the minimum).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            detail: detail.into(),
            code: None,
            limit: None,
        }
    }
}

impl Problem {
    pub fn new(status: StatusCode, title: impl Into<String>, detail: impl Into<String>) -> Problem {
        Problem {
            kind: "about:blank",
            title: title.into(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// A problem a client must recognise by more than its status, such as
    /// `/problems/password-change-required`.
    pub fn with_type(mut self, kind: &'static str) -> Problem {
        self.kind = kind;
        self
    }

    /// Adds a `Retry-After: seconds` header to the answer.
    pub fn with_retry_after(mut self, seconds: u64) -> Problem {
        self.retry_after = Some(seconds);
        self
    }

    pub fn with_error(mut self, field: impl Into<String>, detail: impl Into<String>) -> Problem {
        self.errors.push(FieldError::new(field, detail));
        self
    }

    /// 400: the body is not JSON or does not have the expected shape.
    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, "Malformed request", detail)
    }

    /// 422: well-formed, but some values are not acceptable. The detail
    /// repeats every field error so a plain client can show just `detail`.
    pub fn invalid_fields(errors: Vec<FieldError>) -> Problem {
        let detail = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.detail))
            .collect::<Vec<_>>()
            .join(" ");
        Problem {
            errors,
            ..Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid request", detail)
        }
    }

    /// 500 for anything unexpected; the cause goes to the log, not the client.
    pub fn internal(cause: impl std::fmt::Display) -> Problem {
        tracing::error!(%cause, "internal error");
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal server error",
            "The server failed to handle the request. Nothing was changed unless the response says so.",
        )
    }

    /// 503 with `Retry-After: 1`: every Argon2 permit is taken (see
    /// `passwords::HashPermits`), so the request was refused at once.
    pub fn server_busy() -> Problem {
        Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Server busy",
            "The server is busy checking other passwords. Try again in a second.",
        )
        .with_retry_after(1)
    }

    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a problem always serializes")
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut response = (self.status_code(), self.to_json()).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// 404 for unknown paths under `/api/`, so API clients always get JSON.
pub async fn api_not_found() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "Not found",
        "There is no API endpoint at this path.",
    )
}

/// 405 for a known API path with the wrong method.
pub async fn api_method_not_allowed() -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "Method not allowed",
        "This API endpoint does not support this HTTP method.",
    )
}
