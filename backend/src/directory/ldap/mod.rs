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

//!
//! The module's files: this one holds [`LdapDirectory`] and its operations
//! with the searches they share; `connection` opens, binds and times the
//! connections; `results` reads the server's answers (result codes, the
//! ppolicy control, AD's bind reasons) and says what they mean.

mod connection;
mod results;

use std::collections::HashSet;
use std::sync::Arc;

use ldap3::adapters::{Adapter, EntriesOnly, PagedResults};
use ldap3::exop::PasswordModify;
use ldap3::{ldap_escape, Ldap};
use ldap3::{Mod, Scope, SearchEntry};
use rustls::ClientConfig;
use tokio::sync::Semaphore;

use super::{Account, Bind, DirectoryError, DirectoryResult, DirectoryUser};
use crate::config::{check_ldap_url, LdapConfig, LdapFlavour};
use crate::passwords::Password;
pub use connection::read_password_file;
use connection::tls_config;
use results::{
    ad_bind_data, ppolicy_error, ppolicy_request, unicode_pwd, PpolicyError, CONSTRAINT_VIOLATION,
    INVALID_CREDENTIALS, INVALID_DN_SYNTAX, NO_SUCH_ATTRIBUTE, NO_SUCH_OBJECT, REFERRAL, SUCCESS,
    UNWILLING_TO_PERFORM,
};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_values_are_escaped_in_filters() {
        assert_eq!(ldap_escape("*)(uid=*"), "\\2a\\29\\28uid=\\2a");
    }
}
