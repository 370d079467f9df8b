//! Fault injection for end-to-end tests of the widget (test mode only).
//!
//! `POST /api/test/faults` arms one fault for the next N password-reset
//! requests (requests refused for want of an admin session or CSRF token
//! do not count: they never reach the injector); `DELETE /api/test/faults` disarms it. Arming a new fault
//! replaces the previous one. The faults mimic what a real network and a
//! real directory do to a client:
//!
//! | body                                         | effect on the reset request                       |
//! |----------------------------------------------|---------------------------------------------------|
//! | `{"fault":"status","status":503,"times":1}`  | answers that status as problem+json, resets nothing |
//! | `{"fault":"status","status":503,"retryAfter":2}` | the same, with a `Retry-After: 2` header        |
//! | `{"fault":"drop-response","times":1}`        | resets (and stores the idempotency record), then closes the connection without answering |
//! | `{"fault":"delay","ms":20000,"times":1}`     | waits, then proceeds normally                     |
//! | `{"fault":"html","times":1}`                 | resets nothing, answers 200 `text/html` (a login page, as a proxy would) |

use std::sync::Mutex;
use std::time::Duration;

use serde::Deserialize;

/// What to do to one reset request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The status, and the `Retry-After` seconds if any.
    Status(u16, Option<u64>),
    DropResponse,
    Delay(Duration),
    Html,
}

/// Body of `POST /api/test/faults`.
#[derive(Debug, Deserialize)]
#[serde(tag = "fault", rename_all = "kebab-case", deny_unknown_fields)]
pub enum ArmRequest {
    Status {
        status: u16,
        #[serde(default, rename = "retryAfter")]
        retry_after: Option<u64>,
        #[serde(default = "once")]
        times: u32,
    },
    DropResponse {
        #[serde(default = "once")]
        times: u32,
    },
    Delay {
        ms: u64,
        #[serde(default = "once")]
        times: u32,
    },
    Html {
        #[serde(default = "once")]
        times: u32,
    },
}

fn once() -> u32 {
    1
}

impl ArmRequest {
    /// The fault and how many requests it applies to, or why it is refused.
    pub fn validate(self) -> Result<(Fault, u32), String> {
        let (fault, times) = match self {
            ArmRequest::Status {
                status,
                retry_after,
                times,
            } if (400..=599).contains(&status) => (Fault::Status(status, retry_after), times),
            ArmRequest::Status { .. } => return Err("status must be between 400 and 599".into()),
            ArmRequest::DropResponse { times } => (Fault::DropResponse, times),
            ArmRequest::Delay { ms, times } if ms <= 600_000 => {
                (Fault::Delay(Duration::from_millis(ms)), times)
            }
            ArmRequest::Delay { .. } => return Err("ms must be at most 600000".into()),
            ArmRequest::Html { times } => (Fault::Html, times),
        };
        if times == 0 {
            return Err("times must be at least 1".into());
        }
        Ok((fault, times))
    }
}

/// The armed fault, if any, and how many more requests it applies to.
#[derive(Debug, Default)]
pub struct Faults {
    armed: Mutex<Option<(Fault, u32)>>,
}

impl Faults {
    pub fn arm(&self, fault: Fault, times: u32) {
        *self.lock() = Some((fault, times));
    }

    pub fn disarm(&self) {
        *self.lock() = None;
    }

    /// The fault for the current request, counting it down.
    pub fn take(&self) -> Option<Fault> {
        let mut armed = self.lock();
        let (fault, remaining) = (*armed)?;
        *armed = (remaining > 1).then_some((fault, remaining - 1));
        Some(fault)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(Fault, u32)>> {
        self.armed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down_then_disarms() {
        let faults = Faults::default();
        assert_eq!(faults.take(), None);
        faults.arm(Fault::Html, 2);
        assert_eq!(faults.take(), Some(Fault::Html));
        assert_eq!(faults.take(), Some(Fault::Html));
        assert_eq!(faults.take(), None);
        faults.arm(Fault::Status(503, None), 5);
        faults.disarm();
        assert_eq!(faults.take(), None);
    }

    #[test]
    fn parses_the_documented_bodies() {
        let parse = |body: &str| serde_json::from_str::<ArmRequest>(body).unwrap().validate();
        assert_eq!(
            parse(r#"{"fault":"status","status":503,"times":1}"#),
            Ok((Fault::Status(503, None), 1))
        );
        assert_eq!(
            parse(r#"{"fault":"status","status":429,"retryAfter":2}"#),
            Ok((Fault::Status(429, Some(2)), 1))
        );
        assert_eq!(
            parse(r#"{"fault":"drop-response"}"#),
            Ok((Fault::DropResponse, 1))
        );
        assert_eq!(
            parse(r#"{"fault":"delay","ms":20000,"times":3}"#),
            Ok((Fault::Delay(Duration::from_millis(20000)), 3))
        );
        assert_eq!(parse(r#"{"fault":"html","times":1}"#), Ok((Fault::Html, 1)));
        assert!(parse(r#"{"fault":"status","status":200}"#).is_err());
        assert!(parse(r#"{"fault":"html","times":0}"#).is_err());
    }
}
