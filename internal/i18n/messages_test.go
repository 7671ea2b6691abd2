package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/library"
)

// brokenFiles are inputs that make the importers report every kind of
// problem they know.
var brokenFiles = []struct {
	name   string
	format library.Format
	data   string
}{
	{"empty.csv", library.FormatCSV, ""},
	{"a.csv", library.FormatCSV, "key,category,title_en,title_sv,colour,key\nai,technology,AI,AI,x,y\n"},
	{"b.csv", library.FormatCSV, "key,title_en\nai,AI\n"},
	{"c.csv", library.FormatCSV, "key,category\nai,digital\n"},
	{"d.csv", library.FormatCSV, "key,category,title_en\n"},
	{"e.csv", library.FormatCSV, "key,category,title_en,title_sv,horizon,driving_forces,sources,tags\n" +
		"ai,technology,AI,AI,,,A | b | c | d,\n" +
		"ai,weather,Again,Igen,,,,\n" +
		"Bad Key,,,,,,\"unclosed\n"},
	{"f.csv", library.FormatCSV, "key,category,title_en\nx,\"digital\"y,Z\nq,digital,\"a\"b\"\n"},
	{"g.csv", library.FormatCSV, "key,category,title_en\nai,digital,A\xffB\nshort,digital\n,digital,\n,digital,\n"},
	{"h.csv", library.FormatCSV, "key,category,title_en,sources\nai,digital,AI,Report | ftp://x | 2024-13\n"},
	{"r.csv", library.FormatRadar, "name,ring,quadrant,isNew,description,status\nA,Adopt,Tools,maybe,d,Sideways\nA,Adopt,,TRUE,d,New\n,Adopt,Tools,FALSE,d,\n"},
	{"r2.csv", library.FormatRadar, "name,ring,quadrant\n"},
	{"r3.csv", library.FormatRadar, "name,quadrant\nA,B\n"},
	{"j1.json", library.FormatJSON, `{"format": "waymark.library/v2"}`},
	{"j2.json", library.FormatJSON, `{"name": {"en": "x"}}`},
	{"j3.json", library.FormatJSON, `[1, 2]`},
	{"j4.json", library.FormatJSON, `{"format": "waymark.library/v1", "name": {"en": "x"}, "trends": [{"key": "a", "title": {"en": "A", "fr": "B"}, "category": 3, "colour": "red", "key": "b"}]`},
	{"j5.json", library.FormatJSON, `{"format": "waymark.library/v1", "name": {"en": "x"},` + "\xff" + `}`},
	{"j6.json", library.FormatJSON, `{"format": "waymark.library/v1", "name": {"en": "x"}} {}`},
	{"j7.json", library.FormatJSON, `{"format": "waymark.library/v1", "name": {"en": "x"}, "capability_areas": [{"key": "a", "name": {"en": "A"}, "levels": [{"en": "1"}]}, {"key": "b", "name": {"en": "B"}}],
		"horizons": [{"key": "now", "name": {"en": "Now"}}], "driving_forces": [{"key": "d", "name": {"en": "D"}}],
		"trends": [{"key": "t", "title": {"en": "T"}, "category": "digital", "driving_forces": ["d", "d", "zz"], "horizon": "later", "tags": [""], "status": "up",
		"sources": [{"title": "", "url": "nope", "date": "yesterday"}], "indicators": [{}], "questions": [{"en": ""}]}], "attribution": {"url": "x"}}`},
	{"j9.json", library.FormatJSON, `{"format": "waymark.library/v1", "name": {"en": "x"}, "capability_areas": [{"key": "a", "name": {"en": "A"}, "levels": [{}, {}, {}, {}, {}]}],
		"trends": [{"key": "t", "title": {"en": "T"}, "category": "digital", "demands": {"a": 4, "b": 1, "c": "x"}}, {"key": "u", "title": {"en": "U"}, "category": "digital", "demands": []}]}`},
	{"j8.json", library.FormatJSON, `{"format": "waymark.library/v1", "name": {"en": "x"}, "trends": [{"key": "A B", "title": {"en": "` + strings.Repeat("x", 300) + `"}, "category": "digital"}, {"key": "", "category": "digital"}]}`},
	{"big.csv", library.FormatCSV, strings.Repeat("x", library.MaxFileSize+1)},
}

