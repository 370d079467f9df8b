//! Over real TCP: the connection-drop fault, and the actual binary.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reset_backend::config::DEMO_ADMIN_PASSWORD;
use serde_json::{json, Value};

use crate::common::{repo_dir, reset_body, Auth, TestApp};

/// A minimal HTTP/1.1 client: one request per connection. Returns the raw
/// bytes the server sent before closing (empty if it sent nothing).
pub(crate) fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(request.as_bytes())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    Ok(response)
}

/// `name=value` of the response's `Set-Cookie` header, as sent.
pub(crate) fn session_cookie(response: &[u8]) -> String {
    let text = String::from_utf8_lossy(response);
    let line = text
        .lines()
        .find(|line| line.to_ascii_lowercase().starts_with("set-cookie:"))
        .expect("a Set-Cookie header");
    line["set-cookie:".len()..]
        .trim()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// Status code, lower-cased head, body.
pub(crate) fn parse(response: &[u8]) -> (u16, String, String) {
    let text = String::from_utf8_lossy(response);
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete response");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_lowercase(), body.to_owned())
}

pub(crate) fn reset_request(
    addr: SocketAddr,
    auth: &Auth,
    key: &str,
    body: &Value,
) -> std::io::Result<Vec<u8>> {
    let headers = [
        ("Content-Type", "application/json"),
        ("Idempotency-Key", key),
        ("Cookie", &auth.cookie),
        ("X-CSRF-Token", &auth.csrf_token),
    ];
    http(
        addr,
        "POST",
        "/api/password-resets",
        &headers,
        &body.to_string(),
    )
}

fn arm(addr: SocketAddr, admin: &Auth, fault: Value) {
    let response = http(
        addr,
        "POST",
        "/api/test/faults",
        &[
            ("Content-Type", "application/json"),
            ("Cookie", &admin.cookie),
            ("X-CSRF-Token", &admin.csrf_token),
        ],
        &fault.to_string(),
    );
    assert_eq!(parse(&response.unwrap()).0, 204);
}

/// Run a blocking client without stalling the in-process server.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

#[tokio::test]
async fn drop_response_applies_the_reset_then_closes_without_answering() {
    let app = TestApp::new();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let key = "7a1d2c3e-0000-4000-8000-00000000d20b";
    let body = reset_body(&["u-1043"], "Drop-Then-Retry-42");
    let admin = app.admin.clone();
    let dropped = blocking(move || {
        arm(
            addr,
            &admin,
            json!({ "fault": "drop-response", "times": 1 }),
        );
        reset_request(addr, &admin, key, &body)
    })
    .await;
    // Either a clean close or a reset, but never a single byte of response.
    match dropped {
        Ok(bytes) => assert!(
            bytes.is_empty(),
            "expected no response, got {:?}",
            String::from_utf8_lossy(&bytes)
        ),
        Err(error) => assert_eq!(error.kind(), std::io::ErrorKind::ConnectionReset, "{error}"),
    }

    // The reset happened, and the retry with the same key is a replay.
    assert_eq!(app.resets_of("u-1043").await, (1, vec![key.to_owned()]));
    let body = reset_body(&["u-1043"], "Drop-Then-Retry-42");
    let admin = app.admin.clone();
    let retry = blocking(move || reset_request(addr, &admin, key, &body).unwrap()).await;
    let (status, head, text) = parse(&retry);
    assert_eq!(status, 200);
    assert!(head.contains("idempotent-replayed: true"), "{head}");
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap()["results"][0]["status"],
        "reset"
    );
    assert_eq!(app.resets_of("u-1043").await.0, 1);
}

