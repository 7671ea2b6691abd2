// Package workshop holds the pure logic of live workshops: join codes,
// participant tokens and the incremental tally of answers and tension
// positions that the presenter view and the live results read. It does no
// I/O: the store keeps answers durable, the service applies each committed
// answer to a Tally, and the web layer renders what the Tally reports.
package workshop

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"unicode"

	"github.com/waymark/waymark/internal/auth"
)

// CodeAlphabet is the set of characters join codes are drawn from: upper-case
// letters and digits without the look-alikes 0/O, 1/I/L. Its 31 characters
// make 31^8 ≈ 8.5·10^11 codes of CodeLen characters (39.6 bits).
const CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// CodeLen is the number of characters of a join code.
const CodeLen = 8

// maxCodeInput bounds what NormalizeCode reads: a pasted code with generous
// separators fits; a pasted paragraph does not.
const maxCodeInput = 64

// NewCode returns a fresh join code of CodeLen characters drawn uniformly
// from CodeAlphabet with crypto/rand. Random bytes at or above the largest
// multiple of len(CodeAlphabet) are rejected and redrawn, so there is no
// modulo bias. Codes are unique only by chance: the store refuses a code
// already used by an open workshop and the caller draws again.
func NewCode() string {
	const n = len(CodeAlphabet)
	const limit = 256 - 256%n // 248: bytes below it map uniformly onto the alphabet
	var out [CodeLen]byte
	var buf [2 * CodeLen]byte
	for i := 0; i < CodeLen; {
		rand.Read(buf[:]) // never fails since Go 1.24: it crashes the program instead
		for _, b := range buf {
			if int(b) >= limit {
				continue
			}
			out[i] = CodeAlphabet[int(b)%n]
			if i++; i == CodeLen {
				break
			}
		}
	}
	return string(out[:])
}

// NormalizeCode turns what a person typed or pasted into a join code as
// stored: case is ignored; spaces, hyphens, dashes, dots, slashes and any
// other separator (every Unicode space, punctuation, symbol or invisible
// format character) are dropped; full-width letters and digits, as some
// phone keyboards type them, count as their ASCII forms. It reports false
// when the result is not CodeLen characters of CodeAlphabet.
//
// Look-alikes are not guessed: the alphabet has none of 0, O, 1, I and L,
// so a code containing any of them was mistyped and there is no single
// character of the alphabet it could have meant. Rejecting it lets the form
// say "codes never contain 0, O, 1, I or L" instead of silently sending the
// person to another workshop. The same holds for other letters such as Å,
// Ä and Ö.
func NormalizeCode(s string) (string, bool) {
	if len(s) > maxCodeInput {
		return "", false
	}
	var b strings.Builder
	b.Grow(CodeLen)
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII forms
			r -= 0xFF01 - 0x21
		}
		switch {
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		case r < 0x80 && (r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'):
		case unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) ||
			unicode.Is(unicode.Cf, r) || unicode.IsControl(r):
			continue // a separator
		default:
			return "", false // a letter or digit outside ASCII
		}
		if strings.IndexRune(CodeAlphabet, r) < 0 {
			return "", false
		}
		if b.Len() == CodeLen {
			return "", false
		}
		b.WriteRune(r)
	}
	if b.Len() != CodeLen {
		return "", false
	}
	return b.String(), true
}

// FormatCode returns a join code for display, in two groups of four:
// "ABCD-EFGH". Anything that is not a normalised code of CodeLen characters
// is returned unchanged.
func FormatCode(c string) string {
	if len(c) != CodeLen {
		return c
	}
	return c[:CodeLen/2] + "-" + c[CodeLen/2:]
}

// TokenPrefix starts every participant token, so that a leaked one is
// recognisable (for example by secret scanners) and cannot be mistaken for
// an API token ("wm_").
const TokenPrefix = "wmp_"

// tokenBytes is the entropy of a participant token: 256 bits.
const tokenBytes = 32

// tokenLen is the length of a token: the prefix and 43 base64url characters.
var tokenLen = len(TokenPrefix) + base64.RawURLEncoding.EncodedLen(tokenBytes)

// NewToken returns a new participant token and the hash under which it is
// stored. The secret carries 256 bits from crypto/rand, is URL-safe
// (base64url without padding) and starts with TokenPrefix; the hash is hex
// SHA-256, as auth.HashSecret computes for every other secret.
func NewToken() (secret, hash string) {
	var b [tokenBytes]byte
	rand.Read(b[:]) // never fails since Go 1.24: it crashes the program instead
	secret = TokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	return secret, HashToken(secret)
}

// HashToken returns the hash under which a participant token is stored and
// looked up.
func HashToken(secret string) string { return auth.HashSecret(secret) }

// ValidToken reports whether s has the shape of a participant token, so that
// garbage in an Authorization header can be refused without a lookup. It
// says nothing about whether the token belongs to anyone.
func ValidToken(s string) bool {
	if len(s) != tokenLen || !strings.HasPrefix(s, TokenPrefix) {
		return false
	}
	for _, c := range []byte(s[len(TokenPrefix):]) {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}
