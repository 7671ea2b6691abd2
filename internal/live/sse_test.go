package live

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// frame is one parsed block of an event stream.
type frame struct {
	id       string
	hasID    bool
	event    string
	data     []string
	comments []string
	retry    string
	raw      string
}

// sseClient reads frames from an event stream.
type sseClient struct {
	resp *http.Response
	r    *bufio.Reader
}

// dial opens an event stream at url with the given headers.
func dial(t testing.TB, ctx context.Context, url string, header http.Header) *sseClient {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	return &sseClient{resp: resp, r: bufio.NewReader(resp.Body)}
}

// next reads the next frame (up to a blank line).
func (c *sseClient) next() (frame, error) {
	var f frame
	var raw strings.Builder
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			return f, err
		}
		raw.WriteString(line)
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			if raw.Len() == 1 {
				raw.Reset()
				continue
			}
			f.raw = raw.String()
			return f, nil
		}
		if c, ok := strings.CutPrefix(line, ":"); ok {
			f.comments = append(f.comments, strings.TrimSpace(c))
			continue
		}
		name, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch name {
		case "id":
			f.id, f.hasID = value, true
		case "event":
			f.event = value
		case "data":
			f.data = append(f.data, value)
		case "retry":
			f.retry = value
		}
	}
}

// nextEvent skips comment-only frames and returns the next event frame.
func (c *sseClient) nextEvent(t testing.TB) frame {
	t.Helper()
	for {
		f, err := c.next()
		if err != nil {
			t.Fatalf("reading the stream: %v", err)
		}
		if f.hasID || f.data != nil {
			return f
		}
	}
}

