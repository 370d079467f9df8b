//! One `Idempotency-Key`, twenty requests at once, over real TCP against
//! the real router and SQLite file: the reset is applied exactly once; every
//! other request is told at once that it is in progress (409) or gets the
//! first one's answer replayed.

use std::sync::{Arc, Barrier};

use reset_backend::idempotency::IN_PROGRESS;
use reset_backend::passwords;
use serde_json::Value;

use crate::common::{reset_body, TestApp};
use crate::end_to_end::{parse, reset_request};

const KEY: &str = "c0ffee00-1d3a-4e5f-8a9b-0c1d2e3f4a5b";
const PASSWORD: &str = "Basalt-Quokka-Lantern-Tundra-58";
const USERS: [&str; 5] = ["u-1042", "u-1043", "u-1044", "u-1045", "u-1046"];
const REQUESTS: usize = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_requests_with_one_key_reset_each_user_once() {
    // Enough permits that no request is refused as busy (503): what stops
    // the duplicates is the key, not the permits.
    let app = TestApp::with_config(|config| config.hash_permits = 64);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let body = reset_body(&USERS, PASSWORD);
    let start = Arc::new(Barrier::new(REQUESTS));
    let clients: Vec<_> = (0..REQUESTS)
        .map(|_| {
            let (start, admin, body) = (start.clone(), app.admin.clone(), body.clone());
            tokio::task::spawn_blocking(move || {
                start.wait();
                parse(&reset_request(addr, &admin, KEY, &body).unwrap())
            })
        })
        .collect();
    let mut answers = Vec::new();
    for client in clients {
        answers.push(client.await.unwrap());
    }

    let applied: Vec<_> = answers
        .iter()
        .filter(|(status, head, _)| *status == 200 && !head.contains("idempotent-replayed"))
        .collect();
    assert_eq!(
        applied.len(),
        1,
        "exactly one request applied: {answers:#?}"
    );
    let first = &applied[0].2;
    let mut in_progress = 0;
    for (status, head, text) in &answers {
        match status {
            200 if head.contains("idempotent-replayed: true") => {
                assert_eq!(text, first, "a replay is the first answer, byte for byte")
            }
            200 => {}
            409 => {
                in_progress += 1;
                assert!(
                    head.contains("content-type: application/problem+json"),
                    "{head}"
                );
                assert!(head.contains("retry-after: 1\r\n"), "{head}");
                let problem: Value = serde_json::from_str(text).unwrap();
                assert_eq!(problem["type"], IN_PROGRESS);
                assert_eq!(problem["status"], 409);
                assert!(!text.contains(PASSWORD));
            }
            _ => panic!("neither the answer, a replay nor 409: {status} {head}{text}"),
        }
    }
    assert!(
        in_progress > 0,
        "the requests that came while the first ran were told so at once: {answers:#?}"
    );

    // The client's retry, once the first has finished, gets its answer.
    let admin = app.admin.clone();
    let retry = tokio::task::spawn_blocking(move || {
        parse(&reset_request(addr, &admin, KEY, &reset_body(&USERS, PASSWORD)).unwrap())
    })
    .await
    .unwrap();
    assert_eq!(retry.0, 200);
    assert!(retry.1.contains("idempotent-replayed: true"), "{}", retry.1);
    assert_eq!(&retry.2, first);

    // One reset each, one audit row each (a 409 or a replay writes none),
    // one record, one e-mail; the password sent is the one stored.
    let db = app.sqlite();
    for user in USERS {
        assert_eq!(
            app.resets_of(user).await,
            (1, vec![KEY.to_owned()]),
            "{user}"
        );
        let audit: Vec<String> = db
            .prepare("SELECT outcome FROM audit WHERE subject_id = ?1")
            .unwrap()
            .query_map([user], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(audit, ["reset"], "{user}");
        let hash: String = db
            .query_row(
                "SELECT password_hash FROM users WHERE id = ?1",
                [user],
                |r| r.get(0),
            )
            .unwrap();
        assert!(passwords::verify(PASSWORD, &hash), "{user}");
    }
    let records: i64 = db
        .query_row("SELECT COUNT(*) FROM idempotency", [], |r| r.get(0))
        .unwrap();
    assert_eq!(records, 1);
    assert_eq!(app.outbox().await.len(), 1, "one e-mail");
}

/// While a request holds the key, another with it is answered 409 at once:
/// nothing applied, nothing audited; once the key is free, the same request
/// is processed.
#[tokio::test]
async fn a_request_whose_key_is_held_is_told_to_come_back() {
    let app = TestApp::new();
    let body = reset_body(&["u-1042"], PASSWORD);
    let held = app
        .state
        .in_flight
        .claim(&format!("reset u-1001 {KEY}"))
        .unwrap();
    let busy = app.reset_with_key(&body, KEY).await;
    let problem = busy.typed_problem(409, IN_PROGRESS);
    assert_eq!(problem["title"], "Request in progress");
    assert_eq!(busy.header("retry-after"), "1");
    assert_eq!(app.resets_of("u-1042").await.0, 0);
    let audited: i64 = app
        .sqlite()
        .query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))
        .unwrap();
    assert_eq!(audited, 0, "a 409 is no refusal to audit");
    // A request without a key is not held back.
    assert_eq!(app.reset(&body).await.status, 200);

    drop(held);
    let applied = app.reset_with_key(&body, KEY).await;
    assert_eq!(applied.status, 200, "{}", applied.text());
    assert_eq!(applied.header("idempotent-replayed"), "");
    assert_eq!(app.resets_of("u-1042").await, (2, vec![KEY.to_owned()]));
}
