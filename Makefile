# The two commands of the README, and the steps they are made of.
#   make demo   build the bundle, start the reference backend, print the address
#   make test   every test: native, components in headless Chromium, end to end
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
ADDR ?= 127.0.0.1:8080
BACKEND := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)/server/reset-backend

.PHONY: demo test dist package setup setup-test backend test-native test-components test-e2e screenshots fmt lint

setup:
	@scripts/setup.sh build

setup-test:
	@scripts/setup.sh test

# The embeddable bundle: dist/ holds exactly what a host page needs. Trunk
# builds it; finish-dist bundles its scripts and writes their hashes
# (dist/integrity.json, and reset-widget.js's into the README's script tags).
dist: setup
	trunk build --release --offline
	rm -f dist/index.html
	node scripts/finish-dist.mjs dist

# The npm package (README "Install"): dist/ with package.json, the types, the
# Custom Elements Manifest, the schemas, README and licences, in
# target/package/, and `npm pack`'s tarball of it in target/.
package: dist
	node scripts/package.mjs
	cd target/package && npm pack --pack-destination .. --silent

backend:
	cargo build --profile server -p reset-backend

# The demo directory has 95 users (89 seeded besides the five demo users), so
# "Reset passwords for all users" shows requests of 40, 40 and 15.
# One policy, the backend's: it enforces it and serves it to the widgets.
# DIRECTORY=ldap: the users are a throw-away slapd's instead, on 127.0.0.1:3890
# and :6360 (scripts/directory/demo-ldap.sh prints them), stopped with the demo.
DEMO_POLICY := --policy-context-words Contoso --policy-blocklist www/banned-passwords.txt
DIRECTORY ?= sqlite
demo: dist backend
ifeq ($(DIRECTORY),ldap)
	scripts/setup.sh directory
	scripts/directory/demo-ldap.sh $(BACKEND) --addr $(ADDR) $(DEMO_POLICY)
else
	$(BACKEND) --addr $(ADDR) --seed-users 89 $(DEMO_POLICY)
endif

test: setup-test test-native test-components test-e2e

test-native:
	cargo test --workspace

test-components:
	CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p password-reset-widget

test-e2e: dist backend
	RESET_BACKEND_BIN=$(BACKEND) node --test --test-concurrency=1 tests/e2e/*.test.mjs

# The weight-and-speed benchmark (bench/README.md), not part of `make test`:
# the release bundle and the backend, then headless Chromium against them.
.PHONY: bench setup-bench
setup-bench:
	@scripts/setup.sh bench

bench: setup-bench dist backend
	RESET_BACKEND_BIN=$(BACKEND) node bench/run.mjs

# The load test (README "Load test"), not part of `make test`: the release
# backend on loopback under concurrent resets and a sign-in flood, < 2 min.
.PHONY: loadtest
loadtest: backend
	cargo run --profile server -p reset-backend --example loadtest -- $(BACKEND)

# Refresh the README's screenshots from the last end-to-end run.
screenshots:
	mkdir -p docs/screenshots && cp tests/artifacts/screenshots/*.png docs/screenshots/

fmt:
	cargo fmt --all

lint:
	scripts/check-layers.sh
	node scripts/api.mjs --check
	cargo clippy --workspace --all-targets
	cargo clippy --target wasm32-unknown-unknown -p password-reset-widget --all-targets
	cargo clippy --target wasm32-unknown-unknown -p reset-estimator --features worker
