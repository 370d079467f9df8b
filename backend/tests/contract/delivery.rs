//! With `SMTP_URL`: the real e-mail carries the password, the outbox copy
//! never does. A tiny in-test SMTP server stands in for the mail relay.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::json;

use crate::common::{reset_body, TestApp};

const PASSWORD: &str = "Smtp-Canary-Password-31";
const KEY: &str = "a4a5b0b2-1f56-4a57-9d1e-2c9e77f0a001";

/// Accepts one SMTP session and returns the message data it received.
/// With `reject`, the message is refused after DATA.
fn fake_smtp(reject: bool) -> (u16, JoinHandle<String>) {
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
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            let command = line.to_ascii_uppercase();
            if command.starts_with("EHLO") || command.starts_with("HELO") {
                reply("250 fake.test");
            } else if command.starts_with("MAIL") || command.starts_with("RCPT") {
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
        data
    });
    (port, server)
}

#[tokio::test]
async fn the_mail_server_gets_the_password_and_the_outbox_a_masked_copy() {
    let (port, server) = fake_smtp(false);
    let app =
        TestApp::with_config(|config| config.smtp_url = Some(format!("smtp://127.0.0.1:{port}")));

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
    let app =
        TestApp::with_config(|config| config.smtp_url = Some(format!("smtp://127.0.0.1:{port}")));

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
