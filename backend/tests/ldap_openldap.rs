//! `LdapDirectory` against a real OpenLDAP server (slapd with the ppolicy
//! overlay), one fresh server per test (started in well under a second).

#[path = "support/ldap.rs"]
mod ldap;
#[path = "support/slapd.rs"]
mod slapd;

use std::time::{Duration, Instant};

use ldap::{
    accepted, assert_bind, assert_finds_nobody, assert_no_such_user, assert_own_change,
    assert_password, assert_seeded_logins, assert_service_account_refused, by_login, own_change,
    pw, refused, unavailable, with_wrong_service_password, NEW, NEWER,
};
use reset_backend::directory::ldap::LdapDirectory;
use reset_backend::directory::{Bind, DirectoryError, DirectoryUser};
use slapd::{Slapd, BOB, CAROL, DIANE, ERIN};

fn directory(server: &Slapd) -> LdapDirectory {
    LdapDirectory::new(server.config()).unwrap()
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

    assert_seeded_logins(&directory).await;
    let carol = by_login(&directory, "carol@contoso.test").await.unwrap();
    assert_eq!(carol.user.name, "Carol Nguyen");
}

#[tokio::test]
async fn a_filter_injection_finds_nobody() {
    let server = Slapd::start();
    let attempts = [
        "*",
        "*)(uid=*",
        "bob)(uid=*",
        "*)(|(uid=*",
        "b*",
        "\\2a",
        "bob\0",
    ];
    assert_finds_nobody(&directory(&server), &attempts, BOB.1).await;
}

#[tokio::test]
async fn checks_passwords_by_binding_as_the_user() {
    let server = Slapd::start();
    let directory = directory(&server);
    assert_bind(&directory, "bob", BOB.1, accepted(false)).await;
    assert_bind(&directory, "BOB", BOB.1, accepted(false)).await;
    assert_bind(&directory, "bob", CAROL.1, Bind::Rejected).await;
    assert_bind(&directory, "nobody", BOB.1, Bind::Rejected).await;
    // An empty password would be an unauthenticated bind, which succeeds.
    assert_bind(&directory, "bob", "", Bind::Rejected).await;
}

#[tokio::test]
async fn a_reset_without_must_change_replaces_the_password() {
    let server = Slapd::start();
    let directory = directory(&server);
    directory
        .set_password("bob", &pw(NEW), false)
        .await
        .unwrap();
    assert_password(&directory, "bob", NEW, BOB.1, false).await;
    // The server hashed it (Password Modify): no clear text is stored.
    let stored = server.attribute("uid=bob,ou=people,dc=contoso,dc=test", "userPassword");
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
    assert_bind(&directory, "carol", CAROL.1, accepted(false)).await;
}

#[tokio::test]
async fn a_reset_with_must_change_is_enforced_at_bind() {
    let server = Slapd::start();
    let directory = directory(&server);
    directory
        .set_password("carol", &pw(NEW), true)
        .await
        .unwrap();
    assert_password(&directory, "carol", NEW, CAROL.1, true).await;
    let stored = server.attribute("uid=carol,ou=people,dc=contoso,dc=test", "pwdReset");
    assert!(stored.contains("pwdReset: TRUE"), "{stored}");

    // A later reset without must-change lifts it (the overlay sets pwdReset
    // on every administrator's change; the directory deletes it).
    directory
        .set_password("carol", &pw(NEWER), false)
        .await
        .unwrap();
    assert_password(&directory, "carol", NEWER, NEW, false).await;
}

#[tokio::test]
async fn require_change_keeps_the_password() {
    let server = Slapd::start();
    let directory = directory(&server);
    assert!(!directory.must_change("erin").await.unwrap());
    directory.require_change("erin").await.unwrap();
    assert!(directory.must_change("erin").await.unwrap());
    assert_bind(&directory, "erin", ERIN.1, accepted(true)).await;
}

