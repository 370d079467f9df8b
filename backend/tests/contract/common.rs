//! Test harness: a fresh app per test, and helpers to call it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use reset_backend::config::DEMO_ADMIN_PASSWORD;
use reset_backend::db::DEMO_ADMIN_ID;
use reset_backend::sessions;
use reset_backend::{router, AppState, Config};
use serde_json::{json, Value};
use tempfile::TempDir;
use tower::ServiceExt;

pub const ADMIN: &str = "adele@contoso.com";

/// The repository's `www/` and `schema/` directories.
pub fn repo_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name)
}

pub struct TestApp {
    pub dir: TempDir,
    pub config: Config,
    pub state: AppState,
    pub router: Router,
    /// A live session of the demo admin, made directly in the database (a
    /// real sign-in runs Argon2, slow in debug builds); `tests/session.rs`
    /// covers the real `POST /api/session`.
    pub admin: Auth,
}

/// What a browser would send for a session: its cookie and CSRF token.
#[derive(Debug, Clone)]
pub struct Auth {
    /// `reset_session=…`, ready for a `Cookie` header.
    pub cookie: String,
    pub csrf_token: String,
}

impl Auth {
    /// `Cookie` and `X-CSRF-Token` headers.
    pub fn headers(&self) -> [(&str, &str); 2] {
        [
            ("cookie", self.cookie.as_str()),
            ("x-csrf-token", self.csrf_token.as_str()),
        ]
    }
}

impl TestApp {
    /// A test-mode app on a freshly seeded database.
    pub fn new() -> TestApp {
        TestApp::with_config(|_| {})
    }

    /// The database is always a copy of one seeded with the default admin
    /// password, whatever `adjust` sets `admin_password` to.
    pub fn with_config(adjust: impl FnOnce(&mut Config)) -> TestApp {
        TestApp::build(true, adjust)
    }

    /// A test-mode app whose database is created and seeded by the app
    /// itself, from the configuration (`seed_users`, `admin_password`), as
    /// on a real first start. Slower than [`TestApp::new`]: it hashes.
    pub fn with_new_database(adjust: impl FnOnce(&mut Config)) -> TestApp {
        TestApp::build(false, adjust)
    }

