package report

import (
	"bytes"
	"io"
	"sync"
	"testing"
)

// The workshop: 2,000 participants × 30 trends × 5 questions
// (300,000 answers), with two fields of tension and three ideas per
// trend, built once per test binary outside the timers.
var benchSource = sync.OnceValue(func() Source {
	return fixtureSource(fixtureOptions{Lang: "sv", Trends: 30, Participants: 2000, Ideas: 3})
})

func benchReport(b *testing.B) *Report {
	b.Helper()
	r, err := Build(benchSource())
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// BenchmarkPDF measures the PDF report of the 2,000 × 30 × 5 workshop
// from a built Report: every page, chart and table, with the font
// embedded. The target is 1 s.
func BenchmarkPDF(b *testing.B) {
	r := benchReport(b)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := PDF(&buf, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len())/1024, "KiB")
}

// BenchmarkXLSX measures the workbook of the 2,000 × 30 × 5 workshop:
// every view's sheet and the 300,000 anonymised answers.
func BenchmarkXLSX(b *testing.B) {
	r := benchReport(b)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := XLSX(&buf, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len())/1024/1024, "MiB")
}

// BenchmarkAnswersCSV measures the CSV of the 300,000 anonymised answers.
func BenchmarkAnswersCSV(b *testing.B) {
	r := benchReport(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := AnswersCSV(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAggregatesJSON measures the aggregates JSON.
func BenchmarkAggregatesJSON(b *testing.B) {
	r := benchReport(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := AggregatesJSON(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild measures Build: mostly anonymising and ordering the
// 300,000 answers.
func BenchmarkBuild(b *testing.B) {
	src := benchSource()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(src); err != nil {
			b.Fatal(err)
		}
	}
}
