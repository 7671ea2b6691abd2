package domain

import (
	"reflect"
	"strings"
	"testing"
)

// Ensures FTE amounts read with a point or a comma and at most two
// decimals, exactly, and print back; anything else is refused.
func TestParseFTE(t *testing.T) {
	for in, want := range map[string]FTE{"1.5": 150, "1,25": 125, "2": 200, " 0.05 ": 5, ".5": 50, "3.": 300, "0": 0, "100000": 10_000_000} {
		got, err := ParseFTE(in)
		if err != nil || got != want {
			t.Errorf("ParseFTE(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", ".", "-1", "1.234", "1e3", "one", "1.5.0", "1 000", "9999999999999"} {
		if _, err := ParseFTE(in); ErrorCode(err) != EINVALID {
			t.Errorf("ParseFTE(%q): %v, want EINVALID", in, err)
		}
	}
	if s := FTE(150).String(); s != "1.5" {
		t.Errorf("String: %q", s)
	}
	if s := FTE(200).String(); s != "2" {
		t.Errorf("String: %q", s)
	}
}

// Ensures the default currency follows the country: SEK, GBP, NOK, DKK,
// and EUR for every other country or none.
func TestDefaultCurrency(t *testing.T) {
	for country, want := range map[string]string{"SE": "SEK", "se": "SEK", "GB": "GBP", "NO": "NOK", "DK": "DKK", "FI": "EUR", "DE": "EUR", "": "EUR"} {
		if got := DefaultCurrency(country); got != want {
			t.Errorf("DefaultCurrency(%q) = %q, want %q", country, got, want)
		}
	}
}

// Ensures settings are checked with exact fields and messages, and the
// currency is normalised.
func TestPortfolioSettingsValidate(t *testing.T) {
	s := &PortfolioSettings{Currency: " sek ", Criteria: DefaultCriteria()}
	if ps := s.Validate(); ps != nil || s.Currency != "SEK" {
		t.Fatalf("valid settings: %v, currency %q", ps, s.Currency)
	}
	s = &PortfolioSettings{Currency: "kr", Criteria: []BenefitCriterion{
		{Key: "people", Name: T("People", ""), Weight: 1},
		{Key: "people", Name: T("", "Folk"), Weight: 101},
		{Key: "Bad Key", Weight: -1},
	}}
	want := Problems{
		{Field: "currency", Message: "must be a three-letter currency code such as SEK, GBP or EUR"},
		{Field: "criteria[1].key", Message: `"people" is used twice`},
		{Field: "criteria[1].weight", Message: "must be a number between 0 and 100"},
		{Field: "criteria[2].key", Message: `"Bad Key" must be lower-case letters, digits and hyphens, at most 64 characters`},
		{Field: "criteria[2].name", Message: "is required in English or Swedish"},
		{Field: "criteria[2].weight", Message: "must be a number between 0 and 100"},
	}
	if got := s.Validate(); !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n got  %v\n want %v", got, want)
	}
	s = &PortfolioSettings{Currency: "EUR"}
	if got := s.Validate(); len(got) != 1 || got[0].Field != "criteria" || got[0].Message != "give at least one benefit criterion" {
		t.Errorf("no criteria: %v", got)
	}
}

func portfolioRefs() (PortfolioRefs, *Initiative) {
	refs := PortfolioRefs{
		Content:  capabilityContent(),
		Criteria: DefaultCriteria(),
		Initiatives: []Initiative{
			{ID: "id-a", Title: "Identity"},
			{ID: "id-b", Title: "Portal", DependsOn: []string{"id-a"}, ExclusiveGroup: "Front door"},
			{ID: "id-c", Title: "App", DependsOn: []string{"id-b"}},
		},
	}
	in := &Initiative{Title: " Data platform ", Owner: " CDO ", Trends: []TrendLink{{"ai", 3}, {"care", 0}},
		Areas: []string{"data"}, OneOffCost: 500_000, RecurringCost: 50_000, FTE: 250, Duration: 2,
		EarliestStart: 2026, LatestStart: 2028, DependsOn: []string{"id-a"}, Benefits: map[string]int{"people": 4, "financial": 0}}
	return refs, in
}

// Ensures a sensible initiative passes, normalised (trimmed, defaults for
// risk and status, links of strength 0 dropped).
func TestInitiativeValidate(t *testing.T) {
	refs, in := portfolioRefs()
	if ps := in.Validate(refs); ps != nil {
		t.Fatalf("valid initiative: %v", ps)
	}
	if in.Title != "Data platform" || in.Owner != "CDO" || in.Risk != RiskLow || in.Status != StatusProposed ||
		!reflect.DeepEqual(in.Trends, []TrendLink{{"ai", 3}}) {
		t.Errorf("not normalised: %+v", in)
	}
}

// Ensures every rule of an initiative is reported with its exact field
// path and message.
func TestInitiativeValidateRules(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(*Initiative, *PortfolioRefs)
		field  string
		msg    string
	}{
		{"no title", func(in *Initiative, _ *PortfolioRefs) { in.Title = " " }, "title", "is required"},
		{"long title", func(in *Initiative, _ *PortfolioRefs) { in.Title = strings.Repeat("x", 201) }, "title", "is longer than 200 characters"},
		{"long owner", func(in *Initiative, _ *PortfolioRefs) { in.Owner = strings.Repeat("å", 201) }, "owner", "is longer than 200 characters"},
		{"unknown trend", func(in *Initiative, _ *PortfolioRefs) { in.Trends = []TrendLink{{"storms", 2}} }, "trends[0].trend", `"storms" is not a trend of the portfolio's library version`},
		{"twice", func(in *Initiative, _ *PortfolioRefs) { in.Trends = []TrendLink{{"ai", 2}, {"ai", 1}} }, "trends[1].trend", `"ai" is listed twice`},
		{"strength", func(in *Initiative, _ *PortfolioRefs) { in.Trends = []TrendLink{{"ai", 4}} }, "trends[0].strength", "must be between 0 and 3"},
		{"unknown area", func(in *Initiative, _ *PortfolioRefs) { in.Areas = []string{"roads"} }, "areas[0]", `"roads" is not a capability area of the portfolio's library version`},
		{"no version", func(in *Initiative, r *PortfolioRefs) { r.Content = nil; in.Areas = nil }, "trends", "choose the portfolio's library version in the portfolio settings first"},
		{"no version areas", func(in *Initiative, r *PortfolioRefs) { r.Content = nil; in.Trends = nil }, "areas", "choose the portfolio's library version in the portfolio settings first"},
		{"negative cost", func(in *Initiative, _ *PortfolioRefs) { in.OneOffCost = -1 }, "one_off_cost", "cannot be negative"},
		{"huge cost", func(in *Initiative, _ *PortfolioRefs) { in.RecurringCost = MaxMoney + 1 }, "recurring_cost", "must be at most 1000000000000"},
		{"negative fte", func(in *Initiative, _ *PortfolioRefs) { in.FTE = -1 }, "fte", "cannot be negative"},
		{"huge fte", func(in *Initiative, _ *PortfolioRefs) { in.FTE = MaxFTE + 1 }, "fte", "must be at most 100000 FTE"},
		{"duration 0", func(in *Initiative, _ *PortfolioRefs) { in.Duration = 0 }, "duration", "must be between 1 and 50"},
		{"early year", func(in *Initiative, _ *PortfolioRefs) { in.EarliestStart = 1999 }, "earliest_start", "must be a year between 2000 and 2100"},
		{"late year", func(in *Initiative, _ *PortfolioRefs) { in.LatestStart = 2101 }, "latest_start", "must be a year between 2000 and 2100"},
		{"window", func(in *Initiative, _ *PortfolioRefs) { in.LatestStart = 2025 }, "latest_start", "must not be before the earliest start year"},
		{"another org's", func(in *Initiative, _ *PortfolioRefs) { in.DependsOn = []string{"id-of-another-org"} }, "depends_on[0]", "is not an initiative of this organisation"},
		{"itself", func(in *Initiative, _ *PortfolioRefs) { in.ID = "id-c"; in.DependsOn = []string{"id-c"} }, "depends_on[0]", "an initiative cannot depend on itself"},
		{"dependency twice", func(in *Initiative, _ *PortfolioRefs) { in.DependsOn = []string{"id-a", "id-a"} }, "depends_on[1]", `"Identity" is listed twice`},
		{"cycle", func(in *Initiative, r *PortfolioRefs) {
			in.ID, in.Title, in.DependsOn = "id-a", "Identity", []string{"id-c"}
		}, "depends_on", "makes a cycle: Identity → App → Portal → Identity"},
		{"same group", func(in *Initiative, _ *PortfolioRefs) {
			in.ExclusiveGroup, in.DependsOn = "front DOOR", []string{"id-b"}
		}, "depends_on[0]", `"Portal" is in the same mutually exclusive group, so the two can never both be chosen`},
		{"dependant in the group", func(in *Initiative, _ *PortfolioRefs) {
			in.ID, in.Title, in.DependsOn, in.ExclusiveGroup = "id-a", "Identity", nil, "Front door"
		}, "exclusive_group", `"Portal" depends on this initiative and is in the same group, so the two can never both be chosen`},
		{"long group", func(in *Initiative, _ *PortfolioRefs) { in.ExclusiveGroup = strings.Repeat("g", 201) }, "exclusive_group", "is longer than 200 characters"},
		{"unknown criterion", func(in *Initiative, _ *PortfolioRefs) { in.Benefits = map[string]int{"joy": 3} }, "benefits.joy", `"joy" is not a benefit criterion of this organisation`},
		{"score", func(in *Initiative, _ *PortfolioRefs) { in.Benefits = map[string]int{"people": 6} }, "benefits.people", "must be between 0 and 5"},
		{"risk", func(in *Initiative, _ *PortfolioRefs) { in.Risk = "extreme" }, "risk", "must be low, medium or high"},
		{"status", func(in *Initiative, _ *PortfolioRefs) { in.Status = "paused" }, "status", "must be proposed, approved, in_progress, done or stopped"},
		{"rag", func(in *Initiative, _ *PortfolioRefs) { in.RAG = "blue" }, "rag", "must be red, amber or green"},
		{"milestone title", func(in *Initiative, _ *PortfolioRefs) { in.Milestones = []Milestone{{Title: " "}} }, "milestones[0].title", "is required"},
		{"milestone date", func(in *Initiative, _ *PortfolioRefs) {
			in.Milestones = []Milestone{{Title: "Go", Due: "2026-02-30"}}
		}, "milestones[0].due", `"2026-02-30" is not a date like 2026-05-17`},
	} {
		refs, in := portfolioRefs()
		c.change(in, &refs)
		ps := in.Validate(refs)
		if len(ps) != 1 || ps[0].Field != c.field || ps[0].Message != c.msg {
			t.Errorf("%s: %v, want %s: %s", c.name, ps, c.field, c.msg)
		}
	}
}

