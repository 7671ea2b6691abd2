package starter

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAllInOrder(t *testing.T) {
	want := []string{"public-sector-digital", "municipal-2030", "local-services-2035"}
	got := All()
	if len(got) != len(want) {
		t.Fatalf("All() returned %d libraries, want %d", len(got), len(want))
	}
	for i, s := range got {
		if s.Key != want[i] {
			t.Errorf("All()[%d].Key = %q, want %q", i, s.Key, want[i])
		}
	}
}

func TestEveryEmbeddedFileIsListed(t *testing.T) {
	names, err := fs.Glob(files, "*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != len(keys) {
		t.Errorf("%d JSON files embedded, %d listed in keys", len(names), len(keys))
	}
	for _, n := range names {
		if _, ok := ByKey(strings.TrimSuffix(n, ".json")); !ok {
			t.Errorf("embedded %s is not reachable through ByKey", n)
		}
	}
}

func TestByKey(t *testing.T) {
	s, ok := ByKey("municipal-2030")
	if !ok || s.Key != "municipal-2030" || len(s.JSON) == 0 {
		t.Fatalf("ByKey(municipal-2030) = %q, %d bytes, %v", s.Key, len(s.JSON), ok)
	}
	for _, k := range []string{"", "nope", "municipal-2030.json", "../starter/municipal-2030", "*"} {
		if _, ok := ByKey(k); ok {
			t.Errorf("ByKey(%q) found a library", k)
		}
	}
}

func TestCopiesAreIndependent(t *testing.T) {
	a, _ := ByKey("public-sector-digital")
	a.JSON[0] = 'x'
	b, _ := ByKey("public-sector-digital")
	if b.JSON[0] != '{' {
		t.Fatal("modifying returned JSON changed the embedded library")
	}
}

// TestShape checks what the starter files promise without depending on the
// import code: the format marker, UTF-8, both languages in every text, and
// that trends only refer to horizons and driving forces of the same file.
func TestShape(t *testing.T) {
	for _, s := range All() {
		t.Run(s.Key, func(t *testing.T) {
			if !utf8.Valid(s.JSON) {
				t.Fatal("not valid UTF-8")
			}
			if !bytes.HasSuffix(s.JSON, []byte("}\n")) {
				t.Error("must end with a single newline after the closing brace")
			}
			type text struct{ EN, SV string }
			type keyed struct {
				Key  string `json:"key"`
				Name text   `json:"name"`
			}
			var lib struct {
				Format        string  `json:"format"`
				Name          text    `json:"name"`
				Horizons      []keyed `json:"horizons"`
				DrivingForces []keyed `json:"driving_forces"`
				Trends        []struct {
					Key           string   `json:"key"`
					Title         text     `json:"title"`
					Description   text     `json:"description"`
					Category      string   `json:"category"`
					DrivingForces []string `json:"driving_forces"`
					Horizon       string   `json:"horizon"`
					Indicators    []text   `json:"indicators"`
					Questions     []text   `json:"questions"`
					Sources       []struct {
						Title, URL, Date string
					} `json:"sources"`
				} `json:"trends"`
				CapabilityAreas []struct {
					Key    string `json:"key"`
					Levels []text `json:"levels"`
				} `json:"capability_areas"`
			}
			dec := json.NewDecoder(bytes.NewReader(s.JSON))
			if err := dec.Decode(&lib); err != nil {
				t.Fatal(err)
			}
			if lib.Format != "waymark.library/v1" {
				t.Errorf("format = %q", lib.Format)
			}
			both := func(where string, x text) {
				if strings.TrimSpace(x.EN) == "" || strings.TrimSpace(x.SV) == "" {
					t.Errorf("%s: missing English or Swedish", where)
				}
			}
			both("name", lib.Name)
			horizons := map[string]bool{}
			for _, h := range lib.Horizons {
				horizons[h.Key] = true
				both("horizon "+h.Key, h.Name)
			}
			if len(horizons) != 4 {
				t.Errorf("%d horizons, want 4", len(horizons))
			}
			forces := map[string]bool{}
			for _, f := range lib.DrivingForces {
				forces[f.Key] = true
				both("driving force "+f.Key, f.Name)
			}
			if len(lib.Trends) < 10 {
				t.Errorf("only %d trends", len(lib.Trends))
			}
			seen := map[string]bool{}
			for _, tr := range lib.Trends {
				if seen[tr.Key] {
					t.Errorf("trend key %q used twice", tr.Key)
				}
				seen[tr.Key] = true
				both(tr.Key+" title", tr.Title)
				both(tr.Key+" description", tr.Description)
				switch tr.Category {
				case "societal", "digital", "technology":
				default:
					t.Errorf("%s: category %q", tr.Key, tr.Category)
				}
				if !horizons[tr.Horizon] {
					t.Errorf("%s: unknown horizon %q", tr.Key, tr.Horizon)
				}
				for _, f := range tr.DrivingForces {
					if !forces[f] {
						t.Errorf("%s: unknown driving force %q", tr.Key, f)
					}
				}
				if len(tr.Indicators) == 0 || len(tr.Questions) == 0 || len(tr.Sources) == 0 {
					t.Errorf("%s: needs indicators, questions and sources", tr.Key)
				}
				for _, x := range append(tr.Indicators, tr.Questions...) {
					both(tr.Key+" indicator or question", x)
				}
				for _, src := range tr.Sources {
					if src.Title == "" || !strings.HasPrefix(src.URL, "https://") {
						t.Errorf("%s: source %+v", tr.Key, src)
					}
				}
			}
			for _, a := range lib.CapabilityAreas {
				if len(a.Levels) != 5 {
					t.Errorf("capability area %s has %d levels, want 5", a.Key, len(a.Levels))
				}
				for _, l := range a.Levels {
					both("capability area "+a.Key+" level", l)
				}
			}
		})
	}
}
