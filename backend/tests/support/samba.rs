//! A real Samba Active Directory domain controller, shared by every test of
//! a test binary: provisioned and started on first use
//! (`scripts/directory/samba-dc.sh`), in the foreground with its standard
//! input a pipe this process holds, so it stops when the process ends.
//!
//! Its LDAP ports are fixed (127.0.0.1:389 and :636): a lock file
//! serialises test binaries that want a DC, and a DC is provisioned afresh
//! in one reused folder under the temp dir.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use base64::Engine;
use reset_backend::config::{LdapConfig, LdapFlavour};

pub const BASE_DN: &str = "DC=contoso,DC=test";
pub const SERVICE_DN: &str = "CN=reset-service,CN=Users,DC=contoso,DC=test";
pub const SERVICE_PASSWORD: &str = "Svc-Reset-Demo-2026-q7";
pub const ADMIN_GROUP: &str = "CN=Reset Admins,CN=Users,DC=contoso,DC=test";
pub const ADMINISTRATOR: &str = "Administrator@contoso.test";
pub const ADMINISTRATOR_PASSWORD: &str = "Adm-Contoso-2026-zQ9";
pub const LDAPS_URL: &str = "ldaps://127.0.0.1:636/";
pub const LDAP_URL: &str = "ldap://127.0.0.1:389/";
/// Seeded users: (sAMAccountName, password).
pub const DIANE: (&str, &str) = ("diane", "Diane-Seed-Pw-2026-xR4");
pub const BOB: (&str, &str) = ("bob", "Bob-Seed-Pw-2026-mT8");

pub struct Dc {
    dir: PathBuf,
    /// Its standard input is held open for the life of the process: samba
    /// stops at its EOF.
    _samba: Mutex<Child>,
    _lock: File,
}

static DC: OnceLock<Dc> = OnceLock::new();

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/directory/samba-dc.sh")
}

fn run(args: &[&str]) {
    let output = Command::new(script()).args(args).output().unwrap();
    assert!(
        output.status.success(),
        "samba-dc.sh {args:?} failed (are samba and winbind installed? scripts/setup.sh test): {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The shared DC, started on first use (~10-15 s).
pub fn dc() -> &'static Dc {
    DC.get_or_init(|| {
        let temp = std::env::temp_dir();
        let lock = File::create(temp.join("reset-backend-samba-dc.lock")).unwrap();
        // Waits for another test binary's DC to stop.
        // SAFETY: flock on a file descriptor this function owns.
        assert_eq!(
            unsafe { libc::flock(std::os::fd::AsRawFd::as_raw_fd(&lock), libc::LOCK_EX) },
            0
        );
        assert!(
            std::net::TcpStream::connect_timeout(
                &"127.0.0.1:636".parse().unwrap(),
                Duration::from_millis(500)
            )
            .is_err(),
            "something already listens on 127.0.0.1:636 (a DC left running?)"
        );
        let dir = temp.join("reset-backend-samba-dc");
        let _ = std::fs::remove_dir_all(&dir);
        let shown = dir.to_str().unwrap();
        run(&["provision", shown]);
        let samba = Command::new("/usr/sbin/samba")
            .args(["-s", &format!("{shown}/etc/smb.conf"), "-M", "single", "-i"])
            .stdin(Stdio::piped())
            .stdout(File::create(dir.join("samba.out")).unwrap())
            .stderr(File::create(dir.join("samba.err")).unwrap())
            .spawn()
            .expect("samba starts");
        run(&["seed", shown]);
        Dc {
            dir,
            _samba: Mutex::new(samba),
            _lock: lock,
        }
    })
}

impl Dc {
    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("tls/ca.pem")
    }

    /// The backend's settings for this DC (LDAPS, the test CA).
    pub fn config(&self) -> LdapConfig {
        let file = self.dir.join("service.pw");
        if !file.exists() {
            std::fs::write(&file, format!("{SERVICE_PASSWORD}\n")).unwrap();
        }
        let mut config = LdapConfig::new(
            LdapFlavour::ActiveDirectory,
            LDAPS_URL,
            SERVICE_DN,
            file,
            BASE_DN,
            ADMIN_GROUP,
        );
        config.ca_file = Some(self.ca_file());
        config.timeout = Duration::from_secs(5);
        config
    }

    /// Runs an OpenLDAP command-line tool against the DC over LDAPS as the
    /// domain's Administrator, `input` on its standard input.
    pub fn ldap_tool(&self, tool: &str, args: &[&str], input: &str) -> String {
        let mut child = Command::new(tool)
            .env("LDAPTLS_CACERT", self.ca_file())
            .args([
                "-x",
                "-H",
                LDAPS_URL,
                "-D",
                ADMINISTRATOR,
                "-w",
                ADMINISTRATOR_PASSWORD,
            ])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{tool} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// A new user of its own for one test: (sAMAccountName, password), in
    /// CN=Users, with `mail` `<name>@contoso.test`.
    pub fn new_user(&self, prefix: &str, display_name: &str) -> (String, String) {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        let id = format!("{prefix}{}", NEXT.fetch_add(1, Ordering::Relaxed));
        let password = format!("Seed-{id}-Pw-2026-kQ7!");
        let quoted: Vec<u8> = format!("\"{password}\"")
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let unicode_pwd = base64::engine::general_purpose::STANDARD.encode(quoted);
        let ldif = format!(
            "dn: CN={id},CN=Users,{BASE_DN}\nobjectClass: user\nsAMAccountName: {id}\n\
             displayName: {display_name}\nmail: {id}@contoso.test\n\
             unicodePwd:: {unicode_pwd}\nuserAccountControl: 512\n"
        );
        self.ldap_tool("ldapadd", &[], &ldif);
        (id, password)
    }

    /// An attribute's first value on the user's entry, read as the Administrator.
    pub fn attribute(&self, id: &str, attribute: &str) -> Option<String> {
        let out = self.ldap_tool(
            "ldapsearch",
            &[
                "-LLL",
                "-o",
                "ldif-wrap=no",
                "-b",
                BASE_DN,
                &format!("(sAMAccountName={id})"),
                attribute,
            ],
            "",
        );
        let prefix = format!("{attribute}: ");
        out.lines()
            .find_map(|line| line.strip_prefix(&prefix))
            .map(str::to_owned)
    }

    /// Replaces an attribute on the user's entry as the Administrator.
    pub fn replace(&self, id: &str, attribute: &str, value: &str) {
        let ldif = format!(
            "dn: CN={id},CN=Users,{BASE_DN}\nchangetype: modify\nreplace: {attribute}\n{attribute}: {value}\n"
        );
        self.ldap_tool("ldapmodify", &[], &ldif);
    }
}
