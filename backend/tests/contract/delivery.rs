//! With `SMTP_URL`: the real e-mail carries the password, the outbox copy
//! never does. A tiny in-test SMTP server (plain, on loopback, as
//! `smtp://127.0.0.1:…?tls=none` allows) stands in for the mail relay; the
//! TLS forms are tested end to end (`tests/e2e/smtp-tls.test.mjs`).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use reset_backend::{router, AppState};
use serde_json::json;
use tower::ServiceExt;

use crate::common::{reset_body, TestApp};

const PASSWORD: &str = "Smtp-Canary-Password-31";
const KEY: &str = "a4a5b0b2-1f56-4a57-9d1e-2c9e77f0a001";

/// What one SMTP session delivered: the envelope's recipients (`RCPT TO`)
/// and the message (headers and body) as it came, with CRLF line ends.
struct Received {
    recipients: Vec<String>,
    data: String,
}

/// Accepts one SMTP session and returns the message it received. With
/// `reject`, the message is refused after DATA.
fn fake_smtp(reject: bool) -> (u16, JoinHandle<String>) {
    let (port, server) = recording_smtp(reject);
    (
        port,
        std::thread::spawn(move || server.join().unwrap().data),
    )
}

fn recording_smtp(reject: bool) -> (u16, JoinHandle<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut writer = stream;
        let mut reply = |text: &str| writer.write_all(format!("{text}\r\n").as_bytes()).unwrap();
        reply("220 fake.test ESMTP");
        let mut data = String::new();
        let mut recipients = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            let command = line.to_ascii_uppercase();
            if command.starts_with("EHLO") || command.starts_with("HELO") {
                reply("250 fake.test");
            } else if command.starts_with("MAIL") {
                reply("250 OK");
            } else if command.starts_with("RCPT") {
                let address = line.trim_end()["RCPT TO:".len()..].trim();
                recipients.push(address.trim_matches(['<', '>']).to_owned());
                reply("250 OK");
            } else if command.starts_with("DATA") {
                reply("354 Go ahead");
                loop {
                    line.clear();
                    reader.read_line(&mut line).unwrap();
                    if line == ".\r\n" {
                        break;
                    }
                    data.push_str(&line);
                }
                reply(if reject {
                    "554 Rejected by policy"
                } else {
                    "250 Queued"
                });
            } else if command.starts_with("QUIT") {
                reply("221 Bye");
                break;
            } else {
                reply("502 Not implemented");
            }
        }
        Received { recipients, data }
    });
    (port, server)
}

/// The URL of the in-test server: plain SMTP, allowed to loopback only.
fn plain_url(port: u16) -> String {
    format!("smtp://127.0.0.1:{port}?tls=none")
}

#[tokio::test]
async fn the_mail_server_gets_the_password_and_the_outbox_a_masked_copy() {
    let (port, server) = fake_smtp(false);
    let app = TestApp::with_config(|config| config.smtp_url = Some(plain_url(port)));

    let response = app
        .reset_with_key(&reset_body(&["u-1042"], PASSWORD), KEY)
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(
        response.json()["delivery"],
        json!({ "status": "sent", "detail": "Sent to adele@contoso.com." })
    );
    assert!(!response.text().contains(PASSWORD));

    let data = tokio::task::spawn_blocking(move || server.join().unwrap())
        .await
        .unwrap();
    let unfolded = data.replace("=\r\n", ""); // undo quoted-printable soft breaks
    assert!(data.contains("To: adele@contoso.com"), "{data}");
    assert!(
        data.contains("Subject: Password reset for Diane Prescott (u-1042)"),
        "{data}"
    );
    assert!(
        unfolded.contains(&format!("Temporary password: {PASSWORD}")),
        "{data}"
    );

    let outbox = app.outbox().await;
    assert_eq!(outbox[0]["status"], "sent");
    assert!(!outbox[0].to_string().contains(PASSWORD));

    // The idempotency record was updated: a replay reports the final status.
    let replay = app
        .reset_with_key(&reset_body(&["u-1042"], PASSWORD), KEY)
        .await;
    assert_eq!(replay.header("idempotent-replayed"), "true");
    assert_eq!(replay.body, response.body);
}

