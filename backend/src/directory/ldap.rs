//! The LDAP directory (`--directory ldap`): users and their passwords live in
//! OpenLDAP or Active Directory, and the backend resets them there.
//!
//! Every operation opens its own connection (TLS verified against the public
//! roots and `--ldap-ca-file`), binds as the service account (or, to check
//! or change a password, as the user), and gives up after the configured
//! timeout. What each flavour does:
//!
//! | | OpenLDAP (ppolicy overlay) | Active Directory |
//! | --- | --- | --- |
//! | admin reset | Password Modify (RFC 3062), the server hashes | replace `unicodePwd` (`"…"` in UTF-16LE) |
//! | must change | `pwdReset: TRUE` (deleted when not) | `pwdLastSet: 0` (`-1`: now) |
//! | checking a password | bind with the ppolicy control: `changeAfterReset` means must change | bind: `data 773` (and `532`, expired) mean must change |
//! | own change | bind as the user, Password Modify with the old password | one modify as the service account: delete the old `unicodePwd`, add the new |
//! | administrators | the server compares: a base search of the admin group for `(member=<user DN>)` | the server compares: a base search of the user for `(memberOf=<admin group DN>)` |
//! | the server's own rules | constraint violation (ppolicy: quality, history, age) | constraint violation `0000052D` |
//!
//! Every value a user typed, and every DN, is escaped before it enters a
//! filter (RFC 4515). DNs are never compared here as strings: escapes and
//! spaces make one DN many strings, so the server compares them.
//! Passwords never appear in an error text: errors carry the operation's
//! name and the server's own diagnostic.
//!
//! An unknown id costs the server the same work as a known one: the same
//! searches (against [`NO_SUCH_USER_RDN`] under the base DN), and a
//! password check binds to that DN, so that the answer takes about as long.
//!
//! At most `max_connections` connections are open at once; each one is
//! unbound (within the timeout) when its operation is done.

use std::collections::HashSet;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::Duration;

use ldap3::adapters::{Adapter, EntriesOnly, PagedResults};
use ldap3::asn1::{parse_tag, TagClass};
use ldap3::controls::RawControl;
use ldap3::exop::PasswordModify;
use ldap3::{ldap_escape, Ldap, LdapConnAsync, LdapConnSettings, LdapError, LdapResult};
use ldap3::{Mod, Scope, SearchEntry};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use zeroize::Zeroizing;

use super::{Account, Bind, DirectoryError, DirectoryResult, DirectoryUser};
use crate::config::{check_ldap_url, LdapConfig, LdapFlavour};
use crate::passwords::Password;

/// The password policy request and response control (draft-behera-ldap-password-policy).
const PPOLICY_OID: &str = "1.3.6.1.4.1.42.2.27.8.5.1";

/// Result codes (RFC 4511).
const SUCCESS: u32 = 0;
const TIME_LIMIT_EXCEEDED: u32 = 3;
const REFERRAL: u32 = 10;
const NO_SUCH_ATTRIBUTE: u32 = 16;
const CONSTRAINT_VIOLATION: u32 = 19;
const NO_SUCH_OBJECT: u32 = 32;
const INVALID_DN_SYNTAX: u32 = 34;
const INVALID_CREDENTIALS: u32 = 49;
const BUSY: u32 = 51;
const UNAVAILABLE: u32 = 52;
const UNWILLING_TO_PERFORM: u32 = 53;

/// The ppolicy response control's errors (its `error` field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PpolicyError {
    PasswordExpired,
    AccountLocked,
    ChangeAfterReset,
    Other(u8),
}

/// The first RDN of the DN an unknown id stands for (under the base DN): it
/// must not exist. An unknown id's password is checked by binding to it, and
/// its admin check searches for it, so that an unknown id costs what a
/// known one does.
pub const NO_SUCH_USER_RDN: &str = "cn=reset-backend-no-such-user";

/// An LDAP server holding the users.
pub struct LdapDirectory {
    config: LdapConfig,
    bind_password: Password,
    tls: Arc<ClientConfig>,
    /// One per connection that may be open at once.
    connections: Arc<Semaphore>,
}

/// An open connection, holding one of the directory's connection permits;
/// unbound when dropped (within the timeout), and its permit given back
/// after that.
struct Connection {
    ldap: Ldap,
    permit: Option<OwnedSemaphorePermit>,
    timeout: Duration,
}

impl Deref for Connection {
    type Target = Ldap;
    fn deref(&self) -> &Ldap {
        &self.ldap
    }
}

