// Package auth holds Waymark's credential rules: argon2id password hashes,
// random secrets for sessions, invitations and API tokens, and the backoff
// after failed sign-ins. It does no I/O.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters, after OWASP's recommendation (19 MiB, 2 passes, 1 lane).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Password length limits, in characters.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

// CheckPasswordRules returns a people-facing reason why pw cannot be used as a
// password, or "" when it can.
func CheckPasswordRules(pw string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return fmt.Sprintf("must be at least %d characters", MinPasswordLen)
	case n > MaxPasswordLen:
		return fmt.Sprintf("must be at most %d characters", MaxPasswordLen)
	}
	return ""
}

// HashPassword returns an argon2id hash of pw in the PHC string format.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("auth: malformed password hash")

// CheckPassword reports whether pw matches hash, in constant time. It returns
// an error only for a malformed hash.
func CheckPassword(hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var mem, iter uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iter, &threads); err != nil {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(pw), salt, iter, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when an account does not exist, so that a
// sign-in takes as long whether or not the address is known. It is made on
// first use, not at start-up.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("waymark-dummy-password")
	return h
})

// CheckDummyPassword spends the time of one password check.
func CheckDummyPassword(pw string) { CheckPassword(dummyHash(), pw) }

// NewSecret returns a random secret with the given prefix (for example "wm_"
// for API tokens) carrying 256 bits of entropy, and the hash to store.
func NewSecret(prefix string) (secret, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("auth: secret: %w", err)
	}
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret), nil
}

// HashSecret returns the hash under which a secret is stored and looked up:
// hex SHA-256. Secrets are random, so no salt or slow hash is needed.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Sign-in backoff: after FreeFailures failed attempts in a row, each further
// attempt must wait BackoffBase·2^(n−FreeFailures), at most MaxBackoff, from
// the last failure. The count is per account, so an attacker who guesses at
// one account never locks out anyone else, and a correct password after the
// wait signs in at once.
const (
	FreeFailures = 5
	BackoffBase  = time.Second
	MaxBackoff   = 15 * time.Minute
)

// Backoff returns how long after the last failure the next attempt must
// wait, given n failures in a row.
func Backoff(n int) time.Duration {
	if n < FreeFailures {
		return 0
	}
	shift := n - FreeFailures
	if shift > 20 {
		return MaxBackoff
	}
	d := BackoffBase << shift
	if d > MaxBackoff {
		d = MaxBackoff
	}
	return d
}

// RetryAfter returns how long from now the account must wait before the next
// attempt, or 0 when it may try now.
func RetryAfter(n int, last, now time.Time) time.Duration {
	wait := last.Add(Backoff(n)).Sub(now)
	if wait < 0 {
		return 0
	}
	return wait
}
