package workshop

import (
	"fmt"
	"reflect"
	"testing"

	"pgregory.net/rapid"

	"github.com/waymark/waymark/internal/domain"
)

// propWorkshop is small, so that random sequences hit the same cells often:
// three trends, three questions with different scales, two groups, two
// fields of tension.
func propWorkshop() *domain.Workshop {
	q := domain.DefaultQuestions()
	return &domain.Workshop{
		ID:        "w1",
		TrendKeys: []string{"a", "b", "c"},
		Questions: []domain.Question{q[0], q[1], q[2]}, // 1…5, −2…2, 0…3
		Groups:    []domain.Group{{Key: "g1"}, {Key: "g2"}},
		Tensions:  []string{"t1", "t2"},
	}
}

var propParticipants = []string{"p0", "p1", "p2", "p3", "p4", "p5"}

// op is one thing done to a Tally.
type op struct {
	kind  int // 0 answer, 1 tension position, 2 remove participant
	a     domain.Answer
	pos   domain.TensionPosition
	group string
}

func (o op) String() string {
	switch o.kind {
	case 0:
		v := "dk"
		if o.a.Value != nil {
			v = fmt.Sprint(*o.a.Value)
		}
		return fmt.Sprintf("answer %s %s/%s=%s [%s]", o.a.ParticipantID, o.a.TrendKey, o.a.QuestionKey, v, o.group)
	case 1:
		return fmt.Sprintf("tension %s %s=%d→%d [%s]", o.pos.ParticipantID, o.pos.TensionKey, o.pos.Now, o.pos.Want, o.group)
	}
	return "remove " + o.a.ParticipantID
}

func (o op) participant() string {
	if o.kind == 1 {
		return o.pos.ParticipantID
	}
	return o.a.ParticipantID
}

// cell names what an op writes: the last write to a cell wins.
func (o op) cell() string {
	if o.kind == 1 {
		return o.pos.ParticipantID + "/tension/" + o.pos.TensionKey
	}
	return o.a.ParticipantID + "/" + o.a.TrendKey + "/" + o.a.QuestionKey
}

func (o op) apply(t *Tally) bool {
	switch o.kind {
	case 0:
		return t.Apply(o.a, o.group)
	case 1:
		return t.ApplyTension(o.pos, o.group)
	}
	return t.RemoveParticipant(o.a.ParticipantID)
}

// opGen draws ops. homeGroup fixes each participant's group; with
// switchGroups a few ops name another group (or an unknown one), and with
// invalid a few are off the scale or for unknown keys; removals come with
// removes.
func opGen(w *domain.Workshop, homeGroup map[string]string, switchGroups, invalid, removes bool) *rapid.Generator[op] {
	return rapid.Custom(func(t *rapid.T) op {
		p := rapid.SampledFrom(propParticipants).Draw(t, "participant")
		g := homeGroup[p]
		if switchGroups && rapid.IntRange(0, 9).Draw(t, "switch") == 0 {
			g = rapid.SampledFrom([]string{"g1", "g2", "", "elsewhere"}).Draw(t, "group")
		}
		kinds := 1
		if removes {
			kinds = 2
		}
		kind := rapid.IntRange(0, 9).Draw(t, "kind")
		switch {
		case kind < 7:
			kind = 0
		case kind < 9 || kinds == 1:
			kind = 1
		default:
			kind = 2
		}
		o := op{kind: kind, group: g}
		switch kind {
		case 0, 2:
			q := rapid.SampledFrom(w.Questions).Draw(t, "question")
			o.a = domain.Answer{WorkshopID: w.ID, ParticipantID: p, TrendKey: rapid.SampledFrom(w.TrendKeys).Draw(t, "trend"), QuestionKey: q.Key}
			lo, hi := q.Min, q.Max
			if invalid {
				lo, hi = lo-1, hi+1
				if rapid.IntRange(0, 19).Draw(t, "unknown") == 0 {
					o.a.TrendKey = "zz"
				}
			}
			if !rapid.Bool().Draw(t, "dontKnow") || rapid.Bool().Draw(t, "dontKnow2") {
				o.a.Value = iv(rapid.IntRange(lo, hi).Draw(t, "value"))
			}
		case 1:
			lo, hi := domain.TensionMin, domain.TensionMax
			if invalid {
				lo, hi = lo-5, hi+5
			}
			o.pos = domain.TensionPosition{WorkshopID: w.ID, ParticipantID: p, TensionKey: rapid.SampledFrom(w.Tensions).Draw(t, "tension"),
				Now: rapid.IntRange(lo, hi).Draw(t, "now"), Want: rapid.IntRange(lo, hi).Draw(t, "want")}
		}
		return o
	})
}

