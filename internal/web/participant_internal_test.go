package web

import (
	"net/http"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/i18n"
)

// Ensures the join limiter refuses an address after joinBadCodeBurst wrong
// codes, says how long to wait, lets it try again once the allowance has
// refilled, never affects another address, and forgets idle addresses.
func TestJoinLimiter(t *testing.T) {
	l := newJoinLimiter()
	t0 := time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range joinBadCodeBurst {
		if blocked, _ := l.Blocked("192.0.2.1", t0); blocked {
			t.Fatalf("blocked after %d wrong codes", i)
		}
		l.Bad("192.0.2.1", t0)
	}
	blocked, wait := l.Blocked("192.0.2.1", t0)
	if !blocked || wait <= 0 || wait > joinBadCodeWindow {
		t.Fatalf("after %d wrong codes: blocked %v, wait %v", joinBadCodeBurst, blocked, wait)
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
	later := t0.Add(joinLimiterIdle + joinBadCodeWindow + time.Second)
	l.Bad("203.0.113.9", later)
	if _, ok := l.clients["192.0.2.1"]; ok {
		t.Fatal("an idle address is still remembered")
	}
}

// Ensures the client address drops the port and ignores forwarding headers.
func TestClientAddress(t *testing.T) {
	for in, want := range map[string]string{"192.0.2.1:5000": "192.0.2.1", "[2001:db8::1]:443": "2001:db8::1", "odd": "odd"} {
		if got := clientAddress(&http.Request{RemoteAddr: in, Header: http.Header{"X-Forwarded-For": {"10.0.0.1"}}}); got != want {
			t.Errorf("clientAddress(%q) = %q, want %q", in, got, want)
		}
	}
}

// Ensures the participant message ids that code builds at run time exist
// in both catalogues (the scan in TestEveryUsedMessageIsTranslated sees
// only literal ids).
func TestParticipantMessageIDs(t *testing.T) {
	cat := i18n.MustNew()
	ids := []string{"join.error_unknown", "join.error_lookalike", "join.error_length"}
	for _, s := range []string{stepRating, stepTensions, stepConsequences, stepVoting} {
		ids = append(ids, "participant.step."+s)
	}
	for _, s := range []string{"answers", "tension", "idea", "dots", "upvote"} {
		ids = append(ids, "participant.saved."+s)
	}
	for _, code := range []string{"ABCD-EFGH", "abcd0fgh", "ABC", "ZZZZ ZZZZ"} {
		ids = append(ids, codeProblem(code))
	}
	for _, id := range ids {
		for _, lang := range i18n.Languages {
			if !cat.Has(lang, id) {
				t.Errorf("%s is missing from %s.json", id, lang)
			}
		}
	}
	if got := codeProblem("abcd-efg0"); got != "join.error_lookalike" {
		t.Errorf("codeProblem with a zero = %s", got)
	}
	if got := codeProblem("ABCD-EFGHJ"); got != "join.error_length" {
		t.Errorf("codeProblem with 9 characters = %s", got)
	}
}
