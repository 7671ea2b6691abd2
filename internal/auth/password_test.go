package auth

import (
	"strings"
	"testing"
	"time"
)

// Ensures a hash verifies its own password only, and is salted.
func TestHashPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("unexpected hash format %q", h)
	}
	ok, err := CheckPassword(h, "correct horse battery")
	if err != nil || !ok {
		t.Fatalf("right password rejected: %v %v", ok, err)
	}
	if ok, _ := CheckPassword(h, "correct horse batterY"); ok {
		t.Fatal("wrong password accepted")
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Fatal("two hashes of the same password are equal: no salt")
	}
	if _, err := CheckPassword("$argon2id$garbage", "x"); err == nil {
		t.Fatal("malformed hash accepted")
	}
}

// Ensures the backoff starts after the free failures, doubles and is capped.
func TestBackoff(t *testing.T) {
	cases := map[int]time.Duration{0: 0, 4: 0, 5: time.Second, 6: 2 * time.Second, 10: 32 * time.Second, 15: MaxBackoff, 1000: MaxBackoff}
	for n, want := range cases {
		if got := Backoff(n); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", n, got, want)
		}
	}
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	if got := RetryAfter(6, now.Add(-time.Second), now); got != time.Second {
		t.Errorf("RetryAfter = %v, want 1s", got)
	}
	if got := RetryAfter(6, now.Add(-time.Minute), now); got != 0 {
		t.Errorf("RetryAfter after the wait = %v, want 0", got)
	}
}

// Ensures secrets are distinct, prefixed and hash to their stored hash.
func TestNewSecret(t *testing.T) {
	s1, h1, err := NewSecret("wm_")
	if err != nil {
		t.Fatal(err)
	}
	s2, _, _ := NewSecret("wm_")
	if s1 == s2 || !strings.HasPrefix(s1, "wm_") || len(s1) < 40 {
		t.Fatalf("weak secrets %q %q", s1, s2)
	}
	if HashSecret(s1) != h1 || len(h1) != 64 {
		t.Fatal("hash mismatch")
	}
}

// Ensures password rules count characters, not bytes.
func TestCheckPasswordRules(t *testing.T) {
	if CheckPasswordRules("short") == "" {
		t.Error("short password accepted")
	}
	if CheckPasswordRules("åäöåäöåäöå") != "" {
		t.Error("ten Swedish letters rejected")
	}
}