// Ensures tracking changes are checked with the same fields and messages.
func TestValidateTracking(t *testing.T) {
	in := &Initiative{Status: StatusDone, RAG: RAGGreen, Milestones: []Milestone{{Title: "Go", Due: "2027-01-31", Done: true}}}
	if ps := in.ValidateTracking(); ps != nil {
		t.Fatalf("valid tracking: %v", ps)
	}
	in = &Initiative{Status: "", RAG: "pink", Milestones: []Milestone{{Due: "soon"}}}
	want := Problems{
		{Field: "status", Message: "must be proposed, approved, in_progress, done or stopped"},
		{Field: "rag", Message: "must be red, amber or green"},
		{Field: "milestones[0].title", Message: "is required"},
		{Field: "milestones[0].due", Message: `"soon" is not a date like 2026-05-17`},
	}
	if got := in.ValidateTracking(); !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n got  %v\n want %v", got, want)
	}
}

// Ensures a cycle through the start is found with its path, and that none
// is reported for a graph without one (including a cycle elsewhere).
func TestDependencyCycle(t *testing.T) {
	edges := map[string][]string{"a": {"b", "d"}, "b": {"c"}, "c": {"a"}, "d": nil, "x": {"y"}, "y": {"x"}}
	if got := DependencyCycle(edges, "a"); !reflect.DeepEqual(got, []string{"a", "b", "c", "a"}) {
		t.Errorf("cycle: %v", got)
	}
	if got := DependencyCycle(edges, "d"); got != nil {
		t.Errorf("no cycle through d: %v", got)
	}
	// x and y form a cycle that does not pass through z.
	edges["z"] = []string{"x"}
	if got := DependencyCycle(edges, "z"); got != nil {
		t.Errorf("no cycle through z: %v", got)
	}
}

