//! The JSON Schema files in `schema/` describe what the server really
//! accepts and sends: checked against live requests and responses.

use boon::{Compiler, SchemaIndex, Schemas};
use serde_json::{json, Value};

use crate::common::{repo_dir, reset_body, TestApp};

struct Contract {
    schemas: Schemas,
    request: SchemaIndex,
    response: SchemaIndex,
    problem: SchemaIndex,
    session: SchemaIndex,
}

impl Contract {
    fn load() -> Contract {
        let mut schemas = Schemas::new();
        let mut compiler = Compiler::new();
        let mut compile = |name: &str| {
            let path = repo_dir("schema").join(name);
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
            let json: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(
                json["$schema"],
                "https://json-schema.org/draft/2020-12/schema"
            );
            let url = format!("file:///schema/{name}");
            compiler.add_resource(&url, json).unwrap();
            compiler
                .compile(&url, &mut schemas)
                .unwrap_or_else(|e| panic!("{name}: {e}"))
        };
        let request = compile("reset-request.schema.json");
        let response = compile("reset-response.schema.json");
        let problem = compile("problem.schema.json");
        let session = compile("session.schema.json");
        Contract {
            schemas,
            request,
            response,
            problem,
            session,
        }
    }

    fn valid(&self, schema: SchemaIndex, value: &Value) -> bool {
        self.schemas.validate(value, schema).is_ok()
    }

    fn assert_valid(&self, schema: SchemaIndex, value: &Value) {
        if let Err(error) = self.schemas.validate(value, schema) {
            panic!("{value} does not match its schema: {error:#}");
        }
    }
}

#[test]
fn the_request_schema_matches_the_documented_rules() {
    let contract = Contract::load();
    let valid = reset_body(&["u-1042"], "Correct-Horse-1");
    contract.assert_valid(contract.request, &valid);
    let mut empty_deliver_to = valid.clone();
    empty_deliver_to["deliverTo"] = json!([]);
    contract.assert_valid(contract.request, &empty_deliver_to);

    let ids: Vec<String> = (0..41).map(|i| format!("u-{i}")).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    assert!(contract.valid(contract.request, &reset_body(&ids[..40], "Correct-Horse-1")));
    assert!(
        !contract.valid(contract.request, &reset_body(&ids, "Correct-Horse-1")),
        "maxItems 40"
    );
    assert!(
        !contract.valid(contract.request, &reset_body(&[], "Correct-Horse-1")),
        "minItems 1"
    );
    assert!(
        !contract.valid(contract.request, &reset_body(&["u-1042"], "")),
        "minLength 1"
    );
    assert!(contract.valid(contract.request, &reset_body(&["u-1042"], &"é".repeat(256))));
    assert!(
        !contract.valid(contract.request, &reset_body(&["u-1042"], &"é".repeat(257))),
        "maxLength 256"
    );

    for (pointer, value) in [
        ("/passwordSource", json!("typed")),
        ("/forceChangePasswordNextSignIn", json!("yes")),
        ("/deliverTo", json!("adele@contoso.com")),
        ("/resets/0/password", json!(12345678)),
        ("/extra", json!(1)),
        ("/resets/0/extra", json!(1)),
    ] {
        let mut body = valid.clone();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        body.pointer_mut(if parent.is_empty() { "" } else { parent })
            .unwrap()[key] = value;
        assert!(
            !contract.valid(contract.request, &body),
            "{pointer} should be rejected: {body}"
        );
    }
    for field in [
        "resets",
        "passwordSource",
        "forceChangePasswordNextSignIn",
        "deliverTo",
    ] {
        let mut body = valid.clone();
        body.as_object_mut().unwrap().remove(field);
        assert!(
            !contract.valid(contract.request, &body),
            "{field} is required"
        );
    }
}

