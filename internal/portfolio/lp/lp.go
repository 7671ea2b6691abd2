// Package lp is a small bounded dual simplex for the linear relaxations
// that the portfolio optimiser solves thousands of times in one branch and
// bound: mostly only bounds change (rows can be added, as cuts, but never
// removed), and every variable (column or row activity) is boxed between
// finite bounds.
//
// That shape is why it exists instead of a general library. With finite
// bounds on everything, any basis is made dual feasible by putting each
// non-basic variable on the bound its reduced cost asks for, so a bound
// change needs no phase one and no refactorisation: the last optimal
// tableau is the warm start for the next node, and a child node typically
// costs a handful of sparse pivots. gonum's lp.Simplex (the well-kept pure
// Go alternative) solves the standard form Ax = b, x ≥ 0 from scratch with
// two dense O(m³) solves per iteration and has neither bounds nor a warm
// start; the package tests use it as an independent oracle. A node can
// also start from another basis (its parent's, kept with Basis and set
// with SetBasis), whose tableau is then computed afresh.
//
// The problem is: maximise c·x subject to rlo ≤ Ax ≤ rup and clo ≤ x ≤ cup.
// Internally each row i gets a logical variable r_i = a_i·x with bounds
// [rlo_i, rup_i], so the constraints read [A −I](x, r) = 0. Rows are scaled
// to a largest coefficient of 1. The tableau is dense (m × (n+m)) but
// pivots skip zeros on both sides, which keeps them cheap on the sparse
// matrices of portfolio problems.
package lp

import (
	"errors"
	"fmt"
	"math"
)

// Status is the outcome of Solve.
type Status int

const (
	// Optimal: the current basis is optimal for the current bounds.
	Optimal Status = iota
	// Infeasible: no point satisfies the current bounds.
	Infeasible
	// IterLimit: the iteration limit was reached first.
	IterLimit
)

func (s Status) String() string {
	switch s {
	case Optimal:
		return "optimal"
	case Infeasible:
		return "infeasible"
	default:
		return "iteration limit"
	}
}

// Row is one constraint lo ≤ Σ Val[k]·x[Idx[k]] ≤ up.
type Row struct {
	Idx    []int
	Val    []float64
	Lo, Up float64
}

// Problem is a linear program in the form the solver takes. All bounds
// must be finite.
type Problem struct {
	Obj          []float64 // maximised; one per column
	ColLo, ColUp []float64
	Rows         []Row
}

const (
	tolPrimal = 1e-9  // a basic value this far outside its bounds is infeasible
	tolDual   = 1e-9  // reduced costs this far on the wrong side are accepted
	tolPivot  = 1e-9  // smaller tableau entries are never pivots
	tolZero   = 1e-13 // smaller entries are dropped to keep the tableau sparse
	// resetAfter is the number of pivots after which the next Solve starts
	// again from the slack basis, so rounding errors cannot build up.
	resetAfter = 4000
	// blandAfter degenerate pivots in a row switch to Bland's rule until
	// the objective moves again; it rules out cycling.
	blandAfter = 60
	// blandSticky·(n+m) pivots in one Solve make Bland's rule stay on for
	// the rest of it.
	blandSticky = 2
)

// Solver holds a problem and its current basis. It is not safe for
// concurrent use.
type Solver struct {
	n, m   int
	cost   []float64   // minimised: −Obj, 0 for logicals; length n+m
	a      [][]int     // column-wise structure of A: rows of column j
	av     [][]float64 // matching values (scaled)
	rowIdx [][]int     // row-wise structure of A
	rowVal [][]float64 // matching values (scaled)
	scale  []float64   // row i was multiplied by scale[i]
	lo, up []float64   // current bounds, length n+m (rows in scaled units)

	t     []float64 // tableau, m rows of n+m
	d     []float64 // reduced costs (of the minimisation)
	x     []float64 // values of all n+m variables
	head  []int     // basic variable of each row
	pos   []int     // row of a basic variable, −1 when non-basic
	nz    []int     // scratch: non-zero columns of the pivot row
	fresh bool      // the tableau is the slack basis and values are set

	Pivots     int // pivots since New, for statistics
	sinceReset int
	Resets     int
	degenerate int
	bland      bool
	stopped    bool // the last dual() call was stopped by Stop
	MaxPivots  int  // per Solve call; 0 means 20·(n+m)+1000
	// Stop, when not nil, is asked every 64 pivots whether to give up;
	// Solve then returns IterLimit.
	Stop func() bool
}

