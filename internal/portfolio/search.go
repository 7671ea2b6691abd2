package portfolio

import (
	"cmp"
	"container/heap"
	"context"
	"math"
	"slices"
	"time"

	"github.com/waymark/waymark/internal/portfolio/lp"
)

// A change narrows one variable's bounds: a column x[i][s] or a row's
// activity (for the assign rows: whether an initiative is in the plan).
type change struct {
	row    bool
	idx    int
	lo, up float64
}

// node is a subproblem: the root's bounds with its changes and its
// ancestors' applied.
type node struct {
	parent *node
	ch     []change
	bound  float64 // the parent's relaxation value: no plan below is better
	basis  []int   // the parent's optimal basis, the warm start after a jump
	depth  int
	seq    int // creation order, for deterministic ties
}

type nodeHeap []*node

func (h nodeHeap) Len() int { return len(h) }
func (h nodeHeap) Less(a, b int) bool {
	if h[a].bound != h[b].bound {
		return h[a].bound > h[b].bound
	}
	return h[a].seq < h[b].seq
}
func (h nodeHeap) Swap(a, b int) { h[a], h[b] = h[b], h[a] }
func (h *nodeHeap) Push(x any)   { *h = append(*h, x.(*node)) }
func (h *nodeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

const (
	intTol = 1e-6 // a value this close to 0 or 1 is integral
	// Search steps the prover may take on the relaxation's set; on each
	// smaller set while it looks for a conflict, and on all of them; and
	// the largest conflict worth branching on (beyond it, a start window
	// is split instead). Branching on conflicts of any size proved the
	// demo's 27-initiative scenarios optimal in about 0.2 s, where a limit
	// of 10 left them at a 3 % gap after 20 s; on the benchmark's 40- and
	// 60-initiative instances it found plans as good or better.
	proveSteps      = 200
	undecidedGrowth = 50
	conflictSteps   = 40
	conflictBudget  = 2000
	maxConflict     = 1000
	// Prover calls of the exchange heuristic at the root (a sixth of that
	// after each new incumbent found in the tree), and steps of each.
	exchangeCalls = 300
	exchangeSteps = 60
)

// searchResult is what the branch and bound found.
type searchResult struct {
	start    []int // best plan, −1 for out; nil when none was found
	value    float64
	bound    float64 // proven upper bound on any plan's value
	complete bool    // the whole tree was explored: value is optimal (or none exists)
	nodes    int
	pivots   int
}

type search struct {
	ctx       context.Context
	m         *model
	s         *lp.Solver
	deadline  time.Time
	nodeLimit int

	rootColLo, rootColUp []float64
	rootRowLo, rootRowUp []float64
	applied              *node

	best, work, scratch *sched
	pv                  *prover
	// conflicts larger than maxConflict in a row, and looks to skip
	largeConflicts, skipConflicts int
	// undecided: the search steps the prover has spent in vain on a set
	// (by setKey), so that a set the relaxation picks again gets a larger
	// allowance once, instead of the same one again.
	undecided map[string]int
	exchanged float64 // incumbent value last improved by exchange
	hasInc    bool
	incVal    float64

	open    nodeHeap
	seq     int
	nodes   int
	lpFails float64 // largest bound of a node whose relaxation failed

	// root relaxation, for reduced-cost fixing
	rootObj   float64
	rootColRC []float64
	rootColAt []float64
	rootRowRC []float64
	rootRowAt []float64

	cuts int // cut rows added to the relaxation

	density []int // initiatives by value per use of the caps
	pref    []int // scratch: preferred starts from a relaxation
	zval    []float64
}

func newSearch(ctx context.Context, m *model, deadline time.Time, nodeLimit int) (*search, error) {
	s, err := lp.New(m.relaxation())
	if err != nil {
		return nil, err
	}
	sr := &search{ctx: ctx, m: m, s: s, deadline: deadline, nodeLimit: nodeLimit,
		best: newSched(m), work: newSched(m), scratch: newSched(m), pv: newProver(m), lpFails: math.Inf(-1)}
	nc, nr := s.NumCols(), s.NumRows()
	sr.rootColLo, sr.rootColUp = make([]float64, nc), make([]float64, nc)
	for j := 0; j < nc; j++ {
		sr.rootColLo[j], sr.rootColUp[j] = s.ColBounds(j)
	}
	sr.rootRowLo, sr.rootRowUp = make([]float64, nr), make([]float64, nr)
	for i := 0; i < nr; i++ {
		sr.rootRowLo[i], sr.rootRowUp[i] = s.RowBounds(i)
	}
	sr.pref = make([]int, len(m.val))
	sr.zval = make([]float64, len(m.val))
	sr.density = m.densityOrder()
	sr.pv.stop = sr.timeUp
	s.Stop = sr.timeUp
	return sr, nil
}

// densityOrder sorts initiatives by value per share of the caps they use
// at their earliest start, best first.
func (m *model) densityOrder() []int {
	n := len(m.val)
	score := make([]float64, n)
	var order []int
	for i := 0; i < n; i++ {
		if m.out[i] {
			continue
		}
		s := slices.Index(m.allowed[i], true)
		use := 1e-9
		for y := s; y < m.T; y++ {
			if m.budget[y] > 0 {
				use += float64(m.cost(i, s, y)) / float64(m.budget[y])
			}
			if m.staff != nil && m.staff[y] > 0 {
				use += float64(m.effort(i, s, y)) / float64(m.staff[y])
			}
		}
		score[i] = m.val[i] / use
		order = append(order, i)
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(score[b], score[a]) })
	return order
}

