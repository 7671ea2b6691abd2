package library_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/library"
)

// Ensures a flat CSV maps onto a library as docs/formats.md says: the default
// horizons plus new ones by name, driving forces from names, keys derived
// from titles, lines and semicolons splitting multi-value cells, and the
// library named after the file.
func TestParseCSVMapping(t *testing.T) {
	in := "Title_EN;title_sv;category;driving_forces;horizon;indicators_en;indicators_sv;sources;tags\n" +
		"AI at work;AI i arbetet;Technology;\"Technology shift; Demography\";Inom 3 år;\"One\n\nTwo\";Ett;\"Report | https://example.org/r | 2024-05\nSurvey\";\"ai; work ;\"\n" +
		"AI at work!;;samhälle;demography;2030;;;;\n" +
		";Välfärd;digital;;now;;;;\n" +
		";;;;;;;;\n"
	c := mustParse(t, "dir/Our trends.csv", []byte(in), library.FormatCSV, library.ParseOptions{})
	want := &domain.Content{
		Name:     domain.T("Our trends", ""),
		Horizons: append(domain.DefaultHorizons(), domain.Horizon{Key: "2030", Name: domain.T("2030", "")}),
		DrivingForces: []domain.DrivingForce{
			{Key: "technology-shift", Name: domain.T("Technology shift", "")},
			{Key: "demography", Name: domain.T("Demography", "")},
		},
		Trends: []domain.Trend{
			{
				Key: "ai-at-work", Title: domain.T("AI at work", "AI i arbetet"), Category: domain.Technology,
				DrivingForces: []string{"technology-shift", "demography"}, Horizon: "within-3-years",
				Indicators: []domain.Text{domain.T("One", "Ett"), domain.T("Two", "")},
				Sources:    []domain.Source{{Title: "Report", URL: "https://example.org/r", Date: "2024-05"}, {Title: "Survey"}},
				Tags:       []string{"ai", "work"},
			},
			{Key: "ai-at-work-2", Title: domain.T("AI at work!", ""), Category: domain.Societal, DrivingForces: []string{"demography"}, Horizon: "2030"},
			{Key: "valfard", Title: domain.T("", "Välfärd"), Category: domain.Digital, Horizon: "now"},
		},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got  %+v\nwant %+v", c, want)
	}
}

// Ensures CSV keys written in the file win over keys derived from titles.
func TestParseCSVKeysFromFileFirst(t *testing.T) {
	c := mustParse(t, "k.csv", []byte("key,category,title_en\n,digital,Alpha\nalpha,digital,Other\n"), library.FormatCSV, library.ParseOptions{})
	if got := []string{c.Trends[0].Key, c.Trends[1].Key}; !reflect.DeepEqual(got, []string{"alpha-2", "alpha"}) {
		t.Errorf("keys %v", got)
	}
}

// Ensures cells a spreadsheet would run as formulas are exported behind an
// apostrophe and read back unchanged.
func TestCSVFormulaGuard(t *testing.T) {
	c := sample()
	c.Trends[0].Title.EN = "=HYPERLINK(\"http://evil\")"
	c.Trends[0].Summary.EN = "-5% budget"
	c.Trends[0].Summary.SV = "'@home"
	for _, f := range []library.Format{library.FormatCSV, library.FormatRadar} {
		b := mustMarshal(t, c, f)
		for _, bad := range []string{",=HYPERLINK", ",-5%", ",'@home"} {
			if strings.Contains(string(b), bad) {
				t.Errorf("%s export has an unguarded cell %q:\n%s", f, bad, b)
			}
		}
		back := mustParse(t, "g.csv", b, f, library.ParseOptions{})
		if back.Trends[0].Title.EN != c.Trends[0].Title.EN {
			t.Errorf("%s: title came back as %q", f, back.Trends[0].Title.EN)
		}
	}
	back := mustParse(t, "g.csv", mustMarshal(t, c, library.FormatCSV), library.FormatCSV, library.ParseOptions{})
	if back.Trends[0].Summary != c.Trends[0].Summary {
		t.Errorf("summary came back as %+v", back.Trends[0].Summary)
	}
}

// Ensures a radar file maps onto a library: any number of quadrants become
// driving forces and any number of rings horizons, in order of first
// appearance and with their names; isNew and status are read in any case;
// names that give the same key get a numeric suffix.
func TestParseRadarMapping(t *testing.T) {
	in := "name,ring,quadrant,isNew,status,description\n" +
		"AI,Adopt,Tools,TRUE,New,<p>Useful</p>\n" +
		"A.I.,Trial,Techniques,yes,moved  IN,\n" +
		"Kubernetes,Assess,Platforms,false,,\n" +
		"Rust,Hold,Languages,No,no change,\n" +
		"Zig,Watch,Fifth quadrant,,,\n" +
		"Go,Adopt,Tools,FALSE,Moved Out,\n"
	c := mustParse(t, "radar.csv", []byte(in), library.FormatRadar, library.ParseOptions{Name: "Tech radar"})
	var forces, horizons, keys []string
	for _, f := range c.DrivingForces {
		forces = append(forces, f.Key+"="+f.Name.EN)
	}
	for _, h := range c.Horizons {
		horizons = append(horizons, h.Key+"="+h.Name.EN)
	}
	for _, tr := range c.Trends {
		keys = append(keys, tr.Key)
	}
	check := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %v; want %v", what, got, want)
		}
	}
	check("forces", forces, []string{"tools=Tools", "techniques=Techniques", "platforms=Platforms", "languages=Languages", "fifth-quadrant=Fifth quadrant"})
	check("horizons", horizons, []string{"adopt=Adopt", "trial=Trial", "assess=Assess", "hold=Hold", "watch=Watch"})
	check("keys", keys, []string{"ai", "a-i", "kubernetes", "rust", "zig", "go"})
	check("name", c.Name, domain.T("Tech radar", ""))
	check("first trend", c.Trends[0], domain.Trend{
		Key: "ai", Title: domain.T("AI", ""), Description: domain.T("<p>Useful</p>", ""), Category: domain.Technology,
		DrivingForces: []string{"tools"}, Horizon: "adopt", IsNew: true, Movement: "new",
	})
	var moves []string
	var isNew []bool
	for _, tr := range c.Trends {
		moves = append(moves, tr.Movement)
		isNew = append(isNew, tr.IsNew)
	}
	check("movements", moves, []string{"new", "moved in", "", "no change", "", "moved out"})
	check("isNew", isNew, []bool{true, true, false, false, false, false})
}