impl DerefMut for Connection {
    fn deref_mut(&mut self) -> &mut Ldap {
        &mut self.ldap
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        let (mut ldap, permit, timeout) = (self.ldap.clone(), self.permit.take(), self.timeout);
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Ok(Err(e)) = tokio::time::timeout(timeout, ldap.unbind()).await {
                    tracing::debug!("LDAP unbind: {e}");
                }
                drop(permit);
            });
        }
    }
}

impl std::fmt::Debug for LdapDirectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LdapDirectory")
            .field("config", &self.config)
            .field("bind_password", &self.bind_password)
            .finish_non_exhaustive()
    }
}

impl LdapDirectory {
    /// Reads the service account's password from `config.bind_password_file`
    /// (one line; a trailing newline is dropped) and prepares TLS. Connects
    /// to nothing yet: a directory that is down at start-up is reported by
    /// the first operation, as when it goes down later.
    pub fn new(config: LdapConfig) -> Result<LdapDirectory, String> {
        // Checked again here for settings not made by `Config::parse`.
        check_ldap_url(&config).map_err(|e| format!("--ldap-url (LDAP_URL): {e}"))?;
        let bind_password = read_password_file(&config.bind_password_file)?;
        let tls = tls_config(config.ca_file.as_deref())?;
        let connections = Arc::new(Semaphore::new(config.max_connections.max(1)));
        Ok(LdapDirectory {
            config,
            bind_password,
            tls,
            connections,
        })
    }

    pub fn config(&self) -> &LdapConfig {
        &self.config
    }

