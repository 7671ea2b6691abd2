// Package live carries live updates of running workshops to the screens that
// follow them: participants' phones, the presenter view, the facilitator.
//
// A Broker assigns every event of a topic the next id, keeps the last
// Options.Retain events of each topic for resume, and fans them out to the
// topic's subscribers. Two brokers implement it:
//
//   - NewMemory, in-process, for one instance;
//   - NewPostgres, for several instances behind a load balancer: events are
//     stored in the table live_events and announced with NOTIFY, and every
//     instance feeds its own in-process fan-out from one LISTEN connection.
//
// ServeSSE streams a topic to a browser as Server-Sent Events, with
// heartbeats and resume by Last-Event-ID. Coalescer limits how often an
// expensive update (live aggregates) is computed and published.
//
// Slow consumers never hold up Publish: a subscriber whose buffer is full is
// dropped (its channel is closed and Err returns ErrSlowConsumer); an SSE
// client then reconnects with Last-Event-ID and resumes where it was.
package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"
)

// Event is one live update of a topic.
type Event struct {
	// ID increases by one with every event of the topic; a client resumes
	// after the last id it saw. Ids of different topics are unrelated.
	ID uint64
	// Topic is the topic the event was published on.
	Topic string
	// Type names the kind of event ("state", "progress", …); it becomes the
	// SSE event name. TypeReset is reserved for the broker.
	Type string
	// Revision is the version of the workshop state the event reflects
	// (0 when it reflects none).
	Revision int64
	// Data is the event's JSON. It is shared by every subscriber: read it,
	// never modify it.
	Data []byte

	// frame is the event formatted for Server-Sent Events, once for every
	// subscriber; nil when not made yet.
	frame []byte
}

// TypeReset is the type of the synthetic event a subscriber gets instead of
// a replay when the events after its Last-Event-ID are no longer retained
// (or the id is unknown): the client must reload its whole state. Its ID is
// the topic's newest id, so the client resumes from there afterwards; its
// Revision is the newest event's revision, when known.
const TypeReset = "reset"

// resetData is the Data of a reset event.
var resetData = []byte(`{"reset":true}`)

// Broker publishes events to topics and lets clients follow them.
//
// Implementations are safe for concurrent use.
type Broker interface {
	// Publish assigns the event the topic's next id, retains it for resume
	// and hands it to every subscriber of the topic, and returns it. It
	// never waits for subscribers. data is copied. Returns ErrInvalid for an
	// empty or too long topic, a reserved or malformed type, ErrClosed after
	// Close.
	Publish(ctx context.Context, topic, typ string, revision int64, data []byte) (Event, error)

	// Subscribe follows topic. With lastEventID 0 it delivers the events
	// published from now on. With lastEventID > 0 it first delivers the
	// retained events after that id, then live ones, with no gap and no
	// duplicate; when the events after that id are no longer retained, or
	// the id is unknown, it delivers one event of type TypeReset instead.
	//
	// The subscription ends when Close is called, when ctx is done, when the
	// subscriber falls Options.Buffer events behind (ErrSlowConsumer), or
	// when the broker closes (ErrClosed); its channel is then closed.
	Subscribe(ctx context.Context, topic string, lastEventID uint64) (*Subscription, error)

	// Close ends every subscription with ErrClosed and releases the
	// broker's resources. Publish and Subscribe then return ErrClosed.
	Close() error
}

// Errors.
var (
	// ErrSlowConsumer ends a subscription whose buffer was full when an
	// event had to be delivered to it.
	ErrSlowConsumer = errors.New("live: subscriber too slow, dropped")
	// ErrClosed is returned after the broker is closed, and ends its
	// subscriptions.
	ErrClosed = errors.New("live: broker closed")
	// ErrResync ends the subscriptions of a topic whose events this instance
	// missed and cannot replay (PostgreSQL broker after a long disconnect);
	// the client reconnects and resumes or resets from the table.
	ErrResync = errors.New("live: topic resynchronised, reconnect")
	// ErrInvalid is returned for a malformed topic or event type.
	ErrInvalid = errors.New("live: invalid topic or event type")
)

