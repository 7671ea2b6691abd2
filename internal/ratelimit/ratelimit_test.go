package ratelimit

import (
	"net/http"
	"testing"
	"time"
)

// Ensures the join limiter refuses an address after BadCodeBurst wrong
// codes, says how long to wait, lets it try again once the allowance has
// refilled, never affects another address, and forgets idle addresses.
func TestJoinLimiter(t *testing.T) {
	l := NewJoinLimiter()
	t0 := time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range BadCodeBurst {
		if blocked, _ := l.Blocked("192.0.2.1", t0); blocked {
			t.Fatalf("blocked after %d wrong codes", i)
		}
		l.Bad("192.0.2.1", t0)
	}
	blocked, wait := l.Blocked("192.0.2.1", t0)
	if !blocked || wait <= 0 || wait > BadCodeWindow {
		t.Fatalf("after %d wrong codes: blocked %v, wait %v", BadCodeBurst, blocked, wait)
	}
	if blocked, _ := l.Blocked("198.51.100.7", t0); blocked {
		t.Fatal("another address is blocked")
	}
	// Asking again does not use up the allowance.
	for range 5 {
		l.Blocked("192.0.2.1", t0)
	}
	if blocked, _ := l.Blocked("192.0.2.1", t0.Add(wait)); blocked {
		t.Fatalf("still blocked after the wait of %v", wait)
	}
	// After a quiet spell the record goes at the next sweep.
	later := t0.Add(idle + BadCodeWindow + time.Second)
	l.Bad("203.0.113.9", later)
	if _, ok := l.clients["192.0.2.1"]; ok {
		t.Fatal("an idle address is still remembered")
	}
}

// Ensures the client address drops the port and ignores forwarding headers.
func TestClientAddress(t *testing.T) {
	for in, want := range map[string]string{"192.0.2.1:5000": "192.0.2.1", "[2001:db8::1]:443": "2001:db8::1", "odd": "odd"} {
		if got := ClientAddress(&http.Request{RemoteAddr: in, Header: http.Header{"X-Forwarded-For": {"10.0.0.1"}}}); got != want {
			t.Errorf("ClientAddress(%q) = %q, want %q", in, got, want)
		}
	}
}
