#!/usr/bin/env bash
# Installs what the document layer needs from Debian's packages, when missing:
#   fonts-dejavu-core  the DejaVu Serif fonts the PDFs embed (documents/fonts.ts); run by `make install`
#   poppler-utils      pdftoppm, with --previews: page images of the generated documents (docs/documents/)
# Idempotent: does nothing when everything asked for is already there.
set -euo pipefail

FONT_DIR="${CASEBRIDGE_DOCUMENT_FONT_DIR:-/usr/share/fonts/truetype/dejavu}"
want=()
have_fonts() { [ -f "$FONT_DIR/DejaVuSerif.ttf" ] && [ -f "$FONT_DIR/DejaVuSerif-Bold.ttf" ] && [ -f "$FONT_DIR/DejaVuSerif-Italic.ttf" ]; }
have_fonts || want+=(fonts-dejavu-core)
if [ "${1:-}" = "--previews" ]; then
  command -v pdftoppm >/dev/null 2>&1 || want+=(poppler-utils)
fi
[ ${#want[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-document-tools: ${want[*]} missing and apt-get is not available; install them by hand (or set CASEBRIDGE_DOCUMENT_FONT_DIR)" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-document-tools: ${want[*]} missing and this user cannot install packages (not root, no sudo)" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
echo "install-document-tools: installed ${want[*]}"
