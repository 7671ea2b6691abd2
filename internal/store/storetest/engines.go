// Package storetest runs tests against real databases on both engines and
// holds the store's contract suite.
//
// Every database it hands out is fresh and empty: SQLite in t.TempDir(),
// PostgreSQL as a new database with a random name on the server of
// WAYMARK_TEST_POSTGRES_URL, dropped when the test ends. Tests may therefore
// run in parallel. When WAYMARK_TEST_POSTGRES_URL is unset the PostgreSQL
// half is skipped, or fails when WAYMARK_TEST_REQUIRE is "all" (or a
// comma-separated list that names "postgres"), as in CI.
//
//	func TestSomething(t *testing.T) {
//		storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
//			org := storetest.MustOrg(t, db, "acme")
//			…
//		})
//	}
//
// Start a throwaway PostgreSQL with `source scripts/pg.sh; pg_start`.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/store"
)

// Engine names.
const (
	SQLite   = store.SQLite
	Postgres = store.Postgres
)

// Engines lists the engines every store test runs on.
var Engines = []string{SQLite, Postgres}

// PostgresURLEnv names the environment variable with the URL of a
// PostgreSQL server whose user may create databases.
const PostgresURLEnv = "WAYMARK_TEST_POSTGRES_URL"

// RequireEnv names the environment variable that turns a missing engine from
// a skip into a failure: "all", or a list such as "postgres,chromium".
const RequireEnv = "WAYMARK_TEST_REQUIRE"

// Required reports whether WAYMARK_TEST_REQUIRE asks for what, e.g.
// "postgres" or "chromium".
func Required(what string) bool {
	for _, v := range strings.Split(os.Getenv(RequireEnv), ",") {
		v = strings.TrimSpace(v)
		if v == "all" || v == what {
			return true
		}
	}
	return false
}

// RequireEngine skips tb, or fails it when the engine is required, if the
// engine is not available.
func RequireEngine(tb testing.TB, engine string) {
	tb.Helper()
	switch engine {
	case SQLite:
	case Postgres:
		if os.Getenv(PostgresURLEnv) != "" {
			return
		}
		if Required("postgres") {
			tb.Fatalf("PostgreSQL required (%s=%s) but %s is not set; run `source scripts/pg.sh; pg_start` first",
				RequireEnv, os.Getenv(RequireEnv), PostgresURLEnv)
		}
		tb.Skipf("PostgreSQL tests skipped: %s is not set (run `source scripts/pg.sh; pg_start` to start a throwaway server)", PostgresURLEnv)
	default:
		tb.Fatalf("storetest: unknown engine %q", engine)
	}
}

// DSN returns the DSN of a fresh, empty, unmigrated database on engine, for
// tests that open the database themselves (for example by running the
// command line with --database). The database is removed when tb ends.
func DSN(tb testing.TB, engine string) string {
	tb.Helper()
	RequireEngine(tb, engine)
	if engine == SQLite {
		return filepath.Join(tb.TempDir(), "waymark.db")
	}
	return newPostgresDB(tb)
}

// Open returns a fresh, migrated, empty database on engine, closed and
// removed when tb ends.
func Open(tb testing.TB, engine string) *store.DB {
	tb.Helper()
	dsn := DSN(tb, engine)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("storetest: open %s: %v", engine, err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("storetest: close %s: %v", engine, err)
		}
	})
	if err := db.Migrate(ctx); err != nil {
		tb.Fatalf("storetest: migrate %s: %v", engine, err)
	}
	return db
}

// ForEachEngine runs fn as a subtest named after each engine, with a fresh,
// migrated database.
func ForEachEngine(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, e := range Engines {
		t.Run(e, func(t *testing.T) {
			fn(t, Open(t, e))
		})
	}
}

// BenchmarkEachEngine runs fn as a sub-benchmark named after each engine,
// with a fresh, migrated database.
func BenchmarkEachEngine(b *testing.B, fn func(b *testing.B, db *store.DB)) {
	b.Helper()
	for _, e := range Engines {
		b.Run(e, func(b *testing.B) {
			fn(b, Open(b, e))
		})
	}
}

// RunEachEngine runs the contract suite (Run) on every engine.
func RunEachEngine(t *testing.T) {
	for _, e := range Engines {
		t.Run(e, func(t *testing.T) {
			RequireEngine(t, e)
			Run(t, func(t *testing.T) *store.DB { return Open(t, e) })
		})
	}
}

// The PostgreSQL server is reached through one administrative pool per URL,
// shared by all tests of the process.
var admins struct {
	sync.Mutex
	pools map[string]*sql.DB
}

func adminPool(tb testing.TB, rawURL string) *sql.DB {
	admins.Lock()
	defer admins.Unlock()
	if db := admins.pools[rawURL]; db != nil {
		return db
	}
	db, err := sql.Open("pgx", rawURL)
	if err != nil {
		tb.Fatalf("storetest: connect to %s: %v", PostgresURLEnv, err)
	}
	db.SetMaxOpenConns(4)
	if admins.pools == nil {
		admins.pools = map[string]*sql.DB{}
	}
	admins.pools[rawURL] = db
	return db
}

// newPostgresDB creates a database with a random name on the server and
// returns its URL; it is dropped when tb ends.
func newPostgresDB(tb testing.TB) string {
	tb.Helper()
	raw := os.Getenv(PostgresURLEnv)
	u, err := url.Parse(raw)
	if err != nil || !store.IsPostgresDSN(raw) {
		tb.Fatalf("storetest: %s=%q is not a postgres:// URL", PostgresURLEnv, raw)
	}
	admin := adminPool(tb, raw)
	var b [8]byte
	rand.Read(b[:])
	name := "waymark_test_" + hex.EncodeToString(b[:])

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("storetest: create PostgreSQL database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Logf("storetest: drop PostgreSQL database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// Skip helpers for tests that only make sense on one engine.

// OnlyOn skips tb unless db is on one of the engines.
func OnlyOn(tb testing.TB, db *store.DB, engines ...string) {
	tb.Helper()
	if !slices.Contains(engines, db.Dialect()) {
		tb.Skipf("only on %s", strings.Join(engines, ", "))
	}
}
