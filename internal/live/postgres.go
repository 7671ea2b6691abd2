package live

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// PostgresSchema creates the tables of the PostgreSQL broker. NewPostgres
// runs it itself (it is idempotent, and serialised between instances by an
// advisory lock); the store's migrations may include it as well.
//
// live_topics holds each topic's newest id: taking the next one locks the
// topic's row until the publishing transaction commits, so ids of a topic
// are contiguous and commit, and therefore NOTIFY delivery, follows id
// order. live_events keeps the newest Options.Retain events of each topic,
// no older than Options.MaxAge, for resume on any instance.
const PostgresSchema = `
CREATE TABLE IF NOT EXISTS live_topics (
	topic   text   PRIMARY KEY,
	last_id bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS live_events (
	topic      text        NOT NULL,
	id         bigint      NOT NULL,
	type       text        NOT NULL,
	revision   bigint      NOT NULL,
	data       bytea       NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (topic, id)
);
CREATE INDEX IF NOT EXISTS live_events_created_at ON live_events (created_at);
`

// schemaLockKey serialises PostgresSchema between instances starting at
// once (concurrent CREATE TABLE IF NOT EXISTS can fail).
const schemaLockKey = 0x7761796d61726b // "waymark"

// maxPayload is the largest NOTIFY payload sent; PostgreSQL refuses 8,000
// bytes and more.
const maxPayload = 7999

// publishSQL takes the topic's next id, stores the event, drops the event
// that falls out of the retained window and notifies every instance, in one
// statement (one round trip, one implicit transaction).
//
// The payload is "<id>:<header JSON>\n<data>", or "<id>:<header JSON>" with
// "f":1 in the header when the data does not fit (or is not UTF-8 text): the
// listeners then read it from live_events.
const publishSQL = `
WITH n AS (
	INSERT INTO live_topics AS t (topic, last_id) VALUES ($1, 1)
	ON CONFLICT (topic) DO UPDATE SET last_id = t.last_id + 1
	RETURNING last_id
), e AS (
	INSERT INTO live_events (topic, id, type, revision, data)
	SELECT $1, last_id, $2, $3, $4 FROM n
	RETURNING id
), d AS (
	DELETE FROM live_events WHERE topic = $1 AND id <= (SELECT last_id FROM n) - $7::bigint
)
SELECT id, pg_notify($5, id::text || ':' || $6) FROM e`

// header is the JSON part of a NOTIFY payload.
type header struct {
	Topic    string `json:"t"`
	Type     string `json:"y,omitempty"`
	Revision int64  `json:"r,omitempty"`
	Fetch    int    `json:"f,omitempty"` // 1: read the data from live_events
}

type pgBroker struct {
	h      *hub
	opts   Options
	log    *slog.Logger
	pool   *pgxpool.Pool
	listen *pgx.ConnConfig
	notify string // LISTEN statement

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	closed atomic.Bool
	once   sync.Once
	seedMu sync.Mutex // one reader of a topic's newest id at a time
}

// NewPostgres returns a broker for several instances sharing the
// PostgreSQL database at dsn, with the default Options and log for its
// warnings (nil: slog.Default()). See NewPostgresWith.
func NewPostgres(ctx context.Context, dsn string, log *slog.Logger) (Broker, error) {
	return NewPostgresWith(ctx, dsn, Options{Log: log})
}

