package portfolio

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/domain"
)

func problemLines(t *testing.T, err error) []string {
	t.Helper()
	var ps domain.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error %v is not domain.Problems", err)
	}
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

// TestParseReportsEveryProblemWithItsPath ensures malformed portfolio
// files are refused with every problem at once, each located by its JSON
// path (or LINE:COLUMN for broken JSON), in file order, with the exact
// message a person reads.
func TestParseReportsEveryProblemWithItsPath(t *testing.T) {
	const head = `"format": "waymark.portfolio/v1", "horizon": {"start": 2026, "end": 2030}, "budget": {"default": 10}, "criteria": [{"key": "c", "weight": 1}]`
	cases := []struct {
		name, file string
		want       []string
	}{
		{"empty", "  \n", []string{"file is empty"}},
		{"syntax", "{\"format\": \"waymark.portfolio/v1\",\n \"horizon\": {\"start\": 2026 \"end\": 2035}}",
			[]string{`2:28: invalid JSON: invalid character '"' after object key:value pair`}},
		{"truncated", `{"format": "waymark.portfolio/v1", "horizon": {"start": 2026, `,
			[]string{"1:63: unexpected end of file after byte 62: the JSON is truncated"}},
		{"trailing", `{` + head + `, "initiatives": []} {}`,
			[]string{"1:164: invalid JSON: there is more after the end of the top-level value"}},
		{"not an object", `[1, 2]`,
			[]string{`$: must be a JSON object with "format": "waymark.portfolio/v1", not an array`}},
		{"wrong format and missing fields", `{"format": "waymark.library/v1"}`, []string{
			`$.format: unknown format tag "waymark.library/v1"; expected "waymark.portfolio/v1"`,
			"$.horizon: is required",
			"$.budget: is required",
			"$.criteria: is required",
			"$.initiatives: is required",
		}},
		{"a result file", `{` + head + `, "kind": "result", "initiatives": []}`,
			[]string{"$.kind: this is a result file; give the portfolio file that was optimised"}},
		{"field twice and unknown field", `{` + head + `, "format": "waymark.portfolio/v1", "colour": 1, "initiatives": []}`, []string{
			"$.format: appears twice in the same object; give each field once",
			"$.colour: unknown field",
		}},
		{"caps and criteria", `{"format": "waymark.portfolio/v1", "horizon": {"start": 2026, "end": 2035},
			"budget": {"default": -5, "years": {"2040": 10, "next": 3}}, "fte": {"default": 1.234},
			"criteria": [{"key": "outcomes", "weight": 1}, {"key": "outcomes", "weight": -1}], "initiatives": []}`, []string{
			"$.budget.default: must be at least 0",
			`$.budget.years.next: "next" is not a year; use the year as the key, such as "2027"`,
			`$.budget.years["2040"]: 2040 is outside the horizon 2026–2035`,
			"$.fte.default: 1.234 has more than two decimals; FTE are counted in hundredths",
			`$.criteria[1].key: "outcomes" is used twice: also at $.criteria[0]`,
			"$.criteria[1].weight: must be zero or more",
		}},
		{"initiatives", `{` + head + `, "initiatives": [
			{"key": "a", "duration": 2, "one_off_cost": -1, "benefits": {"c": 7, "money": 1}},
			{"key": "b", "duration": 0, "depends_on": ["a", "zz"], "earliest_start": 2029, "latest_start": 2027},
			{"key": "Bad Key", "duration": 1, "colour": "red", "force": "maybe"},
			{"key": "d", "duration": "two", "one_off_cost": 1.5, "fte": -1, "earliest_start": 2040},
			{"key": "e", "duration": 9, "trends": {"ai": 2}}],
			"exclusive_groups": [{"key": "g", "initiatives": ["a"]}, {"key": "h", "initiatives": ["a", "a", "nope"]}]}`, []string{
			"$.initiatives[0].one_off_cost: must be at least 0",
			"$.initiatives[0].benefits.c: must be a score from 0 to 5",
			`$.initiatives[0].benefits.money: "money" is not a criterion of this portfolio`,
			"$.initiatives[1].duration: must be at least 1",
			"$.initiatives[1].latest_start: 2027 is before the earliest start 2029",
			`$.initiatives[1].depends_on[1]: "zz" is not an initiative of this portfolio`,
			`$.initiatives[2].key: "Bad Key" must be lower-case letters, digits and hyphens, at most 64 characters`,
			`$.initiatives[2].force: "maybe" is not a choice; use "in", "out" or leave it out`,
			"$.initiatives[2].colour: unknown field",
			"$.initiatives[3].fte: must be at least 0",
			"$.initiatives[3].one_off_cost: must be a whole number, not 1.5",
			"$.initiatives[3].duration: must be a whole number, not a string",
			"$.initiatives[3].earliest_start: 2040 is outside the horizon 2026–2030",
			`$.initiatives[4].trends.ai: "ai" is not a trend of this portfolio; list it under "trends" with its priority`,
			"$.initiatives[4].duration: is 9 years, longer than the horizon (5 years)",
			"$.exclusive_groups[0].initiatives: give at least two initiatives that exclude each other",
			`$.exclusive_groups[1].initiatives[1]: "a" is listed twice`,
			`$.exclusive_groups[1].initiatives[2]: "nope" is not an initiative of this portfolio`,
		}},
		{"dependency cycle", `{` + head + `, "initiatives": [
			{"key": "a", "duration": 1, "depends_on": ["b"]}, {"key": "b", "duration": 1, "depends_on": ["a"]},
			{"key": "c", "duration": 1, "depends_on": ["c"]}]}`, []string{
			"$.initiatives[0].depends_on: forms a cycle: a → b → a",
			"$.initiatives[2].depends_on[0]: an initiative cannot depend on itself",
		}},
		{"horizon", `{"format": "waymark.portfolio/v1", "horizon": {"start": 2030, "end": 2026}, "budget": {"default": 1},
			"criteria": [], "initiatives": []}`, []string{
			"$.horizon.end: must not be before the start year 2030",
			`$.criteria: give at least one criterion, such as {"key": "outcomes", "weight": 1}`,
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Parse([]byte(c.file))
			if p != nil {
				t.Fatalf("parsed a bad file")
			}
			got := problemLines(t, err)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

// TestParseDefaults ensures what a file may leave out: start windows are
// the whole horizon, the trend weight is 1, FTE is uncapped, and scores
// and strengths left out count as 0.
func TestParseDefaults(t *testing.T) {
	p, err := Parse([]byte(`{"format": "waymark.portfolio/v1", "horizon": {"start": 2026, "end": 2030}, "budget": {"default": 10},
		"criteria": [{"key": "c", "weight": 2}], "initiatives": [{"key": "a", "duration": 2, "fte": 0.25}]}`))
	if err != nil {
		t.Fatal(err)
	}
	in := p.Initiatives[0]
	if in.EarliestStart != 2026 || in.LatestStart != 2030 || p.TrendWeight != 1 || p.FTE != nil || in.FTE != 25 {
		t.Fatalf("defaults: %+v, trend weight %g, FTE caps %v", in, p.TrendWeight, p.FTE)
	}
	if p.Value(0) != 0 || p.Steps.BudgetStep() != 1 || p.Steps.FTEStep() != FTEUnit {
		t.Fatalf("value %g, steps %d %s", p.Value(0), p.Steps.BudgetStep(), p.Steps.FTEStep())
	}
}

// TestValueFormula ensures the value is B × (1 + λ·A) with B the weighted
// benefit and A the strongest link to a trend, strength/3 × priority over
// the highest priority, using the example file's numbers.
func TestValueFormula(t *testing.T) {
	p := example(t)
	i := p.Index("ai-caseworker")
	// B = 3·4 + 2·3 + 2·1 + 1·0 + 1·2 = 22; A = 3/3 × 0.9/1.0 = 0.9;
	// value = 22 × (1 + 0.5 × 0.9) = 31.9.
	if b, a, v := p.WeightedBenefit(i), p.TrendFactor(i), p.Value(i); !near(b, 22) || !near(a, 0.9) || !near(v, 31.9) {
		t.Fatalf("B %g, A %g, value %g; want 22, 0.9, 31.9", b, a, v)
	}
	if e := p.Index("e-archive"); !near(p.TrendFactor(e), 0) || !near(p.Value(e), 10) {
		t.Fatalf("without trends: A %g, value %g", p.TrendFactor(e), p.Value(e))
	}
}

func example(t *testing.T) *Portfolio {
	t.Helper()
	data, err := os.ReadFile("testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestExampleRoundTrip ensures the example file reads, writes and reads
// back to the same portfolio.
func TestExampleRoundTrip(t *testing.T) {
	p := example(t)
	out, err := Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	q, err := Parse(out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	again, _ := Marshal(q)
	if !bytes.Equal(out, again) {
		t.Fatalf("second write differs:\n%s\n%s", out, again)
	}
}

// TestDocsExamples ensures the portfolio example in docs/formats.md is
// the test file, parses, and that the result example there has the shape
// MarshalResult writes: the same fields at the top and in the parts.
func TestDocsExamples(t *testing.T) {
	doc, err := os.ReadFile("../../docs/formats.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	at := strings.Index(text, "# Portfolio file format (waymark.portfolio/v1)")
	if at < 0 {
		t.Fatal("docs/formats.md has no portfolio section")
	}
	blocks := jsonBlocks(text[at:])
	if len(blocks) < 2 {
		t.Fatalf("%d JSON blocks in the portfolio section, want the file and the result", len(blocks))
	}
	p, err := Parse([]byte(blocks[0]))
	if err != nil {
		t.Fatalf("the documented example does not parse: %v", err)
	}
	want := example(t)
	a, _ := Marshal(p)
	b, _ := Marshal(want)
	if !bytes.Equal(a, b) {
		t.Fatalf("the documented example differs from testdata/example.json")
	}
	res, err := Solve(t.Context(), p, Options{Marginals: true})
	if err != nil {
		t.Fatal(err)
	}
	out, err := MarshalResult(p, res)
	if err != nil {
		t.Fatal(err)
	}
	var doced, real map[string]any
	if err := json.Unmarshal([]byte(blocks[1]), &doced); err != nil {
		t.Fatalf("the documented result is not JSON: %v", err)
	}
	if err := json.Unmarshal(out, &real); err != nil {
		t.Fatal(err)
	}
	sameKeys(t, "$", doced, real)
	if doced["objective"] != real["objective"] || doced["status"] != real["status"] {
		t.Errorf("documented objective %v (%v), solved %v (%v)", doced["objective"], doced["status"], real["objective"], real["status"])
	}
}

func sameKeys(t *testing.T, path string, a, b any) {
	t.Helper()
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			t.Errorf("%s: documented as an object", path)
			return
		}
		for k := range x {
			if _, ok := y[k]; !ok && k != "gain_upper" {
				t.Errorf("%s.%s: documented but not written", path, k)
			}
		}
		for k := range y {
			if _, ok := x[k]; !ok && k != "stats" {
				t.Errorf("%s.%s: written but not documented", path, k)
			}
		}
		for k := range x {
			if _, ok := y[k]; ok && k != "stats" {
				sameKeys(t, path+"."+k, x[k], y[k])
			}
		}
	case []any:
		if y, ok := b.([]any); ok && len(x) > 0 && len(y) > 0 {
			sameKeys(t, path+"[0]", x[0], y[0])
		}
	}
}

// jsonBlocks returns the bodies of the ```json fenced blocks in text.
func jsonBlocks(text string) []string {
	var out []string
	for {
		at := strings.Index(text, "```json\n")
		if at < 0 {
			return out
		}
		text = text[at+len("```json\n"):]
		end := strings.Index(text, "```")
		if end < 0 {
			return out
		}
		out = append(out, text[:end])
		text = text[end+3:]
	}
}

// TestResultFileRoundTrip ensures that ReadResultFile reads back exactly
// what MarshalResult writes: writing what it read gives the same bytes,
// for a result with marginal values, one without staff caps and an
// infeasible one.
func TestResultFileRoundTrip(t *testing.T) {
	base := example(t)
	noStaff := base.Clone()
	noStaff.FTE = nil
	infeasible := base.Clone()
	for i := range infeasible.Initiatives {
		if infeasible.Initiatives[i].Key == "cloud-exit" {
			infeasible.Initiatives[i].Force = ForcedIn
		}
	}
	for name, p := range map[string]*Portfolio{"marginals": base, "no staff caps": noStaff, "infeasible": infeasible} {
		res, err := Solve(t.Context(), p, Options{Marginals: true})
		if err != nil {
			t.Fatal(err)
		}
		written, err := MarshalResult(p, res)
		if err != nil {
			t.Fatal(err)
		}
		read, err := ReadResultFile(written)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		again, err := json.MarshalIndent(read, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if string(append(again, '\n')) != string(written) {
			t.Errorf("%s: read back and written again differs:\n%s\nwant\n%s", name, again, written)
		}
		if name == "marginals" && (!read.HasPlan() || read.Steps.FTE == 0 || read.Years[0].FTE == nil) {
			t.Errorf("%s: read %+v", name, read)
		}
	}
	if _, err := ReadResultFile([]byte(`{"format": "waymark.portfolio/v1", "initiatives": []}`)); !errors.Is(err, ErrNotResult) {
		t.Errorf("a portfolio file read as a result: %v", err)
	}
}
