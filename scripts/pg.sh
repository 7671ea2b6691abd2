# shellcheck shell=bash
# Throwaway PostgreSQL for tests and benchmarks. Source this file, then:
#   pg_start        starts a fresh server and exports WAYMARK_TEST_POSTGRES_URL
#   pg_stop         stops it and removes its files
# Uses the PostgreSQL 15 server binaries (Debian package postgresql-15);
# as root the server runs as the postgres user, since initdb refuses root.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

pg_start() {
	if [ ! -x "$PG_BIN/initdb" ]; then
		echo "pg.sh: PostgreSQL server binaries not found in $PG_BIN (install postgresql-15)" >&2
		return 1
	fi
	PG_DIR=$(mktemp -d /tmp/waymark-pg.XXXXXX)
	PG_PORT=${PG_PORT:-$(( 20000 + RANDOM % 30000 ))}
	local as=()
	if [ "$(id -u)" = 0 ]; then
		chown postgres:postgres "$PG_DIR"
		as=(su postgres -s /bin/sh -c)
	else
		as=(sh -c)
	fi
	mkdir -p "$PG_DIR/run" 2>/dev/null || true
	[ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DIR/run"
	"${as[@]}" "$PG_BIN/initdb -D $PG_DIR/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >$PG_DIR/initdb.log 2>&1" || { cat "$PG_DIR/initdb.log" >&2; return 1; }
	"${as[@]}" "$PG_BIN/pg_ctl -D $PG_DIR/data -o '-p $PG_PORT -k $PG_DIR/run -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on' -l $PG_DIR/run/pg.log -w start >/dev/null" || { cat "$PG_DIR/run/pg.log" >&2; return 1; }
	export WAYMARK_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable"
	export PG_DIR PG_PORT
	echo "pg.sh: PostgreSQL running at $WAYMARK_TEST_POSTGRES_URL" >&2
}

pg_stop() {
	[ -n "${PG_DIR:-}" ] || return 0
	if [ "$(id -u)" = 0 ]; then
		su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $PG_DIR/data -m fast -w stop >/dev/null" || true
	else
		"$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null || true
	fi
	rm -rf "$PG_DIR"
	unset PG_DIR
}
