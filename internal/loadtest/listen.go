package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Listeners.
//
// A listener is one participant's phone following the workshop's live
// stream. It records, for every "progress" event, the event's id and when
// it arrived; what the event says (how many answers the aggregates count)
// is read once per event id for all listeners, since every listener gets
// the same data.

// progressType is the SSE event name of aggregate updates.
const progressType = "progress"

// received is one progress event as a listener got it.
type received struct {
	id uint64
	at time.Time
}

// listener follows one stream, reconnecting with Last-Event-ID when it
// ends early.
type listener struct {
	c       *Client
	ws      string
	token   string
	counts  *countCache
	mu      sync.Mutex
	events  []received
	lastID  uint64
	reconns int
	err     error
	ready   chan struct{} // closed when the first connection is open
	once    sync.Once
	stopped atomic.Bool
}

// countCache reads each progress event's data once.
type countCache struct {
	mu              sync.Mutex
	m               map[uint64]*countEntry
	trend, question string // the marker cell
}

type countEntry struct {
	once sync.Once
	done atomic.Bool // c and err are set
	c    Counts
	err  error
}

// newCountCache returns a cache reading the marker cell trend/question.
func newCountCache(trend, question string) *countCache {
	return &countCache{m: map[uint64]*countEntry{}, trend: trend, question: question}
}

// count returns what the progress event id counts, parsing data the first
// time the id is seen.
func (c *countCache) count(id uint64, data []byte) (Counts, error) {
	c.mu.Lock()
	e := c.m[id]
	if e == nil {
		e = &countEntry{}
		c.m[id] = e
	}
	c.mu.Unlock()
	e.once.Do(func() {
		e.c, e.err = ProgressCounts(data, c.trend, c.question)
		e.done.Store(true)
	})
	return e.c, e.err
}

// get returns the counts of an event already read.
func (c *countCache) get(id uint64) (Counts, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.m[id]
	if e == nil || !e.done.Load() {
		return Counts{}, false
	}
	return e.c, e.err == nil
}

// known reports whether the count of event id has been read.
func (c *countCache) known(id uint64) bool {
	_, ok := c.get(id)
	return ok
}

// firstReaching returns the smallest event id whose total is at least n,
// or the largest id when none is.
func (c *countCache) firstReaching(n int64) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var first, last uint64
	for id, e := range c.m {
		last = max(last, id)
		if e.done.Load() && e.err == nil && e.c.Total >= n && (first == 0 || id < first) {
			first = id
		}
	}
	if first == 0 {
		return last
	}
	return first
}

// Counts is what a progress event's aggregates count.
type Counts struct {
	// Total counts the answers with a value and the "don't know" answers
	// of every trend and question.
	Total int64
	// Marker counts those of one cell, the markers'.
	Marker int64
}

// ProgressCounts reads a progress event's data: the answers counted in
// all, and in the cell of trend and question.
func ProgressCounts(data []byte, trend, question string) (Counts, error) {
	var p struct {
		Trends []struct {
			Key       string `json:"key"`
			Questions map[string]struct {
				Count    int64 `json:"count"`
				DontKnow int64 `json:"dont_know"`
			} `json:"questions"`
		} `json:"trends"`
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return Counts{}, fmt.Errorf("progress event: %w", err)
	}
	var c Counts
	for _, t := range p.Trends {
		for k, q := range t.Questions {
			c.Total += q.Count + q.DontKnow
			if t.Key == trend && k == question {
				c.Marker = q.Count + q.DontKnow
			}
		}
	}
	return c, nil
}

// run follows the stream until ctx ends.
func (l *listener) run(ctx context.Context) {
	defer l.once.Do(func() { close(l.ready) })
	for ctx.Err() == nil {
		err := l.follow(ctx)
		if ctx.Err() != nil {
			return
		}
		l.mu.Lock()
		l.err = err
		l.reconns++
		l.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// follow reads one connection of the stream.
func (l *listener) follow(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, l.c.Base+fmt.Sprintf(eventsPathFmt, l.ws), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", participantAuth+l.token)
	l.mu.Lock()
	if l.lastID > 0 {
		req.Header.Set("Last-Event-ID", strconv.FormatUint(l.lastID, 10))
	}
	l.mu.Unlock()
	res, err := l.c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(res.Body, 512))
		return &StatusError{Status: res.StatusCode, Body: string(b)}
	}
	l.once.Do(func() { close(l.ready) })
	// A small buffer, and one scratch slice for the long data lines reused
	// for every event: 2,000 listeners in the server's process add to what
	// its garbage collector scans (with 32 KiB buffers, 64 MB), and phones
	// would not.
	r := bufio.NewReaderSize(res.Body, 4<<10)
	var (
		id      uint64
		typ     []byte
		data    []byte
		long    []byte
		hasID   bool
		pending bool
	)
	for {
		line, err := r.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			// A long data line: gather it whole.
			long = append(long[:0], line...)
			for err == bufio.ErrBufferFull {
				line, err = r.ReadSlice('\n')
				long = append(long, line...)
			}
			line = long
		}
		if err != nil {
			return err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			if pending {
				at := time.Now()
				l.dispatch(id, hasID, typ, data, at)
			}
			typ, data, hasID, pending = typ[:0], data[:0], false, false
			continue
		}
		if line[0] == ':' {
			continue // comment: heartbeat
		}
		field, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimPrefix(value, []byte(" "))
		switch string(field) {
		case "id":
			pending = true
			if n, err := strconv.ParseUint(string(value), 10, 64); err == nil {
				id, hasID = n, true
			}
		case "event":
			pending = true
			typ = append(typ[:0], value...)
		case "data":
			pending = true
			// Every listener gets the same data: only the first to see an
			// event needs it.
			if hasID && l.counts.known(id) {
				continue
			}
			if len(data) > 0 {
				data = append(data, '\n')
			}
			data = append(data, value...)
		}
	}
}

// dispatch records one complete event.
func (l *listener) dispatch(id uint64, hasID bool, typ, data []byte, at time.Time) {
	if hasID {
		l.mu.Lock()
		if id > l.lastID {
			l.lastID = id
		}
		l.mu.Unlock()
	}
	if string(typ) != progressType || !hasID || l.stopped.Load() {
		return
	}
	if _, err := l.counts.count(id, data); err != nil {
		return
	}
	l.mu.Lock()
	l.events = append(l.events, received{id: id, at: at})
	l.mu.Unlock()
}

// snapshot returns what the listener has recorded so far.
func (l *listener) snapshot() ([]received, int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]received(nil), l.events...), l.reconns, l.err
}

// maxTotal returns the largest total of the events received, -1 for
// none.
func (l *listener) maxTotal(counts *countCache) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	var best int64 = -1
	for _, e := range l.events {
		if c, ok := counts.get(e.id); ok && c.Total > best {
			best = c.Total
		}
	}
	return best
}
