#!/usr/bin/env bash
# `make demo DIRECTORY=ldap`: the demo against a throw-away OpenLDAP server.
#   scripts/directory/demo-ldap.sh BACKEND [BACKEND FLAGS...]
# Starts slapd (slapd.sh) afresh in target/demo-slapd on 127.0.0.1:3890
# (LDAP) and :6360 (LDAPS), seeded with the demo users, runs the backend
# against it over LDAPS until it stops (Ctrl-C), then stops slapd. The
# backend's own records (sessions, outbox, audit, ...) go to
# target/demo-slapd/backend.sqlite.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
backend="$1"
shift
dir="$root/target/demo-slapd"
ldap_port="${DEMO_LDAP_PORT:-3890}"
ldaps_port="${DEMO_LDAPS_PORT:-6360}"

# A slapd an earlier demo left running (its pid file in our folder).
if [ -f "$dir/slapd.pid" ]; then
  kill "$(cat "$dir/slapd.pid")" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$(cat "$dir/slapd.pid")" 2>/dev/null || break; sleep 0.05; done
fi
rm -rf "$dir"
pid="$("$here/slapd.sh" "$dir" "$ldap_port" "$ldaps_port")"
trap 'kill "$pid" 2>/dev/null || true' EXIT
umask 077
printf 'Svc-Reset-Demo-2026-q7\n' > "$dir/service.pw"

cat <<BANNER
slapd (OpenLDAP, ppolicy) on ldap://127.0.0.1:$ldap_port/ and ldaps://127.0.0.1:$ldaps_port/,
base dc=contoso,dc=test (scripts/directory/README.md). Demo users, id: password
(demo credentials only, published in that README):
  diane  Diane-Seed-Pw-2026-xR4   administrator (cn=reset-admins): sign in as her
  bob    Bob-Seed-Pw-2026-mT8
  carol  Carol-Seed-Pw-2026-vB3   recovery codes go to carol.nguyen@example.net
  erin   Erin-Seed-Pw-2026-kP6
Without --smtp-url, /outbox (as diane) shows the e-mails, recovery codes included.
BANNER

"$backend" --db "$dir/backend.sqlite" \
  --directory ldap --ldap-flavour openldap \
  --ldap-url "ldaps://127.0.0.1:$ldaps_port/" --ldap-ca-file "$dir/tls/ca.pem" \
  --bind-dn cn=reset-service,ou=services,dc=contoso,dc=test \
  --bind-password-file "$dir/service.pw" --base-dn dc=contoso,dc=test \
  --admin-group cn=reset-admins,ou=groups,dc=contoso,dc=test \
  "$@"
