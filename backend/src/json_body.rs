//! Strict parsing of JSON request bodies.
//!
//! We do not use axum's `Json` extractor because its error messages quote
//! the offending value, and that value may be a password. Here a shape error
//! names the field and what was expected, never what was sent.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::error::Category;
use serde_path_to_error::Segment;

use crate::problem::Problem;

/// Checks the content type and body size, then deserializes `T`.
/// 415 for another content type, 413 for a body over the limit, 400 for
/// anything that is not JSON of the expected shape.
pub fn parse<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<T, Problem> {
    require_json_content_type(headers)?;
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Request too large",
                "The request body is too large.",
            )
        } else {
            Problem::bad_request("The request body could not be read.")
        }
    })?;
    from_slice(&bytes)
}

fn require_json_content_type(headers: &HeaderMap) -> Result<(), Problem> {
    let essence = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(str::trim);
    match essence {
        Some(essence) if essence.eq_ignore_ascii_case("application/json") => Ok(()),
        _ => Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported media type",
            "Send the request body as JSON with `Content-Type: application/json`.",
        )),
    }
}

/// Deserializes `T`, turning any error into a 400 problem that is safe to
/// show: it carries the field path, never a value from the body.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let mut segments: Vec<&Segment> = error.path().iter().collect();
        if error.inner().to_string().starts_with("unknown field") {
            // The last segment is the unknown key itself: a client value.
            segments.pop();
        }
        shape_problem(&format_path(&segments), error.inner())
    })?;
    // Reject trailing garbage after the JSON value.
    deserializer
        .end()
        .map_err(|error| shape_problem("", &error))?;
    Ok(value)
}

fn shape_problem(path: &str, error: &serde_json::Error) -> Problem {
    let full = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    let message = full.strip_suffix(&position).unwrap_or(&full);

    if matches!(
        error.classify(),
        Category::Syntax | Category::Eof | Category::Io
    ) {
        // serde_json's syntax messages ("expected `,` or `}`") never quote input.
        return Problem::bad_request(format!(
            "The request body is not valid JSON: {message} (line {}, column {}).",
            error.line(),
            error.column()
        ));
    }

    // Data errors: serde writes "<what was found>, expected <what we wanted>".
    // Only the second half comes from our own types, so only it is repeated.
    let expected = message
        .split_once(", expected ")
        .map(|(_, expected)| expected);
    let (field, detail) = if let Some(name) = message.strip_prefix("missing field ") {
        let name = name.trim_matches('`');
        (join(path, name), "This field is required.".to_owned())
    } else if message.starts_with("unknown field") {
        let allowed = expected.unwrap_or("no other fields");
        (
            path.to_owned(),
            format!("Unknown field (the name is not repeated here); expected {allowed}."),
        )
    } else if message.starts_with("duplicate field") {
        (path.to_owned(), "A field appears twice.".to_owned())
    } else if let Some(expected) = expected {
        (path.to_owned(), format!("Expected {expected}."))
    } else {
        (path.to_owned(), "Invalid value.".to_owned())
    };

    let summary = if field.is_empty() {
        detail.clone()
    } else {
        format!("{field}: {detail}")
    };
    let problem = Problem::bad_request(format!(
        "The request body does not have the expected shape. {summary}"
    ));
    if field.is_empty() {
        problem
    } else {
        problem.with_error(field, detail)
    }
}

/// The 400 for a required field that is missing, as a shape error says it:
/// for a field that only some requests need (a reset's password is absent
/// only when `passwordSource` is `unchanged`).
pub fn missing_field(field: &str) -> Problem {
    let detail = "This field is required.";
    Problem::bad_request(format!(
        "The request body does not have the expected shape. {field}: {detail}"
    ))
    .with_error(field, detail)
}

/// `resets[0].password`, as `serde_path_to_error` writes it; "" for the root.
fn format_path(segments: &[&Segment]) -> String {
    let mut path = String::new();
    for segment in segments {
        if !path.is_empty() && !matches!(segment, Segment::Seq { .. }) {
            path.push('.');
        }
        path.push_str(&segment.to_string());
    }
    path
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[allow(dead_code)]
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Outer {
        items: Vec<Inner>,
        flag: bool,
    }

    #[allow(dead_code)]
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Inner {
        secret: String,
    }

    fn problem(body: &str) -> Problem {
        from_slice::<Outer>(body.as_bytes()).unwrap_err()
    }

    #[test]
    fn never_echoes_values() {
        for body in [
            r#"{"items":[{"secret":"hunter2hunter2"}],"flag":"hunter2hunter2"}"#,
            r#"{"items":[{"secret":"hunter2hunter2","x":1}],"flag":true}"#,
            r#"{"items":[{"secret":"hunter2hunter2"}],"flag":true,"hunter2hunter2":1}"#,
            r#"{"items":[{"hunter2hunter2":"a"}],"flag":true}"#,
            r#"{"items":"hunter2hunter2","flag":true}"#,
            r#"{"items":[{"secret":"hunter2hunter2"}],"flag":true} hunter2hunter2"#,
            r#"{"items":[{"secret":"hunter2hunter2"#,
            r#""hunter2hunter2""#,
        ] {
            let json = problem(body).to_json();
            assert!(!json.contains("hunter2"), "{body} -> {json}");
        }
    }

    #[test]
    fn names_the_field() {
        let p = problem(r#"{"items":[{"secret":5}],"flag":true}"#);
        assert_eq!(p.status, 400);
        assert_eq!(p.errors[0].field, "items[0].secret");
        assert_eq!(p.errors[0].detail, "Expected a string.");

        let p = problem(r#"{"items":[{"secret":"x","other":1}],"flag":true}"#);
        assert_eq!(p.errors[0].field, "items[0]");
        assert_eq!(
            p.errors[0].detail,
            "Unknown field (the name is not repeated here); expected `secret`."
        );

        let p = problem(r#"{"items":[]}"#);
        assert_eq!(p.errors[0].field, "flag");
        assert_eq!(p.errors[0].detail, "This field is required.");

        let p = problem("{");
        assert!(p.errors.is_empty());
        assert!(
            p.detail.starts_with("The request body is not valid JSON"),
            "{}",
            p.detail
        );
    }
}
