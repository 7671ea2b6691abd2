package live

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// newBrokerFunc returns a fresh broker with opts, closed when t ends.
type newBrokerFunc func(t *testing.T, opts Options) Broker

// newMemory is the newBrokerFunc of the memory broker.
func newMemory(t *testing.T, opts Options) Broker {
	b := NewMemoryWith(opts)
	t.Cleanup(func() { b.Close() })
	return b
}

// TestMemoryBroker runs the broker contract on the memory broker.
func TestMemoryBroker(t *testing.T) { runBrokerContract(t, newMemory) }

// runBrokerContract runs the tests every Broker must pass.
func runBrokerContract(t *testing.T, newBroker newBrokerFunc) {
	t.Run("OrderAndIDs", func(t *testing.T) { testOrderAndIDs(t, newBroker) })
	t.Run("ResumeNoGapNoDuplicate", func(t *testing.T) { testResume(t, newBroker) })
	t.Run("ResumeDuringPublishing", func(t *testing.T) { testResumeDuringPublishing(t, newBroker) })
	t.Run("ResetWhenTooOld", func(t *testing.T) { testReset(t, newBroker) })
	t.Run("SlowConsumerDropped", func(t *testing.T) { testSlowConsumer(t, newBroker) })
	t.Run("Close", func(t *testing.T) { testClose(t, newBroker) })
	t.Run("Invalid", func(t *testing.T) { testInvalid(t, newBroker) })
}

// waitTimeout bounds every wait for an event in these tests.
const waitTimeout = 10 * time.Second

// recv reads n events from s, failing t if they do not come in time or the
// subscription ends.
func recv(t testing.TB, s *Subscription, n int) []Event {
	t.Helper()
	var got []Event
	timer := time.NewTimer(waitTimeout)
	defer timer.Stop()
	for len(got) < n {
		select {
		case ev, ok := <-s.C:
			if !ok {
				t.Fatalf("subscription ended after %d of %d events: %v", len(got), n, s.Err())
			}
			got = append(got, ev)
		case <-timer.C:
			t.Fatalf("got %d of %d events in %s", len(got), n, waitTimeout)
		}
	}
	return got
}

// quiet fails t if s delivers anything within d.
func quiet(t testing.TB, s *Subscription, d time.Duration) {
	t.Helper()
	select {
	case ev, ok := <-s.C:
		t.Fatalf("unexpected event %+v (open %v)", ev, ok)
	case <-time.After(d):
	}
}

func mustPublish(t testing.TB, b Broker, topic, typ string, rev int64, data string) Event {
	t.Helper()
	ev, err := b.Publish(context.Background(), topic, typ, rev, []byte(data))
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	return ev
}

func mustSubscribe(t testing.TB, b Broker, topic string, last uint64) *Subscription {
	t.Helper()
	s, err := b.Subscribe(context.Background(), topic, last)
	if err != nil {
		t.Fatalf("subscribe %s after %d: %v", topic, last, err)
	}
	t.Cleanup(s.Close)
	return s
}

// sameEvent fails t unless got is want.
func sameEvent(t testing.TB, got, want Event) {
	t.Helper()
	if got.ID != want.ID || got.Topic != want.Topic || got.Type != want.Type || got.Revision != want.Revision || string(got.Data) != string(want.Data) {
		t.Fatalf("got event %+v (data %s), want %+v (data %s)", got, got.Data, want, want.Data)
	}
}

// testOrderAndIDs ensures that subscribers receive every event of their
// topic, and only those, in the order published, that ids increase by one
// per topic independently of other topics, and that Publish returns the
// event as delivered.
func testOrderAndIDs(t *testing.T, newBroker newBrokerFunc) {
	b := newBroker(t, Options{})
	a1 := mustSubscribe(t, b, "workshop/a", 0)
	a2 := mustSubscribe(t, b, "workshop/a", 0)
	bs := mustSubscribe(t, b, "workshop/b", 0)

	var wantA, wantB []Event
	for i := range 60 {
		wantA = append(wantA, mustPublish(t, b, "workshop/a", "progress", int64(i), fmt.Sprintf(`{"n":%d}`, i)))
		if i%3 == 0 {
			wantB = append(wantB, mustPublish(t, b, "workshop/b", "state", int64(i), fmt.Sprintf(`{"b":%d}`, i)))
		}
	}
	for i := 1; i < len(wantA); i++ {
		if wantA[i].ID != wantA[i-1].ID+1 {
			t.Fatalf("ids of topic a not consecutive: %d after %d", wantA[i].ID, wantA[i-1].ID)
		}
	}
	for i := 1; i < len(wantB); i++ {
		if wantB[i].ID != wantB[i-1].ID+1 {
			t.Fatalf("ids of topic b not consecutive: %d after %d (publishing on a in between)", wantB[i].ID, wantB[i-1].ID)
		}
	}
	for _, s := range []*Subscription{a1, a2} {
		for i, ev := range recv(t, s, len(wantA)) {
			sameEvent(t, ev, wantA[i])
		}
	}
	for i, ev := range recv(t, bs, len(wantB)) {
		sameEvent(t, ev, wantB[i])
	}
	quiet(t, a1, 50*time.Millisecond)
	quiet(t, bs, 0)
}

