#!/usr/bin/env bash
# Builds Waymark's front-end assets into internal/web/static/ (committed) and
# vendors axe-core for the browser tests. See web-assets/README.md.
#
#   bash web-assets/build.sh
#
# Needs node ≥ 20.19 and npm; runs `npm ci` first when node_modules is missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/web-assets"
nm="$root/node_modules"
out="$root/internal/web/static"
axe_out="$root/internal/apptest/testdata/axe.min.js"

cd "$root"

if [[ ! -d "$nm" ]]; then
	# --ignore-scripts: nothing here needs an install script (sass's optional
	# file watcher ships prebuilt and is not used by a one-off compile).
	npm ci --ignore-scripts --no-audit --no-fund
fi

mkdir -p "$out/css" "$out/js" "$out/images" "$(dirname "$axe_out")"

# --- CSS ---------------------------------------------------------------------
# govuk-frontend 5.x uses @import; --quiet-deps hides the deprecation notices
# from inside node_modules, --silence-deprecation=import those for our own
# @import lines.
"$nm/.bin/sass" \
	--no-source-map \
	--style=compressed \
	--load-path="$nm" \
	--quiet-deps \
	--silence-deprecation=import \
	"$src/scss/waymark.scss" "$out/css/waymark.css"

# --- JavaScript --------------------------------------------------------------
# Copy a vendored script without its sourceMappingURL comment (the .map files
# are not shipped, and a dangling reference only makes noise in devtools).
copy_js() {
	sed -e 's|//# sourceMappingURL=[^[:space:]]*||' "$1" >"$2"
}
copy_js "$nm/govuk-frontend/dist/govuk/govuk-frontend.min.js" "$out/js/govuk-frontend.min.js"
copy_js "$nm/htmx.org/dist/htmx.min.js" "$out/js/htmx.min.js"
copy_js "$nm/htmx-ext-sse/dist/sse.min.js" "$out/js/htmx-ext-sse.min.js"
for f in "$src"/js/*.js; do cp "$f" "$out/js/$(basename "$f")"; done

# --- Images ------------------------------------------------------------------
# Waymark's own mark and favicon.
cp "$src/images/waymark-mark.svg" "$src/images/favicon.svg" "$out/images/"

# govuk-frontend's images: copy only those that are not GOV.UK brand marks.
# In 5.x every file there (favicon, icons, mask icon, opengraph image, crest)
# is the crown or the royal arms, so this normally copies nothing; it is a
# loop rather than nothing so that a future neutral image is picked up after
# a look at it.
for img in "$nm"/govuk-frontend/dist/govuk/assets/images/*; do
	name="$(basename "$img")"
	case "$name" in
	*crown* | *crest* | *royal* | *arms* | govuk-icon* | govuk-opengraph* | favicon*)
		continue
		;;
	esac
	if grep -qiE 'crown|crest|royal' "$img" 2>/dev/null; then
		continue
	fi
	echo "build: copying govuk-frontend image $name (check it is not a GOV.UK mark)"
	cp "$img" "$out/images/$name"
done

# --- Test-only: axe-core for the chromedp accessibility checks ----------------
cp "$nm/axe-core/axe.min.js" "$axe_out"

# --- Checks ------------------------------------------------------------------
node "$src/check.mjs" "$out"

echo "build: done"
(cd "$root" && ls -l internal/web/static/css internal/web/static/js internal/web/static/images internal/apptest/testdata/axe.min.js)
