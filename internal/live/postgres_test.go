package live

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/waymark/waymark/internal/store/storetest"
)

// pgDSN returns the URL of a fresh PostgreSQL database, skipping t (or
// failing it when WAYMARK_TEST_REQUIRE asks for PostgreSQL) when there is no
// server.
func pgDSN(t testing.TB) string {
	t.Helper()
	return storetest.DSN(t, storetest.Postgres)
}

// testLog returns a logger that writes to t.
func testLog(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// newPostgres returns a PostgreSQL broker on dsn, closed when t ends.
func newPostgres(t testing.TB, dsn string, opts Options) Broker {
	t.Helper()
	if opts.Log == nil {
		opts.Log = testLog(t)
	}
	b, err := NewPostgresWith(context.Background(), dsn, opts)
	if err != nil {
		t.Fatalf("NewPostgres: %v", err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// TestPostgresBroker runs the broker contract on the PostgreSQL broker,
// each test on a fresh database.
func TestPostgresBroker(t *testing.T) {
	pgDSN(t) // skip early
	runBrokerContract(t, func(t *testing.T, opts Options) Broker {
		return newPostgres(t, pgDSN(t), opts)
	})
}

// TestPostgresTwoInstances ensures that two brokers on one database (two
// instances behind a load balancer) deliver every event published on
// either to the subscribers of both, with the same ids in the same order,
// and that tables are created safely when both start at once.
func TestPostgresTwoInstances(t *testing.T) {
	dsn := pgDSN(t)
	var a, b Broker
	var wg sync.WaitGroup
	wg.Go(func() { a = newPostgres(t, dsn, Options{}) })
	wg.Go(func() { b = newPostgres(t, dsn, Options{}) })
	wg.Wait()
	if a == nil || b == nil {
		t.FailNow()
	}
	sa := mustSubscribe(t, a, "w", 0)
	sb := mustSubscribe(t, b, "w", 0)

	var pub []Event
	var mu sync.Mutex
	for _, p := range []Broker{a, b} { // both publish at once
		wg.Go(func() {
			for i := range 25 {
				ev := mustPublish(t, p, "w", "e", int64(i), fmt.Sprintf(`{"i":%d}`, i))
				mu.Lock()
				pub = append(pub, ev)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	ga, gb := recv(t, sa, 50), recv(t, sb, 50)
	for i := range 50 {
		sameEvent(t, ga[i], gb[i])
		if i > 0 && ga[i].ID != ga[i-1].ID+1 {
			t.Fatalf("ids not consecutive: %d after %d", ga[i].ID, ga[i-1].ID)
		}
	}
	byID := map[uint64]Event{}
	for _, ev := range pub {
		byID[ev.ID] = ev
	}
	for _, ev := range ga {
		sameEvent(t, ev, byID[ev.ID])
	}
	quiet(t, sa, 50*time.Millisecond)
}

// TestPostgresResumeFromTable ensures that a client resuming on an instance
// that never saw the events it missed (a new instance, or another one
// behind the load balancer) gets them from the table, then the live ones
// published on another instance, with no gap and no duplicate; and that a
// resume older than the table's window resets.
func TestPostgresResumeFromTable(t *testing.T) {
	dsn := pgDSN(t)
	a := newPostgres(t, dsn, Options{Retain: 16})
	var pub []Event
	for i := range 30 {
		pub = append(pub, mustPublish(t, a, "w", "e", int64(i), fmt.Sprintf(`{"i":%d}`, i)))
	}
	c := newPostgres(t, dsn, Options{Retain: 16}) // started after the events
	s := mustSubscribe(t, c, "w", pub[19].ID)
	for i, ev := range recv(t, s, 10) {
		sameEvent(t, ev, pub[20+i])
	}
	live := mustPublish(t, a, "w", "e", 99, `{"live":1}`)
	sameEvent(t, recv(t, s, 1)[0], live)
	quiet(t, s, 50*time.Millisecond)

	old := mustSubscribe(t, newPostgres(t, dsn, Options{Retain: 16}), "w", pub[5].ID)
	if ev := recv(t, old, 1)[0]; ev.Type != TypeReset || ev.ID != live.ID || ev.Revision != 99 {
		t.Fatalf("resume too old: got %+v, want a reset at %d", ev, live.ID)
	}
	var rows int
	if err := pgQueryRow(t, dsn, `SELECT count(*) FROM live_events WHERE topic = 'w'`, &rows); err != nil {
		t.Fatal(err)
	}
	if rows != 16 {
		t.Fatalf("live_events keeps %d events of the topic, want Retain = 16", rows)
	}
}

// TestPostgresLargeData ensures that events whose data does not fit in a
// NOTIFY payload (8,000 bytes), or is not UTF-8 text, reach other instances
// intact through the table, in order with small ones.
func TestPostgresLargeData(t *testing.T) {
	dsn := pgDSN(t)
	a := newPostgres(t, dsn, Options{})
	b := newPostgres(t, dsn, Options{})
	sb := mustSubscribe(t, b, "w", 0)
	large := bytes.Repeat([]byte(`{"k":"åäö"},`), 20000) // 260 kB
	edge := bytes.Repeat([]byte("x"), maxPayload-40)
	for _, data := range [][]byte{[]byte(`{"small":1}`), large, {0xff, 0x00, 0xfe}, edge, nil, []byte(`{"after":1}`)} {
		want, err := a.Publish(context.Background(), "w", "e", 1, data)
		if err != nil {
			t.Fatalf("publish %d bytes: %v", len(data), err)
		}
		got := recv(t, sb, 1)[0]
		if got.ID != want.ID || !bytes.Equal(got.Data, data) {
			t.Fatalf("published %d bytes as id %d, got %d bytes as id %d", len(data), want.ID, len(got.Data), got.ID)
		}
	}
}

// TestPostgresReconnect ensures that after the listening connection is
// lost, the broker reconnects and delivers the events published meanwhile,
// in order, with no gap.
func TestPostgresReconnect(t *testing.T) {
	dsn := pgDSN(t)
	a := newPostgres(t, dsn, Options{})
	b := newPostgres(t, dsn, Options{})
	sa := mustSubscribe(t, a, "w", 0)
	first := mustPublish(t, b, "w", "e", 1, `{}`)
	sameEvent(t, recv(t, sa, 1)[0], first)
	// A topic without any event yet: its first events come while a is away.
	fresh := mustSubscribe(t, a, "new", 0)

	// Kill a's listening connection (and b's: the topic keeps going).
	var killed int
	if err := pgQueryRow(t, dsn, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()`, &killed); err != nil {
		t.Fatal(err)
	}
	if killed != 2 {
		t.Fatalf("terminated %d listening connections, want 2", killed)
	}
	var pub []Event
	for i := range 20 {
		pub = append(pub, mustPublish(t, b, "w", "e", int64(i), fmt.Sprintf(`{"i":%d}`, i)))
	}
	var pubNew []Event
	for i := range 3 {
		pubNew = append(pubNew, mustPublish(t, b, "new", "e", int64(i), `{}`))
	}
	for i, ev := range recv(t, sa, len(pub)) {
		sameEvent(t, ev, pub[i])
	}
	for i, ev := range recv(t, fresh, len(pubNew)) {
		sameEvent(t, ev, pubNew[i])
	}
	// And live delivery works again, both ways. (A fresh subscriber on b
	// would start wherever b's own catch-up is; resume from a known id.)
	sb := mustSubscribe(t, b, "w", pub[len(pub)-1].ID)
	next := mustPublish(t, a, "w", "e", 2, `{}`)
	sameEvent(t, recv(t, sa, 1)[0], next)
	sameEvent(t, recv(t, sb, 1)[0], next)
}

// TestPostgresSchemaExposed ensures that PostgresSchema can run again on a
// database that has it (so the store's migrations may include it).
func TestPostgresSchemaExposed(t *testing.T) {
	dsn := pgDSN(t)
	newPostgres(t, dsn, Options{})
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), PostgresSchema); err != nil {
		t.Fatalf("running PostgresSchema again: %v", err)
	}
}

// pgQueryRow runs one query on dsn and scans its row.
func pgQueryRow(t testing.TB, dsn, sql string, dest ...any) error {
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return conn.QueryRow(context.Background(), sql).Scan(dest...)
}

// TestPostgresMissedNotifications ensures that events whose notifications
// an instance never got (here published on another NOTIFY channel) are
// read from the table: when a later notification shows the gap, and by the
// catch-up that follows a reconnect; on a topic with events and on a topic
// whose first events were missed.
func TestPostgresMissedNotifications(t *testing.T) {
	dsn := pgDSN(t)
	a := newPostgres(t, dsn, Options{})
	b := newPostgres(t, dsn, Options{})
	silent := newPostgres(t, dsn, Options{Channel: "elsewhere"})
	sa := mustSubscribe(t, a, "w", 0)
	sn := mustSubscribe(t, a, "new", 0)

	var want []Event
	want = append(want, mustPublish(t, b, "w", "e", 1, `{"n":1}`))
	want = append(want, mustPublish(t, silent, "w", "e", 2, `{"n":2}`))
	want = append(want, mustPublish(t, silent, "w", "e", 3, `{"n":3}`))
	want = append(want, mustPublish(t, b, "w", "e", 4, `{"n":4}`)) // shows the gap
	for i, ev := range recv(t, sa, len(want)) {
		sameEvent(t, ev, want[i])
	}

	// Missed entirely until the catch-up after a reconnect.
	lost := []Event{mustPublish(t, silent, "w", "e", 5, `{"n":5}`)}
	lostNew := []Event{mustPublish(t, silent, "new", "e", 1, `{"first":1}`), mustPublish(t, silent, "new", "e", 2, `{}`)}
	quiet(t, sa, 50*time.Millisecond)
	a.(*pgBroker).catchUp()
	sameEvent(t, recv(t, sa, 1)[0], lost[0])
	for i, ev := range recv(t, sn, 2) {
		sameEvent(t, ev, lostNew[i])
	}
	quiet(t, sn, 50*time.Millisecond)
}

// TestPostgresResync ensures that when an instance missed more events than
// it can replay, its subscribers of that topic are dropped with ErrResync,
// and resuming then gives a reset at the newest id.
func TestPostgresResync(t *testing.T) {
	dsn := pgDSN(t)
	a := newPostgres(t, dsn, Options{Retain: 4})
	silent := newPostgres(t, dsn, Options{Retain: 4, Channel: "elsewhere"})
	first := mustPublish(t, a, "w", "e", 1, `{}`)
	s := mustSubscribe(t, a, "w", first.ID)
	var newest Event
	for i := range 10 {
		newest = mustPublish(t, silent, "w", "e", int64(10+i), `{}`)
	}
	a.(*pgBroker).catchUp()
	select {
	case _, ok := <-s.C:
		if ok {
			t.Fatal("event after a resync")
		}
	case <-time.After(waitTimeout):
		t.Fatal("subscription not dropped")
	}
	if !errors.Is(s.Err(), ErrResync) {
		t.Fatalf("Err() = %v, want ErrResync", s.Err())
	}
	r := mustSubscribe(t, a, "w", first.ID)
	if ev := recv(t, r, 1)[0]; ev.Type != TypeReset || ev.ID != newest.ID || ev.Revision != newest.Revision {
		t.Fatalf("got %+v, want a reset at %d", ev, newest.ID)
	}
}

// TestPostgresCloseLeavesNoGoroutine ensures that closing a PostgreSQL
// broker stops its listener and maintenance goroutines and its pool.
func TestPostgresCloseLeavesNoGoroutine(t *testing.T) {
	dsn := pgDSN(t)
	baseline := runtime.NumGoroutine()
	b, err := NewPostgres(context.Background(), dsn, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	s := mustSubscribe(t, b, "w", 0)
	mustPublish(t, b, "w", "e", 1, `{}`)
	recv(t, s, 1)
	b.Close()
	waitGoroutines(t, baseline)
}

// waitGoroutines waits until no more than n goroutines run.
func waitGoroutines(t testing.TB, n int) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for runtime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, want at most %d:\n%s", runtime.NumGoroutine(), n, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(5 * time.Millisecond)
	}
}
