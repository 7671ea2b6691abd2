package live

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// SSEOptions tune ServeSSE. The zero value is ready to use.
type SSEOptions struct {
	// Heartbeat is how often a comment line is sent on an idle stream, so
	// that proxies and browsers keep it open. Default 15 s; negative: none.
	Heartbeat time.Duration
	// Retry is the reconnection delay suggested to the browser in the
	// stream's "retry:" field. Default 2 s.
	Retry time.Duration
	// WriteTimeout bounds each write to the client: a client that takes
	// longer to accept a write is disconnected. The server's own
	// WriteTimeout is cleared for the stream. Default 30 s; negative: none.
	WriteTimeout time.Duration

	// Initial, when set, is called on a fresh connection (no Last-Event-ID)
	// just after subscribing, and the event it returns, if ok, is sent
	// first: a snapshot of the state the following events update. Leave its
	// ID 0 to have ServeSSE give it the id of the newest event the snapshot
	// already reflects (Subscription.Start), so that a client reconnecting
	// after it misses nothing. Events published while the snapshot is taken
	// may be sent after it although it already reflects them: each event
	// should be safe to apply twice (carry whole values, or a Revision the
	// client compares). Called on the request's goroutine; use
	// r.Context() inside it.
	Initial func() (Event, bool)
	// Filter, when set, sees every event of the topic (not the snapshot from
	// Initial, nor a reset) before it is written, and returns what to write,
	// or false to skip it: remove what this listener must not see, or
	// render the data for it (for example as an HTML fragment in its
	// language). It must not modify the Data it is given (shared by all
	// listeners); return a new slice instead. Called on the request's
	// goroutine.
	Filter func(Event) (Event, bool)
	// Spread, when positive, writes each event after a pause fixed for the
	// stream, chosen at random below Spread, so that the many streams of one
	// topic (a room of phones) do not all write at the same moment and hold
	// up every other request while they do. Events that arrive during the
	// pause go out in the same write.
	Spread time.Duration
	// Shutdown, when set, ends the stream when it is closed: close it from
	// http.Server.RegisterOnShutdown, since Shutdown does not cancel the
	// contexts of requests in flight and would otherwise wait for every
	// stream. Clients reconnect (to another instance, or after the restart)
	// and resume.
	Shutdown <-chan struct{}
	// Ended, when set, is called once the stream has started and ends, with
	// why: nil when the client went away, ErrSlowConsumer, ErrClosed or
	// ErrResync when the subscription was dropped, http.ErrServerClosed
	// after Shutdown, or the write error. For logs and metrics.
	Ended func(reason error)
}

// Defaults of SSEOptions.
const (
	DefaultHeartbeat    = 15 * time.Second
	DefaultRetry        = 2 * time.Second
	DefaultWriteTimeout = 30 * time.Second
)

// LastEventID returns the id a reconnecting client last saw: the
// Last-Event-ID header, or the lastEventId query parameter for clients that
// cannot set headers; 0 when there is none or it is not a number.
func LastEventID(r *http.Request) uint64 {
	v := r.Header.Get("Last-Event-ID")
	if v == "" {
		v = r.URL.Query().Get("lastEventId")
	}
	id, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0
	}
	return id
}

