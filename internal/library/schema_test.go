package library_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/waymark/waymark/internal/library"
)

// miniSchema checks an instance against the subset of JSON Schema 2020-12
// that library-v1.schema.json uses. It fails on any keyword it does not
// know, so the schema cannot quietly grow past what is tested.
type miniSchema struct {
	t    *testing.T
	root map[string]any
}

func loadSchema(t *testing.T) *miniSchema {
	t.Helper()
	var root map[string]any
	if err := json.Unmarshal(library.SchemaJSON, &root); err != nil {
		t.Fatalf("schema is not valid JSON: %v", err)
	}
	return &miniSchema{t, root}
}

func (s *miniSchema) validate(v any) []string {
	var errs []string
	s.check(s.root, v, "$", &errs)
	return errs
}

func (s *miniSchema) check(sch map[string]any, v any, path string, errs *[]string) {
	fail := func(format string, args ...any) { *errs = append(*errs, path+": "+fmt.Sprintf(format, args...)) }
	keys := make([]string, 0, len(sch))
	for k := range sch {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		kw := sch[k]
		switch k {
		case "$schema", "$id", "$defs", "title", "description":
		case "$ref":
			name, ok := strings.CutPrefix(kw.(string), "#/$defs/")
			def, found := s.root["$defs"].(map[string]any)[name].(map[string]any)
			if !ok || !found {
				s.t.Fatalf("schema: unresolved $ref %v", kw)
			}
			s.check(def, v, path, errs)
		case "const":
			if !reflect.DeepEqual(v, kw) {
				fail("must be %v", kw)
			}
		case "enum":
			if !slices.ContainsFunc(kw.([]any), func(e any) bool { return reflect.DeepEqual(e, v) }) {
				fail("%v is not in %v", v, kw)
			}
		case "type":
			ok := false
			switch kw {
			case "object":
				_, ok = v.(map[string]any)
			case "array":
				_, ok = v.([]any)
			case "string":
				_, ok = v.(string)
			case "boolean":
				_, ok = v.(bool)
			case "integer":
				f, isNum := v.(float64)
				ok = isNum && f == float64(int64(f))
			default:
				s.t.Fatalf("schema: type %v not supported by the test", kw)
			}
			if !ok {
				fail("must be of type %v", kw)
			}
		case "propertyNames":
			if obj, ok := v.(map[string]any); ok {
				for name := range obj {
					s.check(kw.(map[string]any), name, path+"."+name, errs)
				}
			}
		case "minimum", "maximum":
			f, ok := v.(float64)
			if !ok {
				continue
			}
			if k == "minimum" && f < kw.(float64) || k == "maximum" && f > kw.(float64) {
				fail("%v is outside %v %v", f, k, kw)
			}
		case "properties", "additionalProperties", "required", "minProperties":
			obj, ok := v.(map[string]any)
			if !ok {
				continue
			}
			props, _ := sch["properties"].(map[string]any)
			switch k {
			case "properties":
				for name, val := range obj {
					if ps, ok := props[name].(map[string]any); ok {
						s.check(ps, val, path+"."+name, errs)
					}
				}
			case "additionalProperties":
				extra, isSchema := kw.(map[string]any)
				if kw != false && !isSchema {
					s.t.Fatalf("schema: additionalProperties %v not supported by the test", kw)
				}
				for name, val := range obj {
					if _, ok := props[name]; ok {
						continue
					}
					if isSchema {
						s.check(extra, val, path+"."+name, errs)
					} else {
						fail("unknown property %q", name)
					}
				}
			case "required":
				for _, name := range kw.([]any) {
					if _, ok := obj[name.(string)]; !ok {
						fail("missing property %q", name)
					}
				}
			case "minProperties":
				if float64(len(obj)) < kw.(float64) {
					fail("has fewer than %v properties", kw)
				}
			}
		case "items", "minItems", "maxItems", "uniqueItems":
			arr, ok := v.([]any)
			if !ok {
				continue
			}
			switch k {
			case "items":
				for i, item := range arr {
					s.check(kw.(map[string]any), item, fmt.Sprintf("%s[%d]", path, i), errs)
				}
			case "minItems":
				if float64(len(arr)) < kw.(float64) {
					fail("has fewer than %v items", kw)
				}
			case "maxItems":
				if float64(len(arr)) > kw.(float64) {
					fail("has more than %v items", kw)
				}
			case "uniqueItems":
				for i := range arr {
					for j := range i {
						if reflect.DeepEqual(arr[i], arr[j]) {
							fail("items %d and %d are equal", j, i)
						}
					}
				}
			}
		case "pattern", "minLength", "maxLength":
			str, ok := v.(string)
			if !ok {
				continue
			}
			switch k {
			case "pattern":
				if !regexp.MustCompile(kw.(string)).MatchString(str) {
					fail("%q does not match %v", str, kw)
				}
			case "minLength":
				if float64(utf8.RuneCountInString(str)) < kw.(float64) {
					fail("is shorter than %v", kw)
				}
			case "maxLength":
				if float64(utf8.RuneCountInString(str)) > kw.(float64) {
					fail("is longer than %v", kw)
				}
			}
		default:
			s.t.Fatalf("schema: keyword %q not supported by the test", k)
		}
	}
}

