//! Command-line flags and environment variables.
//!
//! Every flag but `--test-mode` also has an environment variable; a flag
//! wins over the variable, which wins over the default. Test mode is a
//! flag only, so that a variable left in a shell cannot turn it on. Plain `std::env` parsing keeps the
//! dependency list short.

use std::path::PathBuf;

use crate::limits::{
    DEFAULT_RECOVERY_CLIENT_LIMIT, DEFAULT_RECOVERY_CLIENT_WINDOW_SECS,
    DEFAULT_SESSION_IDLE_MINUTES, DEFAULT_STEP_UP_MINUTES, DEFAULT_TEMPORARY_PASSWORD_HOURS,
};

/// The demo administrator's password on a fresh database, unless
/// `--admin-password` / `ADMIN_PASSWORD` says otherwise.
///
/// **A demo credential, published in the README and on the sign-in page:**
/// anyone can sign in with it. Fine on `127.0.0.1`; set your own anywhere
/// else (and note it only applies when the database is first created).
pub const DEMO_ADMIN_PASSWORD: &str = "Contoso-Admin-Demo-2026";

pub const USAGE: &str = "\
Usage: reset-backend [OPTIONS]

Options (each but --test-mode also read from the environment variable in brackets):
  --addr HOST:PORT   address to listen on [ADDR] (default 127.0.0.1:8080; port 0 picks a free one)
  --db PATH          SQLite file, created and seeded on first start [DATABASE_PATH]
                     (default .demo-data/demo.sqlite)
  --www DIR          sample intranet page [WWW_DIR] (default www)
  --dist DIR         built widget, served under /static/reset-widget/ [DIST_DIR] (default dist)
  --test-mode        enable the /api/test/* endpoints (an administrator's session and
                     CSRF token required) and fault injection; a flag only, never on by
                     default, and refused unless the address is a loopback one
  --admin-password P the demo admin's (u-1001) password, set when the database is
                     first created [ADMIN_PASSWORD] (default Contoso-Admin-Demo-2026,
                     a public demo credential: change it anywhere but on your own machine)
  --seed-users N     also create N generated demo users (u-2001, u-2002, …, not
                     admins, no usable password) when the database is first
                     created [SEED_USERS] (default 0, at most 2000)
  --sign-in-limit N  failed sign-ins per user id before 429 [SIGN_IN_LIMIT] (default 5)
  --sign-in-window-secs S
                     ...within this many seconds [SIGN_IN_WINDOW_SECS] (default 300)
  --sign-in-client-limit N
                     failed sign-ins (and wrong current passwords) per client
                     address within the same window before 429
                     [SIGN_IN_CLIENT_LIMIT] (default 30)
  --hash-permits N   Argon2 hashes run at once; a request that finds none free
                     gets 503 with Retry-After: 1 [HASH_PERMITS]
                     (default: the number of cores)
  --session-idle-minutes M
                     a session ends after M minutes without a request, as well as
                     8 hours after sign-in [SESSION_IDLE_MINUTES] (default 30)
  --step-up-minutes M
                     resetting an administrator's password needs the acting admin's
                     own password confirmed (POST /api/session/step-up) within the
                     last M minutes [STEP_UP_MINUTES] (default 5)
  --temporary-password-hours H
                     a temporary password (an admin reset that requires a change
                     at next sign-in) expires after H hours [TEMPORARY_PASSWORD_HOURS]
                     (default 72)
  --allow-admin-recovery
                     let administrators recover their password by e-mail code
                     [ALLOW_ADMIN_RECOVERY=1] (default: refused, ask another admin)
  --recovery-client-limit N
                     password-recovery requests (codes and verifications) per
                     client address before 429 [RECOVERY_CLIENT_LIMIT] (default 30)
  --recovery-client-window-secs S
                     ...within this many seconds [RECOVERY_CLIENT_WINDOW_SECS] (default 600)
  --secure-cookies   always use the Secure __Host-reset_session cookie, even on a
                     loopback address over plain HTTP [SECURE_COOKIES=1] (without it,
                     a server listening on a loopback address uses a plain
                     reset_session cookie unless the request has X-Forwarded-Proto: https;
                     on any other address the cookie is always Secure)
  -h, --help         print this help

Environment only:
  SMTP_URL           e.g. smtp://localhost:2525: also send the real e-mail (default: outbox only)
  SMTP_FROM          sender address (default \"Contoso IT <it-noreply@contoso.com>\")
";

#[derive(Clone, PartialEq, Eq)]
pub struct Config {
    pub addr: String,
    pub db_path: PathBuf,
    pub www_dir: PathBuf,
    pub dist_dir: PathBuf,
    pub test_mode: bool,
    pub smtp_url: Option<String>,
    pub smtp_from: Option<String>,
    /// The demo admin's password when the database is seeded.
    pub admin_password: String,
    /// Generated demo users added when the database is seeded (`seed.rs` names them).
    pub seed_users: u32,
    /// Failed sign-ins per user id within `sign_in_window_secs` before 429.
    pub sign_in_limit: u32,
    pub sign_in_window_secs: u64,
    /// Failed sign-ins per client address within `sign_in_window_secs` before 429.
    pub sign_in_client_limit: u32,
    /// Argon2 computations at once (`passwords::HashPermits`).
    pub hash_permits: usize,
    /// Minutes without a request after which a session ends.
    pub session_idle_minutes: u32,
    /// Minutes a confirmed password (step-up) lets a session reset an
    /// administrator's password.
    pub step_up_minutes: u32,
    /// Always add `Secure` to the session cookie.
    pub secure_cookies: bool,
    /// Hours until a temporary password expires.
    pub temporary_password_hours: u32,
    /// Administrators may use password recovery too.
    pub allow_admin_recovery: bool,
    /// Recovery requests per client address within the window before 429.
    pub recovery_client_limit: u32,
    pub recovery_client_window_secs: u64,
}

/// Never prints the admin password.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("db_path", &self.db_path)
            .field("www_dir", &self.www_dir)
            .field("dist_dir", &self.dist_dir)
            .field("test_mode", &self.test_mode)
            .field("smtp_url", &self.smtp_url.as_ref().map(|_| "<set>"))
            .field("smtp_from", &self.smtp_from)
            .field("admin_password", &"<redacted>")
            .field("seed_users", &self.seed_users)
            .field("sign_in_limit", &self.sign_in_limit)
            .field("sign_in_window_secs", &self.sign_in_window_secs)
            .field("sign_in_client_limit", &self.sign_in_client_limit)
            .field("hash_permits", &self.hash_permits)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("step_up_minutes", &self.step_up_minutes)
            .field("secure_cookies", &self.secure_cookies)
            .field("temporary_password_hours", &self.temporary_password_hours)
            .field("allow_admin_recovery", &self.allow_admin_recovery)
            .field("recovery_client_limit", &self.recovery_client_limit)
            .field(
                "recovery_client_window_secs",
                &self.recovery_client_window_secs,
            )
            .finish()
    }
}

/// What the command line asked for.
// Made once per process: boxing the configuration would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Run(Config),
    Help,
}

impl Config {
    /// The configuration used by tests: everything explicit, nothing read
    /// from the process environment.
    pub fn for_paths(db_path: PathBuf, www_dir: PathBuf, dist_dir: PathBuf) -> Config {
        Config {
            addr: "127.0.0.1:0".to_owned(),
            db_path,
            www_dir,
            dist_dir,
            test_mode: false,
            smtp_url: None,
            smtp_from: None,
            admin_password: DEMO_ADMIN_PASSWORD.to_owned(),
            seed_users: 0,
            sign_in_limit: crate::rate_limit::DEFAULT_LIMIT,
            sign_in_window_secs: crate::rate_limit::DEFAULT_WINDOW.as_secs(),
            sign_in_client_limit: crate::rate_limit::DEFAULT_CLIENT_LIMIT,
            hash_permits: crate::passwords::default_hash_permits(),
            session_idle_minutes: DEFAULT_SESSION_IDLE_MINUTES,
            step_up_minutes: DEFAULT_STEP_UP_MINUTES,
            secure_cookies: false,
            temporary_password_hours: DEFAULT_TEMPORARY_PASSWORD_HOURS,
            allow_admin_recovery: false,
            recovery_client_limit: DEFAULT_RECOVERY_CLIENT_LIMIT,
            recovery_client_window_secs: DEFAULT_RECOVERY_CLIENT_WINDOW_SECS,
        }
    }

    /// Reads the real process arguments and environment.
    pub fn from_process() -> Result<Command, String> {
        Config::parse(std::env::args().skip(1), |name| std::env::var(name).ok())
    }

    /// Parses `args` (without the program name), looking variables up with
    /// `env`. Kept separate from [`Config::from_process`] so it is testable.
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Command, String> {
        let non_empty = |name: &str| env(name).filter(|value| !value.is_empty());
        let yes = |name: &str| matches!(non_empty(name).as_deref(), Some("1" | "true" | "yes"));
        let mut config = Config {
            addr: non_empty("ADDR").unwrap_or_else(|| "127.0.0.1:8080".to_owned()),
            db_path: non_empty("DATABASE_PATH")
                .unwrap_or_else(|| ".demo-data/demo.sqlite".to_owned())
                .into(),
            www_dir: non_empty("WWW_DIR")
                .unwrap_or_else(|| "www".to_owned())
                .into(),
            dist_dir: non_empty("DIST_DIR")
                .unwrap_or_else(|| "dist".to_owned())
                .into(),
            // A flag only: never from the environment.
            test_mode: false,
            smtp_url: non_empty("SMTP_URL"),
            smtp_from: non_empty("SMTP_FROM"),
            admin_password: non_empty("ADMIN_PASSWORD")
                .unwrap_or_else(|| DEMO_ADMIN_PASSWORD.to_owned()),
            seed_users: match non_empty("SEED_USERS") {
                Some(value) => seed_count("SEED_USERS", &value)?,
                None => 0,
            },
            sign_in_limit: match non_empty("SIGN_IN_LIMIT") {
                Some(value) => positive("SIGN_IN_LIMIT", &value)?,
                None => crate::rate_limit::DEFAULT_LIMIT,
            },
            sign_in_window_secs: match non_empty("SIGN_IN_WINDOW_SECS") {
                Some(value) => positive("SIGN_IN_WINDOW_SECS", &value)?,
                None => crate::rate_limit::DEFAULT_WINDOW.as_secs(),
            },
            sign_in_client_limit: match non_empty("SIGN_IN_CLIENT_LIMIT") {
                Some(value) => positive("SIGN_IN_CLIENT_LIMIT", &value)?,
                None => crate::rate_limit::DEFAULT_CLIENT_LIMIT,
            },
            hash_permits: match non_empty("HASH_PERMITS") {
                Some(value) => positive("HASH_PERMITS", &value)?,
                None => crate::passwords::default_hash_permits(),
            },
            session_idle_minutes: match non_empty("SESSION_IDLE_MINUTES") {
                Some(value) => positive("SESSION_IDLE_MINUTES", &value)?,
                None => DEFAULT_SESSION_IDLE_MINUTES,
            },
            step_up_minutes: match non_empty("STEP_UP_MINUTES") {
                Some(value) => positive("STEP_UP_MINUTES", &value)?,
                None => DEFAULT_STEP_UP_MINUTES,
            },
            secure_cookies: yes("SECURE_COOKIES"),
            temporary_password_hours: match non_empty("TEMPORARY_PASSWORD_HOURS") {
                Some(value) => positive("TEMPORARY_PASSWORD_HOURS", &value)?,
                None => DEFAULT_TEMPORARY_PASSWORD_HOURS,
            },
            allow_admin_recovery: yes("ALLOW_ADMIN_RECOVERY"),
            recovery_client_limit: match non_empty("RECOVERY_CLIENT_LIMIT") {
                Some(value) => positive("RECOVERY_CLIENT_LIMIT", &value)?,
                None => DEFAULT_RECOVERY_CLIENT_LIMIT,
            },
            recovery_client_window_secs: match non_empty("RECOVERY_CLIENT_WINDOW_SECS") {
                Some(value) => positive("RECOVERY_CLIENT_WINDOW_SECS", &value)?,
                None => DEFAULT_RECOVERY_CLIENT_WINDOW_SECS,
            },
        };

        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            // Accept both `--flag value` and `--flag=value`.
            let (flag, inline_value) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => {
                    (flag.to_owned(), Some(value.to_owned()))
                }
                _ => (arg.clone(), None),
            };
            let mut value = || {
                inline_value
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| format!("{flag} needs a value"))
            };
            match flag.as_str() {
                "--addr" => config.addr = value()?,
                "--db" => config.db_path = value()?.into(),
                "--www" => config.www_dir = value()?.into(),
                "--dist" => config.dist_dir = value()?.into(),
                "--test-mode" if inline_value.is_none() => config.test_mode = true,
                "--secure-cookies" if inline_value.is_none() => config.secure_cookies = true,
                "--allow-admin-recovery" if inline_value.is_none() => {
                    config.allow_admin_recovery = true
                }
                "--temporary-password-hours" => {
                    config.temporary_password_hours = positive(&flag, &value()?)?
                }
                "--recovery-client-limit" => {
                    config.recovery_client_limit = positive(&flag, &value()?)?
                }
                "--recovery-client-window-secs" => {
                    config.recovery_client_window_secs = positive(&flag, &value()?)?
                }
                "--admin-password" => config.admin_password = value()?,
                "--seed-users" => config.seed_users = seed_count(&flag, &value()?)?,
                "--sign-in-limit" => config.sign_in_limit = positive(&flag, &value()?)?,
                "--sign-in-window-secs" => config.sign_in_window_secs = positive(&flag, &value()?)?,
                "--sign-in-client-limit" => {
                    config.sign_in_client_limit = positive(&flag, &value()?)?
                }
                "--hash-permits" => config.hash_permits = positive(&flag, &value()?)?,
                "--session-idle-minutes" => {
                    config.session_idle_minutes = positive(&flag, &value()?)?
                }
                "--step-up-minutes" => config.step_up_minutes = positive(&flag, &value()?)?,
                "-h" | "--help" => return Ok(Command::Help),
                // Never the value: a mistyped `--admin-pasword=…` or a stray
                // word of a password split by the shell would land on stderr.
                _ if flag.starts_with('-') => {
                    return Err(format!("unknown option {flag:?}\n\n{USAGE}"))
                }
                _ => return Err(format!("unexpected argument (not shown)\n\n{USAGE}")),
            }
        }
        if config.admin_password.chars().count() < MIN_ADMIN_PASSWORD_CHARS {
            return Err(format!(
                "the admin password must have at least {MIN_ADMIN_PASSWORD_CHARS} characters"
            ));
        }
        Ok(Command::Run(config))
    }
}

/// Test mode only on a loopback address: its endpoints arm faults and
/// create users. `addr` is the address actually bound.
pub fn check_test_mode_addr(test_mode: bool, addr: std::net::SocketAddr) -> Result<(), String> {
    if test_mode && !addr.ip().is_loopback() {
        return Err(format!(
            "--test-mode is only allowed on a loopback address (such as 127.0.0.1 or [::1]), \
             not {addr}: refusing to start"
        ));
    }
    Ok(())
}

/// The reset endpoint's own minimum, so the admin could set it there too.
const MIN_ADMIN_PASSWORD_CHARS: usize = crate::limits::MIN_PASSWORD_CHARS;

/// A whole number of at least 1, for `what` (a flag or variable name).
fn positive<T: std::str::FromStr + PartialOrd + From<u8>>(
    what: &str,
    value: &str,
) -> Result<T, String> {
    match value.parse::<T>() {
        Ok(number) if number >= T::from(1) => Ok(number),
        _ => Err(format!(
            "{what} needs a whole number of at least 1, not {value:?}"
        )),
    }
}

/// A number of generated users: 0 to [`crate::seed::MAX_EXTRA_USERS`].
fn seed_count(what: &str, value: &str) -> Result<u32, String> {
    let max = crate::seed::MAX_EXTRA_USERS;
    match value.parse::<u32>() {
        Ok(count) if count <= max => Ok(count),
        _ => Err(format!(
            "{what} needs a whole number from 0 to {max}, not {value:?}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str], env: &[(&str, &str)]) -> Result<Command, String> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::parse(args.iter().map(|a| a.to_string()), move |name| {
            env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    fn run(args: &[&str], env: &[(&str, &str)]) -> Config {
        match parse(args, env).unwrap() {
            Command::Run(config) => config,
            Command::Help => panic!("unexpected help"),
        }
    }

    #[test]
    fn defaults_are_safe() {
        let config = run(&[], &[]);
        assert_eq!(config.addr, "127.0.0.1:8080");
        assert_eq!(config.db_path, PathBuf::from(".demo-data/demo.sqlite"));
        assert_eq!(config.www_dir, PathBuf::from("www"));
        assert_eq!(config.dist_dir, PathBuf::from("dist"));
        assert!(!config.test_mode, "test mode must never be on by default");
        assert_eq!(config.smtp_url, None);
        assert_eq!(config.admin_password, DEMO_ADMIN_PASSWORD);
        assert_eq!((config.sign_in_limit, config.sign_in_window_secs), (5, 300));
        assert!(!config.secure_cookies);
        assert_eq!(config.seed_users, 0);
    }

    #[test]
    fn seed_users() {
        assert_eq!(run(&["--seed-users", "89"], &[]).seed_users, 89);
        assert_eq!(run(&["--seed-users=0"], &[]).seed_users, 0);
        assert_eq!(run(&[], &[("SEED_USERS", "12")]).seed_users, 12);
        assert_eq!(
            run(&["--seed-users", "3"], &[("SEED_USERS", "12")]).seed_users,
            3,
            "the flag wins"
        );
        assert_eq!(run(&["--seed-users", "2000"], &[]).seed_users, 2000);
        for bad in ["2001", "-1", "many", ""] {
            assert!(parse(&["--seed-users", bad], &[]).is_err(), "{bad:?}");
        }
        assert!(parse(&["--seed-users"], &[]).is_err());
        assert!(parse(&[], &[("SEED_USERS", "lots")]).is_err());
    }

    #[test]
    fn sign_in_settings() {
        let config = run(
            &[
                "--admin-password",
                "Another-Demo-Pass-1",
                "--sign-in-limit=2",
                "--sign-in-window-secs",
                "3",
                "--secure-cookies",
            ],
            &[],
        );
        assert_eq!(config.admin_password, "Another-Demo-Pass-1");
        assert_eq!((config.sign_in_limit, config.sign_in_window_secs), (2, 3));
        assert!(config.secure_cookies);
        let env = [
            ("ADMIN_PASSWORD", "From-The-Environment"),
            ("SIGN_IN_LIMIT", "7"),
            ("SIGN_IN_WINDOW_SECS", "60"),
            ("SECURE_COOKIES", "1"),
        ];
        let config = run(&[], &env);
        assert_eq!(config.admin_password, "From-The-Environment");
        assert_eq!((config.sign_in_limit, config.sign_in_window_secs), (7, 60));
        assert!(config.secure_cookies);
        assert!(!format!("{config:?}").contains("From-The-Environment"));

        assert!(parse(&["--sign-in-limit", "0"], &[]).is_err());
        assert!(parse(&["--sign-in-window-secs", "soon"], &[]).is_err());
        assert!(parse(&[], &[("SIGN_IN_LIMIT", "-1")]).is_err());
        assert!(parse(&["--admin-password", "short"], &[]).is_err());
    }

    #[test]
    fn recovery_and_temporary_password_settings() {
        let config = run(&[], &[]);
        assert_eq!(config.temporary_password_hours, 72);
        assert!(!config.allow_admin_recovery);
        assert_eq!(
            (
                config.recovery_client_limit,
                config.recovery_client_window_secs
            ),
            (30, 600)
        );
        let config = run(
            &[
                "--temporary-password-hours=2",
                "--allow-admin-recovery",
                "--recovery-client-limit",
                "4",
                "--recovery-client-window-secs=9",
            ],
            &[],
        );
        assert_eq!(config.temporary_password_hours, 2);
        assert!(config.allow_admin_recovery);
        assert_eq!(
            (
                config.recovery_client_limit,
                config.recovery_client_window_secs
            ),
            (4, 9)
        );
        let env = [
            ("TEMPORARY_PASSWORD_HOURS", "5"),
            ("ALLOW_ADMIN_RECOVERY", "1"),
        ];
        let config = run(&[], &env);
        assert_eq!(config.temporary_password_hours, 5);
        assert!(config.allow_admin_recovery);
        assert!(parse(&["--temporary-password-hours", "0"], &[]).is_err());
        assert!(parse(&["--recovery-client-limit", "none"], &[]).is_err());
    }

    #[test]
    fn step_up_minutes() {
        assert_eq!(run(&[], &[]).step_up_minutes, 5);
        assert_eq!(run(&["--step-up-minutes", "2"], &[]).step_up_minutes, 2);
        assert_eq!(run(&[], &[("STEP_UP_MINUTES", "15")]).step_up_minutes, 15);
        assert!(parse(&["--step-up-minutes", "0"], &[]).is_err());
    }

    #[test]
    fn hash_permits_client_limit_and_idle_timeout() {
        let config = run(&[], &[]);
        assert_eq!(
            config.hash_permits,
            crate::passwords::default_hash_permits()
        );
        assert_eq!(config.sign_in_client_limit, 30);
        assert_eq!(config.session_idle_minutes, 30);
        let config = run(
            &[
                "--hash-permits",
                "1",
                "--sign-in-client-limit=7",
                "--session-idle-minutes",
                "5",
            ],
            &[],
        );
        assert_eq!(
            (
                config.hash_permits,
                config.sign_in_client_limit,
                config.session_idle_minutes
            ),
            (1, 7, 5)
        );
        let env = [
            ("HASH_PERMITS", "3"),
            ("SIGN_IN_CLIENT_LIMIT", "9"),
            ("SESSION_IDLE_MINUTES", "60"),
        ];
        let config = run(&[], &env);
        assert_eq!(
            (
                config.hash_permits,
                config.sign_in_client_limit,
                config.session_idle_minutes
            ),
            (3, 9, 60)
        );
        for flag in [
            "--hash-permits",
            "--sign-in-client-limit",
            "--session-idle-minutes",
        ] {
            assert!(parse(&[flag, "0"], &[]).is_err(), "{flag}");
        }
    }

    #[test]
    fn env_then_flags() {
        let env = [
            ("ADDR", "0.0.0.0:9000"),
            ("TEST_MODE", "1"),
            ("DATABASE_PATH", "/tmp/x.sqlite"),
        ];
        let config = run(&["--addr", "127.0.0.1:0", "--www=site"], &env);
        assert_eq!(config.addr, "127.0.0.1:0");
        assert_eq!(config.www_dir, PathBuf::from("site"));
        assert_eq!(config.db_path, PathBuf::from("/tmp/x.sqlite"));
        assert!(!config.test_mode, "TEST_MODE in the environment is ignored");
        assert!(run(&["--test-mode"], &[]).test_mode);
        assert!(!run(&[], &[("TEST_MODE", "1")]).test_mode);
        assert!(!run(&[], &[("TEST_MODE", "0")]).test_mode);
    }

    #[test]
    fn test_mode_only_on_loopback() {
        let at = |addr: &str| addr.parse::<std::net::SocketAddr>().unwrap();
        assert!(check_test_mode_addr(true, at("127.0.0.1:8080")).is_ok());
        assert!(check_test_mode_addr(true, at("[::1]:8080")).is_ok());
        let refused = check_test_mode_addr(true, at("0.0.0.0:8080")).unwrap_err();
        assert!(refused.contains("loopback"), "{refused}");
        assert!(check_test_mode_addr(true, at("192.168.1.5:80")).is_err());
        assert!(check_test_mode_addr(false, at("0.0.0.0:8080")).is_ok());
    }

    #[test]
    fn rejects_unknown_and_incomplete_flags() {
        assert!(parse(&["--port", "1"], &[]).is_err());
        assert!(parse(&["--addr"], &[]).is_err());
        assert_eq!(parse(&["--help"], &[]), Ok(Command::Help));
    }

    #[test]
    fn a_bad_argument_is_named_without_its_value() {
        let typo = parse(&["--admin-pasword=Hunter2-Secret-Value"], &[]).unwrap_err();
        assert!(
            typo.starts_with("unknown option \"--admin-pasword\""),
            "{typo}"
        );
        let stray = parse(&["--admin-password", "Hunter2", "Secret-Value"], &[]).unwrap_err();
        for message in [&typo, &stray] {
            assert!(
                !message.contains("Hunter2") && !message.contains("Secret-Value"),
                "{message}"
            );
        }
    }
}
