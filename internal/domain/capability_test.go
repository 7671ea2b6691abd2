package domain

import (
	"math"
	"reflect"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// Ensures mean, population standard deviation, minimum and maximum are
// those of the hand-computed examples, and that no values give a spread
// of count 0.
func TestSpreadOf(t *testing.T) {
	for _, c := range []struct {
		values   []int
		mean, sd float64
		min, max int
	}{
		{[]int{1, 2, 3}, 2, math.Sqrt(2.0 / 3), 1, 3}, // squares 1, 0, 1: 2/3
		{[]int{4, 4, 4}, 4, 0, 4, 4},
		{[]int{3, 4}, 3.5, 0.5, 3, 4},
		{[]int{5}, 5, 0, 5, 5},
		{[]int{1, 2, 2, 3, 5}, 2.6, math.Sqrt(1.84), 1, 5}, // docs/method.md's example
	} {
		s := SpreadOf(c.values)
		if s.Count != len(c.values) || !near(s.Mean, c.mean) || !near(s.SD, c.sd) || s.Min != c.min || s.Max != c.max || !s.Valid() {
			t.Errorf("SpreadOf(%v) = %+v, want mean %g sd %g min %d max %d", c.values, s, c.mean, c.sd, c.min, c.max)
		}
	}
	if s := SpreadOf(nil); s != (Spread{}) || s.Valid() {
		t.Errorf("SpreadOf(nil) = %+v", s)
	}
}

// gapFixture is the worked example of docs/method.md ("Capability
// assessment and readiness gaps"): three assessors, four areas (one
// unassessed), three trends.
func gapFixture() ([]CapabilityArea, []Assessment, []DemandLink) {
	areas := []CapabilityArea{{Key: "data"}, {Key: "leadership"}, {Key: "skills"}, {Key: "sharing"}}
	a := func(who, area string, cur, tgt int) Assessment {
		return Assessment{AssessorID: who, AreaKey: area, Current: cur, Target: tgt}
	}
	as := []Assessment{
		a("anna", "data", 1, 4), a("bo", "data", 2, 4), a("cai", "data", 3, 4),
		a("anna", "leadership", 3, 3), a("bo", "leadership", 4, 3),
		a("anna", "skills", 1, 5), a("cai", "skills", 2, 4),
		a("anna", "unknown-area", 1, 5), // not an area of the version: left out
	}
	demand := []DemandLink{
		{TrendKey: "ai", AreaKey: "data", Level: 3},
		{TrendKey: "ai", AreaKey: "leadership", Level: 2},
		{TrendKey: "ai", AreaKey: "skills", Level: 1},
		{TrendKey: "care", AreaKey: "skills", Level: 2},
		{TrendKey: "care", AreaKey: "sharing", Level: 3},
		{TrendKey: "climate", AreaKey: "data", Level: 0}, // no link
	}
	return areas, as, demand
}

// Ensures the results per area are the hand-computed ones: means, spreads
// and max(0, mean target − mean current), with a target below the current
// level giving gap 0 and an unassessed area no gap at all.
func TestAssessmentResults(t *testing.T) {
	areas, as, _ := gapFixture()
	rs := AssessmentResults(areas, as)
	want := []struct {
		key           string
		cur, tgt, gap float64
		n             int
	}{
		{"data", 2, 4, 2, 3},
		{"leadership", 3.5, 3, 0, 2},
		{"skills", 1.5, 4.5, 3, 2},
		{"sharing", 0, 0, 0, 0},
	}
	if len(rs) != len(want) {
		t.Fatalf("%d results", len(rs))
	}
	for i, w := range want {
		r := rs[i]
		if r.AreaKey != w.key || !near(r.Current.Mean, w.cur) || !near(r.Target.Mean, w.tgt) || !near(r.Gap, w.gap) ||
			r.Current.Count != w.n || r.Target.Count != w.n || r.Assessed != (w.n > 0) {
			t.Errorf("area %d: %+v, want %+v", i, r, w)
		}
	}
	if !near(rs[0].Current.SD, math.Sqrt(2.0/3)) || rs[0].Target.SD != 0 || rs[1].Current.Min != 3 || rs[1].Current.Max != 4 {
		t.Errorf("spreads: %+v %+v", rs[0], rs[1])
	}
}

// Ensures the readiness gap is Σ demand × max(0, target − current) with
// the hand-computed values (ai: 3·2 + 2·0 + 1·3 = 9; care: 2·3 = 6 with
// "sharing" unassessed; climate: 0), that parts and the largest possible
// gap are reported, and that SortGaps puts the largest first.
func TestReadinessGaps(t *testing.T) {
	areas, as, demand := gapFixture()
	gs := ReadinessGaps([]string{"climate", "care", "ai"}, AssessmentResults(areas, as), demand)
	want := []TrendGap{
		{TrendKey: "climate"},
		{TrendKey: "care", Gap: 6, Parts: []GapPart{{AreaKey: "skills", Demand: 2, AreaGap: 3, Contribution: 6}},
			Unassessed: []string{"sharing"}, MaxGap: 20},
		{TrendKey: "ai", Gap: 9, Parts: []GapPart{
			{AreaKey: "data", Demand: 3, AreaGap: 2, Contribution: 6},
			{AreaKey: "leadership", Demand: 2, AreaGap: 0, Contribution: 0},
			{AreaKey: "skills", Demand: 1, AreaGap: 3, Contribution: 3},
		}, MaxGap: 24},
	}
	if !reflect.DeepEqual(gs, want) {
		t.Errorf("gaps:\n got  %+v\n want %+v", gs, want)
	}
	SortGaps(gs)
	if gs[0].TrendKey != "ai" || gs[1].TrendKey != "care" || gs[2].TrendKey != "climate" {
		t.Errorf("sorted: %s %s %s", gs[0].TrendKey, gs[1].TrendKey, gs[2].TrendKey)
	}
	// Nobody assessed anything: every gap is 0 and every demanded area unassessed.
	gs = ReadinessGaps([]string{"ai"}, AssessmentResults(areas, nil), demand)
	if gs[0].Gap != 0 || len(gs[0].Parts) != 0 || !reflect.DeepEqual(gs[0].Unassessed, []string{"data", "leadership", "skills"}) {
		t.Errorf("without assessments: %+v", gs[0])
	}
}

func capabilityContent() *Content {
	return &Content{
		Trends:          []Trend{{Key: "ai", Title: T("AI", "AI"), Category: Technology}, {Key: "care", Title: T("Care", "Vård"), Category: Societal}},
		CapabilityAreas: []CapabilityArea{{Key: "data", Name: T("Data", "Data")}, {Key: "skills", Name: T("Skills", "Kompetens")}},
	}
}

// Ensures an assessor's answers are checked against the version with the
// exact field paths and messages, and the evidence is trimmed.
func TestValidateAssessments(t *testing.T) {
	c := capabilityContent()
	ok := []Assessment{{AreaKey: "data", Current: 1, Target: 5, Evidence: "  a report  "}}
	if ps := ValidateAssessments(ok, c); ps != nil {
		t.Fatalf("valid answers: %v", ps)
	}
	if ok[0].Evidence != "a report" {
		t.Errorf("evidence not trimmed: %q", ok[0].Evidence)
	}
	long := make([]rune, MaxEvidenceLen+1)
	for i := range long {
		long[i] = 'ö'
	}
	got := ValidateAssessments([]Assessment{
		{AreaKey: "data", Current: 0, Target: 6},
		{AreaKey: "data", Current: 3, Target: 3},
		{AreaKey: "people", Current: 3, Target: 3},
		{AreaKey: "", Current: 3, Target: 3, Evidence: string(long)},
	}, c)
	want := Problems{
		{Field: "assessments[0].current", Message: "must be between 1 and 5"},
		{Field: "assessments[0].target", Message: "must be between 1 and 5"},
		{Field: "assessments[1].area", Message: `"data" is listed twice`},
		{Field: "assessments[2].area", Message: `"people" is not a capability area of the library version`},
		{Field: "assessments[3].area", Message: "is required"},
		{Field: "assessments[3].evidence", Message: "is longer than 2000 characters"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n got  %v\n want %v", got, want)
	}
	if ps := ValidateAssessments(nil, c); len(ps) != 1 || ps[0].Field != "assessments" || ps[0].Message != "assess at least one capability area" {
		t.Errorf("no answers: %v", ps)
	}
}

// Ensures demand links are checked against the version with exact field
// paths and messages, and normalised without level 0, sorted.
func TestValidateDemand(t *testing.T) {
	c := capabilityContent()
	got := ValidateDemand([]DemandLink{
		{TrendKey: "ai", AreaKey: "data", Level: 3},
		{TrendKey: "ai", AreaKey: "data", Level: 1},
		{TrendKey: "storms", AreaKey: "data", Level: 1},
		{TrendKey: "care", AreaKey: "roads", Level: 4},
		{TrendKey: "care", AreaKey: "skills", Level: 0},
	}, c)
	want := Problems{
		{Field: "demand[1]", Message: `"ai" → "data" is listed twice`},
		{Field: "demand[2].trend", Message: `"storms" is not a trend of the library version`},
		{Field: "demand[3].area", Message: `"roads" is not a capability area of the library version`},
		{Field: "demand[3].level", Message: "must be between 0 and 3"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n got  %v\n want %v", got, want)
	}
	norm := NormalizeDemand([]DemandLink{{"care", "skills", 2}, {"ai", "skills", 0}, {"ai", "data", 1}})
	if !reflect.DeepEqual(norm, []DemandLink{{"ai", "data", 1}, {"care", "skills", 2}}) {
		t.Errorf("normalised: %+v", norm)
	}
}