func homeGroups(t *rapid.T) map[string]string {
	m := map[string]string{}
	for _, p := range propParticipants {
		m[p] = rapid.SampledFrom([]string{"g1", "g2", "", "elsewhere"}).Draw(t, "home "+p)
	}
	return m
}

// model is the obvious, slow bookkeeping of what a Tally should hold.
type model struct {
	w       *domain.Workshop
	group   map[string]string // participant → group
	answers map[string]domain.Answer
	tension map[string]domain.TensionPosition
}

func newModel(w *domain.Workshop) *model {
	return &model{w: w, group: map[string]string{}, answers: map[string]domain.Answer{}, tension: map[string]domain.TensionPosition{}}
}

func (m *model) apply(o op) {
	switch o.kind {
	case 0:
		if len(m.w.ValidateAnswer(o.a, "")) > 0 {
			return
		}
		m.answers[o.cell()] = o.a
	case 1:
		if !m.w.HasTension(o.pos.TensionKey) || !inTensionRange(o.pos.Now) || !inTensionRange(o.pos.Want) {
			return
		}
		m.tension[o.cell()] = o.pos
	case 2:
		p := o.a.ParticipantID
		for k, a := range m.answers {
			if a.ParticipantID == p {
				delete(m.answers, k)
			}
		}
		for k, pos := range m.tension {
			if pos.ParticipantID == p {
				delete(m.tension, k)
			}
		}
		delete(m.group, p)
		return
	}
	m.group[o.participant()] = o.group
}

// results computes from scratch what Tally.Results(group) should return,
// version aside.
func (m *model) results(group string) Results {
	in := func(p string) bool {
		if group == "" {
			return true
		}
		return m.group[p] == group && m.w.HasGroup(group)
	}
	r := Results{Group: group, Progress: Progress{Groups: map[string]int{}, Completed: map[string]int{}, CompletedByGroup: map[string]map[string]int{}}}
	active := map[string]bool{}
	for _, a := range m.answers {
		active[a.ParticipantID] = true
	}
	for _, p := range m.tension {
		active[p.ParticipantID] = true
	}
	r.Progress.Participants = len(active)
	for _, g := range m.w.Groups {
		r.Progress.Groups[g.Key] = 0
		for p := range active {
			if m.group[p] == g.Key {
				r.Progress.Groups[g.Key]++
			}
		}
	}
	for _, tk := range m.w.TrendKeys {
		tr := TrendResults{Key: tk}
		for _, q := range m.w.Questions {
			d := Distribution{Min: q.Min, Max: q.Max, Counts: make([]int64, q.Max-q.Min+1)}
			if group == "" || m.w.HasGroup(group) {
				for _, a := range m.answers {
					if a.TrendKey != tk || a.QuestionKey != q.Key || !in(a.ParticipantID) {
						continue
					}
					if a.Value == nil {
						d.DontKnow++
						continue
					}
					v := int64(*a.Value)
					d.Count++
					d.Counts[*a.Value-q.Min]++
					d.Sum += v
					d.SumSq += v * v
				}
			}
			tr.Questions = append(tr.Questions, QuestionResults{Key: q.Key, Distribution: d})
		}
		r.Trends = append(r.Trends, tr)
		complete, by := 0, map[string]int{}
		for _, g := range m.w.Groups {
			by[g.Key] = 0
		}
		for p := range active {
			n := 0
			for _, q := range m.w.Questions {
				if _, ok := m.answers[p+"/"+tk+"/"+q.Key]; ok {
					n++
				}
			}
			if n == len(m.w.Questions) {
				complete++
				if _, ok := by[m.group[p]]; ok {
					by[m.group[p]]++
				}
			}
		}
		r.Progress.Completed[tk] = complete
		r.Progress.CompletedByGroup[tk] = by
	}
	for _, tk := range m.w.Tensions {
		tr := TensionSummary{Key: tk}
		for _, p := range m.tension {
			if p.TensionKey != tk || !in(p.ParticipantID) {
				continue
			}
			s := &tr
			s.Count++
			s.SumNow += int64(p.Now)
			s.SumWant += int64(p.Want)
			s.SumSqNow += int64(p.Now * p.Now)
			s.SumSqWant += int64(p.Want * p.Want)
			s.Now[TensionBin(p.Now)]++
			s.Want[TensionBin(p.Want)]++
		}
		r.Tensions = append(r.Tensions, tr)
	}
	return r
}

