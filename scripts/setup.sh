#!/usr/bin/env bash
# Installs what the build and the tests need, skipping what is already there.
#   scripts/setup.sh build   the wasm target, Trunk, wasm-bindgen-cli, wasm-opt,
#                            esbuild (make dist bundles the scripts with it)
#   scripts/setup.sh test    the same, plus Chromium, ChromeDriver, Playwright and
#                            the openssl CLI (the SMTP TLS test's certificates)
#                            LibreOffice Calc (headless, for the bulk CSV's tests),
#                            OpenLDAP's slapd and tools, Samba (an AD domain
#                            controller) and winbind, for the directory tests
#   scripts/setup.sh directory  the same as build, plus the directory servers
#                            (make demo DIRECTORY=ldap)
#   scripts/setup.sh bench   the same as test, plus the benchmark's npm packages
#                            (zxcvbn, @zxcvbn-ts/*, esbuild) and Debian's brotli
# Versions are pinned where the offline machines need them (see TOOLCHAIN notes
# in the README): Trunk 0.21.14 builds with rustc 1.95; wasm-bindgen-cli must
# match the wasm-bindgen in Cargo.lock exactly.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-build}"

log() { printf '[setup] %s\n' "$*" >&2; }

rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
  || { log "adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }

if ! trunk --version 2>/dev/null | grep -q '0\.21\.14'; then
  log "installing Trunk 0.21.14 (takes minutes)"
  cargo install --locked trunk --version 0.21.14
fi

bindgen_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${bindgen_version}$"; then
  log "installing wasm-bindgen-cli ${bindgen_version}"
  # No --locked: its lock file names a release the registry does not serve.
  cargo install wasm-bindgen-cli --version "${bindgen_version}" --force
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ] \
  || [ ! -d node_modules/typescript ] || [ ! -d node_modules/react-dom ] || [ ! -d node_modules/esbuild ]; then
  log "installing npm packages (wasm-opt from binaryen, playwright-core, axe-core; esbuild for make dist and the examples; typescript, react for the examples)"
  npm ci --no-audit --no-fund
fi

if [ "$what" = "bench" ]; then
  for package in zxcvbn @zxcvbn-ts/core @zxcvbn-ts/language-common @zxcvbn-ts/language-en esbuild; do
    if [ ! -d "node_modules/$package" ]; then
      log "installing npm packages (the benchmark's zxcvbn.js, zxcvbn-ts and esbuild)"
      npm ci --no-audit --no-fund
      break
    fi
  done
fi

if { [ "$what" = "test" ] || [ "$what" = "bench" ]; } && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; }; then
  log "installing Chromium and ChromeDriver"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# tests/e2e/smtp-tls.test.mjs makes a throw-away CA and certificate with it.
if [ "$what" = "test" ] && ! command -v openssl >/dev/null 2>&1; then
  log "installing openssl"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null
fi

# The bulk CSV opened in a real spreadsheet (tests/csv_in_libreoffice.rs and
# the bulk end-to-end test): LibreOffice Calc without its GUI, about 30 s.
if [ "$what" = "test" ] && ! command -v soffice >/dev/null 2>&1; then
  log "installing LibreOffice Calc (headless)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
fi

# The LDAP directory's tests (backend/tests/ldap_*.rs) start their own slapd
# and Samba AD DC (scripts/directory/). The packages' own services must not
# run: they would hold ports 389/636 (the test DC's) and need system
# configuration. A policy-rc.d that refuses every start keeps invoke-rc.d from
# starting them during the install (Docker images ship one already); ours is
# removed afterwards. slapd ~3 s and samba + winbind ~15 s to install.
if { [ "$what" = "test" ] || [ "$what" = "directory" ]; } && { [ ! -x /usr/sbin/slapd ] || ! command -v ldapsearch >/dev/null 2>&1 \
  || [ ! -x /usr/sbin/samba ] || [ ! -x /usr/sbin/winbindd ]; }; then
  log "installing slapd, ldap-utils, samba and winbind (their services kept stopped)"
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  apt-get update -qq
  # samba's recommended samba-dsdb-modules and samba-ad-provision are what
  # make it a domain controller: keep recommends on.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    slapd ldap-utils samba samba-dsdb-modules samba-ad-provision winbind openssl >/dev/null
  # In case a service started anyway (an init that ignores policy-rc.d).
  for service in slapd samba-ad-dc smbd nmbd winbind; do
    if [ -x "/etc/init.d/$service" ]; then "/etc/init.d/$service" stop >/dev/null 2>&1 || true; fi
  done
fi

if [ "$what" = "bench" ] && ! command -v brotli >/dev/null 2>&1; then
  log "installing brotli"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq brotli >/dev/null
fi
