package library_test

import (
	"testing"

	"github.com/waymark/waymark/internal/apptest"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/library"
)

// generated returns a valid library of n trends with every field filled.
func generated(n int) *domain.Content { return apptest.GeneratedContent(n) }

// BenchmarkParseJSON1000 parses a 1,000-trend canonical JSON library (about
// 2.7 MB), the size the import benchmark uses.
func BenchmarkParseJSON1000(b *testing.B) {
	data := mustMarshal(b, generated(1000), library.FormatJSON)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ps := library.Parse("bench.json", data, library.FormatJSON, library.ParseOptions{}); len(ps) > 0 {
			b.Fatal(ps)
		}
	}
}

// BenchmarkParseCSV1000 parses the same library as flat CSV.
func BenchmarkParseCSV1000(b *testing.B) {
	data := mustMarshal(b, generated(1000), library.FormatCSV)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ps := library.Parse("bench.csv", data, library.FormatCSV, library.ParseOptions{}); len(ps) > 0 {
			b.Fatal(ps)
		}
	}
}

// BenchmarkWriteJSON1000 exports the 1,000-trend library as JSON.
func BenchmarkWriteJSON1000(b *testing.B) {
	c := generated(1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := library.Marshal(c, library.FormatJSON); err != nil {
			b.Fatal(err)
		}
	}
}
