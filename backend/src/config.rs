//! Command-line flags and environment variables.
//!
//! Every flag but `--test-mode` also has an environment variable; a flag
//! wins over the variable, which wins over the default. Test mode is a
//! flag only, so that a variable left in a shell cannot turn it on. Plain `std::env` parsing keeps the
//! dependency list short.

use std::path::PathBuf;

use password_reset_widget::core::config::PolicySettings;

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
  --smtp-url URL     also send the real e-mail through this mail server [SMTP_URL]
                     (default: none, the outbox table is the only mail sink):
                       smtps://HOST[:PORT]  TLS from the first byte (port 465 by default)
                       smtp://HOST[:PORT]   STARTTLS, required (port 587 by default)
                       smtp://HOST[:PORT]?tls=none
                                            no encryption: only to a loopback host
                                            (127.0.0.0/8, ::1, localhost), else the
                                            server refuses to start
                     The server's certificate must be valid for HOST.
  --smtp-ca-file PEM also trust the certificate authorities in this PEM file for
                     the mail server's certificate (a private or test CA) [SMTP_CA_FILE]
  --smtp-from ADDR   sender address [SMTP_FROM]
                     (default \"Contoso IT <it-noreply@contoso.com>\")
  --delivery-domains D1,D2
                     a reset's deliverTo addresses must be in one of these domains
                     (exactly: not their subdomains; case-insensitive)
                     [DELIVERY_DOMAINS] (default: any domain)
  --policy-min-length N, --policy-max-length N, --policy-min-score S,
  --policy-require-classes N
                     the password policy every new password must meet (admin
                     resets, changes, recoveries), served to the widget at
                     GET /api/password-policy [POLICY_MIN_LENGTH, POLICY_MAX_LENGTH,
                     POLICY_MIN_SCORE, POLICY_REQUIRE_CLASSES] (defaults 12, 256,
                     3, 0; the same values and limits as the element's attributes)
  --policy-context-words W1,W2
                     the organisation's own words, which make a password that uses
                     them weaker [POLICY_CONTEXT_WORDS] (default none)
  --policy-blocklist FILE
                     banned passwords, one per line (# comments), refused
                     case-insensitively and served to the widget [POLICY_BLOCKLIST]
  --directory sqlite|ldap
                     where users and their passwords live [DIRECTORY] (default
                     sqlite: the database file above). With ldap, these say which
                     server and how (each also from its variable):
  --ldap-url URL     ldaps://HOST[:PORT] (TLS) or ldap://HOST[:PORT] with
                     --ldap-starttls; plain ldap:// only to a loopback host, and
                     never for Active Directory [LDAP_URL]
  --ldap-flavour openldap|active-directory
                     [LDAP_FLAVOUR] (default openldap)
  --ldap-starttls    upgrade an ldap:// connection with StartTLS [LDAP_STARTTLS=1]
  --ldap-ca-file PEM also trust these certificate authorities for the directory's
                     certificate [LDAP_CA_FILE]
  --bind-dn DN       the service account that searches and resets [LDAP_BIND_DN]
  --bind-password-file FILE
                     its password, read from this file (never the command line)
                     [LDAP_BIND_PASSWORD_FILE]
  --base-dn DN       where users are searched [LDAP_BASE_DN]
  --user-filter F    which entries are users [LDAP_USER_FILTER] (default
                     (objectClass=inetOrgPerson), or for Active Directory the
                     enabled accounts: (&(objectCategory=person)(objectClass=user)
                     (!(userAccountControl:1.2.840.113556.1.4.803:=2))))
  --admin-group DN   members of this group are administrators [LDAP_ADMIN_GROUP]
                     (OpenLDAP: a groupOfNames' member values; AD: memberOf)
  --ldap-id-attribute A, --ldap-name-attribute A, --ldap-mail-attribute A,
  --ldap-alternate-mail-attribute A
                     [LDAP_ID_ATTRIBUTE, LDAP_NAME_ATTRIBUTE, LDAP_MAIL_ATTRIBUTE,
                     LDAP_ALTERNATE_MAIL_ATTRIBUTE] (defaults uid, cn, mail,
                     otherMailbox; for Active Directory sAMAccountName,
                     displayName, mail, otherMailbox)
  --ldap-timeout-secs S
                     connection and operation timeout [LDAP_TIMEOUT_SECS] (default 5)
  -h, --help         print this help
";

#[derive(Clone, PartialEq, Eq)]
pub struct Config {
    pub addr: String,
    pub db_path: PathBuf,
    pub www_dir: PathBuf,
    pub dist_dir: PathBuf,
    pub test_mode: bool,
    /// The mail server (see [`parse_smtp_url`]); `None`: outbox only.
    pub smtp_url: Option<String>,
    /// A PEM file of certificate authorities also trusted for the mail server.
    pub smtp_ca_file: Option<PathBuf>,
    pub smtp_from: Option<String>,
    /// Domains a reset's `deliverTo` addresses must be in (lowercase, exact
    /// match); empty: any.
    pub delivery_domains: Vec<String>,
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
    /// The password policy's numbers (`password_policy.rs`).
    pub policy: PolicySettings,
    pub policy_context_words: Vec<String>,
    pub policy_blocklist: Option<PathBuf>,
    /// Where users and their passwords live.
    pub directory: DirectoryChoice,
}

/// `--directory`: the embedded SQLite users (the default) or an LDAP server.
// Made once per process: boxing the settings would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirectoryChoice {
    Sqlite,
    Ldap(LdapConfig),
}

/// Which LDAP server: they differ in how a password is set and how
/// must-change is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LdapFlavour {
    /// Password Modify (RFC 3062) and the ppolicy overlay's `pwdReset`.
    OpenLdap,
    /// `unicodePwd` over TLS, `pwdLastSet: 0`, `memberOf`.
    ActiveDirectory,
}

/// The LDAP directory's settings (`--directory ldap`). The service
/// account's password is not here: it is read from `bind_password_file`
/// when the directory is opened (`directory::ldap::LdapDirectory::new`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LdapConfig {
    /// `ldaps://…` or `ldap://…` (with `starttls`, or to a loopback host).
    pub url: String,
    pub flavour: LdapFlavour,
    pub starttls: bool,
    /// Also trusted for the server's certificate, besides the public roots.
    pub ca_file: Option<PathBuf>,
    pub bind_dn: String,
    pub bind_password_file: PathBuf,
    pub base_dn: String,
    pub user_filter: String,
    pub admin_group: String,
    pub id_attribute: String,
    pub name_attribute: String,
    pub mail_attribute: String,
    pub alternate_mail_attribute: String,
    /// For connecting and for each operation.
    pub timeout: std::time::Duration,
    /// At most this many connections to the directory at once (operations
    /// beyond wait for one, for at most `timeout`).
    pub max_connections: usize,
}

impl LdapConfig {
    /// The settings for `flavour` with its default filter and attributes.
    pub fn new(
        flavour: LdapFlavour,
        url: &str,
        bind_dn: &str,
        bind_password_file: PathBuf,
        base_dn: &str,
        admin_group: &str,
    ) -> LdapConfig {
        let (filter, id, name) = match flavour {
            LdapFlavour::OpenLdap => ("(objectClass=inetOrgPerson)", "uid", "cn"),
            // Enabled accounts only (bit 2 of userAccountControl: disabled).
            LdapFlavour::ActiveDirectory => (
                "(&(objectCategory=person)(objectClass=user)\
                 (!(userAccountControl:1.2.840.113556.1.4.803:=2)))",
                "sAMAccountName",
                "displayName",
            ),
        };
        LdapConfig {
            url: url.to_owned(),
            flavour,
            starttls: false,
            ca_file: None,
            bind_dn: bind_dn.to_owned(),
            bind_password_file,
            base_dn: base_dn.to_owned(),
            user_filter: filter.to_owned(),
            admin_group: admin_group.to_owned(),
            id_attribute: id.to_owned(),
            name_attribute: name.to_owned(),
            mail_attribute: "mail".to_owned(),
            alternate_mail_attribute: "otherMailbox".to_owned(),
            timeout: std::time::Duration::from_secs(DEFAULT_LDAP_TIMEOUT_SECS),
            max_connections: DEFAULT_LDAP_CONNECTIONS,
        }
    }
}

/// Seconds to connect to the directory, and for each of its operations.
pub const DEFAULT_LDAP_TIMEOUT_SECS: u64 = 5;

/// Connections to the directory open at once, at most.
pub const DEFAULT_LDAP_CONNECTIONS: usize = 16;

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
            .field("smtp_ca_file", &self.smtp_ca_file)
            .field("smtp_from", &self.smtp_from)
            .field("delivery_domains", &self.delivery_domains)
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
            .field("policy", &self.policy)
            .field("policy_context_words", &self.policy_context_words)
            .field("policy_blocklist", &self.policy_blocklist)
            .field("directory", &self.directory)
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
            smtp_ca_file: None,
            smtp_from: None,
            delivery_domains: Vec::new(),
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
            policy: PolicySettings::default(),
            policy_context_words: Vec::new(),
            policy_blocklist: None,
            directory: DirectoryChoice::Sqlite,
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
            smtp_ca_file: non_empty("SMTP_CA_FILE").map(PathBuf::from),
            smtp_from: non_empty("SMTP_FROM"),
            delivery_domains: match non_empty("DELIVERY_DOMAINS") {
                Some(value) => domain_list("DELIVERY_DOMAINS", &value)?,
                None => Vec::new(),
            },
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
            policy: PolicySettings {
                min_length: non_empty("POLICY_MIN_LENGTH")
                    .map(|v| number("POLICY_MIN_LENGTH", &v))
                    .transpose()?,
                max_length: non_empty("POLICY_MAX_LENGTH")
                    .map(|v| number("POLICY_MAX_LENGTH", &v))
                    .transpose()?,
                min_score: non_empty("POLICY_MIN_SCORE")
                    .map(|v| number("POLICY_MIN_SCORE", &v))
                    .transpose()?,
                require_classes: non_empty("POLICY_REQUIRE_CLASSES")
                    .map(|v| number("POLICY_REQUIRE_CLASSES", &v))
                    .transpose()?,
            },
            policy_context_words: non_empty("POLICY_CONTEXT_WORDS")
                .map(|v| words(&v))
                .unwrap_or_default(),
            policy_blocklist: non_empty("POLICY_BLOCKLIST").map(PathBuf::from),
            directory: DirectoryChoice::Sqlite,
        };
        // The directory's settings, gathered first and checked together below.
        let mut ldap = LdapFlags::default();
        for (name, slot) in ldap.slots() {
            *slot = non_empty(name);
        }

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
                "--smtp-url" => config.smtp_url = Some(value()?),
                "--smtp-ca-file" => config.smtp_ca_file = Some(value()?.into()),
                "--smtp-from" => config.smtp_from = Some(value()?),
                "--delivery-domains" => config.delivery_domains = domain_list(&flag, &value()?)?,
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
                "--policy-min-length" => config.policy.min_length = Some(number(&flag, &value()?)?),
                "--policy-max-length" => config.policy.max_length = Some(number(&flag, &value()?)?),
                "--policy-min-score" => config.policy.min_score = Some(number(&flag, &value()?)?),
                "--policy-require-classes" => {
                    config.policy.require_classes = Some(number(&flag, &value()?)?)
                }
                "--policy-context-words" => config.policy_context_words = words(&value()?),
                "--policy-blocklist" => config.policy_blocklist = Some(value()?.into()),
                "--step-up-minutes" => config.step_up_minutes = positive(&flag, &value()?)?,
                "--ldap-starttls" if inline_value.is_none() => ldap.starttls = Some("1".into()),
                _ if LdapFlags::variable(&flag).is_some() => {
                    let variable = LdapFlags::variable(&flag).unwrap_or_default();
                    let given = value()?;
                    for (name, slot) in ldap.slots() {
                        if name == variable {
                            *slot = Some(given.clone());
                        }
                    }
                }
                "-h" | "--help" => return Ok(Command::Help),
                // Never the value: a mistyped `--admin-pasword=…` or a stray
                // word of a password split by the shell would land on stderr.
                _ if flag.starts_with('-') => {
                    return Err(format!("unknown option {flag:?}\n\n{USAGE}"))
                }
                _ => return Err(format!("unexpected argument (not shown)\n\n{USAGE}")),
            }
        }
        // The policy's values are checked by the widget's own parser.
        let policy = config
            .policy
            .to_policy()
            .map_err(|e| format!("--policy-{}: {}", e.attribute, e.message))?;
        if config.admin_password.chars().count() < policy.min_length {
            return Err(format!(
                "the admin password must have at least {} characters (--policy-min-length)",
                policy.min_length
            ));
        }
        check_smtp(&config)?;
        config.directory = ldap.into_choice()?;
        Ok(Command::Run(config))
    }
}

