#!/usr/bin/env bash
# Runs Waymark's whole test suite: go vet, then every test against the real
# SQLite and a throwaway PostgreSQL, and the browser tests in headless
# Chromium. Installs Chromium (Debian package) when it is missing.
# Nothing required is skipped: WAYMARK_TEST_REQUIRE=all makes a missing
# PostgreSQL or Chromium a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
if [ ${#need_apt[@]} -gt 0 ]; then
	sudo=()
	[ "$(id -u)" = 0 ] || sudo=(sudo)
	echo "test.sh: installing ${need_apt[*]}" >&2
	"${sudo[@]}" apt-get update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# shellcheck source=scripts/pg.sh
source scripts/pg.sh
pg_start
trap pg_stop EXIT

export WAYMARK_TEST_CHROMIUM=${WAYMARK_TEST_CHROMIUM:-$(command -v chromium)}
export WAYMARK_TEST_REQUIRE=all

go vet ./...
go test -count=1 -timeout 30m "$@" ./...
