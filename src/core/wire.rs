//! The JSON wire contract between the widget and the reset endpoint.
//!
//! `POST {endpoint}` with a [`ResetRequest`] body; a 2xx answer is a
//! [`ResetResponse`], a failure an RFC 9457 [`Problem`]. [`interpret`] turns
//! whatever came back into an [`Outcome`] the dialog can show, and never panics
//! on a body that is not what the contract says.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use std::rc::Rc;

use super::secret::Secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PasswordSource {
    Generated,
    Custom,
    /// Keep each user's password and only require a change at the next sign-in.
    Unchanged,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResetEntry {
    pub user_id: String,
    /// None when the user keeps their password (`PasswordSource::Unchanged`).
    /// Shared with the dialog's state (`Rc`), not copied: a request is made
    /// from the state for each send, and serialised at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<Rc<Secret>>,
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
    /// The password stays; a change is required at the next sign-in.
    Required,
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
    /// The policy's reason (`tooShort`, `onBlocklist`, ...), when the field
    /// is a new password the policy refused: the dialog says it in its language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The policy's number the reason names (`tooShort`: the minimum length).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// An RFC 9457 problem details body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// The problem's `type`, for the few a client must recognise (such as
    /// [`IN_PROGRESS`] and [`STEP_UP_REQUIRED`]).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub errors: Vec<FieldError>,
}

/// The `type` of a 409 that says a request with the same Idempotency-Key is
/// still being processed: not a failure; the same request goes again, with
/// the same key, after `Retry-After` (see `dialog::kit::submission`).
pub const IN_PROGRESS: &str = "/problems/request-in-progress";

/// Why a submission did not succeed.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The backend answered with an error status (a problem body if it sent one).
    Rejected {
        status: u16,
        problem: Option<Problem>,
        /// `Retry-After` in seconds, when a 409, 429 or 503 said when to come back.
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
            Self::Rejected { status, .. } => *status >= 500 || *status == 429 || self.in_progress(),
        }
    }

    /// A 409 [`IN_PROGRESS`]: an earlier attempt with this key is still
    /// being applied, so this one did nothing and its answer is still to come.
    pub fn in_progress(&self) -> bool {
        matches!(
            self,
            Self::Rejected { status: 409, problem: Some(p), .. }
                if p.kind.as_deref() == Some(IN_PROGRESS)
        )
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

    /// A 403 whose problem is of type [`STEP_UP_REQUIRED`] (relative, as the
    /// reference backend sends it, or absolute on any host): the admin must
    /// confirm their own password, then the same request may be sent again.
    pub fn is_step_up_required(&self) -> bool {
        matches!(self, Self::Rejected { status: 403, .. })
            && self
                .problem()
                .and_then(|p| p.kind.as_deref())
                .is_some_and(|kind| kind.ends_with(STEP_UP_REQUIRED))
    }
}

/// The problem `type` of a reset that needs the acting administrator to
/// confirm their own password first (step-up, "sudo mode"): a reset of
/// another administrator's password.
pub const STEP_UP_REQUIRED: &str = "/problems/step-up-required";

/// The step-up request: the signed-in administrator's own password, sent
/// when a reset was refused with [`STEP_UP_REQUIRED`]. A 2xx answer is a
/// [`StatusResponse`] (`{"status": "confirmed"}`); a wrong password a
/// problem with a field error on [`STEP_UP_PASSWORD_FIELD`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepUpRequest {
    pub password: Rc<Secret>,
}

/// The wire contract's field of the step-up's password.
pub const STEP_UP_PASSWORD_FIELD: &str = "password";

pub type Outcome = Result<ResetResponse, Failure>;

/// A 2xx answer's body, as a flow expects it for its request.
pub trait Response: DeserializeOwned {
    /// False for JSON of the right shape that still cannot be the answer.
    fn is_complete(&self) -> bool {
        true
    }
}

impl Response for ResetResponse {
    fn is_complete(&self) -> bool {
        !self.results.is_empty()
    }
}