var propGroups = []string{"", "g1", "g2", "elsewhere"}

func checkModel(t *rapid.T, tl *Tally, m *model, after string) {
	for _, g := range propGroups {
		got, want := tl.Results(g), m.results(g)
		got.Version = 0
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("after %s, group %q:\n got %+v\nwant %+v", after, g, got, want)
		}
	}
}

// Ensures that after every step of any sequence of answers, positions,
// group changes, removals and invalid input, the Tally holds exactly what a
// from-scratch count of the participants' current answers gives, for
// everyone and each group.
func TestPropertyMatchesModel(t *testing.T) {
	w := propWorkshop()
	rapid.Check(t, func(rt *rapid.T) {
		ops := rapid.SliceOfN(opGen(w, homeGroups(rt), true, true, true), 1, 60).Draw(rt, "ops")
		tl, m := NewTally(w), newModel(w)
		for _, o := range ops {
			before := tl.Version()
			changed := o.apply(tl)
			m.apply(o)
			if changed != (tl.Version() == before+1) || (!changed && tl.Version() != before) {
				rt.Fatalf("%v: changed %v but version %d → %d", o, changed, before, tl.Version())
			}
			checkModel(rt, tl, m, o.String())
		}
	})
}

// Ensures no count, sum of "don't know" or progress figure is ever
// negative, and that each distribution's Count is the sum of its Counts,
// whatever the sequence.
func TestPropertyCountsNeverNegative(t *testing.T) {
	w := propWorkshop()
	rapid.Check(t, func(rt *rapid.T) {
		ops := rapid.SliceOfN(opGen(w, homeGroups(rt), true, true, true), 1, 80).Draw(rt, "ops")
		tl := NewTally(w)
		for _, o := range ops {
			o.apply(tl)
			for _, g := range propGroups {
				r := tl.Results(g)
				for _, tr := range r.Trends {
					for _, qr := range tr.Questions {
						q := qr.Distribution
						var sum int64
						for _, c := range q.Counts {
							if c < 0 {
								rt.Fatalf("after %v: negative count in %+v", o, q)
							}
							sum += c
						}
						if q.DontKnow < 0 || q.Count != sum || q.SumSq < 0 {
							rt.Fatalf("after %v: inconsistent %+v", o, q)
						}
					}
				}
				for _, ts := range r.Tensions {
					if ts.Count < 0 || ts.SumSqNow < 0 || ts.SumSqWant < 0 {
						rt.Fatalf("after %v: tension %+v", o, ts)
					}
				}
				if r.Progress.Participants < 0 {
					rt.Fatalf("after %v: progress %+v", o, r.Progress)
				}
				for _, n := range r.Progress.Groups {
					if n < 0 {
						rt.Fatalf("after %v: progress %+v", o, r.Progress)
					}
				}
				for k, n := range r.Progress.Completed {
					if n < 0 || n > r.Progress.Participants {
						rt.Fatalf("after %v: trend %s completed by %d", o, k, n)
					}
					for g, m := range r.Progress.CompletedByGroup[k] {
						if m < 0 || m > r.Progress.Groups[g] {
							rt.Fatalf("after %v: trend %s completed by %d of group %s", o, k, m, g)
						}
					}
				}
			}
		}
	})
}

// Ensures the order of answers does not matter for the final state when
// each participant's last answer to each cell is the same: two random
// interleavings of the same answers that keep the same last write per cell
// give equal results.
func TestPropertyOrderIndependent(t *testing.T) {
	w := propWorkshop()
	rapid.Check(t, func(rt *rapid.T) {
		ops := rapid.SliceOfN(opGen(w, homeGroups(rt), false, false, false), 1, 60).Draw(rt, "ops")
		// A random permutation, then within each cell's positions put that
		// cell's ops back so that its original last op is last again.
		perm := rapid.Permutation(ops).Draw(rt, "perm")
		last := map[string]op{}
		for _, o := range ops {
			last[o.cell()] = o
		}
		positions := map[string][]int{}
		for i, o := range perm {
			positions[o.cell()] = append(positions[o.cell()], i)
		}
		for c, pos := range positions {
			j := pos[len(pos)-1]
			for _, i := range pos {
				if perm[i].String() == last[c].String() {
					perm[i], perm[j] = perm[j], perm[i]
					break
				}
			}
		}
		a, b := NewTally(w), NewTally(w)
		for _, o := range ops {
			o.apply(a)
		}
		for _, o := range perm {
			o.apply(b)
		}
		equalResults(rt, a, b)
	})
}

