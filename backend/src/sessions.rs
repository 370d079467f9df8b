//! Administrator sessions: who may reset passwords.
//!
//! `POST /api/session` (see `routes/session.rs`) creates a session and sets
//! the cookie [`COOKIE_NAME`] (`__Host-reset_session`): 256 random bits,
//! base64url without padding, `HttpOnly; SameSite=Strict; Path=/; Secure`
//! and no `Domain`, so a sibling subdomain cannot set or overwrite it.
//!
//! Plain HTTP is allowed only when the server listens on a loopback address
//! (the demo, the tests): there, a request that did not come over HTTPS
//! gets [`LOOPBACK_COOKIE_NAME`] (`reset_session`) without `Secure`. A
//! `__Host-` cookie must be `Secure`, and not every browser stores a
//! `Secure` cookie sent over `http://127.0.0.1` or `http://localhost`
//! (Chromium does; WebKit has not always), so the loopback demo keeps a
//! plain cookie of its own name. This server speaks plain HTTP only, so
//! "over HTTPS" means a TLS-terminating proxy in front of it that sets
//! `X-Forwarded-Proto: https`; `--secure-cookies` always uses the `__Host-`
//! cookie. The header is trusted blindly, which is harmless: it can only
//! make the cookie stricter. A request is read for the one cookie name the
//! server would set in answer to it ([`CookiePolicy::cookie_name`]), so
//! a server on any other address never reads a cookie without the prefix.
//!
//! The database keeps a SHA-256 of the cookie value, never the value, so a
//! copy of the database does not hand out live sessions. Sessions last
//! [`LIFETIME_HOURS`] hours from sign-in, and end sooner after
//! `--session-idle-minutes` (default 30) without a request; a request
//! records its time at most once a minute, to spare writes. Expired rows
//! are deleted whenever a session is created.
//!
//! Each session also has a CSRF token (256 random bits, base64url), returned
//! in the JSON of `POST`/`GET /api/session`. State-changing requests that a
//! cross-site page could forge (the password reset) must repeat it in the
//! [`CSRF_HEADER`] header: a page on another origin cannot read it.
//! `SameSite=Strict` already keeps the cookie off cross-site requests; the
//! token is the second, independent line of defence.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use crate::db::{self, Db};
use crate::directory::{Directory, DirectoryUser};
use crate::problem::Problem;

/// What `POST` and `GET /api/session` answer (a row of `db::sessions`).
pub use crate::db::sessions::Session;

/// Name of the session cookie (`Secure`, over HTTPS or off loopback).
pub const COOKIE_NAME: &str = "__Host-reset_session";
/// Name of the plain-HTTP session cookie of a server on a loopback address.
pub const LOOPBACK_COOKIE_NAME: &str = "reset_session";
/// A session's last use is written at most this often.
const TOUCH_EVERY_SECS: u32 = 60;
/// The request header that must carry the session's CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// A session ends this many hours after sign-in.
pub const LIFETIME_HOURS: u32 = 8;
const LIFETIME_SECS: u32 = LIFETIME_HOURS * 60 * 60;
/// 32 random bytes in unpadded base64url.
const TOKEN_CHARS: usize = 43;

/// 256 bits from the operating system's CSPRNG, base64url without padding.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source is available");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database stores instead of the cookie value (SHA-256, hex).
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

// ---------------------------------------------------------------- storage

/// Starts a session for `user` as the directory found them at sign-in
/// (their name and role are kept with it; `must_change`: the directory
/// requires a new password first, kept with it until the session's own
/// change) and returns the cookie value with the session. Also forgets
/// expired sessions.
pub fn create_for(
    conn: &Connection,
    user: &DirectoryUser,
    must_change: bool,
) -> rusqlite::Result<(String, Session)> {
    db::sessions::delete_expired(conn)?;
    let token = new_token();
    let csrf_token = new_token();
    db::sessions::insert(
        conn,
        &token_hash(&token),
        (&user.id, &user.name, user.is_admin),
        must_change,
        &csrf_token,
        LIFETIME_HOURS,
    )?;
    let session = Session {
        user_id: user.id.clone(),
        name: user.name.clone(),
        is_admin: user.is_admin,
        csrf_token,
        must_change_password: must_change,
    };
    Ok((token, session))
}

