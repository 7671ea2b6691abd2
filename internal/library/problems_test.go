package library_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/library"
)

type malformed struct {
	name string
	in   string
	want []string
}

// checkMalformed parses each case and compares every problem string, and
// that no content comes back.
func checkMalformed(t *testing.T, f library.Format, file string, cases []malformed) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, ps := library.Parse(file, []byte(tc.in), f, library.ParseOptions{})
			if c != nil {
				t.Errorf("got content with %d problems; want none", len(ps))
			}
			if got := problemStrings(ps); !slices.Equal(got, tc.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			for _, p := range ps {
				if p.File != file {
					t.Errorf("problem %q has file %q; want %q", p, p.File, file)
				}
			}
		})
	}
}

const jsonHead = `{"format": "waymark.library/v1", "name": {"en": "L"},` + "\n"

// Ensures every kind of broken JSON library is reported with its JSON path
// (or line and column for broken syntax), its field and the exact message,
// and that all problems are reported, not just the first.
func TestParseJSONProblems(t *testing.T) {
	checkMalformed(t, library.FormatJSON, "lib.json", []malformed{
		{"unknown format tag", `{"format": "waymark.library/v2", "name": {"en": "L"}, "colour": 1}`, []string{
			`lib.json:$: format: unknown format tag "waymark.library/v2"; expected "waymark.library/v1"`,
		}},
		{"missing format tag", `{"name": {"en": "L"}, "trends": [{"key": "a", "category": "digital"}]}`, []string{
			`lib.json:$: format: is missing; it must be "waymark.library/v1"`,
			`lib.json:$.trends[0]: title: is required in English or Swedish`,
		}},
		{"format tag of the wrong type", `{"format": 1, "name": {"en": "L"}}`, []string{
			`lib.json:$: format: must be the string "waymark.library/v1", not a number`,
		}},
		{"truncated", jsonHead + `"trends": [{"key": "a", "title": {"en": "A"}, "category": "digital",` + "\n", []string{
			`lib.json:3:1: unexpected end of file after byte 123: the JSON is truncated`,
		}},
		{"broken syntax", jsonHead + `"trends": [{"key": "a", "title": {"en": "A"}, "category": "digital",}]}`, []string{
			`lib.json:2:69: invalid JSON: invalid character '}' looking for beginning of object key string`,
		}},
		{"data after the object", jsonHead + `"trends": []} {}`, []string{
			`lib.json:2:15: invalid JSON: invalid character '{' after top-level value`,
		}},
		{"invalid UTF-8 on two lines", jsonHead + "\"description\": {\"sv\": \"Fr\xe5n\",\n\"en\": \"\xff\"}}", []string{
			`lib.json:2:26: is not valid UTF-8; save the file as UTF-8`,
			`lib.json:3:8: is not valid UTF-8; save the file as UTF-8`,
		}},
		{"not an object", `[{"format": "waymark.library/v1"}]`, []string{
			`lib.json:$: must be a JSON object with "format": "waymark.library/v1", not an array`,
		}},
		{"unknown fields", jsonHead + `"trends": [{"key": "a", "title": {"en": "A", "de": "A"}, "category": "digital", "colour": "red"}], "version": 2}`, []string{
			`lib.json:$.trends[0]: title.de: unknown language; a text has "en" and "sv"`,
			`lib.json:$.trends[0]: colour: unknown field`,
			`lib.json:$: version: unknown field`,
		}},
		{"wrong types in several items", jsonHead + `"trends": [` + "\n" +
			`{"key": "a", "title": "A", "category": "digital"},` + "\n" +
			`{"key": "b", "title": {"en": "B"}, "category": 3, "driving_forces": "x", "indicators": [{"en": 1}], "is_new": "yes"},` + "\n" +
			`"c", {"key": "d", "title": {"en": "D"}, "category": "digital", "sources": [{"title": "S", "url": ["x"]}], "tags": [true]}]}`, []string{
			`lib.json:$.trends[0]: title: must be an object of texts like {"en": "…", "sv": "…"}, not a string`,
			`lib.json:$.trends[1]: category: must be a string, not a number`,
			`lib.json:$.trends[1]: driving_forces: must be an array of strings, not a string`,
			`lib.json:$.trends[1]: indicators[0].en: must be a string, not a number`,
			`lib.json:$.trends[1]: is_new: must be true or false, not a string`,
			`lib.json:$.trends[2]: must be an object, not a string`,
			`lib.json:$.trends[3]: sources[0].url: must be a string, not an array`,
			`lib.json:$.trends[3]: tags[0]: must be a string, not true or false`,
		}},
		{"null is a wrong type", jsonHead + `"description": null}`, []string{
			`lib.json:$: description: must be an object of texts like {"en": "…", "sv": "…"}, not null`,
		}},
		{"list of the wrong type", jsonHead + `"trends": {"a": 1}}`, []string{
			`lib.json:$: trends: must be an array of trends, not an object`,
		}},
		{"missing driving force and horizon", jsonHead +
			`"driving_forces": [{"key": "climate", "name": {"en": "Climate"}}],` + "\n" +
			`"trends": [{"key": "a", "title": {"en": "A"}, "category": "digital", "driving_forces": ["climate", "water", "climate"], "horizon": "soon"}]}`, []string{
			`lib.json:$.trends[0]: driving_forces[1]: "water" is not a driving force of this library`,
			`lib.json:$.trends[0]: driving_forces[2]: "climate" is listed twice`,
			`lib.json:$.trends[0]: horizon: "soon" is not a time horizon of this library`,
		}},
		{"duplicate trend keys", jsonHead + `"trends": [{"key": "a", "title": {"en": "A"}, "category": "digital"},` + "\n" +
			`{"key": "b", "title": {"en": "B"}, "category": "digital"}, {"key": "a", "title": {"en": "A2"}, "category": "digital"}]}`, []string{
			`lib.json:$.trends[2]: key: "a" is used twice: also at $.trends[0]`,
		}},
		{"repeated field", jsonHead + `"trends": [{"key": "a", "key": "b", "title": {"en": "A"}, "category": "digital"}]}`, []string{
			`lib.json:$.trends[0]: key: appears twice in the same object; give each field once`,
		}},
		{"unknown and missing category", jsonHead + `"trends": [{"key": "a", "title": {"en": "A"}, "category": "economic"}, {"key": "b", "title": {"en": "B"}}]}`, []string{
			`lib.json:$.trends[0]: category: "economic" is not one of societal, digital, technology`,
			`lib.json:$.trends[1]: category: is required: societal, digital or technology`,
		}},
		{"empty names and bad values", jsonHead + `"horizons": [{"key": "now", "name": {}}],` + "\n" +
			`"trends": [{"key": "A b", "title": {"en": ""}, "category": "digital", "sources": [{"title": "", "url": "ftp://x", "date": "May"}], "tags": [" "], "status": "up"}]}`, []string{
			`lib.json:$.horizons[0]: name: is required in English or Swedish`,
			`lib.json:$.trends[0]: key: "A b" must be lower-case letters, digits and hyphens, at most 64 characters`,
			`lib.json:$.trends[0]: title: is required in English or Swedish`,
			`lib.json:$.trends[0]: sources[0].title: is required`,
			`lib.json:$.trends[0]: sources[0].url: "ftp://x" is not an http or https address`,
			`lib.json:$.trends[0]: sources[0].date: "May" is not a date like 2024, 2024-05 or 2024-05-17`,
			`lib.json:$.trends[0]: tags[0]: is empty`,
			`lib.json:$.trends[0]: status: "up" is not one of new, moved in, moved out, no change`,
		}},
		{"capability levels", jsonHead + `"capability_areas": [{"key": "x", "name": {"en": "X"}, "levels": [{}, {}]}, {"key": "y", "name": {"en": "Y"}}]}`, []string{
			`lib.json:$.capability_areas[0]: levels: must have exactly 5 levels, level 1 first; it has 2`,
			`lib.json:$.capability_areas[1]: levels: is missing; give 5 level descriptors, level 1 first`,
		}},
		{"demand links", jsonHead + `"capability_areas": [{"key": "data", "name": {"en": "Data"}, "levels": [{}, {}, {}, {}, {}]}],` + "\n" +
			`"trends": [{"key": "a", "title": {"en": "A"}, "category": "digital", "demands": {"data": 0, "skills": 2, "A B": 1}},` + "\n" +
			`{"key": "b", "title": {"en": "B"}, "category": "digital", "demands": {"data": 4}},` + "\n" +
			`{"key": "c", "title": {"en": "C"}, "category": "digital", "demands": {"data": 2.5}},` + "\n" +
			`{"key": "d", "title": {"en": "D"}, "category": "digital", "demands": {"data": -1}},` + "\n" +
			`{"key": "e", "title": {"en": "E"}, "category": "digital", "demands": {"data": "3"}},` + "\n" +
			`{"key": "f", "title": {"en": "F"}, "category": "digital", "demands": {"data": 1, "data": 2}},` + "\n" +
			`{"key": "g", "title": {"en": "G"}, "category": "digital", "demands": ["data"]},` + "\n" +
			`{"key": "h", "title": {"en": "H"}, "category": "digital", "demands": {"data": null}}]}`, []string{
			`lib.json:$.trends[0]: demands.data: must be 1 (a little), 2 (clearly) or 3 (strongly); leave the area out for no link`,
			`lib.json:$.trends[0]: demands.skills: "skills" is not a capability area of this library`,
			`lib.json:$.trends[0]: demands["A B"]: "A B" is not a capability area of this library`,
			`lib.json:$.trends[1]: demands.data: must be 1 (a little), 2 (clearly) or 3 (strongly); leave the area out for no link`,
			`lib.json:$.trends[2]: demands.data: must be 1 (a little), 2 (clearly) or 3 (strongly); leave the area out for no link`,
			`lib.json:$.trends[3]: demands.data: must be 1 (a little), 2 (clearly) or 3 (strongly); leave the area out for no link`,
			`lib.json:$.trends[4]: demands.data: must be a level 1, 2 or 3, not a string`,
			`lib.json:$.trends[5]: demands.data: appears twice in the same object; give each field once`,
			`lib.json:$.trends[6]: demands: must be an object of capability areas and levels like {"data-sharing": 3}, not an array`,
			`lib.json:$.trends[7]: demands.data: must be a level 1, 2 or 3, not null`,
		}},
		{"missing name", `{"format": "waymark.library/v1"}`, []string{
			`lib.json:$: name: is required in English or Swedish`,
		}},
		{"empty file", " \n", []string{`lib.json: file is empty`}},
		{"over the size limit", `{"format": "waymark.library/v1", "name": {"en": "` + strings.Repeat("x", library.MaxFileSize) + `"}}`, []string{
			`lib.json: file is larger than the 10 MiB limit`,
		}},
	})
}