// NewPostgresWith returns a broker for several instances sharing the
// PostgreSQL database at dsn.
//
// Publish stores the event in live_events, taking the topic's next id from
// live_topics, and announces it with NOTIFY on opts.Channel, the data
// inline when the payload stays under 8,000 bytes. Every instance LISTENs
// on one dedicated connection and feeds its own in-process fan-out, so
// subscribers anywhere receive every event with the same id. A subscriber
// resuming on an instance that does not hold the events it missed gets
// them from live_events. After a lost connection the listener reconnects
// (backing off up to 5 s) and reads what it missed from the table.
//
// It creates its tables if needed (PostgresSchema) and is listening when it
// returns.
func NewPostgresWith(ctx context.Context, dsn string, opts Options) (Broker, error) {
	opts = opts.withDefaults()
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("live: postgres: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("live: postgres: %w", err)
	}
	if err := createSchema(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	bctx, cancel := context.WithCancel(context.Background())
	p := &pgBroker{
		h:      newHub(opts, func() uint64 { return 0 }),
		opts:   opts,
		log:    opts.Log,
		pool:   pool,
		listen: cfg.ConnConfig.Copy(),
		notify: "LISTEN " + pgx.Identifier{opts.Channel}.Sanitize(),
		ctx:    bctx,
		cancel: cancel,
	}
	conn, err := p.connect(ctx)
	if err != nil {
		cancel()
		pool.Close()
		return nil, err
	}
	p.wg.Go(func() { p.run(conn) })
	p.wg.Go(p.maintain)
	return p, nil
}

func createSchema(ctx context.Context, pool *pgxpool.Pool) error {
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(schemaLockKey)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, PostgresSchema)
		return err
	})
	if err != nil {
		return fmt.Errorf("live: postgres: create tables: %w", err)
	}
	return nil
}

func (p *pgBroker) Publish(ctx context.Context, topic, typ string, revision int64, data []byte) (Event, error) {
	if err := validate(topic, typ); err != nil {
		return Event{}, err
	}
	if p.closed.Load() {
		return Event{}, ErrClosed
	}
	hdr := header{Topic: topic, Type: typ, Revision: revision}
	h, _ := json.Marshal(hdr)
	var tail string
	if utf8.Valid(data) && bytes.IndexByte(data, 0) < 0 && 20+1+len(h)+1+len(data) <= maxPayload {
		tail = string(h) + "\n" + string(data)
	} else {
		hdr.Fetch = 1
		h, _ = json.Marshal(hdr)
		tail = string(h)
	}
	stored := data
	if stored == nil {
		stored = []byte{}
	}
	var id int64
	err := p.pool.QueryRow(ctx, publishSQL, topic, typ, revision, stored, p.opts.Channel, tail, p.opts.Retain).Scan(&id, nil)
	if err != nil {
		return Event{}, fmt.Errorf("live: publish to %s: %w", topic, err)
	}
	return Event{ID: uint64(id), Topic: topic, Type: typ, Revision: revision, Data: clone(data)}, nil
}

func (p *pgBroker) Subscribe(ctx context.Context, topic string, lastEventID uint64) (*Subscription, error) {
	if err := validate(topic, ""); err != nil {
		return nil, err
	}
	if p.closed.Load() {
		return nil, ErrClosed
	}
	if err := p.seed(ctx, topic); err != nil {
		return nil, err
	}
	if lastEventID == 0 {
		return p.h.attach(ctx, topic, 0, nil, false)
	}
	// The events this instance holds may do.
	if s, err := p.h.attach(ctx, topic, lastEventID, nil, true); s != nil || err != nil {
		return s, err
	}
	bf, err := p.load(ctx, topic, lastEventID)
	if err != nil {
		return nil, err
	}
	return p.h.attach(ctx, topic, lastEventID, bf, false)
}

// seed reads the newest id of a topic this instance knows nothing of, so
// that the starting point of its subscribers is known and any gap after it
// is noticed (and read from the table) even if the listener was away.
func (p *pgBroker) seed(ctx context.Context, topic string) error {
	if !p.h.needsSeed(topic) {
		return nil
	}
	p.seedMu.Lock()
	defer p.seedMu.Unlock()
	if !p.h.needsSeed(topic) {
		return nil
	}
	var last, rev int64
	err := p.pool.QueryRow(ctx, `
		SELECT t.last_id, coalesce(e.revision, 0) FROM live_topics t
		LEFT JOIN live_events e ON e.topic = t.topic AND e.id = t.last_id
		WHERE t.topic = $1`, topic).Scan(&last, &rev)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("live: subscribe to %s: %w", topic, err)
	}
	return p.h.seed(topic, uint64(last), rev)
}

