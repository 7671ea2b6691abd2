package portfolio

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"pgregory.net/rapid"
)

// bruteForce finds the best plan by trying every subset of initiatives,
// best value first, and for each every combination of start years. It is
// the oracle for the property tests: exponential, and written with none
// of the optimiser's code (not presolve, not the relaxation, not Check).
// ok is false when no plan exists.
func bruteForce(p *Portfolio) (best float64, plan Plan, ok bool) {
	n := len(p.Initiatives)
	if n > 14 {
		panic("too many initiatives for brute force")
	}
	idx := map[string]int{}
	for i, in := range p.Initiatives {
		idx[in.Key] = i
	}
	type cand struct {
		mask  int
		value float64
	}
	var cands []cand
	for mask := 0; mask < 1<<n; mask++ {
		okMask := true
		v := 0.0
		for i, in := range p.Initiatives {
			on := mask&(1<<i) != 0
			if on && in.Force == ForcedOut || !on && in.Force == ForcedIn {
				okMask = false
				break
			}
			if on {
				v += p.Value(i)
				for _, d := range in.DependsOn {
					if mask&(1<<idx[d]) == 0 {
						okMask = false
					}
				}
			}
		}
		for _, g := range p.Groups {
			c := 0
			for _, k := range g.Initiatives {
				if mask&(1<<idx[k]) != 0 {
					c++
				}
			}
			if c > 1 {
				okMask = false
			}
		}
		if okMask {
			cands = append(cands, cand{mask, v})
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return cmp.Compare(b.value, a.value) })
	T := p.Horizon.Years()
	for _, c := range cands {
		var members []int
		for i := 0; i < n; i++ {
			if c.mask&(1<<i) != 0 {
				members = append(members, i)
			}
		}
		start := make([]int, n)
		money := make([]int64, T)
		staff := make([]int64, T)
		var dfs func(k int) bool
		dfs = func(k int) bool {
			if k == len(members) {
				for _, i := range members {
					for _, d := range p.Initiatives[i].DependsOn {
						j := idx[d]
						if start[j]+p.Initiatives[j].Duration > start[i] {
							return false
						}
					}
				}
				return true
			}
			i := members[k]
			in := &p.Initiatives[i]
			for s := in.EarliestStart; s <= in.LatestStart; s++ {
				if s+in.Duration-1 > p.Horizon.End {
					break
				}
				fits := true
				for y := s; y <= p.Horizon.End; y++ {
					t := y - p.Horizon.Start
					add := in.RecurringCost
					if y == s {
						add += in.OneOffCost
					}
					money[t] += add
					if y < s+in.Duration {
						staff[t] += int64(in.FTE)
					}
					if money[t] > p.Budget.At(y) || p.FTE != nil && staff[t] > int64(p.FTE.At(y)) {
						fits = false
					}
				}
				start[i] = s
				if fits && dfs(k+1) {
					return true
				}
				for y := s; y <= p.Horizon.End; y++ {
					t := y - p.Horizon.Start
					add := in.RecurringCost
					if y == s {
						add += in.OneOffCost
					}
					money[t] -= add
					if y < s+in.Duration {
						staff[t] -= int64(in.FTE)
					}
				}
			}
			return false
		}
		if dfs(0) {
			plan = Plan{}
			for _, i := range members {
				plan[p.Initiatives[i].Key] = start[i]
			}
			return c.value, plan, true
		}
	}
	return 0, nil, false
}