// Ensures every kind of broken flat CSV is reported with its row, column and
// the exact message, all problems at once.
func TestParseCSVProblems(t *testing.T) {
	checkMalformed(t, library.FormatCSV, "trends.csv", []malformed{
		{"missing columns", "key,summary_en\na,A\n", []string{
			`trends.csv:1: missing column "category"`,
			`trends.csv:1: missing column "title_en" or "title_sv": a trend needs a title`,
		}},
		{"unknown, repeated and unnamed columns", "key,category,,title_en,colour,Title_EN\na,digital,,A,red,B\n", []string{
			`trends.csv:1: column 3 has no name in the header`,
			`trends.csv:1: unknown column "colour"`,
			`trends.csv:1: column "title_en" appears twice`,
		}},
		{"data under a trailing delimiter", "category,title_en,\ndigital,A,\ndigital,B,x\n", []string{
			`trends.csv:3: has 3 cells; the header has 2`,
		}},
		{"empty title", "key,category,title_en,title_sv\na,digital,,\n", []string{
			`trends.csv:2: title_en: is empty; a trend needs a title in title_en or title_sv`,
		}},
		{"duplicate keys", "key,category,title_en\na,digital,A\nb,digital,B\na,digital,C\n", []string{
			`trends.csv:4: key: "a" is used twice: also on row 2`,
		}},
		{"duplicate titles without keys", "category,title_en\ndigital,AI\ndigital,AI\n", []string{
			`trends.csv:3: title_en: "AI" is used twice: also on row 2; give the trends different titles or keys`,
		}},
		{"unknown and missing categories", "key,category,title_en\na,economic,A\nb,,B\n", []string{
			`trends.csv:2: category: "economic" is not one of societal, digital, technology`,
			`trends.csv:3: category: is required: societal, digital or technology`,
		}},
		{"bare quote", "category,title_en\ndigital,A\"B\ndigital,C\n", []string{
			`trends.csv:2: broken quoting at line 2, column 10: a " inside a cell that does not start with one; put the cell in quotes and write the " twice ("")`,
		}},
		{"text after a closing quote", "category,title_en\ndigital,\"A\"B\ndigital,C\n", []string{
			`trends.csv:2: broken quoting at line 2, column 11: a quoted cell goes on after its closing "; write a " inside a quoted cell twice ("")`,
		}},
		{"quote never closed", "category,title_en\ndigital,A\ndigital,\"B\ndigital,C\n", []string{
			`trends.csv:3: broken quoting: a quoted cell that starts on this row is never closed; a " is missing`,
		}},
		{"wrong number of cells", "category,title_en\ndigital,A,extra\ndigital\n", []string{
			`trends.csv:2: has 3 cells; the header has 2`,
			`trends.csv:3: has 1 cell; the header has 2`,
		}},
		{"invalid UTF-8", "category,title_en,title_sv\ndigital,A,Fr\xe5n\ndigital,B,Bra\ntechnology,\xff,\xc3\n", []string{
			`trends.csv:2: title_sv: is not valid UTF-8; save the file as UTF-8`,
			`trends.csv:4: title_en: is not valid UTF-8; save the file as UTF-8`,
			`trends.csv:4: title_sv: is not valid UTF-8; save the file as UTF-8`,
		}},
		{"rows numbered by their first line", "key,category,title_en,sources,tags\n" +
			"a,digital,\"Two\nlines\",\"S | ftp://x | May\nT | a | b | c\",ok\n" +
			",digital,,,\"" + strings.Repeat("x", 70) + "\"\n", []string{
			`trends.csv:2: sources: item 2 has 4 parts; write title | url | date`,
			`trends.csv:2: sources: item 1: url "ftp://x" is not an http or https address`,
			`trends.csv:2: sources: item 1: date "May" is not a date like 2024, 2024-05 or 2024-05-17`,
			`trends.csv:5: title_en: is empty; a trend needs a title in title_en or title_sv`,
			`trends.csv:5: tags: item 1 is longer than 64 characters`,
		}},
		{"header only", "category,title_en\n", []string{`trends.csv:1: the file has a header but no trend rows`}},
		{"empty file", "", []string{`trends.csv: file is empty`}},
		{"only a byte-order mark", "\xef\xbb\xbf", []string{`trends.csv: file is empty`}},
		{"over the size limit", "category,title_en\ndigital," + strings.Repeat("x", library.MaxFileSize) + "\n", []string{
			`trends.csv: file is larger than the 10 MiB limit`,
		}},
	})
}

