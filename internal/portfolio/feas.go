package portfolio

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
)

// verdict is what the prover found out about a set of initiatives.
type verdict int

const (
	unknown     verdict = iota // the step limit came first
	schedulable                // start years exist; the prover's start holds them
	impossible                 // no start years fit: proven
)

// prover decides exactly whether a given set of initiatives can all be in
// one plan: start years in their allowed windows, each after what it
// depends on has finished, every year within the caps. It is a depth-first
// search over start years with constraint propagation: precedence bounds,
// and for every interval of years a…b−1 and each cap that the set could
// overfill at all (markTight), the least that each initiative must use in
// the interval over its remaining start years ("energy"), which removes
// start years that cannot fit beside the others.
//
// The branch and bound uses it on the sets its relaxation picks (the
// relaxation may spread an initiative's start over several years, which no
// plan can) and to find small sets that cannot be together (conflicts).
type prover struct {
	m         *model
	capPre    []int64 // capPre[y]: the budget caps of years 0…y−1 summed
	capPreFTE []int64 // the same for the staff caps

	limit, steps int
	aborted      bool
	// stop, when not nil, is asked now and then whether to give up (the
	// time limit or a cancelled context).
	stop func() bool

	items []int      // the set being proven
	at    []int      // position of an initiative in items, −1 when not in it
	deps  [][]int    // positions of what items[k] depends on, within items
	pool  [][]uint64 // domains per search depth
	// per search depth: the positions whose start is still open, and for
	// each check the use of those whose start is settled (settle)
	open  [][]int
	base  [][]int64
	start []int     // the schedule found (by initiative; −1 when not in the set)
	pref  []int     // preferred start of each initiative, or −1
	size  []float64 // footprint of each item, for the branching order
	// the items' costs, staff and durations by position (energy's loops
	// read these, not the model's arrays by initiative)
	rec, oneOff, fte []int64
	dur              []int
	minE             []int64 // scratch: least use in the interval, per position
	// the intervals the set can overfill at all (markTight), the one that
	// failed last, and the index in checks energy starts from
	checks   []interval
	lastFail interval
	first    int
	// fitsGreedily's plan, order and footprints by initiative
	trial *sched
	order []int
	foot  []float64
}

func newProver(m *model) *prover {
	n, T := len(m.val), m.T
	pv := &prover{m: m, capPre: make([]int64, T+1), at: make([]int, n), start: make([]int, n), trial: newSched(m)}
	for y := 0; y < T; y++ {
		pv.capPre[y+1] = pv.capPre[y] + m.budget[y]
	}
	if m.staff != nil {
		pv.capPreFTE = make([]int64, T+1)
		for y := 0; y < T; y++ {
			pv.capPreFTE[y+1] = pv.capPreFTE[y] + m.staff[y]
		}
	}
	for i := range pv.at {
		pv.at[i] = -1
	}
	return pv
}

// schedule decides whether set (which must hold what its members depend
// on) can be scheduled, within limit search steps. On schedulable,
// pv.start holds the start offsets. pref, when not nil, gives the start to
// try first for each initiative.
func (pv *prover) schedule(set []int, pref []int, limit int) verdict {
	m := pv.m
	for _, i := range pv.items {
		pv.at[i] = -1
	}
	pv.items = append(pv.items[:0], set...)
	for k, i := range pv.items {
		pv.at[i] = k
	}
	pv.deps = pv.deps[:0]
	for _, i := range pv.items {
		var ds []int
		for _, d := range m.deps[i] {
			if pv.at[d] < 0 {
				return impossible // what it depends on is not in the set
			}
			ds = append(ds, pv.at[d])
		}
		pv.deps = append(pv.deps, ds)
	}
	pv.pref = pref
	pv.limit, pv.steps, pv.aborted = limit, 0, false
	for len(pv.pool) < len(set)+2 {
		pv.pool = append(pv.pool, nil)
		pv.open = append(pv.open, nil)
		pv.base = append(pv.base, nil)
	}
	pv.checks = pv.checks[:0]
	pv.level(0)
	dom := pv.pool[0]
	for k, i := range pv.items {
		dom[k] = 0
		for s, ok := range m.allowed[i] {
			if ok {
				dom[k] |= 1 << s
			}
		}
		if dom[k] == 0 {
			return impossible
		}
	}
	pv.size, pv.rec, pv.oneOff, pv.fte, pv.dur = pv.size[:0], pv.rec[:0], pv.oneOff[:0], pv.fte[:0], pv.dur[:0]
	for _, i := range pv.items {
		pv.size = append(pv.size, m.footprint(i))
		pv.rec, pv.oneOff = append(pv.rec, m.rec[i]), append(pv.oneOff, m.oneOff[i])
		pv.fte, pv.dur = append(pv.fte, m.fte[i]), append(pv.dur, m.dur[i])
	}
	if len(pv.minE) < len(set) {
		pv.minE = make([]int64, len(set))
	}
	pv.markTight(dom)
	open, base := pv.level(0)
	for k := range pv.items {
		open = append(open, k)
	}
	pv.open[0] = open
	clear(base)
	if pv.search(0) {
		for i := range pv.start {
			pv.start[i] = -1
		}
		for k, i := range pv.items {
			pv.start[i] = bits.TrailingZeros64(pv.pool[0][k])
		}
		return schedulable
	}
	if pv.aborted {
		return unknown
	}
	return impossible
}