// genPortfolio draws a small random portfolio: up to maxN initiatives over
// 2–6 years, with costs, FTE, windows, dependencies (on earlier
// initiatives, so without cycles), exclusive groups, forcing, trends, and
// caps that usually bind.
func genPortfolio(t *rapid.T, maxN int) *Portfolio {
	T := rapid.IntRange(2, 6).Draw(t, "years")
	p := &Portfolio{Name: "random", Horizon: Horizon{2026, 2026 + T - 1}, TrendWeight: 1}
	nc := rapid.IntRange(1, 3).Draw(t, "criteria")
	for c := 0; c < nc; c++ {
		p.Criteria = append(p.Criteria, Criterion{Key: "c" + strconv.Itoa(c), Weight: float64(rapid.IntRange(1, 3).Draw(t, "weight"))})
	}
	if rapid.Bool().Draw(t, "trends") {
		for k := 0; k < 2; k++ {
			p.Trends = append(p.Trends, Trend{Key: "t" + strconv.Itoa(k), Priority: float64(rapid.IntRange(0, 10).Draw(t, "priority")) / 7})
		}
		p.TrendWeight = float64(rapid.IntRange(0, 4).Draw(t, "tw")) / 3
	}
	n := rapid.IntRange(1, maxN).Draw(t, "n")
	for i := 0; i < n; i++ {
		d := rapid.IntRange(1, min(3, T)).Draw(t, "duration")
		// Windows mostly fit the horizon; now and then one ends too late
		// to finish.
		lastOK := p.Horizon.End - d + 1
		if rapid.IntRange(0, 15).Draw(t, "late") == 7 {
			lastOK = p.Horizon.End
		}
		e := p.Horizon.Start + rapid.IntRange(0, lastOK-p.Horizon.Start).Draw(t, "earliest")
		l := lastOK - rapid.IntRange(0, lastOK-e).Draw(t, "latest")
		in := Initiative{Key: fmt.Sprintf("i%d", i), Duration: d, EarliestStart: e, LatestStart: l,
			OneOffCost:    int64(rapid.IntRange(1, 10).Draw(t, "oneoff")) * 100,
			RecurringCost: int64(rapid.IntRange(0, 3).Draw(t, "recurring")) * 100,
			FTE:           FTE(rapid.IntRange(0, 6).Draw(t, "fte")) * 50,
			Benefits:      map[string]float64{}}
		for _, c := range p.Criteria {
			in.Benefits[c.Key] = float64(5 - rapid.IntRange(0, 5).Draw(t, "score"))
		}
		if len(p.Trends) > 0 && rapid.Bool().Draw(t, "linked") {
			in.Trends = map[string]int{p.Trends[rapid.IntRange(0, 1).Draw(t, "trend")].Key: rapid.IntRange(0, 3).Draw(t, "strength")}
		}
		for j := 0; j < i; j++ {
			if rapid.IntRange(0, 12).Draw(t, "dep") == 6 {
				in.DependsOn = append(in.DependsOn, fmt.Sprintf("i%d", j))
			}
		}
		// Middle values: rapid draws the ends of a range more often.
		switch rapid.IntRange(0, 40).Draw(t, "force") {
		case 17:
			in.Force = ForcedIn
		case 23:
			in.Force = ForcedOut
		}
		p.Initiatives = append(p.Initiatives, in)
	}
	for g := rapid.IntRange(0, 2).Draw(t, "groups"); g > 0 && n >= 2; g-- {
		a := rapid.IntRange(0, n-1).Draw(t, "ga")
		b := rapid.IntRange(0, n-1).Draw(t, "gb")
		if a != b {
			p.Groups = append(p.Groups, Group{Key: "g" + strconv.Itoa(len(p.Groups)), Initiatives: []string{fmt.Sprintf("i%d", a), fmt.Sprintf("i%d", b)}})
		}
	}
	// Caps: a share of the average yearly demand, so they usually bind
	// without ruling everything out.
	var money, staff int64
	for _, in := range p.Initiatives {
		money += in.OneOffCost + in.RecurringCost*int64(T)/2
		staff += int64(in.FTE) * int64(in.Duration)
	}
	share := func(total int64, label string) int64 {
		return total * int64(rapid.SampledFrom([]int{3, 4, 5, 6, 7, 8, 10, 12}).Draw(t, label)) / 10 / int64(T)
	}
	// Mostly, every initiative fits the caps on its own.
	var single int64
	var singleFTE FTE
	for _, in := range p.Initiatives {
		single = max(single, in.OneOffCost+in.RecurringCost)
		singleFTE = max(singleFTE, in.FTE)
	}
	if rapid.IntRange(0, 3).Draw(t, "tiny") == 2 {
		single, singleFTE = 0, 0
	}
	p.Budget = MoneyCaps{Default: max(single, share(money, "budget"))}
	if rapid.Bool().Draw(t, "budgetYear") {
		p.Budget.Years = map[int]int64{p.Horizon.Start + rapid.IntRange(0, T-1).Draw(t, "by"): share(money, "bv")}
	}
	if rapid.Bool().Draw(t, "fteCap") {
		p.FTE = &FTECaps{Default: max(singleFTE, FTE(share(staff, "fteDefault")))}
	}
	p.Steps = Steps{Budget: int64(rapid.IntRange(1, 3).Draw(t, "step")) * 100, FTE: 50}
	return p
}
