//! `LdapDirectory` against a real Active Directory: a Samba AD domain
//! controller shared by every test here (started once, ~15 s). Tests that
//! change passwords create users of their own.

#[path = "support/ldap.rs"]
mod ldap;
#[path = "support/samba.rs"]
mod samba;
#[path = "support/slapd.rs"]
#[allow(dead_code)]
mod slapd;

use std::time::{Duration, Instant};

use ldap::{
    accepted, assert_bind, assert_finds_nobody, assert_no_such_user, assert_own_change,
    assert_password, assert_seeded_logins, assert_service_account_refused, own_change, pw, refused,
    unavailable, with_wrong_service_password, NEW, NEWER,
};
use reset_backend::directory::ldap::LdapDirectory;
use reset_backend::directory::{Bind, DirectoryError};
use samba::{dc, BOB, DIANE};

fn directory() -> LdapDirectory {
    LdapDirectory::new(dc().config()).unwrap()
}

#[tokio::test]
async fn lists_the_enabled_users_sorted_with_the_administrators_from_member_of() {
    let users = directory().list_users().await.unwrap();
    let ids: Vec<&str> = users.iter().map(|u| u.id.as_str()).collect();
    for id in [
        "Administrator",
        "bob",
        "carol",
        "diane",
        "erin",
        "reset-service",
    ] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    // Guest and krbtgt are disabled accounts: not users one can reset.
    assert!(
        !ids.contains(&"Guest") && !ids.contains(&"krbtgt"),
        "{ids:?}"
    );
    let names: Vec<String> = users.iter().map(|u| u.name.to_lowercase()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    let diane = users.iter().find(|u| u.id == "diane").unwrap();
    assert_eq!(
        (diane.name.as_str(), diane.email.as_str(), diane.is_admin),
        ("Diane Prescott", "diane@contoso.test", true)
    );
    let admins: Vec<&str> = users
        .iter()
        .filter(|u| u.is_admin)
        .map(|u| u.id.as_str())
        .collect();
    assert_eq!(admins, ["diane"], "only the admin group's members");
}

#[tokio::test]
async fn finds_users_by_id_and_by_mail_case_insensitively() {
    let directory = directory();
    let bob = directory.find_user("BOB").await.unwrap().unwrap();
    assert_eq!(
        (bob.id.as_str(), bob.name.as_str(), bob.is_admin),
        ("bob", "Bob Fischer", false)
    );
    assert!(
        directory
            .find_user("diane")
            .await
            .unwrap()
            .unwrap()
            .is_admin
    );
    assert_eq!(directory.find_user("nobody").await.unwrap(), None);

    assert_seeded_logins(&directory).await;
}

#[tokio::test]
async fn a_filter_injection_finds_nobody() {
    let attempts = [
        "*",
        "*)(sAMAccountName=*",
        "bob)(sAMAccountName=*",
        "b*",
        "*)(|(mail=*",
    ];
    assert_finds_nobody(&directory(), &attempts, BOB.1).await;
}

#[tokio::test]
async fn checks_passwords_by_binding_as_the_user() {
    let directory = directory();
    assert_bind(&directory, "diane", DIANE.1, accepted(false)).await;
    assert_bind(&directory, "diane", BOB.1, Bind::Rejected).await;
    assert_bind(&directory, "diane", "", Bind::Rejected).await;
    assert_bind(&directory, "nobody", BOB.1, Bind::Rejected).await;
}

#[tokio::test]
async fn a_reset_without_must_change_replaces_the_password() {
    let dc = dc();
    let directory = directory();
    let (id, old) = dc.new_user("reset", "Reset Plain");
    directory.set_password(&id, &pw(NEW), false).await.unwrap();
    assert_password(&directory, &id, NEW, &old, false).await;
    assert_ne!(dc.attribute(&id, "pwdLastSet").as_deref(), Some("0"));
}

#[tokio::test]
async fn a_reset_with_must_change_answers_data_773_at_bind() {
    let dc = dc();
    let directory = directory();
    let (id, old) = dc.new_user("temp", "Reset Temporary");
    directory.set_password(&id, &pw(NEW), true).await.unwrap();
    assert_eq!(dc.attribute(&id, "pwdLastSet").as_deref(), Some("0"));
    assert_password(&directory, &id, NEW, &old, true).await;

    // A later reset without must-change lifts it.
    directory
        .set_password(&id, &pw(NEWER), false)
        .await
        .unwrap();
    assert_password(&directory, &id, NEWER, NEW, false).await;
}

#[tokio::test]
async fn require_change_keeps_the_password() {
    let dc = dc();
    let directory = directory();
    let (id, password) = dc.new_user("keep", "Keep Password");
    assert!(!directory.must_change(&id).await.unwrap());
    directory.require_change(&id).await.unwrap();
    assert!(directory.must_change(&id).await.unwrap());
    assert_bind(&directory, &id, &password, accepted(true)).await;
}

#[tokio::test]
async fn a_users_own_change_checks_the_current_password_history_and_complexity() {
    let dc = dc();
    let directory = directory();
    let (id, _) = dc.new_user("own", "Own Change");
    directory.set_password(&id, &pw(NEW), true).await.unwrap();
    // Allowed although the user must change (and so cannot bind).
    assert_own_change(&directory, &id, NEWER, NEW, NEWER).await;

    // Back to the previous password: the domain's history refuses it.
    let back = own_change(&directory, &id, NEWER, NEW).await;
    let why = refused(back, &[NEW, NEWER]);
    assert!(why.contains("0000052D"), "{why}");
    // Too simple for the domain's complexity rules.
    refused(own_change(&directory, &id, NEWER, "abc").await, &[NEWER]);
    assert_bind(&directory, &id, NEWER, accepted(false)).await;
}

#[tokio::test]
async fn an_administrators_reset_is_held_to_the_domains_complexity() {
    let dc = dc();
    let directory = directory();
    let (id, password) = dc.new_user("simple", "Too Simple");
    let why = refused(directory.set_password(&id, &pw("abc"), false).await, &[]);
    assert!(why.contains("0000052D"), "{why}");
    // Nothing changed.
    assert_bind(&directory, &id, &password, accepted(false)).await;
    assert!(!directory.must_change(&id).await.unwrap());
}

#[tokio::test]
async fn recovery_sets_a_password_without_must_change() {
    let dc = dc();
    let directory = directory();
    let (id, old) = dc.new_user("recover", "Recovering User");
    directory.require_change(&id).await.unwrap();
    directory.recover_password(&id, &pw(NEW)).await.unwrap();
    assert_password(&directory, &id, NEW, &old, false).await;
}

#[tokio::test]
async fn a_disabled_account_is_rejected() {
    let dc = dc();
    let directory = directory();
    let (id, password) = dc.new_user("disabled", "Disabled User");
    assert_bind(&directory, &id, &password, accepted(false)).await;
    dc.replace(&id, "userAccountControl", "514");
    assert_bind(&directory, &id, &password, Bind::Rejected).await;
}

#[tokio::test]
async fn starttls_works_and_verifies_the_certificate() {
    let dc = dc();
    let mut config = dc.config();
    config.url = samba::LDAP_URL.into();
    config.starttls = true;
    let directory = LdapDirectory::new(config.clone()).unwrap();
    assert_bind(&directory, "bob", BOB.1, accepted(false)).await;
    config.ca_file = None;
    let untrusted = LdapDirectory::new(config).unwrap();
    unavailable(untrusted.find_user("bob").await);
}

#[tokio::test]
async fn a_directory_that_is_not_there_is_unavailable_fast() {
    let mut config = dc().config();
    config.url = format!("ldaps://127.0.0.1:{}/", slapd::free_port());
    let directory = LdapDirectory::new(config).unwrap();
    let started = Instant::now();
    unavailable(directory.set_password("bob", &pw(NEW), false).await);
    unavailable(directory.verify_password("bob", &pw(BOB.1)).await);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn wrong_service_credentials_make_the_directory_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    let directory = with_wrong_service_password(dc().config(), dir.path());
    assert_service_account_refused(directory.find_user("bob").await);
}

/// A retry of a reset whose answer was lost sets the same password again:
/// AD takes a replace of `unicodePwd` by an administrator as a reset, not
/// held to the password history.
#[tokio::test]
async fn a_reset_made_again_with_the_same_password_is_accepted() {
    let dc = dc();
    let directory = directory();
    let (id, _) = dc.new_user("again", "Reset Again");
    for must_change in [true, true, false, false] {
        directory
            .set_password(&id, &pw(NEW), must_change)
            .await
            .unwrap();
        assert_eq!(directory.must_change(&id).await.unwrap(), must_change);
    }
    assert_bind(&directory, &id, NEW, accepted(false)).await;
    directory.recover_password(&id, &pw(NEW)).await.unwrap();
}

/// A user disabled since the routes' lookup is no longer a user (the
/// filter keeps enabled accounts): `NoSuchUser`, not a failure of the
/// directory; must-change is false for nobody.
#[tokio::test]
async fn a_user_disabled_since_the_lookup_is_no_such_user() {
    let dc = dc();
    let directory = directory();
    let (id, _) = dc.new_user("gone", "Gone Since");
    assert!(directory.find_user(&id).await.unwrap().is_some());
    dc.replace(&id, "userAccountControl", "514");
    assert_no_such_user(&directory, &id).await;
    assert_eq!(
        own_change(&directory, &id, NEW, NEWER).await,
        Err(DirectoryError::NoSuchUser)
    );
}