// Ensures every kind of broken radar CSV is reported with its row, column and
// the exact message, all problems at once.
func TestParseRadarProblems(t *testing.T) {
	checkMalformed(t, library.FormatRadar, "radar.csv", []malformed{
		{"missing columns", "name,ring,quadrant\nA,B,C\n", []string{
			`radar.csv:1: missing column "isNew"`,
			`radar.csv:1: missing column "description"`,
		}},
		{"unknown column", "name,ring,quadrant,isNew,description,colour\nA,Adopt,Tools,TRUE,,red\n", []string{
			`radar.csv:1: unknown column "colour"`,
		}},
		{"empty names, duplicates, bad booleans and statuses", "name,ring,quadrant,isNew,description,status\n" +
			",Adopt,Tools,TRUE,,\n" +
			"X,Adopt,,maybe,,up\n" +
			"X,Hold,Tools,no,,moved in\n", []string{
			`radar.csv:2: name: is required`,
			`radar.csv:3: quadrant: is required`,
			`radar.csv:3: isNew: "maybe" is not a boolean; use true or false`,
			`radar.csv:3: status: "up" is not one of New, Moved In, Moved Out, No Change`,
			`radar.csv:4: name: "X" is used twice: also on row 3`,
		}},
		{"broken quoting", "name,ring,quadrant,isNew,description\nA,Adopt,Tools,TRUE,\"It \"works\"\"\n", []string{
			`radar.csv:2: broken quoting at line 2, column 24: a quoted cell goes on after its closing "; write a " inside a quoted cell twice ("")`,
		}},
		{"invalid UTF-8", "name,ring,quadrant,isNew,description\nA,Adopt,Tools,TRUE,V\xe4lf\xe4rd\n", []string{
			`radar.csv:2: description: is not valid UTF-8; save the file as UTF-8`,
		}},
		{"too long", "name,ring,quadrant,isNew,description\n" + strings.Repeat("n", 201) + "," + strings.Repeat("r", 201) + ",Tools,TRUE,\n", []string{
			`radar.csv:2: name: is longer than 200 characters`,
			`radar.csv:2: ring: "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr…" is longer than 200 characters`,
		}},
		{"header only", "name,ring,quadrant,isNew,description\n", []string{`radar.csv:1: the file has a header but no rows`}},
		{"empty file", "\n\n", []string{`radar.csv: file is empty`}},
	})
}

