package portfolio

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// benchBase starts a benchmark portfolio over 2026–2035: five criteria
// weighted 3, 2, 2, 1, 1, trends t0… with random priorities, trend weight
// 0.5, and the budget step given.
func benchBase(name string, budgetStep int64, trends int, rng *rand.Rand) *Portfolio {
	p := &Portfolio{Name: name, Currency: "SEK", Horizon: Horizon{2026, 2035}, TrendWeight: 0.5,
		Steps: Steps{Budget: budgetStep, FTE: FTEUnit}}
	for k, w := range []float64{3, 2, 2, 1, 1} {
		p.Criteria = append(p.Criteria, Criterion{Key: "c" + strconv.Itoa(k), Weight: w})
	}
	for k := 0; k < trends; k++ {
		p.Trends = append(p.Trends, Trend{Key: "t" + strconv.Itoa(k), Priority: 0.2 + 0.8*rng.Float64()})
	}
	return p
}

// benchPortfolio makes a demanding portfolio of n initiatives over the ten
// years 2026–2035 from a fixed seed (the "stress" family): one-off costs from 200,000 to
// 5,000,000 (log-uniform), recurring costs 5–25 % of that per year,
// 0.25–4 FTE for 1–4 years, a third of the start windows narrowed, about
// 0.4 dependencies per initiative, n/10 exclusive groups of 2–3, five
// weighted criteria, ten trends with priorities (trend weight 0.5), and
// budget and FTE caps at 35 % and 40 % of the average yearly demand, so
// that about half the initiatives fit and both caps bind.
func benchPortfolio(n int, seed uint64) *Portfolio {
	rng := rand.New(rand.NewPCG(seed, 2026))
	p := benchBase(fmt.Sprintf("benchmark %d", n), 100_000, 10, rng)
	var money, staff float64
	for i := 0; i < n; i++ {
		d := []int{1, 1, 1, 2, 2, 2, 2, 3, 3, 4}[rng.IntN(10)]
		oneOff := int64(math.Round(200_000*math.Pow(25, rng.Float64())/10_000)) * 10_000
		rec := int64(float64(oneOff)*(0.05+0.2*rng.Float64())/1000) * 1000
		fte := FTE(25 * (1 + rng.IntN(16)))
		in := Initiative{Key: fmt.Sprintf("i%02d", i), Title: fmt.Sprintf("Initiative %d", i), OneOffCost: oneOff, RecurringCost: rec,
			FTE: fte, Duration: d, EarliestStart: 2026, LatestStart: 2035, Benefits: map[string]float64{}, Trends: map[string]int{}}
		if rng.IntN(3) == 0 {
			in.EarliestStart = 2026 + rng.IntN(5)
			in.LatestStart = min(2035, in.EarliestStart+2+rng.IntN(4))
		}
		base := 1 + rng.IntN(4)
		for _, c := range p.Criteria {
			in.Benefits[c.Key] = float64(min(5, max(0, base+rng.IntN(3)-1)))
		}
		for k := 1 + rng.IntN(2); k > 0; k-- {
			in.Trends["t"+strconv.Itoa(rng.IntN(10))] = 1 + rng.IntN(3)
		}
		if i >= 5 && rng.IntN(10) < 3 {
			in.DependsOn = append(in.DependsOn, fmt.Sprintf("i%02d", rng.IntN(i)))
			if rng.IntN(10) == 0 {
				if j := fmt.Sprintf("i%02d", rng.IntN(i)); !slices.Contains(in.DependsOn, j) {
					in.DependsOn = append(in.DependsOn, j)
				}
			}
		}
		money += float64(oneOff) + float64(rec)*5
		staff += float64(fte) * float64(d)
		p.Initiatives = append(p.Initiatives, in)
	}
	// Groups among initiatives that do not depend on each other.
	used := map[int]bool{}
	for g := 0; g < n/10; g++ {
		var members []string
		for len(members) < 2+rng.IntN(2) {
			i := rng.IntN(n)
			if used[i] || len(p.Initiatives[i].DependsOn) > 0 {
				continue
			}
			used[i] = true
			members = append(members, p.Initiatives[i].Key)
		}
		p.Groups = append(p.Groups, Group{Key: "g" + strconv.Itoa(g), Initiatives: members})
	}
	p.Budget = MoneyCaps{Default: int64(0.35*money/10/100_000) * 100_000}
	p.FTE = &FTECaps{Default: FTE(0.40 * staff / 10 / 25 * 25)}
	return p
}

