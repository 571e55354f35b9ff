# CaseBridge: every target installs what it needs first, so each works on a fresh clone.
SHELL := /bin/bash
NODE_STAMP := node_modules/.casebridge-installed
TOOLS_STAMP := .tools/bin/temporal
BUILD_STAMP := dist/.built
TS_SOURCES := $(shell find workflows activities worker client bench -name '*.ts' -not -name '*.test.ts' 2>/dev/null)
# `npx casebridge …` after `make install`; the bin is dist/client/cli.js.

.PHONY: install tools build typecheck test up worker codec-server demo bench clean

install: $(NODE_STAMP) tools $(BUILD_STAMP)

$(NODE_STAMP): package.json package-lock.json
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<3)) { console.error("CaseBridge needs Node >= 20.3, found "+process.version); process.exit(1) }'
	@# Not `npm ci`: npm 11 writes lockfiles without other platforms' optional binaries (@swc/core-*)
	@# and then refuses them in `npm ci`; `npm install` still installs exactly the locked versions.
	npm install --no-audit --no-fund
	@touch $@

tools:
	@scripts/install-tools.sh

$(BUILD_STAMP): $(NODE_STAMP) $(TS_SOURCES) tsconfig.json tsconfig.build.json
	npx tsc -p tsconfig.build.json
	@chmod +x dist/client/cli.js
	@touch $@

build: $(BUILD_STAMP)

typecheck: $(NODE_STAMP)
	npx tsc --noEmit -p .

# jest writes its machine-readable result to test-results/jest.json (read by .ci/run).
test: install typecheck
	@mkdir -p test-results
	npx jest --json --outputFile=test-results/jest.json

# The embedded single-machine deployment: dev server on .data/temporal.sqlite + web UI + worker.
up: install
	node dist/worker/up.js

# A worker alone, for a Temporal cluster or Temporal Cloud (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, ...).
worker: install
	node dist/worker/main.js

# Decrypts payloads for the web UI and the temporal CLI (needs the keys and CASEBRIDGE_CODEC_TOKEN).
codec-server: install
	node dist/client/codec-server.js

demo: install
	scripts/demo.sh

# Benchmarks on a fresh embedded dev server (BENCHMARKS.md): `make bench BENCH_ARGS="--size full --scenario replay"`.
bench: install
	node dist/bench/run.js $(BENCH_ARGS)

clean:
	rm -rf dist test-results
