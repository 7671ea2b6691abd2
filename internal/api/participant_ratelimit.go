package api

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Join codes have 31^8 values; guessing one is only practical at speed. A
// client address that sends joinBadCodeBurst wrong codes to POST /join
// within a minute is refused (429) — whatever code it sends — until its
// allowance refills at joinBadCodeBurst a minute.
const (
	joinBadCodeBurst  = 20
	joinBadCodeWindow = time.Minute
	// joinLimiterIdle is how long an address's record is kept after its last
	// wrong code; by then its allowance is full again and the record says
	// nothing.
	joinLimiterIdle = 2 * joinBadCodeWindow
	// joinLimiterMax bounds the records kept: beyond it, idle ones are
	// swept at once, and if that frees nothing the older ones are dropped.
	joinLimiterMax = 50_000
)

// joinLimiter counts wrong join codes per client address, in memory only:
// the address is never written anywhere (not to the database, not to the
// log) and is forgotten joinLimiterIdle after its last wrong code.
type joinLimiter struct {
	mu      sync.Mutex
	clients map[string]*joinClient
	every   rate.Limit
	burst   int
	swept   time.Time
}

type joinClient struct {
	lim  *rate.Limiter
	last time.Time
}

func newJoinLimiter() *joinLimiter {
	return &joinLimiter{clients: map[string]*joinClient{},
		every: rate.Every(joinBadCodeWindow / joinBadCodeBurst), burst: joinBadCodeBurst}
}

// clientAddress is the address rate limits are keyed by: the connection's
// remote IP, without the port. Waymark has no trusted-proxy setting, so
// X-Forwarded-For is not believed.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// clientAddr returns the client address wrap put in the context.
func clientAddr(ctx context.Context) string {
	s, _ := ctx.Value(clientAddrKey).(string)
	return s
}

// Blocked reports whether the address has used up its wrong codes, and if
// so how long until it may try again.
func (l *joinLimiter) Blocked(addr string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.clients[addr]
	if !ok || c.lim.TokensAt(now) >= 1 {
		return false, 0
	}
	r := c.lim.ReserveN(now, 1)
	wait := r.DelayFrom(now)
	r.CancelAt(now)
	return true, wait
}

// Bad records a wrong code from the address.
func (l *joinLimiter) Bad(addr string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.clients[addr]
	if !ok {
		l.sweep(now)
		c = &joinClient{lim: rate.NewLimiter(l.every, l.burst)}
		l.clients[addr] = c
	}
	c.last = now
	c.lim.AllowN(now, 1)
}

// sweep drops the records of addresses idle for joinLimiterIdle, at most
// once a minute unless the map is full. l.mu is held.
func (l *joinLimiter) sweep(now time.Time) {
	full := len(l.clients) >= joinLimiterMax
	if !full && now.Sub(l.swept) < joinBadCodeWindow {
		return
	}
	l.swept = now
	for addr, c := range l.clients {
		if now.Sub(c.last) > joinLimiterIdle {
			delete(l.clients, addr)
		}
	}
	if len(l.clients) >= joinLimiterMax {
		// A flood from many addresses: forget the older records rather than
		// grow without bound.
		cut := now.Add(-joinLimiterIdle / 2)
		for addr, c := range l.clients {
			if c.last.Before(cut) || len(l.clients) >= joinLimiterMax {
				delete(l.clients, addr)
			}
		}
	}
}
