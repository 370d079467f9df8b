//! Shared state handed to every request handler.

use std::sync::Arc;
use std::time::Duration;

use crate::background::Tasks;
use crate::config::{Config, DirectoryChoice};
use crate::db::{self, Db};
use crate::delivery::Mailer;
use crate::directory::{Directory, LdapDirectory, SqliteDirectory};
use crate::faults::Faults;
use crate::in_flight::InFlight;
use crate::password_policy::PasswordPolicy;
use crate::passwords::HashPermits;
use crate::rate_limit::{ClientLimiter, SignInLimiter};
use crate::sessions::{self, CookiePolicy};

#[derive(Clone)]
pub struct AppState {
    /// The backend's own records: sessions, idempotency records, recovery
    /// codes, the outbox, the audit trail (and, by default, the users).
    pub db: Db,
    /// Where users and their passwords live (`directory/`): every question
    /// about a user or a password goes here, never to `users` directly.
    pub directory: Directory,
    /// Armed only through `/api/test/faults`, which exists only in test mode.
    pub faults: Arc<Faults>,
    /// `None` without `SMTP_URL`: the outbox table is then the only mail sink.
    pub mailer: Option<Arc<Mailer>>,
    /// The only domains a reset's `deliverTo` may name (`--delivery-domains`,
    /// lowercase); empty: any.
    pub delivery_domains: Arc<[String]>,
    pub test_mode: bool,
    /// Failed sign-ins per user id and per client address (`rate_limit.rs`),
    /// shared by `/api/session`, `/api/sign-in` and `/api/password-changes`.
    pub sign_in_limiter: Arc<SignInLimiter>,
    /// Argon2 computations at once (`--hash-permits`; `routes::hash_permit`).
    pub hash_permits: HashPermits,
    /// The session cookie's name and attributes, and the idle timeout
    /// (see `sessions.rs`).
    pub cookies: CookiePolicy,
    /// Minutes a confirmed password lets a session reset an administrator's
    /// password (`--step-up-minutes`; `routes::step_up`).
    pub step_up_minutes: u32,
    /// Hours until a temporary password expires (`--temporary-password-hours`).
    pub temporary_password_hours: u32,
    /// Administrators may recover by e-mail code (`--allow-admin-recovery`).
    pub allow_admin_recovery: bool,
    /// Password-recovery requests per client address.
    pub recovery_limiter: Arc<ClientLimiter>,
    /// E-mail and recovery codes sent after the answer.
    pub background: Arc<Tasks>,
    /// What every new password must meet (`--policy-*`).
    pub password_policy: Arc<PasswordPolicy>,
    /// The Idempotency-Keys of the resets being processed right now.
    pub in_flight: InFlight,
}

impl AppState {
    /// Opens (creating and seeding if needed) the database and the mailer.
    /// Outbox messages a previous run left being sent (it stopped between
    /// the commit and the mail server's answer) become `unknown`.
    pub fn from_config(config: &Config) -> Result<AppState, String> {
        let connection = db::open_with_extra_users(
            &config.db_path,
            &config.admin_password,
            config.seed_users,
        )
        .map_err(|e| format!("cannot open the database {}: {e}", config.db_path.display()))?;
        let interrupted = db::mark_interrupted_outbox(&connection)
            .map_err(|e| format!("cannot read the outbox: {e}"))?;
        if interrupted > 0 {
            tracing::warn!(
                messages = interrupted,
                "outbox messages the last run did not finish sending are marked unknown"
            );
        }
        let mailer = match &config.smtp_url {
            Some(url) => Some(Arc::new(Mailer::new(
                url,
                config.smtp_ca_file.as_deref(),
                config.smtp_from.as_deref(),
            )?)),
            None => None,
        };
        let password_policy = PasswordPolicy::load(
            &config.policy,
            config.policy_context_words.clone(),
            config.policy_blocklist.as_deref(),
        )?;
        let db = db::shared(connection);
        let hash_permits = HashPermits::new(config.hash_permits);
        let directory = match &config.directory {
            DirectoryChoice::Sqlite => Directory::Sqlite(SqliteDirectory::new(
                db.clone(),
                hash_permits.clone(),
                config.temporary_password_hours,
            )),
            DirectoryChoice::Ldap(ldap) => {
                Directory::Ldap(Arc::new(LdapDirectory::new(ldap.clone())?))
            }
        };
        Ok(AppState {
            db,
            directory,
            faults: Arc::new(Faults::default()),
            mailer,
            delivery_domains: config.delivery_domains.clone().into(),
            test_mode: config.test_mode,
            sign_in_limiter: Arc::new(SignInLimiter::new(
                config.sign_in_limit,
                Duration::from_secs(config.sign_in_window_secs),
                config.sign_in_client_limit,
            )),
            hash_permits,
            cookies: CookiePolicy {
                always_secure: config.secure_cookies,
                loopback: sessions::is_loopback_addr(&config.addr),
                idle_minutes: config.session_idle_minutes,
            },
            step_up_minutes: config.step_up_minutes,
            temporary_password_hours: config.temporary_password_hours,
            allow_admin_recovery: config.allow_admin_recovery,
            recovery_limiter: Arc::new(ClientLimiter::new(
                config.recovery_client_limit,
                Duration::from_secs(config.recovery_client_window_secs),
            )),
            background: Arc::new(Tasks::default()),
            password_policy: Arc::new(password_policy),
            in_flight: InFlight::default(),
        })
    }
}