/// The directory's flags (or variables) as given, before they are checked.
#[derive(Default)]
struct LdapFlags {
    directory: Option<String>,
    url: Option<String>,
    flavour: Option<String>,
    starttls: Option<String>,
    ca_file: Option<String>,
    bind_dn: Option<String>,
    bind_password_file: Option<String>,
    base_dn: Option<String>,
    user_filter: Option<String>,
    admin_group: Option<String>,
    id_attribute: Option<String>,
    name_attribute: Option<String>,
    mail_attribute: Option<String>,
    alternate_mail_attribute: Option<String>,
    timeout_secs: Option<String>,
}

impl LdapFlags {
    /// (flag, variable) of each setting, in the order of [`LdapFlags::slots`].
    const NAMES: [(&'static str, &'static str); 15] = [
        ("--directory", "DIRECTORY"),
        ("--ldap-url", "LDAP_URL"),
        ("--ldap-flavour", "LDAP_FLAVOUR"),
        ("--ldap-starttls", "LDAP_STARTTLS"),
        ("--ldap-ca-file", "LDAP_CA_FILE"),
        ("--bind-dn", "LDAP_BIND_DN"),
        ("--bind-password-file", "LDAP_BIND_PASSWORD_FILE"),
        ("--base-dn", "LDAP_BASE_DN"),
        ("--user-filter", "LDAP_USER_FILTER"),
        ("--admin-group", "LDAP_ADMIN_GROUP"),
        ("--ldap-id-attribute", "LDAP_ID_ATTRIBUTE"),
        ("--ldap-name-attribute", "LDAP_NAME_ATTRIBUTE"),
        ("--ldap-mail-attribute", "LDAP_MAIL_ATTRIBUTE"),
        (
            "--ldap-alternate-mail-attribute",
            "LDAP_ALTERNATE_MAIL_ATTRIBUTE",
        ),
        ("--ldap-timeout-secs", "LDAP_TIMEOUT_SECS"),
    ];

