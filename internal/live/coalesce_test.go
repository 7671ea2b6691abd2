package live

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// TestCoalescer ensures, on a fake clock, that the first update after a
// quiet interval is published at once, that a burst of updates within the
// interval becomes one event with the newest state at the end of the
// interval, that render runs once per published event, and that Close
// drops what is pending and leaves no goroutine behind.
func TestCoalescer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := NewMemory()
		defer b.Close()
		s, _ := b.Subscribe(t.Context(), "w", 0)
		c := NewCoalescer(b, 100*time.Millisecond, nil)
		var renders atomic.Int32
		update := func(rev int64) {
			c.Update("w", "progress", func(ctx context.Context) (int64, []byte, error) {
				renders.Add(1)
				return rev, []byte(`{"rev":` + strconv.FormatInt(rev, 10) + `}`), nil
			})
		}
		next := func() (Event, bool) {
			synctest.Wait()
			select {
			case ev := <-s.C:
				return ev, true
			default:
				return Event{}, false
			}
		}

		update(1)
		if ev, ok := next(); !ok || ev.Revision != 1 {
			t.Fatalf("first update not published at once: %+v %v", ev, ok)
		}
		for rev := int64(2); rev <= 50; rev++ {
			update(rev)
			time.Sleep(time.Millisecond)
		}
		if _, ok := next(); ok {
			t.Fatal("published within the interval")
		}
		time.Sleep(100*time.Millisecond - 49*time.Millisecond)
		if ev, ok := next(); !ok || ev.Revision != 50 || string(ev.Data) != `{"rev":50}` {
			t.Fatalf("burst: got %+v %v, want one event with revision 50", ev, ok)
		}
		if _, ok := next(); ok {
			t.Fatal("more than one event for the burst")
		}
		if n := renders.Load(); n != 2 {
			t.Fatalf("render ran %d times, want 2", n)
		}

		// After a quiet interval, the next update goes out at once again.
		time.Sleep(time.Second)
		update(51)
		if ev, ok := next(); !ok || ev.Revision != 51 {
			t.Fatalf("after a quiet interval: %+v %v", ev, ok)
		}
		update(52) // pending when closed: dropped
		c.Close()
		time.Sleep(time.Second)
		if ev, ok := next(); ok {
			t.Fatalf("published after Close: %+v", ev)
		}
		update(53) // ignored
		if n := renders.Load(); n != 3 {
			t.Fatalf("render ran %d times, want 3", n)
		}
	})
}

// TestCoalescerUpdateEvery ensures that a topic given its own interval is
// published at most once per that interval while another topic keeps the
// Coalescer's.
func TestCoalescerUpdateEvery(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := NewMemory()
		defer b.Close()
		fast, _ := b.Subscribe(t.Context(), "presenter", 0)
		slow, _ := b.Subscribe(t.Context(), "phones", 0)
		c := NewCoalescer(b, 100*time.Millisecond, nil)
		defer c.Close()
		render := func(ctx context.Context) (int64, []byte, error) { return 1, []byte(`{}`), nil }
		count := func(s *Subscription) (n int) {
			for {
				select {
				case <-s.C:
					n++
				default:
					return n
				}
			}
		}
		// An update every 10 ms for 1 s: the first at once, then one per interval.
		for range 100 {
			c.Update("presenter", "progress", render)
			c.UpdateEvery("phones", "progress", 500*time.Millisecond, render)
			time.Sleep(10 * time.Millisecond)
		}
		synctest.Wait()
		if n := count(fast); n < 9 || n > 11 {
			t.Errorf("100 ms topic: %d events in 1 s, want about 10", n)
		}
		if n := count(slow); n < 2 || n > 3 {
			t.Errorf("500 ms topic: %d events in 1 s, want 2 or 3", n)
		}
	})
}
