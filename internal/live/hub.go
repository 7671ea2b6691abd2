package live

import (
	"context"
	"sync"
	"time"
)

// hub is the in-process fan-out both brokers use: per topic, a ring of the
// newest events and the list of subscribers, under the topic's own mutex.
//
// Delivery is a non-blocking channel send per subscriber, done by the
// publisher under the topic's mutex: no goroutine per subscriber, no
// allocation per subscriber and event, and a subscriber whose channel is
// full is dropped instead of waited for. Subscribing queues the replay into
// the new channel under the same mutex, so that no event can slip in
// between the replay and the live ones.
//
// Lock order: hub.mu, then topic.mu; never hub.mu while holding topic.mu.
type hub struct {
	opts Options
	// base returns the newest id of a topic that has no state yet: for the
	// memory broker the clock in microseconds, so that ids of a topic
	// recreated after a restart or an eviction are greater than any before;
	// for the PostgreSQL broker 0 (ids come from the table).
	base func() uint64

	mu        sync.Mutex
	topics    map[string]*topic
	closed    bool
	lastSweep time.Time
}

type topic struct {
	name string

	mu      sync.Mutex
	ring    []Event // circular buffer of the newest events, len(ring) == Retain
	head    int     // index of the oldest event in ring
	n       int     // events in ring
	lastID  uint64  // newest id
	lastRev int64   // revision of the newest event
	subs    []*Subscription
	touched time.Time // last event, subscription or unsubscription
	dead    bool      // removed from the hub (evicted or closed)
	seeded  bool      // lastID was read from durable storage
}

func newHub(opts Options, base func() uint64) *hub {
	return &hub{opts: opts.withDefaults(), base: base, topics: map[string]*topic{}, lastSweep: time.Now()}
}

// get returns the state of topic name, creating it when create is set.
// It returns nil, nil when the topic has no state and create is unset.
func (h *hub) get(name string, create bool) (*topic, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, ErrClosed
	}
	t := h.topics[name]
	if t == nil && create {
		if time.Since(h.lastSweep) > h.opts.TopicTTL/4 {
			h.sweepLocked()
		}
		t = &topic{name: name, ring: make([]Event, h.opts.Retain), lastID: h.base(), touched: time.Now()}
		h.topics[name] = t
	}
	return t, nil
}

// lock returns topic name locked, creating it if needed. The caller
// unlocks t.mu.
func (h *hub) lock(name string) (*topic, error) {
	for {
		t, err := h.get(name, true)
		if err != nil {
			return nil, err
		}
		t.mu.Lock()
		if !t.dead {
			return t, nil
		}
		t.mu.Unlock() // evicted meanwhile: look again
	}
}

// sweep drops the state of topics without subscribers that saw nothing for
// TopicTTL.
func (h *hub) sweep() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.sweepLocked()
}

func (h *hub) sweepLocked() {
	h.lastSweep = time.Now()
	for name, t := range h.topics {
		t.mu.Lock()
		if len(t.subs) == 0 && time.Since(t.touched) > h.opts.TopicTTL {
			t.dead = true
			delete(h.topics, name)
		}
		t.mu.Unlock()
	}
}

// publish appends an event with the topic's next id and delivers it.
func (h *hub) publish(name, typ string, revision int64, data []byte) (Event, error) {
	t, err := h.lock(name)
	if err != nil {
		return Event{}, err
	}
	ev := Event{ID: t.lastID + 1, Topic: t.name, Type: typ, Revision: revision, Data: data}
	ev.frame = frameOf(ev)
	t.append(ev)
	t.fanout(ev)
	t.mu.Unlock()
	return ev, nil
}

// deliver appends an event whose id was assigned elsewhere (the table) and
// delivers it, unless the topic already has it. It reports whether it was
// new.
func (h *hub) deliver(ev Event) (bool, error) {
	t, err := h.lock(ev.Topic)
	if err != nil {
		return false, err
	}
	defer t.mu.Unlock()
	if ev.ID <= t.lastID {
		return false, nil
	}
	ev.Topic = t.name // share one string
	ev.frame = frameOf(ev)
	t.append(ev)
	t.fanout(ev)
	return true, nil
}

// lastID returns the newest id the hub has of topic name, 0 when it keeps
// no state for it.
func (h *hub) lastID(name string) uint64 {
	id, _ := h.position(name)
	return id
}

// position returns the newest id the hub has of topic name, and whether
// that is the topic's true position (an event was seen, or storage was
// read), so that a later id shows a gap.
func (h *hub) position(name string) (uint64, bool) {
	t, err := h.get(name, false)
	if err != nil || t == nil {
		return 0, false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dead {
		return 0, false
	}
	return t.lastID, t.lastID != 0 || t.seeded
}

// needsSeed reports whether the hub does not know the newest id of topic
// name (PostgreSQL broker: it must read it from the table before a
// subscriber's starting point means anything).
func (h *hub) needsSeed(name string) bool {
	_, known := h.position(name)
	return !known
}

// seed records the newest id of topic name read from durable storage,
// unless the hub already has a newer one.
func (h *hub) seed(name string, lastID uint64, rev int64) error {
	t, err := h.lock(name)
	if err != nil {
		return err
	}
	defer t.mu.Unlock()
	t.seeded = true
	if lastID > t.lastID && t.n == 0 {
		t.lastID, t.lastRev = lastID, rev
	}
	return nil
}

// names returns the topics the hub keeps state for.
func (h *hub) names() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	names := make([]string, 0, len(h.topics))
	for name := range h.topics {
		names = append(names, name)
	}
	return names
}

