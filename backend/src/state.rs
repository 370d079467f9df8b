//! Shared state handed to every request handler.

use std::sync::Arc;

use crate::config::Config;
use crate::db::{self, Db};
use crate::delivery::Mailer;
use crate::faults::Faults;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Armed only through `/api/test/faults`, which exists only in test mode.
    pub faults: Arc<Faults>,
    /// `None` without `SMTP_URL`: the outbox table is then the only mail sink.
    pub mailer: Option<Arc<Mailer>>,
    pub test_mode: bool,
}

impl AppState {
    /// Opens (creating and seeding if needed) the database and the mailer.
    pub fn from_config(config: &Config) -> Result<AppState, String> {
        let connection = db::open(&config.db_path)
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
        })
    }
}
