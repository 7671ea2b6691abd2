package library_test

import (
	"fmt"
	"testing"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/library"
)

// generated returns a library of n trends that fills every field with
// realistic lengths: ten driving forces, the default horizons, a summary and
// a description of several sentences in both languages, indicators, sources,
// questions and tags.
func generated(n int) *domain.Content {
	c := &domain.Content{
		Name:        domain.T("Generated", "Genererad"),
		Description: domain.T("A generated library for benchmarks.", "Ett genererat bibliotek för mätningar."),
		Horizons:    domain.DefaultHorizons(),
	}
	for i := range 10 {
		c.DrivingForces = append(c.DrivingForces, domain.DrivingForce{
			Key: fmt.Sprintf("force-%d", i), Name: domain.T(fmt.Sprintf("Force %d", i), fmt.Sprintf("Kraft %d", i)),
			Description: domain.T("A broad area of change that shapes local public services.", "Ett brett förändringsområde som formar den lokala offentliga sektorn."),
		})
	}
	long := "Local public services face economic, social and technological pressure at once. " +
		"This trend describes one direction of change, with evidence from several sources. " +
		"Organisations that prepare early can turn it into an opportunity for residents."
	longSV := "Den lokala offentliga sektorn möter ekonomiskt, socialt och tekniskt tryck samtidigt. " +
		"Den här trenden beskriver en förändringsriktning med stöd i flera källor. " +
		"Organisationer som förbereder sig tidigt kan göra den till en möjlighet för invånarna."
	for i := range n {
		c.Trends = append(c.Trends, domain.Trend{
			Key:           fmt.Sprintf("trend-%04d", i),
			Title:         domain.T(fmt.Sprintf("Trend number %d changes services", i), fmt.Sprintf("Trend nummer %d förändrar verksamheten", i)),
			Summary:       domain.T("A short summary of the trend in one sentence.", "En kort sammanfattning av trenden i en mening."),
			Description:   domain.T(long+"\n\n"+long, longSV+"\n\n"+longSV),
			Category:      domain.Categories[i%3],
			DrivingForces: []string{fmt.Sprintf("force-%d", i%10), fmt.Sprintf("force-%d", (i+3)%10)},
			Horizon:       domain.DefaultHorizons()[i%4].Key,
			Indicators:    []domain.Text{domain.T("Share of residents affected", "Andel invånare som berörs"), domain.T("Cost per year", "Kostnad per år")},
			Sources:       []domain.Source{{Title: "A report on the trend", URL: fmt.Sprintf("https://example.org/report/%d", i), Date: "2024-05"}},
			Questions:     []domain.Text{domain.T("What does this mean for us?", "Vad betyder det för oss?")},
			Tags:          []string{"benchmark", fmt.Sprintf("tag-%d", i%20)},
		})
	}
	return c
}

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