// load reads what live_events holds after id last.
func (p *pgBroker) load(ctx context.Context, topic string, last uint64) (*backfill, error) {
	rows, err := p.pool.Query(ctx, `
		SELECT t.last_id, coalesce(l.revision, 0), e.id, e.type, e.revision, e.data
		FROM live_topics t
		LEFT JOIN live_events l ON l.topic = t.topic AND l.id = t.last_id
		LEFT JOIN LATERAL (
			SELECT id, type, revision, data FROM live_events
			WHERE topic = t.topic AND id > $2 ORDER BY id LIMIT $3
		) e ON true
		WHERE t.topic = $1
		ORDER BY e.id`, topic, int64(last), p.opts.Retain+1)
	if err != nil {
		return nil, fmt.Errorf("live: resume %s: %w", topic, err)
	}
	bf := &backfill{}
	for rows.Next() {
		var upTo, rev int64
		var id, erev *int64
		var typ *string
		var data []byte
		if err := rows.Scan(&upTo, &rev, &id, &typ, &erev, &data); err != nil {
			rows.Close()
			return nil, fmt.Errorf("live: resume %s: %w", topic, err)
		}
		bf.upTo, bf.rev = uint64(upTo), rev
		if id != nil {
			bf.events = append(bf.events, Event{ID: uint64(*id), Topic: topic, Type: *typ, Revision: *erev, Data: nilIfEmpty(data)})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("live: resume %s: %w", topic, err)
	}
	bf.reset = !contiguous(bf.events, last, bf.upTo, p.opts.Retain)
	return bf, nil
}

// contiguous reports whether events are exactly the events after last up to
// upTo, and no more than max of them.
func contiguous(events []Event, last, upTo uint64, max int) bool {
	if last > upTo || len(events) > max || uint64(len(events)) != upTo-last {
		return false
	}
	for i, ev := range events {
		if ev.ID != last+1+uint64(i) {
			return false
		}
	}
	return true
}

func nilIfEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

func (p *pgBroker) Close() error {
	p.once.Do(func() {
		p.closed.Store(true)
		p.cancel()
		p.wg.Wait()
		p.h.close()
		p.pool.Close()
	})
	return nil
}

// connect opens the LISTEN connection.
func (p *pgBroker) connect(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, p.listen)
	if err != nil {
		return nil, fmt.Errorf("live: postgres listen: %w", err)
	}
	if _, err := conn.Exec(ctx, p.notify); err != nil {
		conn.Close(context.Background())
		return nil, fmt.Errorf("live: postgres listen: %w", err)
	}
	return conn, nil
}

// run receives notifications until the broker closes, reconnecting after a
// lost connection and then reading from the table what it missed.
func (p *pgBroker) run(conn *pgx.Conn) {
	backoff := 100 * time.Millisecond
	for {
		if conn == nil {
			var err error
			conn, err = p.connect(p.ctx)
			if err != nil {
				if p.ctx.Err() != nil {
					return
				}
				p.log.Warn("live: postgres listen: reconnect failed", "err", err, "retry_in", backoff)
				select {
				case <-p.ctx.Done():
					return
				case <-time.After(backoff):
				}
				backoff = min(2*backoff, 5*time.Second)
				continue
			}
			backoff = 100 * time.Millisecond
			p.log.Info("live: postgres listen: reconnected")
			p.catchUp()
		}
		err := p.receive(conn)
		closeCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		conn.Close(closeCtx)
		cancel()
		conn = nil
		if p.ctx.Err() != nil {
			return
		}
		p.log.Warn("live: postgres listen: connection lost", "err", err)
	}
}