#[tokio::test]
async fn a_users_own_change_checks_the_current_password_and_the_history() {
    let server = Slapd::start();
    let directory = directory(&server);
    directory.set_password("bob", &pw(NEW), true).await.unwrap();
    // The change also clears pwdReset.
    assert_own_change(&directory, "bob", BOB.1, NEW, NEWER).await;

    // Back to a recent password: the policy's history (pwdInHistory 3) refuses it.
    let back = own_change(&directory, "bob", NEWER, BOB.1).await;
    let why = refused(back, &[BOB.1, NEWER]);
    assert!(why.contains("history"), "{why}");
    // Shorter than the policy's pwdMinLength.
    refused(own_change(&directory, "bob", NEWER, "abc").await, &[NEWER]);
    assert_bind(&directory, "bob", NEWER, accepted(false)).await;
    // A user gone since the route found them.
    assert_eq!(
        directory
            .change_own_password("nobody", &pw(NEWER), &pw(NEW))
            .await,
        Err(DirectoryError::NoSuchUser)
    );
}

#[tokio::test]
async fn recovery_sets_a_password_without_must_change() {
    let server = Slapd::start();
    let directory = directory(&server);
    directory.require_change("diane").await.unwrap();
    directory.recover_password("diane", &pw(NEW)).await.unwrap();
    assert_password(&directory, "diane", NEW, DIANE.1, false).await;
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
    assert_bind(&directory, "bob", NEW, accepted(false)).await;

    let mut starttls = server.config();
    starttls.starttls = true;
    starttls.ca_file = Some(server.ca_file());
    let directory = LdapDirectory::new(starttls.clone()).unwrap();
    assert_bind(&directory, "bob", NEW, accepted(false)).await;

    // Without the test CA, the self-made certificate is not trusted.
    for mut config in [ldaps, starttls] {
        config.ca_file = None;
        let directory = LdapDirectory::new(config).unwrap();
        let why = unavailable(directory.find_user("bob").await);
        assert!(why.contains("connect"), "{why}");
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
        unavailable(result);
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
    let why = unavailable(directory.list_users().await);
    assert!(why.contains("no answer"), "{why}");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(3),
        "{took:?}"
    );
}

#[tokio::test]
async fn wrong_service_credentials_make_the_directory_unavailable() {
    let server = Slapd::start();
    let directory = with_wrong_service_password(server.config(), server.dir());
    assert_service_account_refused(directory.list_users().await);
    unavailable(directory.verify_password("bob", &pw(BOB.1)).await);
}

#[tokio::test]
async fn a_referral_makes_the_directory_unavailable() {
    let server = Slapd::start();
    let mut config = server.config();
    config.base_dn = "dc=elsewhere,dc=test".into();
    let directory = LdapDirectory::new(config).unwrap();
    let why = unavailable(directory.find_user("bob").await);
    assert!(why.contains("ldap.elsewhere.test"), "{why}");
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
    assert_bind(&directory, "bob@contoso.test", BOB.1, accepted(false)).await;
    // Erin (no alternate address) is outside the filter.
    assert_eq!(
        directory
            .find_user("Erin.Walsh@Contoso.test")
            .await
            .unwrap(),
        None
    );
}

/// Adds the entries of `ldif` as the root DN.
fn ldap_add(server: &Slapd, name: &str, ldif: &str) {
    let file = server.dir().join(name);
    std::fs::write(&file, ldif).unwrap();
    server.ldap_tool("ldapadd", &["-f", file.to_str().unwrap()]);
}

fn ldap_modify(server: &Slapd, name: &str, ldif: &str) {
    let file = server.dir().join(name);
    std::fs::write(&file, ldif).unwrap();
    server.ldap_tool("ldapmodify", &["-f", file.to_str().unwrap()]);
}