// testResume ensures that a subscriber resuming after an id gets exactly
// the retained events after it, then the live ones, with no gap and no
// duplicate, and that resuming at the newest id replays nothing.
func testResume(t *testing.T, newBroker newBrokerFunc) {
	b := newBroker(t, Options{Retain: 32})
	var pub []Event
	for i := range 20 {
		pub = append(pub, mustPublish(t, b, "t", "e", int64(i+1), fmt.Sprintf(`{"i":%d}`, i)))
	}
	froms := []int{0, 5, 18, 19} // resume after pub[from]
	var subs []*Subscription
	for _, from := range froms {
		s := mustSubscribe(t, b, "t", pub[from].ID)
		for i, ev := range recv(t, s, 19-from) {
			sameEvent(t, ev, pub[from+1+i])
		}
		quiet(t, s, 0)
		subs = append(subs, s)
	}
	quiet(t, subs[3], 50*time.Millisecond)
	live := mustPublish(t, b, "t", "e", 99, `{"live":true}`)
	for _, s := range subs {
		sameEvent(t, recv(t, s, 1)[0], live)
		quiet(t, s, 0)
	}
	// A fresh subscriber gets no replay, only what follows.
	s := mustSubscribe(t, b, "t", 0)
	quiet(t, s, 50*time.Millisecond)
	next := mustPublish(t, b, "t", "e", 100, `{}`)
	sameEvent(t, recv(t, s, 1)[0], next)
	if s.Start() != next.ID-1 {
		t.Fatalf("Start() = %d, want %d (the newest id before the subscription)", s.Start(), next.ID-1)
	}
}

