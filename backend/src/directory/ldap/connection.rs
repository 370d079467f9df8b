//! Connections to the LDAP server: opening one (TLS verified against the
//! public roots and `--ldap-ca-file`, at most `max_connections` at once),
//! binding it as the service account, running each step within the
//! timeout, and unbinding it when it is dropped; also the reading of the
//! service account's password file and the TLS set-up done at start-up.

use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::Duration;

use ldap3::{Ldap, LdapConnAsync, LdapConnSettings, LdapError};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};
use tokio::sync::OwnedSemaphorePermit;
use zeroize::Zeroizing;

use super::results::{describe, SUCCESS};
use super::LdapDirectory;
use crate::directory::{DirectoryError, DirectoryResult};
use crate::passwords::Password;

/// An open connection, holding one of the directory's connection permits;
/// unbound when dropped (within the timeout), and its permit given back
/// after that.
pub(super) struct Connection {
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

impl LdapDirectory {
    /// A connection, TLS set up and verified, not bound yet: once one of
    /// the `max_connections` permits is free (waiting at most the timeout).
    pub(super) async fn connect(&self) -> DirectoryResult<Connection> {
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
    pub(super) async fn service(&self) -> DirectoryResult<Connection> {
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

    /// Runs one step against the server, for at most the timeout.
    pub(super) async fn timed<T>(
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
pub(super) fn tls_config(ca_file: Option<&std::path::Path>) -> Result<Arc<ClientConfig>, String> {
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