/// `<change-password>`'s request: the signed-in user's own password.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeRequest {
    pub user_id: String,
    /// Shared with the dialog's state (`Rc`), as [`ResetEntry::password`].
    pub current_password: Rc<Secret>,
    pub new_password: Rc<Secret>,
}

/// The wire contract's fields of a change, for the backend's field errors.
pub const CURRENT_PASSWORD_FIELD: &str = "currentPassword";
pub const NEW_PASSWORD_FIELD: &str = "newPassword";

/// A 2xx answer that only says what happened: `{"status": "changed"}` for a
/// change, `{"status": "reset"}` for a recovery's completion.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StatusResponse {
    pub status: String,
}

impl Response for StatusResponse {
    fn is_complete(&self) -> bool {
        !self.status.is_empty()
    }
}

/// `<recover-password>`, step 1: ask for a code (`POST {endpoint}/codes`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeRequest {
    pub login: String,
}

/// `<recover-password>`, step 2: prove the code (`POST {endpoint}/verifications`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerificationRequest {
    pub login: String,
    /// Shared with the dialog's state (`Rc`), as [`ResetEntry::password`].
    pub code: Rc<Secret>,
}

/// The answer to a verification: what lets the user set a new password.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerificationResponse {
    /// Read once, then shared with the dialog's state (`Rc`).
    pub recovery_token: Rc<Secret>,
    pub expires_in_seconds: u32,
}

impl Response for VerificationResponse {
    fn is_complete(&self) -> bool {
        !self.recovery_token.is_empty()
    }
}

/// `<recover-password>`, step 3: the new password (`POST {endpoint}/completions`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompletionRequest {
    /// Shared with the dialog's state (`Rc`), as [`ResetEntry::password`].
    pub recovery_token: Rc<Secret>,
    pub new_password: Rc<Secret>,
}

/// The field of a verification's error.
pub const CODE_FIELD: &str = "code";

/// A transport's answer as it came: the transport does not know what was
/// asked, the flow that asked reads it ([`Reply::interpret`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub content_type: Option<String>,
    pub retry_after: Option<String>,
    pub body: String,
    /// The clock when the answer arrived, for a `Retry-After` given as a date.
    pub now_unix_seconds: u64,
}

impl Reply {
    /// The answer for a request whose 2xx body is a `T`.
    pub fn interpret<T: Response>(&self) -> Result<T, Failure> {
        interpret_answer_as(Answer {
            status: self.status,
            content_type: self.content_type.as_deref(),
            retry_after: self.retry_after.as_deref(),
            body: &self.body,
            now_unix_seconds: self.now_unix_seconds,
        })
    }
}

/// The headers of a reset request, whatever carries it (HTTP or the page's
/// transport): the contract's own, then the page's extra ones (the `headers`
/// attribute, which may not replace the contract's: see `config`).
pub fn request_headers<'a>(
    idempotency_key: &'a str,
    extra: &'a [(String, String)],
) -> impl Iterator<Item = (&'a str, &'a str)> {
    [
        ("Content-Type", "application/json"),
        ("Accept", "application/json, application/problem+json"),
        ("Idempotency-Key", idempotency_key),
    ]
    .into_iter()
    .chain(extra.iter().map(|(n, v)| (n.as_str(), v.as_str())))
}

/// The longest wait the dialog counts down; a longer one is shown as an hour.
const MAX_RETRY_AFTER: u32 = 3600;

/// Reads a `Retry-After` value: seconds, or an HTTP date (IMF-fixdate, e.g.
/// `Wed, 21 Oct 2026 07:28:00 GMT`, the form RFC 9110 says senders use),
/// which becomes the seconds from `now_unix_seconds` until then (0 when it
/// has passed). Capped at an hour; `None` for anything else.
pub fn parse_retry_after(value: Option<&str>, now_unix_seconds: u64) -> Option<u32> {
    let value = value?.trim();
    if let Ok(seconds) = value.parse::<u32>() {
        return Some(seconds.min(MAX_RETRY_AFTER));
    }
    let until = parse_http_date(value)?;
    let wait = until.saturating_sub(now_unix_seconds);
    Some(wait.min(u64::from(MAX_RETRY_AFTER)) as u32)
}

