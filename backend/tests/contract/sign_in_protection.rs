//! Sign-in under attack: Argon2 runs behind a few permits (503 with
//! `Retry-After: 1` at once when none is free), and the rate limits count
//! per user id *and* per client address, so a flood of made-up ids neither
//! locks anyone out nor wipes a real id's failures.

use std::time::{Duration, Instant};

use reset_backend::config::DEMO_ADMIN_PASSWORD;

use crate::common::{reset_body, TestApp, TestResponse};

fn busy(response: &TestResponse) {
    let problem = response.problem(503);
    assert_eq!(problem["title"], "Server busy");
    assert_eq!(response.header("retry-after"), "1");
    assert_eq!(response.header("content-type"), "application/problem+json");
}

#[tokio::test]
async fn with_every_hash_permit_taken_a_sign_in_is_a_503_at_once() {
    let app = TestApp::with_config(|config| {
        config.hash_permits = 1;
        config.sign_in_limit = 1;
    });
    let held = app.state.hash_permits.try_acquire().expect("one permit");
    let started = Instant::now();
    busy(&app.sign_in("u-1001", DEMO_ADMIN_PASSWORD).await);
    busy(&app.start_session("u-1001", DEMO_ADMIN_PASSWORD).await);
    busy(&app.sign_in("made-up", "Wrong-Guess-1").await);
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "answered at once, not queued: {:?}",
        started.elapsed()
    );
    // Resets hash too.
    busy(
        &app.reset(&reset_body(&["u-1042"], "Permit-Test-Pass-1"))
            .await,
    );
    assert_eq!(
        app.start_session("u-1001", DEMO_ADMIN_PASSWORD)
            .await
            .set_cookie(),
        ""
    );

    // Refused attempts were not counted as failures (the limit is 1).
    drop(held);
    let response = app.start_session("u-1001", DEMO_ADMIN_PASSWORD).await;
    assert_eq!(response.status, 200, "{}", response.text());
}

#[tokio::test]
async fn a_flood_of_made_up_ids_from_one_address_locks_out_neither_the_admin_nor_a_real_ids_count()
{
    // A small address limit keeps the Argon2 work of a debug build short;
    // `src/rate_limit.rs` runs the same flood against the defaults.
    let app = TestApp::with_config(|config| {
        config.sign_in_limit = 2;
        config.sign_in_client_limit = 3;
    });
    let (attacker, admin, user) = ("203.0.113.7:4000", "198.51.100.1:5000", "192.0.2.9:6000");
    // A real id's failure before the flood (one more blocks it).
    app.sign_in_from(user, "u-1042", "Wrong-Guess-0")
        .await
        .problem(401);

    let mut statuses = std::collections::BTreeMap::new();
    for i in 0..10_000 {
        let response = app
            .sign_in_from(attacker, &format!("made-up-{i}"), "Wrong-Guess-1")
            .await;
        *statuses.entry(response.status.as_u16()).or_insert(0) += 1;
    }
    assert_eq!(
        statuses,
        [(401, 3), (429, 10_000 - 3)].into_iter().collect(),
        "stopped by the address's limit"
    );
    let refused = app
        .sign_in_from(attacker, "made-up-x", "Wrong-Guess-1")
        .await;
    assert_eq!(
        refused.problem(429)["detail"],
        format!(
            "Too many failed sign-in attempts from your address. Try again in {} seconds.",
            refused.header("retry-after")
        )
    );

    // The admin, from another address, signs in.
    let response = app.sign_in_from(admin, "u-1001", DEMO_ADMIN_PASSWORD).await;
    assert_eq!(response.status, 200, "{}", response.text());

    // The real id's failure was not forgotten: the second one blocks it.
    app.sign_in_from(admin, "u-1042", "Wrong-Guess-2")
        .await
        .problem(401);
    let blocked = app.sign_in_from(admin, "u-1042", "Wrong-Guess-3").await;
    assert_eq!(
        blocked.problem(429)["detail"]
            .as_str()
            .unwrap()
            .split(". ")
            .next(),
        Some("Too many failed sign-in attempts for this user")
    );
}
