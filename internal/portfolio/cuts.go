package portfolio

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/waymark/waymark/internal/portfolio/lp"
)

// Cuts are inequalities that every plan satisfies but that the relaxation
// may violate: adding them to the relaxation lowers its bound without
// losing any plan. They are separated at the root, from the relaxation's
// solution x*, in rounds; each round adds the violated ones as rows and
// solves again warm (lp.Solver.AddRows).
//
// Cover cuts on interval knapsacks. For an interval of years a…b−1 and a
// cap (budget or staff), every plan uses at most cap(a, b), the caps of
// those years summed. Initiative i started in s uses u_i(s) in the
// interval (moneyIn / staffIn: the one-off cost when s falls in it, the
// recurring cost of every year of it from the start, the FTE of every
// year of it that the initiative runs). Pick, for each initiative i of a
// set C, a weight w_i and the start years S_i = {s : u_i(s) ≥ w_i}. If
// Σ_{i∈C} w_i > cap(a, b), no plan starts every i ∈ C in S_i, and since
// an initiative starts at most once,
//
//	Σ_{i∈C} Σ_{s∈S_i} x[i][s] ≤ |C| − 1
//
// holds for every plan. It stays valid when initiatives j ∉ C whose
// start years S_j all use at least max_{i∈C} w_i are added with
// coefficient 1 (the extended cover: any |C| of the initiatives then use
// at least Σ_{i∈C} w_i). Intervals of one year are the yearly rows
// themselves; longer ones catch a one-off cost that the relaxation pays
// in parts in several years of the interval, which no plan can.
//
// The cuts use only the caps and "at most one start per initiative", so
// they hold for every plan whatever the forcing, dependencies, groups and
// start windows.

// cutTol is how much a cut must be violated to be added.
const cutTol = 1e-4

// coverItem is one initiative's part in a cover: weight w, its start
// years S (as columns) and their share xi in the relaxation.
type coverItem struct {
	i    int
	w    int64
	cols []int
	xi   float64
}

// separateCovers returns cover cuts that x (a value per column) violates,
// the most violated first, at most limit of them.
func (m *model) separateCovers(x []float64, limit int) []lp.Row {
	type scored struct {
		row  lp.Row
		viol float64
	}
	var found []scored
	seen := map[string]bool{}
	for _, staff := range []bool{false, true} {
		if staff && m.staff == nil {
			continue
		}
		caps := m.budget
		use := m.moneyIn
		if staff {
			caps, use = m.staff, m.staffIn
		}
		for a := 0; a < m.T; a++ {
			capAB := int64(0)
			for b := a + 1; b <= m.T; b++ {
				capAB += caps[b-1]
				row, viol, ok := m.cover(x, capAB, func(i, s int) int64 { return use(i, s, a, b) })
				if !ok {
					continue
				}
				key := cutKey(row)
				if seen[key] {
					continue
				}
				seen[key] = true
				found = append(found, scored{row, viol})
			}
		}
	}
	slices.SortStableFunc(found, func(p, q scored) int { return cmp.Compare(q.viol, p.viol) })
	var out []lp.Row
	for _, f := range found[:min(limit, len(found))] {
		out = append(out, f.row)
	}
	return out
}