// ErrBounds reports a problem with an infinite or inverted bound.
var ErrBounds = errors.New("lp: bounds must be finite with lo ≤ up")

// New prepares a solver for p. The problem's slices are copied.
func New(p *Problem) (*Solver, error) {
	n, m := len(p.Obj), len(p.Rows)
	if len(p.ColLo) != n || len(p.ColUp) != n {
		return nil, fmt.Errorf("lp: %d objective entries but %d/%d column bounds", n, len(p.ColLo), len(p.ColUp))
	}
	s := &Solver{n: n, m: m}
	s.cost = make([]float64, n+m)
	for j, c := range p.Obj {
		s.cost[j] = -c
	}
	s.lo = make([]float64, n+m)
	s.up = make([]float64, n+m)
	s.scale = make([]float64, m)
	s.a = make([][]int, n)
	s.av = make([][]float64, n)
	s.rowIdx = make([][]int, m)
	s.rowVal = make([][]float64, m)
	for j := 0; j < n; j++ {
		s.lo[j], s.up[j] = p.ColLo[j], p.ColUp[j]
		if !finite(s.lo[j]) || !finite(s.up[j]) || s.lo[j] > s.up[j] {
			return nil, fmt.Errorf("%w: column %d [%g, %g]", ErrBounds, j, s.lo[j], s.up[j])
		}
	}
	for i, r := range p.Rows {
		if len(r.Idx) != len(r.Val) {
			return nil, fmt.Errorf("lp: row %d has %d indices and %d values", i, len(r.Idx), len(r.Val))
		}
		sc := rowScale(r.Val)
		s.scale[i] = sc
		for k, j := range r.Idx {
			if j < 0 || j >= n {
				return nil, fmt.Errorf("lp: row %d names column %d of %d", i, j, n)
			}
			if r.Val[k] == 0 {
				continue
			}
			v := r.Val[k] * sc
			s.rowIdx[i] = append(s.rowIdx[i], j)
			s.rowVal[i] = append(s.rowVal[i], v)
			s.a[j] = append(s.a[j], i)
			s.av[j] = append(s.av[j], v)
		}
		s.lo[n+i], s.up[n+i] = r.Lo*sc, r.Up*sc
		if !finite(r.Lo) || !finite(r.Up) || r.Lo > r.Up {
			return nil, fmt.Errorf("%w: row %d [%g, %g]", ErrBounds, i, r.Lo, r.Up)
		}
	}
	s.t = make([]float64, m*(n+m))
	s.d = make([]float64, n+m)
	s.x = make([]float64, n+m)
	s.head = make([]int, m)
	s.pos = make([]int, n+m)
	s.nz = make([]int, 0, n+m)
	s.reset()
	return s, nil
}

func finite(v float64) bool { return !math.IsInf(v, 0) && !math.IsNaN(v) }

// NumCols and NumRows give the problem's size.
func (s *Solver) NumCols() int { return s.n }
func (s *Solver) NumRows() int { return s.m }

// reset makes the slack basis: every row's logical variable is basic.
func (s *Solver) reset() {
	n, m, w := s.n, s.m, s.n+s.m
	clear(s.t)
	for i := 0; i < m; i++ {
		row := s.t[i*w : (i+1)*w]
		for k, j := range s.rowIdx[i] {
			row[j] = -s.rowVal[i][k]
		}
		row[n+i] = 1
		s.head[i] = n + i
	}
	for j := 0; j < w; j++ {
		s.pos[j] = -1
	}
	for i := 0; i < m; i++ {
		s.pos[n+i] = i
	}
	copy(s.d, s.cost)
	for i := 0; i < m; i++ {
		s.d[n+i] = 0
	}
	s.sinceReset = 0
	s.fresh = true
	s.placeNonbasic()
	s.computeBasic()
}