/// [`create_for`] a user of the SQLite directory in this same database
/// (who must exist): for the tests, which have no directory at hand.
pub fn create(conn: &Connection, user_id: &str) -> rusqlite::Result<(String, Session)> {
    let user = db::find_user(conn, user_id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
    let must_change = db::must_change(conn, user_id)?;
    create_for(conn, &user.into(), must_change)
}

/// The live session of this cookie value, if any: unexpired, and used
/// within the last `idle_minutes` (`None`: however long ago).
pub fn find(
    conn: &Connection,
    token: &str,
    idle_minutes: Option<u32>,
) -> rusqlite::Result<Option<Session>> {
    db::sessions::find(conn, &token_hash(token), idle_minutes)
}

/// [`find`], recording the use (at most once a minute) when it is live.
pub fn find_and_touch(
    conn: &Connection,
    token: &str,
    idle_minutes: u32,
) -> rusqlite::Result<Option<Session>> {
    let hash = token_hash(token);
    let session = db::sessions::find(conn, &hash, Some(idle_minutes))?;
    if session.is_some() {
        db::sessions::touch(conn, &hash, TOUCH_EVERY_SECS)?;
    }
    Ok(session)
}

/// The session of this cookie value has just confirmed its user's password
/// (a step-up, `routes::step_up`).
pub fn mark_stepped_up(conn: &Connection, token: &str) -> rusqlite::Result<()> {
    db::sessions::mark_stepped_up(conn, &token_hash(token))
}

/// Whether the session of this cookie value confirmed its user's password
/// within the last `minutes` minutes.
pub fn stepped_up_within(conn: &Connection, token: &str, minutes: u32) -> rusqlite::Result<bool> {
    db::sessions::stepped_up_within(conn, &token_hash(token), minutes)
}

/// Ends the session of this cookie value (nothing if there is none).
pub fn delete(conn: &Connection, token: &str) -> rusqlite::Result<()> {
    db::sessions::delete(conn, &token_hash(token))
}

// ---------------------------------------------------------------- HTTP

/// How the session cookie is named and marked, and how long an idle
/// session lives: from the command line and the listening address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CookiePolicy {
    /// `--secure-cookies`: the `__Host-` cookie even over plain loopback HTTP.
    pub always_secure: bool,
    /// The server listens on a loopback address: plain HTTP is allowed.
    pub loopback: bool,
    /// `--session-idle-minutes`.
    pub idle_minutes: u32,
}

impl CookiePolicy {
    /// Whether the cookie set in answer to this request is `Secure` (and
    /// named [`COOKIE_NAME`]).
    pub fn secure(&self, headers: &HeaderMap) -> bool {
        self.always_secure || !self.loopback || came_over_https(headers)
    }

    /// The one cookie name this request is read for and answered with.
    pub fn cookie_name(&self, headers: &HeaderMap) -> &'static str {
        cookie_name(self.secure(headers))
    }

    /// The session cookie's value, if the request carries a well-formed one.
    pub fn token(&self, headers: &HeaderMap) -> Option<String> {
        cookie_token(headers, self.cookie_name(headers))
    }

    /// `Set-Cookie` for a new session, for this request.
    pub fn set_cookie(&self, token: &str, headers: &HeaderMap) -> HeaderValue {
        set_cookie(token, self.secure(headers))
    }

    /// `Set-Cookie` that removes the session cookie, for this request.
    pub fn clear_cookie(&self, headers: &HeaderMap) -> HeaderValue {
        clear_cookie(self.secure(headers))
    }
}

