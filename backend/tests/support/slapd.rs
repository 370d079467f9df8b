//! A real, throw-away OpenLDAP server for a test: `scripts/directory/slapd.sh`
//! in a temp dir, on free ports (plain + StartTLS, and LDAPS), seeded with
//! `scripts/directory/openldap/seed.ldif`; killed when dropped.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use reset_backend::config::{LdapConfig, LdapFlavour};

pub const BASE_DN: &str = "dc=contoso,dc=test";
pub const SERVICE_DN: &str = "cn=reset-service,ou=services,dc=contoso,dc=test";
pub const SERVICE_PASSWORD: &str = "Svc-Reset-Demo-2026-q7";
pub const ADMIN_GROUP: &str = "cn=reset-admins,ou=groups,dc=contoso,dc=test";
pub const ROOT_DN: &str = "cn=root,dc=contoso,dc=test";
pub const ROOT_PASSWORD: &str = "root-Seed-Only-7Kq2";
/// Seeded users: (uid, password).
pub const DIANE: (&str, &str) = ("diane", "Diane-Seed-Pw-2026-xR4");
pub const BOB: (&str, &str) = ("bob", "Bob-Seed-Pw-2026-mT8");
pub const CAROL: (&str, &str) = ("carol", "Carol-Seed-Pw-2026-vB3");
pub const ERIN: (&str, &str) = ("erin", "Erin-Seed-Pw-2026-kP6");

pub struct Slapd {
    dir: tempfile::TempDir,
    pub port: u16,
    pub ldaps_port: u16,
    pid: Option<u32>,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scripts/directory")
        .join(name)
}

impl Slapd {
    pub fn start() -> Slapd {
        let dir = tempfile::tempdir().unwrap();
        let (port, ldaps_port) = (free_port(), free_port());
        let output = Command::new(script("slapd.sh"))
            .arg(dir.path())
            .arg(port.to_string())
            .arg(ldaps_port.to_string())
            .output()
            .expect("scripts/directory/slapd.sh runs (is slapd installed? scripts/setup.sh test)");
        assert!(
            output.status.success(),
            "slapd.sh failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let pid = String::from_utf8_lossy(&output.stdout)
            .trim()
            .parse()
            .unwrap();
        std::fs::write(
            dir.path().join("service.pw"),
            format!("{SERVICE_PASSWORD}\n"),
        )
        .unwrap();
        Slapd {
            dir,
            port,
            ldaps_port,
            pid: Some(pid),
        }
    }

    pub fn url(&self) -> String {
        format!("ldap://127.0.0.1:{}/", self.port)
    }

    pub fn ldaps_url(&self) -> String {
        format!("ldaps://127.0.0.1:{}/", self.ldaps_port)
    }

    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("tls/ca.pem")
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The backend's settings for this server (plain ldap:// to loopback).
    pub fn config(&self) -> LdapConfig {
        let mut config = LdapConfig::new(
            LdapFlavour::OpenLdap,
            &self.url(),
            SERVICE_DN,
            self.dir.path().join("service.pw"),
            BASE_DN,
            ADMIN_GROUP,
        );
        config.timeout = Duration::from_secs(3);
        config
    }

    /// Runs an OpenLDAP command-line tool against this server as the root
    /// DN, returning its standard output.
    pub fn ldap_tool(&self, tool: &str, args: &[&str]) -> String {
        let output = Command::new(tool)
            .args(["-x", "-H", &self.url(), "-D", ROOT_DN, "-w", ROOT_PASSWORD])
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{tool} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// The entry `dn`'s values of `attribute`, as LDIF (read as the root DN).
    pub fn attribute(&self, dn: &str, attribute: &str) -> String {
        self.ldap_tool("ldapsearch", &["-LLL", "-b", dn, "-s", "base", attribute])
    }

    /// Kills slapd and waits until it is gone.
    pub fn stop(&mut self) {
        if let Some(pid) = self.pid.take() {
            let _ = Command::new("kill").arg(pid.to_string()).status();
            let gone = Instant::now() + Duration::from_secs(10);
            while running(pid) && Instant::now() < gone {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

impl Drop for Slapd {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Whether the process is alive (not gone, not a zombie left for a reaper).
pub fn running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit(')')
            .next()
            .is_some_and(|rest| !rest.trim_start().starts_with('Z'))
    })
}