/// Seconds since 1970 of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn parse_http_date(text: &str) -> Option<u64> {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let parts: Vec<&str> = text.split(' ').collect();
    let [day_name, day, month, year, time, "GMT"] = parts[..] else {
        return None;
    };
    let day_name = day_name.strip_suffix(',')?;
    if !DAYS.contains(&day_name) || day.len() != 2 || year.len() != 4 || time.len() != 8 {
        return None;
    }
    let number = |t: &str| -> Option<u64> {
        t.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| t.parse().ok())
            .flatten()
    };
    let (day, year) = (number(day)?, number(year)?);
    let month = MONTHS.iter().position(|m| *m == month)? as u64 + 1;
    let mut clock = time.split(':').map(number);
    let (h, m, s) = (clock.next()??, clock.next()??, clock.next()??);
    if !(1..=31).contains(&day) || year < 1970 || h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some(days_since_epoch(year, month, day) * 86_400 + h * 3600 + m * 60 + s)
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar
/// (Howard Hinnant's `days_from_civil`, for years from 1970).
fn days_since_epoch(year: u64, month: u64, day: u64) -> u64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The parts of an HTTP answer the dialog reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct Answer<'a> {
    pub status: u16,
    pub content_type: Option<&'a str>,
    pub retry_after: Option<&'a str>,
    pub body: &'a str,
    /// The clock when the answer arrived, for a `Retry-After` given as a date.
    pub now_unix_seconds: u64,
}

/// Turns an HTTP answer to a reset into an [`Outcome`].
pub fn interpret_answer(answer: Answer<'_>) -> Outcome {
    interpret_answer_as(answer)
}

