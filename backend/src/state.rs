//! Shared state handed to every request handler.

use std::sync::Arc;
use std::time::Duration;

use crate::config::Config;
use crate::db::{self, Db};
use crate::delivery::Mailer;
use crate::faults::Faults;
use crate::rate_limit::SignInLimiter;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Armed only through `/api/test/faults`, which exists only in test mode.
    pub faults: Arc<Faults>,
    /// `None` without `SMTP_URL`: the outbox table is then the only mail sink.
    pub mailer: Option<Arc<Mailer>>,
    pub test_mode: bool,
    /// Failed sign-ins per user id (`rate_limit.rs`), shared by
    /// `/api/session` and `/api/sign-in`.
    pub sign_in_limiter: Arc<SignInLimiter>,
    /// Always mark the session cookie `Secure` (see `sessions.rs`).
    pub secure_cookies: bool,
}

impl AppState {
    /// Opens (creating and seeding if needed) the database and the mailer.
    pub fn from_config(config: &Config) -> Result<AppState, String> {
        let connection = db::open_with_extra_users(
            &config.db_path,
            &config.admin_password,
            config.seed_users,
        )
        .map_err(|e| format!("cannot open the database {}: {e}", config.db_path.display()))?;
        let mailer = match &config.smtp_url {
            Some(url) => Some(Arc::new(Mailer::from_url(
                url,
                config.smtp_from.as_deref(),
            )?)),
            None => None,
        };
        Ok(AppState {
            db: db::shared(connection),
            faults: Arc::new(Faults::default()),
            mailer,
            test_mode: config.test_mode,
            sign_in_limiter: Arc::new(SignInLimiter::new(
                config.sign_in_limit,
                Duration::from_secs(config.sign_in_window_secs),
            )),
            secure_cookies: config.secure_cookies,
        })
    }
}
