//! `POST /api/sign-in`.

use serde_json::json;

use crate::common::TestApp;

#[tokio::test]
async fn unknown_users_and_bad_bodies_are_refused() {
    let app = TestApp::new();
    let unknown = app.sign_in("u-9999", "whatever-password").await;
    assert_eq!(
        unknown.problem(401)["detail"],
        "The user id or password is incorrect."
    );
    assert_eq!(unknown.header("cache-control"), "no-store");

    let malformed = app
        .post_raw(
            "/api/sign-in",
            &[("content-type", "application/json")],
            "{\"userId\":",
        )
        .await;
    malformed.problem(400);
    let wrong_shape = app
        .post_json(
            "/api/sign-in",
            &json!({ "user": "u-1042", "password": "x" }),
        )
        .await;
    wrong_shape.problem(400);
}