// hopeless reports whether a subproblem with this bound cannot hold a plan
// better than the incumbent.
func (sr *search) hopeless(bound float64) bool {
	if !sr.hasInc {
		return false
	}
	if g := sr.m.granularity; g > 0 {
		// The next better plan is worth at least incumbent + g.
		return bound < sr.incVal+g-1e-6*math.Max(1, math.Abs(bound))
	}
	return bound <= sr.incVal+1e-9*math.Max(1, math.Abs(sr.incVal))
}

// offer makes st the incumbent if it is complete and better.
func (sr *search) offer(st *sched) bool {
	if !st.complete() {
		return false
	}
	if sr.hasInc && st.value <= sr.incVal+1e-12*math.Max(1, math.Abs(sr.incVal)) {
		return false
	}
	sr.best.copyFrom(st)
	sr.incVal, sr.hasInc = st.value, true
	return true
}

// seed offers a known feasible plan (for the marginal solves: the base
// optimum stays feasible when a cap grows).
func (sr *search) seed(start []int) {
	sr.work.reset()
	for _, i := range sr.m.topological(allIn(start)) {
		if !sr.work.fits(i, start[i]) {
			return
		}
		sr.work.place(i, start[i])
	}
	sr.offer(sr.work)
}

func allIn(start []int) []int {
	var set []int
	for i, s := range start {
		if s >= 0 {
			set = append(set, i)
		}
	}
	return set
}

// stopped reports whether the search must stop: the node limit, the time
// limit or a cancelled context.
func (sr *search) stopped() bool {
	return sr.nodeLimit > 0 && sr.nodes >= sr.nodeLimit || sr.timeUp()
}

// timeUp reports the time limit or a cancelled context; the simplex and
// the prover ask it so that neither overruns the limit.
func (sr *search) timeUp() bool {
	return !sr.deadline.IsZero() && time.Now().After(sr.deadline) || sr.ctx.Err() != nil
}

// apply sets the solver's bounds to those of nd.
func (sr *search) apply(nd *node) {
	if nd.parent != nil && nd.parent == sr.applied {
		sr.set(nd.ch)
		sr.applied = nd
		return
	}
	for j := range sr.rootColLo {
		sr.s.SetColBounds(j, sr.rootColLo[j], sr.rootColUp[j])
	}
	for i := range sr.rootRowLo {
		sr.s.SetRowBounds(i, sr.rootRowLo[i], sr.rootRowUp[i])
	}
	var chain []*node
	for x := nd; x != nil; x = x.parent {
		chain = append(chain, x)
	}
	for k := len(chain) - 1; k >= 0; k-- {
		sr.set(chain[k].ch)
	}
	if nd.basis != nil {
		// From a distant node's basis the simplex may need thousands of
		// pivots; the parent's basis is one branching change away.
		sr.s.SetBasis(nd.basis)
	}
	sr.applied = nd
}