// ServeSSE streams topic to the client as Server-Sent Events until the
// client goes away or the subscription is dropped.
//
// It resumes after LastEventID(r) (replaying the events the client missed,
// or sending a "reset" event when they are no longer retained), or, on a
// fresh connection, sends opts.Initial's snapshot first. Every event is
// written as "id:", "event:" (its Type) and "data:" lines and flushed at
// once; a comment line is sent every opts.Heartbeat.
//
// It returns an error only when the stream could not start (subscribing
// failed, or w cannot flush); nothing has then been written and the caller
// may answer with an error. Once the stream has started it returns nil, and
// opts.Ended learns why it ended: a dropped client reconnects by itself.
func ServeSSE(w http.ResponseWriter, r *http.Request, b Broker, topic string, opts SSEOptions) error {
	if opts.Heartbeat == 0 {
		opts.Heartbeat = DefaultHeartbeat
	}
	if opts.Retry <= 0 {
		opts.Retry = DefaultRetry
	}
	if opts.WriteTimeout == 0 {
		opts.WriteTimeout = DefaultWriteTimeout
	}
	if !canFlush(w) {
		return fmt.Errorf("live: %T cannot flush a stream: %w", w, http.ErrNotSupported)
	}
	ctx := r.Context()
	last := LastEventID(r)
	sub, err := b.Subscribe(ctx, topic, last)
	if err != nil {
		return fmt.Errorf("live: subscribe to %s: %w", topic, err)
	}
	defer sub.Close()

	rc := http.NewResponseController(w)
	s := &sseWriter{w: w, rc: rc, timeout: opts.WriteTimeout}
	if opts.Spread > 0 {
		s.pause = rand.N(opts.Spread)
	}
	// Streams outlive the server's WriteTimeout; each write gets its own
	// deadline instead.
	if err := rc.SetWriteDeadline(time.Time{}); errors.Is(err, http.ErrNotSupported) {
		s.noDeadline = true
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	h.Del("Content-Length")
	if r.ProtoMajor == 1 {
		// No chunked encoding: the body ends when the connection closes, as
		// the SSE specification suggests. net/http then writes an event of
		// any size in one system call instead of two or three (chunk header,
		// the 4 KiB buffer, the rest) — with 2,000 streams and several
		// updates a second, most of the cost of fanning out.
		h.Set("Transfer-Encoding", "identity")
	}
	w.WriteHeader(http.StatusOK)

	fmt.Fprintf(&s.buf, "retry: %d\n\n", opts.Retry.Milliseconds())
	if last == 0 && opts.Initial != nil {
		if ev, ok := opts.Initial(); ok {
			if ev.ID == 0 {
				ev.ID = sub.Start()
			}
			s.event(ev)
		}
	}
	if err := s.flush(); err != nil {
		if opts.Ended != nil {
			opts.Ended(err)
		}
		return nil
	}

	reason := s.loop(ctx.Done(), sub, opts)
	if opts.Ended != nil {
		opts.Ended(reason)
	}
	return nil
}

// loop writes events and heartbeats until the client goes away (nil), the
// subscription ends (its reason) or a write fails.
func (s *sseWriter) loop(done <-chan struct{}, sub *Subscription, opts SSEOptions) error {
	var beat <-chan time.Time
	if opts.Heartbeat > 0 {
		t := time.NewTicker(opts.Heartbeat)
		defer t.Stop()
		beat = t.C
	}
	for {
		select {
		case <-done:
			return nil
		case <-opts.Shutdown:
			return http.ErrServerClosed
		case <-beat:
			s.buf.WriteString(": heartbeat\n\n")
		case ev, ok := <-sub.C:
			if !ok {
				if err := sub.Err(); err != nil {
					return err
				}
				// Closed without a reason: by the request's context, when
				// the client went away (done is closed by then).
				select {
				case <-done:
					return nil
				default:
				}
				return ErrClosed
			}
			if s.pause > 0 {
				if reason, stop := s.wait(done, opts.Shutdown); stop {
					return reason
				}
			}
			s.send(ev, opts.Filter)
			// Write whatever else is already queued in the same flush.
		drain:
			for range 64 {
				select {
				case ev, ok := <-sub.C:
					if !ok {
						break drain // seen on the next turn
					}
					s.send(ev, opts.Filter)
				default:
					break drain
				}
			}
		}
		if err := s.flush(); err != nil {
			return err
		}
	}
}

// sseWriter formats events into buf and writes them out.
type sseWriter struct {
	w          http.ResponseWriter
	rc         *http.ResponseController
	buf        bytes.Buffer
	timeout    time.Duration
	noDeadline bool
	pause      time.Duration // before writing an event (SSEOptions.Spread)
	pauser     *time.Timer   // wait's timer, reused from event to event
}

// wait pauses before an event is written. It reports stop when the client
// went away (reason nil) or the server shuts down first.
func (s *sseWriter) wait(done, shutdown <-chan struct{}) (reason error, stop bool) {
	if s.pauser == nil {
		s.pauser = time.NewTimer(s.pause)
	} else {
		s.pauser.Reset(s.pause) // stopped or fired: Reset is safe (Go 1.23 timers)
	}
	t := s.pauser
	defer t.Stop()
	select {
	case <-t.C:
		return nil, false
	case <-done:
		return nil, true
	case <-shutdown:
		return http.ErrServerClosed, true
	}
}

// send formats ev unless the filter skips it. Without a filter it writes
// the frame the broker formatted once for every subscriber.
func (s *sseWriter) send(ev Event, filter func(Event) (Event, bool)) {
	if filter != nil && ev.Type != TypeReset {
		var ok bool
		if ev, ok = filter(ev); !ok {
			return
		}
		ev.frame = nil
	}
	if ev.frame != nil {
		s.buf.Write(ev.frame)
		return
	}
	s.event(ev)
}

// event formats one event. An empty ID writes an empty "id:" field, which
// clears the client's last event id.
func (s *sseWriter) event(ev Event) { appendFrame(&s.buf, ev) }

// frameOf returns ev formatted as an SSE frame, for all its subscribers.
func frameOf(ev Event) []byte {
	var b bytes.Buffer
	b.Grow(len(ev.Data) + 64)
	appendFrame(&b, ev)
	return b.Bytes()
}

// appendFrame writes ev to b in the text/event-stream format.
func appendFrame(b *bytes.Buffer, ev Event) {
	b.WriteString("id: ")
	if ev.ID != 0 {
		b.Write(strconv.AppendUint(b.AvailableBuffer(), ev.ID, 10))
	}
	b.WriteByte('\n')
	if ev.Type != "" {
		b.WriteString("event: ")
		b.WriteString(oneLine(ev.Type))
		b.WriteByte('\n')
	}
	// Each line of the data goes in its own "data:" field; the client joins
	// them with "\n". CR, LF and CRLF all end a line.
	data := ev.Data
	for {
		i := bytes.IndexAny(data, "\r\n")
		b.WriteString("data: ")
		if i < 0 {
			b.Write(data)
			b.WriteByte('\n')
			break
		}
		b.Write(data[:i])
		b.WriteByte('\n')
		if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
			i++
		}
		data = data[i+1:]
	}
	b.WriteByte('\n')
}

// flush writes buf to the client and flushes it.
func (s *sseWriter) flush() error {
	if s.timeout > 0 && !s.noDeadline {
		_ = s.rc.SetWriteDeadline(time.Now().Add(s.timeout))
	}
	if s.buf.Len() > 0 {
		_, err := s.w.Write(s.buf.Bytes())
		s.buf.Reset()
		if err != nil {
			return err
		}
	}
	return s.rc.Flush()
}

// oneLine drops line breaks from a field value.
func oneLine(v string) string {
	if !strings.ContainsAny(v, "\r\n") {
		return v
	}
	return strings.NewReplacer("\r", "", "\n", "").Replace(v)
}

// canFlush reports whether w, or a writer it wraps, can flush, as
// http.ResponseController would find it.
func canFlush(w http.ResponseWriter) bool {
	for {
		switch t := w.(type) {
		case http.Flusher, interface{ FlushError() error }:
			return true
		case interface{ Unwrap() http.ResponseWriter }:
			w = t.Unwrap()
		default:
			return false
		}
	}
}
