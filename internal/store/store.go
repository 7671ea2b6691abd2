// Package store keeps Waymark's data in SQLite or PostgreSQL. One
// implementation of domain.Store serves both engines: the SQL is portable
// ($N placeholders, RETURNING, ON CONFLICT … DO UPDATE), ids are UUIDv7
// strings made by the application, and the only differences between the
// engines are the migration files (with goose's dialect, and an advisory
// lock on PostgreSQL), how connections are pooled and how many
// rows one INSERT carries (both set in Open), how constraint violations
// are recognised (errors.go), SQLite's background checkpointer (Open), and
// the one statement that upserts a batch of answers on PostgreSQL
// (answers.go).
//
// Representation choices that hold on both engines:
//
//   - Times are BIGINT unix microseconds in UTC. They round-trip exactly to
//     the microsecond, compare and sort as numbers, and need no driver time
//     parsing. Values written are truncated to the microsecond and values
//     read are in UTC.
//   - Lists (indicators, sources, questions, tags, driving-force keys,
//     capability levels) are JSON text. Empty lists are read back as nil.
//   - Texts in two languages are pairs of _en and _sv columns.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/waymark/waymark/internal/domain"
)

// Dialect names, as returned by DB.Dialect.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is a Waymark database on SQLite or PostgreSQL. It implements
// domain.Store and is safe for concurrent use.
type DB struct {
	dialect string
	// write takes every statement that changes data and every transaction.
	// On SQLite it holds exactly one connection (see Open); on PostgreSQL it
	// is the one pool and read is the same *sql.DB.
	write *sql.DB
	// read takes plain reads. On SQLite its connections are query_only.
	read *sql.DB
	// batchParams is how many parameters one INSERT of many content rows
	// may bind. Measured with BenchmarkCreateLibrary1000 (1,000 trends):
	// modernc SQLite looks each parameter up by a search linear in their
	// number, so one row per prepared statement is fastest there (24 ms;
	// 500 parameters: 70 ms; 30,000: 270 ms), while PostgreSQL wants few
	// round trips (2 rows a statement: 110 ms; 500 or more parameters:
	// about 55 ms).
	batchParams int

	// frozen holds the ids of workshops whose questions this handle saw
	// frozen (see SaveAnswers).
	frozen sync.Map

	// answerInsert is SQLite's statement for one answer, prepared once on
	// the write connection (answerStmt) instead of in every transaction:
	// preparing it cost as much as the group committer's inserts of a
	// small batch.
	answerMu     sync.Mutex
	answerInsert *sql.Stmt

	// stopCheckpoints ends the SQLite checkpointer (see checkpoints).
	stopCheckpoints chan struct{}
	checkpointer    sync.WaitGroup
	stopOnce        sync.Once
}

var _ domain.Store = (*DB)(nil)

// Open connects to the database named by dsn. A dsn starting with
// postgres:// or postgresql:// opens PostgreSQL; anything else is the path of
// a SQLite database file, created when missing (its directory must exist).
// Open does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	var db *DB
	var err error
	if IsPostgresDSN(dsn) {
		db, err = openPostgres(dsn)
	} else {
		db, err = openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// IsPostgresDSN reports whether dsn selects PostgreSQL.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func openPostgres(dsn string) (*DB, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	// A web process with live workshops holds a few connections busy at a
	// time; 20 leaves room for bursts while staying far below PostgreSQL's
	// default max_connections of 100 even with several instances.
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(10)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	pool.SetConnMaxLifetime(time.Hour)
	return &DB{dialect: Postgres, write: pool, read: pool, batchParams: 1000}, nil
}

// sqlitePragmas are set on every SQLite connection through the DSN, so that
// each connection the pool opens gets them, not only the first.
// busy_timeout comes first (the driver orders it so) in case another process
// holds a lock while the others are set.
var sqlitePragmas = []string{
	"busy_timeout(10000)",
	"foreign_keys(1)",
	"journal_mode(WAL)",
	"synchronous(FULL)",
}

// sqliteWritePragmas are set on the write connection only, after
// sqlitePragmas.
//
// Its page cache is 64 MiB instead of 2 MiB: answers are written at keys
// spread over the whole table (one participant's answers lie together,
// many participants answer at once), and with the default cache most
// of a large transaction's pages were read back from the file first.
//
// It checkpoints the WAL itself only past 20,000 pages (80 MiB), as a
// backstop: checkpoints normally run on a read connection in the
// background (see checkpoints), so that a commit never waits for one. With
// SQLite's default of checkpointing in the commit that passes 1,000 pages,
// every few group commits stalled while the database file was written and
// synced. journal_size_limit truncates a WAL file grown by a burst when the
// WAL restarts.
var sqliteWritePragmas = []string{
	"cache_size(-65536)",
	"wal_autocheckpoint(20000)",
	"journal_size_limit(67108864)",
}

// CheckpointInterval is how often the background checkpointer of a SQLite
// database copies the WAL into the database file.
const CheckpointInterval = time.Second

