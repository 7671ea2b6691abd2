package portfolio

import (
	"context"
	"math"
	"testing"

	"pgregory.net/rapid"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }

// TestOptimumMatchesBruteForce ensures, on random portfolios of up to 12
// initiatives, that Solve proves the same optimum as brute force, that
// every plan it returns passes the independent checker and respects
// forcing in and out, and that when brute force finds no plan Solve says
// the problem is infeasible and why.
func TestOptimumMatchesBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPortfolio(t, 12)
		if ps := p.Validate(); len(ps) > 0 {
			t.Fatalf("generator made an invalid portfolio: %v", ps)
		}
		want, _, feasible := bruteForce(p)
		res, err := Solve(context.Background(), p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !feasible {
			if res.Status != Infeasible || res.HasPlan || len(res.Reasons) == 0 {
				t.Fatalf("brute force finds no plan; Solve says %s with %v (reasons %q)", res.Status, res.Plan, res.Reasons)
			}
			return
		}
		if res.Status != Optimal || !res.HasPlan {
			t.Fatalf("status %s, reasons %q; brute force finds %g", res.Status, res.Reasons, want)
		}
		if !near(res.Objective, want) {
			t.Fatalf("objective %g, brute force %g", res.Objective, want)
		}
		if res.Gap != 0 || res.Bound != res.Objective {
			t.Fatalf("optimal with bound %g and gap %g", res.Bound, res.Gap)
		}
		plan := planOf(res)
		if bad := Check(p, plan); bad != nil {
			t.Fatalf("plan fails the checker: %q", bad)
		}
		if v := PlanValue(p, plan); !near(v, res.Objective) {
			t.Fatalf("plan is worth %g, result says %g", v, res.Objective)
		}
		for _, in := range p.Initiatives {
			_, chosen := plan[in.Key]
			if in.Force == ForcedIn && !chosen || in.Force == ForcedOut && chosen {
				t.Fatalf("%s is forced %s but chosen=%v", in.Key, in.Force, chosen)
			}
		}
	})
}

// TestMarginalsMatchBruteForce ensures the value of one more budget or FTE
// step in a year equals the brute-force optimum with that cap raised,
// minus the optimum.
func TestMarginalsMatchBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPortfolio(t, 7)
		base, _, feasible := bruteForce(p)
		res, err := Solve(context.Background(), p, Options{Marginals: true})
		if err != nil {
			t.Fatal(err)
		}
		if !feasible {
			return
		}
		if !res.MarginalsComplete {
			t.Fatalf("marginals not complete without a limit")
		}
		k := rapid.IntRange(0, len(res.Years)-1).Draw(t, "year")
		y := res.Years[k]
		q := p.Clone()
		if q.Budget.Years == nil {
			q.Budget.Years = map[int]int64{}
		}
		q.Budget.Years[y.Year] = p.Budget.At(y.Year) + p.Steps.BudgetStep()
		more, _, _ := bruteForce(q)
		if !y.Budget.Marginal.Exact || !near(y.Budget.Marginal.Gain, more-base) {
			t.Fatalf("budget %d: marginal %+v, brute force %g", y.Year, *y.Budget.Marginal, more-base)
		}
		if p.FTE != nil {
			q := p.Clone()
			if q.FTE.Years == nil {
				q.FTE.Years = map[int]FTE{}
			}
			q.FTE.Years[y.Year] = p.FTE.At(y.Year) + p.Steps.FTEStep()
			more, _, _ := bruteForce(q)
			if !y.FTE.Marginal.Exact || !near(y.FTE.Marginal.Gain, more-base) {
				t.Fatalf("FTE %d: marginal %+v, brute force %g", y.Year, *y.FTE.Marginal, more-base)
			}
		}
	})
}

// TestNodeLimitGivesFeasiblePlanAndValidBound ensures that a search
// stopped early (here after one node, which is repeatable where a time
// limit is not) still returns a plan that passes the checker, and a bound
// that really is at least the optimum, with gap = bound − objective.
func TestNodeLimitGivesFeasiblePlanAndValidBound(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPortfolio(t, 12)
		want, _, feasible := bruteForce(p)
		res, err := Solve(context.Background(), p, Options{NodeLimit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if !feasible {
			if res.HasPlan {
				t.Fatalf("no plan exists, yet Solve returned one")
			}
			return
		}
		if res.Status == Infeasible {
			t.Fatalf("infeasible, but brute force finds %g", want)
		}
		if res.Bound < want-1e-6 {
			t.Fatalf("bound %g is below the optimum %g", res.Bound, want)
		}
		if !res.HasPlan {
			return // only possible with forced-in initiatives
		}
		if bad := Check(p, planOf(res)); bad != nil {
			t.Fatalf("plan fails the checker: %q", bad)
		}
		if res.Objective > want+1e-6 {
			t.Fatalf("objective %g above the optimum %g", res.Objective, want)
		}
		if !near(res.Gap, res.Bound-res.Objective) {
			t.Fatalf("gap %g, bound %g, objective %g", res.Gap, res.Bound, res.Objective)
		}
		if res.Status == Optimal && !near(res.Objective, want) {
			t.Fatalf("claims optimal at %g, optimum %g", res.Objective, want)
		}
	})
}

// TestRoundTrip ensures that writing a portfolio and reading it back gives
// the same portfolio and the same optimum.
func TestRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPortfolio(t, 6)
		data, err := Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		q, err := Parse(data)
		if err != nil {
			t.Fatalf("%v\n%s", err, data)
		}
		again, _ := Marshal(q)
		if string(again) != string(data) {
			t.Fatalf("second write differs:\n%s\n%s", data, again)
		}
		a, _, _ := bruteForce(p)
		b, _, _ := bruteForce(q)
		if a != b {
			t.Fatalf("optimum %g before, %g after the round trip", a, b)
		}
	})
}

func planOf(r *Result) Plan {
	plan := Plan{}
	for _, a := range r.Plan {
		plan[a.Key] = a.Start
	}
	return plan
}