func (sr *search) set(chs []change) {
	for _, c := range chs {
		if c.row {
			lo, up := sr.s.RowBounds(c.idx)
			sr.s.SetRowBounds(c.idx, math.Max(lo, c.lo), math.Min(up, c.up))
		} else {
			lo, up := sr.s.ColBounds(c.idx)
			sr.s.SetColBounds(c.idx, math.Max(lo, c.lo), math.Min(up, c.up))
		}
	}
}

// run explores the tree.
func (sr *search) run() searchResult {
	m := sr.m
	// Greedy plans first, in a few orders.
	byValue := slices.Clone(sr.density)
	slices.SortStableFunc(byValue, func(a, b int) int { return cmp.Compare(m.val[b], m.val[a]) })
	for _, order := range [][]int{sr.density, byValue} {
		if sr.work.greedy(order, nil) {
			sr.work.improve(order, sr.scratch)
			sr.offer(sr.work)
		}
	}
	// Before the root relaxation is solved, the sum of all values bounds
	// every plan.
	total := 0.0
	for i, v := range m.val {
		if !m.out[i] {
			total += v
		}
	}
	root := &node{bound: total}
	heap.Push(&sr.open, root)
	first := true
	var cur *node
	for {
		if cur == nil {
			if sr.open.Len() == 0 {
				break
			}
			cur = heap.Pop(&sr.open).(*node)
			if sr.hopeless(cur.bound) {
				cur = nil
				continue
			}
		}
		if sr.stopped() {
			heap.Push(&sr.open, cur)
			break
		}
		// A new incumbent found in the tree: try to better it at once.
		if sr.nodes > 0 && sr.hasInc && sr.incVal > sr.exchanged {
			sr.exchange(exchangeCalls / 6)
			sr.exchanged = sr.incVal
		}
		sr.nodes++
		sr.apply(cur)
		st := sr.s.Solve()
		if st == lp.IterLimit {
			sr.lpFails = math.Max(sr.lpFails, cur.bound)
			cur = nil
			continue
		}
		if st == lp.Infeasible {
			cur = nil
			continue
		}
		obj := sr.s.Objective()
		if first {
			first = false
			if !sr.cutRoot() {
				sr.lpFails = math.Max(sr.lpFails, cur.bound)
				cur = nil
				continue
			}
			obj = sr.s.Objective()
			sr.saveRoot(obj)
		}
		if sr.hopeless(obj) {
			cur = nil
			continue
		}
		// Rounding the relaxation is cheap; do it often early on.
		if sr.nodes <= 200 || sr.nodes%10 == 0 {
			sr.roundRelaxation()
			if sr.hopeless(obj) {
				cur = nil
				continue
			}
		}
		fix := sr.fixAtNode(obj)
		kids := sr.branch(obj, cur)
		if len(kids) == 0 {
			cur = nil
			continue
		}
		basis := sr.s.Basis()
		for _, k := range kids {
			k.basis = basis
			if len(fix) > 0 {
				k.ch = append(slices.Clone(k.ch), fix...)
			}
		}
		for _, k := range kids[1:] {
			sr.seq++
			k.seq = sr.seq
			heap.Push(&sr.open, k)
		}
		sr.seq++
		kids[0].seq = sr.seq
		cur = kids[0]
	}
	res := searchResult{nodes: sr.nodes, pivots: sr.s.Pivots}
	if sr.hasInc {
		res.start = slices.Clone(sr.best.start)
		res.value = sr.incVal
	}
	bound := sr.lpFails
	for _, nd := range sr.open {
		bound = math.Max(bound, nd.bound)
	}
	res.complete = sr.open.Len() == 0 && math.IsInf(sr.lpFails, -1)
	if res.complete {
		res.bound = res.value
	} else {
		if g := m.granularity; g > 0 && !math.IsInf(bound, 0) {
			bound = math.Floor(bound/g+1e-6) * g
		}
		res.bound = math.Max(bound, res.value)
	}
	return res
}