// Ensures options a caller gets wrong are reported as problems, not panics.
func TestParseBadOptions(t *testing.T) {
	radar := []byte("name,ring,quadrant,isNew,description\nA,Adopt,Tools,TRUE,\n")
	for _, tc := range []struct {
		f    library.Format
		opt  library.ParseOptions
		want string
	}{
		{library.FormatRadar, library.ParseOptions{Lang: "de"}, `r.csv: language "de" is not one of en, sv`},
		{library.FormatRadar, library.ParseOptions{DefaultCategory: "economic"}, `r.csv: default category "economic" is not one of societal, digital, technology`},
		{"xml", library.ParseOptions{}, `r.csv: unknown format "xml"; use json, csv or radar`},
	} {
		_, ps := library.Parse("r.csv", radar, tc.f, tc.opt)
		if got := problemStrings(ps); !slices.Equal(got, []string{tc.want}) {
			t.Errorf("%v: got %q; want %q", tc.opt, got, tc.want)
		}
	}
}

// Ensures a UTF-8 byte-order mark at the start is accepted in every format.
func TestByteOrderMarkAccepted(t *testing.T) {
	for _, f := range []library.Format{library.FormatJSON, library.FormatCSV, library.FormatRadar} {
		data := append([]byte("\xef\xbb\xbf"), bytes.TrimPrefix(mustMarshal(t, sample(), f), []byte("\xef\xbb\xbf"))...)
		mustParse(t, "bom"+f.Extension(), data, f, library.ParseOptions{})
	}
}