// demoShapedPortfolio makes a portfolio of n initiatives shaped like the
// demo's 27 (internal/service/demo_portfolio.go), from a fixed seed (the
// "demo" family): one-off costs from 20,000 to 900,000 (log-uniform),
// recurring costs 10–120 % of that per year (5,000–300,000), 0.2–3 FTE,
// half of them one year long and none longer than three, start windows of
// 2–7 years that open in 2026–2029, about 0.3 dependencies per initiative,
// n/12 exclusive pairs, and the demo's baseline caps (1,600,000 and 12 FTE
// a year for 27 initiatives) scaled to n. Against the stress family the
// largest initiative takes a quarter of a year's budget instead of nearly
// all of it, as in a larger organisation's portfolio.
func demoShapedPortfolio(n int, seed uint64) *Portfolio {
	rng := rand.New(rand.NewPCG(seed, 27))
	p := benchBase(fmt.Sprintf("demo-shaped %d", n), 10_000, 15, rng)
	logUniform := func(lo, hi float64) float64 { return lo * math.Pow(hi/lo, rng.Float64()) }
	for i := 0; i < n; i++ {
		oneOff := int64(logUniform(20_000, 900_000)/10_000) * 10_000
		rec := int64(min(300_000, max(5_000, float64(oneOff)*logUniform(0.1, 1.2)))/5_000) * 5_000
		earliest := 2026 + []int{0, 0, 0, 0, 1, 1, 2, 3}[rng.IntN(8)]
		in := Initiative{Key: fmt.Sprintf("i%02d", i), Title: fmt.Sprintf("Initiative %d", i), OneOffCost: oneOff, RecurringCost: rec,
			FTE: FTE(10 * (2 + rng.IntN(29))), Duration: []int{1, 1, 1, 1, 1, 2, 2, 2, 2, 3}[rng.IntN(10)],
			EarliestStart: earliest, LatestStart: min(2035, earliest+1+rng.IntN(6)), Benefits: map[string]float64{}, Trends: map[string]int{}}
		for _, c := range p.Criteria {
			in.Benefits[c.Key] = float64(1 + rng.IntN(5))
		}
		for k := 1 + rng.IntN(3); k > 0; k-- {
			in.Trends["t"+strconv.Itoa(rng.IntN(15))] = 1 + rng.IntN(3)
		}
		if i >= 5 && rng.IntN(10) < 3 {
			in.DependsOn = append(in.DependsOn, fmt.Sprintf("i%02d", rng.IntN(i)))
		}
		p.Initiatives = append(p.Initiatives, in)
	}
	used := map[int]bool{}
	for g := 0; g < n/12; g++ {
		var members []string
		for len(members) < 2 {
			i := rng.IntN(n)
			if used[i] || len(p.Initiatives[i].DependsOn) > 0 {
				continue
			}
			used[i] = true
			members = append(members, p.Initiatives[i].Key)
		}
		p.Groups = append(p.Groups, Group{Key: "g" + strconv.Itoa(g), Initiatives: members})
	}
	p.Budget = MoneyCaps{Default: int64(1_600_000*float64(n)/27/10_000) * 10_000}
	p.FTE = &FTECaps{Default: FTE(1200 * n / 27 / 10 * 10)}
	return p
}

// benchFamily returns the generator WAYMARK_BENCH_FAMILY names: "stress"
// (benchPortfolio, the default) or "demo" (demoShapedPortfolio).
func benchFamily(tb testing.TB) (string, func(n int, seed uint64) *Portfolio) {
	switch f := os.Getenv("WAYMARK_BENCH_FAMILY"); f {
	case "", "stress":
		return "stress", benchPortfolio
	case "demo":
		return "demo", demoShapedPortfolio
	default:
		tb.Fatalf("WAYMARK_BENCH_FAMILY=%q: want stress or demo", f)
		return "", nil
	}
}

// benchLimit is the time limit of each benchmark solve:
// WAYMARK_BENCH_LIMIT (a Go duration), 10 s by default. A solve that
// reaches it reports its gap instead of failing.
func benchLimit() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("WAYMARK_BENCH_LIMIT")); err == nil {
		return d
	}
	return 10 * time.Second
}

