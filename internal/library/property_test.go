package library_test

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/library"
)

// libraryGen draws valid libraries. With csvSafe it keeps to what the CSV
// formats can hold exactly: single-line trimmed texts, no ";" in names and
// tags, no "|" in sources, driving-force and horizon names whose keys differ,
// and distinct trend titles.
func libraryGen(csvSafe bool) *rapid.Generator[*domain.Content] {
	word := rapid.StringMatching(`[A-Za-zÅÄÖåäö0-9][A-Za-zÅÄÖåäö0-9 ,.!?"'=+@()&-]{0,24}`)
	line := rapid.Custom(func(t *rapid.T) string {
		if csvSafe {
			return strings.TrimSpace(word.Draw(t, "line"))
		}
		return rapid.StringN(1, 40, -1).Draw(t, "line")
	})
	text := func(t *rapid.T, label string, required bool) domain.Text {
		var x domain.Text
		if rapid.Bool().Draw(t, label+".hasEN") {
			x.EN = line.Draw(t, label+".en")
		}
		if rapid.Bool().Draw(t, label+".hasSV") || (required && x.EN == "") {
			x.SV = line.Draw(t, label+".sv")
		}
		return x
	}
	key := rapid.StringMatching(`[a-z0-9][a-z0-9-]{0,12}`)
	return rapid.Custom(func(t *rapid.T) *domain.Content {
		c := &domain.Content{Name: text(t, "name", true)}
		if !csvSafe {
			c.Description = text(t, "description", false)
			c.Attribution = domain.Attribution{SourceOrganisation: rapid.SampledFrom([]string{"", "SKR", "Socitm"}).Draw(t, "org"),
				URL: rapid.SampledFrom([]string{"", "https://example.org/a?b=c"}).Draw(t, "url")}
		}
		// Horizons and forces: names from distinct slugs, so CSV keys stay apart.
		slugs := map[string]bool{"technology": true, "societal": true, "digital": true}
		for _, d := range domain.DefaultHorizons() {
			for _, s := range []string{d.Key, d.Name.EN, d.Name.SV} {
				slugs[domain.Slugify(s)] = true
			}
		}
		name := func(label string) domain.Text {
			for {
				n := text(t, label, true)
				s := domain.Slugify(n.String("en"))
				if s != "" && !slugs[s] && !strings.Contains(n.EN+n.SV, ";") {
					slugs[s] = true
					return n
				}
			}
		}
		if rapid.Bool().Draw(t, "defaultHorizons") {
			c.Horizons = domain.DefaultHorizons()
		}
		hkeys := rapid.SliceOfNDistinct(key, 0, 5, rapid.ID[string]).Draw(t, "horizonKeys")
		for _, k := range hkeys {
			if _, dup := c.HorizonByKey(k); !dup {
				c.Horizons = append(c.Horizons, domain.Horizon{Key: k, Name: name("horizon")})
			}
		}
		for _, k := range rapid.SliceOfNDistinct(key, 0, 6, rapid.ID[string]).Draw(t, "forceKeys") {
			c.DrivingForces = append(c.DrivingForces, domain.DrivingForce{Key: k, Name: name("force"), Description: text(t, "forceDesc", false)})
		}
		if !csvSafe {
			for _, k := range rapid.SliceOfNDistinct(key, 0, 3, rapid.ID[string]).Draw(t, "tensionKeys") {
				c.Tensions = append(c.Tensions, domain.Tension{Key: k, Name: text(t, "t", true), PoleA: text(t, "a", true), PoleB: text(t, "b", true), Description: text(t, "d", false)})
			}
			for _, k := range rapid.SliceOfNDistinct(key, 0, 3, rapid.ID[string]).Draw(t, "areaKeys") {
				a := domain.CapabilityArea{Key: k, Name: text(t, "n", true), Description: text(t, "d", false)}
				for l := range a.Levels {
					a.Levels[l] = text(t, "level", false)
				}
				c.CapabilityAreas = append(c.CapabilityAreas, a)
			}
		}
		titles := map[string]bool{}
		for _, k := range rapid.SliceOfNDistinct(key, 1, 8, rapid.ID[string]).Draw(t, "trendKeys") {
			tr := domain.Trend{Key: k, Category: rapid.SampledFrom(domain.Categories).Draw(t, "category"),
				Summary: text(t, "summary", false), Description: text(t, "trendDesc", false)}
			for {
				tr.Title = text(t, "title", true)
				if !titles[tr.Title.String("en")] {
					titles[tr.Title.String("en")] = true
					break
				}
			}
			if len(c.DrivingForces) > 0 {
				for _, i := range rapid.SliceOfNDistinct(rapid.IntRange(0, len(c.DrivingForces)-1), 0, 3, rapid.ID[int]).Draw(t, "forces") {
					tr.DrivingForces = append(tr.DrivingForces, c.DrivingForces[i].Key)
				}
			}
			if len(c.Horizons) > 0 && rapid.Bool().Draw(t, "hasHorizon") {
				tr.Horizon = c.Horizons[rapid.IntRange(0, len(c.Horizons)-1).Draw(t, "horizon")].Key
			}
			for range rapid.IntRange(0, 3).Draw(t, "indicators") {
				tr.Indicators = append(tr.Indicators, text(t, "indicator", true))
			}
			for range rapid.IntRange(0, 3).Draw(t, "questions") {
				tr.Questions = append(tr.Questions, text(t, "question", true))
			}
			for range rapid.IntRange(0, 2).Draw(t, "sources") {
				title := line.Draw(t, "sourceTitle")
				if strings.Contains(title, "|") || strings.TrimSpace(title) == "" {
					title = "Report"
				}
				tr.Sources = append(tr.Sources, domain.Source{Title: title,
					URL:  rapid.SampledFrom([]string{"", "https://example.org/x", "http://a.b/c?d=e#f"}).Draw(t, "sourceURL"),
					Date: rapid.SampledFrom([]string{"", "2024", "2024-05", "2024-05-17"}).Draw(t, "sourceDate")})
			}
			for _, tag := range rapid.SliceOfNDistinct(rapid.StringMatching(`[a-zåäö][a-zåäö0-9 -]{0,10}[a-z0-9]`), 0, 3, rapid.ID[string]).Draw(t, "tags") {
				tr.Tags = append(tr.Tags, tag)
			}
			if len(c.CapabilityAreas) > 0 {
				for _, i := range rapid.SliceOfNDistinct(rapid.IntRange(0, len(c.CapabilityAreas)-1), 0, 3, rapid.ID[int]).Draw(t, "demands") {
					tr.Demands = append(tr.Demands, domain.Demand{Area: c.CapabilityAreas[i].Key, Level: rapid.IntRange(1, domain.DemandMax).Draw(t, "demand")})
				}
				domain.SortDemands(tr.Demands)
			}
			tr.IsNew = rapid.Bool().Draw(t, "isNew")
			tr.Movement = rapid.SampledFrom([]string{"", "new", "moved in", "moved out", "no change"}).Draw(t, "movement")
			c.Trends = append(c.Trends, tr)
		}
		if vs := c.Validate(); len(vs) > 0 {
			t.Fatalf("generator made invalid content: %+v", vs)
		}
		return c
	})
}

