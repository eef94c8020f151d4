#!/usr/bin/env bash
# Screenshots of the visitor's pages (home, tag, two previews, search, submit, admin health) at
# 360, 768 and 1280 px, light and dark, English and Chinese, for a look before merging.
# Not run in CI. Needs Debian's chromium. Usage: bash bench/gallery.sh [FOLDER] (default: ./gallery)
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-gallery}")"
mkdir -p "$out"
FEEDSTAND_GALLERY="$out" nice -n 15 dotnet test tests/Feedstand.BrowserTests \
  --filter "FullyQualifiedName~The_gallery_writes_a_screenshot_of_every_page"
echo "GALLERY folder=$out files=$(find "$out" -name '*.png' | wc -l)"