// BenchmarkSolve measures proving the optimum of the stress portfolio of
// each size and of the demo-shaped one of 60 (seed 1, no marginal values);
// the target is at most 2 s for 60. It reports the nodes, whether the optimum was proven, and
// the relative gap left when the time limit came first.
func BenchmarkSolve(b *testing.B) {
	for _, n := range []int{20, 40, 60, 80, 100} {
		b.Run(strconv.Itoa(n), func(b *testing.B) { benchSolve(b, benchPortfolio(n, 1)) })
	}
	for _, n := range []int{60} {
		b.Run("demo-shaped-"+strconv.Itoa(n), func(b *testing.B) { benchSolve(b, demoShapedPortfolio(n, 1)) })
	}
}

func benchSolve(b *testing.B, p *Portfolio) {
	var res *Result
	for b.Loop() {
		var err error
		res, err = Solve(context.Background(), p, Options{TimeLimit: benchLimit()})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.Stats.Nodes), "nodes")
	b.ReportMetric(float64(len(res.Plan)), "chosen")
	b.ReportMetric(100*res.RelativeGap, "gap%")
	proven := 0.0
	if res.Status == Optimal {
		proven = 1
	}
	b.ReportMetric(proven, "proven")
}

// BenchmarkSolveMarginals measures the same with the marginal value of
// one more budget step and FTE step in each of the ten years (up to 20
// more solves, each seeded with the plan).
func BenchmarkSolveMarginals(b *testing.B) {
	for _, n := range []int{20, 40} {
		p := benchPortfolio(n, 1)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Solve(context.Background(), p, Options{TimeLimit: benchLimit(), Marginals: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestBenchTable prints the table in docs/benchmarks.md: for each size,
// seeds 1…WAYMARK_BENCH_SEEDS (5 by default) under the time limit
// WAYMARK_BENCH_LIMIT, how many were proven optimal, the median and
// largest solve time and relative gap, and the median nodes, for the
// family WAYMARK_BENCH_FAMILY names (stress or demo). Run it with
// WAYMARK_BENCH_TABLE=1 and -v.
func TestBenchTable(t *testing.T) {
	if os.Getenv("WAYMARK_BENCH_TABLE") == "" {
		t.Skip("set WAYMARK_BENCH_TABLE=1 to print the benchmark table")
	}
	seeds := 5
	if k, err := strconv.Atoi(os.Getenv("WAYMARK_BENCH_SEEDS")); err == nil && k > 0 {
		seeds = k
	}
	sizes := []int{20, 40, 60, 80, 100}
	if s := os.Getenv("WAYMARK_BENCH_SIZES"); s != "" {
		sizes = nil
		for _, f := range strings.Split(s, ",") {
			if n, err := strconv.Atoi(f); err == nil {
				sizes = append(sizes, n)
			}
		}
	}
	family, generate := benchFamily(t)
	t.Logf("%s family, time limit %v, %d seeds", family, benchLimit(), seeds)
	t.Logf("| initiatives | proven optimal | median time | max time | median gap | max gap | median nodes | chosen (median) |")
	t.Logf("|---|---|---|---|---|---|---|---|")
	for _, n := range sizes {
		var times []time.Duration
		var gaps []float64
		var nodes, chosen []int
		proven := 0
		for seed := uint64(1); seed <= uint64(seeds); seed++ {
			p := generate(n, seed)
			t0 := time.Now()
			res, err := Solve(context.Background(), p, Options{TimeLimit: benchLimit()})
			if err != nil {
				t.Fatal(err)
			}
			took := time.Since(t0)
			if bad := Check(p, planOf(res)); bad != nil {
				t.Fatalf("n=%d seed=%d: %q", n, seed, bad)
			}
			times = append(times, took)
			gaps = append(gaps, 100*res.RelativeGap)
			nodes = append(nodes, res.Stats.Nodes)
			chosen = append(chosen, len(res.Plan))
			if res.Status == Optimal {
				proven++
			}
			t.Logf("n=%d seed=%d: %v, %s, %d nodes", n, seed, took.Round(time.Millisecond), res.Summary(), res.Stats.Nodes)
		}
		slices.Sort(times)
		slices.Sort(gaps)
		slices.Sort(nodes)
		slices.Sort(chosen)
		t.Logf("| %d | %d of %d | %v | %v | %.1f %% | %.1f %% | %d | %d |", n, proven, seeds,
			times[len(times)/2].Round(time.Millisecond), times[len(times)-1].Round(time.Millisecond),
			gaps[len(gaps)/2], gaps[len(gaps)-1], nodes[len(nodes)/2], chosen[len(chosen)/2])
	}
}
