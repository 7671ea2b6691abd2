package portfolio

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/waymark/waymark/internal/portfolio/lp"
)

// model is a portfolio reduced by presolve to what the search needs:
// years are offsets 0…T−1 from the horizon start, start years that can
// never be part of a feasible plan are gone, and the reasons why
// initiatives are out are kept for the report.
type model struct {
	p      *Portfolio
	T      int
	val    []float64
	dur    []int
	oneOff []int64
	rec    []int64
	fte    []int64
	// allowed[i][s]: initiative i may start in year offset s.
	allowed [][]bool
	out     []bool   // cannot be in any plan (or is forced out)
	why     []string // reason for out, when known
	forced  []bool   // must be in the plan
	deps    [][]int  // i depends on deps[i]
	succ    [][]int  // initiatives that depend on i
	groups  [][]int  // members of each exclusive group (portfolio order)
	groupOf [][]int  // groups of each initiative
	budget  []int64  // yearly caps, rounded down by roundCaps
	staff   []int64  // the same for staff; nil when FTE is not capped
	// infeasible explains why no plan can include every forced-in
	// initiative, found before any search.
	infeasible []string
	// granularity g > 0 means every plan's value is a multiple of g.
	granularity float64

	// The relaxation: columns are (initiative, start) pairs.
	colI, colS []int
	cols       [][]int // columns of each initiative, by start offset (−1 when not allowed)
	rowAssign  []int   // row of Σ_s x[i][s] ≤ 1, −1 when i is out
	rows       []lp.Row
	rowKind    []string
}

func (m *model) name(i int) string { return m.p.Initiatives[i].Key }

func (m *model) cost(i, s, y int) int64 {
	var c int64
	if y == s {
		c += m.oneOff[i]
	}
	if y >= s {
		c += m.rec[i]
	}
	return c
}

func (m *model) effort(i, s, y int) int64 {
	if y >= s && y < s+m.dur[i] {
		return m.fte[i]
	}
	return 0
}

// fitsAlone reports whether i started at s is within every cap by itself.
func (m *model) fitsAlone(i, s int) bool {
	for y := s; y < m.T; y++ {
		if m.cost(i, s, y) > m.budget[y] {
			return false
		}
		if m.staff != nil && m.effort(i, s, y) > m.staff[y] {
			return false
		}
	}
	return true
}

