package portfolio

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Options tune Solve.
type Options struct {
	// TimeLimit bounds the whole call (0: none). When it is reached Solve
	// returns the best plan found with its proven gap. With Marginals the
	// main solve gets half of it and the extra solves share the rest.
	TimeLimit time.Duration
	// NodeLimit bounds the branch-and-bound nodes of each solve (0: none);
	// unlike the time limit it makes a stopped search repeatable.
	NodeLimit int
	// Marginals asks for the value of one more budget step and one more
	// FTE step in each year, found by solving again with that year's cap
	// raised (one solve per year and cap, each warm-started with the
	// plan).
	Marginals bool
}

// Status says what Solve proved.
type Status string

const (
	// Optimal: no plan has a higher value (gap 0).
	Optimal Status = "optimal"
	// TimeLimit: the time or node limit was reached, or the context was
	// cancelled; Plan is the best found (if any) and Bound is proven: no
	// plan is worth more.
	TimeLimit Status = "time_limit"
	// Infeasible: no plan satisfies the forced-in initiatives; Reasons
	// says why.
	Infeasible Status = "infeasible"
)

// Result is the optimiser's answer.
type Result struct {
	Status Status
	// Objective is the plan's total value; Bound a proven upper bound on
	// any plan's value; Gap = Bound − Objective (0 when optimal) and
	// RelativeGap = Gap / Bound.
	Objective, Bound, Gap, RelativeGap float64
	// HasPlan is false when infeasible, or when the time limit came before
	// any plan was found (only possible with forced-in initiatives).
	HasPlan bool
	// Plan lists the chosen initiatives by start year, then key.
	Plan []Assignment
	// Left lists the initiatives not in the plan, in portfolio order.
	Left []Omission
	// Years gives usage, slack and marginal values per horizon year.
	Years []YearUse
	// Binding lists the constraints with no slack in the plan.
	Binding []Binding
	// Steps used for the marginal values.
	BudgetStep int64
	FTEStep    FTE
	// MarginalsAsked says marginal values were asked for;
	// MarginalsComplete that every one was found exactly.
	MarginalsAsked, MarginalsComplete bool
	// Reasons explains an infeasible result.
	Reasons []string
	Stats   Stats
}

// Assignment is one initiative in the plan.
type Assignment struct {
	Key, Title string
	Start, End int // first and last year of its duration
	Value      float64
	Forced     bool
}

// Omission is an initiative left out, with the reason when presolve found
// one it could never be in a plan (empty when it simply did not make the
// cut).
type Omission struct {
	Key, Title string
	Value      float64
	Reason     string
}

// YearUse is one year of the plan.
type YearUse struct {
	Year   int
	Budget MoneyUse
	FTE    *FTEUse // nil when FTE is not capped
}

// MoneyUse is the plan's spending against a year's budget cap.
type MoneyUse struct {
	Cap, Used, Slack int64
	Binding          bool      // slack is 0
	Marginal         *Marginal // nil unless asked for
}

// FTEUse is the plan's staff effort against a year's FTE cap.
type FTEUse struct {
	Cap, Used, Slack FTE
	Binding          bool
	Marginal         *Marginal
}

// Marginal is what one more step of a year's cap would add to the optimal
// value: Gain when Exact, else somewhere between Gain and Upper.
type Marginal struct {
	Gain, Upper float64
	Exact       bool
}

// Binding is a constraint that holds the plan back.
//
// A yearly cap ("budget", "fte") binds in Year when the plan leaves no
// slack there, or when one more step of it would raise the optimum (Gain,
// known when marginal values were asked for): then the slack left is
// smaller than anything that could use it. A "dependency" binds when
// Initiative starts the year after On finishes; an "exclusive" group when
// Initiative, one of its members, is in the plan (so the others cannot be).
type Binding struct {
	Kind  string
	Year  int
	Slack float64 // budget: currency units; fte: FTE
	Gain  float64 // value of one more step, when known
	// Initiative starts right after On finishes (dependency); Group is full
	// with Initiative (exclusive).
	Initiative, On, Group string
}

// Stats describe the work done.
type Stats struct {
	Nodes          int // branch-and-bound nodes of the main solve
	Pivots         int // simplex pivots of the main solve
	Elapsed        time.Duration
	MarginalSolves int
	MarginalNodes  int
	Elapsed2       time.Duration // of the marginal solves
}

