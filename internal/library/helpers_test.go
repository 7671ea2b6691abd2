package library_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/library"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sample is a small library that uses every field of the format.
func sample() *domain.Content {
	return &domain.Content{
		Name:        domain.T("Example trends", "Exempeltrender"),
		Description: domain.T("A small library that shows every field.", "Ett litet bibliotek som visar alla fält."),
		Attribution: domain.Attribution{SourceOrganisation: "Waymark", URL: "https://example.org/waymark", Licence: "CC BY 4.0"},
		Horizons:    domain.DefaultHorizons(),
		DrivingForces: []domain.DrivingForce{
			{Key: "demography", Name: domain.T("Demography", "Demografi"), Description: domain.T("An older population.", "En äldre befolkning.")},
			{Key: "technology-shift", Name: domain.T("Technology shift", "Teknikskifte")},
		},
		Tensions: []domain.Tension{
			{Key: "national-local", Name: domain.T("Steering", "Styrning"), PoleA: domain.T("National steering", "Nationell styrning"), PoleB: domain.T("Local autonomy", "Lokal självstyrelse"),
				Description: domain.T("Who decides how services are run?", "Vem bestämmer hur verksamheten drivs?")},
		},
		Trends: []domain.Trend{
			{
				Key: "ai-at-work", Title: domain.T("AI changes working life", "AI förändrar arbetslivet"),
				Summary:     domain.T("Generative AI takes on routine tasks.", "Generativ AI tar över rutinuppgifter."),
				Description: domain.T("Tools that write, summarise and answer.\n\nStaff need new skills.", "Verktyg som skriver, sammanfattar och svarar.\n\nPersonalen behöver nya färdigheter."),
				Category:    domain.Technology, DrivingForces: []string{"technology-shift", "demography"}, Horizon: "within-3-years",
				Indicators: []domain.Text{domain.T("Share of staff using AI tools", "Andel anställda som använder AI-verktyg"), domain.T("Hours saved per week", "Sparade timmar per vecka")},
				Sources:    []domain.Source{{Title: "AI in local government", URL: "https://example.org/ai", Date: "2024-05"}, {Title: "Staff survey", Date: "2023"}},
				Questions:  []domain.Text{domain.T("Which tasks would we hand over first?", "Vilka uppgifter lämnar vi över först?")},
				Tags:       []string{"ai", "workforce"},
				IsNew:      true, Movement: "new",
				Demands: []domain.Demand{{Area: "data-sharing", Level: 3}},
			},
			{
				Key: "older-population", Title: domain.T("More older residents", "Fler äldre invånare"),
				Summary:  domain.T("Demand for care grows faster than the workforce.", ""),
				Category: domain.Societal, DrivingForces: []string{"demography"}, Horizon: "3-10-years",
				Sources: []domain.Source{{Title: "Population projection", URL: "https://example.org/pop"}},
				Demands: []domain.Demand{{Area: "data-sharing", Level: 1}},
			},
			{
				Key: "shared-platforms", Title: domain.T("", "Gemensamma plattformar"),
				Category: domain.Digital,
			},
		},
		CapabilityAreas: []domain.CapabilityArea{{
			Key: "data-sharing", Name: domain.T("Standards for data sharing", "Standarder för datadelning"),
			Description: domain.T("Sharing data with partners safely.", "Att dela data med partner på ett säkert sätt."),
			Levels:      [5]domain.Text{domain.T("Ad hoc", "Ad hoc"), domain.T("Aware", "Medveten"), {}, domain.T("Managed", "Styrd"), domain.T("Leading", "Ledande")},
		}},
	}
}

// golden compares got with the file testdata/name, rewriting it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the tests with -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the output:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// fataler is what testing.TB and rapid.T have in common.
type fataler interface {
	Helper()
	Fatal(args ...any)
}

func mustMarshal(t fataler, c *domain.Content, f library.Format) []byte {
	t.Helper()
	b, err := library.Marshal(c, f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustParse(t testing.TB, file string, data []byte, f library.Format, opt library.ParseOptions) *domain.Content {
	t.Helper()
	c, ps := library.Parse(file, data, f, opt)
	if len(ps) > 0 {
		t.Fatalf("Parse(%s) problems:\n%s", file, strings.Join(problemStrings(ps), "\n"))
	}
	return c
}

func problemStrings(ps domain.Problems) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
