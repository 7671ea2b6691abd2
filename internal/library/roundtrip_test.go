package library_test

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/library"
)

// Ensures each format's export of the sample library matches its golden
// file, which docs/formats.md quotes.
func TestExportGolden(t *testing.T) {
	for _, f := range []library.Format{library.FormatJSON, library.FormatCSV, library.FormatRadar} {
		golden(t, "sample"+goldenSuffix(f), mustMarshal(t, sample(), f))
	}
}

func goldenSuffix(f library.Format) string {
	if f == library.FormatRadar {
		return ".radar.csv"
	}
	return f.Extension()
}

// Ensures the canonical JSON export keeps everything: importing it gives
// the same content and exporting that gives the same bytes.
func TestJSONRoundTripKeepsEverything(t *testing.T) {
	want := sample()
	b := mustMarshal(t, want, library.FormatJSON)
	got := mustParse(t, "sample.json", b, library.FormatJSON, library.ParseOptions{})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("imported content differs:\n got %+v\nwant %+v", got, want)
	}
	if b2 := mustMarshal(t, got, library.FormatJSON); !bytes.Equal(b, b2) {
		t.Errorf("second export differs:\n%s\n---\n%s", b, b2)
	}
}

// Ensures export → import → export gives identical bytes in every format,
// for the sample library (whose tensions and capability areas the CSV
// formats drop) and for one without horizons.
func TestRoundTripSameBytes(t *testing.T) {
	noHorizons := sample()
	noHorizons.Horizons = nil
	for i := range noHorizons.Trends {
		noHorizons.Trends[i].Horizon = ""
	}
	for name, c := range map[string]*domain.Content{"sample": sample(), "no horizons": noHorizons} {
		for _, f := range []library.Format{library.FormatJSON, library.FormatCSV, library.FormatRadar} {
			assertRoundTrip(t, name, c, f)
		}
	}
}

func assertRoundTrip(t *testing.T, name string, c *domain.Content, f library.Format) {
	t.Helper()
	first := mustMarshal(t, c, f)
	back, ps := library.Parse(name+f.Extension(), first, f, library.ParseOptions{Name: name})
	if len(ps) > 0 {
		t.Errorf("%s as %s: re-import problems: %v\n%s", name, f, problemStrings(ps), first)
		return
	}
	if second := mustMarshal(t, back, f); !bytes.Equal(first, second) {
		t.Errorf("%s as %s: export → import → export differs:\n--- first\n%s\n--- second\n%s", name, f, first, second)
	}
}
