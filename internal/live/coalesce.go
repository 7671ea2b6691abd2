package live

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// RenderFunc computes the data of a coalesced update when it is due: the
// revision it reflects and its JSON.
type RenderFunc func(ctx context.Context) (revision int64, data []byte, err error)

// Coalescer publishes updates that are expensive to compute, or that many
// changes trigger at once (the live aggregates of a workshop while hundreds
// of participants answer), at most once per interval per topic and type
// (the Coalescer's interval, or the topic's own given to UpdateEvery),
// always with the newest state.
//
// The first update after a quiet interval is published at once; updates
// that follow within the interval are merged into one published when the
// interval has passed, computed by the last RenderFunc given. So a presenter
// screen sees a change within one interval, and the broker carries at most
// 1/interval events a second per topic whatever the answer rate.
//
// Rendering and publishing run on timer goroutines, never on the caller's.
type Coalescer struct {
	b        Broker
	interval time.Duration
	timeout  time.Duration
	log      *slog.Logger
	ctx      context.Context
	cancel   context.CancelFunc

	mu     sync.Mutex
	keys   map[coalesceKey]*coalesced
	closed bool
	wg     sync.WaitGroup
}

type coalesceKey struct{ topic, typ string }

type coalesced struct {
	interval  time.Duration
	render    RenderFunc
	dirty     bool // an update waits to be published
	scheduled bool // timer set
	timer     *time.Timer
	last      time.Time // last publish
}

// NewCoalescer returns a Coalescer publishing to b at most once per
// interval per topic and type (unless UpdateEvery gives a topic its own). log receives render and publish failures
// (nil: slog.Default()).
func NewCoalescer(b Broker, interval time.Duration, log *slog.Logger) *Coalescer {
	if log == nil {
		log = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Coalescer{b: b, interval: interval, timeout: 10 * time.Second, log: log,
		ctx: ctx, cancel: cancel, keys: map[coalesceKey]*coalesced{}}
}

// Update says that the state behind topic and typ changed; render will
// compute the event when it is due. It never blocks on rendering or
// publishing. After Close it does nothing.
func (c *Coalescer) Update(topic, typ string, render RenderFunc) {
	c.UpdateEvery(topic, typ, c.interval, render)
}

// UpdateEvery is Update with the topic's own interval instead of the
// Coalescer's: a topic whose screens need changes less often (phones that
// show results) costs fewer events.
func (c *Coalescer) UpdateEvery(topic, typ string, interval time.Duration, render RenderFunc) {
	k := coalesceKey{topic, typ}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	p := c.keys[k]
	if p == nil {
		p = &coalesced{}
		c.keys[k] = p
	}
	p.render, p.dirty, p.interval = render, true, interval
	if !p.scheduled {
		c.scheduleLocked(k, p, max(0, time.Until(p.last.Add(interval))))
	}
}

func (c *Coalescer) scheduleLocked(k coalesceKey, p *coalesced, delay time.Duration) {
	p.scheduled = true
	c.wg.Add(1)
	p.timer = time.AfterFunc(delay, func() {
		defer c.wg.Done()
		c.fire(k, p)
	})
}

// fire publishes k's pending update, then looks again one interval later;
// an entry that stayed quiet for a whole interval is forgotten.
func (c *Coalescer) fire(k coalesceKey, p *coalesced) {
	c.mu.Lock()
	p.scheduled = false
	if c.closed {
		c.mu.Unlock()
		return
	}
	if !p.dirty {
		delete(c.keys, k)
		c.mu.Unlock()
		return
	}
	render := p.render
	p.dirty, p.render = false, nil
	p.scheduled = true // updates meanwhile wait for the timer set below
	c.mu.Unlock()

	ctx, cancel := context.WithTimeout(c.ctx, c.timeout)
	rev, data, err := render(ctx)
	if err == nil {
		_, err = c.b.Publish(ctx, k.topic, k.typ, rev, data)
	}
	cancel()
	if err != nil && c.ctx.Err() == nil {
		c.log.Warn("live: coalesced update failed", "topic", k.topic, "type", k.typ, "err", err)
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	p.last = time.Now()
	p.scheduled = false
	if !c.closed {
		c.scheduleLocked(k, p, p.interval)
	}
}

// Close stops the Coalescer: pending updates are not published, and a
// render or publish in progress is cancelled and waited for.
func (c *Coalescer) Close() {
	c.mu.Lock()
	c.closed = true
	for _, p := range c.keys {
		if p.timer != nil && p.timer.Stop() {
			c.wg.Done()
		}
	}
	c.mu.Unlock()
	c.cancel()
	c.wg.Wait()
}
