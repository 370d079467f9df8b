#!/usr/bin/env bash
# A throw-away Samba Active Directory domain controller for tests and the demo:
# realm CONTOSO.TEST, LDAP only (no DNS, no file service), on 127.0.0.1:389
# (StartTLS) and 127.0.0.1:636 (LDAPS), with a fresh test CA (DIR/tls/ca.pem).
# The ports are fixed: one DC at a time on a machine.
#   scripts/directory/samba-dc.sh provision DIR  provision into DIR (~5-10 s)
#   scripts/directory/samba-dc.sh seed DIR       wait for the running DC, add the
#                                                seed users (samba/seed.ldif.in)
#   scripts/directory/samba-dc.sh start DIR      provision if needed, start samba in
#                                                the background (pid in DIR/samba.pid),
#                                                seed once; prints the pid
# Stop it with `kill "$(cat DIR/samba.pid)"`. In the foreground instead:
# `samba -s DIR/etc/smb.conf -M single -i` with its standard input a pipe: it
# stops when the pipe closes (the Rust tests' support/samba.rs does this).
# Seed: base DC=contoso,DC=test; users diane (admin), bob, carol, erin;
# admin group CN=Reset Admins,CN=Users,DC=contoso,DC=test; service account
# CN=reset-service,CN=Users,DC=contoso,DC=test (a member of Domain Admins, which
# may reset passwords), password Svc-Reset-Demo-2026-q7. Domain password policy:
# Samba's defaults (complexity on, history 24, minimum length 7) but no
# minimum age, so a test may change a password twice. Samba (like AD for NTLM)
# accepts a user's previous password for 60 minutes after a change or reset,
# LDAP simple binds included; here that period is 0, so a reset shows at once.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
what="$1"
dir="$(mkdir -p "$2" && cd "$2" && pwd)"
PATH="$PATH:/usr/sbin"
ADMIN_PASSWORD='Adm-Contoso-2026-zQ9'
conf="$dir/etc/smb.conf"
export LDAPTLS_CACERT="$dir/tls/ca.pem"

provision() {
  [ -f "$conf" ] && return 0
  "$here/tls.sh" "$dir/tls"
  samba-tool domain provision --realm=CONTOSO.TEST --domain=CONTOSO \
    --server-role=dc --dns-backend=NONE --adminpass="$ADMIN_PASSWORD" \
    --targetdir="$dir" \
    --option="interfaces=lo" --option="bind interfaces only=yes" \
    --option="server services=ldap" --option="pid directory=$dir" \
    --option="log file=$dir/samba.log" --option="panic action=" \
    --option="tls enabled=yes" --option="tls keyfile=$dir/tls/key.pem" \
    --option="tls certfile=$dir/tls/cert.pem" --option="tls cafile=$dir/tls/ca.pem" \
    > "$dir/provision.log" 2>&1 || { tail -20 "$dir/provision.log" >&2; exit 1; }
  # provision does not keep this option in smb.conf: add it to [global].
  sed -i 's/^\[global\]$/[global]\n\told password allowed period = 0/' "$conf"
  samba-tool domain passwordsettings set --min-pwd-age=0 --configfile="$conf" >/dev/null
}

ldap_ready() {
  ldapsearch -x -H ldaps://127.0.0.1:636 -D Administrator@contoso.test \
    -w "$ADMIN_PASSWORD" -b "" -s base dn >/dev/null 2>&1
}

seed() {
  for _ in $(seq 1 600); do ldap_ready && break; sleep 0.1; done
  ldap_ready || { echo "the DC does not answer on ldaps://127.0.0.1:636" >&2; exit 1; }
  [ -f "$dir/seeded" ] && return 0
  local ldif line pw value
  ldif="$(cat "$here/samba/seed.ldif.in")"
  while [[ "$ldif" =~ @PW:([^@]*)@ ]]; do
    pw="${BASH_REMATCH[1]}"
    value="$(printf '"%s"' "$pw" | iconv -f UTF-8 -t UTF-16LE | base64 -w0)"
    ldif="${ldif//"@PW:$pw@"/$value}"
  done
  printf '%s\n' "$ldif" | ldapmodify -a -x -H ldaps://127.0.0.1:636 \
    -D Administrator@contoso.test -w "$ADMIN_PASSWORD" >/dev/null
  touch "$dir/seeded"
}

case "$what" in
  provision) provision ;;
  seed) seed ;;
  start)
    provision
    # Daemonises, writing DIR/samba.pid.
    samba -s "$conf" -M single
    seed
    cat "$dir/samba.pid"
    ;;
  *) echo "usage: $0 provision|seed|start DIR" >&2; exit 2 ;;
esac
