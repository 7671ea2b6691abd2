package scenario_test

import (
	"context"
	"errors"
	"testing"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/portfolio"
	"github.com/waymark/waymark/internal/scenario"
)

// solved returns the result file of a small portfolio under a budget: a
// platform (two years) that a service depends on, and a costly trial.
func solved(t *testing.T, budget int64) *scenario.Result {
	t.Helper()
	p := &portfolio.Portfolio{Name: "Test", Currency: "SEK", Horizon: portfolio.Horizon{Start: 2026, End: 2030},
		Budget: portfolio.MoneyCaps{Default: budget}, FTE: &portfolio.FTECaps{Default: 250},
		Criteria: []portfolio.Criterion{{Key: "people", Weight: 1}},
		Initiatives: []portfolio.Initiative{
			{Key: "platform", Title: "Platform", OneOffCost: 300, RecurringCost: 50, FTE: 150, Duration: 2, EarliestStart: 2026, LatestStart: 2027,
				Benefits: map[string]float64{"people": 5}},
			{Key: "service", Title: "Service", OneOffCost: 200, FTE: 50, Duration: 1, EarliestStart: 2026, LatestStart: 2030,
				DependsOn: []string{"platform"}, Benefits: map[string]float64{"people": 4}},
			{Key: "trial", Title: "Trial", OneOffCost: 580, Duration: 1, EarliestStart: 2026, LatestStart: 2030,
				Benefits: map[string]float64{"people": 3}},
		}}
	res, err := portfolio.Solve(context.Background(), p, portfolio.Options{Marginals: true})
	if err != nil {
		t.Fatal(err)
	}
	data, err := portfolio.MarshalResult(p, res)
	if err != nil {
		t.Fatal(err)
	}
	r, err := scenario.ReadResult(data)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Ensures a result file reads back with its plan, years, FTE amounts,
// marginal values and steps, and that other files are refused.
func TestReadResult(t *testing.T) {
	r := solved(t, 1000)
	if r.Status != portfolio.Optimal || !r.HasPlan() || r.Objective != 12 || len(r.Plan) != 3 || len(r.LeftOut) != 0 || r.Currency != "SEK" {
		t.Fatalf("read %+v", r)
	}
	if a, ok := r.InPlan("service"); !ok || a.Start < 2028 || a.End != a.Start {
		t.Errorf("service %+v", a)
	}
	y := r.Years[0]
	if y.Year != 2026 || y.Budget.Cap != 1000 || y.FTE == nil || y.FTE.Cap != 250 || y.Budget.Marginal == nil || !y.Budget.Marginal.Exact {
		t.Errorf("first year %+v", y)
	}
	if r.Steps.Budget != 1 || r.Steps.FTE != domain.FTEUnit || r.MarginalsComplete == nil || !*r.MarginalsComplete {
		t.Errorf("steps %+v, complete %v", r.Steps, r.MarginalsComplete)
	}
	for _, bad := range []string{`{"format":"waymark.portfolio/v1","kind":"portfolio"}`, `{"format":"other"}`, `[`} {
		if _, err := scenario.ReadResult([]byte(bad)); !errors.Is(err, scenario.ErrNotResult) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// Ensures a comparison lists what drops out, comes in, moves and stays,
// with the value lost, either way round.
func TestCompare(t *testing.T) {
	a, b := solved(t, 1000), solved(t, 500)
	c := scenario.Compare(a, b)
	if c.Lost != 3 || c.Count[scenario.DropsOut] != 1 || c.Count[scenario.ComesIn] != 0 || c.Count[scenario.Moves]+c.Count[scenario.Same] != 2 {
		t.Fatalf("compare %+v", c)
	}
	if ch := c.Changes[0]; ch.Kind != scenario.DropsOut || ch.Key != "trial" || ch.A == nil || ch.B != nil {
		t.Errorf("first change %+v", ch)
	}
	if share := c.LostShare(); share != 0.25 {
		t.Errorf("lost share %v", share)
	}
	back := scenario.Compare(b, a)
	if back.Lost != -3 || back.Count[scenario.ComesIn] != 1 || back.Changes[0].Kind != scenario.ComesIn {
		t.Errorf("back %+v", back)
	}
	same := scenario.Compare(a, a)
	if same.Lost != 0 || same.Count[scenario.Same] != 3 {
		t.Errorf("same %+v", same)
	}
}

// Ensures the roadmap puts each initiative in the lane of its first area in
// the library's order, keeps empty lanes, adds a lane for initiatives of no
// area, keeps only dependencies within the plan, and marks initiatives
// deleted since.
func TestBuildRoadmap(t *testing.T) {
	r := solved(t, 1000)
	areas := []domain.CapabilityArea{{Key: "leadership", Name: domain.T("Leadership", "Ledarskap")}, {Key: "innovation"}, {Key: "data"}}
	ins := []domain.Initiative{
		{ID: "platform", Title: "Platform now", Areas: []string{"data", "innovation", "gone"}, OneOffCost: 300, RecurringCost: 50,
			FTE: 150, Status: domain.StatusApproved, RAG: domain.RAGGreen},
		{ID: "service", Title: "Service", DependsOn: []string{"platform", "done-one"}, Status: domain.StatusProposed},
	}
	rm := scenario.BuildRoadmap(r, 2026, 2030, ins, areas)
	if rm.Start != 2026 || rm.End != 2030 || rm.Items != 3 || len(rm.Lanes) != 4 {
		t.Fatalf("roadmap %+v", rm)
	}
	if l := rm.Lanes[0]; l.Area != "leadership" || l.Name.EN != "Leadership" || len(l.Items) != 0 {
		t.Errorf("empty lane %+v", l)
	}
	if l := rm.Lanes[1]; l.Area != "innovation" || len(l.Items) != 1 || l.Items[0].Title != "Platform now" ||
		len(l.Items[0].Areas) != 2 || l.Items[0].Areas[0] != "innovation" || l.Items[0].Areas[1] != "data" || l.Items[0].FTE != 150 {
		t.Errorf("innovation lane %+v", l)
	}
	last := rm.Lanes[3]
	if last.Area != "" || len(last.Items) != 2 {
		t.Fatalf("lane of no area %+v", last)
	}
	for _, it := range last.Items {
		switch it.ID {
		case "service":
			if !it.Known || len(it.DependsOn) != 1 || it.DependsOn[0] != "platform" {
				t.Errorf("service %+v", it)
			}
		case "trial":
			if it.Known || it.Title != "Trial" {
				t.Errorf("deleted trial %+v", it)
			}
		}
	}
	if rows := rm.Rows(); len(rows) != 3 || rows[0].Item.ID != "platform" {
		t.Errorf("rows %+v", rows)
	}
	// Without areas there is one lane.
	if rm := scenario.BuildRoadmap(r, 2026, 2030, ins, nil); len(rm.Lanes) != 1 || len(rm.Lanes[0].Items) != 3 {
		t.Errorf("no areas: %+v", rm.Lanes)
	}
}