// buildModel runs presolve on a valid portfolio.
func buildModel(p *Portfolio) *model {
	n, T := len(p.Initiatives), p.Horizon.Years()
	m := &model{p: p, T: T}
	m.val = make([]float64, n)
	m.dur = make([]int, n)
	m.oneOff = make([]int64, n)
	m.rec = make([]int64, n)
	m.fte = make([]int64, n)
	m.allowed = make([][]bool, n)
	m.out = make([]bool, n)
	m.why = make([]string, n)
	m.forced = make([]bool, n)
	m.deps = make([][]int, n)
	m.succ = make([][]int, n)
	m.groupOf = make([][]int, n)
	m.budget = make([]int64, T)
	for y := 0; y < T; y++ {
		m.budget[y] = p.Budget.At(p.Horizon.Start + y)
	}
	if p.FTE != nil {
		m.staff = make([]int64, T)
		for y := 0; y < T; y++ {
			m.staff[y] = int64(p.FTE.At(p.Horizon.Start + y))
		}
	}
	m.roundCaps()
	index := map[string]int{}
	for i := range p.Initiatives {
		index[p.Initiatives[i].Key] = i
	}
	for i := range p.Initiatives {
		in := &p.Initiatives[i]
		m.val[i] = p.Value(i)
		m.dur[i] = in.Duration
		m.oneOff[i], m.rec[i], m.fte[i] = in.OneOffCost, in.RecurringCost, int64(in.FTE)
		m.forced[i] = in.Force == ForcedIn
		for _, d := range in.DependsOn {
			m.deps[i] = append(m.deps[i], index[d])
			m.succ[index[d]] = append(m.succ[index[d]], i)
		}
	}
	for g, grp := range p.Groups {
		var ms []int
		for _, k := range grp.Initiatives {
			ms = append(ms, index[k])
			m.groupOf[index[k]] = append(m.groupOf[index[k]], g)
		}
		m.groups = append(m.groups, ms)
	}
	exclude := func(i int, format string, args ...any) bool {
		if m.out[i] {
			return false
		}
		m.out[i] = true
		m.why[i] = fmt.Sprintf(format, args...)
		if m.forced[i] {
			m.infeasible = append(m.infeasible, fmt.Sprintf("%s is forced in but %s", m.name(i), m.why[i]))
		}
		return true
	}
	// Start windows, forcing out, and what fits the caps on its own.
	for i := range p.Initiatives {
		in := &p.Initiatives[i]
		m.allowed[i] = make([]bool, T)
		if in.Force == ForcedOut {
			m.out[i], m.why[i] = true, "is forced out"
			continue
		}
		first, last := in.EarliestStart-p.Horizon.Start, p.LastStart(i)-p.Horizon.Start
		if first > last {
			exclude(i, "cannot finish within the horizon: it lasts %d years and cannot start before %d", in.Duration, in.EarliestStart)
			continue
		}
		any := false
		for s := first; s <= last; s++ {
			if m.fitsAlone(i, s) {
				m.allowed[i][s], any = true, true
			}
		}
		if !any {
			exclude(i, "is over a yearly cap on its own in every year it could start")
		}
	}
	// Forced in: what they depend on is forced in too, and the other
	// members of their groups are out.
	for changed := true; changed; {
		changed = false
		for i := range m.forced {
			if !m.forced[i] {
				continue
			}
			for _, d := range m.deps[i] {
				if !m.forced[d] {
					// When d is out, the dependency pass below says why.
					m.forced[d], changed = true, true
				}
			}
		}
	}
	for g, ms := range m.groups {
		var forced []string
		for _, i := range ms {
			if m.forced[i] {
				forced = append(forced, m.name(i))
			}
		}
		if len(forced) > 1 {
			m.infeasible = append(m.infeasible, fmt.Sprintf("%s are all forced in (directly or as dependencies) but are mutually exclusive in group %s", strings.Join(forced, ", "), p.Groups[g].Key))
		} else if len(forced) == 1 {
			for _, i := range ms {
				if !m.forced[i] {
					exclude(i, "is mutually exclusive with %s (group %s), which is forced in", forced[0], p.Groups[g].Key)
				}
			}
		}
	}
	// An initiative that needs, directly or not, another member of one of
	// its groups can never be in a plan.
	for i := range p.Initiatives {
		if m.out[i] || len(m.groupOf[i]) == 0 {
			continue
		}
		for _, a := range m.ancestors(i) {
			if shared := sharedGroup(m.groupOf[i], m.groupOf[a]); shared >= 0 {
				exclude(i, "depends on %s, which is in the same mutually exclusive group %s", m.name(a), p.Groups[shared].Key)
				break
			}
		}
	}
	// Dependencies: B can start in s only if some allowed start t of A has
	// t + d_A ≤ s; a forced-in B also limits A's starts. Repeat until
	// nothing changes.
	for changed := true; changed; {
		changed = false
		for b := range p.Initiatives {
			if m.out[b] {
				continue
			}
			for _, a := range m.deps[b] {
				if m.out[a] {
					changed = exclude(b, "depends on %s, which %s", m.name(a), m.why[a]) || changed
					break
				}
				firstA := slices.Index(m.allowed[a], true)
				for s := 0; s < T; s++ {
					if m.allowed[b][s] && s < firstA+m.dur[a] {
						m.allowed[b][s], changed = false, true
					}
				}
				if m.forced[b] {
					lastB := lastTrue(m.allowed[b])
					for t := 0; t < T; t++ {
						if m.allowed[a][t] && t+m.dur[a] > lastB {
							m.allowed[a][t], changed = false, true
						}
					}
				}
			}
			for _, x := range append([]int{b}, m.deps[b]...) {
				if !m.out[x] && !slices.Contains(m.allowed[x], true) {
					changed = exclude(x, "cannot be scheduled after what it depends on and before what depends on it within the horizon") || changed
				}
			}
		}
	}
	m.granularity = granularity(m.val, m.out)
	m.formulate()
	return m
}

// roundCaps rounds each yearly cap down to a multiple of the greatest
// common divisor of the amounts that make up any year's use (one-off and
// recurring costs for the budget, FTE for staff): every plan's use is such
// a multiple, so it is within the cap exactly when it is within the
// rounded cap. The relaxation gets the tighter rows (FTE in quarters
// under a cap of 9.86 FTE is a cap of 9.75).
func (m *model) roundCaps() {
	var gm, gs int64
	for _, in := range m.p.Initiatives {
		gm = gcd(gcd(gm, in.OneOffCost), in.RecurringCost)
		gs = gcd(gs, int64(in.FTE))
	}
	if gm > 1 {
		for y := range m.budget {
			m.budget[y] -= m.budget[y] % gm
		}
	}
	if gs > 1 && m.staff != nil {
		for y := range m.staff {
			m.staff[y] -= m.staff[y] % gs
		}
	}
}

func lastTrue(b []bool) int {
	for s := len(b) - 1; s >= 0; s-- {
		if b[s] {
			return s
		}
	}
	return -1
}

func sharedGroup(a, b []int) int {
	for _, g := range a {
		if slices.Contains(b, g) {
			return g
		}
	}
	return -1
}

// ancestors lists everything i depends on, directly or not.
func (m *model) ancestors(i int) []int {
	seen := map[int]bool{}
	var out []int
	var walk func(int)
	walk = func(x int) {
		for _, d := range m.deps[x] {
			if !seen[d] {
				seen[d] = true
				out = append(out, d)
				walk(d)
			}
		}
	}
	walk(i)
	return out
}