    /// The variable of a flag that takes a value (not `--ldap-starttls`).
    fn variable(flag: &str) -> Option<&'static str> {
        LdapFlags::NAMES
            .iter()
            .find(|(name, _)| *name == flag && flag != "--ldap-starttls")
            .map(|(_, variable)| *variable)
    }

    fn slots(&mut self) -> [(&'static str, &mut Option<String>); 15] {
        let names = LdapFlags::NAMES.map(|(_, variable)| variable);
        let [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o] = names;
        [
            (a, &mut self.directory),
            (b, &mut self.url),
            (c, &mut self.flavour),
            (d, &mut self.starttls),
            (e, &mut self.ca_file),
            (f, &mut self.bind_dn),
            (g, &mut self.bind_password_file),
            (h, &mut self.base_dn),
            (i, &mut self.user_filter),
            (j, &mut self.admin_group),
            (k, &mut self.id_attribute),
            (l, &mut self.name_attribute),
            (m, &mut self.mail_attribute),
            (n, &mut self.alternate_mail_attribute),
            (o, &mut self.timeout_secs),
        ]
    }

    fn into_choice(mut self) -> Result<DirectoryChoice, String> {
        let named = |variable: &str| {
            let flag = LdapFlags::NAMES
                .iter()
                .find(|(_, v)| *v == variable)
                .map_or("", |(flag, _)| *flag);
            format!("{flag} ({variable})")
        };
        match self.directory.as_deref() {
            None | Some("sqlite") => {
                let given: Vec<String> = self
                    .slots()
                    .into_iter()
                    .skip(1)
                    .filter(|(_, slot)| slot.is_some())
                    .map(|(variable, _)| named(variable))
                    .collect();
                return match given.first() {
                    Some(first) => Err(format!("{first} needs --directory ldap (DIRECTORY=ldap)")),
                    None => Ok(DirectoryChoice::Sqlite),
                };
            }
            Some("ldap") => {}
            Some(_) => return Err("--directory (DIRECTORY) must be sqlite or ldap".into()),
        }
        let flavour = match self.flavour.as_deref() {
            None | Some("openldap") => LdapFlavour::OpenLdap,
            Some("active-directory") => LdapFlavour::ActiveDirectory,
            Some(_) => {
                return Err(
                    "--ldap-flavour (LDAP_FLAVOUR) must be openldap or active-directory".into(),
                )
            }
        };
        let required = |slot: &mut Option<String>, variable: &str| {
            slot.take()
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| format!("--directory ldap needs {}", named(variable)))
        };
        let url = required(&mut self.url, "LDAP_URL")?;
        let bind_dn = required(&mut self.bind_dn, "LDAP_BIND_DN")?;
        let password_file = required(&mut self.bind_password_file, "LDAP_BIND_PASSWORD_FILE")?;
        let base_dn = required(&mut self.base_dn, "LDAP_BASE_DN")?;
        let admin_group = required(&mut self.admin_group, "LDAP_ADMIN_GROUP")?;
        let mut config = LdapConfig::new(
            flavour,
            &url,
            &bind_dn,
            password_file.into(),
            &base_dn,
            &admin_group,
        );
        config.starttls = matches!(self.starttls.as_deref(), Some("1" | "true" | "yes"));
        config.ca_file = self.ca_file.map(PathBuf::from);
        for (given, slot) in [
            (self.user_filter, &mut config.user_filter),
            (self.id_attribute, &mut config.id_attribute),
            (self.name_attribute, &mut config.name_attribute),
            (self.mail_attribute, &mut config.mail_attribute),
            (
                self.alternate_mail_attribute,
                &mut config.alternate_mail_attribute,
            ),
        ] {
            if let Some(given) = given {
                *slot = given;
            }
        }
        if !(config.user_filter.starts_with('(') && config.user_filter.ends_with(')')) {
            return Err(
                "--user-filter (LDAP_USER_FILTER) must be an LDAP filter in parentheses".into(),
            );
        }
        for (attribute, variable) in [
            (&config.id_attribute, "LDAP_ID_ATTRIBUTE"),
            (&config.name_attribute, "LDAP_NAME_ATTRIBUTE"),
            (&config.mail_attribute, "LDAP_MAIL_ATTRIBUTE"),
            (
                &config.alternate_mail_attribute,
                "LDAP_ALTERNATE_MAIL_ATTRIBUTE",
            ),
        ] {
            let name_like = attribute.starts_with(|c: char| c.is_ascii_alphabetic())
                && attribute
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !name_like {
                return Err(format!("{} must be an attribute name", named(variable)));
            }
        }
        if let Some(secs) = self.timeout_secs {
            config.timeout = std::time::Duration::from_secs(positive::<u64>(
                &named("LDAP_TIMEOUT_SECS"),
                &secs,
            )?);
        }
        check_ldap_url(&config).map_err(|e| format!("--ldap-url (LDAP_URL): {e}"))?;
        Ok(DirectoryChoice::Ldap(config))
    }
}