// fitsGreedily is a cheap first test of whether set (holding what its
// members depend on and the forced-in initiatives) can be scheduled: the
// members largest first, each at its preferred start (pref[i], or −1) or
// the earliest that fits beside those placed (sched.greedy). True is
// proof; false means only that this order found no place for one of them.
func (pv *prover) fitsGreedily(set, pref []int) bool {
	m := pv.m
	if pv.foot == nil {
		pv.foot = make([]float64, len(m.val))
		for i := range pv.foot {
			pv.foot[i] = m.footprint(i)
		}
	}
	order := append(pv.order[:0], set...)
	pv.order = order
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(pv.foot[b], pv.foot[a]) })
	st := pv.trial
	if !st.greedy(order, pref) || st.count != len(set) {
		return false
	}
	for _, i := range set {
		if st.start[i] < 0 {
			// greedy also places the forced-in initiatives: a set
			// without them (callers pass closures, which hold them) is
			// not settled here
			return false
		}
	}
	return true
}

// level sizes the domains of depth d (pv.pool[d]) to the set and returns
// its open list emptied and its base sized to the checks.
func (pv *prover) level(d int) (open []int, base []int64) {
	if cap(pv.pool[d]) < len(pv.items) {
		pv.pool[d] = make([]uint64, len(pv.items))
	}
	pv.pool[d] = pv.pool[d][:len(pv.items)]
	if cap(pv.base[d]) < len(pv.checks) {
		pv.base[d] = make([]int64, len(pv.checks))
	}
	pv.base[d] = pv.base[d][:len(pv.checks)]
	return pv.open[d][:0], pv.base[d]
}

// search propagates the domains at depth d and branches; on success the
// fixed domains are copied back to depth 0.
func (pv *prover) search(d int) bool {
	dom := pv.pool[d]
	if !pv.propagate(dom, d) {
		return false
	}
	pv.steps++
	if pv.steps > pv.limit || pv.steps%64 == 0 && pv.stop != nil && pv.stop() {
		pv.aborted = true
		return false
	}
	// The open item largest for its start years left: the one most likely
	// to fail soon (on the demo-shaped benchmarks this proves sets
	// impossible in fewer steps than fewest-starts-first). Items that
	// propagation fixed after the last settle are in the open list but
	// need no branch; when only they are left, every check holds at its
	// fixed point and the domains are a schedule.
	k := -1
	for _, q := range pv.open[d] {
		if dom[q]&(dom[q]-1) == 0 {
			continue
		}
		if k < 0 {
			k = q
			continue
		}
		if pv.size[q]*float64(bits.OnesCount64(dom[k])) > pv.size[k]*float64(bits.OnesCount64(dom[q])) {
			k = q
		}
	}
	if k < 0 {
		copy(pv.pool[0], dom)
		return true
	}
	i := pv.items[k]
	open, base := pv.level(d + 1)
	next := pv.pool[d+1]
	try := func(s int) bool {
		copy(next, dom)
		next[k] = 1 << s
		pv.open[d+1] = append(open, pv.open[d]...)
		copy(base, pv.base[d])
		return pv.search(d + 1)
	}
	first := -1
	if pv.pref != nil && pv.pref[i] >= 0 && dom[k]&(1<<pv.pref[i]) != 0 {
		first = pv.pref[i]
		if try(first) {
			return true
		}
		if pv.aborted {
			return false
		}
	}
	// Latest first: later starts carry fewer years of recurring cost.
	for b := dom[k]; b != 0; {
		s := 63 - bits.LeadingZeros64(b)
		b &^= 1 << s
		if s == first {
			continue
		}
		if try(s) {
			return true
		}
		if pv.aborted {
			return false
		}
	}
	return false
}

