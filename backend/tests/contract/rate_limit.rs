//! Sign-in attempts are limited per user id, on `/api/session` and
//! `/api/sign-in` together: 429 with `Retry-After` without checking the
//! password; a success clears the count.

use std::time::Duration;

use reset_backend::config::DEMO_ADMIN_PASSWORD;

use crate::common::{TestApp, TestResponse};

fn limited(limit: u32, window_secs: u64) -> TestApp {
    TestApp::with_config(|config| {
        config.sign_in_limit = limit;
        config.sign_in_window_secs = window_secs;
    })
}

fn retry_after(response: &TestResponse) -> u64 {
    response.header("retry-after").parse().unwrap_or_else(|_| {
        panic!(
            "no numeric Retry-After: {:?}",
            response.header("retry-after")
        )
    })
}

#[tokio::test]
async fn the_sixth_attempt_within_five_minutes_is_a_429_even_with_the_right_password() {
    let app = TestApp::new(); // the defaults: 5 in 300 s
    for attempt in 0..5 {
        let wrong = app
            .start_session("u-1001", &format!("Wrong-Guess-{attempt}"))
            .await;
        assert_eq!(wrong.problem(401)["title"], "Sign-in failed");
    }
    let blocked = app.start_session("u-1001", DEMO_ADMIN_PASSWORD).await;
    let problem = blocked.problem(429);
    assert_eq!(problem["title"], "Too many sign-in attempts");
    let seconds = retry_after(&blocked);
    // Rounded up from what is left of the 300 s since the first failure.
    assert!((200..=300).contains(&seconds), "{seconds}");
    assert_eq!(
        problem["detail"],
        format!("Too many failed sign-in attempts for this user. Try again in {seconds} seconds.")
    );
    assert_eq!(blocked.set_cookie(), "", "no session");
    assert_eq!(blocked.header("cache-control"), "no-store");

    // The same counter guards /api/sign-in; other users are not affected.
    let also = app.sign_in("u-1001", DEMO_ADMIN_PASSWORD).await;
    also.problem(429);
    assert!(retry_after(&also) >= 1);
    app.sign_in("u-1042", "Wrong-Guess-x").await.problem(401);
}

#[tokio::test]
async fn both_endpoints_count_and_success_resets_the_counter() {
    let app = limited(3, 300);
    app.start_session("u-1001", "Wrong-Guess-1")
        .await
        .problem(401);
    app.sign_in("u-1001", "Wrong-Guess-2").await.problem(401);
    // A success forgives the two failures...
    assert_eq!(app.sign_in("u-1001", DEMO_ADMIN_PASSWORD).await.status, 200);
    // ...so three more failures are allowed before the 429.
    for guess in ["a", "b", "c"] {
        app.start_session("u-1001", &format!("Wrong-Guess-{guess}"))
            .await
            .problem(401);
    }
    app.start_session("u-1001", DEMO_ADMIN_PASSWORD)
        .await
        .problem(429);
}

#[tokio::test]
async fn unknown_user_ids_are_limited_like_known_ones() {
    let app = limited(2, 300);
    for _ in 0..2 {
        app.sign_in("u-9999", "Wrong-Guess-1").await.problem(401);
    }
    let blocked = app.sign_in("u-9999", "Wrong-Guess-1").await;
    blocked.problem(429);
    assert!(retry_after(&blocked) > 0);
}

#[tokio::test]
async fn the_block_ends_when_the_window_moves_on() {
    // One failure in 4 s (Argon2 in a debug build under a loaded test run
    // can take over a second, so the window must not be shorter). The
    // sliding window itself is unit-tested with a fake clock in
    // `src/rate_limit.rs`.
    let app = limited(1, 4);
    app.start_session("u-1001", "Wrong-Guess-1")
        .await
        .problem(401);
    let blocked = app.start_session("u-1001", DEMO_ADMIN_PASSWORD).await;
    blocked.problem(429);
    let wait = retry_after(&blocked);
    assert!((1..=4).contains(&wait), "{wait}");
    tokio::time::sleep(Duration::from_secs(wait) + Duration::from_millis(100)).await;
    let response = app.start_session("u-1001", DEMO_ADMIN_PASSWORD).await;
    assert_eq!(response.status, 200, "{}", response.text());
}

#[tokio::test]
async fn bad_bodies_do_not_count() {
    let app = limited(1, 300);
    for _ in 0..3 {
        app.post_raw(
            "/api/session",
            &[("content-type", "application/json")],
            "{\"userId\":\"u-1001\"}",
        )
        .await
        .problem(400);
    }
    assert_eq!(
        app.start_session("u-1001", DEMO_ADMIN_PASSWORD)
            .await
            .status,
        200
    );
}