// saveRoot keeps the root relaxation's reduced costs and fixes what they
// rule out.
func (sr *search) saveRoot(obj float64) {
	s := sr.s
	sr.rootObj = obj
	nc, nr := s.NumCols(), s.NumRows()
	sr.rootColRC, sr.rootColAt = make([]float64, nc), make([]float64, nc)
	for j := 0; j < nc; j++ {
		if !s.IsBasic(j) {
			sr.rootColRC[j], sr.rootColAt[j] = s.ReducedCost(j), s.Col(j)
		}
	}
	sr.rootRowRC, sr.rootRowAt = make([]float64, nr), make([]float64, nr)
	for i := 0; i < nr; i++ {
		if !s.IsRowBasic(i) {
			sr.rootRowRC[i], sr.rootRowAt[i] = s.RowReducedCost(i), s.RowActivity(i)
		}
	}
	sr.roundRelaxation()
	sr.exchange(exchangeCalls)
	sr.exchanged = sr.incVal
	sr.fixByReducedCost()
}

// exchange improves the incumbent by local search: it takes one more
// initiative in (with what it depends on, leaving out its group mates and
// what depends on them) and, when that set cannot be scheduled, also
// leaves out one of the least valuable per share of the caps, and asks
// the prover to schedule the whole set afresh. Candidates come in the
// order of the root relaxation. It stops after calls prover calls.
func (sr *search) exchange(calls int) {
	m := sr.m
	if !sr.hasInc || sr.hopeless(sr.rootObj) {
		return // no plan or nothing to gain
	}
	// At most a tenth of the time left.
	until := time.Time{}
	if !sr.deadline.IsZero() {
		until = time.Now().Add(time.Until(sr.deadline) / 10)
	}
	over := func() bool { return calls <= 0 || sr.stopped() || !until.IsZero() && time.Now().After(until) }
	cands := slices.Clone(sr.density)
	slices.SortStableFunc(cands, func(a, b int) int { return cmp.Compare(sr.zval[b], sr.zval[a]) })
	for improved := true; improved; {
		improved = false
		inc := slices.Clone(sr.best.start)
		for _, i := range cands {
			if inc[i] >= 0 {
				continue
			}
			if over() {
				return
			}
			set := sr.withOut(append(allIn(inc), i), i)
			if set == nil {
				continue
			}
			try := func(set []int) bool {
				v := 0.0
				for _, k := range set {
					v += m.val[k]
				}
				if v <= sr.incVal+1e-9*math.Max(1, sr.incVal) {
					return false
				}
				calls--
				return sr.pv.schedule(set, inc, exchangeSteps) == schedulable && sr.tryStarts(set, sr.pv.start) && sr.incVal >= v-1e-9
			}
			if try(set) {
				improved = true
				break
			}
			// Leave out one of the three least dense others.
			var drop []int
			for _, j := range set {
				if j != i && !m.forced[j] && !slices.Contains(m.ancestors(i), j) {
					drop = append(drop, j)
				}
			}
			slices.SortStableFunc(drop, func(a, b int) int {
				return cmp.Compare(m.val[a]/(m.footprint(a)+1e-9), m.val[b]/(m.footprint(b)+1e-9))
			})
			for _, j := range drop[:min(3, len(drop))] {
				if over() {
					return
				}
				if try(sr.withOut(set, -1, j)) {
					improved = true
					break
				}
			}
			if improved {
				break
			}
		}
	}
}