// granularity returns g > 0 when every value is a multiple of g (values
// with up to three decimals), which lets the search prune a node whose
// bound cannot reach the next multiple above the best plan; 0 otherwise.
func granularity(val []float64, out []bool) float64 {
	for _, k := range []float64{1, 10, 100, 1000} {
		g := int64(0)
		ok := true
		for i, v := range val {
			if out[i] {
				continue
			}
			x := v * k
			r := math.Round(x)
			if math.Abs(x-r) > 1e-9*math.Max(1, math.Abs(x)) || math.Abs(r) > 1e15 {
				ok = false
				break
			}
			g = gcd(g, int64(math.Abs(r)))
		}
		if ok {
			if g == 0 {
				return 0
			}
			return float64(g) / k
		}
	}
	return 0
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// formulate builds the linear relaxation: x[i][s] ∈ [0, 1] for each
// allowed start, and rows
//
//	assign i:      Σ_s x[i][s] ∈ [forced, 1]
//	budget y:      Σ cost(i, s, y)·x[i][s] ≤ cap_y
//	staff y:       Σ fte(i, s, y)·x[i][s] ≤ cap_y
//	B after A, s:  Σ_{s' ≤ s} x[B][s'] − Σ_{t + d_A ≤ s} x[A][t] ≤ 0
//	group g:       Σ_{i ∈ g} Σ_s x[i][s] ≤ 1
//
// Precedence rows whose A side equals the next row's are left out (the
// next row implies them), and so are resource rows that cannot bind.
func (m *model) formulate() {
	n := len(m.val)
	m.cols = make([][]int, n)
	m.rowAssign = make([]int, n)
	for i := 0; i < n; i++ {
		m.rowAssign[i] = -1
		if m.out[i] {
			continue
		}
		m.cols[i] = make([]int, m.T)
		for s := 0; s < m.T; s++ {
			m.cols[i][s] = -1
			if m.allowed[i][s] {
				m.cols[i][s] = len(m.colI)
				m.colI = append(m.colI, i)
				m.colS = append(m.colS, s)
			}
		}
	}
	add := func(kind string, r lp.Row) {
		m.rows = append(m.rows, r)
		m.rowKind = append(m.rowKind, kind)
	}
	for i := 0; i < n; i++ {
		if m.out[i] {
			continue
		}
		var r lp.Row
		for _, j := range m.cols[i] {
			if j >= 0 {
				r.Idx = append(r.Idx, j)
				r.Val = append(r.Val, 1)
			}
		}
		r.Up = 1
		if m.forced[i] {
			r.Lo = 1
		}
		m.rowAssign[i] = len(m.rows)
		add("assign", r)
	}
	resource := func(kind string, caps []int64, use func(i, s, y int) int64) {
		for y := 0; y < m.T; y++ {
			var r lp.Row
			worst := int64(0)
			for i := 0; i < n; i++ {
				if m.out[i] {
					continue
				}
				most := int64(0)
				for s, j := range m.cols[i] {
					if j < 0 {
						continue
					}
					if u := use(i, s, y); u > 0 {
						r.Idx = append(r.Idx, j)
						r.Val = append(r.Val, float64(u))
						most = max(most, u)
					}
				}
				worst += most
			}
			if worst <= caps[y] {
				continue // everything at once fits: the row cannot bind
			}
			r.Up = float64(caps[y])
			add(kind, r)
		}
	}
	resource("budget", m.budget, m.cost)
	if m.staff != nil {
		resource("staff", m.staff, m.effort)
	}
	for b := 0; b < n; b++ {
		if m.out[b] {
			continue
		}
		for _, a := range m.deps[b] {
			starts := []int{}
			for s := 0; s < m.T; s++ {
				if m.allowed[b][s] {
					starts = append(starts, s)
				}
			}
			for k, s := range starts {
				if k+1 < len(starts) {
					// Keep the row only if A gains a start between s and the next.
					next, grows := starts[k+1], false
					for t := 0; t < m.T; t++ {
						if m.allowed[a][t] && t+m.dur[a] > s && t+m.dur[a] <= next {
							grows = true
						}
					}
					if !grows {
						continue
					}
				}
				var r lp.Row
				for _, s2 := range starts {
					if s2 <= s {
						r.Idx = append(r.Idx, m.cols[b][s2])
						r.Val = append(r.Val, 1)
					}
				}
				for t := 0; t < m.T; t++ {
					if m.allowed[a][t] && t+m.dur[a] <= s {
						r.Idx = append(r.Idx, m.cols[a][t])
						r.Val = append(r.Val, -1)
					}
				}
				r.Lo, r.Up = -1, 0
				add("precedence", r)
			}
		}
	}
	for _, ms := range m.groups {
		var r lp.Row
		members := 0
		for _, i := range ms {
			if m.out[i] {
				continue
			}
			members++
			for _, j := range m.cols[i] {
				if j >= 0 {
					r.Idx = append(r.Idx, j)
					r.Val = append(r.Val, 1)
				}
			}
		}
		if members > 1 {
			r.Up = 1
			add("group", r)
		}
	}
}

// relaxation returns the LP of the model.
func (m *model) relaxation() *lp.Problem {
	nc := len(m.colI)
	p := &lp.Problem{Obj: make([]float64, nc), ColLo: make([]float64, nc), ColUp: make([]float64, nc), Rows: m.rows}
	for j := 0; j < nc; j++ {
		p.Obj[j] = m.val[m.colI[j]]
		p.ColUp[j] = 1
	}
	return p
}
