package library_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/library"
	"github.com/waymark/waymark/internal/library/starter"
)

// Ensures every starter library imports without a problem, passes the JSON
// Schema, and is stored in exactly the canonical form the export writes, so
// that exporting a freshly installed starter gives back the shipped file.
func TestStarterLibrariesAreCanonical(t *testing.T) {
	s := loadSchema(t)
	all := starter.All()
	if len(all) == 0 {
		t.Fatal("no starter libraries")
	}
	for _, st := range all {
		t.Run(st.Key, func(t *testing.T) {
			c := mustParse(t, st.Key+".json", st.JSON, library.FormatJSON, library.ParseOptions{})
			if errs := s.validate(decodeAny(t, st.JSON)); len(errs) > 0 {
				t.Errorf("fails the schema:\n%s", strings.Join(errs, "\n"))
			}
			if out := mustMarshal(t, c, library.FormatJSON); !bytes.Equal(out, st.JSON) {
				t.Errorf("%s.json is not in canonical form; write it with library.Marshal (first difference at byte %d)", st.Key, firstDiff(out, st.JSON))
			}
		})
	}
}

// Ensures export → import → export gives identical bytes for every starter
// library in every format, and that the content has the fuzz property.
func TestStarterLibrariesRoundTrip(t *testing.T) {
	for _, st := range starter.All() {
		c := mustParse(t, st.Key+".json", st.JSON, library.FormatJSON, library.ParseOptions{})
		for _, f := range []library.Format{library.FormatJSON, library.FormatCSV, library.FormatRadar} {
			t.Run(st.Key+"/"+string(f), func(t *testing.T) {
				assertRoundTrip(t, st.Key, c, f)
				checkParse(t, mustMarshal(t, c, f), f)
			})
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
