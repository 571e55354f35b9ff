#!/usr/bin/env bash
# The cluster profile's parts, when missing: the real Temporal server and temporal-sql-tool built
# from the Go module go.temporal.io/server (pinned below), cached by version outside the repo
# (~/.cache/casebridge, or CASEBRIDGE_CACHE) because the build takes ~9 minutes and ~3 GB of Go
# caches; and PostgreSQL from Debian's packages. Idempotent: a cached version is not rebuilt.
# Prints the cache directory of the version on its last line (scripts read it).
set -euo pipefail

VERSION="${CASEBRIDGE_TEMPORAL_SERVER_VERSION:-v1.32.2}"
# v1.32.2 declares go >= 1.26.10; the machine's Go may be older, and the module proxy serves the
# toolchain itself (TEMPORAL-NOTES: v1.32.1 and older build with Go 1.26.8).
TOOLCHAIN="${CASEBRIDGE_GOTOOLCHAIN:-go1.27.3}"
CACHE="${CASEBRIDGE_CACHE:-$HOME/.cache/casebridge}/temporal-server/$VERSION"

log() { echo "install-cluster-tools: $*" >&2; }

sudo_or_fail() {
  if [ "$(id -u)" -eq 0 ]; then echo ""; return; fi
  if command -v sudo >/dev/null 2>&1; then echo "sudo"; return; fi
  log "$1 is missing and this user cannot install packages (not root, no sudo)"
  exit 1
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/postgres" ] || ! command -v psql >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || { log "PostgreSQL is missing and apt-get is not available; install PostgreSQL 15 or later by hand"; exit 1; }
  SUDO="$(sudo_or_fail PostgreSQL)"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # Only the server binaries: the profile runs its own cluster in a data dir it owns, never the
  # package's system cluster.
  $SUDO apt-get install -y -qq --no-install-recommends postgresql postgresql-client >/dev/null
  [ -x "$(pg_bin)/postgres" ] || { log "apt-get finished but no postgres binary is under /usr/lib/postgresql"; exit 1; }
fi

if [ ! -x "$CACHE/temporal-server" ] || [ ! -x "$CACHE/temporal-sql-tool" ] || [ ! -d "$CACHE/schema/postgresql/v12" ]; then
  command -v go >/dev/null 2>&1 || { log "Go is missing: the Temporal server is built from its Go module (install Go 1.26 or later)"; exit 1; }
  log "building temporal-server and temporal-sql-tool $VERSION (about 9 minutes on 2 cores)"
  WORK="$(mktemp -d)"
  trap 'rm -rf "$WORK"' EXIT
  export GOTOOLCHAIN="$TOOLCHAIN" GOFLAGS="-mod=mod" CGO_ENABLED=0
  GOBIN="$WORK/bin" go install "go.temporal.io/server/cmd/server@$VERSION"
  GOBIN="$WORK/bin" go install "go.temporal.io/server/cmd/tools/sql@$VERSION"
  MOD="$(go env GOMODCACHE)/go.temporal.io/server@$VERSION"
  mkdir -p "$CACHE.partial/schema/postgresql"
  cp "$WORK/bin/server" "$CACHE.partial/temporal-server"
  cp "$WORK/bin/sql" "$CACHE.partial/temporal-sql-tool"
  cp -r "$MOD/schema/postgresql/v12" "$CACHE.partial/schema/postgresql/"
  chmod -R u+w "$CACHE.partial"
  # Renamed into place last, so an interrupted build never leaves a cache that looks complete.
  rm -rf "$CACHE"
  mkdir -p "$(dirname "$CACHE")"
  mv "$CACHE.partial" "$CACHE"
  log "cached in $CACHE"
fi
echo "$CACHE"