// propagate narrows the domains to a fixed point; false means some
// domain became empty (no schedule below this point).
func (pv *prover) propagate(dom []uint64, d int) bool {
	for round := 0; ; round++ {
		changed, ok := pv.precede(dom)
		switch {
		case !ok:
			return false
		case round > 0 && !changed:
			return true // energy's last round changed nothing either
		}
		pv.settle(dom, d)
		ok, changed = pv.energy(dom, d)
		if !ok {
			return false
		}
		if !changed {
			return true
		}
	}
}

// precede narrows the domains by precedence, B starting after A
// finishes, to a fixed point; false means some domain became empty.
func (pv *prover) precede(dom []uint64) (changed, ok bool) {
	m := pv.m
	for again := true; again; {
		again = false
		for kb, ds := range pv.deps {
			for _, ka := range ds {
				a := pv.items[ka]
				if dom[ka] == 0 || dom[kb] == 0 {
					return changed, false
				}
				est := bits.TrailingZeros64(dom[ka]) + m.dur[a]
				if est >= 64 {
					return changed, false
				}
				if nb := dom[kb] &^ (1<<est - 1); nb != dom[kb] {
					dom[kb], again = nb, true
				}
				if dom[kb] == 0 {
					return changed, false
				}
				lst := 63 - bits.LeadingZeros64(dom[kb]) - m.dur[a] // latest start of A
				if lst < 0 {
					return changed, false
				}
				if na := dom[ka] & (1<<(lst+1) - 1); na != dom[ka] {
					dom[ka], again = na, true
				}
				if dom[ka] == 0 {
					return changed, false
				}
			}
		}
		changed = changed || again
	}
	return changed, true
}

// settle moves the positions of depth d whose start is now fixed out of
// its open list, adding what they use to its base: energy then loops
// over the open ones only, which deep in the search are few.
func (pv *prover) settle(dom []uint64, d int) {
	m := pv.m
	open, base := pv.open[d], pv.base[d]
	j := 0
	for _, k := range open {
		if dom[k]&(dom[k]-1) != 0 {
			open[j] = k
			j++
			continue
		}
		i, s := pv.items[k], lo(dom[k])
		for ci, c := range pv.checks {
			if c.staff {
				base[ci] += m.staffIn(i, s, c.a, c.b)
			} else {
				base[ci] += m.moneyIn(i, s, c.a, c.b)
			}
		}
	}
	pv.open[d] = open[:j]
}

// Masks of start years: below(k) holds 0…k−1, from(k) holds k and later.
func below(k int) uint64 {
	if k <= 0 {
		return 0
	}
	if k >= 64 {
		return ^uint64(0)
	}
	return 1<<k - 1
}

func from(k int) uint64 { return ^below(k) }

func hi(b uint64) int { return 63 - bits.LeadingZeros64(b) }
func lo(b uint64) int { return bits.TrailingZeros64(b) }

// moneyIn is what item i started in s spends in years a…b−1: the
// recurring cost in every year from the start, and the one-off cost in
// the start year.
func (m *model) moneyIn(i, s, a, b int) int64 {
	switch {
	case s >= b:
		return 0
	case s < a:
		return m.rec[i] * int64(b-a)
	}
	return m.oneOff[i] + m.rec[i]*int64(b-s)
}

// staffIn is the staff effort of item i started in s in years a…b−1.
func (m *model) staffIn(i, s, a, b int) int64 {
	o := min(s+m.dur[i], b) - max(s, a)
	if o <= 0 {
		return 0
	}
	return m.fte[i] * int64(o)
}

// markTight lists the intervals of years that the set could overfill at
// all with the domains dom: where the most each item can use there,
// summed, exceeds the cap. Domains only narrow below this point, so the
// other intervals stay within their caps and energy skips them. The
// interval that failed last comes first: sets tried one after another
// are alike, and one failure ends the check.
func (pv *prover) markTight(dom []uint64) {
	m, T := pv.m, pv.m.T
	pv.checks = pv.checks[:0]
	for a := 0; a < T; a++ {
		for b := a + 1; b <= T; b++ {
			var money, staff int64
			for k, i := range pv.items {
				money += m.mostMoneyIn(i, dom[k], a, b)
				staff += m.fte[i] * int64(min(m.dur[i], b-a))
			}
			if money > pv.capPre[b]-pv.capPre[a] {
				pv.checks = append(pv.checks, interval{a, b, false})
			}
			if m.staff != nil && staff > pv.capPreFTE[b]-pv.capPreFTE[a] {
				pv.checks = append(pv.checks, interval{a, b, true})
			}
		}
	}
	pv.first = max(0, slices.Index(pv.checks, pv.lastFail))
}

