//! No request type prints a password: each is read from JSON as a handler
//! reads it, and its `Debug` (the only way to print it: none has `Display`)
//! holds none of the secrets sent, while the fields do hold them.

use crate::passwords::Password;
use crate::routes::password_changes::ChangeRequest;
use crate::routes::recovery::{CompletionRequest, VerificationRequest, VerificationResponse};
use crate::routes::resets::wire::ResetRequest;
use crate::routes::sign_in::SignInRequest;

const SECRETS: [&str; 4] = [
    "Vq8#tLm2!pZx9wRk",
    "Harbor-Velvet-Quarry-Nimbus-7",
    "83412975",
    "tok_6Fh2Kq9ZpW3rXv8LmN4sT1yB",
];

fn printed_without_secrets(debug: String) {
    for secret in SECRETS {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    assert!(debug.contains("<redacted>"), "{debug}");
}

#[test]
fn a_password_prints_as_redacted_and_reads_as_itself() {
    let password = Password::new(SECRETS[0]);
    assert_eq!(format!("{password:?}"), "<redacted>");
    assert_eq!(format!("{:?}", Some(&password)), "Some(<redacted>)");
    assert_eq!(&*password, SECRETS[0]);
    assert_eq!(
        serde_json::to_string(&password).unwrap(),
        format!("\"{}\"", SECRETS[0])
    );
}

#[test]
fn reset_requests_never_print_a_password() {
    let request: ResetRequest = serde_json::from_str(&format!(
        r#"{{"resets":[{{"userId":"u-1042","password":"{}"}},{{"userId":"u-1043","password":"{}"}}],
            "passwordSource":"custom","forceChangePasswordNextSignIn":true,"deliverTo":[]}}"#,
        SECRETS[0], SECRETS[1]
    ))
    .unwrap();
    assert_eq!(request.resets[1].password.as_deref(), Some(SECRETS[1]));
    let debug = format!("{request:?}");
    assert!(debug.contains("u-1043"), "{debug}");
    printed_without_secrets(debug);
    printed_without_secrets(format!("{:#?}", request.clone()));
}

#[test]
fn change_requests_never_print_a_password() {
    let request: ChangeRequest = serde_json::from_str(&format!(
        r#"{{"userId":"u-1042","currentPassword":"{}","newPassword":"{}"}}"#,
        SECRETS[0], SECRETS[1]
    ))
    .unwrap();
    assert_eq!(&*request.current_password, SECRETS[0]);
    assert_eq!(&*request.new_password, SECRETS[1]);
    let debug = format!("{request:?}");
    for secret in SECRETS {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    printed_without_secrets(format!("{:?}", request.new_password));
}

#[test]
fn recovery_requests_and_answers_never_print_a_code_token_or_password() {
    let verification: VerificationRequest = serde_json::from_str(&format!(
        r#"{{"login":"diane@contoso.com","code":"{}"}}"#,
        SECRETS[2]
    ))
    .unwrap();
    assert_eq!(&*verification.code, SECRETS[2]);
    printed_without_secrets(format!("{verification:?}"));

    let answer = VerificationResponse {
        recovery_token: Password::new(SECRETS[3]),
        expires_in_seconds: 900,
    };
    assert!(serde_json::to_string(&answer).unwrap().contains(SECRETS[3]));
    printed_without_secrets(format!("{answer:?}"));

    let completion: CompletionRequest = serde_json::from_str(&format!(
        r#"{{"recoveryToken":"{}","newPassword":"{}"}}"#,
        SECRETS[3], SECRETS[1]
    ))
    .unwrap();
    assert_eq!(&*completion.new_password, SECRETS[1]);
    printed_without_secrets(format!("{completion:?}"));

    // What the service issued, before it is e-mailed.
    let issued = crate::recovery::Issued::Code {
        user_id: "u-1042".into(),
        to: "diane@example.net".into(),
        code: Password::new(SECRETS[2]),
    };
    printed_without_secrets(format!("{issued:?}"));
}

#[test]
fn sign_in_requests_never_print_a_password() {
    let request: SignInRequest = serde_json::from_str(&format!(
        r#"{{"userId":"u-1042","password":"{}"}}"#,
        SECRETS[0]
    ))
    .unwrap();
    assert_eq!(&*request.password, SECRETS[0]);
    printed_without_secrets(format!("{request:?}"));
}

#[test]
fn step_up_requests_never_print_a_password() {
    let request: crate::routes::step_up::StepUpRequest =
        serde_json::from_str(&format!(r#"{{"password":"{}"}}"#, SECRETS[1])).unwrap();
    assert_eq!(&*request.password, SECRETS[1]);
    printed_without_secrets(format!("{request:?}"));
}