/// Who is an administrator is the server's comparison of DNs, by the
/// matching rules of the naming attributes: `labeledURI=Reset` is another
/// entry than the admin `labeledURI=reset` (caseExactMatch), though a
/// string compared without case finds them alike; `cn=Smith\, John`
/// ("Smith, John") is another entry than the admin `cn=Smith\,John`
/// ("Smith,John"); a member value written with a hex escape (`uid=\65rin`)
/// names erin.
#[tokio::test]
async fn an_administrator_is_the_entry_the_server_finds_in_the_group_not_a_lookalike_dn() {
    let server = Slapd::start();
    ldap_add(
        &server,
        "smiths.ldif",
        "dn: cn=Smith\\,John,ou=people,dc=contoso,dc=test
objectClass: inetOrgPerson
cn: Smith,John
sn: Smith
uid: smith-admin
mail: smith.admin@contoso.test

dn: cn=Smith\\, John,ou=people,dc=contoso,dc=test
objectClass: inetOrgPerson
cn: Smith, John
sn: Smith
uid: jsmith
mail: john.smith@contoso.test

dn: labeledURI=reset,ou=people,dc=contoso,dc=test
objectClass: inetOrgPerson
labeledURI: reset
cn: Lower Case
sn: Case
uid: lower-admin

dn: labeledURI=Reset,ou=people,dc=contoso,dc=test
objectClass: inetOrgPerson
labeledURI: Reset
cn: Upper Case
sn: Case
uid: upper
",
    );
    ldap_modify(
        &server,
        "admins.ldif",
        "dn: cn=reset-admins,ou=groups,dc=contoso,dc=test
changetype: modify
add: member
member: cn=Smith\\,John,ou=people,dc=contoso,dc=test
member: uid=\\65rin,ou=people,dc=contoso,dc=test
member: uid=gone,ou=people,dc=contoso,dc=test
member: labeledURI=reset,ou=people,dc=contoso,dc=test
",
    );
    let directory = directory(&server);
    let admin = |id: &'static str| {
        let directory = &directory;
        async move {
            let found = directory.find_user(id).await.unwrap().unwrap();
            let by_login = directory.find_by_login(id).await.unwrap().unwrap();
            assert_eq!(found.is_admin, by_login.user.is_admin, "{id}");
            found.is_admin
        }
    };
    assert!(admin("smith-admin").await);
    assert!(!admin("jsmith").await, "a lookalike DN is not the admin");
    assert!(admin("lower-admin").await);
    assert!(
        !admin("upper").await,
        "a DN alike but for case is not the admin"
    );
    assert!(admin("erin").await, "a hex-escaped member value");
    assert!(admin("diane").await);
    assert!(!admin("bob").await);

    let listed: Vec<(String, bool)> = directory
        .list_users()
        .await
        .unwrap()
        .into_iter()
        .map(|user| (user.id, user.is_admin))
        .collect();
    let expected = [
        ("bob", false),
        ("carol", false),
        ("diane", true),
        ("erin", true),
        ("jsmith", false),
        ("lower-admin", true),
        ("smith-admin", true),
        ("upper", false),
    ];
    let mut listed_sorted = listed.clone();
    listed_sorted.sort();
    assert_eq!(
        listed_sorted,
        expected.map(|(id, admin)| (id.to_owned(), admin)),
        "{listed:?}"
    );
}

