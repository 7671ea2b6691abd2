// Package ratelimit keeps the limits on guessing that need no account: wrong
// join codes per client address. One JoinLimiter serves the web pages and
// the API, so a client has one allowance whichever it uses.
package ratelimit

import (
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Join codes have 31^8 values; guessing one is only practical at speed. A
// client address that tries BadCodeBurst wrong codes within a minute is
// refused (429) until its allowance refills at BadCodeBurst a minute.
const (
	BadCodeBurst  = 20
	BadCodeWindow = time.Minute
	// idle is how long an address's record is kept after its last
	// bad code; by then its allowance is full again and the record says
	// nothing.
	idle = 2 * BadCodeWindow
	// maxRecords bounds the records kept: beyond it, idle ones are
	// swept at once, and if that frees nothing the oldest half is dropped.
	maxRecords = 50_000
)

// JoinLimiter counts wrong join codes per client address, in memory only:
// the address is never written anywhere and is forgotten, idle
// after its last wrong code.
type JoinLimiter struct {
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

// NewJoinLimiter returns a limiter with the default allowance.
func NewJoinLimiter() *JoinLimiter {
	return &JoinLimiter{clients: map[string]*joinClient{},
		every: rate.Every(BadCodeWindow / BadCodeBurst), burst: BadCodeBurst}
}

// ClientAddress is the address rate limits are keyed by: the connection's
// remote IP (without the port). Waymark has no trusted-proxy setting, so
// X-Forwarded-For is not believed.
func ClientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Blocked reports whether the address has used up its wrong codes, and if
// so how long until it may try again.
func (l *JoinLimiter) Blocked(addr string, now time.Time) (bool, time.Duration) {
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
func (l *JoinLimiter) Bad(addr string, now time.Time) {
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

// sweep drops the records of addresses idle for longer than idle, at most
// once a minute unless the map is full. l.mu is held.
func (l *JoinLimiter) sweep(now time.Time) {
	full := len(l.clients) >= maxRecords
	if !full && now.Sub(l.swept) < BadCodeWindow {
		return
	}
	l.swept = now
	for addr, c := range l.clients {
		if now.Sub(c.last) > idle {
			delete(l.clients, addr)
		}
	}
	if len(l.clients) >= maxRecords {
		// A flood from many addresses: forget the older half rather than
		// grow without bound.
		cut := now.Add(-idle / 2)
		for addr, c := range l.clients {
			if c.last.Before(cut) || len(l.clients) >= maxRecords {
				delete(l.clients, addr)
			}
		}
	}
}
