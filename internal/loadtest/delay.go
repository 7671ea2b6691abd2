package loadtest

import "time"

// Delay from acknowledgement to listener.
//
// A progress event carries aggregates, not answer ids, so the answers
// whose delay is measured are markers: one cell of the workshop (the first
// trend's first question) is kept out of the load, and a marker sender
// answers it, one participant after another, MarkerRate times a second,
// each marker waiting for the previous one's acknowledgement. The cell's
// count then says exactly which markers an update includes: the n-th
// marker is in every update whose count for the cell is base + n or more.
// The markers travel with the load, through the same endpoint, committer
// and coalescer, so their delays are those of any answer.
//
// The delay of a marker at a listener is the arrival of the first update
// that includes it less the marker's acknowledgement; an update that
// arrives before the acknowledgement counts as 0.

// MarkerRate is how many marker answers a second are sent during the load
// when listeners are open.
const MarkerRate = 20

// ListenResult sums up the listeners of a run.
type ListenResult struct {
	// Listeners is the number asked for; Connected how many streams opened.
	Listeners int `json:"listeners"`
	Connected int `json:"connected"`
	// Updates counts the aggregate updates published during the load (the
	// progress event ids any listener received after the probe).
	Updates int `json:"updates"`
	// Markers counts the marker answers acknowledged during the load.
	Markers int `json:"markers"`
	// Delay summarises, over every listener and every marker, the delay
	// from the marker's acknowledgement to the arrival of the update that
	// includes it.
	Delay Summary `json:"delay"`
	// Complete counts the listeners that received every update and one
	// including every marker; Share is Complete / Listeners.
	Complete int     `json:"complete"`
	Share    float64 `json:"share"`
	// Uncovered counts (listener, marker) pairs no update included.
	Uncovered int64 `json:"uncovered"`
	// Spread summarises, over the updates, the time from the first
	// listener receiving an update to the last: what fanning one update
	// out to every stream takes.
	Spread Summary `json:"spread"`
	// Reconnects counts streams that ended early and were reopened.
	Reconnects int `json:"reconnects"`
	// ProbeDelay is how long the one answer sent before the load took to
	// reach the first listener: the delay of an idle workshop.
	ProbeDelay time.Duration `json:"probe_delay_ns"`
	// Note explains missing figures.
	Note string `json:"note,omitempty"`
}

// listenerEvents is one listener's progress events during the load:
// ids, arrival offsets from the epoch, and how many markers each includes.
type listenerEvents struct {
	ids     []uint64
	at      []time.Duration
	markers []int64
}

// listenerDelays measures the delays of the markers acknowledged at the
// offsets acks over every listener's events, and fills in Markers, Delay,
// Spread, Complete, Share, Uncovered and Updates.
func listenerDelays(res *ListenResult, acks []time.Duration, ls []listenerEvents) {
	m := len(acks)
	res.Markers = m
	// Every update published during the load, as any listener saw it,
	// and how long each took to reach them all.
	first, last := map[uint64]time.Duration{}, map[uint64]time.Duration{}
	for _, l := range ls {
		for k, id := range l.ids {
			at := l.at[k]
			if f, ok := first[id]; !ok || at < f {
				first[id] = at
			}
			last[id] = max(last[id], at)
		}
	}
	res.Updates = len(first)
	spreads := make([]time.Duration, 0, len(first))
	for id, f := range first {
		spreads = append(spreads, last[id]-f)
	}
	res.Spread = Summarize(spreads)

	var h Histogram
	for _, l := range ls {
		covered := 0 // markers [0, covered) were in an update already
		for k := range l.ids {
			upto := int(min(max(l.markers[k], 0), int64(m)))
			for i := covered; i < upto; i++ {
				h.Add(l.at[k] - acks[i])
			}
			covered = max(covered, upto)
		}
		res.Uncovered += int64(m - covered)
		if covered == m && len(l.ids) == len(first) {
			res.Complete++
		}
	}
	res.Delay = h.Summary()
	if res.Listeners > 0 {
		res.Share = float64(res.Complete) / float64(res.Listeners)
	}
}
