// Package analysis turns a workshop's answers into the picture a board can
// act on: statistics per trend and question, a priority index and ranking,
// the impact × certainty matrix, the trend radar, comparisons between
// participant groups and between two workshops.
//
// It is pure: no I/O, no HTTP, no SQL. Every statistic is computed from the
// counts a workshop.Tally keeps (a workshop.Distribution), so its cost
// depends on the size of the question's scale, never on the number of
// answers; a whole workshop's analysis is cheap enough to redo on every live
// update. The views return plain geometry (positions, sizes, labels) and a
// one-line summary in English and Swedish; the web layer draws them as SVG
// with a data table beside each.
//
// A statistic that cannot be computed (a mean of no answers) is an absent
// Num: NaN in Go, null in JSON, never a zero. "Don't know" is never a value:
// it is counted, and its share reported, apart from the values.
//
// The formulas, with worked examples, are in docs/method.md.
package analysis
