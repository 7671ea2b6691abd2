package portfolio

import (
	"cmp"
	"slices"
)

// sched is a plan under construction with exact integer usage per year. It
// is how heuristics build plans, and the search's own exact test of a plan
// before it becomes the incumbent (Check is the independent one, run on
// the final plan).
type sched struct {
	m      *model
	start  []int // −1: not in the plan
	spend  []int64
	effort []int64
	inGrp  []int // members of each group in the plan
	value  float64
	count  int
}

func newSched(m *model) *sched {
	st := &sched{m: m, start: make([]int, len(m.val)), spend: make([]int64, m.T),
		effort: make([]int64, m.T), inGrp: make([]int, len(m.groups))}
	for i := range st.start {
		st.start[i] = -1
	}
	return st
}

func (st *sched) reset() {
	for i := range st.start {
		st.start[i] = -1
	}
	clear(st.spend)
	clear(st.effort)
	clear(st.inGrp)
	st.value, st.count = 0, 0
}

func (st *sched) copyFrom(o *sched) {
	copy(st.start, o.start)
	copy(st.spend, o.spend)
	copy(st.effort, o.effort)
	copy(st.inGrp, o.inGrp)
	st.value, st.count = o.value, o.count
}

// fits reports whether i (not in the plan) can start in s: allowed start,
// caps in every year, what it depends on is in the plan and finished,
// what depends on it (if in the plan) starts after it finishes, and no
// other member of its groups is in.
func (st *sched) fits(i, s int) bool {
	m := st.m
	if m.out[i] || !m.allowed[i][s] {
		return false
	}
	for _, g := range m.groupOf[i] {
		if st.inGrp[g] > 0 {
			return false
		}
	}
	for _, d := range m.deps[i] {
		if st.start[d] < 0 || st.start[d]+m.dur[d] > s {
			return false
		}
	}
	for _, b := range m.succ[i] {
		if st.start[b] >= 0 && s+m.dur[i] > st.start[b] {
			return false
		}
	}
	for y := s; y < m.T; y++ {
		if st.spend[y]+m.cost(i, s, y) > m.budget[y] {
			return false
		}
		if m.staff != nil && st.effort[y]+m.effort(i, s, y) > m.staff[y] {
			return false
		}
	}
	return true
}

func (st *sched) place(i, s int) {
	m := st.m
	st.start[i] = s
	for y := s; y < m.T; y++ {
		st.spend[y] += m.cost(i, s, y)
		st.effort[y] += m.effort(i, s, y)
	}
	for _, g := range m.groupOf[i] {
		st.inGrp[g]++
	}
	st.value += m.val[i]
	st.count++
}

func (st *sched) remove(i int) {
	m := st.m
	s := st.start[i]
	for y := s; y < m.T; y++ {
		st.spend[y] -= m.cost(i, s, y)
		st.effort[y] -= m.effort(i, s, y)
	}
	for _, g := range m.groupOf[i] {
		st.inGrp[g]--
	}
	st.start[i] = -1
	st.value -= m.val[i]
	st.count--
}

// complete reports whether every forced-in initiative is in the plan.
func (st *sched) complete() bool {
	for i, f := range st.m.forced {
		if f && st.start[i] < 0 {
			return false
		}
	}
	return true
}

// tryPlace places i at its preferred start if that fits, else at the
// earliest start that fits.
func (st *sched) tryPlace(i, pref int) bool {
	if pref >= 0 && st.fits(i, pref) {
		st.place(i, pref)
		return true
	}
	for s := 0; s < st.m.T; s++ {
		if st.fits(i, s) {
			st.place(i, s)
			return true
		}
	}
	return false
}

// greedy fills st (reset first) with the forced-in initiatives and then
// the others in order, each at its preferred start (pref[i], or −1) or the
// earliest that fits, in passes until nothing more fits. It reports
// whether every forced-in initiative found a place.
func (st *sched) greedy(order []int, pref []int) bool {
	st.reset()
	m := st.m
	p := func(i int) int {
		if pref == nil {
			return -1
		}
		return pref[i]
	}
	// Forced-in first; what they depend on is forced in too, so passes in
	// order settle them.
	for changed := true; changed; {
		changed = false
		for _, i := range order {
			if m.forced[i] && st.start[i] < 0 && st.tryPlace(i, p(i)) {
				changed = true
			}
		}
	}
	if !st.complete() {
		return false
	}
	for changed := true; changed; {
		changed = false
		for _, i := range order {
			if st.start[i] < 0 && !m.out[i] && st.tryPlace(i, p(i)) {
				changed = true
			}
		}
	}
	return true
}

// topological orders set so that what an initiative depends on comes
// first; ties keep the order of set.
func (m *model) topological(set []int) []int {
	in := map[int]bool{}
	for _, i := range set {
		in[i] = true
	}
	done := map[int]bool{}
	var out []int
	var visit func(int)
	visit = func(i int) {
		if done[i] {
			return
		}
		done[i] = true
		for _, d := range m.deps[i] {
			if in[d] {
				visit(d)
			}
		}
		out = append(out, i)
	}
	for _, i := range set {
		visit(i)
	}
	return out
}

// shiftEarly moves initiatives of the plan to earlier starts while the plan
// stays feasible, earliest-starting first, until nothing moves. The value
// does not change; the plan delivers sooner.
func (st *sched) shiftEarly() {
	for moved := true; moved; {
		moved = false
		var in []int
		for i, s := range st.start {
			if s >= 0 {
				in = append(in, i)
			}
		}
		slices.SortStableFunc(in, func(a, b int) int { return cmp.Compare(st.start[a], st.start[b]) })
		for _, i := range in {
			s := st.start[i]
			st.remove(i)
			placed := false
			for t := 0; t < s; t++ {
				if st.fits(i, t) {
					st.place(i, t)
					placed, moved = true, true
					break
				}
			}
			if !placed {
				st.place(i, s)
			}
		}
	}
}

// improve tries, for each initiative outside the plan, to take it in by
// dropping a set of lower total value that blocks it: one pass of a simple
// exchange. It keeps any change that raises the value.
func (st *sched) improve(order []int, scratch *sched) {
	m := st.m
	for _, i := range order {
		if st.start[i] >= 0 || m.out[i] {
			continue
		}
		// Drop, cheapest value first, initiatives sharing years with i until
		// i fits somewhere, then refill greedily; keep it if better.
		scratch.copyFrom(st)
		var cand []int
		for j, s := range scratch.start {
			if s >= 0 && !m.forced[j] && m.val[j] < m.val[i] {
				cand = append(cand, j)
			}
		}
		slices.SortStableFunc(cand, func(a, b int) int { return cmp.Compare(m.val[a], m.val[b]) })
		ok := false
		for _, j := range cand {
			if scratch.start[j] < 0 || scratch.hasDependentIn(j) {
				continue
			}
			scratch.remove(j)
			if scratch.tryPlace(i, -1) {
				ok = true
				break
			}
		}
		if !ok {
			continue
		}
		for changed := true; changed; {
			changed = false
			for _, k := range order {
				if scratch.start[k] < 0 && !m.out[k] && scratch.tryPlace(k, -1) {
					changed = true
				}
			}
		}
		if scratch.value > st.value+1e-9 {
			st.copyFrom(scratch)
		}
	}
}

func (st *sched) hasDependentIn(j int) bool {
	for _, b := range st.m.succ[j] {
		if st.start[b] >= 0 {
			return true
		}
	}
	return false
}