// ErrCheck is returned (wrapped) if a plan the optimiser found fails the
// independent check: a bug, reported instead of a wrong plan.
var ErrCheck = errors.New("portfolio: the optimiser's plan failed the independent check")

// Solve finds the plan of greatest value. It validates p first and
// returns its problems (domain.Problems, with JSON paths) if any. The
// plan it returns has passed Check.
func Solve(ctx context.Context, p *Portfolio, opt Options) (*Result, error) {
	if ps := p.Validate(); len(ps) > 0 {
		return nil, ps
	}
	began := time.Now()
	var deadline time.Time
	if opt.TimeLimit > 0 {
		deadline = began.Add(opt.TimeLimit)
	}
	m := buildModel(p)
	res := &Result{BudgetStep: p.Steps.BudgetStep(), FTEStep: p.Steps.FTEStep()}
	if len(m.infeasible) > 0 {
		res.Status, res.Reasons = Infeasible, m.infeasible
		res.Stats.Elapsed = time.Since(began)
		return res, nil
	}
	// With marginal values asked for under a time limit, the main solve
	// gets half of it and the extra solves share the rest.
	mainDeadline := deadline
	if opt.Marginals && !deadline.IsZero() {
		mainDeadline = began.Add(opt.TimeLimit / 2)
	}
	sr, err := newSearch(ctx, m, mainDeadline, opt.NodeLimit)
	if err != nil {
		return nil, err
	}
	found := sr.run()
	res.Stats = Stats{Nodes: found.nodes, Pivots: found.pivots, Elapsed: time.Since(began)}
	if found.start == nil {
		if found.complete {
			res.Status, res.Reasons = Infeasible, diagnose(ctx, p)
		} else {
			res.Status, res.Bound = TimeLimit, found.bound
		}
		return res, nil
	}
	// Deliver as early as the caps allow: same value, sooner.
	st := newSched(m)
	for _, i := range m.topological(allIn(found.start)) {
		st.place(i, found.start[i])
	}
	st.shiftEarly()
	plan := Plan{}
	for i, s := range st.start {
		if s >= 0 {
			plan[m.name(i)] = p.Horizon.Start + s
		}
	}
	if bad := Check(p, plan); len(bad) > 0 {
		return nil, fmt.Errorf("%w: %s", ErrCheck, strings.Join(bad, "; "))
	}
	res.HasPlan = true
	res.Objective = PlanValue(p, plan)
	res.Status, res.Bound = Optimal, res.Objective
	if !found.complete {
		res.Status, res.Bound = TimeLimit, math.Max(found.bound, res.Objective)
		res.Gap = res.Bound - res.Objective
		if res.Bound > 0 {
			res.RelativeGap = res.Gap / res.Bound
		}
	}
	report(res, m, p, plan)
	if opt.Marginals {
		res.MarginalsAsked = true
		t0 := time.Now()
		marginals(ctx, res, p, st.start, deadline, opt.NodeLimit)
		res.Stats.Elapsed2 = time.Since(t0)
		capBindings(res)
	}
	return res, nil
}

// report fills in the plan, what was left out, yearly use and binding
// constraints.
func report(res *Result, m *model, p *Portfolio, plan Plan) {
	for i := range p.Initiatives {
		in := &p.Initiatives[i]
		if s, ok := plan[in.Key]; ok {
			res.Plan = append(res.Plan, Assignment{Key: in.Key, Title: in.Title, Start: s, End: in.Finish(s),
				Value: m.val[i], Forced: in.Force == ForcedIn})
		} else {
			res.Left = append(res.Left, Omission{Key: in.Key, Title: in.Title, Value: m.val[i], Reason: m.why[i]})
		}
	}
	slices.SortStableFunc(res.Plan, func(a, b Assignment) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.Key, b.Key))
	})
	for y := p.Horizon.Start; y <= p.Horizon.End; y++ {
		var money int64
		var staff FTE
		for i := range p.Initiatives {
			in := &p.Initiatives[i]
			if s, ok := plan[in.Key]; ok {
				money += in.CostIn(s, y)
				staff += in.FTEIn(s, y)
			}
		}
		yu := YearUse{Year: y}
		c := p.Budget.At(y)
		yu.Budget = MoneyUse{Cap: c, Used: money, Slack: c - money, Binding: money == c}
		if p.FTE != nil {
			f := p.FTE.At(y)
			yu.FTE = &FTEUse{Cap: f, Used: staff, Slack: f - staff, Binding: staff == f}
		}
		res.Years = append(res.Years, yu)
	}
	capBindings(res)
	for _, a := range res.Plan {
		in := &p.Initiatives[p.Index(a.Key)]
		for _, d := range in.DependsOn {
			dep := &p.Initiatives[p.Index(d)]
			if plan[d]+dep.Duration == a.Start {
				res.Binding = append(res.Binding, Binding{Kind: "dependency", Initiative: a.Key, On: d})
			}
		}
	}
	for _, g := range p.Groups {
		for _, k := range g.Initiatives {
			if _, ok := plan[k]; ok {
				res.Binding = append(res.Binding, Binding{Kind: "exclusive", Group: g.Key, Initiative: k})
			}
		}
	}
}