// interval is the years a…b−1 of one cap: the budget, or staff.
type interval struct {
	a, b  int
	staff bool
}

// mostMoneyIn is the most that item i, with start years d, can spend in
// years a…b−1: at its earliest start within them, or at any start before
// (the recurring cost of every year), whichever is more.
func (m *model) mostMoneyIn(i int, d uint64, a, b int) int64 {
	var most int64
	if in := d & from(a) & below(b); in != 0 {
		most = m.oneOff[i] + m.rec[i]*int64(b-lo(in))
	}
	if d&below(a) != 0 {
		most = max(most, m.rec[i]*int64(b-a))
	}
	return most
}

// energy checks every interval of years a…b−1 that can be overfull
// against the budget and the staff caps: the least each item must use in
// the interval over its remaining start years, summed, must fit; and a
// start year of an item that would not fit beside the others' least use
// is removed.
func (pv *prover) energy(dom []uint64, d int) (ok, changed bool) {
	// Round and round from the first check until a whole round changes
	// nothing: a change is checked against the others at once, and the
	// last round is the only one that confirms.
	n := len(pv.checks)
	for q, quiet := 0, 0; quiet < n; q++ {
		ci := (pv.first + q) % n
		c := pv.checks[ci]
		var ch bool
		if c.staff {
			ok, ch = pv.staffEnergy(dom, d, ci)
		} else {
			ok, ch = pv.moneyEnergy(dom, d, ci)
		}
		if !ok {
			pv.lastFail, pv.first = c, ci
			return false, true
		}
		if ch {
			changed, quiet = true, 1
		} else {
			quiet++
		}
	}
	return true, changed
}

// moneyEnergy is energy's budget check of the years a…b−1.
func (pv *prover) moneyEnergy(dom []uint64, d, ci int) (ok, changed bool) {
	a, b := pv.checks[ci].a, pv.checks[ci].b
	avail := pv.capPre[b] - pv.capPre[a] - pv.base[d][ci]
	if avail < 0 {
		return false, false // the settled ones alone overfill it
	}
	before, within, after := below(a), from(a)&below(b), from(b)
	span := int64(b - a)
	var total, spread int64
	for _, k := range pv.open[d] {
		d := dom[k]
		rec := pv.rec[k]
		// The least use: 0 when some start is at b or later, else the
		// smaller of starting before a and starting as late as possible
		// within a…b−1. The most: the earliest start within a…b−1 or any
		// start before a, whichever costs more (mostMoneyIn).
		var least, most int64
		in := d & within
		if in != 0 {
			most = pv.oneOff[k] + rec*(int64(b)-int64(lo(in)))
		}
		if d&before != 0 {
			most = max(most, rec*span)
		}
		if d&after == 0 {
			least = math.MaxInt64
			if d&before != 0 {
				least = rec * span
			}
			if in != 0 {
				least = min(least, pv.oneOff[k]+rec*(int64(b)-int64(hi(in))))
			}
		}
		spread = max(spread, most-least)
		pv.minE[k] = least
		total += least
		if total > avail {
			return false, false
		}
	}
	slack := avail - total
	for _, k := range pv.open[d] {
		if spread <= slack {
			break // every start of every item fits
		}
		d := dom[k]
		if d&(d-1) == 0 {
			continue
		}
		room := slack + pv.minE[k]
		nd := d
		if pv.rec[k]*span > room {
			nd &^= before
		}
		// Starts s in a…b−1 cost oneOff + rec·(b−s): keep s when
		// b−s ≤ (room−oneOff)/rec.
		switch r := room - pv.oneOff[k]; {
		case r < 0:
			nd &^= within
		case pv.rec[k] > 0:
			if q := r / pv.rec[k]; q < span {
				nd &^= within & below(b-int(q))
			}
		}
		if nd != d {
			if nd == 0 {
				return false, true
			}
			dom[k], changed = nd, true
		}
	}
	return true, changed
}