#[tokio::test]
async fn a_refused_message_is_a_failed_delivery_but_the_reset_stands() {
    let (port, server) = fake_smtp(true);
    let app = TestApp::with_config(|config| config.smtp_url = Some(plain_url(port)));

    let response = app.reset(&reset_body(&["u-1042"], PASSWORD)).await;
    assert_eq!(response.status, 200);
    let json = response.json();
    assert_eq!(json["results"][0]["status"], "reset");
    assert_eq!(json["delivery"]["status"], "failed");
    tokio::task::spawn_blocking(move || server.join().unwrap())
        .await
        .unwrap();

    assert_eq!(app.outbox().await[0]["status"], "failed");
    assert_eq!(app.sign_in("u-1042", PASSWORD).await.status, 200);
}

/// A message's header section, unfolded: one `(name, value)` per header.
fn headers_of(data: &str) -> Vec<(String, String)> {
    let head = data.split("\r\n\r\n").next().unwrap();
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            headers.last_mut().unwrap().1.push_str(line);
        } else {
            let (name, value) = line.split_once(':').expect("a header line");
            headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    headers
}

#[tokio::test]
async fn a_name_with_line_breaks_adds_no_header_and_no_recipient() {
    const STRONG: &str = "Vq8#tLm2!pZx9wRk";
    let (port, server) = recording_smtp(false);
    let app = TestApp::with_config(|config| config.smtp_url = Some(plain_url(port)));
    // A test-mode user whose name tries to end the Subject header and start
    // others (Bcc, a header of its own), and to look like an address.
    let name = "Eve\r\nBcc: spy@evil.test\r\nX-Injected: yes\n\r\n<spy@evil.test>, Mallory";
    let created = app
        .post_json_as(
            &app.admin,
            "/api/test/users",
            &json!({ "id": "u-6001", "name": name, "email": "eve@contoso.com" }),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());

    let mut body = reset_body(&["u-6001"], STRONG);
    body["deliverTo"] = json!(["adele@contoso.com"]);
    let response = app.reset(&body).await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.json()["delivery"]["status"], "sent");

    let received = tokio::task::spawn_blocking(move || server.join().unwrap())
        .await
        .unwrap();
    assert_eq!(received.recipients, ["adele@contoso.com"], "the envelope");
    let data = &received.data;
    let headers = headers_of(data);
    let named = |wanted: &str| -> Vec<&str> {
        headers
            .iter()
            .filter(|(name, _)| name == wanted)
            .map(|(_, value)| value.as_str())
            .collect()
    };
    assert_eq!(named("to"), ["adele@contoso.com"], "{data}");
    assert!(named("bcc").is_empty() && named("cc").is_empty(), "{data}");
    assert!(named("x-injected").is_empty(), "{data}");
    let subject = named("subject");
    assert_eq!(subject.len(), 1, "{data}");
    assert_eq!(
        subject[0],
        "Password reset for Eve  Bcc: spy@evil.test  X-Injected: yes   <spy@evil.test>, Mallory (u-6001)",
        "{data}"
    );
    let names: Vec<&str> = headers.iter().map(|(name, _)| name.as_str()).collect();
    for name in &names {
        assert!(
            [
                "from",
                "to",
                "subject",
                "content-type",
                "content-transfer-encoding",
                "date",
                "message-id",
                "mime-version"
            ]
            .contains(name),
            "unexpected header {name:?} in {data}"
        );
    }
    // Nor can the name start a line of the body.
    let body = data.split_once("\r\n\r\n").unwrap().1.replace("=\r\n", "");
    assert!(
        !body.contains("\nBcc:") && !body.contains("\nX-Injected"),
        "{data}"
    );
}

/// An SMTP server that accepts one connection and never answers, as a mail
/// server the backend is still talking to when it stops. Reports the
/// connection on the channel; holds the socket until the test ends.
fn silent_smtp() -> (u16, std::sync::mpsc::Receiver<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (connected, seen) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        connected.send(()).unwrap();
        std::thread::sleep(Duration::from_secs(30));
        drop(stream);
    });
    (port, seen)
}

