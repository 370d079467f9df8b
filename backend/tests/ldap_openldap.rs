//! `LdapDirectory` against a real OpenLDAP server (slapd with the ppolicy
//! overlay), one fresh server per test (started in well under a second).

#[path = "support/slapd.rs"]
mod slapd;

use std::time::{Duration, Instant};

use reset_backend::directory::ldap::LdapDirectory;
use reset_backend::directory::{Bind, DirectoryError, DirectoryUser};
use reset_backend::passwords::Password;
use slapd::{Slapd, BOB, CAROL, DIANE, ERIN};

const NEW: &str = "Vq8#tLm2!pZx9wRk";
const NEWER: &str = "Hq3$wNp8@yTe5uZc";

fn pw(text: &str) -> Password {
    Password::new(text)
}

fn directory(server: &Slapd) -> LdapDirectory {
    LdapDirectory::new(server.config()).unwrap()
}

fn accepted(must_change: bool) -> Bind {
    Bind::Accepted { must_change }
}

#[tokio::test]
async fn lists_the_users_sorted_by_name_with_the_administrators() {
    let server = Slapd::start();
    let users = directory(&server).list_users().await.unwrap();
    let user = |id: &str, name: &str, email: &str, is_admin| DirectoryUser {
        id: id.into(),
        name: name.into(),
        email: email.into(),
        is_admin,
    };
    assert_eq!(
        users,
        [
            user("bob", "Bob Fischer", "bob@contoso.test", false),
            user("carol", "Carol Nguyen", "carol@contoso.test", false),
            user("diane", "Diane Prescott", "diane@contoso.test", true),
            user("erin", "Erin Walsh", "Erin.Walsh@Contoso.test", false),
        ]
    );
}

