#!/usr/bin/env bash
# Starts a throw-away OpenLDAP server (Debian's slapd) for tests and the demo:
#   scripts/directory/slapd.sh DIR PORT [LDAPS_PORT]
# DIR (created; must be empty or hold an earlier run) gets slapd.conf, data/,
# tls/ (a fresh test CA: tls/ca.pem) and slapd.pid. It listens on
# ldap://127.0.0.1:PORT/ (StartTLS too) and, given LDAPS_PORT, on
# ldaps://127.0.0.1:LDAPS_PORT/. It daemonises; the script returns once a bind
# as the service account works, and prints slapd's pid. Stop it with
# `kill "$(cat DIR/slapd.pid)"`.
# Seed (scripts/directory/openldap/seed.ldif): base dc=contoso,dc=test, users
# under ou=people (uid), admin group cn=reset-admins,ou=groups, service account
# cn=reset-service,ou=services,dc=contoso,dc=test, password
# Svc-Reset-Demo-2026-q7.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="$(mkdir -p "$1" && cd "$1" && pwd)"
port="$2"
ldaps_port="${3:-}"
PATH="$PATH:/usr/sbin"

"$here/tls.sh" "$dir/tls"
sed "s|@DIR@|$dir|g" "$here/openldap/slapd.conf.in" > "$dir/slapd.conf"
if [ ! -f "$dir/data/data.mdb" ]; then
  mkdir -p "$dir/data"
  slapadd -q -f "$dir/slapd.conf" -l "$here/openldap/seed.ldif"
fi
urls="ldap://127.0.0.1:$port/"
[ -n "$ldaps_port" ] && urls="$urls ldaps://127.0.0.1:$ldaps_port/"
slapd -f "$dir/slapd.conf" -h "$urls"

for _ in $(seq 1 100); do
  if ldapwhoami -x -H "ldap://127.0.0.1:$port/" \
      -D cn=reset-service,ou=services,dc=contoso,dc=test -w Svc-Reset-Demo-2026-q7 >/dev/null 2>&1; then
    cat "$dir/slapd.pid"
    exit 0
  fi
  sleep 0.05
done
echo "slapd did not answer on port $port" >&2
[ -f "$dir/slapd.pid" ] && kill "$(cat "$dir/slapd.pid")"
exit 1
