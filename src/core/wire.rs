//! The JSON wire contract between the widget and the reset endpoint.
//!
//! `POST {endpoint}` with a [`ResetRequest`] body; a 2xx answer is a
//! [`ResetResponse`], a failure an RFC 9457 [`Problem`]. [`interpret`] turns
//! whatever came back into an [`Outcome`] the dialog can show, and never panics
//! on a body that is not what the contract says.

use serde::{Deserialize, Serialize};

use super::secret::Secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PasswordSource {
    Generated,
    Custom,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResetEntry {
    pub user_id: String,
    pub password: Secret,
}

/// The request body. The password travels here and nowhere else.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResetRequest {
    pub resets: Vec<ResetEntry>,
    pub password_source: PasswordSource,
    pub force_change_password_next_sign_in: bool,
    pub deliver_to: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResultStatus {
    Reset,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserResult {
    pub user_id: String,
    pub status: ResultStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    Sent,
    Queued,
    Failed,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Queued => "queued",
            Self::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    pub status: DeliveryStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A 2xx answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResetResponse {
    pub results: Vec<UserResult>,
    pub delivery: Delivery,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub detail: String,
}

/// An RFC 9457 problem details body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub errors: Vec<FieldError>,
}

/// Why a submission did not succeed.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The backend answered with an error status (a problem body if it sent one).
    Rejected {
        status: u16,
        problem: Option<Problem>,
        /// `Retry-After` in seconds, when a 429 or 503 said when to come back.
        retry_after: Option<u32>,
    },
    /// The answer was not the contract's shape (not JSON, HTML, missing fields).
    BadResponse { status: u16 },
    /// No answer: the network failed or the server is down.
    Network,
    /// No answer within the time limit.
    Timeout,
}

impl Failure {
    /// True when the backend may have applied the reset even though we saw no
    /// success: the dialog must keep the same password for the retry.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Self::Network | Self::Timeout | Self::BadResponse { .. } => true,
            Self::Rejected { status, .. } => *status >= 500 || *status == 429,
        }
    }

    /// The HTTP status for the error event (0 when nothing came back).
    pub fn status(&self) -> u16 {
        match self {
            Self::Rejected { status, .. } | Self::BadResponse { status } => *status,
            Self::Network | Self::Timeout => 0,
        }
    }

    /// 401 or 403: the admin's session expired or lacks the right. Nothing
    /// was reset; signing in again (elsewhere) and retrying is safe.
    pub fn is_authorization(&self) -> bool {
        matches!(
            self,
            Self::Rejected {
                status: 401 | 403,
                ..
            }
        )
    }

    /// Seconds to wait before a retry, when the backend said so.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            Self::Rejected { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Self::Rejected { problem, .. } => problem.as_ref(),
            _ => None,
        }
    }
}

pub type Outcome = Result<ResetResponse, Failure>;

/// Reads a `Retry-After` value given in seconds (the form 429 and 503 answers
/// use in practice). An HTTP date is not read: the dialog then just offers Retry.
pub fn parse_retry_after(value: Option<&str>) -> Option<u32> {
    value?.trim().parse::<u32>().ok().map(|s| s.min(3600))
}

/// The parts of an HTTP answer the dialog reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct Answer<'a> {
    pub status: u16,
    pub content_type: Option<&'a str>,
    pub retry_after: Option<&'a str>,
    pub body: &'a str,
}

/// Turns an HTTP answer into an [`Outcome`].
pub fn interpret_answer(answer: Answer<'_>) -> Outcome {
    let Answer {
        status,
        content_type,
        body,
        ..
    } = answer;
    let retry_after = if status == 429 || status == 503 {
        parse_retry_after(answer.retry_after)
    } else {
        None
    };
    match interpret(status, content_type, body) {
        Err(Failure::Rejected {
            status, problem, ..
        }) => Err(Failure::Rejected {
            status,
            problem,
            retry_after,
        }),
        other => other,
    }
}