// Ensures every message the importers produce for broken files has a
// Swedish translation, so people reading the web in Swedish never get an
// English problem list.
func TestImportMessagesAreTranslated(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range brokenFiles {
		_, ps := library.Parse(f.name, []byte(f.data), f.format, library.ParseOptions{})
		if len(ps) == 0 {
			t.Errorf("%s: no problems; the corpus is broken", f.name)
		}
		for _, p := range ps {
			seen[p.Message] = true
		}
	}
	if _, err := library.Detect("x.bin", nil); err != nil {
		seen[err.Error()] = true
	}
	if _, err := library.ParseFormat("xlsx"); err != nil {
		seen[err.Error()] = true
	}
	for _, p := range (&domain.Content{}).Validate() {
		seen[p.Message] = true
	}
	if len(seen) < 40 {
		t.Errorf("only %d distinct messages in the corpus", len(seen))
	}
	for msg := range seen {
		if _, ok := translateMessage(msg); !ok {
			t.Errorf("no Swedish for %q", msg)
		}
	}
}

// Ensures the messages that the service, the domain and the web layer write
// for people (problems and domain errors) all have a Swedish translation.
// It reads the message formats from the source and fills in sample values.
func TestServiceMessagesAreTranslated(t *testing.T) {
	lit := regexp.MustCompile(`(?:Message: |Errorf\(domain\.E[A-Z]+, |Errorf\(E[A-Z]+, |invalid\("[a-z_]+", |forbidden\()"((?:[^"\\]|\\.)*)"`)
	sample := strings.NewReplacer("%q", `"x"`, "%d", "3", "%s", "edit libraries")
	n := 0
	for _, dir := range []string{"../service", "../domain", "../web", "../store"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, _ := os.ReadFile(f)
			for _, m := range lit.FindAllStringSubmatch(string(b), -1) {
				msg := strings.ReplaceAll(m[1], `\"`, `"`)
				if msg == "%s" { // passes on a message made elsewhere
					continue
				}
				if strings.HasPrefix(m[0], "forbidden(") {
					msg = "Your role does not allow you to " + msg + "."
				}
				msg = sample.Replace(msg)
				n++
				if _, ok := translateMessage(msg); !ok {
					t.Errorf("%s: no Swedish for %q", f, msg)
				}
			}
		}
	}
	if n < 30 {
		t.Fatalf("found only %d messages; is the scan broken?", n)
	}
}

// Ensures values inside messages are kept and known phrases translated.
func TestMessage(t *testing.T) {
	c := MustNew()
	for en, sv := range map[string]string{
		`"ai" is used twice: also on row 2`:               `"ai" används två gånger: även på rad 2`,
		"must be a string, not a number":                  "måste vara en sträng, inte ett tal",
		"Your role does not allow you to edit libraries.": "Din roll tillåter dig inte att redigera bibliotek.",
		"something new": "something new",
	} {
		if got := c.Message("sv", en); got != sv {
			t.Errorf("Message(sv, %q) = %q, want %q", en, got, sv)
		}
		if got := c.Message("en", en); got != en {
			t.Errorf("Message(en) changed %q", en)
		}
	}
}

// Ensures a reason that wraps another reason is translated whole, the inner
// reason included, and that quoted values are left as they are.
func TestNestedMessages(t *testing.T) {
	c := MustNew()
	for en, want := range map[string]string{
		"depends on “Data platform”, which is forced out":                               "är beroende av “Data platform”, som är tvingat ut",
		"“AI at scale” is forced in but depends on “Pilot”, which is forced out":        "“AI at scale” är tvingat in men är beroende av “Pilot”, som är tvingat ut",
		"depends on “A”, which is in the same mutually exclusive group case-management": "är beroende av “A”, som är i samma grupp av alternativ, case-management",
	} {
		if got := c.Message("sv", en); got != want {
			t.Errorf("Message(%q)\n got  %q\n want %q", en, got, want)
		}
	}
}