// withOut returns set with what keep depends on added (nil when that
// needs an initiative that is out), and without drop, the group mates of
// keep's closure, and everything in set that depends on those.
func (sr *search) withOut(set []int, keep int, drop ...int) []int {
	m := sr.m
	in := make([]bool, len(m.val))
	for _, k := range set {
		in[k] = true
	}
	if keep >= 0 {
		need := append(m.ancestors(keep), keep)
		for _, k := range need {
			if m.out[k] {
				return nil
			}
			in[k] = true
		}
		for _, k := range need {
			for _, g := range m.groupOf[k] {
				for _, x := range m.groups[g] {
					if x != k && !slices.Contains(need, x) {
						drop = append(drop, x)
					}
				}
			}
		}
	}
	var remove func(int)
	remove = func(k int) {
		if !in[k] {
			return
		}
		in[k] = false
		for _, b := range m.succ[k] {
			remove(b)
		}
	}
	for _, d := range drop {
		remove(d)
	}
	if keep >= 0 && !in[keep] {
		return nil
	}
	var out []int
	for k, ok := range in {
		if ok {
			out = append(out, k)
		}
	}
	for k, f := range m.forced {
		if f && !in[k] {
			return nil // a forced-in initiative would have to go
		}
	}
	return out
}

// fixByReducedCost tightens the root bounds: a column at 0 in the root
// relaxation whose reduced cost says that taking it costs more than the
// gap to the incumbent stays 0 in every better plan; the same for whole
// initiatives through their assign rows.
func (sr *search) fixByReducedCost() {
	if !sr.hasInc || sr.rootColRC == nil {
		return
	}
	for j, rc := range sr.rootColRC {
		if rc < 0 && math.Abs(sr.rootColAt[j]-sr.rootColLo[j]) < 1e-9 && sr.rootColUp[j] > sr.rootColLo[j] && sr.hopeless(sr.rootObj+rc) {
			sr.rootColUp[j] = sr.rootColLo[j]
		}
	}
	for i, kind := range sr.m.rowKind {
		if kind != "assign" {
			continue
		}
		rc, at := sr.rootRowRC[i], sr.rootRowAt[i]
		switch {
		case rc < 0 && math.Abs(at-sr.rootRowLo[i]) < 1e-9 && sr.hopeless(sr.rootObj+rc*(sr.rootRowUp[i]-sr.rootRowLo[i])):
			sr.rootRowUp[i] = sr.rootRowLo[i]
		case rc > 0 && math.Abs(at-sr.rootRowUp[i]) < 1e-9 && sr.hopeless(sr.rootObj-rc*(sr.rootRowUp[i]-sr.rootRowLo[i])):
			sr.rootRowLo[i] = sr.rootRowUp[i]
		}
	}
	sr.applied = nil // the root bounds changed
}

// fixAtNode is reduced-cost fixing below the current node, whose
// relaxation (value obj) was just solved: a start year at 0 whose reduced
// cost says that taking it would bring the node's bound down to the
// incumbent is closed in the node's children, and so is taking in (or
// leaving out) an initiative whose assign row says the same. For a plan
// of the node with x_j = 1, LP duality gives value ≤ obj + rc_j.
func (sr *search) fixAtNode(obj float64) []change {
	if !sr.hasInc {
		return nil
	}
	s := sr.s
	// A margin for the simplex's tolerances.
	margin := 1e-7 * math.Max(1, math.Abs(obj))
	var fix []change
	for j := 0; j < s.NumCols(); j++ {
		lo, up := s.ColBounds(j)
		if up <= lo || s.IsBasic(j) || math.Abs(s.Col(j)-lo) > 1e-9 {
			continue
		}
		if rc := s.ReducedCost(j); rc < 0 && sr.hopeless(obj+rc*(up-lo)+margin) {
			fix = append(fix, change{idx: j, lo: lo, up: lo})
		}
	}
	for _, r := range sr.m.rowAssign {
		if r < 0 || s.IsRowBasic(r) {
			continue
		}
		lo, up := s.RowBounds(r)
		if up <= lo {
			continue
		}
		rc, at := s.RowReducedCost(r), s.RowActivity(r)
		switch {
		case rc < 0 && math.Abs(at-lo) < 1e-9 && sr.hopeless(obj+rc*(up-lo)+margin):
			fix = append(fix, change{row: true, idx: r, lo: lo, up: lo})
		case rc > 0 && math.Abs(at-up) < 1e-9 && sr.hopeless(obj-rc*(up-lo)+margin):
			fix = append(fix, change{row: true, idx: r, lo: up, up: up})
		}
	}
	return fix
}