/// The directory's URL is `ldaps://` or `ldap://`, without credentials, a
/// path or a query; the password travels encrypted unless the server is on
/// this machine; Active Directory (whose `unicodePwd` needs an encrypted
/// connection) is never spoken to in plain text.
pub fn check_ldap_url(config: &LdapConfig) -> Result<(), String> {
    let (tls, rest) = if let Some(rest) = config.url.strip_prefix("ldaps://") {
        (true, rest)
    } else if let Some(rest) = config.url.strip_prefix("ldap://") {
        (false, rest)
    } else {
        return Err("use ldaps://HOST[:PORT], or ldap://HOST[:PORT] with --ldap-starttls".into());
    };
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.contains(['@', '/', '?', '#']) {
        return Err("the URL must be only ldaps://HOST[:PORT] or ldap://HOST[:PORT]".into());
    }
    let host = if let Some(bracketed) = authority.strip_prefix('[') {
        bracketed
            .split_once(']')
            .map(|(host, _)| host)
            .ok_or("unclosed [ in the URL")?
    } else {
        authority.split(':').next().unwrap_or("")
    };
    if host.is_empty() {
        return Err("the URL has no host".into());
    }
    if tls && config.starttls {
        return Err("--ldap-starttls is for ldap:// URLs; ldaps:// is TLS already".into());
    }
    if !tls && !config.starttls {
        if config.flavour == LdapFlavour::ActiveDirectory {
            return Err(
                "Active Directory sets passwords only over an encrypted connection: \
                 use ldaps://, or ldap:// with --ldap-starttls"
                    .into(),
            );
        }
        if !is_loopback_host(host) {
            return Err(
                "refusing to send passwords without TLS to a host that is not a loopback \
                 address: use ldaps://, or ldap:// with --ldap-starttls"
                    .into(),
            );
        }
    }
    if !tls && !config.starttls && config.ca_file.is_some() {
        return Err("--ldap-ca-file is for TLS, but the connection would be plain".into());
    }
    Ok(())
}

