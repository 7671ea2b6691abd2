package i18n

import (
	"slices"
	"testing"
)

// Ensures every message exists in both English and Swedish.
func TestCataloguesHaveTheSameIDs(t *testing.T) {
	c := MustNew()
	en, sv := c.IDs("en"), c.IDs("sv")
	for _, id := range en {
		if !slices.Contains(sv, id) {
			t.Errorf("%s: missing in sv.json", id)
		}
	}
	for _, id := range sv {
		if !slices.Contains(en, id) {
			t.Errorf("%s: missing in en.json", id)
		}
	}
	if len(en) == 0 {
		t.Fatal("empty catalogue")
	}
}

// Ensures Accept-Language picks Swedish for Swedish browsers only.
func TestMatch(t *testing.T) {
	c := MustNew()
	for header, want := range map[string]string{
		"sv-SE,sv;q=0.9,en;q=0.8": "sv",
		"en-GB,en;q=0.9":          "en",
		"de-DE":                   "en",
		"":                        "en",
		"fi, sv;q=0.5":            "sv",
		"garbage;;;":              "en",
	} {
		if got := c.Match(header); got != want {
			t.Errorf("Match(%q) = %q, want %q", header, got, want)
		}
	}
}

// Ensures plural forms and arguments work in both languages.
func TestPlural(t *testing.T) {
	c := MustNew()
	if got := c.T("en", "trends.count", "Count", 1); got != "1 trend" {
		t.Errorf("en one = %q", got)
	}
	if got := c.T("sv", "trends.count", "Count", 3); got != "3 trender" {
		t.Errorf("sv other = %q", got)
	}
}