    /// Every user under the base DN that matches the user filter, sorted by
    /// name (then id).
    pub async fn list_users(&self) -> DirectoryResult<Vec<DirectoryUser>> {
        let mut ldap = self.service().await?;
        let filter = self.users_filter("");
        let entries = self.search_all(&mut ldap, &filter).await?;
        let admins = self.admin_dns(&mut ldap).await?;
        // Both sets of DNs are the server's own spelling of its entries.
        let mut users: Vec<DirectoryUser> = entries
            .iter()
            .filter_map(|entry| self.user(entry, admins.contains(&entry.dn)))
            .collect();
        users.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then_with(|| a.id.cmp(&b.id))
        });
        Ok(users)
    }

    /// The user whose id attribute is `id` (case-insensitively, as the
    /// server compares).
    pub async fn find_user(&self, id: &str) -> DirectoryResult<Option<DirectoryUser>> {
        if id.is_empty() {
            return Ok(None);
        }
        let mut ldap = self.service().await?;
        let entry = self.entry_by_id(&mut ldap, id).await?;
        // The admin check runs for an unknown id too (on a DN that is not
        // there): the same searches either way.
        let dn = entry
            .as_ref()
            .map_or_else(|| self.no_such_user_dn(), |entry| entry.dn.clone());
        let is_admin = self.is_admin(&mut ldap, &dn).await?;
        Ok(entry.and_then(|entry| self.user(&entry, is_admin)))
    }

    /// The user whose id or e-mail address is `login` (case-insensitively),
    /// with their alternate address. An id match wins over a mail match;
    /// a login that matches several users by mail finds nobody.
    pub async fn find_by_login(&self, login: &str) -> DirectoryResult<Option<Account>> {
        if login.is_empty() {
            return Ok(None);
        }
        let mut ldap = self.service().await?;
        let value = ldap_escape(login);
        let filter = self.users_filter(&format!(
            "(|({}={value})({}={value}))",
            self.config.id_attribute, self.config.mail_attribute
        ));
        let entries = self.search(&mut ldap, &filter).await?;
        let by_id: Vec<&SearchEntry> = entries
            .iter()
            .filter(|entry| {
                first(entry, &self.config.id_attribute)
                    .is_some_and(|id| id.eq_ignore_ascii_case(login))
            })
            .collect();
        let entry = match (by_id.as_slice(), entries.as_slice()) {
            ([one], _) => Some(*one),
            ([], [one]) => Some(one),
            _ => None,
        };
        let dn = entry.map_or_else(|| self.no_such_user_dn(), |entry| entry.dn.clone());
        let is_admin = self.is_admin(&mut ldap, &dn).await?;
        let Some(entry) = entry else {
            return Ok(None);
        };
        Ok(self.user(entry, is_admin).map(|user| Account {
            user,
            alternate_email: first(entry, &self.config.alternate_mail_attribute)
                .filter(|mail| !mail.is_empty())
                .map(str::to_owned),
        }))
    }

    /// Checks `password` by binding as the user on a connection of its own.
    pub async fn verify_password(&self, id: &str, password: &Password) -> DirectoryResult<Bind> {
        // An empty password would make the bind an unauthenticated one,
        // which servers accept (RFC 4513 5.1.2).
        if password.is_empty() {
            return Ok(Bind::Rejected);
        }
        let dn = self.dn_of(id).await?;
        // An unknown id binds too, to a DN that is not there (the server
        // answers invalidCredentials after about the same work): whether
        // an id exists does not show in the time the answer takes.
        let known = dn.is_some();
        let dn = dn.unwrap_or_else(|| self.no_such_user_dn());
        let mut ldap = self.connect().await?;
        let bind = self.bind_as_user(&mut ldap, &dn, password).await?;
        Ok(if known { bind } else { Bind::Rejected })
    }

    /// An administrator's reset, as the service account. With
    /// `must_change`, the user must choose a new password at the next
    /// sign-in; without, any such requirement is lifted.
    pub async fn set_password(
        &self,
        id: &str,
        password: &Password,
        must_change: bool,
    ) -> DirectoryResult<()> {
        let mut ldap = self.service().await?;
        let dn = self.required_dn(&mut ldap, id).await?;
        match self.config.flavour {
            LdapFlavour::OpenLdap => {
                let modify = PasswordModify {
                    user_id: Some(&dn),
                    old_pass: None,
                    new_pass: Some(password),
                };
                let result = self
                    .timed("password modify", ldap.extended(modify))
                    .await?
                    .1;
                self.expect_success("password modify", &result, true)?;
                // The password is set: a failure of the second step is
                // neither a success nor a clean failure (the must-change
                // flag is not what was asked). Unavailable: a retry sets
                // both again.
                self.set_pwd_reset(&mut ldap, &dn, must_change)
                    .await
                    .map_err(|error| {
                        DirectoryError::Unavailable(format!(
                            "the password was set, its must-change flag not: {error}"
                        ))
                    })
            }
            LdapFlavour::ActiveDirectory => {
                let quoted = unicode_pwd(password);
                let last_set: &[u8] = if must_change { b"0" } else { b"-1" };
                let mods = vec![
                    Mod::Replace(&b"unicodePwd"[..], HashSet::from([&quoted[..]])),
                    Mod::Replace(&b"pwdLastSet"[..], HashSet::from([last_set])),
                ];
                let result = self
                    .timed("unicodePwd reset", ldap.modify(&dn, mods))
                    .await?;
                self.expect_success("unicodePwd reset", &result, true)
            }
        }
    }

    /// Keeps the password and requires a new one at the next sign-in.
    pub async fn require_change(&self, id: &str) -> DirectoryResult<()> {
        let mut ldap = self.service().await?;
        let dn = self.required_dn(&mut ldap, id).await?;
        match self.config.flavour {
            LdapFlavour::OpenLdap => self.set_pwd_reset(&mut ldap, &dn, true).await,
            LdapFlavour::ActiveDirectory => {
                let mods = vec![Mod::Replace("pwdLastSet", HashSet::from(["0"]))];
                let result = self.timed("pwdLastSet", ldap.modify(&dn, mods)).await?;
                self.expect_success("pwdLastSet", &result, false)
            }
        }
    }

    /// Whether the user must choose a new password at the next sign-in
    /// (`false` for no such user).
    pub async fn must_change(&self, id: &str) -> DirectoryResult<bool> {
        let mut ldap = self.service().await?;
        let Some(dn) = self.find_dn(&mut ldap, id).await? else {
            return Ok(false);
        };
        let attribute = match self.config.flavour {
            LdapFlavour::OpenLdap => "pwdReset",
            LdapFlavour::ActiveDirectory => "pwdLastSet",
        };
        let search = ldap.search(&dn, Scope::Base, "(objectClass=*)", vec![attribute]);
        let ldap3::SearchResult(entries, result) = self.timed("read must-change", search).await?;
        if result.rc == NO_SUCH_OBJECT {
            return Ok(false);
        }
        self.expect_success("read must-change", &result, false)?;
        let value = entries
            .into_iter()
            .map(SearchEntry::construct)
            .find_map(|entry| first(&entry, attribute).map(str::to_owned));
        Ok(match self.config.flavour {
            LdapFlavour::OpenLdap => value.is_some_and(|v| v.eq_ignore_ascii_case("TRUE")),
            LdapFlavour::ActiveDirectory => value.as_deref() == Some("0"),
        })
    }

    /// The user's own change, which needs the current password: answers
    /// `Accepted` once the directory took the new one, `Rejected` for a
    /// wrong current password, and `PasswordRefused` when the directory's
    /// own rules (history, complexity, minimum age) refuse the new one.
    pub async fn change_own_password(
        &self,
        id: &str,
        current: &Password,
        new: &Password,
    ) -> DirectoryResult<Bind> {
        if current.is_empty() {
            return Ok(Bind::Rejected);
        }
        match self.config.flavour {
            LdapFlavour::OpenLdap => {
                let Some(dn) = self.dn_of(id).await? else {
                    return Err(DirectoryError::NoSuchUser);
                };
                // Under ppolicy a user whose password was reset may still
                // bind, and then do nothing but change it.
                let mut ldap = self.connect().await?;
                match self.bind_as_user(&mut ldap, &dn, current).await? {
                    Bind::Accepted { .. } => {}
                    other => return Ok(other),
                }
                let modify = PasswordModify {
                    user_id: Some(&dn),
                    old_pass: Some(current),
                    new_pass: Some(new),
                };
                let exop = ldap.with_controls(ppolicy_request()).extended(modify);
                let result = self.timed("own password modify", exop).await?.1;
                if result.rc == UNWILLING_TO_PERFORM && result.text.contains("old password") {
                    return Ok(Bind::Rejected);
                }
                self.expect_success("own password modify", &result, true)?;
                Ok(Bind::Accepted { must_change: false })
            }
            LdapFlavour::ActiveDirectory => {
                // A user who must change cannot bind: the service account
                // sends the change, which AD checks like the user's own
                // (the old password, history, complexity, minimum age).
                let mut ldap = self.service().await?;
                let Some(dn) = self.find_dn(&mut ldap, id).await? else {
                    return Err(DirectoryError::NoSuchUser);
                };
                let old = unicode_pwd(current);
                let replacement = unicode_pwd(new);
                let mods = vec![
                    Mod::Delete(&b"unicodePwd"[..], HashSet::from([&old[..]])),
                    Mod::Add(&b"unicodePwd"[..], HashSet::from([&replacement[..]])),
                ];
                let result = self
                    .timed("unicodePwd change", ldap.modify(&dn, mods))
                    .await?;
                // ERROR_INVALID_PASSWORD (86): the old password is wrong.
                if result.rc == CONSTRAINT_VIOLATION && result.text.starts_with("00000056") {
                    return Ok(Bind::Rejected);
                }
                self.expect_success("unicodePwd change", &result, true)?;
                Ok(Bind::Accepted { must_change: false })
            }
        }
    }

    /// A password chosen through recovery: set as by an administrator,
    /// without a change required.
    pub async fn recover_password(&self, id: &str, new: &Password) -> DirectoryResult<()> {
        self.set_password(id, new, false).await
    }

    // ------------------------------------------------------------------ helpers

    /// A connection, TLS set up and verified, not bound yet: once one of
    /// the `max_connections` permits is free (waiting at most the timeout).
    async fn connect(&self) -> DirectoryResult<Connection> {
        let permits = self.connections.clone().acquire_owned();
        let permit = match tokio::time::timeout(self.config.timeout, permits).await {
            Ok(Ok(permit)) => permit,
            Ok(Err(closed)) => return Err(DirectoryError::Failed(closed.to_string())),
            Err(_) => {
                return Err(DirectoryError::Unavailable(format!(
                    "all {} connections to the directory stayed busy for {} s",
                    self.config.max_connections,
                    self.config.timeout.as_secs_f32()
                )))
            }
        };
        let settings = LdapConnSettings::new()
            .set_conn_timeout(self.config.timeout)
            .set_config(self.tls.clone())
            .set_starttls(self.config.starttls);
        let (connection, ldap) = self
            .timed(
                "connect",
                LdapConnAsync::with_settings(settings, &self.config.url),
            )
            .await?;
        tokio::spawn(async move {
            if let Err(e) = connection.drive().await {
                tracing::debug!("LDAP connection ended: {e}");
            }
        });
        Ok(Connection {
            ldap,
            permit: Some(permit),
            timeout: self.config.timeout,
        })
    }

    /// A connection bound as the service account. Any refusal of that bind
    /// is the directory being unavailable to us, not the user's fault.
    async fn service(&self) -> DirectoryResult<Connection> {
        let mut ldap = self.connect().await?;
        let bind = ldap.simple_bind(&self.config.bind_dn, &self.bind_password);
        let result = self.timed("service account bind", bind).await?;
        if result.rc != SUCCESS {
            return Err(DirectoryError::Unavailable(format!(
                "the directory refused the service account's bind: {}",
                describe(&result)
            )));
        }
        Ok(ldap)
    }

    /// Binds as `dn`; the answer says whether the password is right and
    /// whether it must be changed.
    async fn bind_as_user(
        &self,
        ldap: &mut Ldap,
        dn: &str,
        password: &Password,
    ) -> DirectoryResult<Bind> {
        match self.config.flavour {
            LdapFlavour::OpenLdap => {
                let bind = ldap
                    .with_controls(ppolicy_request())
                    .simple_bind(dn, password);
                let result = self.timed("user bind", bind).await?;
                let ppolicy = ppolicy_error(&result);
                match result.rc {
                    SUCCESS => Ok(Bind::Accepted {
                        must_change: ppolicy == Some(PpolicyError::ChangeAfterReset),
                    }),
                    INVALID_CREDENTIALS if ppolicy == Some(PpolicyError::PasswordExpired) => {
                        Ok(Bind::Expired)
                    }
                    INVALID_CREDENTIALS => Ok(Bind::Rejected),
                    _ => Err(self.refusal("user bind", &result, false)),
                }
            }
            LdapFlavour::ActiveDirectory => {
                let result = self
                    .timed("user bind", ldap.simple_bind(dn, password))
                    .await?;
                match result.rc {
                    SUCCESS => Ok(Bind::Accepted { must_change: false }),
                    INVALID_CREDENTIALS => Ok(match ad_bind_data(&result.text).as_deref() {
                        // The password is right, and must be changed (773:
                        // reset with pwdLastSet 0; 532: expired by age,
                        // which the user may still change).
                        Some("773" | "532") => Bind::Accepted { must_change: true },
                        // 52e wrong password, 525 no such user, 533
                        // disabled, 701 account expired, 775 locked out,
                        // 530/531 not now or not from here.
                        _ => Bind::Rejected,
                    }),
                    _ => Err(self.refusal("user bind", &result, false)),
                }
            }
        }
    }

    /// `pwdReset: TRUE`, or no `pwdReset` at all.
    async fn set_pwd_reset(&self, ldap: &mut Ldap, dn: &str, reset: bool) -> DirectoryResult<()> {
        let mods = if reset {
            vec![Mod::Replace("pwdReset", HashSet::from(["TRUE"]))]
        } else {
            vec![Mod::Delete("pwdReset", HashSet::new())]
        };
        let result = self.timed("pwdReset", ldap.modify(dn, mods)).await?;
        if !reset && result.rc == NO_SUCH_ATTRIBUTE {
            return Ok(());
        }
        self.expect_success("pwdReset", &result, false)
    }

    /// `(&(user filter)extra)`.
    fn users_filter(&self, extra: &str) -> String {
        format!("(&{}{extra})", self.config.user_filter)
    }

    fn attributes(&self) -> Vec<&str> {
        let c = &self.config;
        vec![
            c.id_attribute.as_str(),
            c.name_attribute.as_str(),
            "cn",
            c.mail_attribute.as_str(),
            c.alternate_mail_attribute.as_str(),
        ]
    }

    /// The entries `filter` finds under the base DN (one page's worth:
    /// lookups of one user).
    async fn search(&self, ldap: &mut Ldap, filter: &str) -> DirectoryResult<Vec<SearchEntry>> {
        let search = ldap.search(
            &self.config.base_dn,
            Scope::Subtree,
            filter,
            self.attributes(),
        );
        let ldap3::SearchResult(entries, result) = self.timed("search", search).await?;
        self.expect_success("search", &result, false)?;
        // Continuation references (AD's DNS partitions under the domain
        // root) are not users.
        Ok(entries
            .into_iter()
            .filter(|entry| !entry.is_ref())
            .map(SearchEntry::construct)
            .collect())
    }

    /// Every entry `filter` finds, page by page.
    async fn search_all(&self, ldap: &mut Ldap, filter: &str) -> DirectoryResult<Vec<SearchEntry>> {
        let adapters: Vec<Box<dyn Adapter<_, _>>> = vec![
            Box::new(EntriesOnly::new()),
            Box::new(PagedResults::new(500)),
        ];
        let search = ldap.streaming_search_with(
            adapters,
            &self.config.base_dn,
            Scope::Subtree,
            filter,
            self.attributes(),
        );
        let mut stream = self.timed("search", search).await?;
        let mut entries = Vec::new();
        while let Some(entry) = self.timed("search", stream.next()).await? {
            entries.push(SearchEntry::construct(entry));
        }
        let result = self
            .timed("search", async { Ok(stream.finish().await) })
            .await?;
        self.expect_success("search", &result, false)?;
        Ok(entries)
    }

    async fn entry_by_id(&self, ldap: &mut Ldap, id: &str) -> DirectoryResult<Option<SearchEntry>> {
        let filter = self.users_filter(&format!(
            "({}={})",
            self.config.id_attribute,
            ldap_escape(id)
        ));
        let mut entries = self.search(ldap, &filter).await?;
        match entries.len() {
            0 | 1 => Ok(entries.pop()),
            n => Err(DirectoryError::Failed(format!(
                "{n} entries have the same {}",
                self.config.id_attribute
            ))),
        }
    }

    async fn find_dn(&self, ldap: &mut Ldap, id: &str) -> DirectoryResult<Option<String>> {
        if id.is_empty() {
            return Ok(None);
        }
        Ok(self.entry_by_id(ldap, id).await?.map(|entry| entry.dn))
    }

    /// The DN of a user the routes found before: [`DirectoryError::NoSuchUser`]
    /// when they have been deleted (or disabled) since.
    async fn required_dn(&self, ldap: &mut Ldap, id: &str) -> DirectoryResult<String> {
        self.find_dn(ldap, id)
            .await?
            .ok_or(DirectoryError::NoSuchUser)
    }

    /// The DN an unknown id stands for: [`NO_SUCH_USER_RDN`] under the base.
    fn no_such_user_dn(&self) -> String {
        format!("{NO_SUCH_USER_RDN},{}", self.config.base_dn)
    }

    /// The user's DN, looked up as the service account.
    async fn dn_of(&self, id: &str) -> DirectoryResult<Option<String>> {
        let mut ldap = self.service().await?;
        self.find_dn(&mut ldap, id).await
    }

    /// Whether the entry `dn` is an administrator, as the server compares
    /// DNs (escapes, spaces and case are its business): OpenLDAP, a base
    /// search of the admin group for `(member=<dn>)`; AD, a base search of
    /// the entry for `(memberOf=<admin group>)`. A DN that is not there is
    /// no administrator.
    async fn is_admin(&self, ldap: &mut Ldap, dn: &str) -> DirectoryResult<bool> {
        let group = &self.config.admin_group;
        let (base, filter) = match self.config.flavour {
            LdapFlavour::OpenLdap => {
                let value = ldap_escape(dn);
                (
                    group.as_str(),
                    format!("(|(member={value})(uniqueMember={value}))"),
                )
            }
            LdapFlavour::ActiveDirectory => (dn, format!("(memberOf={})", ldap_escape(group))),
        };
        let search = ldap.search(base, Scope::Base, &filter, vec!["1.1"]);
        let ldap3::SearchResult(entries, result) = self.timed("admin check", search).await?;
        if result.rc == NO_SUCH_OBJECT {
            if self.config.flavour == LdapFlavour::OpenLdap {
                tracing::warn!(
                    "the admin group is not in the directory: nobody is an administrator"
                );
            }
            return Ok(false);
        }
        self.expect_success("admin check", &result, false)?;
        Ok(entries.iter().any(|entry| !entry.is_ref()))
    }

    /// The administrators' DNs as the server spells its entries (the users'
    /// search gives the same spelling), for the list of every user.
    /// OpenLDAP: each `member` value of the admin group, looked up by the
    /// server (a value that names no user is nobody); AD: the users whose
    /// `memberOf` the server finds equal to the admin group.
    async fn admin_dns(&self, ldap: &mut Ldap) -> DirectoryResult<HashSet<String>> {
        if self.config.flavour == LdapFlavour::ActiveDirectory {
            let filter = self.users_filter(&format!(
                "(memberOf={})",
                ldap_escape(&self.config.admin_group)
            ));
            let admins = self.search_all(ldap, &filter).await?;
            return Ok(admins.into_iter().map(|entry| entry.dn).collect());
        }
        let search = ldap.search(
            &self.config.admin_group,
            Scope::Base,
            "(objectClass=*)",
            vec!["member", "uniqueMember"],
        );
        let ldap3::SearchResult(entries, result) = self.timed("admin group", search).await?;
        if result.rc == NO_SUCH_OBJECT {
            tracing::warn!("the admin group is not in the directory: nobody is an administrator");
            return Ok(HashSet::new());
        }
        self.expect_success("admin group", &result, false)?;
        let members: Vec<String> = entries
            .into_iter()
            .filter(|entry| !entry.is_ref())
            .map(SearchEntry::construct)
            .flat_map(|entry| entry.attrs.into_values().flatten())
            .collect();
        let filter = self.users_filter("");
        let mut admins = HashSet::new();
        for member in members {
            let search = ldap.search(&member, Scope::Base, &filter, vec!["1.1"]);
            let ldap3::SearchResult(found, result) = self.timed("admin member", search).await?;
            match result.rc {
                SUCCESS => admins.extend(
                    found
                        .into_iter()
                        .filter(|entry| !entry.is_ref())
                        .map(|entry| SearchEntry::construct(entry).dn),
                ),
                // No such entry, not a DN, or not in this directory.
                NO_SUCH_OBJECT | INVALID_DN_SYNTAX | REFERRAL => {}
                _ => return Err(self.refusal("admin member", &result, false)),
            }
        }
        Ok(admins)
    }

    fn user(&self, entry: &SearchEntry, is_admin: bool) -> Option<DirectoryUser> {
        let c = &self.config;
        let id = first(entry, &c.id_attribute)?.to_owned();
        let name = first(entry, &c.name_attribute)
            .or_else(|| first(entry, "cn"))
            .unwrap_or(&id)
            .to_owned();
        let email = first(entry, &c.mail_attribute)
            .unwrap_or_default()
            .to_owned();
        Some(DirectoryUser {
            id,
            name,
            email,
            is_admin,
        })
    }

    /// Runs one step against the server, for at most the timeout.
    async fn timed<T>(
        &self,
        what: &str,
        step: impl Future<Output = ldap3::result::Result<T>>,
    ) -> DirectoryResult<T> {
        match tokio::time::timeout(self.config.timeout, step).await {
            Err(_) => Err(DirectoryError::Unavailable(format!(
                "{what}: no answer within {} s",
                self.config.timeout.as_secs_f32()
            ))),
            Ok(Err(LdapError::LdapResult { result })) => Err(self.refusal(what, &result, false)),
            Ok(Err(LdapError::FilterParsing)) => Err(DirectoryError::Failed(format!(
                "{what}: the user filter is not a valid LDAP filter"
            ))),
            Ok(Err(e)) => Err(DirectoryError::Unavailable(format!("{what}: {e}"))),
            Ok(Ok(value)) => Ok(value),
        }
    }

    fn expect_success(
        &self,
        what: &str,
        result: &LdapResult,
        sets_password: bool,
    ) -> DirectoryResult<()> {
        if result.rc == SUCCESS {
            Ok(())
        } else {
            Err(self.refusal(what, result, sets_password))
        }
    }

    /// What a result other than success means for the caller.
    fn refusal(&self, what: &str, result: &LdapResult, sets_password: bool) -> DirectoryError {
        let text = format!("{what}: {}", describe(result));
        match result.rc {
            REFERRAL => DirectoryError::Unavailable(format!(
                "{text}; referred elsewhere ({}), which this backend does not follow: \
                 point --ldap-url at the server that holds the users",
                result.refs.join(" ")
            )),
            TIME_LIMIT_EXCEEDED | BUSY | UNAVAILABLE => DirectoryError::Unavailable(text),
            CONSTRAINT_VIOLATION if sets_password => match self.config.flavour {
                LdapFlavour::OpenLdap => DirectoryError::PasswordRefused(text),
                LdapFlavour::ActiveDirectory if result.text.contains("0000052D") => {
                    DirectoryError::PasswordRefused(text)
                }
                LdapFlavour::ActiveDirectory => DirectoryError::Failed(text),
            },
            _ => DirectoryError::Failed(text),
        }
    }
}