/// The mail settings agree: the URL is one [`parse_smtp_url`] accepts, and
/// a CA file comes with a URL that uses TLS.
fn check_smtp(config: &Config) -> Result<(), String> {
    let url = match &config.smtp_url {
        Some(url) => Some(parse_smtp_url(url).map_err(|e| format!("--smtp-url (SMTP_URL): {e}"))?),
        None => None,
    };
    match (url, &config.smtp_ca_file) {
        (None, Some(_)) => Err("--smtp-ca-file (SMTP_CA_FILE) needs --smtp-url (SMTP_URL)".into()),
        (Some(url), Some(_)) if url.security == SmtpSecurity::Plain => {
            Err("--smtp-ca-file (SMTP_CA_FILE) is for TLS, but the SMTP URL says tls=none".into())
        }
        _ => Ok(()),
    }
}

/// How the backend speaks to its mail server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// `smtps://`: TLS from the first byte.
    ImplicitTls,
    /// `smtp://`: plain at first, then STARTTLS, which the server must offer.
    StartTls,
    /// `smtp://…?tls=none`: no encryption (only to a loopback host).
    Plain,
}

/// A parsed `SMTP_URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpUrl {
    pub security: SmtpSecurity,
    /// A name or an IP address (an IPv6 one without its brackets).
    pub host: String,
    pub port: u16,
}

/// Reads `smtps://host[:port]` (implicit TLS, port 465 by default),
/// `smtp://host[:port]` (STARTTLS required, port 587 by default; the
/// `?tls=required` of other tools means the same) and
/// `smtp://host[:port]?tls=none` (plain). The e-mail carries passwords:
/// plain SMTP is refused unless `host` is a loopback one (127.0.0.0/8,
/// `::1`, `localhost`), and opportunistic STARTTLS (which an attacker in
/// the path can strip) is not offered. The messages never repeat the URL,
/// which could hold credentials.
pub fn parse_smtp_url(url: &str) -> Result<SmtpUrl, String> {
    const FORMS: &str = "use smtps://HOST[:PORT] (TLS, port 465 by default) or smtp://HOST[:PORT] \
                         (STARTTLS, port 587 by default)";
    let (mut security, default_port, rest) = if let Some(rest) = url.strip_prefix("smtps://") {
        (SmtpSecurity::ImplicitTls, 465, rest)
    } else if let Some(rest) = url.strip_prefix("smtp://") {
        (SmtpSecurity::StartTls, 587, rest)
    } else {
        return Err(format!("the SMTP URL has an unknown scheme: {FORMS}"));
    };
    let (authority, query) = match rest.split_once('?') {
        Some((authority, query)) => (authority, Some(query)),
        None => (rest, None),
    };
    let authority = authority.strip_suffix('/').unwrap_or(authority);
    if authority.contains('@') {
        return Err(
            "credentials in the SMTP URL are not supported: use a relay that accepts \
                    this server without them"
                .into(),
        );
    }
    if authority.contains('/') {
        return Err(format!("the SMTP URL has a path: {FORMS}"));
    }
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, after) = bracketed
            .split_once(']')
            .ok_or("the SMTP URL's IPv6 address has no closing ]")?;
        match after {
            "" => (host, None),
            _ => match after.strip_prefix(':') {
                Some(port) => (host, Some(port)),
                None => return Err(format!("the SMTP URL's host is malformed: {FORMS}")),
            },
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() || host.contains(':') && !authority.starts_with('[') {
        return Err(format!(
            "the SMTP URL needs a host (an IPv6 address in brackets): {FORMS}"
        ));
    }
    let port = match port {
        None => default_port,
        Some(port) => match port.parse::<u16>() {
            Ok(port) if port > 0 => port,
            _ => return Err(format!("the SMTP URL's port {port:?} is not a port number")),
        },
    };
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        match pair {
            "tls=required" if security == SmtpSecurity::StartTls => {}
            "tls=none" if security == SmtpSecurity::StartTls => security = SmtpSecurity::Plain,
            "tls=opportunistic" => {
                return Err(
                    "tls=opportunistic is not supported: STARTTLS that an attacker \
                            can strip would send passwords in the clear; smtp:// requires it"
                        .into(),
                )
            }
            _ => {
                // The name only: a value could be a secret.
                let name = pair.split('=').next().unwrap_or_default();
                return Err(format!(
                    "the SMTP URL's parameter {name:?} (or its value) is not supported \
                     (smtp:// takes tls=none for a loopback relay, or tls=required, the \
                     default; smtps:// takes none)"
                ));
            }
        }
    }
    if security == SmtpSecurity::Plain && !is_loopback_host(host) {
        return Err(format!(
            "refusing to send e-mail (which carries passwords) without TLS to {host}, \
             which is not a loopback address: plain SMTP (tls=none) is only allowed to \
             127.0.0.0/8, ::1 or localhost; {FORMS}"
        ));
    }
    Ok(SmtpUrl {
        security,
        host: host.to_owned(),
        port,
    })
}

/// `localhost`, or an address in 127.0.0.0/8 or `::1` (an IPv4-mapped one
/// too). Names are not resolved: `mail.internal` is not loopback even if it
/// points there.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.to_canonical().is_loopback())
}