// staffEnergy is energy's staff check of the years a…b−1. The overlap of
// an item with the interval rises and falls with its start, so its least
// is at the earliest or the latest start left.
func (pv *prover) staffEnergy(dom []uint64, d, ci int) (ok, changed bool) {
	a, b := pv.checks[ci].a, pv.checks[ci].b
	avail := pv.capPreFTE[b] - pv.capPreFTE[a] - pv.base[d][ci]
	if avail < 0 {
		return false, false // the settled ones alone overfill it
	}
	// overlap is how many of the years a…b−1 an item of duration dur
	// started in s works in.
	overlap := func(s, dur int) int64 { return int64(max(0, min(s+dur, b)-max(s, a))) }
	var total, spread int64
	for _, k := range pv.open[d] {
		d, dur, fte := dom[k], pv.dur[k], pv.fte[k]
		least := fte * min(overlap(lo(d), dur), overlap(hi(d), dur))
		spread = max(spread, fte*int64(min(dur, b-a))-least)
		pv.minE[k] = least
		total += least
		if total > avail {
			return false, false
		}
	}
	slack := avail - total
	for _, k := range pv.open[d] {
		if spread <= slack {
			break
		}
		d, dur, fte := dom[k], pv.dur[k], pv.fte[k]
		if d&(d-1) == 0 || fte == 0 {
			continue
		}
		room := slack + pv.minE[k]
		nd := d
		// Only starts in a−dur+1 … b−1 overlap the interval.
		for x := d & from(a-dur+1) & below(b); x != 0; x &= x - 1 {
			if s := lo(x); fte*overlap(s, dur) > room {
				nd &^= 1 << s
			}
		}
		if nd != d {
			if nd == 0 {
				return false, true
			}
			dom[k], changed = nd, true
		}
	}
	return true, changed
}

// footprint is the share of the caps that i uses over the horizon at
// its earliest start: money over the mean yearly budget plus staff over
// the mean yearly staff cap.
func (m *model) footprint(i int) float64 {
	s := max(0, slices.Index(m.allowed[i], true))
	var money, staff, capM, capS float64
	for y := 0; y < m.T; y++ {
		money += float64(m.cost(i, s, y))
		staff += float64(m.effort(i, s, y))
		capM += float64(m.budget[y])
		if m.staff != nil {
			capS += float64(m.staff[y])
		}
	}
	f := 0.0
	if capM > 0 {
		f += money / capM
	}
	if capS > 0 {
		f += staff / capS
	}
	return f
}

// closure returns set with everything its members depend on, directly or
// not, and every forced-in initiative added: any plan that holds set
// holds all of these.
func (m *model) closure(set []int) []int {
	in := make([]bool, len(m.val))
	var out []int
	var add func(int)
	add = func(i int) {
		if in[i] {
			return
		}
		in[i] = true
		out = append(out, i)
		for _, d := range m.deps[i] {
			add(d)
		}
	}
	for _, i := range set {
		add(i)
	}
	for i, f := range m.forced {
		if f {
			add(i)
		}
	}
	return out
}

// conflict shrinks set, which no plan can hold with what it depends on
// and the forced-in initiatives, to a smaller set with the same property:
// it drops members one at a time, smallest first, keeping a drop only
// when the prover shows within limit steps that the rest still cannot be
// scheduled; it stops trying after budget steps in all. Forced-in
// initiatives are left out of the result (every plan holds them).
func (pv *prover) conflict(set []int, limit, budget int) []int {
	m := pv.m
	c := slices.DeleteFunc(slices.Clone(set), func(i int) bool { return m.forced[i] })
	order := slices.Clone(c)
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(m.footprint(a), m.footprint(b)) })
	spent := 0
	var witness []int
	for _, i := range order {
		if len(c) <= 1 || spent >= budget || pv.stop != nil && pv.stop() {
			break
		}
		rest := slices.DeleteFunc(slices.Clone(c), func(x int) bool { return x == i })
		cl := m.closure(rest)
		if pv.fitsGreedily(cl, witness) {
			continue // i belongs to the conflict
		}
		switch pv.schedule(cl, witness, limit) {
		case impossible:
			c = rest
		case schedulable:
			// The next sets differ from this one by two members: its
			// schedule is where their search starts.
			witness = append(witness[:0], pv.start...)
		}
		spent += pv.steps
	}
	return c
}
