package library_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/library"
)

// checkParse is the property every importer must have, whatever the input:
// it does not panic; it returns either problems (each with the file and a
// message) or content that passes Validate; and valid content written in the
// same format, and in JSON, reads back as equal content.
func checkParse(t *testing.T, data []byte, f library.Format) {
	opt := library.ParseOptions{Name: "Fuzz"}
	c, ps := library.Parse("fuzz"+f.Extension(), data, f, opt)
	if (c == nil) == (len(ps) == 0) {
		t.Fatalf("Parse returned content %v with %d problems", c != nil, len(ps))
	}
	for _, p := range ps {
		if p.File != "fuzz"+f.Extension() || p.Message == "" {
			t.Fatalf("problem without file or message: %#v", p)
		}
	}
	if c == nil {
		return
	}
	if vs := c.Validate(); len(vs) > 0 {
		t.Fatalf("Parse accepted content that Validate rejects: %+v", vs)
	}
	for _, g := range []library.Format{f, library.FormatJSON} {
		b, err := library.Marshal(c, g)
		if err != nil {
			t.Fatal(err)
		}
		c2, ps2 := library.Parse("again"+g.Extension(), b, g, opt)
		if len(ps2) > 0 {
			t.Fatalf("re-import as %s failed: %v\n%s", g, problemStrings(ps2), b)
		}
		if !reflect.DeepEqual(c, c2) {
			t.Fatalf("re-import as %s differs:\n got %#v\nwant %#v\n%s", g, c2, c, b)
		}
		if b2, _ := library.Marshal(c2, g); !bytes.Equal(b, b2) {
			t.Fatalf("second export as %s differs:\n%s\n---\n%s", g, b, b2)
		}
	}
}

// The seeds are kept small: the fuzzing engine slows to a crawl on inputs of
// tens of kilobytes. The starter libraries get the same check in
// TestStarterLibrariesRoundTrip.

func FuzzParseJSON(f *testing.F) {
	f.Add(readTestdata(f, "sample.json"))
	f.Add([]byte(`{"format": "waymark.library/v1", "name": {"en": "L"}, "trends": [{"key": "a", "title": {"sv": "\u00e5\ud83d\ude00\ud800"}, "category": "digital", "tags": ["x"]}]}`))
	f.Add([]byte(jsonHead + `"trends": [{"key": "a", "key": "b", "title": "A", "category": 3, "x": [[{}]]}]}`))
	f.Add([]byte(jsonHead + `"trends": [{"key": "a", "title": {"en": "A"}, "category": "digital",`))
	f.Add([]byte(jsonHead + `"capability_areas": [{"key": "d", "name": {"en": "D"}, "levels": [{}, {}, {}, {}, {}]}], "trends": [{"key": "a", "title": {"en": "A"}, "category": "digital", "demands": {"d": 3, "x": 0, "d": 1.5, "": null}}]}`))
	f.Add([]byte("\xef\xbb\xbf{\"format\": \"waymark.library/v1\", \"name\": {\"en\": \"\xff\"}}"))
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, library.FormatJSON) })
}

func FuzzParseCSV(f *testing.F) {
	f.Add(readTestdata(f, "sample.csv"))
	f.Add([]byte("title_en;title_sv;category;driving_forces;horizon;indicators_en;indicators_sv;sources;tags\n" +
		"AI;AI;Technology;\"A; B\";Inom 3 år;\"One\n\nTwo\";Ett;\"R | https://example.org/r | 2024-05\nS\";\"ai; work\"\n" +
		"'=x;;samhälle;b;2030;;;;\n,,,,,,,,\n"))
	f.Add([]byte("key,category,title_en\na,digital,\"A\"B\nb,digital,\"C\n"))
	f.Add([]byte("category,title_en\ndigital,A,extra\ndigital,Fr\xe5n\n"))
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, library.FormatCSV) })
}

func FuzzParseRadar(f *testing.F) {
	f.Add(readTestdata(f, "sample.radar.csv"))
	f.Add([]byte("name,ring,quadrant,isNew,description,status\nAI,Adopt,Tools,TRUE,<p>x</p>,New\nA.I.,,Tools,no,,moved in\nZ,Hold,Q5,,\"multi\nline\",\n"))
	f.Add([]byte("name,ring,quadrant,isNew,description\n,Adopt,,maybe,\nX,Adopt,T,1,\nX,Adopt,T,0,\n"))
	f.Add([]byte("Name;Ring;Quadrant;IsNew;Description\n\"a;b\";r;q;TRUE;'=1+1\n"))
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, library.FormatRadar) })
}

// Ensures the fuzz property holds for every fixture in testdata, whatever
// format its name says.
func TestFixturesHaveTheFuzzProperty(t *testing.T) {
	for name, f := range map[string]library.Format{
		"sample.json": library.FormatJSON, "sample.csv": library.FormatCSV, "sample.radar.csv": library.FormatRadar,
	} {
		t.Run(strings.ReplaceAll(name, ".", "_"), func(t *testing.T) { checkParse(t, readTestdata(t, name), f) })
	}
}