    fn build(copy_template: bool, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let db_path = dir.path().join("data").join("demo.sqlite");
        // Seeding runs Argon2, which is slow in debug builds: seed once per
        // test binary and copy the file.
        if copy_template {
            std::fs::create_dir_all(db_path.parent().unwrap()).unwrap();
            std::fs::copy(seeded_template(), &db_path).unwrap();
        }

        let dist = dir.path().join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(dist.join("reset-widget.js"), "export {};\n").unwrap();
        std::fs::write(dist.join("reset-widget_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();

        let mut config = Config::for_paths(db_path, repo_dir("www"), dist);
        config.test_mode = true;
        adjust(&mut config);
        let state = AppState::from_config(&config).unwrap();
        let router = router(state.clone(), &config);
        let admin = TestApp::session_in_db(&state, DEMO_ADMIN_ID);
        TestApp {
            dir,
            config,
            state,
            router,
            admin,
        }
    }

    /// A session for `user_id` straight from the database, no password.
    pub fn session_in_db(state: &AppState, user_id: &str) -> Auth {
        let conn = state.db.lock().unwrap();
        let (token, session) = sessions::create(&conn, user_id).unwrap();
        Auth {
            cookie: format!("{}={token}", sessions::LOOPBACK_COOKIE_NAME),
            csrf_token: session.csrf_token,
        }
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Body,
    ) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(path);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let response = self
            .router
            .clone()
            .oneshot(builder.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        TestResponse {
            status,
            headers,
            body,
        }
    }

    /// `request` as if it came over a connection from `peer` (what
    /// `into_make_service_with_connect_info` adds in the real server).
    pub async fn request_from(&self, peer: &str, mut request: Request<Body>) -> TestResponse {
        let peer: std::net::SocketAddr = peer.parse().unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        TestResponse {
            status,
            headers,
            body,
        }
    }

    /// `POST /api/sign-in` from the client address `peer` (`IP:port`).
    pub async fn sign_in_from(&self, peer: &str, user_id: &str, password: &str) -> TestResponse {
        let body = json!({ "userId": user_id, "password": password }).to_string();
        let request = Request::builder()
            .method(Method::POST)
            .uri("/api/sign-in")
            .header("content-type", "application/json")
            .body(Body::from(body))
            .unwrap();
        self.request_from(peer, request).await
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.request(Method::GET, path, &[], Body::empty()).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> TestResponse {
        self.post_raw(
            path,
            &[("content-type", "application/json")],
            body.to_string(),
        )
        .await
    }

    pub async fn post_raw(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<Body>,
    ) -> TestResponse {
        self.request(Method::POST, path, headers, body.into()).await
    }

    /// A reset as the signed-in admin (cookie and CSRF token).
    pub async fn reset(&self, body: &Value) -> TestResponse {
        self.post_reset(&[("content-type", "application/json")], body.to_string())
            .await
    }

    pub async fn reset_with_key(&self, body: &Value, key: &str) -> TestResponse {
        let headers = [
            ("content-type", "application/json"),
            ("idempotency-key", key),
        ];
        self.post_reset(&headers, body.to_string()).await
    }

    /// `POST /api/password-resets` with these headers plus the admin's
    /// session cookie and CSRF token.
    pub async fn post_reset(
        &self,
        headers: &[(&str, &str)],
        body: impl Into<Body>,
    ) -> TestResponse {
        self.reset_as(&self.admin, headers, body).await
    }

    /// `POST /api/password-resets` with the session `auth`.
    pub async fn reset_as(
        &self,
        auth: &Auth,
        headers: &[(&str, &str)],
        body: impl Into<Body>,
    ) -> TestResponse {
        let mut all = headers.to_vec();
        all.extend(auth.headers());
        self.post_raw("/api/password-resets", &all, body).await
    }

    /// `POST /api/session`: the real sign-in.
    pub async fn start_session(&self, user_id: &str, password: &str) -> TestResponse {
        self.post_json(
            "/api/session",
            &json!({ "userId": user_id, "password": password }),
        )
        .await
    }

    pub async fn sign_in(&self, user_id: &str, password: &str) -> TestResponse {
        self.post_json(
            "/api/sign-in",
            &json!({ "userId": user_id, "password": password }),
        )
        .await
    }

    /// `POST` JSON with a session's cookie and CSRF token.
    pub async fn post_json_as(&self, auth: &Auth, path: &str, body: &Value) -> TestResponse {
        let mut headers = vec![("content-type", "application/json")];
        headers.extend(auth.headers());
        self.post_raw(path, &headers, body.to_string()).await
    }

    /// `POST /api/test/faults` as the admin (test routes need its session
    /// and CSRF token).
    pub async fn arm(&self, fault: Value) {
        let response = self
            .post_json_as(&self.admin, "/api/test/faults", &fault)
            .await;
        assert_eq!(
            response.status,
            StatusCode::NO_CONTENT,
            "{}",
            response.text()
        );
    }

    /// `(count, keys)` from the test endpoint.
    pub async fn resets_of(&self, user_id: &str) -> (u64, Vec<String>) {
        let path = format!("/api/test/resets?userId={user_id}");
        let json = self
            .request(Method::GET, &path, &self.admin.headers(), Body::empty())
            .await
            .json();
        let keys = json["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap().to_owned())
            .collect();
        (json["count"].as_u64().unwrap(), keys)
    }

    /// `GET /api/outbox` as the admin.
    pub async fn outbox(&self) -> Vec<Value> {
        self.get_as(&self.admin, "/api/outbox")
            .await
            .json()
            .as_array()
            .unwrap()
            .clone()
    }

    /// `POST /api/password-changes` as `auth` with this `Idempotency-Key`.
    pub async fn change_password(&self, auth: &Auth, key: &str, body: &Value) -> TestResponse {
        let mut headers = vec![
            ("content-type", "application/json"),
            ("idempotency-key", key),
        ];
        headers.extend(auth.headers());
        self.post_raw("/api/password-changes", &headers, body.to_string())
            .await
    }

    /// `GET` with a session's cookie.
    pub async fn get_as(&self, auth: &Auth, path: &str) -> TestResponse {
        self.request(
            Method::GET,
            path,
            &[("cookie", auth.cookie.as_str())],
            Body::empty(),
        )
        .await
    }

    /// `POST /api/password-recovery/{step}` with a JSON body.
    pub async fn recovery(&self, step: &str, body: &Value) -> TestResponse {
        self.post_json(&format!("/api/password-recovery/{step}"), body)
            .await
    }

    /// `POST /api/password-recovery/completions` with this key.
    pub async fn complete_recovery(&self, key: &str, body: &Value) -> TestResponse {
        self.post_raw(
            "/api/password-recovery/completions",
            &[
                ("content-type", "application/json"),
                ("idempotency-key", key),
            ],
            body.to_string(),
        )
        .await
    }

    /// Waits for the background tasks (recovery codes, e-mail) to finish.
    pub async fn settle(&self) {
        self.state.background.idle().await;
    }

    /// The newest recovery code e-mailed to `address`, read from the outbox.
    pub async fn code_sent_to(&self, address: &str) -> Option<String> {
        self.settle().await;
        self.outbox().await.iter().find_map(|message| {
            let to = message["to"].as_array().unwrap();
            let body = message["body"].as_str().unwrap();
            (to.iter().any(|a| a == address) && message["subject"] == "Your password recovery code")
                .then(|| {
                    body.split_whitespace()
                        .map(|word| word.trim_end_matches('.'))
                        .find(|word| word.len() == 8 && word.bytes().all(|b| b.is_ascii_digit()))
                        .unwrap()
                        .to_owned()
                })
        })
    }

    /// Sets a user's password straight in the database (Argon2 runs once).
    pub fn set_password_in_db(&self, user_id: &str, password: &str, must_change: bool) {
        let hash = reset_backend::passwords::hash(password);
        self.sqlite()
            .execute(
                "UPDATE users SET password_hash = ?2, must_change_password = ?3 WHERE id = ?1",
                rusqlite::params![user_id, hash, must_change],
            )
            .unwrap();
    }

    /// Live sessions of a user in the database.
    pub fn sessions_of(&self, user_id: &str) -> i64 {
        self.sqlite()
            .query_row(
                "SELECT COUNT(*) FROM sessions WHERE user_id = ?1",
                [user_id],
                |row| row.get(0),
            )
            .unwrap()
    }

    /// A second, independent connection to the same SQLite file.
    pub fn sqlite(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.config.db_path).unwrap()
    }
}

fn seeded_template() -> &'static Path {
    static TEMPLATE: OnceLock<(TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("template.sqlite");
        let conn = reset_backend::db::open(&path, DEMO_ADMIN_PASSWORD).unwrap();
        // Fold the WAL into the main file so a plain copy has everything.
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        drop(conn);
        (dir, path)
    });
    path
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl TestResponse {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }

    /// The `Set-Cookie` header's value ("" without one).
    pub fn set_cookie(&self) -> &str {
        self.header("set-cookie")
    }

    /// Asserts a problem+json answer with this status; returns the body.
    pub fn problem(&self, status: u16) -> Value {
        assert_eq!(self.status.as_u16(), status, "{}", self.text());
        assert_eq!(self.header("content-type"), "application/problem+json");
        let problem = self.json();
        assert_eq!(problem["status"], status);
        assert_eq!(problem["type"], "about:blank");
        problem
    }

    /// Asserts a problem+json answer with this status and `type`.
    pub fn typed_problem(&self, status: u16, kind: &str) -> Value {
        assert_eq!(self.status.as_u16(), status, "{}", self.text());
        assert_eq!(self.header("content-type"), "application/problem+json");
        let problem = self.json();
        assert_eq!(problem["status"], status);
        assert_eq!(problem["type"], kind);
        problem
    }

    /// The `field` of every entry in a problem's `errors`.
    pub fn error_fields(&self) -> Vec<String> {
        let problem = self.json();
        problem["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| e["field"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A valid request resetting `users` to `password`, delivered to the admin.
pub fn reset_body(users: &[&str], password: &str) -> Value {
    json!({
        "resets": users.iter().map(|u| json!({ "userId": u, "password": password })).collect::<Vec<_>>(),
        "passwordSource": "generated",
        "forceChangePasswordNextSignIn": true,
        "deliverTo": [ADMIN],
    })
}
