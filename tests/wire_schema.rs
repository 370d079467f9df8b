//! The widget's wire types against the JSON Schemas in `schema/` (native):
//! what the widget sends is valid, and what a contract-abiding backend sends
//! is read.
#![cfg(not(target_arch = "wasm32"))]

use boon::{Compiler, SchemaIndex, Schemas};
use password_reset_widget::core::secret::Secret;
use password_reset_widget::core::wire::{
    interpret, DeliveryStatus, PasswordSource, ResetEntry, ResetRequest, ResultStatus,
};
use serde_json::{json, Value};

fn schema(name: &str) -> (Schemas, SchemaIndex) {
    let path = format!("{}/schema/{name}", env!("CARGO_MANIFEST_DIR"));
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut schemas = Schemas::new();
    let mut compiler = Compiler::new();
    let url = format!("file:///schema/{name}");
    compiler.add_resource(&url, json).unwrap();
    let index = compiler.compile(&url, &mut schemas).unwrap();
    (schemas, index)
}

fn request(n: usize, source: PasswordSource, deliver_to: &[&str]) -> ResetRequest {
    ResetRequest {
        resets: (0..n)
            .map(|i| ResetEntry {
                user_id: format!("u-{i}"),
                password: Some(Secret::new(format!("Quokka-Tundra-{i:03}")).into()),
            })
            .collect(),
        password_source: source,
        force_change_password_next_sign_in: true,
        deliver_to: deliver_to.iter().map(|s| s.to_string()).collect(),
    }
}

#[test]
fn the_requests_the_widget_sends_match_the_request_schema() {
    let (schemas, index) = schema("reset-request.schema.json");
    for r in [
        request(1, PasswordSource::Generated, &["admin@contoso.com"]),
        request(1, PasswordSource::Custom, &[]),
        request(
            40,
            PasswordSource::Generated,
            &["admin@contoso.com", "it@contoso.com"],
        ),
    ] {
        let value = serde_json::to_value(&r).unwrap();
        if let Err(e) = schemas.validate(&value, index) {
            panic!("{e:#}");
        }
    }
    // The schema is strict enough to catch a wrong request.
    let too_many = serde_json::to_value(request(41, PasswordSource::Generated, &[])).unwrap();
    assert!(schemas.validate(&too_many, index).is_err());
    let mut renamed = serde_json::to_value(request(1, PasswordSource::Generated, &[])).unwrap();
    renamed["deliver_to"] = renamed["deliverTo"].take();
    assert!(schemas.validate(&renamed, index).is_err());
}

#[test]
fn the_widget_reads_every_answer_the_response_schemas_allow() {
    let (responses, response) = schema("reset-response.schema.json");
    let (problems, problem) = schema("problem.schema.json");
    let ok = json!({
        "results": [{"userId": "u-1", "status": "reset"}, {"userId": "u-2", "status": "failed", "detail": "No user with this id."}],
        "delivery": {"status": "queued", "detail": "Written to the outbox."}
    });
    responses.validate(&ok, response).unwrap();
    let read = interpret(200, Some("application/json"), &ok.to_string()).unwrap();
    assert_eq!(read.results[1].status, ResultStatus::Failed);
    assert_eq!(read.delivery.status, DeliveryStatus::Queued);

    let refused = json!({
        "type": "about:blank", "title": "Invalid request", "status": 422,
        "detail": "deliverTo: \"x\" is not an e-mail address.",
        "errors": [{"field": "deliverTo", "detail": "\"x\" is not an e-mail address."}]
    });
    problems.validate(&refused, problem).unwrap();
    let failure =
        interpret(422, Some("application/problem+json"), &refused.to_string()).unwrap_err();
    assert_eq!(failure.problem().unwrap().errors[0].field, "deliverTo");
}

#[test]
fn the_change_the_widget_sends_and_the_answer_it_reads_match_their_schemas() {
    use password_reset_widget::core::wire::{interpret_as, ChangeRequest, StatusResponse};
    let (schemas, index) = schema("password-change-request.schema.json");
    let change = ChangeRequest {
        user_id: "u-1042".into(),
        current_password: Secret::new("Temp-Quokka-1").into(),
        new_password: Secret::new("Quokka-Marmalade-Tundra-48").into(),
    };
    let value = serde_json::to_value(&change).unwrap();
    if let Err(e) = schemas.validate(&value, index) {
        panic!("{e:#}");
    }
    let mut renamed = value.clone();
    renamed["new_password"] = renamed["newPassword"].take();
    assert!(schemas.validate(&renamed, index).is_err());

    let (answers, answer) = schema("password-change-response.schema.json");
    let ok = json!({"status": "changed"});
    answers.validate(&ok, answer).unwrap();
    let read: StatusResponse =
        interpret_as(200, Some("application/json"), &ok.to_string()).unwrap();
    assert_eq!(read.status, "changed");
}

#[test]
fn the_step_up_the_widget_sends_and_the_answers_it_reads_match_their_schemas() {
    use password_reset_widget::core::wire::{interpret_as, StatusResponse, StepUpRequest};
    let (schemas, index) = schema("step-up-request.schema.json");
    let request = StepUpRequest {
        password: Secret::new("Contoso-Admin-Demo-2026").into(),
    };
    let value = serde_json::to_value(&request).unwrap();
    if let Err(e) = schemas.validate(&value, index) {
        panic!("{e:#}");
    }
    let empty = serde_json::to_value(StepUpRequest {
        password: Secret::new("").into(),
    })
    .unwrap();
    assert!(schemas.validate(&empty, index).is_err());

    let (answers, answer) = schema("step-up-response.schema.json");
    let ok = json!({"status": "confirmed", "expiresInSeconds": 300});
    answers.validate(&ok, answer).unwrap();
    let read: StatusResponse =
        interpret_as(200, Some("application/json"), &ok.to_string()).unwrap();
    assert_eq!(read.status, "confirmed");

    let (problems, problem) = schema("problem.schema.json");
    let required = json!({
        "type": "/problems/step-up-required", "title": "Confirm your password", "status": 403,
        "detail": "Resetting an administrator's password needs your own password. Nothing was changed."
    });
    problems.validate(&required, problem).unwrap();
    let failure =
        interpret(403, Some("application/problem+json"), &required.to_string()).unwrap_err();
    assert!(failure.is_step_up_required());
    let wrong = json!({
        "type": "about:blank", "title": "Invalid request", "status": 422,
        "detail": "password: The password is wrong.",
        "errors": [{"field": "password", "detail": "The password is wrong."}]
    });
    problems.validate(&wrong, problem).unwrap();
}
