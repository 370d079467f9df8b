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
    policy: SchemaIndex,
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
        let policy = compile("password-policy.schema.json");
        Contract {
            schemas,
            policy,
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
    // A request whose key another request holds (in flight).
    let held = app.state.in_flight.claim("reset u-1001 held").unwrap();
    let strong = reset_body(&["u-1042"], "Basalt-Quokka-Lantern-Tundra-58");
    responses.push(app.reset_with_key(&strong, "held").await);
    drop(held);

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
        [400, 400, 415, 422, 422, 422, 413, 404, 401, 404, 401, 401, 403, 422, 503, 429, 409]
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

/// One schema file, compiled on its own.
fn schema(name: &str) -> (Schemas, SchemaIndex) {
    let path = repo_dir("schema").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        json["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let url = format!("file:///schema/{name}");
    let mut schemas = Schemas::new();
    let mut compiler = Compiler::new();
    compiler.add_resource(&url, json).unwrap();
    let index = compiler
        .compile(&url, &mut schemas)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    (schemas, index)
}

pub(crate) fn assert_matches(name: &str, value: &Value) {
    let (schemas, index) = schema(name);
    if let Err(error) = schemas.validate(value, index) {
        panic!("{value} does not match {name}: {error:#}");
    }
}

fn rejects(name: &str, value: &Value) -> bool {
    let (schemas, index) = schema(name);
    schemas.validate(value, index).is_err()
}

#[tokio::test]
async fn the_user_side_requests_and_answers_match_their_schemas() {
    let app = TestApp::new();
    app.set_password_in_db("u-1044", "Temporary-Pass-1", true);
    let lee = TestApp::session_in_db(&app.state, "u-1044");

    // A must-change session, and the problems it meets.
    contract_session(&app.get_as(&lee, "/api/session").await.json());
    let refused = app.get_as(&lee, "/api/users").await;
    assert_matches("problem.schema.json", &refused.json());

    let change = json!({ "userId": "u-1044", "currentPassword": "Wrong-Pass-123", "newPassword": "My-Own-Choice-42" });
    assert_matches("password-change-request.schema.json", &change);
    let wrong = app.change_password(&lee, "k-1", &change).await;
    assert_eq!(wrong.status, 422);
    assert_matches("problem.schema.json", &wrong.json());
    let change = json!({ "userId": "u-1044", "currentPassword": "Temporary-Pass-1", "newPassword": "My-Own-Choice-42" });
    let changed = app.change_password(&lee, "k-2", &change).await;
    assert_eq!(changed.status, 200, "{}", changed.text());
    assert_matches("password-change-response.schema.json", &changed.json());
    assert!(rejects(
        "password-change-request.schema.json",
        &json!({ "userId": "u-1044", "currentPassword": "x", "newPassword": "short" })
    ));

    let ask = json!({ "login": "u-1042" });
    assert_matches("recovery-code-request.schema.json", &ask);
    let accepted = app.recovery("codes", &ask).await;
    assert_eq!(accepted.status, 202);
    assert_matches("recovery-code-response.schema.json", &accepted.json());
    let code = app
        .code_sent_to("diane.prescott@alt.contoso.test")
        .await
        .unwrap();
    let wrong = json!({ "login": "u-1042", "code": "not-it" });
    assert_matches("recovery-verification-request.schema.json", &wrong);
    let refused = app.recovery("verifications", &wrong).await;
    assert_eq!(refused.status, 400);
    assert_matches("problem.schema.json", &refused.json());
    let verified = app
        .recovery("verifications", &json!({ "login": "u-1042", "code": code }))
        .await;
    assert_eq!(verified.status, 200);
    assert_matches(
        "recovery-verification-response.schema.json",
        &verified.json(),
    );

    let complete = json!({ "recoveryToken": verified.json()["recoveryToken"], "newPassword": "Recovered-Pass-77" });
    assert_matches("recovery-completion-request.schema.json", &complete);
    let done = app.complete_recovery("k-3", &complete).await;
    assert_eq!(done.status, 200);
    assert_matches("recovery-completion-response.schema.json", &done.json());
    let gone = app.complete_recovery("k-4", &complete).await;
    assert_eq!(gone.status, 410);
    assert_matches("problem.schema.json", &gone.json());
    assert!(rejects(
        "problem.schema.json",
        &json!({ "type": "/problems/other", "title": "x", "status": 400, "detail": "x" })
    ));
}

fn contract_session(value: &Value) {
    assert_eq!(value["mustChangePassword"], true);
    assert_matches("session.schema.json", value);
}

#[tokio::test]
async fn the_served_policy_matches_its_schema() {
    let contract = Contract::load();
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("banned.txt");
    std::fs::write(&list, "Summer2026!\n").unwrap();
    for app in [
        TestApp::new(),
        TestApp::with_config(|c| {
            c.policy.min_length = Some(16);
            c.policy.require_classes = Some(3);
            c.policy_context_words = vec!["contoso".into()];
            c.policy_blocklist = Some(list.clone());
        }),
    ] {
        contract.assert_valid(
            contract.policy,
            &app.get("/api/password-policy").await.json(),
        );
    }
    assert!(!contract.valid(
        contract.policy,
        &json!({ "minLength": 12, "maxLength": 32, "minScore": 3, "requireClasses": 0 })
    ));
}