/// The result's code, name and diagnostic text, and its ppolicy error if
/// any, on one line.
fn describe(result: &LdapResult) -> String {
    let mut text = format!("rc={} {}", result.rc, one_line(&result.text));
    if let Some(error) = ppolicy_error(result) {
        text.push_str(&format!(" (ppolicy: {error:?})"));
    }
    text
}

fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The request control asking for the ppolicy response.
fn ppolicy_request() -> RawControl {
    RawControl {
        ctype: PPOLICY_OID.to_owned(),
        crit: false,
        val: None,
    }
}

/// The `error` of a ppolicy response control:
/// `SEQUENCE { warning [0] … OPTIONAL, error [1] ENUMERATED OPTIONAL }`.
fn ppolicy_error(result: &LdapResult) -> Option<PpolicyError> {
    let control = result.ctrls.iter().find(|c| c.1.ctype == PPOLICY_OID)?;
    let value = control.1.val.as_deref()?;
    let (_, tag) = parse_tag(value).ok()?;
    let error = tag
        .expect_constructed()?
        .into_iter()
        .find(|item| item.class == TagClass::Context && item.id == 1)?
        .expect_primitive()?;
    Some(match error.as_slice() {
        [0] => PpolicyError::PasswordExpired,
        [1] => PpolicyError::AccountLocked,
        [2] => PpolicyError::ChangeAfterReset,
        [n] => PpolicyError::Other(*n),
        _ => PpolicyError::Other(u8::MAX),
    })
}