/// An unknown id's password is checked too, by a bind to a DN under the
/// base that is not there, so that the answer takes about as long as a
/// wrong password's. Here that DN is made to exist, under a policy that
/// counts failed binds: the server saw the bind. Even a right password
/// for it is no sign-in.
#[tokio::test]
async fn an_unknown_id_costs_a_bind_too() {
    use reset_backend::directory::ldap::NO_SUCH_USER_RDN;
    let server = Slapd::start();
    let phantom = format!("{NO_SUCH_USER_RDN},dc=contoso,dc=test");
    ldap_add(
        &server,
        "phantom.ldif",
        &format!(
            "dn: cn=counting,ou=policies,dc=contoso,dc=test
objectClass: organizationalRole
objectClass: pwdPolicy
cn: counting
pwdAttribute: userPassword
pwdLockout: TRUE
pwdMaxFailure: 100

dn: {phantom}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: reset-backend-no-such-user
userPassword: {NEW}
pwdPolicySubentry: cn=counting,ou=policies,dc=contoso,dc=test
"
        ),
    );
    let failures = || {
        server
            .attribute(&phantom, "pwdFailureTime")
            .lines()
            .filter(|line| line.starts_with("pwdFailureTime:"))
            .count()
    };
    assert_eq!(failures(), 0);
    let directory = directory(&server);
    for id in ["nobody", "", "reset-backend-no-such-user"] {
        assert_bind(&directory, id, NEW, Bind::Rejected).await;
    }
    assert_bind(&directory, "nobody", NEWER, Bind::Rejected).await;
    assert_eq!(
        failures(),
        1,
        "the wrong password's bind reached the server"
    );
}

/// A user deleted between the routes' lookup and the change: `NoSuchUser`
/// (a 404, or that user's failure in a batch), not a failure of the
/// directory; must-change is false for nobody.
#[tokio::test]
async fn a_user_gone_since_the_lookup_is_no_such_user() {
    let server = Slapd::start();
    let directory = directory(&server);
    assert!(directory.find_user("carol").await.unwrap().is_some());
    server.ldap_tool("ldapdelete", &["uid=carol,ou=people,dc=contoso,dc=test"]);
    assert_no_such_user(&directory, "carol").await;
    assert_eq!(
        directory.recover_password("carol", &pw(NEW)).await,
        Err(DirectoryError::NoSuchUser)
    );
}

/// A retry of a reset whose answer was lost sets the same password again:
/// an administrator's reset by the service account is not held to the
/// password history (ppolicy checks history on the user's own changes).
#[tokio::test]
async fn a_reset_made_again_with_the_same_password_is_accepted() {
    let server = Slapd::start();
    let directory = directory(&server);
    for must_change in [true, true, false, false] {
        directory
            .set_password("bob", &pw(NEW), must_change)
            .await
            .unwrap();
        assert_bind(&directory, "bob", NEW, accepted(must_change)).await;
    }
    directory.recover_password("bob", &pw(NEW)).await.unwrap();
}

/// At most `max_connections` connections are open at once, however many
/// operations come: here against a server that accepts connections and
/// never answers, which counts them.
#[tokio::test]
async fn connections_to_the_directory_are_capped() {
    use std::io::Read;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = silent.local_addr().unwrap();
    let (open, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    {
        let (open, most) = (open.clone(), most.clone());
        std::thread::spawn(move || {
            for stream in silent.incoming() {
                let Ok(mut stream) = stream else { return };
                let now = open.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                let open = open.clone();
                // Open until the client closes it.
                std::thread::spawn(move || {
                    let mut buffer = [0u8; 512];
                    while matches!(stream.read(&mut buffer), Ok(n) if n > 0) {}
                    open.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
    }
    let server = Slapd::start();
    let mut config = server.config();
    config.url = format!("ldap://{address}/");
    config.timeout = Duration::from_millis(500);
    config.max_connections = 2;
    let directory = Arc::new(LdapDirectory::new(config).unwrap());
    let tasks: Vec<_> = (0..6)
        .map(|_| {
            let directory = directory.clone();
            tokio::spawn(async move { directory.find_user("bob").await })
        })
        .collect();
    for task in tasks {
        unavailable(task.await.unwrap());
    }
    let peak = most.load(Ordering::SeqCst);
    assert!((1..=2).contains(&peak), "{peak} connections at once");
    // Each is closed once its operation gave up.
    let deadline = Instant::now() + Duration::from_secs(10);
    while open.load(Ordering::SeqCst) > 0 {
        assert!(Instant::now() < deadline, "connections left open");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
