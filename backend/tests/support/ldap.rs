//! What the two LDAP directory test binaries share, whichever server they
//! run against (slapd or Samba AD): the passwords they set, and the checks
//! a scenario makes of the directory's answers, each in one call, so that
//! a test reads as its scenario and both servers are held to the same
//! checks.

use std::fmt::Debug;
use std::path::Path;

use reset_backend::config::LdapConfig;
use reset_backend::directory::ldap::LdapDirectory;
use reset_backend::directory::{Account, Bind, DirectoryError, DirectoryResult};
use reset_backend::passwords::Password;

/// Passwords every policy here accepts.
pub const NEW: &str = "Vq8#tLm2!pZx9wRk";
pub const NEWER: &str = "Hq3$wNp8@yTe5uZc";

pub fn pw(text: &str) -> Password {
    Password::new(text)
}

pub fn accepted(must_change: bool) -> Bind {
    Bind::Accepted { must_change }
}

/// The account `login` (an id or a mail address) finds.
pub async fn by_login(directory: &LdapDirectory, login: &str) -> Option<Account> {
    directory.find_by_login(login).await.unwrap()
}

/// The user's own change from `current` to `new`.
pub async fn own_change(
    directory: &LdapDirectory,
    id: &str,
    current: &str,
    new: &str,
) -> DirectoryResult<Bind> {
    directory
        .change_own_password(id, &pw(current), &pw(new))
        .await
}

/// Asserts the logins of the users both servers are seeded with, found
/// case-insensitively: bob by his id, with his alternate address; erin by
/// her mail address in other case, with none; an unknown address finds
/// nobody.
pub async fn assert_seeded_logins(directory: &LdapDirectory) {
    let bob = by_login(directory, "bob").await.unwrap();
    assert_eq!(bob.user.id, "bob");
    assert_eq!(
        bob.alternate_email.as_deref(),
        Some("bob.fischer@example.net")
    );
    let erin = by_login(directory, "ERIN.WALSH@contoso.TEST")
        .await
        .unwrap();
    assert_eq!(
        (erin.user.id.as_str(), erin.alternate_email),
        ("erin", None)
    );
    assert_eq!(by_login(directory, "nobody@contoso.test").await, None);
}

/// Asserts what a bind as `id` with `password` answers.
pub async fn assert_bind(directory: &LdapDirectory, id: &str, password: &str, expected: Bind) {
    assert_eq!(
        directory.verify_password(id, &pw(password)).await.unwrap(),
        expected,
        "binding as {id:?}"
    );
}

/// Asserts that `new` is the user's password now (a bind with it is
/// accepted, with `must_change` as given, which the directory also reads
/// back) and `old` is not any more.
pub async fn assert_password(
    directory: &LdapDirectory,
    id: &str,
    new: &str,
    old: &str,
    must_change: bool,
) {
    assert_bind(directory, id, new, accepted(must_change)).await;
    assert_bind(directory, id, old, Bind::Rejected).await;
    assert_eq!(
        directory.must_change(id).await.unwrap(),
        must_change,
        "must {id:?} change the password?"
    );
}

/// Asserts that no `attempt` (a filter injection) finds anyone: not by id,
/// not by login, and no bind with `password` is accepted.
pub async fn assert_finds_nobody(directory: &LdapDirectory, attempts: &[&str], password: &str) {
    for &attempt in attempts {
        assert_eq!(
            directory.find_user(attempt).await.unwrap(),
            None,
            "{attempt:?}"
        );
        assert_eq!(by_login(directory, attempt).await, None, "{attempt:?}");
        assert_bind(directory, attempt, password, Bind::Rejected).await;
    }
}

/// Asserts the own change of a user who must change their password
/// (`current`, as set by a reset with must-change) to `new`: with a wrong
/// current password (`wrong`) it is rejected and changes nothing; with the
/// right one it is accepted, and then `new` is the password, with no
/// change required any more.
pub async fn assert_own_change(
    directory: &LdapDirectory,
    id: &str,
    wrong: &str,
    current: &str,
    new: &str,
) {
    assert_eq!(
        own_change(directory, id, wrong, new).await.unwrap(),
        Bind::Rejected,
        "a wrong current password"
    );
    assert_bind(directory, id, current, accepted(true)).await;
    assert_eq!(
        own_change(directory, id, current, new).await.unwrap(),
        accepted(false)
    );
    assert_password(directory, id, new, current, false).await;
}

/// The reason of a refusal by the directory's own password rules (panics
/// on any other answer), which names none of `passwords`.
pub fn refused<T: Debug>(result: DirectoryResult<T>, passwords: &[&str]) -> String {
    match result {
        Err(DirectoryError::PasswordRefused(why)) => {
            for password in passwords {
                assert!(!why.contains(password), "{why}");
            }
            why
        }
        other => panic!("expected the directory's rules to refuse the password, got {other:?}"),
    }
}

/// The reason the directory is unavailable (panics on any other answer).
pub fn unavailable<T: Debug>(result: DirectoryResult<T>) -> String {
    match result {
        Err(DirectoryError::Unavailable(why)) => why,
        other => panic!("expected the directory to be unavailable, got {other:?}"),
    }
}

/// The service account's password in a wrong-password test: the directory
/// must not repeat it.
const WRONG_SERVICE_PASSWORD: &str = "Not-The-Service-Password-9";

/// The directory of `config`, but with a wrong service account password
/// (in a file written to `dir`).
pub fn with_wrong_service_password(mut config: LdapConfig, dir: &Path) -> LdapDirectory {
    let file = dir.join("wrong.pw");
    std::fs::write(&file, format!("{WRONG_SERVICE_PASSWORD}\n")).unwrap();
    config.bind_password_file = file;
    LdapDirectory::new(config).unwrap()
}

/// Asserts that the directory refused the service account's bind: it is
/// unavailable, says why, and does not repeat the password.
pub fn assert_service_account_refused<T: Debug>(result: DirectoryResult<T>) {
    let why = unavailable(result);
    assert!(why.contains("service account"), "{why}");
    assert!(!why.contains("Not-The-Service"), "{why}");
}

/// Asserts that `id`, gone (or disabled) since the routes found them, is
/// `NoSuchUser` to the changes, and must change nothing.
pub async fn assert_no_such_user(directory: &LdapDirectory, id: &str) {
    assert_eq!(
        directory.set_password(id, &pw(NEW), true).await,
        Err(DirectoryError::NoSuchUser)
    );
    assert_eq!(
        directory.require_change(id).await,
        Err(DirectoryError::NoSuchUser)
    );
    assert_eq!(directory.must_change(id).await, Ok(false));
}