// testResumeDuringPublishing ensures that subscribers resuming while events
// are being published get every event after their id exactly once, in
// order: none lost between the replay and the live events, none twice.
func testResumeDuringPublishing(t *testing.T, newBroker newBrokerFunc) {
	const before, during, subscribers = 30, 150, 24
	b := newBroker(t, Options{Retain: 256, Buffer: before + during})
	first := mustPublish(t, b, "w", "e", 0, `{}`)
	for i := 1; i < before; i++ {
		mustPublish(t, b, "w", "e", int64(i), `{}`)
	}
	final := first.ID + before + during - 1

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, subscribers+1)
	wg.Go(func() {
		for i := range during {
			if _, err := b.Publish(ctx, "w", "e", int64(before+i), []byte(`{}`)); err != nil {
				errs <- err
				return
			}
			if i%10 == 0 {
				time.Sleep(time.Millisecond)
			}
		}
	})
	for k := range subscribers {
		wg.Go(func() {
			time.Sleep(time.Duration(k) * 500 * time.Microsecond)
			last := first.ID + uint64(k%before)
			s, err := b.Subscribe(ctx, "w", last)
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			timeout := time.After(waitTimeout)
			for want := last + 1; want <= final; want++ {
				select {
				case ev, ok := <-s.C:
					if !ok {
						errs <- fmt.Errorf("subscriber after %d: ended at %d: %v", last, want, s.Err())
						return
					}
					if ev.ID != want {
						errs <- fmt.Errorf("subscriber after %d: got id %d (%s), want %d", last, ev.ID, ev.Type, want)
						return
					}
				case <-timeout:
					errs <- fmt.Errorf("subscriber after %d: waited for %d", last, want)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// testReset ensures that a subscriber resuming after an id older than the
// retained events, or after an id the topic never gave, gets a single
// "reset" event carrying the newest id instead of a replay, then the live
// events; and that the oldest resumable id still replays.
func testReset(t *testing.T, newBroker newBrokerFunc) {
	const retain = 8
	b := newBroker(t, Options{Retain: retain})
	var pub []Event
	for i := range 20 {
		pub = append(pub, mustPublish(t, b, "t", "e", int64(100+i), `{}`))
	}
	newest := pub[19]

	for _, last := range []uint64{pub[2].ID, pub[19-retain-1].ID, newest.ID + 5, 1} {
		s := mustSubscribe(t, b, "t", last)
		got := recv(t, s, 1)[0]
		if got.Type != TypeReset || got.ID != newest.ID || got.Revision != newest.Revision || got.Topic != "t" {
			t.Fatalf("resume after %d: got %+v, want a reset at id %d revision %d", last, got, newest.ID, newest.Revision)
		}
		quiet(t, s, 30*time.Millisecond)
		s.Close()
	}

	// The oldest retained event can still be resumed from.
	s := mustSubscribe(t, b, "t", pub[19-retain].ID)
	for i, ev := range recv(t, s, retain) {
		sameEvent(t, ev, pub[20-retain+i])
	}
	// After a reset, live events follow.
	r := mustSubscribe(t, b, "t", pub[0].ID)
	if ev := recv(t, r, 1)[0]; ev.Type != TypeReset {
		t.Fatalf("got %+v, want a reset", ev)
	}
	live := mustPublish(t, b, "t", "e", 200, `{"x":1}`)
	sameEvent(t, recv(t, r, 1)[0], live)
	sameEvent(t, recv(t, s, 1)[0], live)
}

// testSlowConsumer ensures that a subscriber that does not read never
// holds up Publish: once its buffer is full it is dropped, its channel
// closed after the buffered events, and Err says ErrSlowConsumer; other
// subscribers receive everything.
func testSlowConsumer(t *testing.T, newBroker newBrokerFunc) {
	const buffer, n = 4, 40
	b := newBroker(t, Options{Buffer: buffer})
	slow := mustSubscribe(t, b, "t", 0)
	fast := mustSubscribe(t, b, "t", 0)
	// The publisher waits for the fast subscriber after each event (so that
	// it is never dropped), never for the slow one.
	done := make(chan error, 1)
	go func() {
		for i := range n {
			want, err := b.Publish(context.Background(), "t", "e", int64(i), []byte(`{}`))
			if err != nil {
				done <- err
				return
			}
			select {
			case ev, ok := <-fast.C:
				if !ok || ev.ID != want.ID {
					done <- fmt.Errorf("fast subscriber got %+v (open %v), want id %d", ev, ok, want.ID)
					return
				}
			case <-time.After(waitTimeout):
				done <- fmt.Errorf("fast subscriber did not get event %d", i)
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * waitTimeout):
		t.Fatal("Publish blocked by a subscriber that does not read")
	}

	var buffered int
	for range slow.C {
		buffered++
	}
	if buffered != buffer {
		t.Errorf("slow subscriber had %d events buffered, want %d", buffered, buffer)
	}
	if !errors.Is(slow.Err(), ErrSlowConsumer) {
		t.Errorf("Err() = %v, want ErrSlowConsumer", slow.Err())
	}
	if fast.Err() != nil {
		t.Errorf("fast subscriber Err() = %v, want nil", fast.Err())
	}
}

// testClose ensures that Subscription.Close closes the channel with no
// error, that cancelling Subscribe's context ends the subscription, and
// that closing the broker ends every subscription with ErrClosed and makes
// Publish and Subscribe fail with ErrClosed.
func testClose(t *testing.T, newBroker newBrokerFunc) {
	b := newBroker(t, Options{})
	s := mustSubscribe(t, b, "t", 0)
	s.Close()
	s.Close() // twice is fine
	if _, ok := <-s.C; ok {
		t.Fatal("channel open after Close")
	}
	if s.Err() != nil {
		t.Fatalf("Err() after Close = %v, want nil", s.Err())
	}

	ctx, cancel := context.WithCancel(context.Background())
	c, err := b.Subscribe(ctx, "t", 0)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case _, ok := <-c.C:
		if ok {
			t.Fatal("event after the context was cancelled")
		}
	case <-time.After(waitTimeout):
		t.Fatal("cancelling the context did not end the subscription")
	}
	if _, err := b.Subscribe(ctx, "t", 0); !errors.Is(err, context.Canceled) {
		t.Fatalf("Subscribe with a cancelled context: %v", err)
	}

	open := mustSubscribe(t, b, "t", 0)
	other := mustSubscribe(t, b, "u", 0)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	for _, s := range []*Subscription{open, other} {
		if _, ok := <-s.C; ok {
			t.Fatal("channel open after the broker closed")
		}
		if !errors.Is(s.Err(), ErrClosed) {
			t.Fatalf("Err() = %v, want ErrClosed", s.Err())
		}
	}
	if _, err := b.Publish(context.Background(), "t", "e", 0, nil); !errors.Is(err, ErrClosed) {
		t.Fatalf("Publish after Close: %v", err)
	}
	if _, err := b.Subscribe(context.Background(), "t", 0); !errors.Is(err, ErrClosed) {
		t.Fatalf("Subscribe after Close: %v", err)
	}
}

// testInvalid ensures that malformed topics and event types, and the
// reserved type "reset", are refused with ErrInvalid.
func testInvalid(t *testing.T, newBroker newBrokerFunc) {
	b := newBroker(t, Options{})
	long := string(make([]byte, MaxTopicLen+1))
	for _, c := range []struct{ topic, typ string }{
		{"", "e"}, {long, "e"}, {"a\nb", "e"}, {"t", TypeReset}, {"t", "a\nb"}, {"t", "a\rb"},
	} {
		if _, err := b.Publish(context.Background(), c.topic, c.typ, 0, nil); !errors.Is(err, ErrInvalid) {
			t.Errorf("Publish(%q, %q) = %v, want ErrInvalid", c.topic, c.typ, err)
		}
	}
	if _, err := b.Subscribe(context.Background(), "", 0); !errors.Is(err, ErrInvalid) {
		t.Errorf("Subscribe(\"\") = %v, want ErrInvalid", err)
	}
}

// TestMemoryIDsAfterRestart ensures that a new memory broker (a restarted
// instance) gives ids above those of the one before, so that a client
// resuming with an old id gets a reset, never another event's id.
func TestMemoryIDsAfterRestart(t *testing.T) {
	a := newMemory(t, Options{})
	var last Event
	for range 10 {
		last = mustPublish(t, a, "t", "e", 1, `{}`)
	}
	a.Close()
	time.Sleep(time.Millisecond)
	b := newMemory(t, Options{})
	first := mustPublish(t, b, "t", "e", 1, `{}`)
	if first.ID <= last.ID {
		t.Fatalf("first id after restart %d, not above %d", first.ID, last.ID)
	}
	if first.ID >= 1<<53 {
		t.Fatalf("id %d not exact in JavaScript", first.ID)
	}
	s := mustSubscribe(t, b, "t", last.ID)
	if ev := recv(t, s, 1)[0]; ev.Type != TypeReset || ev.ID != first.ID {
		t.Fatalf("resume after a restart: got %+v, want a reset at %d", ev, first.ID)
	}
}

// TestMemoryTopicEviction ensures that idle topics without subscribers are
// forgotten after TopicTTL, that topics with subscribers are kept, and that
// resuming on a forgotten topic resets.
func TestMemoryTopicEviction(t *testing.T) {
	b := NewMemoryWith(Options{TopicTTL: 20 * time.Millisecond}).(*memory)
	defer b.Close()
	old := mustPublish(t, b, "idle", "e", 1, `{}`)
	mustPublish(t, b, "busy", "e", 1, `{}`)
	s := mustSubscribe(t, b, "busy", 0)
	time.Sleep(30 * time.Millisecond)
	b.h.sweep()
	if got := b.h.lastID("idle"); got != 0 {
		t.Fatalf("idle topic kept (last id %d)", got)
	}
	if b.h.lastID("busy") == 0 {
		t.Fatal("topic with a subscriber evicted")
	}
	next := mustPublish(t, b, "busy", "e", 2, `{}`)
	sameEvent(t, recv(t, s, 1)[0], next)
	r := mustSubscribe(t, b, "idle", old.ID)
	if ev := recv(t, r, 1)[0]; ev.Type != TypeReset {
		t.Fatalf("resume on an evicted topic: got %+v, want a reset", ev)
	}
}

// TestPublishCopiesData ensures that changing the slice given to Publish
// afterwards changes nothing delivered or retained.
func TestPublishCopiesData(t *testing.T) {
	b := newMemory(t, Options{})
	s := mustSubscribe(t, b, "t", 0)
	data := []byte(`{"a":1}`)
	ev, _ := b.Publish(context.Background(), "t", "e", 1, data)
	copy(data, `{"b":2}`)
	if got := recv(t, s, 1)[0]; string(got.Data) != `{"a":1}` {
		t.Fatalf("delivered %s", got.Data)
	}
	r := mustSubscribe(t, b, "t", ev.ID-1)
	if got := recv(t, r, 1)[0]; string(got.Data) != `{"a":1}` {
		t.Fatalf("replayed %s", got.Data)
	}
}

// TestFanoutAllocations ensures that delivering an event to many
// subscribers allocates nothing per subscriber.
func TestFanoutAllocations(t *testing.T) {
	b := newMemory(t, Options{Buffer: 1024})
	subs := make([]*Subscription, 500)
	for i := range subs {
		subs[i] = mustSubscribe(t, b, "t", 0)
	}
	data := []byte(`{}`)
	allocs := testing.AllocsPerRun(100, func() {
		b.Publish(context.Background(), "t", "e", 1, data)
	})
	if allocs > 2 {
		t.Fatalf("%.0f allocations per Publish to %d subscribers", allocs, len(subs))
	}
}