// Options tune a broker. The zero value of each field selects its default.
type Options struct {
	// Retain is how many of the newest events of each topic are kept for
	// resume (in memory, and in live_events for the PostgreSQL broker).
	// A subscriber that missed more gets a reset. Default 256.
	Retain int
	// Buffer is how many live events a subscriber may fall behind before it
	// is dropped. A resuming subscriber's channel has room for its replay on
	// top. Default 64 (3 s of a presenter sending 20 updates a second).
	Buffer int
	// TopicTTL is how long a topic without subscribers and without new
	// events keeps its in-memory state; later resumes on it reset (memory
	// broker) or read the table (PostgreSQL broker). Default 30 minutes.
	TopicTTL time.Duration

	// PostgreSQL broker only.

	// Channel is the NOTIFY channel. Default "waymark_live".
	Channel string
	// MaxAge is how long events stay in live_events. Default 24 hours.
	MaxAge time.Duration
	// Log receives the broker's warnings (lost connection, reconnect).
	// Default slog.Default().
	Log *slog.Logger
}

// Defaults.
const (
	DefaultRetain   = 256
	DefaultBuffer   = 64
	DefaultTopicTTL = 30 * time.Minute
	DefaultChannel  = "waymark_live"
	DefaultMaxAge   = 24 * time.Hour
)

// Limits on topics and event types. NOTIFY payloads must stay under 8,000
// bytes, and both go into every payload.
const (
	MaxTopicLen = 200
	MaxTypeLen  = 64
)

func (o Options) withDefaults() Options {
	if o.Retain <= 0 {
		o.Retain = DefaultRetain
	}
	if o.Buffer <= 0 {
		o.Buffer = DefaultBuffer
	}
	if o.TopicTTL <= 0 {
		o.TopicTTL = DefaultTopicTTL
	}
	if o.Channel == "" {
		o.Channel = DefaultChannel
	}
	if o.MaxAge <= 0 {
		o.MaxAge = DefaultMaxAge
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	return o
}

// validate checks a topic and an event type.
func validate(topic, typ string) error {
	if topic == "" || len(topic) > MaxTopicLen || !utf8.ValidString(topic) || strings.ContainsAny(topic, "\x00\r\n") {
		return fmt.Errorf("%w: topic %q", ErrInvalid, topic)
	}
	if typ == TypeReset || len(typ) > MaxTypeLen || !utf8.ValidString(typ) || strings.ContainsAny(typ, "\x00\r\n") {
		return fmt.Errorf("%w: event type %q", ErrInvalid, typ)
	}
	return nil
}

// Subscription follows one topic. Read events from C until it is closed,
// then Err says why.
type Subscription struct {
	// C delivers the events in id order. It is closed when the subscription
	// ends.
	C <-chan Event

	ch     chan Event
	t      *topic
	idx    int         // position in t.subs; -1 once removed (guarded by t.mu)
	after  uint64      // live events with ids up to this are already queued
	err    error       // why it ended (guarded by t.mu)
	stopFn func() bool // stops the context's callback (guarded by t.mu)
}

// Err returns why the subscription ended: nil while it runs or after Close,
// ErrSlowConsumer, ErrResync or ErrClosed.
func (s *Subscription) Err() error {
	s.t.mu.Lock()
	defer s.t.mu.Unlock()
	return s.err
}

// Start returns the newest id of the topic that the subscription's first
// event follows: the id to give a snapshot taken after subscribing, so that
// a client resuming from it misses nothing. It is 0 when the topic has no
// events yet.
func (s *Subscription) Start() uint64 { return s.after }

// Close ends the subscription and closes C. It is safe to call more than
// once and concurrently with delivery.
func (s *Subscription) Close() {
	s.t.mu.Lock()
	s.t.remove(s, nil)
	s.t.mu.Unlock()
}