// capBindings puts the binding yearly caps first in res.Binding, budget
// then FTE, by year; it is run again once the marginal values are known.
func capBindings(res *Result) {
	res.Binding = slices.DeleteFunc(res.Binding, func(b Binding) bool { return b.Kind == "budget" || b.Kind == "fte" })
	var caps []Binding
	gain := func(m *Marginal) float64 {
		if m == nil {
			return 0
		}
		return m.Gain
	}
	for k := range res.Years {
		y := &res.Years[k]
		if g := gain(y.Budget.Marginal); y.Budget.Binding || g > 0 {
			y.Budget.Binding = true
			caps = append(caps, Binding{Kind: "budget", Year: y.Year, Slack: float64(y.Budget.Slack), Gain: g})
		}
	}
	for _, y := range res.Years {
		if y.FTE == nil {
			continue
		}
		if g := gain(y.FTE.Marginal); y.FTE.Binding || g > 0 {
			y.FTE.Binding = true
			caps = append(caps, Binding{Kind: "fte", Year: y.Year, Slack: y.FTE.Slack.Float(), Gain: g})
		}
	}
	res.Binding = append(caps, res.Binding...)
}

// marginals solves again with each year's budget (and FTE) cap raised by
// one step, seeded with the plan, which stays feasible.
func marginals(ctx context.Context, res *Result, p *Portfolio, start []int, deadline time.Time, nodeLimit int) {
	res.MarginalsComplete = res.Status == Optimal
	left := 0 // solves still to do, to share the time left between them
	for _, y := range res.Years {
		if !cannotBind(p, y.Year, false) {
			left++
		}
		if y.FTE != nil && !cannotBind(p, y.Year, true) {
			left++
		}
	}
	one := func(q *Portfolio) *Marginal {
		if !deadline.IsZero() && time.Now().After(deadline) || ctx.Err() != nil {
			res.MarginalsComplete = false
			return nil
		}
		until := deadline
		if !until.IsZero() {
			until = time.Now().Add(time.Until(deadline) / time.Duration(max(1, left)))
		}
		left--
		m := buildModel(q)
		sr, err := newSearch(ctx, m, until, nodeLimit)
		if err != nil {
			res.MarginalsComplete = false
			return nil
		}
		sr.seed(start)
		found := sr.run()
		res.Stats.MarginalSolves++
		res.Stats.MarginalNodes += found.nodes
		gain := math.Max(0, roundValue(found.value-res.Objective))
		mg := &Marginal{Gain: gain, Upper: math.Max(gain, roundValue(found.bound-res.Objective)), Exact: found.complete && res.Status == Optimal}
		if mg.Exact {
			mg.Upper = gain
		} else {
			res.MarginalsComplete = false
		}
		return mg
	}
	for k := range res.Years {
		yu := &res.Years[k]
		if cannotBind(p, yu.Year, false) {
			yu.Budget.Marginal = &Marginal{Exact: res.Status == Optimal}
		} else {
			q := p.Clone()
			if q.Budget.Years == nil {
				q.Budget.Years = map[int]int64{}
			}
			q.Budget.Years[yu.Year] = yu.Budget.Cap + res.BudgetStep
			yu.Budget.Marginal = one(q)
		}
		if yu.FTE == nil {
			continue
		}
		if cannotBind(p, yu.Year, true) {
			yu.FTE.Marginal = &Marginal{Exact: res.Status == Optimal}
			continue
		}
		q := p.Clone()
		if q.FTE.Years == nil {
			q.FTE.Years = map[int]FTE{}
		}
		q.FTE.Years[yu.Year] = yu.FTE.Cap + res.FTEStep
		yu.FTE.Marginal = one(q)
	}
}

