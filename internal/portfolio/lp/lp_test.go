package lp

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
	gonumlp "gonum.org/v1/gonum/optimize/convex/lp"
	"pgregory.net/rapid"
)

// reference solves p with gonum's simplex after turning it into standard
// form: fixed columns are substituted, x = lo + y with y + u = up − lo, an
// equality row becomes one row, and a row lo ≤ a·x ≤ up becomes
// a·y + s⁺ = up − a·lo and, when lo is not the "no lower bound" sentinel,
// a·y − s⁻ = lo − a·lo. It returns the maximum and whether gonum found the
// problem feasible.
func reference(t *rapid.T, p *Problem) (float64, bool) {
	n := len(p.Obj)
	col := make([]int, n) // standard-form index of y_j, or −1 when fixed
	var cols, rows int
	for j := 0; j < n; j++ {
		col[j] = -1
		if p.ColLo[j] < p.ColUp[j] {
			col[j] = cols
			cols++
		}
	}
	nfree := cols
	cols += nfree // u
	type srow struct {
		a     map[int]float64
		slack float64 // +1, −1 or 0
		b     float64
	}
	var srows []srow
	base := 0.0
	c := map[int]float64{}
	for j := 0; j < n; j++ {
		base += p.Obj[j] * p.ColLo[j]
		if col[j] >= 0 {
			c[col[j]] = -p.Obj[j]
			srows = append(srows, srow{a: map[int]float64{col[j]: 1, nfree + col[j]: 1}, b: p.ColUp[j] - p.ColLo[j]})
		}
	}
	for _, r := range p.Rows {
		alo := 0.0
		a := map[int]float64{}
		for k, j := range r.Idx {
			alo += r.Val[k] * p.ColLo[j]
			if col[j] >= 0 {
				a[col[j]] += r.Val[k]
			}
		}
		if len(a) == 0 {
			if alo < r.Lo-1e-9 || alo > r.Up+1e-9 {
				return 0, false
			}
			continue
		}
		if r.Lo == r.Up {
			srows = append(srows, srow{a: a, b: r.Up - alo})
			continue
		}
		srows = append(srows, srow{a: a, slack: 1, b: r.Up - alo})
		if r.Lo > -1e7 {
			srows = append(srows, srow{a: a, slack: -1, b: r.Lo - alo})
		}
	}
	for _, r := range srows {
		if r.slack != 0 {
			cols++
		}
	}
	rows = len(srows)
	if rows == 0 || cols < rows {
		t.Skip("degenerate for gonum")
	}
	A := mat.NewDense(rows, cols, nil)
	b := make([]float64, rows)
	cv := make([]float64, cols)
	for k, v := range c {
		cv[k] = v
	}
	next := 2 * nfree
	for i, r := range srows {
		for k, v := range r.a {
			A.Set(i, k, v)
		}
		if r.slack != 0 {
			A.Set(i, next, r.slack)
			next++
		}
		b[i] = r.b
	}
	f, err := gonumSimplex(cv, A, b)
	if errors.Is(err, gonumlp.ErrInfeasible) {
		return 0, false
	}
	if err != nil {
		t.Skipf("gonum could not solve this one: %v", err)
	}
	return base - f, true
}

// gonumSimplex calls gonum, turning its panics on some degenerate
// problems ("subcolumns of A for supplied initial basic singular") into
// errors.
func gonumSimplex(c []float64, A *mat.Dense, b []float64) (f float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("gonum panicked: %v", r)
		}
	}()
	f, _, err = gonumlp.Simplex(c, A, b, 1e-10, nil)
	return f, err
}