// Ensures a file with more problems than MaxProblems returns MaxProblems,
// the last saying how many were left out.
func TestProblemsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("category,title_en\n")
	for range library.MaxProblems + 10 {
		b.WriteString("economic,A\n")
	}
	_, ps := library.Parse("many.csv", []byte(b.String()), library.FormatCSV, library.ParseOptions{})
	if len(ps) != library.MaxProblems {
		t.Fatalf("got %d problems; want %d", len(ps), library.MaxProblems)
	}
	// Every row after the first repeats the title "A" too: two problems a row.
	if got, want := ps[len(ps)-1].String(), "many.csv: 1020 more problems are not shown; fix these first"; got != want {
		t.Errorf("last problem %q; want %q", got, want)
	}
}

// Ensures a file with more rows than a library may have trends is reported
// once, with the count, in both CSV formats.
func TestTooManyRows(t *testing.T) {
	var csv, radar strings.Builder
	csv.WriteString("category,title_en\n")
	radar.WriteString("name,ring,quadrant,isNew,description\n")
	for i := range domain.MaxTrends + 2 {
		fmt.Fprintf(&csv, "digital,Trend %d\n", i)
		fmt.Fprintf(&radar, "Trend %d,Adopt,Tools,,\n", i)
	}
	for f, data := range map[library.Format]string{library.FormatCSV: csv.String(), library.FormatRadar: radar.String()} {
		_, ps := library.Parse("big.csv", []byte(data), f, library.ParseOptions{})
		if got, want := problemStrings(ps), []string{"big.csv:1: the file has 5002 rows; a library has at most 5000 trends"}; !slices.Equal(got, want) {
			t.Errorf("%s: got %q; want %q", f, got, want)
		}
	}
}

// Ensures a JSON library with more trends than allowed is reported once on
// the list, and that the largest libraries that fit the size limit import.
func TestJSONListLimits(t *testing.T) {
	c := generated(domain.MaxTrends + 1)
	for i := range c.Trends {
		c.Trends[i] = domain.Trend{Key: c.Trends[i].Key, Title: domain.T("T", ""), Category: domain.Digital}
	}
	_, ps := library.Parse("big.json", mustMarshal(t, c, library.FormatJSON), library.FormatJSON, library.ParseOptions{})
	if got, want := problemStrings(ps), []string{"big.json:$: trends: has 5001 trends; at most 5000 are allowed"}; !slices.Equal(got, want) {
		t.Errorf("got %q; want %q", got, want)
	}
	if testing.Short() {
		return
	}
	big := mustMarshal(t, generated(4500), library.FormatJSON)
	if len(big) > library.MaxFileSize {
		t.Fatalf("the test library is %d bytes, over the limit", len(big))
	}
	mustParse(t, "big.json", big, library.FormatJSON, library.ParseOptions{})
}

// Ensures a library name given as an option that breaks a rule is reported
// without a row.
func TestCSVLibraryNameTooLong(t *testing.T) {
	_, ps := library.Parse("t.csv", []byte("category,title_en\ndigital,A\n"), library.FormatCSV, library.ParseOptions{Name: strings.Repeat("n", 201)})
	if got, want := problemStrings(ps), []string{"t.csv: name: is longer than 200 characters"}; !slices.Equal(got, want) {
		t.Errorf("got %q; want %q", got, want)
	}
}