// Ensures the radar options put texts in Swedish and set the category, and
// that a radar without rings gets the default horizons.
func TestParseRadarOptions(t *testing.T) {
	in := "name,ring,quadrant,isNew,description\nVälfärd,,Samhälle,TRUE,Mer omsorg\nAI,,Samhälle,FALSE,\n"
	c := mustParse(t, "r.csv", []byte(in), library.FormatRadar, library.ParseOptions{Name: "Omvärld", Lang: "sv", DefaultCategory: domain.Societal})
	if c.Name != domain.T("", "Omvärld") || c.Trends[0].Title != domain.T("", "Välfärd") || c.Trends[0].Description != domain.T("", "Mer omsorg") {
		t.Errorf("texts not in Swedish: %+v", c)
	}
	if c.DrivingForces[0] != (domain.DrivingForce{Key: "samhalle", Name: domain.T("", "Samhälle")}) {
		t.Errorf("force %+v", c.DrivingForces[0])
	}
	if c.Trends[1].Category != domain.Societal || c.Trends[1].Horizon != "" {
		t.Errorf("trend %+v", c.Trends[1])
	}
	if !reflect.DeepEqual(c.Horizons, domain.DefaultHorizons()) {
		t.Errorf("horizons %+v", c.Horizons)
	}
}

// Ensures the radar export writes rings and quadrants by name, falls back to
// the category when a trend has no driving force, and leaves out the status
// column when no trend has a status.
func TestWriteRadar(t *testing.T) {
	c := sample()
	for i := range c.Trends {
		c.Trends[i].Movement = ""
	}
	got := string(mustMarshal(t, c, library.FormatRadar))
	want := "name,ring,quadrant,isNew,description\n" +
		"AI changes working life,Within 3 years,Technology shift,TRUE,Generative AI takes on routine tasks.\n" +
		"More older residents,3–10 years,Demography,FALSE,Demand for care grows faster than the workforce.\n" +
		"Gemensamma plattformar,,Digital,FALSE,\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// Ensures the format is told from the content first and the extension second.
func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		file, data string
		want       library.Format
	}{
		{"lib.csv", "  \n{\"format\": 1}", library.FormatJSON},
		{"lib.txt", "\xef\xbb\xbf[1]", library.FormatJSON},
		{"lib.csv", "\xef\xbb\xbfName,Ring,Quadrant,isNew,description\n", library.FormatRadar},
		{"lib.json", "name;ring;quadrant;isNew;description\n", library.FormatRadar},
		{"lib.json", "key,category,title_en\n", library.FormatJSON},
		{"lib.CSV", "key,category,title_en\n", library.FormatCSV},
		{"lib", "name,title_en\n", library.FormatCSV},
		{"lib.json", "", library.FormatJSON},
		{"lib.csv", "\xef\xbb\xbf", library.FormatCSV},
	} {
		got, err := library.Detect(tc.file, []byte(tc.data))
		if err != nil || got != tc.want {
			t.Errorf("Detect(%q, %q) = %q, %v; want %q", tc.file, tc.data, got, err, tc.want)
		}
	}
	if _, err := library.Detect("upload.bin", nil); err == nil || err.Error() != `cannot tell the format of "upload.bin": the file is empty; give the format as json, csv or radar` {
		t.Errorf("Detect of an empty .bin: %v", err)
	}
}

// Ensures format names, media types and extensions are as the web and the
// command line need them.
func TestFormatNames(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    library.Format
		ct, ext string
	}{
		{"json", library.FormatJSON, "application/json", ".json"},
		{" CSV ", library.FormatCSV, "text/csv; charset=utf-8", ".csv"},
		{"Radar", library.FormatRadar, "text/csv; charset=utf-8", ".csv"},
	} {
		f, err := library.ParseFormat(tc.in)
		if err != nil || f != tc.want || f.ContentType() != tc.ct || f.Extension() != tc.ext {
			t.Errorf("ParseFormat(%q) = %q, %v (%s, %s)", tc.in, f, err, f.ContentType(), f.Extension())
		}
	}
	if _, err := library.ParseFormat("xlsx"); err == nil || err.Error() != `unknown format "xlsx"; use json, csv or radar` {
		t.Errorf("ParseFormat(xlsx): %v", err)
	}
}

// Ensures Write refuses what it cannot write instead of writing garbage.
func TestWriteErrors(t *testing.T) {
	if _, err := library.Marshal(nil, library.FormatJSON); err == nil {
		t.Error("Marshal(nil) gave no error")
	}
	if _, err := library.Marshal(sample(), "xml"); err == nil {
		t.Error("Marshal as xml gave no error")
	}
}