func decodeAny(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// Ensures the schema is a draft 2020-12 schema with the $id it is served
// under, and that the sample library and the JSON fixtures pass it.
func TestSchemaAcceptsValidLibraries(t *testing.T) {
	s := loadSchema(t)
	if s.root["$schema"] != "https://json-schema.org/draft/2020-12/schema" || s.root["$id"] != library.SchemaPath || library.SchemaPath != "/schemas/library-v1.json" {
		t.Errorf("$schema %v, $id %v", s.root["$schema"], s.root["$id"])
	}
	for _, name := range []string{"sample.json"} {
		if errs := s.validate(decodeAny(t, readTestdata(t, name))); len(errs) > 0 {
			t.Errorf("%s fails the schema:\n%s", name, strings.Join(errs, "\n"))
		}
	}
}

// Ensures the checker used above does reject what the schema forbids.
func TestSchemaRejectsBrokenLibraries(t *testing.T) {
	s := loadSchema(t)
	for _, tc := range []struct{ json, want string }{
		{`{"name": {"en": "L"}}`, `$: missing property "format"`},
		{`{"format": "waymark.library/v2", "name": {"en": "L"}}`, `$.format: must be waymark.library/v1`},
		{`{"format": "waymark.library/v1", "name": {"en": "L"}, "trends": [{"key": "a", "title": {"en": "A"}, "category": "economic"}]}`, `$.trends[0].category: economic is not in [societal digital technology]`},
		{`{"format": "waymark.library/v1", "name": {"en": "L"}, "trends": [{"key": "a", "title": {"de": "A"}, "category": "digital"}]}`, `$.trends[0].title: unknown property "de"`},
		{`{"format": "waymark.library/v1", "name": {}}`, `$.name: has fewer than 1 properties`},
		{`{"format": "waymark.library/v1", "name": {"en": "L"}, "trends": [{"key": "a", "title": {"en": "A"}, "category": "digital", "demands": {"b": 0}}]}`, `$.trends[0].demands.b: 0 is outside minimum 1`},
		{`{"format": "waymark.library/v1", "name": {"en": "L"}, "trends": [{"key": "a", "title": {"en": "A"}, "category": "digital", "demands": {"B": 2.5}}]}`, `$.trends[0].demands.B: "B" does not match ^[a-z0-9][a-z0-9-]*$`},
		{`{"format": "waymark.library/v1", "name": {"en": "L"}, "capability_areas": [{"key": "a", "name": {"en": "A"}, "levels": [{}]}]}`, `$.capability_areas[0].levels: has fewer than 5 items`},
	} {
		if errs := s.validate(decodeAny(t, []byte(tc.json))); !slices.Contains(errs, tc.want) {
			t.Errorf("%s: got %q; want %q among them", tc.json, errs, tc.want)
		}
	}
}

// Ensures the schema and the importer agree on the fields: every property the
// schema names appears in the sample library (which the importer accepts
// whole), and removing any field the schema requires makes the importer
// report a problem on that field.
func TestSchemaMatchesImporter(t *testing.T) {
	s := loadSchema(t)
	sample := decodeAny(t, readTestdata(t, "sample.json"))
	var walk func(sch map[string]any, v any, path string)
	walk = func(sch map[string]any, v any, path string) {
		if ref, ok := sch["$ref"].(string); ok {
			sch = s.root["$defs"].(map[string]any)[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
		}
		if items, ok := sch["items"].(map[string]any); ok {
			arr, _ := v.([]any)
			if len(arr) == 0 {
				t.Errorf("%s: the sample has no items; add some so the schema is covered", path)
				return
			}
			walk(items, arr[0], path+"[0]")
			return
		}
		props, ok := sch["properties"].(map[string]any)
		if !ok {
			return
		}
		obj := v.(map[string]any)
		for name, p := range props {
			val, ok := obj[name]
			if !ok {
				t.Errorf("%s.%s: in the schema but not in the sample library", path, name)
				continue
			}
			walk(p.(map[string]any), val, path+"."+name)
		}
		req, _ := sch["required"].([]any)
		for _, name := range req {
			name := name.(string)
			saved := obj[name]
			delete(obj, name)
			b, _ := json.Marshal(sample)
			_, ps := library.Parse("s.json", b, library.FormatJSON, library.ParseOptions{})
			found := false
			for _, p := range ps {
				full := p.Where + "." + p.Field
				if strings.HasSuffix(full, "."+name) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s.%s is required by the schema, but the importer reports %q without it", path, name, problemStrings(ps))
			}
			obj[name] = saved
		}
	}
	walk(s.root, sample, "$")
}
