package portfolio

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// TestSolveExample ensures the example portfolio's proven optimum, plan,
// binding constraints and marginal values: the figures docs/formats.md
// shows.
func TestSolveExample(t *testing.T) {
	p := example(t)
	res, err := Solve(t.Context(), p, Options{Marginals: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != Optimal || !near(res.Objective, 144.5) || res.Gap != 0 || res.Bound != res.Objective || !res.MarginalsComplete {
		t.Fatalf("%s", res.Summary())
	}
	if bad := Check(p, planOf(res)); bad != nil {
		t.Fatalf("plan fails the checker: %q", bad)
	}
	var keys []string
	for _, a := range res.Plan {
		keys = append(keys, a.Key)
	}
	want := []string{"citizen-portal", "data-platform", "digital-skills", "ai-caseworker", "soc", "open-data", "flood-sensors"}
	if !slices.Equal(keys, want) {
		t.Fatalf("plan %v, want %v", keys, want)
	}
	reasons := map[string]string{}
	for _, o := range res.Left {
		reasons[o.Key] = o.Reason
	}
	if reasons["e-archive"] != "is forced out" || !strings.Contains(reasons["soc-shared"], "which is forced in") ||
		reasons["cloud-exit"] != "is over a yearly cap on its own in every year it could start" || reasons["welfare-tech"] != "" {
		t.Fatalf("reasons %q", reasons)
	}
	// The budget binds in 2031–2035: 500 more in 2031 is worth 10.6 (it
	// lets welfare-tech in instead of digital-skills and flood-sensors'
	// year), in 2035 3.6; staff never binds.
	var got []string
	for _, b := range res.Binding {
		switch b.Kind {
		case "budget", "fte":
			got = append(got, b.Kind+" "+itoa(b.Year)+" "+formatValue(b.Gain))
		case "dependency":
			got = append(got, b.Initiative+" after "+b.On)
		case "exclusive":
			got = append(got, b.Group+": "+b.Initiative)
		}
	}
	wantB := []string{"budget 2031 10.6", "budget 2032 10.6", "budget 2033 10.6", "budget 2034 10.6", "budget 2035 3.6",
		"ai-caseworker after data-platform", "security-operations: soc"}
	if !slices.Equal(got, wantB) {
		t.Fatalf("binding %q, want %q", got, wantB)
	}
	// Each marginal value is the optimum with that year's cap one step
	// higher, minus the optimum.
	for _, y := range res.Years {
		q := p.Clone()
		q.Budget.Years[y.Year] = y.Budget.Cap + p.Steps.Budget
		more, err := Solve(t.Context(), q, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if m := y.Budget.Marginal; !m.Exact || !near(m.Gain, more.Objective-res.Objective) {
			t.Errorf("%d: marginal %+v, solving again gives %g", y.Year, *m, more.Objective-res.Objective)
		}
		if m := y.FTE.Marginal; !m.Exact || m.Gain != 0 {
			t.Errorf("%d: FTE marginal %+v", y.Year, *m)
		}
	}
}

func itoa(y int) string { return formatValue(float64(y)) }

// TestInfeasibleForcedIn ensures that forced-in initiatives that cannot
// fit give no plan and a reason, not a plan that breaks a cap.
func TestInfeasibleForcedIn(t *testing.T) {
	p := example(t)
	p.Initiatives[p.Index("welfare-tech")].Force = ForcedIn
	p.Initiatives[p.Index("ai-caseworker")].Force = ForcedIn
	p.Initiatives[p.Index("citizen-portal")].Force = ForcedIn
	res, err := Solve(t.Context(), p, Options{Marginals: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != Infeasible || res.HasPlan || len(res.Plan) != 0 {
		t.Fatalf("status %s with plan %v", res.Status, res.Plan)
	}
	want := "No plan is possible: no plan includes all the forced-in initiatives (ai-caseworker, welfare-tech, soc, citizen-portal, and what they depend on) within the caps, dependencies and start windows; they would fit if the budget caps were lifted, but not if the FTE caps were: the budget is too small for them."
	if got := res.Summary(); got != want {
		t.Fatalf("summary\n%s\nwant\n%s", got, want)
	}
	// Forced in and forced out at once is caught before any search.
	p = example(t)
	p.Initiatives[p.Index("soc-shared")].Force = ForcedIn
	res, _ = Solve(t.Context(), p, Options{})
	if res.Status != Infeasible || !slices.Contains(res.Reasons, "soc, soc-shared are all forced in (directly or as dependencies) but are mutually exclusive in group security-operations") {
		t.Fatalf("%s %q", res.Status, res.Reasons)
	}
}

// TestTimeLimit ensures that a solve stopped by its time limit returns
// the best plan found, checked, with a proven bound and gap, says so, and
// that the result file carries the status and gap.
func TestTimeLimit(t *testing.T) {
	p := benchPortfolio(100, 1)
	began := time.Now()
	res, err := Solve(t.Context(), p, Options{TimeLimit: 200 * time.Millisecond, Marginals: true})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(began); took > 3*time.Second {
		t.Errorf("a 200 ms limit took %v", took)
	}
	if res.Status != TimeLimit || !res.HasPlan {
		t.Fatalf("status %s, plan %v", res.Status, res.HasPlan)
	}
	if bad := Check(p, planOf(res)); bad != nil {
		t.Fatalf("plan fails the checker: %q", bad)
	}
	if !(res.Bound > res.Objective) || !near(res.Gap, res.Bound-res.Objective) || !near(res.RelativeGap, res.Gap/res.Bound) {
		t.Fatalf("objective %g, bound %g, gap %g (%g)", res.Objective, res.Bound, res.Gap, res.RelativeGap)
	}
	if !strings.HasPrefix(res.Summary(), "Time limit reached: the best plan found has ") || res.MarginalsComplete {
		t.Fatalf("summary %q, marginals complete %v", res.Summary(), res.MarginalsComplete)
	}
	out, err := MarshalResult(p, res)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Format, Kind, Status string
		Gap                  float64
		MarginalsComplete    *bool `json:"marginals_complete"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Format != Format || doc.Kind != "result" || doc.Status != "time_limit" || doc.Gap <= 0 || doc.MarginalsComplete == nil || *doc.MarginalsComplete {
		t.Fatalf("result file %+v", doc)
	}
}

// TestCancelled ensures a cancelled context stops the search at once with
// an honest status.
func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	res, err := Solve(ctx, benchPortfolio(60, 2), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != TimeLimit || res.Stats.Nodes > 1 {
		t.Fatalf("status %s after %d nodes", res.Status, res.Stats.Nodes)
	}
}

// TestCheckFindsEveryBrokenRule ensures the independent checker names
// each rule a plan breaks.
func TestCheckFindsEveryBrokenRule(t *testing.T) {
	p := example(t)
	plan := Plan{
		"ghost":          2026, // not an initiative
		"e-archive":      2026, // forced out
		"welfare-tech":   2026, // before its earliest start 2027
		"onprem-renewal": 2030, // after its latest start 2029
		"cloud-exit":     2035, // finishes after the horizon; same group as onprem-renewal
		"ai-caseworker":  2027, // data-platform is not in the plan
		"open-data":      2026,
	}
	want := []string{
		"ai-caseworker: depends on data-platform, which is not in the plan",
		"cloud-exit: starts in 2035, after its latest start 2030",
		"cloud-exit: finishes in 2036, after the horizon ends in 2035",
		"e-archive: is forced out but in the plan",
		"ghost: is not an initiative of the portfolio",
		"onprem-renewal: starts in 2030, after its latest start 2029",
		"open-data: depends on data-platform, which is not in the plan",
		"welfare-tech: starts in 2026, before its earliest start 2027",
		"soc: is forced in but not in the plan",
		"group hosting: 2 of its initiatives are in the plan ([cloud-exit onprem-renewal]); at most one may be",
		"2026: spending 5650 is over the budget cap 3000",
		"2026: staff effort 3.5 FTE is over the cap 3 FTE",
		"2027: staff effort 4.5 FTE is over the cap 4 FTE",
		"2030: spending 5450 is over the budget cap 4000",
		"2035: spending 6250 is over the budget cap 4000",
	}
	got := Check(p, plan)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A dependency that has not finished.
	got = Check(p, Plan{"soc": 2026, "data-platform": 2026, "open-data": 2027})
	if !slices.Contains(got, "open-data: starts in 2027, before data-platform finishes in 2027") {
		t.Fatalf("%q", got)
	}
}

// TestProverMatchesBruteForce ensures the schedule prover's verdict on a
// random set of initiatives (with what they depend on and the forced-in
// ones) agrees with brute force over start years, and that a schedule it
// finds passes the checker; the same for the greedy shortcut when it
// finds one.
func TestProverMatchesBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPortfolio(t, 8)
		p.Groups = nil
		m := buildModel(p)
		if len(m.infeasible) > 0 {
			return
		}
		var set []int
		for i := range p.Initiatives {
			if !m.out[i] && rapid.Bool().Draw(t, "in") {
				set = append(set, i)
			}
		}
		set = m.closure(set)
		pv := newProver(m)
		v := pv.schedule(set, nil, 1_000_000)
		q := p.Clone()
		for i := range q.Initiatives {
			q.Initiatives[i].Force = ForcedOut
		}
		for _, i := range set {
			q.Initiatives[i].Force = ForcedIn
		}
		_, _, feasible := bruteForce(q)
		switch {
		case v == unknown:
			t.Fatalf("a million steps were not enough for %d initiatives", len(set))
		case feasible != (v == schedulable):
			t.Fatalf("prover says %v, brute force feasible=%v", v, feasible)
		case v == schedulable:
			plan := Plan{}
			for _, i := range set {
				plan[p.Initiatives[i].Key] = p.Horizon.Start + pv.start[i]
			}
			if bad := Check(q, plan); bad != nil {
				t.Fatalf("the prover's schedule fails the checker: %q", bad)
			}
		}
		// The greedy shortcut may miss a schedule, never invent one.
		if pv.fitsGreedily(set, nil) {
			if v != schedulable {
				t.Fatalf("fitsGreedily found a place for a set the prover calls %v", v)
			}
			plan := Plan{}
			for _, i := range set {
				plan[p.Initiatives[i].Key] = p.Horizon.Start + pv.trial.start[i]
			}
			if bad := Check(q, plan); bad != nil {
				t.Fatalf("the greedy schedule fails the checker: %q", bad)
			}
		}
	})
}
