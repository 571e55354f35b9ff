#!/usr/bin/env bash
# Installs Debian's Chromium when missing: the web app's browser tests (test/web/) and its bench
# (bench/web.ts) drive it with playwright-core at /usr/bin/chromium. Playwright's own browser
# download (`npx playwright install`) cannot reach its CDN from these machines; Debian's package can.
# Idempotent: does nothing when the binary is there. CASEBRIDGE_CHROMIUM_PATH names another binary.
set -euo pipefail

BIN="${CASEBRIDGE_CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$BIN" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: $BIN is missing and apt-get is not available; install Chromium by hand and set CASEBRIDGE_CHROMIUM_PATH" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-browser: $BIN is missing and this user cannot install packages (not root, no sudo)" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# fonts-dejavu-core: text in screenshots renders the same on every machine.
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
if [ ! -x "$BIN" ]; then
  echo "install-browser: apt-get finished but $BIN is still missing" >&2
  exit 1
fi
echo "install-browser: $("$BIN" --version 2>/dev/null || echo chromium)"