// Ensures any valid library comes back from the canonical JSON exactly, and
// that a second export has the same bytes.
func TestPropertyJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := libraryGen(false).Draw(t, "library")
		b := mustMarshal(t, c, library.FormatJSON)
		back, ps := library.Parse("p.json", b, library.FormatJSON, library.ParseOptions{})
		if len(ps) > 0 {
			t.Fatalf("problems: %v\n%s", problemStrings(ps), b)
		}
		if !reflect.DeepEqual(back, c) {
			t.Fatalf("differs:\n got %#v\nwant %#v", back, c)
		}
		if b2 := mustMarshal(t, back, library.FormatJSON); !bytes.Equal(b, b2) {
			t.Fatal("second export differs")
		}
	})
}

// Ensures export → import → export gives the same bytes in both CSV formats
// for any library the CSV formats can hold.
func TestPropertyCSVRoundTrip(t *testing.T) {
	for _, f := range []library.Format{library.FormatCSV, library.FormatRadar} {
		t.Run(string(f), func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				c := libraryGen(true).Draw(t, "library")
				first := mustMarshal(t, c, f)
				back, ps := library.Parse("p.csv", first, f, library.ParseOptions{})
				if len(ps) > 0 {
					t.Fatalf("problems: %v\n%s", problemStrings(ps), first)
				}
				if second := mustMarshal(t, back, f); !bytes.Equal(first, second) {
					t.Fatalf("second export differs:\n%s\n---\n%s", first, second)
				}
				if len(back.Trends) != len(c.Trends) {
					t.Fatal(fmt.Sprint("trend count ", len(back.Trends)))
				}
			})
		})
	}
}