/// Turns an HTTP answer (without headers but its content type) into an [`Outcome`].
pub fn interpret(status: u16, content_type: Option<&str>, body: &str) -> Outcome {
    let media_type = content_type
        .and_then(|c| c.split(';').next())
        .map(|c| c.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let is_json = media_type == "application/json" || media_type.ends_with("+json");
    if (200..300).contains(&status) {
        if !is_json {
            return Err(Failure::BadResponse { status });
        }
        return serde_json::from_str::<ResetResponse>(body)
            .ok()
            .filter(|r| !r.results.is_empty())
            .ok_or(Failure::BadResponse { status });
    }
    let problem = if is_json {
        serde_json::from_str::<Problem>(body).ok()
    } else {
        None
    };
    Err(Failure::Rejected {
        status,
        problem,
        retry_after: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> ResetRequest {
        ResetRequest {
            resets: vec![ResetEntry {
                user_id: "u-1042".into(),
                password: Secret::new("pw-1"),
            }],
            password_source: PasswordSource::Generated,
            force_change_password_next_sign_in: true,
            deliver_to: vec!["admin@contoso.com".into()],
        }
    }

    #[test]
    fn the_request_has_the_contracts_field_names() {
        let json: serde_json::Value = serde_json::to_value(request()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "resets": [{"userId": "u-1042", "password": "pw-1"}],
                "passwordSource": "generated",
                "forceChangePasswordNextSignIn": true,
                "deliverTo": ["admin@contoso.com"]
            })
        );
    }

    #[test]
    fn debug_of_a_request_hides_the_password() {
        assert!(!format!("{:?}", request()).contains("pw-1"));
    }

    #[test]
    fn a_success_is_read() {
        let body =
            r#"{"results":[{"userId":"u-1042","status":"reset"}],"delivery":{"status":"sent"}}"#;
        let r = interpret(200, Some("application/json; charset=utf-8"), body).unwrap();
        assert_eq!(r.results[0].status, ResultStatus::Reset);
        assert_eq!(r.delivery.status, DeliveryStatus::Sent);
    }

    #[test]
    fn a_problem_is_read_with_its_field_errors() {
        let body = r#"{"title":"Invalid request","status":422,"detail":"Check the address.","errors":[{"field":"deliverTo","detail":"x is not an address"}]}"#;
        let f = interpret(422, Some("application/problem+json"), body).unwrap_err();
        assert_eq!(f.problem().unwrap().errors[0].field, "deliverTo");
        assert!(!f.outcome_unknown());
    }

    #[test]
    fn answers_outside_the_contract_are_bad_responses_not_panics() {
        assert_eq!(
            interpret(200, Some("text/html"), "<html></html>"),
            Err(Failure::BadResponse { status: 200 })
        );
        assert_eq!(
            interpret(200, Some("application/json"), "{\"ok\":true}"),
            Err(Failure::BadResponse { status: 200 })
        );
        assert_eq!(
            interpret(200, Some("application/json"), "not json"),
            Err(Failure::BadResponse { status: 200 })
        );
        assert_eq!(
            interpret(200, None, ""),
            Err(Failure::BadResponse { status: 200 })
        );
        let html_error = interpret(502, Some("text/html"), "<h1>Bad gateway</h1>").unwrap_err();
        assert_eq!(
            html_error,
            Failure::Rejected {
                status: 502,
                problem: None,
                retry_after: None
            }
        );
        assert!(html_error.outcome_unknown());
    }

    #[test]
    fn retry_after_is_read_for_429_and_503_only() {
        let answer = |status, retry_after| Answer {
            status,
            content_type: Some("application/problem+json"),
            retry_after,
            body: r#"{"title":"Busy","status":503}"#,
        };
        assert_eq!(
            interpret_answer(answer(503, Some("2")))
                .unwrap_err()
                .retry_after(),
            Some(2)
        );
        assert_eq!(
            interpret_answer(answer(429, Some(" 30 ")))
                .unwrap_err()
                .retry_after(),
            Some(30)
        );
        assert_eq!(
            interpret_answer(answer(500, Some("2")))
                .unwrap_err()
                .retry_after(),
            None
        );
        assert_eq!(
            interpret_answer(answer(503, Some("Wed, 21 Oct 2026 07:28:00 GMT")))
                .unwrap_err()
                .retry_after(),
            None
        );
        assert_eq!(
            parse_retry_after(Some("999999")),
            Some(3600),
            "capped at an hour"
        );
    }

    #[test]
    fn authorization_failures_are_known_not_to_have_reset() {
        for status in [401, 403] {
            let f = interpret(
                status,
                Some("application/problem+json"),
                r#"{"title":"Sign-in required"}"#,
            )
            .unwrap_err();
            assert!(f.is_authorization());
            assert!(!f.outcome_unknown());
        }
    }
}