// Ensures applying the same answer or position twice in a row changes
// nothing the second time: Apply reports false, the version stays and the
// results are equal.
func TestPropertyIdempotent(t *testing.T) {
	w := propWorkshop()
	rapid.Check(t, func(rt *rapid.T) {
		home := homeGroups(rt)
		ops := rapid.SliceOfN(opGen(w, home, true, true, true), 0, 40).Draw(rt, "ops")
		again := rapid.SliceOfN(opGen(w, home, true, true, false), 1, 10).Draw(rt, "again")
		tl := NewTally(w)
		for _, o := range ops {
			o.apply(tl)
		}
		for _, o := range again {
			o.apply(tl)
			before, v := tl.Results(""), tl.Version()
			if o.apply(tl) {
				rt.Fatalf("%v applied twice changed the tally the second time", o)
			}
			if after := tl.Results(""); tl.Version() != v || !reflect.DeepEqual(before, after) {
				rt.Fatalf("%v applied twice: version %d → %d", o, v, tl.Version())
			}
		}
	})
}

// Ensures the Tally after any sequence (group changes and removals
// included) equals a Tally rebuilt with Load from only the final answers
// and positions, in any order.
func TestPropertyRebuild(t *testing.T) {
	w := propWorkshop()
	rapid.Check(t, func(rt *rapid.T) {
		ops := rapid.SliceOfN(opGen(w, homeGroups(rt), true, true, true), 0, 80).Draw(rt, "ops")
		tl, m := NewTally(w), newModel(w)
		for _, o := range ops {
			o.apply(tl)
			m.apply(o)
		}
		var answers []domain.Answer
		for _, a := range m.answers {
			answers = append(answers, a)
		}
		var positions []domain.TensionPosition
		for _, p := range m.tension {
			positions = append(positions, p)
		}
		answers = rapid.Permutation(answers).Draw(rt, "answers")
		positions = rapid.Permutation(positions).Draw(rt, "positions")
		rebuilt := NewTally(w)
		rebuilt.Load(answers, positions, func(p string) string { return m.group[p] })
		equalResults(rt, tl, rebuilt)
	})
}

// Ensures "don't know" never changes Sum, SumSq, Count or Counts: a don't
// know given where there was no value leaves them as they were and adds
// one to DontKnow; replacing a value by don't know only takes that value out.
func TestPropertyDontKnowNeverChangesSum(t *testing.T) {
	w := propWorkshop()
	rapid.Check(t, func(rt *rapid.T) {
		home := homeGroups(rt)
		ops := rapid.SliceOfN(opGen(w, home, false, false, false), 0, 60).Draw(rt, "ops")
		tl, m := NewTally(w), newModel(w)
		for _, o := range ops {
			o.apply(tl)
			m.apply(o)
		}
		p := rapid.SampledFrom(propParticipants).Draw(rt, "participant")
		trend := rapid.SampledFrom(w.TrendKeys).Draw(rt, "trend")
		q := rapid.SampledFrom(w.Questions).Draw(rt, "question")
		before := tl.Snapshot(trend, q.Key, "")
		old, had := m.answers[p+"/"+trend+"/"+q.Key]
		tl.Apply(domain.Answer{ParticipantID: p, TrendKey: trend, QuestionKey: q.Key}, home[p])
		after := tl.Snapshot(trend, q.Key, "")
		var v int64
		if had && old.Value != nil {
			v = int64(*old.Value)
			before.Count--
			before.Counts[v-int64(q.Min)]--
		}
		if after.Sum != before.Sum-v || after.SumSq != before.SumSq-v*v || after.Count != before.Count ||
			!reflect.DeepEqual(after.Counts, before.Counts) {
			rt.Fatalf("don't know changed the values: before %+v after %+v", before, after)
		}
		wantDK := before.DontKnow
		if !had || old.Value != nil {
			wantDK++
		}
		if after.DontKnow != wantDK {
			rt.Fatalf("don't know count %d, want %d", after.DontKnow, wantDK)
		}
	})
}