func randomProblem(t *rapid.T) *Problem {
	n := rapid.IntRange(1, 8).Draw(t, "n")
	m := rapid.IntRange(1, 6).Draw(t, "m")
	p := &Problem{}
	for j := 0; j < n; j++ {
		p.Obj = append(p.Obj, float64(rapid.IntRange(-5, 10).Draw(t, "c")))
		lo := float64(rapid.IntRange(-2, 1).Draw(t, "lo"))
		p.ColLo = append(p.ColLo, lo)
		p.ColUp = append(p.ColUp, lo+float64(rapid.IntRange(0, 3).Draw(t, "w")))
	}
	for i := 0; i < m; i++ {
		var r Row
		for j := 0; j < n; j++ {
			if v := rapid.IntRange(-3, 6).Draw(t, "a"); v != 0 && rapid.Bool().Draw(t, "use") {
				r.Idx = append(r.Idx, j)
				r.Val = append(r.Val, float64(v)*math.Pow(10, float64(rapid.IntRange(0, 5).Draw(t, "mag"))))
			}
		}
		r.Lo = -1e7
		r.Up = float64(rapid.IntRange(-2, 20).Draw(t, "b")) * math.Pow(10, float64(rapid.IntRange(0, 5).Draw(t, "bmag")))
		if rapid.Bool().Draw(t, "ranged") {
			r.Lo = r.Up - float64(rapid.IntRange(0, 10).Draw(t, "range"))
		}
		p.Rows = append(p.Rows, r)
	}
	return p
}

// TestAgainstGonum ensures the dual simplex finds the same optimum (or the
// same infeasibility) as gonum's simplex on random boxed problems, both
// from scratch and warm-started after bounds change as in branch and bound.
func TestAgainstGonum(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := randomProblem(t)
		s, err := New(p)
		if err != nil {
			t.Fatal(err)
		}
		for round := 0; round < 4; round++ {
			want, feasible := reference(t, p)
			st := s.Solve()
			if !feasible {
				// gonum's phase one is not always right on degenerate
				// problems, so a solution the solver finds is accepted
				// when it checks out.
				if st == Optimal {
					checkFeasible(t, p, s)
				} else if st != Infeasible {
					t.Fatalf("round %d: gonum says infeasible, solver says %v", round, st)
				}
			} else {
				if st != Optimal {
					t.Fatalf("round %d: gonum finds %g, solver says %v", round, want, st)
				}
				if got := s.Objective(); math.Abs(got-want) > 1e-4+1e-6*math.Abs(want) {
					t.Fatalf("round %d: objective %g, gonum %g", round, got, want)
				}
				checkFeasible(t, p, s)
			}
			// Change some bounds, as branching does, and go again warm.
			j := rapid.IntRange(0, len(p.Obj)-1).Draw(t, "j")
			lo := float64(rapid.IntRange(-2, 1).Draw(t, "newlo"))
			up := lo + float64(rapid.IntRange(0, 3).Draw(t, "neww"))
			p.ColLo[j], p.ColUp[j] = lo, up
			s.SetColBounds(j, lo, up)
			if rapid.Bool().Draw(t, "rowchange") {
				i := rapid.IntRange(0, len(p.Rows)-1).Draw(t, "i")
				p.Rows[i].Up += float64(rapid.IntRange(-5, 5).Draw(t, "dup"))
				if p.Rows[i].Lo > p.Rows[i].Up {
					p.Rows[i].Lo = p.Rows[i].Up
				}
				s.SetRowBounds(i, p.Rows[i].Lo, p.Rows[i].Up)
			}
		}
	})
}

func checkFeasible(t *rapid.T, p *Problem, s *Solver) {
	for j := range p.Obj {
		v := s.Col(j)
		if v < p.ColLo[j]-1e-7 || v > p.ColUp[j]+1e-7 {
			t.Fatalf("column %d = %g outside [%g, %g]", j, v, p.ColLo[j], p.ColUp[j])
		}
	}
	for i, r := range p.Rows {
		sum := 0.0
		for k, j := range r.Idx {
			sum += r.Val[k] * s.Col(j)
		}
		// The solver's tolerances apply to rows scaled to a largest
		// coefficient of 1.
		mx := 1.0
		for _, v := range r.Val {
			mx = math.Max(mx, math.Abs(v))
		}
		tol := 1e-6 + 1e-7*mx
		if math.Abs(sum-s.RowActivity(i)) > tol {
			t.Fatalf("row %d activity %g, recomputed %g", i, s.RowActivity(i), sum)
		}
		if sum < r.Lo-tol || sum > r.Up+tol {
			t.Fatalf("row %d = %g outside [%g, %g]", i, sum, r.Lo, r.Up)
		}
	}
}