#[tokio::test]
async fn a_message_the_last_run_was_still_sending_is_unknown_after_a_restart() {
    const STRONG: &str = "Vq8#tLm2!pZx9wRk";
    // First run, without a mail server: its message stays queued in the
    // outbox, which is its mail sink.
    let app = TestApp::new();
    let response = app.reset(&reset_body(&["u-1043"], STRONG)).await;
    assert_eq!(response.json()["delivery"]["status"], "queued");

    // Second run, with a mail server that never answers: the process "dies"
    // (the request is dropped) after the commit, while it is sending.
    let (port, connected) = silent_smtp();
    let mut with_smtp = app.config.clone();
    with_smtp.smtp_url = Some(plain_url(port));
    let state = AppState::from_config(&with_smtp).unwrap();
    let second = router(state.clone(), &with_smtp);
    let mut request =
        Request::post("/api/password-resets").header("content-type", "application/json");
    for (name, value) in app.admin.headers() {
        request = request.header(name, value);
    }
    let request = request
        .body(Body::from(reset_body(&["u-1042"], STRONG).to_string()))
        .unwrap();
    let in_flight = tokio::spawn(second.oneshot(request));
    tokio::task::spawn_blocking(move || connected.recv_timeout(Duration::from_secs(20)))
        .await
        .unwrap()
        .expect("the backend connects to the mail server after the commit");
    in_flight.abort();
    assert!(in_flight.await.unwrap_err().is_cancelled());
    drop(state);
    let statuses = |outbox: &[serde_json::Value]| -> Vec<String> {
        outbox
            .iter()
            .map(|m| m["status"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(statuses(&app.outbox().await), ["queued", "queued"]);

    // Third run, on the same database file: the interrupted message is
    // unknown, and says why; the outbox-only one is still queued.
    let TestApp {
        dir, config, admin, ..
    } = app;
    let state = AppState::from_config(&config).unwrap();
    let app = TestApp {
        router: router(state.clone(), &config),
        dir,
        config,
        state,
        admin,
    };
    let outbox = app.outbox().await;
    assert_eq!(statuses(&outbox), ["unknown", "queued"]);
    assert!(outbox[0]["subject"].as_str().unwrap().contains("u-1042"));
    assert_eq!(
        outbox[0]["statusDetail"],
        "The server stopped before this message's delivery was recorded: it may or may not \
         have reached the mail server. Check with the recipient."
    );
    assert!(outbox[1].get("statusDetail").is_none());
    let page = app.get_as(&app.admin, "/outbox").await.text();
    assert!(
        page.contains(r#"<span class="badge badge-unknown">unknown</span>"#),
        "{page}"
    );
    assert!(page.contains("<p class=\"message-status\">The server stopped before"));
}

#[tokio::test]
async fn an_older_database_keeps_its_outbox_and_learns_the_unknown_status() {
    let app = TestApp::new();
    // The outbox as it was before `unknown` and `via_smtp`.
    app.sqlite()
        .execute_batch(
            "DROP TABLE outbox;
             CREATE TABLE outbox (
                 id         INTEGER PRIMARY KEY,
                 to_addrs   TEXT NOT NULL,
                 subject    TEXT NOT NULL,
                 body       TEXT NOT NULL,
                 status     TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
                 created_at TEXT NOT NULL
             );
             INSERT INTO outbox VALUES
                 (7, 'adele@contoso.com', 'Old and queued', 'b', 'queued', '2026-01-01T00:00:00.000Z'),
                 (8, 'adele@contoso.com', 'Old and sent', 'b', 'sent', '2026-01-02T00:00:00.000Z');",
        )
        .unwrap();
    let state = AppState::from_config(&app.config).unwrap();
    let conn = state.db.lock().unwrap();
    let old: Vec<(i64, String)> = reset_backend::db::list_outbox(&conn)
        .unwrap()
        .into_iter()
        .map(|m| (m.id, m.status))
        .collect();
    assert_eq!(
        old,
        [(8, "sent".to_owned()), (7, "queued".to_owned())],
        "not known to have been bound for a mail server: left as it was"
    );
    let to = ["adele@contoso.com".to_owned()];
    let id = reset_backend::db::insert_outbox(&conn, &to, "New", "b", true).unwrap();
    assert_eq!(
        reset_backend::db::mark_interrupted_outbox(&conn).unwrap(),
        1
    );
    let status: String = conn
        .query_row("SELECT status FROM outbox WHERE id = ?1", [id], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(status, "unknown");
}