// placeNonbasic puts every non-basic variable on the bound that keeps its
// reduced cost dual feasible (for minimisation: lower when d ≥ 0).
func (s *Solver) placeNonbasic() {
	for j := 0; j < s.n+s.m; j++ {
		if s.pos[j] >= 0 {
			continue
		}
		switch {
		case s.d[j] > tolDual:
			s.x[j] = s.lo[j]
		case s.d[j] < -tolDual:
			s.x[j] = s.up[j]
		default:
			// Either bound is dual feasible; stay where it was if possible.
			if s.x[j] != s.up[j] {
				s.x[j] = s.lo[j]
			}
		}
	}
}

// computeBasic sets the basic variables from the non-basic ones:
// x_B = −Σ_N T_j x_j.
func (s *Solver) computeBasic() {
	w := s.n + s.m
	for i := 0; i < s.m; i++ {
		s.x[s.head[i]] = 0
	}
	for j := 0; j < w; j++ {
		if s.pos[j] >= 0 || s.x[j] == 0 {
			continue
		}
		xj := s.x[j]
		for i := 0; i < s.m; i++ {
			if v := s.t[i*w+j]; v != 0 {
				s.x[s.head[i]] -= v * xj
			}
		}
	}
}

// SetColBounds changes the bounds of column j. Values take effect at the
// next Solve.
func (s *Solver) SetColBounds(j int, lo, up float64) { s.lo[j], s.up[j] = lo, up }

// SetRowBounds changes the bounds of row i (in the row's own units).
func (s *Solver) SetRowBounds(i int, lo, up float64) {
	sc := s.scale[i]
	s.lo[s.n+i], s.up[s.n+i] = lo*sc, up*sc
}

// ColBounds returns the current bounds of column j.
func (s *Solver) ColBounds(j int) (lo, up float64) { return s.lo[j], s.up[j] }

// RowBounds returns the current bounds of row i in the row's own units.
func (s *Solver) RowBounds(i int) (lo, up float64) {
	sc := s.scale[i]
	return s.lo[s.n+i] / sc, s.up[s.n+i] / sc
}

// Solve runs the dual simplex from the current basis under the current
// bounds.
func (s *Solver) Solve() Status {
	if s.sinceReset > resetAfter {
		s.Resets++
		s.refactor()
	} else if !s.fresh {
		s.placeNonbasic()
		s.computeBasic()
	}
	warm := !s.fresh && s.MaxPivots == 0
	s.fresh = false
	var st Status
	if warm {
		// From a warm start a solve takes far fewer pivots than from the
		// slack basis; one that takes many more has stalled.
		s.MaxPivots = 2*(s.n+s.m) + 500
		st = s.dual()
		s.MaxPivots = 0
	} else {
		st = s.dual()
	}
	if st == IterLimit && !s.stopped && warm {
		// Stalled (rounding can make the ratio test go round in
		// circles): start again from the slack basis.
		s.Resets++
		s.reset()
		s.fresh = false
		st = s.dual()
	}
	if st == Optimal && s.residual() > 1e-7 {
		// Rounding has built up: compute the tableau of the same basis
		// afresh (or start again from the slack basis) and go on.
		s.Resets++
		s.refactor()
		s.fresh = false
		st = s.dual()
		if st == Optimal && s.residual() > 1e-7 {
			s.reset()
			s.fresh = false
			st = s.dual()
		}
	}
	return st
}

// residual is the largest violation of a·x − r = 0 over the rows, using
// the values of the variables; it measures the tableau's rounding error.
func (s *Solver) residual() float64 {
	worst := 0.0
	for i := 0; i < s.m; i++ {
		sum := -s.x[s.n+i]
		for k, j := range s.rowIdx[i] {
			sum += s.rowVal[i][k] * s.x[j]
		}
		worst = math.Max(worst, math.Abs(sum))
	}
	return worst
}