/// Kills the server child process when the test ends, pass or fail.
pub(crate) struct Server(pub(crate) Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_binary_prints_its_address_and_serves_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("reset-widget.js"), "export {};\n").unwrap();
    std::fs::write(dist.join("reset-widget_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let db = dir.path().join("new").join("demo.sqlite");

    let child = Command::new(env!("CARGO_BIN_EXE_reset-backend"))
        .args(["--addr", "127.0.0.1:0", "--test-mode"])
        .arg("--db")
        .arg(&db)
        .arg("--www")
        .arg(repo_dir("www"))
        .arg("--dist")
        .arg(&dist)
        .env_remove("SMTP_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Server(child);

    let mut line = String::new();
    BufReader::new(server.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr: SocketAddr = line
        .strip_prefix("Listening on http://")
        .and_then(|rest| rest.trim_end().strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .parse()
        .unwrap();
    assert_ne!(addr.port(), 0, "the line shows the port actually bound");
    assert!(
        db.exists(),
        "the database and its parent directory were created"
    );

    // The directory needs a session (read below, once signed in).
    let (status, _, _) = parse(&http(addr, "GET", "/api/users", &[], "").unwrap());
    assert_eq!(status, 401);

    let (status, head, body) = parse(&http(addr, "GET", "/", &[], "").unwrap());
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/html"));
    assert!(body.contains("<reset-password") || body.contains("reset-widget.js"));

    // No session, no reset.
    let body = reset_body(&["u-1042"], "Binary-Path-Check-7");
    let (status, _, problem) = parse(
        &http(
            addr,
            "POST",
            "/api/password-resets",
            &[("Content-Type", "application/json")],
            &body.to_string(),
        )
        .unwrap(),
    );
    assert_eq!(status, 401, "{problem}");

    // The demo admin signs in with the default demo password.
    let credentials = json!({ "userId": "u-1001", "password": DEMO_ADMIN_PASSWORD }).to_string();
    let signed_in = http(
        addr,
        "POST",
        "/api/session",
        &[("Content-Type", "application/json")],
        &credentials,
    )
    .unwrap();
    let (status, head, session) = parse(&signed_in);
    assert_eq!(status, 200, "{session}");
    assert!(
        head.contains("; httponly; samesite=strict; path=/; max-age=28800\r\n"),
        "{head}"
    );
    let session: Value = serde_json::from_str(&session).unwrap();
    assert_eq!(session["name"], "Adele Vance");
    let admin = Auth {
        cookie: session_cookie(&signed_in),
        csrf_token: session["csrfToken"].as_str().unwrap().to_owned(),
    };
    let (status, _, current) = parse(
        &http(
            addr,
            "GET",
            "/api/session",
            &[("Cookie", &admin.cookie)],
            "",
        )
        .unwrap(),
    );
    assert_eq!(status, 200, "{current}");
    let (status, head, users) =
        parse(&http(addr, "GET", "/api/users", &[("Cookie", &admin.cookie)], "").unwrap());
    assert_eq!(status, 200);
    assert!(head.contains("cache-control: no-store"));
    assert!(users.contains("\"id\":\"u-1042\""));

    // The full story: drop, retry, sign in.
    arm(addr, &admin, json!({ "fault": "drop-response" }));
    let dropped = reset_request(addr, &admin, "binary-key", &body);
    assert!(dropped.map(|bytes| bytes.is_empty()).unwrap_or(true));
    let (status, head, _) = parse(&reset_request(addr, &admin, "binary-key", &body).unwrap());
    assert_eq!(status, 200);
    assert!(head.contains("idempotent-replayed: true"));
    let sign_in = json!({ "userId": "u-1042", "password": "Binary-Path-Check-7" }).to_string();
    let (status, _, body) = parse(
        &http(
            addr,
            "POST",
            "/api/sign-in",
            &[("Content-Type", "application/json")],
            &sign_in,
        )
        .unwrap(),
    );
    assert_eq!(
        (status, body.as_str()),
        (200, r#"{"mustChangePassword":true}"#)
    );

    // SIGTERM (what the e2e harness sends) is a clean shutdown.
    #[cfg(unix)]
    {
        let pid = server.0.id().to_string();
        assert!(Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success());
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = server.0.try_wait().unwrap() {
                break status;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no exit after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "{status}");
    }
}
