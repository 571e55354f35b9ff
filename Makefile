# CaseBridge: every target installs what it needs first, so each works on a fresh clone.
SHELL := /bin/bash
NODE_STAMP := node_modules/.casebridge-installed
TOOLS_STAMP := .tools/bin/temporal
BUILD_STAMP := dist/.built
TS_SOURCES := $(shell find platform workflows activities documents worker intake client api web bench -name '*.ts' -not -name '*.test.ts' 2>/dev/null)
# `npx casebridge …` after `make install`; the bin is dist/client/cli.js.

.PHONY: cluster-up cluster-down cluster-tools install browser web web-screenshots bench-web tools document-tools document-examples build typecheck lint format test test-cluster test-fast test-slow up worker api codec-server demo bench bench-api bench-intake clean

install: $(NODE_STAMP) tools document-tools $(BUILD_STAMP)

$(NODE_STAMP): package.json package-lock.json
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<3)) { console.error("CaseBridge needs Node >= 20.3, found "+process.version); process.exit(1) }'
	@# Not `npm ci`: npm 11 writes lockfiles without other platforms' optional binaries (@swc/core-*)
	@# and then refuses them in `npm ci`; `npm install` still installs exactly the locked versions.
	npm install --no-audit --no-fund
	@touch $@

tools:
	@scripts/install-tools.sh

# The fonts the PDFs embed (Debian's fonts-dejavu-core), when missing.
document-tools:
	@scripts/install-document-tools.sh

# Page images of every document kind from a made-up case (docs/documents/); installs pdftoppm when missing.
document-examples: install
	scripts/document-examples.sh

# From an empty dist/: a module moved or removed must not linger there (a stale dist/workflows/case.js
# shadowed the case/ folder and ran old workflow code in `make up`).
$(BUILD_STAMP): $(NODE_STAMP) $(TS_SOURCES) tsconfig.json tsconfig.build.json web/assets/live.ts web/assets/tsconfig.json
	rm -rf dist
	npx tsc -p tsconfig.build.json
	@# The web app's one browser script (DOM types, no module system): its own tsconfig.
	npx tsc -p web/assets/tsconfig.json
	@chmod +x dist/client/cli.js
	@touch $@

build: $(BUILD_STAMP)

typecheck: $(NODE_STAMP)
	npx tsc --noEmit -p .
	npx tsc --noEmit -p web/assets/tsconfig.json

# Debian's Chromium for the browser tests (test/web/) and bench/web.ts, when missing.
browser:
	@scripts/install-browser.sh

# eslint (typescript-eslint with types, no cycles, no Node built-ins in workflows/) and prettier.
lint: $(NODE_STAMP)
	npx eslint --max-warnings 0 .
	npx prettier --check --log-level warn .

format: $(NODE_STAMP)
	npx prettier --write --log-level warn .
	npx eslint --fix .

# jest writes its machine-readable result to test-results/jest.json (read by .ci/run).
# Every suite on dev servers, then the end-to-end suites again on the cluster profile; a failure in
# the first run still lets the second run, so CI's count covers both.
test: install browser cluster-tools typecheck lint
	@mkdir -p test-results
	@rc=0; npx jest --json --outputFile=test-results/jest.json || rc=$$?; \
	$(MAKE) --no-print-directory test-cluster || rc=$$?; exit $$rc

# The CLI, API and worker-fault suites on the real Temporal server with PostgreSQL (one server for
# the run, a namespace per test file: test/harness/cluster-target.ts).
CLUSTER_SUITES = test/cli test/api test/reliability/faults.test.ts test/reliability/long-case.test.ts
test-cluster: install cluster-tools
	@mkdir -p test-results
	CASEBRIDGE_TEST_TARGET=cluster npx jest --json --outputFile=test-results/jest-cluster.json $(CLUSTER_SUITES)

# The real Temporal server and temporal-sql-tool (pinned, built once and cached) and PostgreSQL:
# the cluster profile's fault tests (test/reliability/temporal-cluster.test.ts) run on them.
cluster-tools:
	@scripts/install-cluster-tools.sh >/dev/null

# Everyday work: workflows, units and the CLI end to end; `test-slow`: faults, restarts, long cases, bench.
test-fast: install typecheck
	npx jest --selectProjects fast

test-slow: install
	npx jest --selectProjects slow

# The embedded single-machine deployment: dev server on .data/temporal.sqlite + web UI + worker.
up: install
	node dist/worker/up.js

# The cluster profile: the real Temporal server (built from go.temporal.io/server, cached in
# ~/.cache/casebridge) on PostgreSQL, a worker and the API, all on loopback; idempotent.
cluster-up: install
	node dist/worker/cluster-up.js

# Stops only what cluster-up started (API, worker, Temporal server, PostgreSQL); the data stays.
cluster-down: install
	node dist/worker/cluster-down.js

# A worker alone, for a Temporal cluster or Temporal Cloud (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, ...).
worker: install
	node dist/worker/main.js

# The API alone (people's door), for the Temporal service in TEMPORAL_ADDRESS; `make up` runs one beside its worker.
api: install
	node dist/api/main.js

# The API with the web app (pages at /web/), for the Temporal service in TEMPORAL_ADDRESS; `make up` runs this one.
web: install
	node dist/web/main.js

# Copies the screenshots the browser tests took (test-results/web/) to docs/web/ for the README; run by hand after `npx jest test/web`.
web-screenshots:
	@ls test-results/web/*.png >/dev/null 2>&1 || { echo "no screenshots: run 'make install browser && npx jest test/web' first" >&2; exit 1; }
	mkdir -p docs/web
	cp test-results/web/*.png docs/web/

# Decrypts payloads for the web UI and the temporal CLI (needs the keys and CASEBRIDGE_CODEC_TOKEN).
codec-server: install
	node dist/platform/codec-server.js

demo: install
	scripts/demo.sh

# Benchmarks on a fresh embedded dev server (BENCHMARKS.md): `make bench BENCH_ARGS="--size full --scenario replay"`.
bench: install
	node dist/bench/run.js $(BENCH_ARGS)

# The API's cost beside Temporal alone (respond p50/p95, status reads per second): `make bench-api BENCH_ARGS="--samples 50"`.
bench-api: install
	node dist/bench/api.js $(BENCH_ARGS)

# The NCMEC intake's rate (reports/s, parse only vs parse + start): `make bench-intake BENCH_ARGS="--reports 2000"`.
bench-intake: install
	node --expose-gc dist/bench/ncmec-intake.js $(BENCH_ARGS)

# The web app's pages at N open cases beside the JSON routes they read, and update → event: `make bench-web BENCH_ARGS="--cases 10000"`.
bench-web: install browser
	node dist/bench/web.js $(BENCH_ARGS)

clean:
	rm -rf dist test-results