/// True for an address (`HOST:PORT`, as given to `--addr`) on which only
/// this machine can reach the server: `127.0.0.0/8`, `::1`, `localhost`.
pub fn is_loopback_addr(addr: &str) -> bool {
    if let Ok(socket) = addr.parse::<std::net::SocketAddr>() {
        return socket.ip().is_loopback();
    }
    addr.rsplit_once(':')
        .is_some_and(|(host, _)| host.eq_ignore_ascii_case("localhost"))
}

/// [`COOKIE_NAME`] when `secure`, else [`LOOPBACK_COOKIE_NAME`].
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        COOKIE_NAME
    } else {
        LOOPBACK_COOKIE_NAME
    }
}

/// The value of the cookie `name`, if the request carries a well-formed one.
pub fn cookie_token(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(found, _)| *found == name)
        .map(|(_, value)| value.trim_matches('"'))
        .filter(|value| {
            value.len() == TOKEN_CHARS
                && value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_owned)
}

/// True when a proxy says the client used HTTPS (`X-Forwarded-Proto: https`,
/// the first value if there are several).
pub fn came_over_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(',').next())
        .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

/// `Set-Cookie` for a new session (named by [`cookie_name`]).
pub fn set_cookie(token: &str, secure: bool) -> HeaderValue {
    cookie_header(token, LIFETIME_SECS, secure)
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie(secure: bool) -> HeaderValue {
    cookie_header("", 0, secure)
}

fn cookie_header(value: &str, max_age: u32, secure: bool) -> HeaderValue {
    let name = cookie_name(secure);
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}"
    ))
    .expect("a base64url token is a valid header value")
}

/// The live session of the request (its use recorded), or 401 "Sign-in
/// required". Its user is asked of the directory each time (a 503 when it
/// does not answer: never an answer from stale data), so that what an
/// administrator changes there applies at once:
/// - a user the directory no longer has: the session ends, 401;
/// - the name and role are the directory's now (a demoted administrator
///   is no administrator from the next request on);
/// - the user must change their password when the sign-in said so (until
///   this session's own change, `routes::password_changes`) or the
///   directory says so now. (AD's per-request answer reads `pwdLastSet: 0`
///   only, not a password expired by age; a sign-in with one, `data 532`,
///   said so and stored it.)
///
/// Call it once per request: `routes::auth` keeps its answer in the
/// request for the guard and the extractors.
pub async fn current(
    db: &Db,
    directory: &Directory,
    headers: &HeaderMap,
    policy: &CookiePolicy,
) -> Result<Session, Problem> {
    let token = policy.token(headers).ok_or_else(sign_in_required)?;
    let idle_minutes = policy.idle_minutes;
    let found = {
        let token = token.clone();
        db::call(db, move |conn| find_and_touch(conn, &token, idle_minutes)).await?
    };
    let mut session = found.ok_or_else(sign_in_required)?;
    let Some(user) = directory.find_user(&session.user_id).await? else {
        db::call(db, move |conn| delete(conn, &token)).await?;
        tracing::info!(user_id = %session.user_id, "session ended: the directory no longer has its user");
        return Err(sign_in_required());
    };
    session.name = user.name;
    session.is_admin = user.is_admin;
    if !session.must_change_password {
        session.must_change_password = directory.must_change(&session.user_id).await?;
    }
    Ok(session)
}

/// Whether the request repeats the session's CSRF token in [`CSRF_HEADER`].
pub fn carries_csrf_token(headers: &HeaderMap, session: &Session) -> bool {
    let sent = headers
        .get(CSRF_HEADER)
        .map(|value| value.as_bytes())
        .unwrap_or_default();
    constant_time_eq(sent, session.csrf_token.as_bytes())
}

pub fn sign_in_required() -> Problem {
    Problem::new(
        StatusCode::UNAUTHORIZED,
        "Sign-in required",
        "Your session has expired or you are not signed in.",
    )
}

