package scenario

import (
	"cmp"
	"slices"
)

// ChangeKind says what happens to an initiative from scenario A to B.
type ChangeKind string

// Changes, in the order a comparison lists them.
const (
	DropsOut ChangeKind = "drops_out" // in A's plan, not in B's
	ComesIn  ChangeKind = "comes_in"  // in B's plan, not in A's
	Moves    ChangeKind = "moves"     // in both, starting in another year
	Same     ChangeKind = "same"      // in both, starting in the same year
)

// ChangeKinds lists the kinds in the order a comparison lists them.
var ChangeKinds = []ChangeKind{DropsOut, ComesIn, Moves, Same}

// Change is one initiative that is in the plan of A, of B or of both.
type Change struct {
	Key, Title string
	Kind       ChangeKind
	// A and B are its place in each plan; nil when it is not in that plan.
	A, B *Assignment
}

// Comparison is scenario B set against scenario A.
type Comparison struct {
	ValueA, ValueB float64
	// Lost is ValueA − ValueB: the value B gives up against A (negative
	// when B is worth more).
	Lost float64
	// Changes lists every initiative in either plan: those that drop out,
	// come in, move, and stay, each group by its start year (in A, else B)
	// and title.
	Changes []Change
	Count   map[ChangeKind]int
}

// LostShare is Lost as a share of ValueA (0 when A is worth nothing).
func (c *Comparison) LostShare() float64 {
	if c.ValueA == 0 {
		return 0
	}
	return c.Lost / c.ValueA
}

// Compare sets the plan of b against that of a.
func Compare(a, b *Result) *Comparison {
	c := &Comparison{ValueA: a.Objective, ValueB: b.Objective, Lost: a.Objective - b.Objective, Count: map[ChangeKind]int{}}
	inB := make(map[string]Assignment, len(b.Plan))
	for _, x := range b.Plan {
		inB[x.Key] = x
	}
	seen := map[string]bool{}
	for _, x := range a.Plan {
		x := x
		seen[x.Key] = true
		ch := Change{Key: x.Key, Title: x.Title, A: &x, Kind: DropsOut}
		if y, ok := inB[x.Key]; ok {
			ch.B = &y
			ch.Kind = Same
			if y.Start != x.Start {
				ch.Kind = Moves
			}
		}
		c.Changes = append(c.Changes, ch)
	}
	for _, y := range b.Plan {
		if !seen[y.Key] {
			y := y
			c.Changes = append(c.Changes, Change{Key: y.Key, Title: y.Title, B: &y, Kind: ComesIn})
		}
	}
	order := func(k ChangeKind) int { return slices.Index(ChangeKinds, k) }
	start := func(ch Change) int {
		if ch.A != nil {
			return ch.A.Start
		}
		return ch.B.Start
	}
	slices.SortStableFunc(c.Changes, func(x, y Change) int {
		return cmp.Or(cmp.Compare(order(x.Kind), order(y.Kind)), cmp.Compare(start(x), start(y)), cmp.Compare(x.Title, y.Title))
	})
	for _, ch := range c.Changes {
		c.Count[ch.Kind]++
	}
	return c
}