/// A comma-separated list of mail domains, lowercased, for `what`.
fn domain_list(what: &str, value: &str) -> Result<Vec<String>, String> {
    let mut domains = Vec::new();
    for entry in value.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let domain = entry
            .strip_suffix('.')
            .unwrap_or(entry)
            .to_ascii_lowercase();
        let valid_label = |label: &str| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        if domain.len() > 253 || !domain.split('.').all(valid_label) {
            return Err(format!(
                "{what}: {entry:?} is not a domain name such as contoso.com (no @, no \
                 wildcard; an internationalised domain in its xn-- form)"
            ));
        }
        if !domains.contains(&domain) {
            domains.push(domain);
        }
    }
    if domains.is_empty() {
        return Err(format!(
            "{what} needs at least one domain, such as contoso.com,fabrikam.com"
        ));
    }
    Ok(domains)
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

/// A whole number (zero allowed; the policy's parser checks the range).
fn number<T: std::str::FromStr>(what: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{what}: {value:?} is not a whole number"))
}

/// A comma-separated list, trimmed, without empty entries.
fn words(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

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
    fn policy_options() {
        let config = run(
            &[
                "--policy-min-length=16",
                "--policy-require-classes",
                "3",
                "--policy-context-words",
                " contoso, fabrikam ,",
                "--policy-blocklist=banned.txt",
            ],
            &[("POLICY_MIN_SCORE", "4"), ("POLICY_MIN_LENGTH", "14")],
        );
        assert_eq!(
            config.policy,
            PolicySettings {
                min_length: Some(16),
                max_length: None,
                min_score: Some(4),
                require_classes: Some(3),
            }
        );
        assert_eq!(config.policy_context_words, ["contoso", "fabrikam"]);
        assert_eq!(config.policy_blocklist, Some(PathBuf::from("banned.txt")));
        // The element's own limits, named by the option.
        let refused = Config::parse(["--policy-min-score".into(), "5".into()], |_| None);
        assert!(refused.unwrap_err().starts_with("--policy-min-score"));
        let refused = Config::parse(["--policy-max-length=32".into()], |_| None);
        assert!(refused.unwrap_err().starts_with("--policy-max-length"));
        // The admin password meets the policy's length.
        let refused = Config::parse(["--policy-min-length=30".into()], |_| None);
        assert!(refused.unwrap_err().contains("at least 30 characters"));
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
    fn smtp_urls_use_tls_unless_the_relay_is_on_this_machine() {
        let url = |security, host: &str, port| SmtpUrl {
            security,
            host: host.to_owned(),
            port,
        };
        use SmtpSecurity::*;
        for (text, expected) in [
            (
                "smtps://mail.contoso.com",
                url(ImplicitTls, "mail.contoso.com", 465),
            ),
            (
                "smtps://mail.contoso.com:2465/",
                url(ImplicitTls, "mail.contoso.com", 2465),
            ),
            (
                "smtp://mail.contoso.com",
                url(StartTls, "mail.contoso.com", 587),
            ),
            (
                "smtp://mail.contoso.com:25",
                url(StartTls, "mail.contoso.com", 25),
            ),
            (
                "smtp://mail.contoso.com:587?tls=required",
                url(StartTls, "mail.contoso.com", 587),
            ),
            (
                "smtp://127.0.0.1:2525?tls=none",
                url(Plain, "127.0.0.1", 2525),
            ),
            ("smtp://127.8.9.10?tls=none", url(Plain, "127.8.9.10", 587)),
            ("smtp://localhost:25?tls=none", url(Plain, "localhost", 25)),
            (
                "smtp://LocalHost.:25?tls=none",
                url(Plain, "LocalHost.", 25),
            ),
            ("smtp://[::1]:2525?tls=none", url(Plain, "::1", 2525)),
            (
                "smtp://[::ffff:127.0.0.1]?tls=none",
                url(Plain, "::ffff:127.0.0.1", 587),
            ),
            (
                "smtp://[2001:db8::5]:587",
                url(StartTls, "2001:db8::5", 587),
            ),
        ] {
            assert_eq!(parse_smtp_url(text), Ok(expected), "{text}");
        }
        // Plain SMTP anywhere else is refused, whatever the port.
        for text in [
            "smtp://mail.contoso.com:25?tls=none",
            "smtp://192.168.1.5:25?tls=none",
            "smtp://0.0.0.0:25?tls=none",
            "smtp://[::]:25?tls=none",
            "smtp://localhost.contoso.com?tls=none",
            "smtp://127.0.0.1.nip.io?tls=none",
        ] {
            let refused = parse_smtp_url(text).unwrap_err();
            assert!(refused.contains("without TLS"), "{text}: {refused}");
            assert!(refused.contains("loopback"), "{text}: {refused}");
        }
        for text in [
            "smtp://mail.contoso.com?tls=opportunistic",
            "smtps://localhost?tls=none",
            "smtp://mail.contoso.com?tls=sometimes",
            "http://mail.contoso.com",
            "mail.contoso.com:25",
            "smtp://",
            "smtp://:25",
            "smtp://mail.contoso.com:0",
            "smtp://mail.contoso.com:99999",
            "smtp://::1:25?tls=none",
            "smtp://[::1?tls=none",
            "smtp://mail.contoso.com/relay",
        ] {
            assert!(parse_smtp_url(text).is_err(), "{text}");
        }
        // Credentials are refused, and never repeated.
        for text in [
            "smtps://it:Hunter2-Secret@mail.contoso.com",
            "smtp://mail.contoso.com?password=Hunter2-Secret",
        ] {
            let refused = parse_smtp_url(text).unwrap_err();
            assert!(!refused.contains("Hunter2"), "{refused}");
        }
    }

    #[test]
    fn a_plain_smtp_url_to_another_host_stops_the_start() {
        let refused =
            parse(&["--smtp-url", "smtp://mail.contoso.com:25?tls=none"], &[]).unwrap_err();
        assert!(
            refused.starts_with("--smtp-url (SMTP_URL): refusing"),
            "{refused}"
        );
        let env = [("SMTP_URL", "smtp://10.0.0.25?tls=none")];
        assert!(parse(&[], &env)
            .unwrap_err()
            .contains("not a loopback address"));
        // The flag wins over the variable, and is checked as it.
        let config = run(&["--smtp-url=smtp://127.0.0.1:2525?tls=none"], &env);
        assert_eq!(
            config.smtp_url.as_deref(),
            Some("smtp://127.0.0.1:2525?tls=none")
        );
        let config = run(
            &[
                "--smtp-ca-file",
                "/etc/ca.pem",
                "--smtp-from",
                "IT <it@contoso.com>",
            ],
            &[("SMTP_URL", "smtp://mail.contoso.com")],
        );
        assert_eq!(config.smtp_ca_file, Some(PathBuf::from("/etc/ca.pem")));
        assert_eq!(config.smtp_from.as_deref(), Some("IT <it@contoso.com>"));
        let env = [
            ("SMTP_URL", "smtps://mail.contoso.com"),
            ("SMTP_CA_FILE", "ca.pem"),
        ];
        assert_eq!(run(&[], &env).smtp_ca_file, Some(PathBuf::from("ca.pem")));
        // A CA file without TLS (or without a mail server) is a mistake.
        assert!(parse(&["--smtp-ca-file", "ca.pem"], &[]).is_err());
        let plain = [
            ("SMTP_URL", "smtp://localhost?tls=none"),
            ("SMTP_CA_FILE", "ca.pem"),
        ];
        assert!(parse(&[], &plain).is_err());
    }

    #[test]
    fn delivery_domains() {
        assert!(
            run(&[], &[]).delivery_domains.is_empty(),
            "any domain by default"
        );
        let config = run(
            &[
                "--delivery-domains",
                "Contoso.COM, fabrikam.com.,contoso.com",
            ],
            &[],
        );
        assert_eq!(config.delivery_domains, ["contoso.com", "fabrikam.com"]);
        let env = [("DELIVERY_DOMAINS", "fabrikam.com")];
        assert_eq!(run(&[], &env).delivery_domains, ["fabrikam.com"]);
        assert_eq!(
            run(&["--delivery-domains=contoso.com"], &env).delivery_domains,
            ["contoso.com"],
            "the flag wins"
        );
        for bad in [
            "",
            " , ",
            "@contoso.com",
            "*.contoso.com",
            "contoso..com",
            "-x.com",
            "exämple.se",
        ] {
            assert!(parse(&["--delivery-domains", bad], &[]).is_err(), "{bad:?}");
        }
    }

    fn ldap_of(config: &Config) -> &LdapConfig {
        match &config.directory {
            DirectoryChoice::Ldap(ldap) => ldap,
            DirectoryChoice::Sqlite => panic!("expected the LDAP directory"),
        }
    }

    const LDAP_FLAGS: [&str; 10] = [
        "--directory",
        "ldap",
        "--bind-dn",
        "cn=reset-service,dc=contoso,dc=com",
        "--bind-password-file",
        "/run/secrets/ldap",
        "--base-dn=dc=contoso,dc=com",
        "--admin-group=cn=admins,dc=contoso,dc=com",
        "--ldap-url",
        "ldaps://ldap.contoso.com",
    ];

    #[test]
    fn the_directory_is_sqlite_unless_ldap_is_chosen() {
        assert_eq!(run(&[], &[]).directory, DirectoryChoice::Sqlite);
        assert_eq!(
            run(&["--directory", "sqlite"], &[]).directory,
            DirectoryChoice::Sqlite
        );
        assert!(parse(&["--directory", "ad"], &[]).is_err());
        // LDAP settings without --directory ldap are a mistake.
        let refused = parse(&["--base-dn", "dc=contoso,dc=com"], &[]).unwrap_err();
        assert!(
            refused.contains("--base-dn") && refused.contains("--directory ldap"),
            "{refused}"
        );
        assert!(parse(&[], &[("LDAP_URL", "ldaps://ldap.contoso.com")]).is_err());
    }

    #[test]
    fn ldap_flags_and_their_defaults() {
        let config = run(&LDAP_FLAGS, &[]);
        let ldap = ldap_of(&config);
        assert_eq!(ldap.url, "ldaps://ldap.contoso.com");
        assert_eq!(ldap.flavour, LdapFlavour::OpenLdap);
        assert_eq!(ldap.bind_dn, "cn=reset-service,dc=contoso,dc=com");
        assert_eq!(ldap.bind_password_file, PathBuf::from("/run/secrets/ldap"));
        assert_eq!(ldap.base_dn, "dc=contoso,dc=com");
        assert_eq!(ldap.admin_group, "cn=admins,dc=contoso,dc=com");
        assert_eq!(ldap.user_filter, "(objectClass=inetOrgPerson)");
        assert_eq!(
            (ldap.id_attribute.as_str(), ldap.name_attribute.as_str()),
            ("uid", "cn")
        );
        assert_eq!(ldap.alternate_mail_attribute, "otherMailbox");
        assert_eq!(ldap.timeout, std::time::Duration::from_secs(5));
        assert!(!ldap.starttls && ldap.ca_file.is_none());

        let mut args = LDAP_FLAGS.to_vec();
        args.extend([
            "--ldap-flavour",
            "active-directory",
            "--ldap-ca-file",
            "/etc/ldap/ca.pem",
            "--ldap-timeout-secs",
            "2",
            "--ldap-alternate-mail-attribute",
            "contosoPrivateMail",
        ]);
        let config = run(&args, &[]);
        let ad = ldap_of(&config);
        assert_eq!(ad.flavour, LdapFlavour::ActiveDirectory);
        assert_eq!(ad.id_attribute, "sAMAccountName");
        assert_eq!(ad.name_attribute, "displayName");
        assert!(ad.user_filter.starts_with("(&(objectCategory=person)"));
        assert_eq!(ad.ca_file, Some(PathBuf::from("/etc/ldap/ca.pem")));
        assert_eq!(ad.timeout, std::time::Duration::from_secs(2));
        assert_eq!(ad.alternate_mail_attribute, "contosoPrivateMail");

        // The same from the environment; a flag wins.
        let env = [
            ("DIRECTORY", "ldap"),
            ("LDAP_URL", "ldap://ldap.contoso.com"),
            ("LDAP_STARTTLS", "1"),
            ("LDAP_BIND_DN", "cn=svc,dc=contoso,dc=com"),
            ("LDAP_BIND_PASSWORD_FILE", "/run/secrets/ldap"),
            ("LDAP_BASE_DN", "dc=contoso,dc=com"),
            ("LDAP_ADMIN_GROUP", "cn=admins,dc=contoso,dc=com"),
            ("LDAP_USER_FILTER", "(objectClass=person)"),
            ("LDAP_ID_ATTRIBUTE", "mail"),
        ];
        let config = run(&["--base-dn", "ou=people,dc=contoso,dc=com"], &env);
        let from_env = ldap_of(&config);
        assert!(from_env.starttls);
        assert_eq!(from_env.user_filter, "(objectClass=person)");
        assert_eq!(from_env.id_attribute, "mail");
        assert_eq!(from_env.base_dn, "ou=people,dc=contoso,dc=com");
        let incomplete = parse(&["--ldap-starttls"], &env[..2]).unwrap_err();
        assert!(
            incomplete.contains("--bind-dn (LDAP_BIND_DN)"),
            "{incomplete}"
        );
        assert!(parse(&["--ldap-starttls"], &[]).is_err(), "with SQLite");
    }

    #[test]
    fn ldap_settings_that_cannot_work_stop_the_start() {
        let with = |extra: &[&str]| {
            let mut args = LDAP_FLAGS.to_vec();
            args.extend(extra);
            parse(&args, &[])
        };
        for (extra, says) in [
            (
                &["--ldap-url", "ldap://ldap.contoso.com"][..],
                "without TLS",
            ),
            (&["--ldap-url", "http://ldap.contoso.com"][..], "ldaps://"),
            (
                &["--ldap-url", "ldaps://svc:Hunter2@ldap.contoso.com"][..],
                "only",
            ),
            (&["--ldap-url", "ldaps://"][..], "no host"),
            (&["--ldap-starttls"][..], "ldaps:// is TLS already"),
            (
                &["--ldap-flavour", "samba"][..],
                "openldap or active-directory",
            ),
            (
                &["--user-filter", "objectClass=person"][..],
                "in parentheses",
            ),
            (&["--ldap-id-attribute", "uid)(x"][..], "attribute name"),
            (&["--ldap-timeout-secs", "0"][..], "at least 1"),
            (
                &[
                    "--ldap-url",
                    "ldap://127.0.0.1:3890",
                    "--ldap-ca-file",
                    "ca.pem",
                ][..],
                "for TLS",
            ),
        ] {
            let refused = with(extra).unwrap_err();
            assert!(refused.contains(says), "{extra:?}: {refused}");
            assert!(!refused.contains("Hunter2"), "{refused}");
        }
        // Plain LDAP only to this machine, and never to Active Directory.
        let config = run(
            &[&LDAP_FLAGS[..], &["--ldap-url", "ldap://127.0.0.1:3890/"]].concat(),
            &[],
        );
        assert_eq!(ldap_of(&config).url, "ldap://127.0.0.1:3890/");
        let ad_plain = with(&[
            "--ldap-url",
            "ldap://127.0.0.1:389",
            "--ldap-flavour",
            "active-directory",
        ])
        .unwrap_err();
        assert!(ad_plain.contains("Active Directory"), "{ad_plain}");
        let ad_starttls = [
            &LDAP_FLAGS[..],
            &["--ldap-url", "ldap://dc1.contoso.com", "--ldap-starttls"],
            &["--ldap-flavour", "active-directory"],
        ]
        .concat();
        assert!(ldap_of(&run(&ad_starttls, &[])).starttls);
        // Each required setting is named when missing.
        for missing in ["--bind-dn", "--bind-password-file", "--ldap-url"] {
            let at = LDAP_FLAGS.iter().position(|f| *f == missing).unwrap();
            let mut args = LDAP_FLAGS.to_vec();
            args.drain(at..at + 2);
            let refused = parse(&args, &[]).unwrap_err();
            assert!(refused.contains(missing), "{refused}");
        }
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
