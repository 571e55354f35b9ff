#!/usr/bin/env bash
# Installs nginx (and openssl) from Debian's packages when missing: the TLS/mTLS transport tests
# (test/security/transport-tls.test.ts) generate certificates with openssl and put nginx in front of
# the plaintext dev server (grpc_pass). Idempotent: does nothing when both are already there.
# Only the binary is wanted: the tests run their own foreground nginx with a private config, so the
# package's service is kept from starting (a temporary policy-rc.d, unless one is already there).
set -euo pipefail

have_nginx() { command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; }
have_openssl() { command -v openssl >/dev/null 2>&1; }

if have_nginx && have_openssl; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-nginx: nginx or openssl is missing and apt-get is not available; install them by hand (nginx with the grpc and http2 modules)" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-nginx: nginx or openssl is missing and this user cannot install packages (not root, no sudo)" >&2
    exit 1
  fi
fi

# Keep the package's init script from starting a system nginx on port 80.
POLICY=/usr/sbin/policy-rc.d
ADDED_POLICY=""
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 755 "$POLICY"
  ADDED_POLICY=1
fi
cleanup() { if [ -n "$ADDED_POLICY" ]; then $SUDO rm -f "$POLICY"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends nginx openssl >/dev/null

if ! have_nginx || ! have_openssl; then
  echo "install-nginx: apt-get finished but nginx or openssl is still missing" >&2
  exit 1
fi
echo "install-nginx: $(/usr/sbin/nginx -v 2>&1)"
