package workshop

import (
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/auth"
)

// Ensures new codes have CodeLen characters, all from the alphabet without
// look-alikes, are normalised already, and do not repeat.
func TestNewCode(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		c := NewCode()
		if len(c) != CodeLen {
			t.Fatalf("code %q has %d characters", c, len(c))
		}
		for _, r := range c {
			if !strings.ContainsRune(CodeAlphabet, r) {
				t.Fatalf("code %q has %q outside the alphabet", c, r)
			}
		}
		if n, ok := NormalizeCode(c); !ok || n != c {
			t.Fatalf("NormalizeCode(%q) = %q, %v", c, n, ok)
		}
		if seen[c] {
			t.Fatalf("code %q drawn twice in 2000 draws", c)
		}
		seen[c] = true
	}
}

// Ensures the alphabet has no look-alike characters and no duplicates.
func TestCodeAlphabet(t *testing.T) {
	if len(CodeAlphabet) != 31 {
		t.Fatalf("alphabet has %d characters, want 31", len(CodeAlphabet))
	}
	for _, r := range "0O1IL" {
		if strings.ContainsRune(CodeAlphabet, r) {
			t.Errorf("alphabet contains look-alike %q", r)
		}
	}
	for i, r := range CodeAlphabet {
		if strings.IndexRune(CodeAlphabet, r) != i {
			t.Errorf("alphabet repeats %q", r)
		}
	}
}

// Ensures every character of the alphabet is drawn about equally often at
// every position (no modulo bias): with 31·2000 draws per position each
// count is within 6 standard deviations of 2000, and a chi-square over all
// positions stays far below what a bias of 8/256 (modulo without
// rejection) would give.
func TestNewCodeUniform(t *testing.T) {
	const perChar = 2000
	draws := len(CodeAlphabet) * perChar
	var counts [CodeLen][256]int
	for range draws {
		c := NewCode()
		for i := range CodeLen {
			counts[i][c[i]]++
		}
	}
	chi := 0.0
	for i := range CodeLen {
		for _, r := range []byte(CodeAlphabet) {
			n := counts[i][r]
			d := float64(n - perChar)
			chi += d * d / perChar
			if n < perChar-270 || n > perChar+270 { // σ ≈ 44
				t.Errorf("position %d: %q drawn %d times, expected about %d", i, r, n, perChar)
			}
		}
	}
	// 8 positions × 30 degrees of freedom = 240; p < 1e-6 beyond ~370.
	if chi > 370 {
		t.Errorf("chi-square %.0f over 240 degrees of freedom: not uniform", chi)
	}
}

// Ensures NormalizeCode accepts what people type and paste and refuses
// look-alikes and anything of the wrong length.
func TestNormalizeCode(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"ABCDEFGH", "ABCDEFGH", true},
		{"abcdefgh", "ABCDEFGH", true},
		{"AbCd-EfGh", "ABCDEFGH", true},
		{" abcd efgh ", "ABCDEFGH", true},
		{"ABCD–EFGH", "ABCDEFGH", true},             // en dash from a document
		{"ABCD\u00a0EFGH\n", "ABCDEFGH", true},      // no-break space, newline
		{"\u200bABCD.EFGH\u200b", "ABCDEFGH", true}, // zero-width spaces
		{"ＡＢＣＤ－ＥＦＧＨ", "ABCDEFGH", true},             // full-width forms
		{"2345-6789", "23456789", true},
		{"(ABCD/EFGH)", "ABCDEFGH", true},
		{"ABCD-EFG0", "", false}, // zero is not in the alphabet
		{"ABCD-EFGO", "", false}, // nor O
		{"ABCD-EFG1", "", false},
		{"ABCD-EFGI", "", false},
		{"abcd-efgl", "", false},
		{"ABCD-EFGÖ", "", false},
		{"ABCDEFG", "", false},
		{"ABCDEFGHJ", "", false},
		{"", "", false},
		{"--------", "", false},
		{strings.Repeat(" ", 60) + "ABCDEFGH", "", false}, // too long to be a pasted code
	} {
		got, ok := NormalizeCode(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("NormalizeCode(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// Ensures codes show in two groups of four and that display form
// normalises back.
func TestFormatCode(t *testing.T) {
	if got := FormatCode("ABCDEFGH"); got != "ABCD-EFGH" {
		t.Fatalf("FormatCode = %q", got)
	}
	if got := FormatCode("ABC"); got != "ABC" {
		t.Fatalf("FormatCode(short) = %q", got)
	}
	c := NewCode()
	if n, ok := NormalizeCode(FormatCode(c)); !ok || n != c {
		t.Fatalf("round trip of %q gave %q, %v", c, n, ok)
	}
}

// Ensures tokens carry the prefix and 256 bits in URL-safe characters, hash
// as auth.HashSecret does, and never repeat.
func TestNewToken(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		s, h := NewToken()
		if !strings.HasPrefix(s, TokenPrefix) || len(s) != len(TokenPrefix)+43 {
			t.Fatalf("token %q", s)
		}
		if !ValidToken(s) {
			t.Fatalf("ValidToken(%q) = false", s)
		}
		if h != auth.HashSecret(s) || h != HashToken(s) || len(h) != 64 {
			t.Fatalf("hash %q of %q", h, s)
		}
		if seen[s] {
			t.Fatal("token repeated")
		}
		seen[s] = true
	}
	s, _ := NewToken()
	for _, bad := range []string{"", "wmp_", s[:len(s)-1], s + "A", "wm_" + s[4:], s[:10] + "+" + s[11:], s[:10] + "=" + s[11:]} {
		if ValidToken(bad) {
			t.Errorf("ValidToken(%q) = true", bad)
		}
	}
}