// receive handles notifications until the connection fails. An idle
// connection is pinged every 30 s, so that a dead one is noticed.
func (p *pgBroker) receive(conn *pgx.Conn) error {
	for {
		wctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		if err != nil {
			if p.ctx.Err() != nil {
				return p.ctx.Err()
			}
			if !pgconn.Timeout(err) {
				return err
			}
			pctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
			err = conn.Ping(pctx)
			cancel()
			if err != nil {
				return err
			}
			continue
		}
		if err := p.handle(n.Payload); err != nil && p.ctx.Err() == nil {
			p.log.Warn("live: postgres notification", "err", err)
		}
	}
}

// handle delivers the event of one notification, first reading from the
// table any the hub missed.
func (p *pgBroker) handle(payload string) error {
	idText, rest, ok := strings.Cut(payload, ":")
	hdrText, data, _ := strings.Cut(rest, "\n")
	id, err := strconv.ParseUint(idText, 10, 64)
	var hdr header
	if !ok || err != nil || json.Unmarshal([]byte(hdrText), &hdr) != nil || hdr.Topic == "" {
		return fmt.Errorf("malformed payload %.100q", payload)
	}
	last, known := p.h.position(hdr.Topic)
	if known && id > last+1 {
		// Missed notifications (this should not happen on a live
		// connection): read them, and this one.
		return p.catchUpTopic(hdr.Topic, last)
	}
	if id <= last {
		return nil
	}
	ev := Event{ID: id, Topic: hdr.Topic, Type: hdr.Type, Revision: hdr.Revision}
	if hdr.Fetch == 0 {
		if data != "" {
			ev.Data = []byte(data)
		}
	} else {
		ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
		defer cancel()
		err := p.pool.QueryRow(ctx, `SELECT data FROM live_events WHERE topic = $1 AND id = $2`, hdr.Topic, int64(id)).Scan(&ev.Data)
		if errors.Is(err, pgx.ErrNoRows) {
			p.h.resync(hdr.Topic) // already pruned: subscribers start again from the table
			return nil
		}
		if err != nil {
			return fmt.Errorf("read event %s/%d: %w", hdr.Topic, id, err)
		}
		ev.Data = nilIfEmpty(ev.Data)
	}
	_, err = p.h.deliver(ev)
	return err
}

// catchUp reads the events every topic this instance follows missed while
// the listener was away.
func (p *pgBroker) catchUp() {
	for _, name := range p.h.names() {
		last, known := p.h.position(name)
		if !known {
			continue
		}
		if err := p.catchUpTopic(name, last); err != nil && p.ctx.Err() == nil {
			p.log.Warn("live: postgres catch-up", "topic", name, "err", err)
		}
	}
}

// catchUpTopic delivers the events of topic after id last from the table.
// When they are too many, or no longer all there, the topic's subscribers
// are dropped with ErrResync, so that they resume (or reset) from the
// table.
func (p *pgBroker) catchUpTopic(topic string, last uint64) error {
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	bf, err := p.load(ctx, topic, last)
	if err != nil {
		return err
	}
	if bf.reset {
		p.h.resync(topic)
		return nil
	}
	for _, ev := range bf.events {
		if _, err := p.h.deliver(ev); err != nil {
			return err
		}
	}
	return nil
}

// maintain prunes old events from the table and idle topics from memory.
func (p *pgBroker) maintain() {
	every := min(max(p.opts.MaxAge/10, time.Second), 5*time.Minute)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-p.ctx.Done():
			return
		case <-t.C:
		}
		p.h.sweep()
		ctx, cancel := context.WithTimeout(p.ctx, time.Minute)
		_, err := p.pool.Exec(ctx, `DELETE FROM live_events WHERE created_at < now() - make_interval(secs => $1)`, p.opts.MaxAge.Seconds())
		cancel()
		if err != nil && p.ctx.Err() == nil {
			p.log.Warn("live: postgres prune", "err", err)
		}
	}
}