// cover looks for one violated extended cover of the knapsack Σ u ≤ capAB
// (u(i, s): initiative i's use when it starts in s). It returns the cut
// and by how much x violates it.
func (m *model) cover(x []float64, capAB int64, u func(i, s int) int64) (lp.Row, float64, bool) {
	var items []coverItem
	var total int64 // the most all initiatives together could use
	for i := range m.val {
		if m.out[i] {
			continue
		}
		// For each weight w that i can have (the distinct positive uses
		// of its start years), the share of its start years that use at
		// least w; keep the w with the least 1 − share per unit of weight.
		best := coverItem{i: i}
		bestRatio := math.Inf(1)
		most := int64(0)
		for s, j := range m.cols[i] {
			if j < 0 {
				continue
			}
			w := u(i, s)
			most = max(most, w)
			if w <= 0 {
				continue
			}
			xi := 0.0
			for s2, j2 := range m.cols[i] {
				if j2 >= 0 && u(i, s2) >= w {
					xi += x[j2]
				}
			}
			if xi <= intTol {
				continue
			}
			ratio := math.Max(0, 1-xi) / float64(w)
			if ratio < bestRatio-1e-15 || ratio <= bestRatio+1e-15 && w > best.w {
				best.w, best.xi, bestRatio = w, xi, ratio
			}
		}
		total += most
		if best.w > 0 {
			items = append(items, best)
		}
	}
	if total <= capAB {
		return lp.Row{}, 0, false // the interval's caps cannot bind
	}
	slices.SortStableFunc(items, func(p, q coverItem) int {
		rp, rq := math.Max(0, 1-p.xi)/float64(p.w), math.Max(0, 1-q.xi)/float64(q.w)
		return cmp.Or(cmp.Compare(rp, rq), cmp.Compare(q.w, p.w))
	})
	var c []coverItem
	var weight int64
	slack := 0.0
	for _, it := range items {
		if weight > capAB {
			break
		}
		c = append(c, it)
		weight += it.w
		slack += math.Max(0, 1-it.xi)
		if slack >= 1-cutTol {
			return lp.Row{}, 0, false
		}
	}
	if weight <= capAB {
		return lp.Row{}, 0, false
	}
	// Minimal: drop the members furthest from 1 while the rest still
	// overflows.
	slices.SortStableFunc(c, func(p, q coverItem) int { return cmp.Compare(p.xi, q.xi) })
	for k := 0; k < len(c); {
		if weight-c[k].w > capAB {
			weight -= c[k].w
			c = slices.Delete(c, k, k+1)
			continue
		}
		k++
	}
	var wmax int64
	inC := map[int]bool{}
	for _, it := range c {
		wmax = max(wmax, it.w)
		inC[it.i] = true
	}
	var row lp.Row
	add := func(i int, w int64) {
		for s, j := range m.cols[i] {
			if j >= 0 && u(i, s) >= w {
				row.Idx = append(row.Idx, j)
				row.Val = append(row.Val, 1)
			}
		}
	}
	for _, it := range c {
		add(it.i, it.w)
	}
	for i := range m.val {
		if !m.out[i] && !inC[i] {
			add(i, wmax)
		}
	}
	lhs := 0.0
	for _, j := range row.Idx {
		lhs += x[j]
	}
	rhs := float64(len(c) - 1)
	if lhs <= rhs+cutTol {
		return lp.Row{}, 0, false
	}
	row.Lo, row.Up = -1, rhs // −1: below any value the row can take
	return row, lhs - rhs, true
}

// cutKey identifies a cut, to add it once.
func cutKey(r lp.Row) string {
	idx := slices.Clone(r.Idx)
	slices.Sort(idx)
	var b strings.Builder
	for _, j := range idx {
		b.WriteString(strconv.Itoa(j))
		b.WriteByte(',')
	}
	b.WriteString(strconv.FormatFloat(r.Up, 'g', -1, 64))
	return b.String()
}

// Rounds of cut separation at the root, cuts added per round, and the
// least relative improvement of the bound over three rounds that keeps
// the rounds going.
//
// cutRounds is 0: the search does not use the cuts for now. On the
// benchmark's 60-initiative portfolios, 5 rounds of 10 lower the root
// bound by 0.2–0.6 % and the bound after 600 nodes by up to 0.6 %, but
// the cut rows (dense, in the dense tableau) make each node 1.5–6 times
// slower, so within a time limit the gap comes out no better. CBC's cuts
// (probing, Gomory, knapsack covers, two-step MIR, zero-half) move its
// root bound by 0.4–1.3 % on the same instances. Set cutRounds to 5 to
// try them again after a change to the simplex.
const (
	cutRounds    = 0
	cutsPerRound = 10
	cutProgress  = 1e-4
)

// cutRoot strengthens the root relaxation, just solved, with rounds of
// cover cuts, and keeps the cuts as rows of the relaxation for the whole
// search (they hold for every plan). It returns false when the simplex
// stopped early (time limit) or found no solution, which cannot happen
// for a relaxation that was solved before the cuts, but is reported
// rather than trusted.
func (sr *search) cutRoot() bool {
	s := sr.s
	x := make([]float64, s.NumCols())
	var history []float64
	for round := 0; round < cutRounds && !sr.timeUp(); round++ {
		obj := s.Objective()
		history = append(history, obj)
		if k := len(history); k > 3 && history[k-4]-obj <= cutProgress*math.Max(1, math.Abs(obj)) {
			break
		}
		for j := range x {
			x[j] = s.Col(j)
		}
		cuts := sr.m.separateCovers(x, cutsPerRound)
		if len(cuts) == 0 {
			break
		}
		if err := s.AddRows(cuts); err != nil {
			break
		}
		for _, c := range cuts {
			sr.rootRowLo = append(sr.rootRowLo, c.Lo)
			sr.rootRowUp = append(sr.rootRowUp, c.Up)
		}
		sr.cuts += len(cuts)
		if st := s.Solve(); st != lp.Optimal {
			return false
		}
	}
	return true
}