func (s *Solver) dual() Status {
	w := s.n + s.m
	limit := s.MaxPivots
	if limit == 0 {
		limit = 20*w + 1000
	}
	s.bland = false
	s.stopped = false
	s.degenerate = 0
	for it := 0; ; it++ {
		if it >= limit {
			return IterLimit
		}
		if it&63 == 63 && s.Stop != nil && s.Stop() {
			s.stopped = true
			return IterLimit
		}
		// Leaving row: the largest infeasibility (Bland: the lowest
		// variable index among the infeasible).
		r, best := -1, tolPrimal
		bestVar := w
		var target float64
		var toLower bool // the leaving variable is below its lower bound
		for i := 0; i < s.m; i++ {
			b := s.head[i]
			v := s.x[b]
			var inf, tg float64
			below := false
			if v < s.lo[b]-tolPrimal {
				inf, tg, below = s.lo[b]-v, s.lo[b], true
			} else if v > s.up[b]+tolPrimal {
				inf, tg = v-s.up[b], s.up[b]
			} else {
				continue
			}
			if s.bland {
				if b < bestVar {
					r, bestVar, target, toLower = i, b, tg, below
				}
			} else if inf > best {
				r, best, target, toLower = i, inf, tg, below
			}
		}
		if r < 0 {
			return Optimal
		}
		row := s.t[r*w : (r+1)*w]
		// Ratio test (Harris, two passes). Eligible: non-basic j that can
		// move the leaving variable toward its bound.
		theta := math.Inf(1)
		for j := 0; j < w; j++ {
			a := row[j]
			if a == 0 || s.pos[j] >= 0 || s.lo[j] == s.up[j] {
				continue
			}
			if !s.eligible(j, a, toLower) {
				continue
			}
			var ratio float64
			if s.bland {
				ratio = math.Abs(s.d[j]) / math.Abs(a)
			} else {
				ratio = (math.Abs(s.d[j]) + tolDual) / math.Abs(a)
			}
			if ratio < theta {
				theta = ratio
			}
		}
		if math.IsInf(theta, 1) {
			return Infeasible
		}
		q, bigA := -1, 0.0
		for j := 0; j < w; j++ {
			a := row[j]
			if a == 0 || s.pos[j] >= 0 || s.lo[j] == s.up[j] || !s.eligible(j, a, toLower) {
				continue
			}
			ratio := math.Abs(s.d[j]) / math.Abs(a)
			if s.bland {
				if ratio <= theta+1e-15 {
					q = j
					break
				}
				continue
			}
			if ratio <= theta && math.Abs(a) > bigA {
				q, bigA = j, math.Abs(a)
			}
		}
		if q < 0 {
			return Infeasible
		}
		step := math.Abs(s.d[q] / row[q])
		if step < 1e-12 {
			s.degenerate++
			if s.degenerate > blandAfter {
				s.bland = true
			}
		} else {
			s.degenerate = 0
			// After many pivots in one call, stay with Bland's rule: with
			// the tolerances of the ratio test, a cycle can move the
			// objective back and forth instead of stalling it.
			s.bland = it > blandSticky*w
		}
		s.pivot(r, q, target)
	}
}

// eligible reports whether non-basic j, with entry a in the pivot row, can
// move the leaving variable toward its violated bound.
func (s *Solver) eligible(j int, a float64, toLower bool) bool {
	if math.Abs(a) < tolPivot {
		return false
	}
	atLower := s.x[j] <= s.lo[j]
	if toLower {
		// The leaving variable is below its lower bound: it must increase.
		return atLower && a < 0 || !atLower && a > 0
	}
	return atLower && a > 0 || !atLower && a < 0
}

// pivot brings q into the basis in row r; the leaving variable ends at
// target.
func (s *Solver) pivot(r, q int, target float64) {
	w := s.n + s.m
	row := s.t[r*w : (r+1)*w]
	leave := s.head[r]
	aq := row[q]
	// Primal step.
	delta := (s.x[leave] - target) / aq
	s.x[q] += delta
	if delta != 0 {
		for i := 0; i < s.m; i++ {
			if i == r {
				continue
			}
			if v := s.t[i*w+q]; v != 0 {
				s.x[s.head[i]] -= v * delta
			}
		}
	}
	s.x[leave] = target
	s.pivotTableau(r, q)
	s.head[r] = q
	s.pos[q] = r
	s.pos[leave] = -1
	s.Pivots++
	s.sinceReset++
}

