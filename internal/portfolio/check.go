package portfolio

import (
	"fmt"
	"slices"
)

// Plan maps the keys of the initiatives in a plan to their start years.
type Plan map[string]int

// Check lists every rule that plan breaks in p, in a fixed order; nil
// means the plan is feasible. It is the independent check that Solve runs
// on every plan before returning it: deliberately plain loops over the
// portfolio as given, sharing no code with the optimiser (not even the
// cost helpers), so that a mistake in the optimiser's model cannot hide.
func Check(p *Portfolio, plan Plan) []string {
	var out []string
	bad := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }

	keys := make([]string, 0, len(plan))
	for k := range plan {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	byKey := map[string]*Initiative{}
	for i := range p.Initiatives {
		byKey[p.Initiatives[i].Key] = &p.Initiatives[i]
	}
	for _, k := range keys {
		in := byKey[k]
		if in == nil {
			bad("%s: is not an initiative of the portfolio", k)
			continue
		}
		s := plan[k]
		last := s + in.Duration - 1
		if in.Force == ForcedOut {
			bad("%s: is forced out but in the plan", k)
		}
		if s < in.EarliestStart {
			bad("%s: starts in %d, before its earliest start %d", k, s, in.EarliestStart)
		}
		if s > in.LatestStart {
			bad("%s: starts in %d, after its latest start %d", k, s, in.LatestStart)
		}
		if s < p.Horizon.Start {
			bad("%s: starts in %d, before the horizon starts in %d", k, s, p.Horizon.Start)
		}
		if last > p.Horizon.End {
			bad("%s: finishes in %d, after the horizon ends in %d", k, last, p.Horizon.End)
		}
		for _, d := range in.DependsOn {
			ds, ok := plan[d]
			if !ok {
				bad("%s: depends on %s, which is not in the plan", k, d)
				continue
			}
			if dep := byKey[d]; dep != nil && ds+dep.Duration > s {
				bad("%s: starts in %d, before %s finishes in %d", k, s, d, ds+dep.Duration-1)
			}
		}
	}
	for i := range p.Initiatives {
		in := &p.Initiatives[i]
		if _, ok := plan[in.Key]; in.Force == ForcedIn && !ok {
			bad("%s: is forced in but not in the plan", in.Key)
		}
	}
	for _, g := range p.Groups {
		var chosen []string
		for _, k := range g.Initiatives {
			if _, ok := plan[k]; ok {
				chosen = append(chosen, k)
			}
		}
		if len(chosen) > 1 {
			bad("group %s: %d of its initiatives are in the plan (%v); at most one may be", g.Key, len(chosen), chosen)
		}
	}
	for y := p.Horizon.Start; y <= p.Horizon.End; y++ {
		var money int64
		var staff FTE
		for _, k := range keys {
			in := byKey[k]
			if in == nil {
				continue
			}
			s := plan[k]
			if y == s {
				money += in.OneOffCost
			}
			if y >= s {
				money += in.RecurringCost
			}
			if y >= s && y < s+in.Duration {
				staff += in.FTE
			}
		}
		if budget := p.Budget.At(y); money > budget {
			bad("%d: spending %d is over the budget cap %d", y, money, budget)
		}
		if p.FTE != nil {
			if c := p.FTE.At(y); staff > c {
				bad("%d: staff effort %s FTE is over the cap %s FTE", y, staff, c)
			}
		}
	}
	return out
}

// PlanValue is the total value of the initiatives in plan.
func PlanValue(p *Portfolio, plan Plan) float64 {
	v := 0.0
	for i := range p.Initiatives {
		if _, ok := plan[p.Initiatives[i].Key]; ok {
			v += p.Value(i)
		}
	}
	return v
}
