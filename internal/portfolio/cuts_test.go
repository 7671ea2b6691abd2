package portfolio

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/waymark/waymark/internal/portfolio/lp"
	"pgregory.net/rapid"
)

// feasiblePlans lists every plan of p that Check accepts, as start
// offsets from the horizon start (−1: not in the plan), by trying every
// start year of every initiative within the horizon.
func feasiblePlans(p *Portfolio) [][]int {
	n, T := len(p.Initiatives), p.Horizon.Years()
	var out [][]int
	start := make([]int, n)
	var walk func(i int)
	walk = func(i int) {
		if i == n {
			plan := Plan{}
			for k, s := range start {
				if s >= 0 {
					plan[p.Initiatives[k].Key] = p.Horizon.Start + s
				}
			}
			if Check(p, plan) == nil {
				out = append(out, append([]int(nil), start...))
			}
			return
		}
		for s := -1; s < T; s++ {
			start[i] = s
			walk(i + 1)
		}
	}
	walk(0)
	return out
}

// TestCoverCutsHoldForEveryPlan ensures, on random small portfolios, that
// every cover cut separated from the root relaxation's solution, and from
// random fractional points, is satisfied by every feasible plan found by
// enumeration (forcing, dependencies, groups and windows included).
func TestCoverCutsHoldForEveryPlan(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPortfolio(t, 5)
		m := buildModel(p)
		if len(m.infeasible) > 0 || len(m.colI) == 0 {
			return
		}
		plans := feasiblePlans(p)
		var points [][]float64
		if s, err := lp.New(m.relaxation()); err == nil && s.Solve() == lp.Optimal {
			x := make([]float64, s.NumCols())
			for j := range x {
				x[j] = s.Col(j)
			}
			points = append(points, x)
		}
		rng := rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "seed"), 1))
		for k := 0; k < 5; k++ {
			// Each initiative in with a random share, spread over its
			// start years at random.
			x := make([]float64, len(m.colI))
			for _, cols := range m.cols {
				z := rng.Float64()
				var w []float64
				sum := 0.0
				for _, j := range cols {
					v := 0.0
					if j >= 0 {
						v = rng.Float64()
					}
					w = append(w, v)
					sum += v
				}
				for s, j := range cols {
					if j >= 0 && sum > 0 {
						x[j] = z * w[s] / sum
					}
				}
			}
			points = append(points, x)
		}
		for _, x := range points {
			for _, cut := range m.separateCovers(x, 1000) {
				lhs := 0.0
				for k, j := range cut.Idx {
					lhs += cut.Val[k] * x[j]
				}
				if lhs <= cut.Up+cutTol/2 {
					t.Fatalf("cut %v ≤ %g is not violated by the point it was separated from (%g)", cut.Idx, cut.Up, lhs)
				}
				for _, plan := range plans {
					act := 0.0
					for k, j := range cut.Idx {
						if plan[m.colI[j]] == m.colS[j] {
							act += cut.Val[k]
						}
					}
					if act > cut.Up+1e-9 || act < cut.Lo-1e-9 {
						t.Fatalf("cut on columns %v (≤ %g) cuts off the feasible plan %v (activity %g)", cut.Idx, cut.Up, plan, act)
					}
				}
			}
		}
	})
}

// TestCoverCutOnKnapsack ensures a hand-checked case: three initiatives
// that each cost 60 in a year with a budget of 100, relaxed to two
// thirds each, give the cut "at most one of them starts that year"
// (extended: any two overflow).
func TestCoverCutOnKnapsack(t *testing.T) {
	p := &Portfolio{Name: "k", Horizon: Horizon{2026, 2026}, TrendWeight: 0,
		Criteria: []Criterion{{Key: "c", Weight: 1}}, Budget: MoneyCaps{Default: 100}}
	for _, k := range []string{"a", "b", "c"} {
		p.Initiatives = append(p.Initiatives, Initiative{Key: k, OneOffCost: 60, Duration: 1,
			EarliestStart: 2026, LatestStart: 2026, Benefits: map[string]float64{"c": 1}})
	}
	m := buildModel(p)
	x := []float64{2.0 / 3, 2.0 / 3, 2.0 / 3}
	cuts := m.separateCovers(x, 10)
	if len(cuts) != 1 {
		t.Fatalf("%d cuts, want 1", len(cuts))
	}
	c := cuts[0]
	if len(c.Idx) != 3 || c.Up != 1 {
		t.Fatalf("cut %v ≤ %g, want all three ≤ 1", c.Idx, c.Up)
	}
	lhs := 0.0
	for _, j := range c.Idx {
		lhs += x[j]
	}
	if math.Abs(lhs-2) > 1e-12 {
		t.Fatalf("lhs %g", lhs)
	}
}