// cannotBind reports whether a year's cap is at least what every
// initiative that is not forced out could use in that year at once, at
// its costliest start: then more of it is worth nothing.
func cannotBind(p *Portfolio, year int, staff bool) bool {
	var total int64
	for i := range p.Initiatives {
		in := &p.Initiatives[i]
		if in.Force == ForcedOut {
			continue
		}
		most := int64(0)
		for s := in.EarliestStart; s <= p.LastStart(i); s++ {
			if staff {
				most = max(most, int64(in.FTEIn(s, year)))
			} else {
				most = max(most, in.CostIn(s, year))
			}
		}
		total += most
	}
	if staff {
		return total <= int64(p.FTE.At(year))
	}
	return total <= p.Budget.At(year)
}

// diagnose explains why the forced-in initiatives have no plan: it tries
// them alone with the budget caps lifted, then with the FTE caps lifted.
func diagnose(ctx context.Context, p *Portfolio) []string {
	// Only the forced-in initiatives and what they need matter.
	var forced []string
	q := p.Clone()
	need := map[string]bool{}
	var walk func(k string)
	walk = func(k string) {
		if need[k] {
			return
		}
		need[k] = true
		if i := q.Index(k); i >= 0 {
			for _, d := range q.Initiatives[i].DependsOn {
				walk(d)
			}
		}
	}
	for i := range q.Initiatives {
		if q.Initiatives[i].Force == ForcedIn {
			forced = append(forced, q.Initiatives[i].Key)
			walk(q.Initiatives[i].Key)
		}
	}
	for i := range q.Initiatives {
		if !need[q.Initiatives[i].Key] {
			q.Initiatives[i].Force = ForcedOut
		}
	}
	out := []string{fmt.Sprintf("no plan includes all the forced-in initiatives (%s, and what they depend on) within the caps, dependencies and start windows", strings.Join(forced, ", "))}
	feasible := func(q *Portfolio) bool {
		m := buildModel(q)
		if len(m.infeasible) > 0 {
			return false
		}
		sr, err := newSearch(ctx, m, time.Now().Add(2*time.Second), 0)
		if err != nil {
			return false
		}
		return sr.run().start != nil
	}
	noBudget := q.Clone()
	noBudget.Budget = MoneyCaps{Default: MaxMoney * MaxYears}
	noStaff := q.Clone()
	noStaff.FTE = nil
	switch {
	case q.FTE != nil && feasible(noBudget) && !feasible(noStaff):
		out = append(out, "they would fit if the budget caps were lifted, but not if the FTE caps were: the budget is too small for them")
	case q.FTE != nil && feasible(noStaff) && !feasible(noBudget):
		out = append(out, "they would fit if the FTE caps were lifted, but not if the budget caps were: the staff caps are too small for them")
	case q.FTE == nil && feasible(noBudget):
		out = append(out, "they would fit if the budget caps were lifted: the budget is too small for them")
	case q.FTE != nil && feasible(noBudget) && feasible(noStaff):
		out = append(out, "they fit the budget caps alone and the FTE caps alone, but not both at once")
	default:
		out = append(out, "they do not fit even with the budget and FTE caps lifted one at a time: look at their start windows and dependencies")
	}
	return out
}

// Summary says in one sentence what the result is.
func (r *Result) Summary() string {
	switch {
	case r.Status == Infeasible:
		return "No plan is possible: " + strings.Join(r.Reasons, "; ") + "."
	case r.Status == Optimal:
		return fmt.Sprintf("Optimal plan: %d initiatives with a total value of %s; no plan is worth more.",
			len(r.Plan), formatValue(r.Objective))
	case !r.HasPlan:
		return fmt.Sprintf("The time limit came before any plan was found; no plan is worth more than %s.", formatValue(r.Bound))
	}
	return fmt.Sprintf("Time limit reached: the best plan found has %d initiatives and a value of %s; no plan is worth more than %s (gap %s, %.2f%%).",
		len(r.Plan), formatValue(r.Objective), formatValue(r.Bound), formatValue(r.Gap), 100*r.RelativeGap)
}

// roundValue drops the rounding noise of summing values in another
// order: 9 decimals are far below any score's precision.
func roundValue(v float64) float64 { return math.Round(v*1e9) / 1e9 }

func formatValue(v float64) string {
	return strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
}