/// Turns an HTTP answer into a `T` or a [`Failure`].
pub fn interpret_answer_as<T: Response>(answer: Answer<'_>) -> Result<T, Failure> {
    let Answer {
        status,
        content_type,
        body,
        ..
    } = answer;
    let retry_after = if matches!(status, 409 | 429 | 503) {
        parse_retry_after(answer.retry_after, answer.now_unix_seconds)
    } else {
        None
    };
    match interpret_as::<T>(status, content_type, body) {
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

/// Turns an HTTP answer to a reset (without headers but its content type)
/// into an [`Outcome`].
pub fn interpret(status: u16, content_type: Option<&str>, body: &str) -> Outcome {
    interpret_as(status, content_type, body)
}

/// Turns an HTTP answer (without headers but its content type) into a `T`
/// or a [`Failure`].
pub fn interpret_as<T: Response>(
    status: u16,
    content_type: Option<&str>,
    body: &str,
) -> Result<T, Failure> {
    let media_type = content_type
        .and_then(|c| c.split(';').next())
        .map(|c| c.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let is_json = media_type == "application/json" || media_type.ends_with("+json");
    if (200..300).contains(&status) {
        if !is_json {
            return Err(Failure::BadResponse { status });
        }
        return super::json::from_str::<T>(body)
            .ok()
            .filter(T::is_complete)
            .ok_or(Failure::BadResponse { status });
    }
    let problem = if is_json {
        super::json::from_str::<Problem>(body).ok()
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
                password: Some(Rc::new(Secret::new("pw-1"))),
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
    fn retry_after_is_read_for_409_429_and_503_only() {
        let answer = |status, retry_after| Answer {
            status,
            content_type: Some("application/problem+json"),
            retry_after,
            body: r#"{"title":"Busy","status":503}"#,
            // Wed, 21 Oct 2026 07:26:00 GMT
            now_unix_seconds: 1_792_567_560,
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
            Some(120),
            "an HTTP date: the seconds until then"
        );
        assert_eq!(
            parse_retry_after(Some("999999"), 0),
            Some(3600),
            "capped at an hour"
        );
    }

    #[test]
    fn a_409_request_in_progress_is_recognised_by_its_type() {
        let answer = |body| Answer {
            status: 409,
            content_type: Some("application/problem+json"),
            retry_after: Some("1"),
            body,
            now_unix_seconds: 0,
        };
        let in_progress = interpret_answer(answer(
            r#"{"type":"/problems/request-in-progress","title":"Request in progress","status":409,"detail":"Still running."}"#,
        ))
        .unwrap_err();
        assert!(in_progress.in_progress());
        assert!(
            in_progress.outcome_unknown(),
            "the earlier attempt may apply"
        );
        assert_eq!(in_progress.retry_after(), Some(1));
        let other = interpret_answer(answer(r#"{"title":"Conflict","status":409}"#)).unwrap_err();
        assert!(!other.in_progress(), "another 409 is a refusal");
        assert!(!other.outcome_unknown());
    }

    #[test]
    fn requests_carry_the_contracts_headers_then_the_pages() {
        let extra = vec![("X-CSRF-Token".to_string(), "t0k".to_string())];
        let headers: Vec<_> = request_headers("key-1", &extra).collect();
        assert_eq!(
            headers,
            vec![
                ("Content-Type", "application/json"),
                ("Accept", "application/json, application/problem+json"),
                ("Idempotency-Key", "key-1"),
                ("X-CSRF-Token", "t0k"),
            ]
        );
    }

    #[test]
    fn retry_after_dates_are_read_exactly() {
        // RFC 9110's own example, and the epoch.
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        // 29 February of a leap year, and the first day after it.
        assert_eq!(
            parse_http_date("Thu, 01 Mar 2029 00:00:00 GMT").unwrap()
                - parse_http_date("Wed, 28 Feb 2029 00:00:00 GMT").unwrap(),
            86_400
        );
        assert_eq!(
            parse_http_date("Wed, 01 Mar 2028 00:00:00 GMT").unwrap()
                - parse_http_date("Mon, 28 Feb 2028 00:00:00 GMT").unwrap(),
            2 * 86_400
        );
        let now = parse_http_date("Wed, 21 Oct 2026 07:28:00 GMT").unwrap();
        assert_eq!(
            parse_retry_after(Some("Wed, 21 Oct 2026 07:27:00 GMT"), now),
            Some(0),
            "a date that has passed: retry now"
        );
        assert_eq!(
            parse_retry_after(Some("Thu, 22 Oct 2026 07:28:00 GMT"), now),
            Some(3600),
            "a day away: capped at an hour"
        );
        for bad in [
            "21 Oct 2026 07:28:00 GMT",
            "Wed, 21 Oct 2026 07:28:00 UTC",
            "Wed, 21 Oct 2026 7:28:00 GMT",
            "Wed, 32 Oct 2026 07:28:00 GMT",
            "Wed, 21 Okt 2026 07:28:00 GMT",
            "Wed, 21 Oct 2026 24:00:00 GMT",
            "Wednesday, 21-Oct-26 07:28:00 GMT",
            "soon",
            "-5",
        ] {
            assert_eq!(parse_retry_after(Some(bad), now), None, "{bad}");
        }
    }

    #[test]
    fn a_step_up_is_recognised_by_its_problem_type() {
        let body = |kind: &str| {
            format!(
                r#"{{"type":"{kind}","title":"Confirm your password","status":403,"detail":"x"}}"#
            )
        };
        let step_up = interpret(
            403,
            Some("application/problem+json"),
            &body(STEP_UP_REQUIRED),
        )
        .unwrap_err();
        assert!(step_up.is_step_up_required());
        assert!(step_up.is_authorization() && !step_up.outcome_unknown());
        let absolute = body("https://api.contoso.com/problems/step-up-required");
        assert!(interpret(403, Some("application/problem+json"), &absolute)
            .unwrap_err()
            .is_step_up_required());
        for (status, kind) in [(403, "about:blank"), (401, STEP_UP_REQUIRED)] {
            assert!(
                !interpret(status, Some("application/problem+json"), &body(kind))
                    .unwrap_err()
                    .is_step_up_required(),
                "{status} {kind}"
            );
        }
        let request = StepUpRequest {
            password: std::rc::Rc::new(Secret::new("my-own-secret-1")),
        };
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            serde_json::json!({ "password": "my-own-secret-1" })
        );
        assert!(!format!("{request:?}").contains("my-own-secret-1"));
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