func sampleScenario() (*Scenario, []Initiative) {
	return &Scenario{Name: " Baseline ", StartYear: 2026, EndYear: 2035, Budget: MoneyCaps{Default: 1_000_000, Years: map[int]int64{2026: 500_000}},
		FTE: &FTECaps{Default: 300, Years: map[int]FTE{2030: 0}}, Forced: map[string]Force{"id-a": ForceIn}}, []Initiative{{ID: "id-a"}}
}

// Ensures a sensible scenario passes and every rule is reported with its
// exact field path and message.
func TestScenarioValidate(t *testing.T) {
	s, ins := sampleScenario()
	if ps := s.Validate(ins); ps != nil || s.Name != "Baseline" {
		t.Fatalf("valid scenario: %v %q", ps, s.Name)
	}
	for _, c := range []struct {
		name   string
		change func(*Scenario)
		field  string
		msg    string
	}{
		{"no name", func(s *Scenario) { s.Name = "" }, "name", "is required"},
		{"start", func(s *Scenario) { s.StartYear = 1990 }, "start_year", "must be a year between 2000 and 2100"},
		{"end before start", func(s *Scenario) { s.EndYear = 2025 }, "end_year", "must not be before the first year"},
		{"too long", func(s *Scenario) { s.EndYear = 2076 }, "end_year", "the planning horizon can be at most 50 years"},
		{"negative budget", func(s *Scenario) { s.Budget.Default = -1 }, "budget.default", "cannot be negative"},
		{"budget year outside", func(s *Scenario) { s.Budget.Years = map[int]int64{2040: 1} }, "budget.years.2040", "is outside the planning horizon 2026–2035"},
		{"budget year huge", func(s *Scenario) { s.Budget.Years = map[int]int64{2027: MaxMoney + 1} }, "budget.years.2027", "must be at most 1000000000000"},
		{"fte negative", func(s *Scenario) { s.FTE.Default = -5 }, "fte.default", "cannot be negative"},
		{"fte year outside", func(s *Scenario) { s.FTE.Years = map[int]FTE{2025: 100} }, "fte.years.2025", "is outside the planning horizon 2026–2035"},
		{"forced unknown", func(s *Scenario) { s.Forced = map[string]Force{"id-z": ForceOut} }, "forced.id-z", "is not an initiative of this organisation"},
		{"forced bad", func(s *Scenario) { s.Forced = map[string]Force{"id-a": "maybe"} }, "forced.id-a", "must be in or out"},
		{"no workshop", func(s *Scenario) { s.ScaleByPriority = true }, "priority_workshop", "choose the workshop whose trend priorities scale the value"},
		{"weight", func(s *Scenario) { s.TrendWeight = 11 }, "trend_weight", "must be a number between 0 and 10"},
	} {
		s, ins := sampleScenario()
		c.change(s)
		ps := s.Validate(ins)
		if len(ps) != 1 || ps[0].Field != c.field || ps[0].Message != c.msg {
			t.Errorf("%s: %v, want %s: %s", c.name, ps, c.field, c.msg)
		}
	}
	s, ins = sampleScenario()
	s.ScaleByPriority, s.PriorityWorkshopID = true, "w"
	if ps := s.Validate(ins); ps != nil || s.TrendWeight != 1 {
		t.Errorf("scaling by priority: %v, weight %g", ps, s.TrendWeight)
	}
}
