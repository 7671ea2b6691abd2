package loadtest

import (
	"testing"
	"time"
)

// Ensures each (listener, marker) delay runs from the marker's
// acknowledgement to the first update that includes it, that an update
// arriving before the acknowledgement counts 0, that a listener that
// missed an update or never got every marker is not complete, and that the
// fan-out spread is per update from the first listener to the last.
func TestListenerDelays(t *testing.T) {
	ms := time.Millisecond
	acks := []time.Duration{10 * ms, 20 * ms, 30 * ms, 40 * ms}
	good := listenerEvents{ids: []uint64{7, 8, 9}, at: []time.Duration{15 * ms, 50 * ms, 60 * ms}, markers: []int64{1, 3, 4}}
	// Missed update 8: markers 2 and 3 wait for update 9.
	missed := listenerEvents{ids: []uint64{7, 9}, at: []time.Duration{16 * ms, 61 * ms}, markers: []int64{1, 4}}
	// Never got the last update.
	short := listenerEvents{ids: []uint64{7, 8}, at: []time.Duration{15 * ms, 50 * ms}, markers: []int64{1, 3}}
	res := ListenResult{Listeners: 3}
	listenerDelays(&res, acks, []listenerEvents{good, missed, short})
	// good: 5, 30, 20, 20; missed: 6, 41, 31, 21; short: 5, 30, 20 and one never.
	if res.Markers != 4 || res.Updates != 3 || res.Complete != 1 || res.Uncovered != 1 || res.Share != 1.0/3 {
		t.Errorf("markers %d updates %d complete %d uncovered %d share %g; want 4 3 1 1 1/3",
			res.Markers, res.Updates, res.Complete, res.Uncovered, res.Share)
	}
	if res.Delay.Count != 11 || res.Delay.Max != 41*ms {
		t.Errorf("delay %+v; want 11 pairs, max 41ms", res.Delay)
	}
	if p50 := res.Delay.P50; p50 < 20*ms || p50 > 21*ms {
		t.Errorf("p50 %v, want 20ms", p50)
	}
	// Update 7 reached listeners at 15, 16 and 15 ms; 8 at 50 and 50; 9 at 60 and 61.
	if res.Spread.Max != ms || res.Spread.Count != 3 {
		t.Errorf("spread %+v; want 3 updates, max 1ms", res.Spread)
	}

	// An update that arrives before the acknowledgement counts as 0; one
	// counting more markers than were acknowledged (the probe's update
	// came late) covers them all.
	res = ListenResult{Listeners: 1}
	listenerDelays(&res, []time.Duration{10 * ms}, []listenerEvents{{ids: []uint64{1}, at: []time.Duration{9 * ms}, markers: []int64{2}}})
	if res.Delay.Count != 1 || res.Delay.Max != 0 || res.Complete != 1 {
		t.Errorf("early update: %+v", res)
	}
}

// Ensures a large run is measured pair by pair in bounded time: 2,000
// listeners × 1,200 markers.
func TestListenerDelaysLarge(t *testing.T) {
	const n, listeners = 1200, 2000
	acks := make([]time.Duration, n)
	for i := range acks {
		acks[i] = time.Duration(i) * 50 * time.Millisecond
	}
	// One update per marker, 100 ms after its acknowledgement.
	ev := listenerEvents{}
	for i := range n {
		ev.ids = append(ev.ids, uint64(i+1))
		ev.at = append(ev.at, acks[i]+100*time.Millisecond)
		ev.markers = append(ev.markers, int64(i+1))
	}
	ls := make([]listenerEvents, listeners)
	for i := range ls {
		ls[i] = ev
	}
	start := time.Now()
	res := ListenResult{Listeners: listeners}
	listenerDelays(&res, acks, ls)
	if res.Delay.Count != n*listeners || res.Delay.Max != 100*time.Millisecond || res.Complete != listeners {
		t.Errorf("count %d max %v complete %d", res.Delay.Count, res.Delay.Max, res.Complete)
	}
	if p50 := res.Delay.P50; p50 < 99*time.Millisecond || p50 > 100*time.Millisecond {
		t.Errorf("p50 %v", p50)
	}
	t.Logf("%d pairs in %v", res.Delay.Count, time.Since(start))
}