/// AD's reason for a refused bind: the `data 773` in
/// `80090308: LdapErr: DSID-0C09041C, comment: AcceptSecurityContext error, data 773, v4563`.
fn ad_bind_data(text: &str) -> Option<String> {
    let rest = &text[text.find("data ")? + "data ".len()..];
    let code: String = rest
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect::<String>()
        .to_ascii_lowercase();
    (!code.is_empty()).then_some(code)
}

/// AD's `unicodePwd` value: the password in double quotes, UTF-16LE.
fn unicode_pwd(password: &str) -> Zeroizing<Vec<u8>> {
    let mut bytes = Zeroizing::new(Vec::with_capacity((password.len() + 2) * 2));
    for unit in std::iter::once('"')
        .chain(password.chars())
        .chain(std::iter::once('"'))
        .flat_map(|c| {
            let mut buffer = [0u16; 2];
            let units: Vec<u16> = c.encode_utf16(&mut buffer).to_vec();
            units
        })
    {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    bytes
}

/// Attribute values, looked up case-insensitively (servers answer with
/// their schema's spelling).
fn values<'a>(entry: &'a SearchEntry, attribute: &'a str) -> impl Iterator<Item = &'a str> {
    entry
        .attrs
        .iter()
        .filter(move |(name, _)| name.eq_ignore_ascii_case(attribute))
        .flat_map(|(_, values)| values.iter().map(String::as_str))
}

fn first<'a>(entry: &'a SearchEntry, attribute: &'a str) -> Option<&'a str> {
    values(entry, attribute).next()
}

/// The service account's password: the file's first line, without its
/// line ending. The file's text is wiped from memory once read.
pub fn read_password_file(path: &std::path::Path) -> Result<Password, String> {
    let shown = path.display();
    let text = Zeroizing::new(
        std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the bind password file {shown}: {}", e.kind()))?,
    );
    let line = text.strip_suffix('\n').unwrap_or(&text);
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.is_empty() {
        return Err(format!("the bind password file {shown} is empty"));
    }
    if line.contains(['\n', '\r']) {
        return Err(format!(
            "the bind password file {shown} has more than one line"
        ));
    }
    Ok(Password::new(line))
}

/// rustls with the public roots and the certificates of `ca_file`.
fn tls_config(ca_file: Option<&std::path::Path>) -> Result<Arc<ClientConfig>, String> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = ca_file {
        let shown = path.display();
        let certificates: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
            .map_err(|e| format!("cannot read LDAP_CA_FILE {shown}: {e}"))?
            .collect::<Result<_, _>>()
            .map_err(|e| format!("LDAP_CA_FILE {shown} is not a PEM certificate file: {e}"))?;
        if certificates.is_empty() {
            return Err(format!("LDAP_CA_FILE {shown} holds no PEM certificate"));
        }
        for certificate in certificates {
            roots
                .add(certificate)
                .map_err(|e| format!("LDAP_CA_FILE {shown}: {e}"))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot set up TLS for the directory: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_pwd_is_quoted_utf16le() {
        assert_eq!(
            &unicode_pwd("aé")[..],
            &[b'"', 0, b'a', 0, 0xe9, 0, b'"', 0][..]
        );
        assert_eq!(
            &unicode_pwd("😀")[..],
            &[b'"', 0, 0x3d, 0xd8, 0x00, 0xde, b'"', 0][..]
        );
    }

    #[test]
    fn reads_ad_bind_reasons() {
        let text = "80090308: LdapErr: DSID-0C09041C, comment: AcceptSecurityContext error, data 773, v4563";
        assert_eq!(ad_bind_data(text).as_deref(), Some("773"));
        assert_eq!(ad_bind_data("... data 52E, v1db1").as_deref(), Some("52e"));
        assert_eq!(ad_bind_data("Invalid credentials"), None);
    }

    #[test]
    fn user_values_are_escaped_in_filters() {
        assert_eq!(ldap_escape("*)(uid=*"), "\\2a\\29\\28uid=\\2a");
    }

    #[test]
    fn the_password_file_is_one_line() {
        let dir = std::env::temp_dir().join(format!("ldap-pw-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("pw");
        std::fs::write(&file, "Svc-Secret-1\n").unwrap();
        assert_eq!(read_password_file(&file).unwrap().as_str(), "Svc-Secret-1");
        std::fs::write(&file, "Svc-Secret-1\r\n").unwrap();
        assert_eq!(read_password_file(&file).unwrap().as_str(), "Svc-Secret-1");
        std::fs::write(&file, "\n").unwrap();
        assert!(read_password_file(&file).is_err());
        std::fs::write(&file, "Svc-Secret-1\nSecond-Line\n").unwrap();
        let refused = read_password_file(&file).unwrap_err();
        assert!(!refused.contains("Svc-Secret"), "{refused}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
