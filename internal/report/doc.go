// Package report writes a workshop's results as files: a printable PDF
// report, an XLSX workbook with a sheet per view and the anonymised
// answers, a CSV of the anonymised answers and a JSON document of the
// aggregates ("waymark.results/v1", see docs/formats.md).
//
// It is pure: no HTTP, no SQL. A caller builds a *Report once with Build
// from what the service and the store give (the analysis, the workshop,
// its library version, participation, answers, ideas) and writes it in
// any of the formats:
//
//	r, err := report.Build(report.Source{...})
//	err = report.PDF(w, r)
//	err = report.XLSX(w, r)
//	err = report.AnswersCSV(w, r)
//	err = report.AggregatesJSON(w, r)
//
// Answers are anonymised when the Report is built: each participant is an
// opaque sequence number (P0001, P0002, …) that is neither the token nor
// the id and does not follow the order of joining; nothing else about a
// participant leaves the package but the group.
//
// Every text cell of the CSV and the XLSX that a spreadsheet could take
// for a formula is neutralised (see Neutralise); numbers stay numbers.
//
// The PDF uses DejaVu Sans Condensed, embedded (fonts/LICENSE), so that
// å, ä, ö and every other character of the interface languages print.
package report