// resync forgets what the hub knows of topic name and ends its
// subscriptions with ErrResync: used when events were missed that cannot be
// replayed.
func (h *hub) resync(name string) {
	h.mu.Lock()
	t := h.topics[name]
	if t != nil {
		delete(h.topics, name)
	}
	h.mu.Unlock()
	if t == nil {
		return
	}
	t.mu.Lock()
	t.dead = true
	for len(t.subs) > 0 {
		t.remove(t.subs[len(t.subs)-1], ErrResync)
	}
	t.mu.Unlock()
}

// close ends every subscription with ErrClosed.
func (h *hub) close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	topics := h.topics
	h.topics = nil
	h.mu.Unlock()
	for _, t := range topics {
		t.mu.Lock()
		t.dead = true
		for len(t.subs) > 0 {
			t.remove(t.subs[len(t.subs)-1], ErrClosed)
		}
		t.mu.Unlock()
	}
}

// backfill is what durable storage (the table) knows after a subscriber's
// Last-Event-ID.
type backfill struct {
	events []Event // ascending and contiguous from lastEventID+1; may be empty
	upTo   uint64  // newest id in storage
	rev    int64   // revision of that event
	reset  bool    // storage cannot replay after lastEventID
}

// attach subscribes to topic name after lastEventID (see Broker.Subscribe),
// replaying from bf and then from the ring. When bf is nil and strict is
// set, it returns nil instead of a reset if the ring cannot replay, so that
// the caller can read durable storage and try again.
func (h *hub) attach(ctx context.Context, name string, last uint64, bf *backfill, strict bool) (*Subscription, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t, err := h.lock(name)
	if err != nil {
		return nil, err
	}
	defer t.mu.Unlock()

	var replay []Event
	from := t.lastID // everything up to from is queued or was seen
	if last > 0 {
		from = last
		reset := false
		if bf != nil {
			if bf.reset {
				reset = true
			} else {
				replay = bf.events
				from = max(from, bf.upTo)
			}
		}
		switch {
		case reset:
		case from < t.lastID:
			// The ring must still hold from+1.
			if t.n == 0 || t.ring[t.head].ID > from+1 {
				reset = true
				break
			}
			replay = t.appendSince(replay, from)
			from = t.lastID
		case from > t.lastID && bf == nil:
			// An id this topic never gave out here: the broker restarted or
			// forgot the topic.
			reset = true
		}
		if reset {
			if bf == nil && strict {
				return nil, nil
			}
			ev := Event{ID: t.lastID, Topic: t.name, Type: TypeReset, Revision: t.lastRev, Data: resetData}
			if bf != nil && bf.upTo > ev.ID {
				ev.ID, ev.Revision = bf.upTo, bf.rev
			}
			replay = []Event{ev}
			from = max(ev.ID, t.lastID)
		}
	}

	ch := make(chan Event, len(replay)+h.opts.Buffer)
	for _, ev := range replay {
		ch <- ev
	}
	s := &Subscription{C: ch, ch: ch, t: t, after: from, idx: len(t.subs)}
	t.subs = append(t.subs, s)
	t.touched = time.Now()
	if ctx.Done() != nil {
		s.stopFn = context.AfterFunc(ctx, s.Close)
	}
	return s, nil
}

// append adds ev to the ring. The caller holds t.mu.
func (t *topic) append(ev Event) {
	i := (t.head + t.n) % len(t.ring)
	if t.n == len(t.ring) {
		t.head = (t.head + 1) % len(t.ring)
	} else {
		t.n++
	}
	t.ring[i] = ev
	t.lastID, t.lastRev = ev.ID, ev.Revision
	t.touched = time.Now()
}

// appendSince appends the ring's events with ids above id to dst. The
// caller holds t.mu.
func (t *topic) appendSince(dst []Event, id uint64) []Event {
	for k := range t.n {
		ev := t.ring[(t.head+k)%len(t.ring)]
		if ev.ID > id {
			dst = append(dst, ev)
		}
	}
	return dst
}

// fanout hands ev to every subscriber without waiting; a subscriber whose
// channel is full is dropped. The caller holds t.mu.
func (t *topic) fanout(ev Event) {
	for i := 0; i < len(t.subs); {
		s := t.subs[i]
		if ev.ID <= s.after {
			i++
			continue
		}
		select {
		case s.ch <- ev:
			i++
		default:
			t.remove(s, ErrSlowConsumer) // moves the last subscriber to i
		}
	}
}

// remove unregisters s and closes its channel, recording why. The caller
// holds t.mu.
func (t *topic) remove(s *Subscription, err error) {
	if s.idx < 0 {
		return
	}
	last := len(t.subs) - 1
	moved := t.subs[last]
	t.subs[s.idx] = moved
	moved.idx = s.idx
	t.subs[last] = nil
	t.subs = t.subs[:last]
	s.idx = -1
	s.err = err
	close(s.ch)
	if s.stopFn != nil {
		s.stopFn() // forget the context's callback; it does not wait for it
	}
	t.touched = time.Now()
}

// subscribers returns how many subscribers topic name has (for tests and
// metrics).
func (h *hub) subscribers(name string) int {
	t, err := h.get(name, false)
	if err != nil || t == nil {
		return 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.subs)
}