/// Compares without stopping at the first difference, so the time taken
/// does not tell an attacker how much of a guessed token was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bit_base64url_and_distinct() {
        let a = new_token();
        let b = new_token();
        assert_eq!(a.len(), TOKEN_CHARS);
        assert_eq!(URL_SAFE_NO_PAD.decode(&a).unwrap().len(), 32);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn reads_the_cookie_among_others() {
        let token = new_token();
        let mut headers = HeaderMap::new();
        assert_eq!(cookie_token(&headers, COOKIE_NAME), None);
        headers.append(header::COOKIE, HeaderValue::from_static("theme=dark"));
        headers.append(
            header::COOKIE,
            HeaderValue::from_str(&format!("a=1; {COOKIE_NAME}={token}; b=2")).unwrap(),
        );
        assert_eq!(cookie_token(&headers, COOKIE_NAME), Some(token.clone()));
        assert_eq!(cookie_token(&headers, LOOPBACK_COOKIE_NAME), None);

        let mut bad = HeaderMap::new();
        bad.insert(
            header::COOKIE,
            HeaderValue::from_static("reset_session=short"),
        );
        assert_eq!(cookie_token(&bad, LOOPBACK_COOKIE_NAME), None);
        bad.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("x{LOOPBACK_COOKIE_NAME}={}", new_token())).unwrap(),
        );
        assert_eq!(cookie_token(&bad, LOOPBACK_COOKIE_NAME), None);
    }

    #[test]
    fn cookie_attributes() {
        let value = set_cookie("tok", false);
        assert_eq!(
            value,
            "reset_session=tok; HttpOnly; SameSite=Strict; Path=/; Max-Age=28800"
        );
        assert!(set_cookie("tok", true)
            .to_str()
            .unwrap()
            .ends_with("; Secure"));
        assert_eq!(
            set_cookie("tok", true),
            "__Host-reset_session=tok; HttpOnly; SameSite=Strict; Path=/; Max-Age=28800; Secure"
        );
        assert_eq!(
            clear_cookie(true),
            "__Host-reset_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0; Secure"
        );
        assert_eq!(
            clear_cookie(false),
            "reset_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"
        );
    }

    #[test]
    fn plain_http_only_on_loopback() {
        let https = {
            let mut headers = HeaderMap::new();
            headers.insert("x-forwarded-proto", HeaderValue::from_static("https"));
            headers
        };
        let plain = HeaderMap::new();
        let policy = |always_secure, loopback| CookiePolicy {
            always_secure,
            loopback,
            idle_minutes: 30,
        };
        assert!(!policy(false, true).secure(&plain));
        assert_eq!(policy(false, true).cookie_name(&plain), "reset_session");
        assert!(policy(false, true).secure(&https));
        assert!(policy(true, true).secure(&plain));
        assert!(policy(false, false).secure(&plain), "Secure by default");
        assert_eq!(policy(false, false).cookie_name(&plain), COOKIE_NAME);

        // Off loopback, a cookie without the prefix is not read.
        let token = new_token();
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("reset_session={token}")).unwrap(),
        );
        assert_eq!(policy(false, false).token(&headers), None);
        assert_eq!(policy(false, true).token(&headers), Some(token));

        for addr in [
            "127.0.0.1:8080",
            "127.0.0.1:0",
            "[::1]:80",
            "localhost:8080",
        ] {
            assert!(is_loopback_addr(addr), "{addr}");
        }
        for addr in ["0.0.0.0:8080", "[::]:80", "192.0.2.1:80", "example.com:443"] {
            assert!(!is_loopback_addr(addr), "{addr}");
        }
    }

    #[test]
    fn https_is_read_from_x_forwarded_proto() {
        let mut headers = HeaderMap::new();
        assert!(!came_over_https(&headers));
        headers.insert("x-forwarded-proto", HeaderValue::from_static("HTTPS, http"));
        assert!(came_over_https(&headers));
        headers.insert("x-forwarded-proto", HeaderValue::from_static("http"));
        assert!(!came_over_https(&headers));
    }

    #[test]
    fn constant_time_eq_is_eq() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"", b"a"));
    }
}