// pivotTableau updates the tableau and the reduced costs for q entering
// the basis in row r; the caller updates head, pos and the values.
func (s *Solver) pivotTableau(r, q int) {
	w := s.n + s.m
	row := s.t[r*w : (r+1)*w]
	aq := row[q]
	inv := 1 / aq
	s.nz = s.nz[:0]
	for j := 0; j < w; j++ {
		if v := row[j]; v != 0 {
			v *= inv
			if math.Abs(v) < tolZero {
				row[j] = 0
				continue
			}
			row[j] = v
			s.nz = append(s.nz, j)
		}
	}
	row[q] = 1
	for i := 0; i < s.m; i++ {
		if i == r {
			continue
		}
		ri := s.t[i*w : (i+1)*w]
		f := ri[q]
		if f == 0 {
			continue
		}
		for _, j := range s.nz {
			v := ri[j] - f*row[j]
			if math.Abs(v) < tolZero {
				v = 0
			}
			ri[j] = v
		}
		ri[q] = 0
	}
	if f := s.d[q]; f != 0 {
		for _, j := range s.nz {
			s.d[j] -= f * row[j]
		}
		s.d[q] = 0
	}
}

// refactor computes the tableau of the current basis afresh from the
// problem's rows, which clears the rounding errors that pivots build up
// while keeping the warm start. Non-basic variables keep their values
// where their reduced costs allow. If the basis turns out singular in
// floating point, it falls back to the slack basis.
func (s *Solver) refactor() {
	want := append([]int(nil), s.head...)
	saved := append([]float64(nil), s.x...)
	s.reset()
	w := s.n + s.m
	target := make([]bool, w)
	for _, j := range want {
		target[j] = true
	}
	for _, j := range want {
		if j >= s.n {
			continue // a row activity: basic in the slack basis already
		}
		r, best := -1, 1e-7
		for i := 0; i < s.m; i++ {
			b := s.head[i]
			if b < s.n || target[b] {
				continue // keeps its basic variable
			}
			if v := math.Abs(s.t[i*w+j]); v > best {
				r, best = i, v
			}
		}
		if r < 0 {
			s.reset()
			return
		}
		leave := s.head[r]
		s.pivotTableau(r, j)
		s.head[r] = j
		s.pos[j] = r
		s.pos[leave] = -1
	}
	for j := 0; j < w; j++ {
		if s.pos[j] < 0 {
			s.x[j] = saved[j]
		}
	}
	s.sinceReset = 0
	s.fresh = false
	s.placeNonbasic()
	s.computeBasic()
}

// Objective is c·x of the current solution (the maximised objective).
func (s *Solver) Objective() float64 {
	sum := 0.0
	for j := 0; j < s.n; j++ {
		sum -= s.cost[j] * s.x[j]
	}
	return sum
}

// Col returns the value of column j in the current solution.
func (s *Solver) Col(j int) float64 { return s.x[j] }

// RowActivity returns a_i·x in the row's own units.
func (s *Solver) RowActivity(i int) float64 { return s.x[s.n+i] / s.scale[i] }

// ReducedCost returns the reduced cost of column j for the maximisation:
// the rate at which the objective would change if column j moved up from
// its current bound (negative for a column at its lower bound in an
// optimal basis), and 0 for a basic column.
func (s *Solver) ReducedCost(j int) float64 { return -s.d[j] }

// RowReducedCost is the same for the activity of row i, per unit of the
// row's own units.
func (s *Solver) RowReducedCost(i int) float64 { return -s.d[s.n+i] * s.scale[i] }

// IsBasic reports whether column j is basic.
func (s *Solver) IsBasic(j int) bool { return s.pos[j] >= 0 }

// IsRowBasic reports whether row i's activity is basic.
func (s *Solver) IsRowBasic(i int) bool { return s.pos[s.n+i] >= 0 }