// relaxation reads z_i (share of initiative i in the plan) and the
// preferred start (the largest x[i][s]) from the current solution.
func (sr *search) readRelaxation() {
	m := sr.m
	for i := range m.val {
		sr.zval[i], sr.pref[i] = 0, -1
		if m.out[i] {
			continue
		}
		best := 0.0
		for s, j := range m.cols[i] {
			if j < 0 {
				continue
			}
			x := sr.s.Col(j)
			sr.zval[i] += x
			if x > best+intTol {
				best, sr.pref[i] = x, s
			}
		}
	}
}

// roundRelaxation builds a plan greedily in the order of the relaxation's
// z (then density), each initiative at its preferred start.
func (sr *search) roundRelaxation() {
	sr.readRelaxation()
	order := slices.Clone(sr.density)
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(sr.zval[b], sr.zval[a]) })
	if sr.work.greedy(order, sr.pref) {
		if sr.offer(sr.work) {
			sr.work.improve(order, sr.scratch)
			sr.offer(sr.work)
			sr.fixByReducedCost()
		}
	}
}

// branch looks at the current solution. It returns nil when the node is
// settled (a plan worth its bound was found, or it has none), else its
// children, the one to explore next first. Together the children hold
// every plan of the node.
func (sr *search) branch(obj float64, cur *node) []*node {
	m := sr.m
	sr.readRelaxation()
	// 1. An initiative partly in the plan: branch on in / out.
	bi, bscore := -1, 0.0
	for i, z := range sr.zval {
		if m.out[i] {
			continue
		}
		f := math.Min(z, 1-z)
		if f <= intTol {
			continue
		}
		if score := m.val[i] * (f + 0.1); score > bscore {
			bi, bscore = i, score
		}
	}
	mk := func(chs ...change) *node {
		return &node{parent: cur, ch: chs, bound: obj, depth: cur.depth + 1}
	}
	if bi >= 0 {
		r := m.rowAssign[bi]
		in := mk(change{row: true, idx: r, lo: 1, up: 1})
		out := mk(change{row: true, idx: r, lo: 0, up: 0})
		if sr.zval[bi] >= 0.2 {
			return []*node{in, out}
		}
		return []*node{out, in}
	}
	// 2. The set is whole; are the start years?
	var set []int
	split := -1
	for i, z := range sr.zval {
		if m.out[i] || z < 0.5 {
			continue
		}
		set = append(set, i)
		for _, j := range m.cols[i] {
			if j >= 0 {
				if x := sr.s.Col(j); x > intTol && x < 1-intTol && (split < 0 || m.val[i] > m.val[split]) {
					split = i
				}
			}
		}
	}
	if split < 0 && sr.tryStarts(set, sr.pref) {
		return nil // the relaxation's own plan
	}
	// The relaxation may spread starts over several years, which no plan
	// can: ask the prover whether the set fits at all.
	set = m.closure(set)
	switch sr.prove(set) {
	case schedulable:
		if sr.tryStarts(set, sr.pv.start) {
			return nil // worth the node's bound: nothing below is better
		}
	case impossible:
		// Looking for a small conflict pays when there is one; after a
		// few large ones in a row, skip the next few looks.
		if sr.skipConflicts > 0 {
			sr.skipConflicts--
			break
		}
		c := sr.pv.conflict(set, conflictSteps, conflictBudget)
		if len(c) <= maxConflict {
			sr.largeConflicts = 0
			return sr.exclude(c, obj, cur)
		}
		if sr.largeConflicts++; sr.largeConflicts >= 3 {
			sr.skipConflicts = 20
		}
	}
	if split < 0 {
		widest := 0
		for _, i := range set {
			if w := sr.windowWidth(i); w > widest {
				split, widest = i, w
			}
		}
		if widest <= 1 {
			return sr.exclude(set, obj, cur)
		}
	}
	// Split split's start years where its mass reaches one half.
	var open []int
	for s, j := range m.cols[split] {
		if j >= 0 {
			if lo, up := sr.s.ColBounds(j); up > lo {
				open = append(open, s)
			}
		}
	}
	if len(open) < 2 {
		return nil
	}
	cut, mass := open[0], 0.0
	for k, s := range open[:len(open)-1] {
		mass += sr.s.Col(m.cols[split][s])
		cut = open[k]
		if mass >= 0.5 {
			break
		}
	}
	var early, late []change
	for _, s := range open {
		j := m.cols[split][s]
		if s <= cut {
			late = append(late, change{idx: j, lo: 0, up: 0})
		} else {
			early = append(early, change{idx: j, lo: 0, up: 0})
		}
	}
	e, l := mk(early...), mk(late...)
	if mass >= 0.5 {
		return []*node{e, l}
	}
	return []*node{l, e}
}

