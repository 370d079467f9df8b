#!/usr/bin/env bash
# Makes a throw-away certificate authority and a server certificate for
# 127.0.0.1 and localhost in DIR (ca.pem, cert.pem, key.pem), for the test
# directory servers (slapd.sh, samba-dc.sh). Skips what is already there.
#   scripts/directory/tls.sh DIR
set -euo pipefail
dir="$1"
mkdir -p "$dir"
cd "$dir"
[ -s cert.pem ] && [ -s key.pem ] && [ -s ca.pem ] && exit 0
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Reset test CA" \
  -keyout ca.key -out ca.pem -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout key.pem -out cert.csr 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > cert.ext
openssl x509 -req -in cert.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
  -extfile cert.ext -out cert.pem 2>/dev/null
rm -f cert.csr cert.ext ca.srl
chmod 600 key.pem ca.key
