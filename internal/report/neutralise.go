package report

import (
	"strings"
	"unicode/utf8"
)

// Neutralise returns a text cell for a spreadsheet so that the spreadsheet
// cannot take it for a formula ("CSV injection"): a text that starts with
// = + - @, a tab or a carriage return gets a single quote in front, as
// OWASP advises, and so does one that starts with the full-width forms of
// = + - @ (U+FF1D, U+FF0B, U+FF0D, U+FF20), which some spreadsheets
// convert. Any other text is returned as it is.
//
// Only text goes through Neutralise: numbers are written as numbers (a
// direction answer of −2 stays the number -2).
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	if s[0] < utf8.RuneSelf {
		return s
	}
	r, _ := utf8.DecodeRuneInString(s)
	switch r {
	case '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20':
		return "'" + s
	}
	return s
}

// Dangerous reports whether a spreadsheet could take s for a formula:
// whether Neutralise would change it.
func Dangerous(s string) bool { return Neutralise(s) != s }

// neutraliseAll neutralises every text of a row.
func neutraliseAll(row []string) []string {
	for i, s := range row {
		row[i] = Neutralise(s)
	}
	return row
}

// oneLine joins a text's lines and runs of white space into single spaces,
// for cells and table rows that hold one line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n\t") && !strings.Contains(s, "  ") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