// AddRows appends rows (cuts) to the problem and keeps the current basis:
// each new row's activity becomes basic, so the basis stays dual feasible
// and the next Solve goes on from it with the dual simplex, typically in a
// few pivots when the new rows cut off the current solution. New rows get
// the indices NumRows() … NumRows()+len(rows)−1; existing indices do not
// change. The rows are copied.
func (s *Solver) AddRows(rows []Row) error {
	if len(rows) == 0 {
		return nil
	}
	n, m, k := s.n, s.m, len(rows)
	for q, r := range rows {
		if len(r.Idx) != len(r.Val) {
			return fmt.Errorf("lp: new row %d has %d indices and %d values", q, len(r.Idx), len(r.Val))
		}
		if !finite(r.Lo) || !finite(r.Up) || r.Lo > r.Up {
			return fmt.Errorf("%w: new row %d [%g, %g]", ErrBounds, q, r.Lo, r.Up)
		}
		for _, j := range r.Idx {
			if j < 0 || j >= n {
				return fmt.Errorf("lp: new row %d names column %d of %d", q, j, n)
			}
		}
	}
	w, w2 := n+m, n+m+k
	t := make([]float64, (m+k)*w2)
	for i := 0; i < m; i++ {
		copy(t[i*w2:i*w2+w], s.t[i*w:(i+1)*w])
	}
	s.t = t
	for q, r := range rows {
		i := m + q
		sc := rowScale(r.Val)
		s.scale = append(s.scale, sc)
		var idx []int
		var val []float64
		act := 0.0
		row := t[i*w2 : (i+1)*w2]
		for p, j := range r.Idx {
			if r.Val[p] == 0 {
				continue
			}
			v := r.Val[p] * sc
			idx = append(idx, j)
			val = append(val, v)
			s.a[j] = append(s.a[j], i)
			s.av[j] = append(s.av[j], v)
			row[j] -= v
			act += v * s.x[j]
		}
		s.rowIdx = append(s.rowIdx, idx)
		s.rowVal = append(s.rowVal, val)
		row[n+i] = 1
		// Express the row in the non-basic variables: subtract the
		// tableau rows of the basic columns it names.
		for _, j := range idx {
			b := s.pos[j]
			if b < 0 || row[j] == 0 {
				continue
			}
			f := row[j]
			src := t[b*w2 : (b+1)*w2]
			for c, v := range src {
				if v != 0 {
					row[c] -= f * v
				}
			}
			row[j] = 0
		}
		for c, v := range row {
			if v != 0 && math.Abs(v) < tolZero {
				row[c] = 0
			}
		}
		s.cost = append(s.cost, 0)
		s.d = append(s.d, 0)
		s.lo = append(s.lo, r.Lo*sc)
		s.up = append(s.up, r.Up*sc)
		s.x = append(s.x, act)
		s.head = append(s.head, n+i)
		s.pos = append(s.pos, i)
	}
	s.m = m + k
	if cap(s.nz) < w2 {
		s.nz = make([]int, 0, w2)
	}
	return nil
}

// Basis returns the current basis (the basic variable of each row:
// columns 0…NumCols()−1, then row activities), for SetBasis.
func (s *Solver) Basis() []int { return append([]int(nil), s.head...) }

// SetBasis makes basis (from Basis, with the same number of rows) the
// current basis and computes its tableau afresh. A node of a branch and
// bound that starts from its parent's basis needs far fewer pivots than
// one that starts from the basis of a distant node. A basis that is
// singular in floating point gives the slack basis instead.
func (s *Solver) SetBasis(basis []int) error {
	if len(basis) != s.m {
		return fmt.Errorf("lp: basis of %d rows for a problem of %d", len(basis), s.m)
	}
	seen := make([]bool, s.n+s.m)
	for _, j := range basis {
		if j < 0 || j >= s.n+s.m || seen[j] {
			return fmt.Errorf("lp: basis names variable %d twice or out of range", j)
		}
		seen[j] = true
	}
	copy(s.head, basis)
	s.refactor()
	return nil
}

// rowScale is the factor that brings a row's largest coefficient to 1 (1
// for an empty row).
func rowScale(vals []float64) float64 {
	mx := 0.0
	for _, v := range vals {
		mx = math.Max(mx, math.Abs(v))
	}
	if mx == 0 {
		return 1
	}
	return 1 / mx
}
