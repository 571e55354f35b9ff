#!/usr/bin/env bash
# Page images of every document kind, from the made-up sample case: the PDFs go to an ignored folder
# (.data/document-examples/), the first page of each becomes docs/documents/<kind>.<language>.png
# (kept in the tree, for people to look at). Needs pdftoppm (poppler-utils), installed when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-document-tools.sh --previews
OUT=.data/document-examples
rm -rf "$OUT" && mkdir -p "$OUT" docs/documents
node dist/documents/examples.js "$OUT" >/dev/null
for pdf in "$OUT"/*.pdf; do
  name=$(basename "$pdf" .pdf)
  pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$pdf" "docs/documents/$name"
done
ls docs/documents/*.png | wc -l | xargs echo "document-examples: page images in docs/documents/:"