// sseServer serves topic "w" of b with opts.
func sseServer(t testing.TB, b Broker, opts SSEOptions) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := ServeSSE(w, r, b, "w", opts); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestServeSSEFormat ensures the stream's headers, the retry hint, and that
// every event is written as id, event and data lines, multi-line data as
// several data lines, and flushed at once.
func TestServeSSEFormat(t *testing.T) {
	b := newMemory(t, Options{})
	srv := sseServer(t, b, SSEOptions{Retry: 3 * time.Second})
	c := dial(t, t.Context(), srv.URL, nil)

	for k, want := range map[string]string{
		"Content-Type":      "text/event-stream",
		"Cache-Control":     "no-store",
		"X-Accel-Buffering": "no",
	} {
		if got := c.resp.Header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	f, err := c.next()
	if err != nil || f.raw != "retry: 3000\n\n" {
		t.Fatalf("first frame %q (%v), want the retry hint", f.raw, err)
	}

	waitSubscribers(t, b, "w", 1)
	ev := mustPublish(t, b, "w", "progress", 7, `{"a":1}`)
	f = c.nextEvent(t)
	if want := "id: " + strconv.FormatUint(ev.ID, 10) + "\nevent: progress\ndata: {\"a\":1}\n\n"; f.raw != want {
		t.Fatalf("frame %q, want %q", f.raw, want)
	}
	mustPublish(t, b, "w", "", 0, "one\ntwo\r\nthree\rfour")
	f = c.nextEvent(t)
	if f.event != "" || strings.Join(f.data, "|") != "one|two|three|four" {
		t.Fatalf("multi-line frame %q", f.raw)
	}
	mustPublish(t, b, "w", "empty", 0, "")
	if f = c.nextEvent(t); len(f.data) != 1 || f.data[0] != "" {
		t.Fatalf("empty data frame %q", f.raw)
	}
}

// waitSubscribers waits until topic has n subscribers on b (memory or
// PostgreSQL broker).
func waitSubscribers(t testing.TB, b Broker, topic string, n int) {
	t.Helper()
	h := hubOf(b)
	deadline := time.Now().Add(waitTimeout)
	for h.subscribers(topic) != n {
		if time.Now().After(deadline) {
			t.Fatalf("topic %s has %d subscribers, want %d", topic, h.subscribers(topic), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func hubOf(b Broker) *hub {
	switch b := b.(type) {
	case *memory:
		return b.h
	case *pgBroker:
		return b.h
	}
	panic("unknown broker")
}

// TestServeSSEHeartbeat ensures that an idle stream gets a comment line
// every Heartbeat.
func TestServeSSEHeartbeat(t *testing.T) {
	b := newMemory(t, Options{})
	srv := sseServer(t, b, SSEOptions{Heartbeat: 20 * time.Millisecond})
	c := dial(t, t.Context(), srv.URL, nil)
	beats := 0
	start := time.Now()
	for beats < 3 {
		f, err := c.next()
		if err != nil {
			t.Fatal(err)
		}
		if len(f.comments) > 0 && f.comments[0] == "heartbeat" {
			beats++
		}
		if time.Since(start) > waitTimeout {
			t.Fatalf("%d heartbeats in %s", beats, waitTimeout)
		}
	}
}

// memWriter is a ResponseWriter for tests inside a synctest bubble. When
// block is set, every Write waits for a value from it.
type memWriter struct {
	mu     sync.Mutex
	header http.Header
	buf    bytes.Buffer
	block  chan struct{}
}

func (w *memWriter) Header() http.Header { return w.header }
func (w *memWriter) WriteHeader(int)     {}
func (w *memWriter) Flush()              {}
func (w *memWriter) Write(p []byte) (int, error) {
	if w.block != nil {
		<-w.block
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}
func (w *memWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestServeSSEDefaultHeartbeat ensures, on a fake clock, that the default
// heartbeat comes every 15 seconds and not before.
func TestServeSSEDefaultHeartbeat(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := NewMemory()
		defer b.Close()
		ctx, cancel := context.WithCancel(t.Context())
		w := &memWriter{header: http.Header{}}
		r := httptest.NewRequestWithContext(ctx, "GET", "/events", nil)
		done := make(chan error)
		go func() { done <- ServeSSE(w, r, b, "w", SSEOptions{}) }()

		time.Sleep(14 * time.Second)
		synctest.Wait()
		if n := strings.Count(w.String(), ": heartbeat\n\n"); n != 0 {
			t.Fatalf("%d heartbeats after 14 s", n)
		}
		time.Sleep(46 * time.Second)
		synctest.Wait()
		if n := strings.Count(w.String(), ": heartbeat\n\n"); n != 4 {
			t.Fatalf("%d heartbeats after 60 s, want 4", n)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}

// TestServeSSEResume ensures that a client reconnecting with the
// Last-Event-ID header, or with the lastEventId query parameter, gets the
// events after that id and then the live ones; and that an id older than
// the retained events gets a reset event.
func TestServeSSEResume(t *testing.T) {
	b := newMemory(t, Options{Retain: 16})
	srv := sseServer(t, b, SSEOptions{})
	var pub []Event
	for i := range 20 {
		pub = append(pub, mustPublish(t, b, "w", "e", int64(i), `{"i":`+strconv.Itoa(i)+`}`))
	}
	id := func(i int) string { return strconv.FormatUint(pub[i].ID, 10) }

	for _, c := range []struct {
		name   string
		url    string
		header http.Header
	}{
		{"header", srv.URL, http.Header{"Last-Event-Id": {id(14)}}},
		{"query", srv.URL + "?lastEventId=" + id(14), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			cl := dial(t, ctx, c.url, c.header)
			for i := 15; i < len(pub); i++ {
				if f := cl.nextEvent(t); f.id != id(i) || f.data[0] != string(pub[i].Data) {
					t.Fatalf("replayed %q, want event %d", f.raw, i)
				}
			}
			waitSubscribers(t, b, "w", 1)
			live := mustPublish(t, b, "w", "e", 99, `{}`)
			pub = append(pub, live)
			if f := cl.nextEvent(t); f.id != strconv.FormatUint(live.ID, 10) {
				t.Fatalf("live frame %q, want id %d", f.raw, live.ID)
			}
			cancel()
			waitSubscribers(t, b, "w", 0)
		})
	}

	t.Run("reset", func(t *testing.T) {
		cl := dial(t, t.Context(), srv.URL, http.Header{"Last-Event-Id": {id(0)}})
		newest := pub[len(pub)-1]
		if f := cl.nextEvent(t); f.event != TypeReset || f.id != strconv.FormatUint(newest.ID, 10) {
			t.Fatalf("frame %q, want a reset at %d", f.raw, newest.ID)
		}
	})
}

// TestServeSSEInitialAndFilter ensures that a fresh connection gets the
// Initial snapshot first, with the id of the newest event it reflects, and
// a resuming one does not; and that Filter can drop and rewrite events for
// one listener without changing what others receive.
func TestServeSSEInitialAndFilter(t *testing.T) {
	b := newMemory(t, Options{})
	before := mustPublish(t, b, "w", "e", 1, `{}`)
	initialCalls := 0
	var mu sync.Mutex
	srv := sseServer(t, b, SSEOptions{
		Initial: func() (Event, bool) {
			mu.Lock()
			initialCalls++
			mu.Unlock()
			return Event{Type: "snapshot", Revision: 1, Data: []byte(`{"all":true}`)}, true
		},
		Filter: func(ev Event) (Event, bool) {
			if ev.Type == "secret" {
				return ev, false
			}
			if ev.Type == "answers" {
				ev.Data = []byte(`{"redacted":true}`)
			}
			return ev, true
		},
	})
	raw := mustSubscribe(t, b, "w", 0)

	c := dial(t, t.Context(), srv.URL, nil)
	f := c.nextEvent(t)
	if f.event != "snapshot" || f.id != strconv.FormatUint(before.ID, 10) || f.data[0] != `{"all":true}` {
		t.Fatalf("first frame %q, want the snapshot with id %d", f.raw, before.ID)
	}
	waitSubscribers(t, b, "w", 2)
	mustPublish(t, b, "w", "secret", 2, `{"who":"x"}`)
	mustPublish(t, b, "w", "answers", 3, `{"who":"x","value":5}`)
	last := mustPublish(t, b, "w", "state", 4, `{"phase":"rating"}`)
	if f := c.nextEvent(t); f.event != "answers" || f.data[0] != `{"redacted":true}` {
		t.Fatalf("frame %q, want the rewritten answers event", f.raw)
	}
	if f := c.nextEvent(t); f.event != "state" {
		t.Fatalf("frame %q, want the state event", f.raw)
	}
	if evs := recv(t, raw, 3); string(evs[1].Data) != `{"who":"x","value":5}` {
		t.Fatalf("the filter changed the shared event: %s", evs[2].Data)
	}

	// Resuming skips the snapshot.
	r := dial(t, t.Context(), srv.URL, http.Header{"Last-Event-Id": {strconv.FormatUint(last.ID-1, 10)}})
	if f := r.nextEvent(t); f.event != "state" {
		t.Fatalf("resumed frame %q, want the state event", f.raw)
	}
	mu.Lock()
	defer mu.Unlock()
	if initialCalls != 1 {
		t.Fatalf("Initial called %d times, want 1", initialCalls)
	}
}

// TestServeSSEClientGoneFreesSubscription ensures that when clients
// disconnect their handlers return, their subscriptions are removed from
// the broker and no goroutine is left behind.
func TestServeSSEClientGoneFreesSubscription(t *testing.T) {
	b := newMemory(t, Options{})
	ended := make(chan error, 100)
	srv := sseServer(t, b, SSEOptions{Ended: func(err error) { ended <- err }})
	http.DefaultClient.CloseIdleConnections()
	baseline := runtime.NumGoroutine()

	const n = 50
	ctx, cancel := context.WithCancel(t.Context())
	clients := make([]*sseClient, n)
	for i := range clients {
		clients[i] = dial(t, ctx, srv.URL, nil)
	}
	waitSubscribers(t, b, "w", n)
	mustPublish(t, b, "w", "e", 1, `{}`)
	for _, c := range clients {
		c.nextEvent(t)
	}
	cancel()
	for _, c := range clients {
		c.resp.Body.Close()
	}
	waitSubscribers(t, b, "w", 0)
	for range n {
		select {
		case err := <-ended:
			if err != nil {
				t.Fatalf("Ended(%v), want nil for a client that went away", err)
			}
		case <-time.After(waitTimeout):
			t.Fatal("a handler did not end")
		}
	}
	http.DefaultClient.CloseIdleConnections()
	srv.CloseClientConnections()
	waitGoroutines(t, baseline)
}

// TestServeSSEEndsWhenDropped ensures, on a fake clock, that a stream whose
// client cannot keep up is dropped by the broker rather than holding up
// Publish, and that the handler then ends with ErrSlowConsumer; that
// closing SSEOptions.Shutdown ends a stream; and that closing the broker
// ends streams with ErrClosed.
func TestServeSSEEndsWhenDropped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := NewMemoryWith(Options{Buffer: 4})
		defer b.Close()
		w := &memWriter{header: http.Header{}, block: make(chan struct{})}
		r := httptest.NewRequestWithContext(t.Context(), "GET", "/events", nil)
		reason := make(chan error, 1)
		go ServeSSE(w, r, b, "w", SSEOptions{Ended: func(err error) { reason <- err }})
		synctest.Wait() // blocked writing the retry hint
		for i := range 10 {
			mustPublish(t, b, "w", "e", int64(i), `{}`)
		}
		close(w.block) // the client reads again
		if err := <-reason; !errors.Is(err, ErrSlowConsumer) {
			t.Fatalf("Ended(%v), want ErrSlowConsumer", err)
		}
		if n := strings.Count(w.String(), "event: e\n"); n != 4 {
			t.Fatalf("%d events written before the drop, want the 4 buffered", n)
		}

		shutdown := make(chan struct{})
		go ServeSSE(&memWriter{header: http.Header{}}, r, b, "w", SSEOptions{Shutdown: shutdown, Ended: func(err error) { reason <- err }})
		synctest.Wait()
		close(shutdown)
		if err := <-reason; !errors.Is(err, http.ErrServerClosed) {
			t.Fatalf("Ended(%v), want http.ErrServerClosed", err)
		}

		go ServeSSE(&memWriter{header: http.Header{}}, r, b, "w", SSEOptions{Ended: func(err error) { reason <- err }})
		synctest.Wait()
		b.Close()
		if err := <-reason; !errors.Is(err, ErrClosed) {
			t.Fatalf("Ended(%v), want ErrClosed", err)
		}
	})
}

// TestServeSSEOutlivesServerTimeouts ensures that a stream keeps going past
// the server's WriteTimeout and ReadTimeout (ServeSSE clears both for the
// stream, and bounds each write itself).
func TestServeSSEOutlivesServerTimeouts(t *testing.T) {
	b := newMemory(t, Options{})
	ended := make(chan error, 1)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ServeSSE(w, r, b, "w", SSEOptions{Heartbeat: 50 * time.Millisecond, Ended: func(err error) { ended <- err }})
	}))
	srv.Config.WriteTimeout = 100 * time.Millisecond
	srv.Config.ReadTimeout = 100 * time.Millisecond
	srv.Start()
	t.Cleanup(srv.Close)
	c := dial(t, t.Context(), srv.URL, nil)
	waitSubscribers(t, b, "w", 1)
	time.Sleep(400 * time.Millisecond)
	select {
	case err := <-ended:
		t.Fatalf("stream ended: %v", err)
	default:
	}
	ev := mustPublish(t, b, "w", "e", 1, `{}`)
	if f := c.nextEvent(t); f.id != strconv.FormatUint(ev.ID, 10) {
		t.Fatalf("frame %q", f.raw)
	}
}

// TestServeSSEWithoutFlusher ensures that a ResponseWriter that cannot
// flush gets an error and nothing written, and no subscription is left.
func TestServeSSEWithoutFlusher(t *testing.T) {
	b := newMemory(t, Options{})
	w := &plainWriter{header: http.Header{}}
	err := ServeSSE(w, httptest.NewRequest("GET", "/", nil), b, "w", SSEOptions{})
	if !errors.Is(err, http.ErrNotSupported) {
		t.Fatalf("err %v, want ErrNotSupported", err)
	}
	if w.written || len(w.header) != 0 {
		t.Fatal("something was written")
	}
	if n := b.(*memory).h.subscribers("w"); n != 0 {
		t.Fatalf("%d subscribers left", n)
	}
}

type plainWriter struct {
	header  http.Header
	written bool
}

func (w *plainWriter) Header() http.Header         { return w.header }
func (w *plainWriter) WriteHeader(int)             { w.written = true }
func (w *plainWriter) Write(p []byte) (int, error) { w.written = true; return len(p), nil }

// TestLastEventID ensures which ids a request resumes from.
func TestLastEventID(t *testing.T) {
	for _, c := range []struct {
		header, query string
		want          uint64
	}{
		{"", "", 0}, {"42", "", 42}, {"", "43", 43}, {"42", "43", 42}, {"x", "", 0}, {"-1", "", 0},
	} {
		r := httptest.NewRequest("GET", "/?lastEventId="+c.query, nil)
		if c.header != "" {
			r.Header.Set("Last-Event-ID", c.header)
		}
		if got := LastEventID(r); got != c.want {
			t.Errorf("header %q query %q: %d, want %d", c.header, c.query, got, c.want)
		}
	}
}

// TestServeSSESpread ensures that with Spread the streams of a topic write
// an event each after its own pause below Spread — not all at once, and
// every one of them well within it — and that the stream is plain (no
// chunked encoding) over HTTP/1.1.
func TestServeSSESpread(t *testing.T) {
	const streams, spread = 20, 200 * time.Millisecond
	b := newMemory(t, Options{})
	srv := sseServer(t, b, SSEOptions{Spread: spread})
	clients := make([]*sseClient, streams)
	for i := range clients {
		clients[i] = dial(t, t.Context(), srv.URL, nil)
		if te := clients[i].resp.TransferEncoding; len(te) != 0 {
			t.Fatalf("Transfer-Encoding %v; want none", te)
		}
		if _, err := clients[i].next(); err != nil { // the retry hint
			t.Fatal(err)
		}
	}
	waitSubscribers(t, b, "w", streams)
	start := time.Now()
	mustPublish(t, b, "w", "progress", 1, `{}`)
	arrived := make(chan time.Duration, streams)
	for _, c := range clients {
		go func() {
			for {
				f, err := c.next()
				if err != nil {
					t.Error(err)
					arrived <- time.Hour
					return
				}
				if f.hasID {
					arrived <- time.Since(start)
					return
				}
			}
		}()
	}
	first, last := time.Hour, time.Duration(0)
	for range streams {
		d := <-arrived
		first, last = min(first, d), max(last, d)
	}
	if last > spread+500*time.Millisecond {
		t.Errorf("the last stream wrote the event after %v; want within %v and a little", last, spread)
	}
	if last-first < 20*time.Millisecond {
		t.Errorf("the %d streams wrote within %v of each other; want them spread over %v", streams, last-first, spread)
	}
}