#[tokio::test]
async fn live_responses_match_the_response_schema() {
    let contract = Contract::load();
    let app = TestApp::new();

    let mut no_mail = reset_body(&["u-1044"], "Correct-Horse-1");
    no_mail["deliverTo"] = json!([]);
    for body in [
        reset_body(&["u-1042"], "Correct-Horse-1"),
        reset_body(&["u-1042", "u-9999"], "Correct-Horse-1"),
        reset_body(&["u-9998", "u-9999"], "Correct-Horse-1"),
        no_mail,
    ] {
        contract.assert_valid(contract.request, &body);
        let response = app.reset(&body).await;
        assert_eq!(response.status, 200);
        contract.assert_valid(contract.response, &response.json());
    }

    // The schema is strict about what the widget may rely on.
    for bad in [
        json!({ "results": [{ "userId": "u-1", "status": "failed" }], "delivery": { "status": "sent" } }),
        json!({ "results": [{ "userId": "u-1", "status": "done" }], "delivery": { "status": "sent" } }),
        json!({ "results": [{ "userId": "u-1", "status": "reset" }], "delivery": { "status": "pending" } }),
        json!({ "results": [], "delivery": { "status": "sent" } }),
    ] {
        assert!(!contract.valid(contract.response, &bad), "{bad}");
    }
}

#[tokio::test]
async fn live_problems_match_the_problem_schema() {
    let contract = Contract::load();
    let app = TestApp::new();
    let json = [("content-type", "application/json")];
    let mut bad_address = reset_body(&["u-1042"], "Correct-Horse-1");
    bad_address["deliverTo"] = json!(["nobody@"]);
    let ids: Vec<String> = (0..41).map(|i| format!("u-{i}")).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();

    let mut responses = vec![
        app.post_reset(&json, "{not json").await,
        app.reset(&json!({ "resets": 1 })).await,
        app.post_reset(&[], "{}").await,
        app.reset(&reset_body(&[], "Correct-Horse-1")).await,
        app.reset(&reset_body(&["u-1042"], "short")).await,
        app.reset(&bad_address).await,
        app.reset(&reset_body(&ids, "Correct-Horse-1")).await,
        app.reset(&reset_body(&["u-9999"], "Correct-Horse-1")).await,
        app.sign_in("u-1042", "wrong-password").await,
        app.get("/api/nope").await,
        app.post_raw("/api/password-resets", &json, "{}").await,
        app.get("/api/session").await,
        app.post_raw(
            "/api/password-resets",
            &[json[0], ("cookie", &app.admin.cookie)],
            "{}",
        )
        .await,
    ];
    app.reset_with_key(&reset_body(&["u-1042"], "Correct-Horse-1"), "k")
        .await;
    responses.push(
        app.reset_with_key(&reset_body(&["u-1042"], "Correct-Horse-2"), "k")
            .await,
    );
    app.arm(json!({ "fault": "status", "status": 503 })).await;
    responses.push(app.reset(&reset_body(&["u-1042"], "Correct-Horse-1")).await);
    for _ in 0..5 {
        app.sign_in("u-1044", "wrong-password").await;
    }
    responses.push(app.sign_in("u-1044", "wrong-password").await);

    let mut statuses = Vec::new();
    for response in &responses {
        assert_eq!(
            response.header("content-type"),
            "application/problem+json",
            "{}",
            response.text()
        );
        contract.assert_valid(contract.problem, &response.json());
        statuses.push(response.status.as_u16());
    }
    assert_eq!(
        statuses,
        [400, 400, 415, 422, 422, 422, 413, 404, 401, 404, 401, 401, 403, 422, 503, 429]
    );
}

#[tokio::test]
async fn live_sessions_match_the_session_schema() {
    let contract = Contract::load();
    let app = TestApp::new();
    let signed_in = app
        .start_session("u-1001", reset_backend::config::DEMO_ADMIN_PASSWORD)
        .await;
    assert_eq!(signed_in.status, 200);
    contract.assert_valid(contract.session, &signed_in.json());
    let read = app
        .request(
            axum::http::Method::GET,
            "/api/session",
            &[("cookie", &app.admin.cookie)],
            axum::body::Body::empty(),
        )
        .await;
    contract.assert_valid(contract.session, &read.json());

    let mut short_token = read.json();
    short_token["csrfToken"] = json!("abc");
    assert!(!contract.valid(contract.session, &short_token));
    let mut extra = read.json();
    extra["email"] = json!("adele@contoso.com");
    assert!(!contract.valid(contract.session, &extra));
}
