#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm registry, at the pinned versions below.
# The app serves these itself: councils run it on closed networks, so nothing comes from a CDN.
# Run it after changing a version, then commit the result.
set -euo pipefail

GOVUK_FRONTEND_VERSION=6.3.0   # matches govuk-frontend-jinja 4.1
HTMX_VERSION=2.0.11
AXE_CORE_VERSION=4.11.4        # for the accessibility checks in tests/e2e only

root=$(cd "$(dirname "$0")/.." && pwd)
static="$root/inspect_ready/static"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "govuk-frontend@$GOVUK_FRONTEND_VERSION" "htmx.org@$HTMX_VERSION" "axe-core@$AXE_CORE_VERSION" >/dev/null
for tarball in *.tgz; do
  mkdir "${tarball%.tgz}"
  tar -xzf "$tarball" -C "${tarball%.tgz}"
done

govuk="$work/govuk-frontend-$GOVUK_FRONTEND_VERSION/package/dist/govuk"
rm -rf "$static/fonts" "$static/images"
cp "$govuk/govuk-frontend.min.css" "$govuk/govuk-frontend.min.js" "$static/"
cp -R "$govuk/assets/fonts" "$govuk/assets/images" "$govuk/assets/manifest.json" "$static/"
cp "$work/htmx.org-$HTMX_VERSION/package/dist/htmx.min.js" "$static/"
cp "$work/axe-core-$AXE_CORE_VERSION/package/axe.min.js" "$root/tests/e2e/axe.min.js"

cat > "$static/VENDORED.txt" <<TEXT
Vendored by scripts/vendor_assets.sh from the npm registry; do not edit by hand.
govuk-frontend $GOVUK_FRONTEND_VERSION: govuk-frontend.min.css, govuk-frontend.min.js, fonts/, images/, manifest.json (MIT; fonts and images under their own licences)
htmx.org $HTMX_VERSION: htmx.min.js (0BSD)
axe-core $AXE_CORE_VERSION: tests/e2e/axe.min.js (MPL-2.0)
TEXT
echo "Vendored govuk-frontend $GOVUK_FRONTEND_VERSION, htmx $HTMX_VERSION, axe-core $AXE_CORE_VERSION"
