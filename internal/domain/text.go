package domain

import "strings"

// Languages Waymark speaks, in the order they are offered.
var Languages = []string{"en", "sv"}

// ValidLanguage reports whether lang is one of Languages.
func ValidLanguage(lang string) bool { return lang == "en" || lang == "sv" }

// Text is a piece of content held in English and Swedish. A missing
// translation falls back to the other language and is marked as a gap.
type Text struct {
	EN string `json:"en,omitempty"`
	SV string `json:"sv,omitempty"`
}

// T is shorthand for a Text in both languages.
func T(en, sv string) Text { return Text{EN: en, SV: sv} }

// In returns the text in lang. When that translation is missing it returns the
// other language and gap is true.
func (t Text) In(lang string) (s string, gap bool) {
	own, other := t.EN, t.SV
	if lang == "sv" {
		own, other = t.SV, t.EN
	}
	if own != "" {
		return own, false
	}
	return other, other != ""
}

// String returns the text in lang with fallback, without the gap mark.
func (t Text) String(lang string) string { s, _ := t.In(lang); return s }

// IsZero reports whether both translations are empty.
func (t Text) IsZero() bool { return t.EN == "" && t.SV == "" }

// HasGap reports whether exactly one translation is missing.
func (t Text) HasGap() bool { return (t.EN == "") != (t.SV == "") }

// Trimmed returns the text with surrounding white space removed in both languages.
func (t Text) Trimmed() Text {
	return Text{EN: strings.TrimSpace(t.EN), SV: strings.TrimSpace(t.SV)}
}

// Contains reports whether either translation contains q, ignoring case.
// q must already be lower case.
func (t Text) Contains(q string) bool {
	return strings.Contains(strings.ToLower(t.EN), q) || strings.Contains(strings.ToLower(t.SV), q)
}