#[tokio::test]
async fn finds_users_by_id_and_by_mail_case_insensitively() {
    let server = Slapd::start();
    let directory = directory(&server);
    let diane = directory.find_user("diane").await.unwrap().unwrap();
    assert_eq!(
        (diane.name.as_str(), diane.is_admin),
        ("Diane Prescott", true)
    );
    assert_eq!(directory.find_user("BOB").await.unwrap().unwrap().id, "bob");
    assert_eq!(directory.find_user("nobody").await.unwrap(), None);
    assert_eq!(directory.find_user("").await.unwrap(), None);

    let bob = directory.find_by_login("bob").await.unwrap().unwrap();
    assert_eq!(bob.user.id, "bob");
    assert_eq!(
        bob.alternate_email.as_deref(),
        Some("bob.fischer@example.net")
    );
    let erin = directory
        .find_by_login("ERIN.WALSH@contoso.TEST")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (erin.user.id.as_str(), erin.alternate_email),
        ("erin", None)
    );
    let carol = directory
        .find_by_login("carol@contoso.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(carol.user.name, "Carol Nguyen");
    assert_eq!(
        directory
            .find_by_login("nobody@contoso.test")
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn a_filter_injection_finds_nobody() {
    let server = Slapd::start();
    let directory = directory(&server);
    for attempt in [
        "*",
        "*)(uid=*",
        "bob)(uid=*",
        "*)(|(uid=*",
        "b*",
        "\\2a",
        "bob\0",
    ] {
        assert_eq!(
            directory.find_user(attempt).await.unwrap(),
            None,
            "{attempt:?}"
        );
        assert_eq!(
            directory.find_by_login(attempt).await.unwrap(),
            None,
            "{attempt:?}"
        );
        assert_eq!(
            directory
                .verify_password(attempt, &pw(BOB.1))
                .await
                .unwrap(),
            Bind::Rejected,
            "{attempt:?}"
        );
    }
}

#[tokio::test]
async fn checks_passwords_by_binding_as_the_user() {
    let server = Slapd::start();
    let directory = directory(&server);
    assert_eq!(
        directory.verify_password("bob", &pw(BOB.1)).await.unwrap(),
        accepted(false)
    );
    assert_eq!(
        directory.verify_password("BOB", &pw(BOB.1)).await.unwrap(),
        accepted(false)
    );
    assert_eq!(
        directory
            .verify_password("bob", &pw(CAROL.1))
            .await
            .unwrap(),
        Bind::Rejected
    );
    assert_eq!(
        directory
            .verify_password("nobody", &pw(BOB.1))
            .await
            .unwrap(),
        Bind::Rejected
    );
    // An empty password would be an unauthenticated bind, which succeeds.
    assert_eq!(
        directory.verify_password("bob", &pw("")).await.unwrap(),
        Bind::Rejected
    );
}

#[tokio::test]
async fn a_reset_without_must_change_replaces_the_password() {
    let server = Slapd::start();
    let directory = directory(&server);
    directory
        .set_password("bob", &pw(NEW), false)
        .await
        .unwrap();
    assert_eq!(
        directory.verify_password("bob", &pw(NEW)).await.unwrap(),
        accepted(false)
    );
    assert_eq!(
        directory.verify_password("bob", &pw(BOB.1)).await.unwrap(),
        Bind::Rejected
    );
    assert!(!directory.must_change("bob").await.unwrap());
    // The server hashed it (Password Modify): no clear text is stored.
    let stored = server.ldap_tool(
        "ldapsearch",
        &[
            "-LLL",
            "-b",
            "uid=bob,ou=people,dc=contoso,dc=test",
            "-s",
            "base",
            "userPassword",
        ],
    );
    let value = stored
        .lines()
        .find(|l| l.starts_with("userPassword"))
        .unwrap();
    use base64::Engine;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(value.trim_start_matches("userPassword:: "))
        .unwrap();
    assert!(decoded.starts_with(b"{SSHA}"), "{value}");
    // Others are untouched.
    assert_eq!(
        directory
            .verify_password("carol", &pw(CAROL.1))
            .await
            .unwrap(),
        accepted(false)
    );
}

#[tokio::test]
async fn a_reset_with_must_change_is_enforced_at_bind() {
    let server = Slapd::start();
    let directory = directory(&server);
    directory
        .set_password("carol", &pw(NEW), true)
        .await
        .unwrap();
    assert_eq!(
        directory.verify_password("carol", &pw(NEW)).await.unwrap(),
        accepted(true)
    );
    assert_eq!(
        directory
            .verify_password("carol", &pw(CAROL.1))
            .await
            .unwrap(),
        Bind::Rejected
    );
    assert!(directory.must_change("carol").await.unwrap());
    let stored = server.ldap_tool(
        "ldapsearch",
        &[
            "-LLL",
            "-b",
            "uid=carol,ou=people,dc=contoso,dc=test",
            "-s",
            "base",
            "pwdReset",
        ],
    );
    assert!(stored.contains("pwdReset: TRUE"), "{stored}");

    // A later reset without must-change lifts it (the overlay sets pwdReset
    // on every administrator's change; the directory deletes it).
    directory
        .set_password("carol", &pw(NEWER), false)
        .await
        .unwrap();
    assert_eq!(
        directory
            .verify_password("carol", &pw(NEWER))
            .await
            .unwrap(),
        accepted(false)
    );
    assert!(!directory.must_change("carol").await.unwrap());
}

#[tokio::test]
async fn require_change_keeps_the_password() {
    let server = Slapd::start();
    let directory = directory(&server);
    assert!(!directory.must_change("erin").await.unwrap());
    directory.require_change("erin").await.unwrap();
    assert!(directory.must_change("erin").await.unwrap());
    assert_eq!(
        directory
            .verify_password("erin", &pw(ERIN.1))
            .await
            .unwrap(),
        accepted(true)
    );
}

#[tokio::test]
async fn a_users_own_change_checks_the_current_password_and_the_history() {
    let server = Slapd::start();
    let directory = directory(&server);
    directory.set_password("bob", &pw(NEW), true).await.unwrap();

    assert_eq!(
        directory
            .change_own_password("bob", &pw(BOB.1), &pw(NEWER))
            .await
            .unwrap(),
        Bind::Rejected,
        "a wrong current password"
    );
    assert_eq!(
        directory.verify_password("bob", &pw(NEW)).await.unwrap(),
        accepted(true)
    );

    assert_eq!(
        directory
            .change_own_password("bob", &pw(NEW), &pw(NEWER))
            .await
            .unwrap(),
        accepted(false)
    );
    assert_eq!(
        directory.verify_password("bob", &pw(NEWER)).await.unwrap(),
        accepted(false)
    );
    assert_eq!(
        directory.verify_password("bob", &pw(NEW)).await.unwrap(),
        Bind::Rejected
    );
    assert!(
        !directory.must_change("bob").await.unwrap(),
        "the change clears pwdReset"
    );

    // Back to a recent password: the policy's history (pwdInHistory 3) refuses it.
    match directory
        .change_own_password("bob", &pw(NEWER), &pw(BOB.1))
        .await
    {
        Err(DirectoryError::PasswordRefused(why)) => {
            assert!(why.contains("history"), "{why}");
            assert!(!why.contains(BOB.1) && !why.contains(NEWER), "{why}");
        }
        other => panic!("expected the history to refuse it, got {other:?}"),
    }
    // Shorter than the policy's pwdMinLength.
    assert!(matches!(
        directory
            .change_own_password("bob", &pw(NEWER), &pw("abc"))
            .await,
        Err(DirectoryError::PasswordRefused(_))
    ));
    assert_eq!(
        directory.verify_password("bob", &pw(NEWER)).await.unwrap(),
        accepted(false)
    );
    assert_eq!(
        directory
            .change_own_password("nobody", &pw(NEWER), &pw(NEW))
            .await
            .unwrap(),
        Bind::Rejected
    );
}

#[tokio::test]
async fn recovery_sets_a_password_without_must_change() {
    let server = Slapd::start();
    let directory = directory(&server);
    directory.require_change("diane").await.unwrap();
    directory.recover_password("diane", &pw(NEW)).await.unwrap();
    assert_eq!(
        directory.verify_password("diane", &pw(NEW)).await.unwrap(),
        accepted(false)
    );
    assert_eq!(
        directory
            .verify_password("diane", &pw(DIANE.1))
            .await
            .unwrap(),
        Bind::Rejected
    );
    assert!(!directory.must_change("diane").await.unwrap());
}

#[tokio::test]
async fn ldaps_and_starttls_verify_the_servers_certificate() {
    let server = Slapd::start();
    let mut ldaps = server.config();
    ldaps.url = server.ldaps_url();
    ldaps.ca_file = Some(server.ca_file());
    let directory = LdapDirectory::new(ldaps.clone()).unwrap();
    assert_eq!(directory.list_users().await.unwrap().len(), 4);
    directory
        .set_password("bob", &pw(NEW), false)
        .await
        .unwrap();
    assert_eq!(
        directory.verify_password("bob", &pw(NEW)).await.unwrap(),
        accepted(false)
    );

    let mut starttls = server.config();
    starttls.starttls = true;
    starttls.ca_file = Some(server.ca_file());
    let directory = LdapDirectory::new(starttls.clone()).unwrap();
    assert_eq!(
        directory.verify_password("bob", &pw(NEW)).await.unwrap(),
        accepted(false)
    );

    // Without the test CA, the self-made certificate is not trusted.
    for mut config in [ldaps, starttls] {
        config.ca_file = None;
        let directory = LdapDirectory::new(config).unwrap();
        match directory.find_user("bob").await {
            Err(DirectoryError::Unavailable(why)) => assert!(why.contains("connect"), "{why}"),
            other => panic!("expected an untrusted certificate to fail, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_server_that_is_down_is_unavailable_fast() {
    let mut server = Slapd::start();
    let directory = directory(&server);
    assert!(directory.find_user("bob").await.unwrap().is_some());
    server.stop();
    let started = Instant::now();
    for result in [
        directory.find_user("bob").await.map(drop),
        directory.verify_password("bob", &pw(BOB.1)).await.map(drop),
        directory.set_password("bob", &pw(NEW), false).await,
    ] {
        assert!(
            matches!(result, Err(DirectoryError::Unavailable(_))),
            "{result:?}"
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    // Accepts the connection, then says nothing.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let server = Slapd::start();
    let mut config = server.config();
    config.url = format!("ldap://{}/", silent.local_addr().unwrap());
    config.timeout = Duration::from_secs(1);
    let directory = LdapDirectory::new(config).unwrap();
    let started = Instant::now();
    match directory.list_users().await {
        Err(DirectoryError::Unavailable(why)) => assert!(why.contains("no answer"), "{why}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(3),
        "{took:?}"
    );
}

#[tokio::test]
async fn wrong_service_credentials_make_the_directory_unavailable() {
    let server = Slapd::start();
    let mut config = server.config();
    let file = server.dir().join("wrong.pw");
    std::fs::write(&file, "Not-The-Service-Password-9\n").unwrap();
    config.bind_password_file = file;
    let directory = LdapDirectory::new(config).unwrap();
    match directory.list_users().await {
        Err(DirectoryError::Unavailable(why)) => {
            assert!(why.contains("service account"), "{why}");
            assert!(!why.contains("Not-The-Service"), "{why}");
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
    assert!(matches!(
        directory.verify_password("bob", &pw(BOB.1)).await,
        Err(DirectoryError::Unavailable(_))
    ));
}

#[tokio::test]
async fn a_referral_makes_the_directory_unavailable() {
    let server = Slapd::start();
    let mut config = server.config();
    config.base_dn = "dc=elsewhere,dc=test".into();
    let directory = LdapDirectory::new(config).unwrap();
    match directory.find_user("bob").await {
        Err(DirectoryError::Unavailable(why)) => {
            assert!(why.contains("ldap.elsewhere.test"), "{why}")
        }
        other => panic!("expected Unavailable for a referral, got {other:?}"),
    }
}

#[tokio::test]
async fn the_id_and_mail_attributes_are_configurable() {
    let server = Slapd::start();
    let mut config = server.config();
    config.id_attribute = "mail".into();
    config.name_attribute = "sn".into();
    config.user_filter = "(&(objectClass=inetOrgPerson)(otherMailbox=*))".into();
    let directory = LdapDirectory::new(config).unwrap();
    let users = directory.list_users().await.unwrap();
    let ids: Vec<_> = users
        .iter()
        .map(|u| (u.id.as_str(), u.name.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("bob@contoso.test", "Fischer"),
            ("carol@contoso.test", "Nguyen"),
            ("diane@contoso.test", "Prescott")
        ]
    );
    assert_eq!(
        directory
            .verify_password("bob@contoso.test", &pw(BOB.1))
            .await
            .unwrap(),
        accepted(false)
    );
    // Erin (no alternate address) is outside the filter.
    assert_eq!(
        directory
            .find_user("Erin.Walsh@Contoso.test")
            .await
            .unwrap(),
        None
    );
}