// prove asks the prover whether set can be scheduled. Whether it can does
// not depend on the node (the prover sees only the start windows of the
// model), and the relaxation picks the same set at many nodes while the
// search splits start windows under it; so a set it could not decide
// within proveSteps gets proveSteps × undecidedGrowth steps when it comes
// back, and none after that: the split goes on without it.
func (sr *search) prove(set []int) verdict {
	key := setKey(set)
	spent := sr.undecided[key]
	limit := proveSteps
	switch {
	case spent >= proveSteps*undecidedGrowth:
		return unknown
	case spent > 0:
		limit = proveSteps * undecidedGrowth
	}
	v := sr.pv.schedule(set, sr.pref, limit)
	if v == unknown {
		if sr.undecided == nil {
			sr.undecided = map[string]int{}
		}
		sr.undecided[key] = spent + limit
	}
	return v
}

// setKey identifies a set of initiatives whatever its order.
func setKey(set []int) string {
	n := 0
	for _, i := range set {
		n = max(n, i/8+1)
	}
	b := make([]byte, n)
	for _, i := range set {
		b[i/8] |= 1 << (i % 8)
	}
	return string(b)
}

// tryStarts checks the plan of set at the given starts exactly and offers
// it; false when it breaks a rule.
func (sr *search) tryStarts(set []int, start []int) bool {
	sr.work.reset()
	for _, i := range sr.m.topological(set) {
		if start[i] < 0 || !sr.work.fits(i, start[i]) {
			return false
		}
		sr.work.place(i, start[i])
	}
	sr.offer(sr.work)
	return true
}

// exclude branches on a conflict c, a set that no plan holds in full:
// child k keeps c[0…k−1] in and c[k] out. Members already in at this node
// cannot be left out there, so they get no child of their own; when all
// are in, the node holds no plan.
func (sr *search) exclude(c []int, obj float64, cur *node) []*node {
	m := sr.m
	c = slices.Clone(c)
	slices.SortStableFunc(c, func(a, b int) int { return cmp.Compare(m.val[a], m.val[b]) })
	var kids []*node
	var in []change
	for _, i := range c {
		r := m.rowAssign[i]
		if r < 0 {
			return kids // cannot happen: i is in the set, so not out
		}
		out := change{row: true, idx: r, lo: 0, up: 0}
		if lo, _ := sr.s.RowBounds(r); lo < 0.5 {
			kids = append(kids, &node{parent: cur, ch: append(slices.Clone(in), out), bound: obj, depth: cur.depth + 1})
		}
		in = append(in, change{row: true, idx: r, lo: 1, up: 1})
	}
	return kids
}

// windowWidth counts the start years still open for i at this node.
func (sr *search) windowWidth(i int) int {
	w := 0
	for _, j := range sr.m.cols[i] {
		if j >= 0 {
			if lo, up := sr.s.ColBounds(j); up > lo {
				w++
			}
		}
	}
	return w
}