// TestBadBounds ensures infinite or inverted bounds are refused.
func TestBadBounds(t *testing.T) {
	_, err := New(&Problem{Obj: []float64{1}, ColLo: []float64{0}, ColUp: []float64{math.Inf(1)}})
	if !errors.Is(err, ErrBounds) {
		t.Fatalf("err = %v", err)
	}
	_, err = New(&Problem{Obj: []float64{1}, ColLo: []float64{0}, ColUp: []float64{1},
		Rows: []Row{{Idx: []int{0}, Val: []float64{1}, Lo: 2, Up: 1}}})
	if !errors.Is(err, ErrBounds) {
		t.Fatalf("err = %v", err)
	}
}

// TestKnapsackRelaxation ensures a small hand-checked relaxation: the
// fractional knapsack takes items by value density.
func TestKnapsackRelaxation(t *testing.T) {
	p := &Problem{
		Obj:   []float64{10, 7, 4},
		ColLo: []float64{0, 0, 0},
		ColUp: []float64{1, 1, 1},
		Rows:  []Row{{Idx: []int{0, 1, 2}, Val: []float64{5, 4, 3}, Lo: 0, Up: 7}},
	}
	s, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	if st := s.Solve(); st != Optimal {
		t.Fatal(st)
	}
	// 10 (weight 5) + 7·(2/4) = 13.5
	if got := s.Objective(); math.Abs(got-13.5) > 1e-9 {
		t.Fatalf("objective %g, want 13.5", got)
	}
	if s.ReducedCost(2) > 1e-9 {
		t.Fatalf("item 3 is out and should have a non-positive reduced cost, has %g", s.ReducedCost(2))
	}
}

// TestAddRowsWarm ensures rows added to a solved problem give the same
// optimum (or infeasibility) as gonum finds for the whole problem, when
// the solver goes on warm from the basis it had, also after later bound
// changes and after the tableau is computed afresh (refactor).
func TestAddRowsWarm(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := randomProblem(t)
		s, err := New(p)
		if err != nil {
			t.Fatal(err)
		}
		for round := 0; round < 3; round++ {
			s.Solve()
			extra := randomProblem(t)
			var rows []Row
			for _, r := range extra.Rows {
				var keep Row
				for k, j := range r.Idx {
					if j < len(p.Obj) {
						keep.Idx = append(keep.Idx, j)
						keep.Val = append(keep.Val, r.Val[k])
					}
				}
				keep.Lo, keep.Up = r.Lo, r.Up
				rows = append(rows, keep)
			}
			rows = rows[:rapid.IntRange(1, len(rows)).Draw(t, "added")]
			if err := s.AddRows(rows); err != nil {
				t.Fatal(err)
			}
			p.Rows = append(p.Rows, rows...)
			if s.NumRows() != len(p.Rows) {
				t.Fatalf("%d rows, want %d", s.NumRows(), len(p.Rows))
			}
			if rapid.Bool().Draw(t, "bounds") {
				j := rapid.IntRange(0, len(p.Obj)-1).Draw(t, "j")
				lo := float64(rapid.IntRange(-2, 1).Draw(t, "newlo"))
				up := lo + float64(rapid.IntRange(0, 3).Draw(t, "neww"))
				p.ColLo[j], p.ColUp[j] = lo, up
				s.SetColBounds(j, lo, up)
			}
			if rapid.Bool().Draw(t, "refactor") {
				s.refactor() // as after many pivots: same basis, fresh tableau
			}
			want, feasible := reference(t, p)
			st := s.Solve()
			if !feasible {
				if st == Optimal {
					checkFeasible(t, p, s)
				} else if st != Infeasible {
					t.Fatalf("round %d: gonum says infeasible, solver says %v", round, st)
				}
				continue
			}
			if st != Optimal {
				t.Fatalf("round %d: gonum finds %g, solver says %v", round, want, st)
			}
			if got := s.Objective(); math.Abs(got-want) > 1e-4+1e-6*math.Abs(want) {
				t.Fatalf("round %d: objective %g, gonum %g", round, got, want)
			}
			checkFeasible(t, p, s)
		}
	})
}