// openSQLite opens two pools on one SQLite file.
//
// SQLite allows one writer at a time. All writes go through a pool of exactly
// one connection (MaxOpenConns 1), so concurrent writers in this process queue
// in Go for that connection, in order, instead of polling SQLite's lock under
// busy_timeout; they never see SQLITE_BUSY, and throughput does not collapse
// under contention as it does when many connections race for the write lock.
// That connection also begins transactions with BEGIN IMMEDIATE
// (_txlock=immediate): a transaction takes the write lock when it starts, so
// a transaction that reads and then writes cannot fail with SQLITE_BUSY when
// another process (the command line next to a running server) writes at the
// same time; it waits up to busy_timeout at BEGIN instead.
//
// Reads go through a second pool of several query_only connections: in WAL
// mode readers never block the writer or each other, so pages render while a
// long import is being written.
func openSQLite(path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("store: open sqlite: empty path")
	}
	if path == ":memory:" || strings.HasPrefix(path, "file::memory:") {
		// Each pooled connection would get a database of its own.
		return nil, errors.New("store: open sqlite: in-memory databases are not supported; use a file in a temporary directory")
	}
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("store: open sqlite: %q: a database path must not contain ? or #", path)
	}
	wq := url.Values{"_pragma": append(append([]string(nil), sqlitePragmas...), sqliteWritePragmas...), "_txlock": {"immediate"}}
	rq := url.Values{"_pragma": append(append([]string(nil), sqlitePragmas...), "query_only(1)")}

	write, err := sql.Open("sqlite", path+"?"+wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxIdleTime(0)
	write.SetConnMaxLifetime(0)
	// The write connection must exist first: it switches a new file to WAL,
	// which a query_only connection could not do.
	if err := write.Ping(); err != nil {
		write.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}

	read, err := sql.Open("sqlite", path+"?"+rq.Encode())
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	read.SetConnMaxIdleTime(10 * time.Minute)
	db := &DB{dialect: SQLite, write: write, read: read, batchParams: 1, stopCheckpoints: make(chan struct{})}
	db.checkpointer.Go(db.checkpoints)
	return db, nil
}

// checkpoints copies the WAL into the database file every
// CheckpointInterval until Close, on a read connection (checkpointing
// writes no data: query_only allows it). PASSIVE checkpoints never wait for
// or block the writer, so commits go on while the file is written and
// synced. Errors are left to the next round; the write connection's own
// checkpoint at 20,000 pages is the backstop.
func (db *DB) checkpoints() {
	t := time.NewTicker(CheckpointInterval)
	defer t.Stop()
	for {
		select {
		case <-db.stopCheckpoints:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			_, _ = db.read.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
			cancel()
		}
	}
}

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect }

// SQL returns the pool for packages that keep their own tables in this
// database. On SQLite it is the single write connection: use it for writes
// and for reads that must see them inside a transaction, keep its
// transactions short, and use ReadSQL for plain reads.
func (db *DB) SQL() *sql.DB { return db.write }

// ReadSQL returns the pool for plain reads. On SQLite its connections are
// query_only and never wait for the writer; on PostgreSQL it is SQL().
func (db *DB) ReadSQL() *sql.DB { return db.read }

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	if db.read != db.write {
		if err := db.read.PingContext(ctx); err != nil {
			return fmt.Errorf("store: ping: %w", err)
		}
	}
	return nil
}

// Close closes the database. Closing it again does nothing more.
func (db *DB) Close() error {
	if db.stopCheckpoints != nil {
		db.stopOnce.Do(func() { close(db.stopCheckpoints) })
		db.checkpointer.Wait()
	}
	var err error
	db.answerMu.Lock()
	if db.answerInsert != nil {
		err = db.answerInsert.Close()
		db.answerInsert = nil
	}
	db.answerMu.Unlock()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return errors.Join(err, db.write.Close())
}

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// Migrate brings the schema up to date. It is safe to call on an up-to-date
// database and, on PostgreSQL, from several processes at once (they take an
// advisory lock). It uses a goose provider of its own, not goose's global
// state, so databases can be migrated in parallel.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.migrator()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}

// SchemaVersion returns the version of the newest applied migration and of
// the newest migration this binary knows.
func (db *DB) SchemaVersion(ctx context.Context) (current, latest int64, err error) {
	p, err := db.migrator()
	if err != nil {
		return 0, 0, err
	}
	current, err = p.GetDBVersion(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("store: schema version: %w", err)
	}
	srcs := p.ListSources()
	if len(srcs) > 0 {
		latest = srcs[len(srcs)-1].Version
	}
	return current, latest, nil
}

func (db *DB) migrator() (*goose.Provider, error) {
	dir, dialect := "migrations/sqlite", goose.DialectSQLite3
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if db.dialect == Postgres {
		dir, dialect = "migrations/postgres", goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("store: migrate: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	fsys, err := fs.Sub(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	p, err := goose.NewProvider(dialect, db.write, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	return p, nil
}

// newID returns a new time-ordered id.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// now returns the current time as the store keeps it: UTC, microseconds.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// queryer is what reads need: a pool or a transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// inTx runs fn in a write transaction and commits it when fn returns nil.
func (db *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// inReadTx runs fn in a read-only transaction that sees one snapshot of the
// database (REPEATABLE READ on PostgreSQL; every SQLite transaction in WAL
// mode reads one snapshot).
func (db *DB) inReadTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// exec1 runs a statement that must change exactly one row; otherwise it
// returns notFound.
func exec1(ctx context.Context, q queryer, notFound error, query string, args ...any) error {
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound
	}
	return nil
}
