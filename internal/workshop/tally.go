package workshop

import (
	"math"
	"sync"

	"github.com/waymark/waymark/internal/domain"
)

// A Tally keeps the live aggregates of one workshop's answers and tension
// positions: per trend, question and participant group the distribution of
// values, the "don't know" answers, and the sums for mean and spread; per
// field of tension the positions now and wanted; and the participants'
// progress. Every Apply updates it in constant time, whatever the number of
// answers already taken, so the service can apply each answer as it is
// committed instead of recomputing from the database.
//
// The last write wins per participant, trend and question (and per
// participant and field of tension): the Tally remembers each participant's
// current value, and a changed answer moves one count from the old value to
// the new one. Apply answers in the order the store committed them. "Don't
// know" is counted apart and never as a value.
//
// A Tally is bound to the workshop's trends, questions and groups as they
// were when NewTally made it: answers for other keys are ignored. After those
// settings change, build a new Tally and Load the stored answers into it.
//
// A Tally is safe for concurrent use.
type Tally struct {
	trends    []string
	trendIdx  map[string]int
	questions []question
	qIdx      map[string]int
	groups    []string
	groupIdx  map[string]int // group key → slot (1…len(groups))
	tensions  []string
	tIdx      map[string]int

	mu           sync.Mutex
	version      uint64
	ns           int                     // slots per aggregate: 0 is everyone, 1… the groups
	dists        []dist                  // (trend·nq + question)·ns + slot
	tens         []tensionAgg            // tension·ns + slot
	complete     []int                   // trend·ns + slot: participants who answered every question
	active       []int                   // slot: participants who answered anything
	participants map[string]*participant // by participant id
}

type question struct {
	key      string
	min, max int
	span     int // number of values, at most maxSpan
}

// Cell states of a participant's answer: a value is stored as value−Min.
const (
	cellNone     uint8 = 255 // not answered
	cellDontKnow uint8 = 254
	maxSpan            = 254 // values per question a Tally can hold (a valid workshop has at most 11)
)

// noTension marks a field of tension a participant has not placed.
const noTension = math.MinInt16

type dist struct {
	counts []int64 // per value, index 0 = Min
	n      int64   // answers with a value
	dk     int64   // "don't know"
	sum    int64
	sumSq  int64
}

func (d *dist) add(c uint8, min int, sign int64) {
	switch c {
	case cellNone:
	case cellDontKnow:
		d.dk += sign
	default:
		v := int64(int(c) + min)
		d.counts[c] += sign
		d.n += sign
		d.sum += sign * v
		d.sumSq += sign * v * v
	}
}

type tensionAgg struct {
	n                   int64
	sumNow, sumWant     int64
	sumSqNow, sumSqWant int64
	now, want           [TensionBins]int64
}

func (g *tensionAgg) add(now, want int, sign int64) {
	g.n += sign
	g.sumNow += sign * int64(now)
	g.sumWant += sign * int64(want)
	g.sumSqNow += sign * int64(now*now)
	g.sumSqWant += sign * int64(want*want)
	g.now[TensionBin(now)] += sign
	g.want[TensionBin(want)] += sign
}

// participant is what the Tally remembers of one participant.
type participant struct {
	slot     int     // group slot, or 0 for a group the workshop does not have
	inSlots  []int   // the slots p counts in: 0 (everyone), and slot if not 0
	cells    []uint8 // trend·nq + question
	answered []int   // per trend: questions answered
	now      []int16 // per field of tension, or noTension
	want     []int16
	given    int // cells answered plus tensions placed
}

// NewTally returns an empty Tally for the workshop's trends, questions,
// groups and fields of tension.
func NewTally(w *domain.Workshop) *Tally {
	t := &Tally{
		trendIdx:     make(map[string]int, len(w.TrendKeys)),
		qIdx:         make(map[string]int, len(w.Questions)),
		groupIdx:     make(map[string]int, len(w.Groups)),
		tIdx:         make(map[string]int, len(w.Tensions)),
		participants: make(map[string]*participant),
	}
	for _, k := range w.TrendKeys {
		if _, dup := t.trendIdx[k]; !dup {
			t.trendIdx[k] = len(t.trends)
			t.trends = append(t.trends, k)
		}
	}
	for _, q := range w.Questions {
		if _, dup := t.qIdx[q.Key]; dup {
			continue
		}
		span := max(0, min(q.Max-q.Min+1, maxSpan))
		t.qIdx[q.Key] = len(t.questions)
		t.questions = append(t.questions, question{key: q.Key, min: q.Min, max: q.Min + span - 1, span: span})
	}
	for _, g := range w.Groups {
		if _, dup := t.groupIdx[g.Key]; !dup && g.Key != "" {
			t.groups = append(t.groups, g.Key)
			t.groupIdx[g.Key] = len(t.groups)
		}
	}
	for _, k := range w.Tensions {
		if _, dup := t.tIdx[k]; !dup {
			t.tIdx[k] = len(t.tensions)
			t.tensions = append(t.tensions, k)
		}
	}
	t.ns = len(t.groups) + 1
	nq := len(t.questions)
	t.dists = make([]dist, len(t.trends)*nq*t.ns)
	for c := range len(t.trends) * nq {
		q := t.questions[c%nq]
		counts := make([]int64, q.span*t.ns) // one allocation per cell
		for s := range t.ns {
			t.dists[c*t.ns+s].counts = counts[s*q.span : (s+1)*q.span : (s+1)*q.span]
		}
	}
	t.tens = make([]tensionAgg, len(t.tensions)*t.ns)
	t.complete = make([]int, len(t.trends)*t.ns)
	t.active = make([]int, t.ns)
	return t
}

// Version returns a number that increases with every change of the Tally.
// A publisher compares it with the last version it sent to send at most one
// update per interval, and none when nothing changed.
func (t *Tally) Version() uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.version
}

// Apply records a participant's answer, in place of any earlier answer of
// the same participant to the same trend and question. group is the
// participant's group key; a group the workshop does not have counts in the
// totals only. It reports whether anything changed: an answer that is the
// participant's current one changes nothing, and an answer for an unknown
// trend or question, or with a value off the question's scale, is ignored
// (the service validates answers before they are stored).
//
// A participant belongs to one group; should an Apply name another group than
// before, the participant's earlier answers move to it, at a cost in
// proportion to their number. Every other Apply takes constant time.
func (t *Tally) Apply(a domain.Answer, group string) bool {
	ti, ok := t.trendIdx[a.TrendKey]
	if !ok {
		return false
	}
	qi, ok := t.qIdx[a.QuestionKey]
	if !ok {
		return false
	}
	q := t.questions[qi]
	nc := cellDontKnow
	if a.Value != nil {
		v := *a.Value
		if v < q.min || v > q.max {
			return false
		}
		nc = uint8(v - q.min)
	}
	slot := t.groupIdx[group]

	t.mu.Lock()
	defer t.mu.Unlock()
	p, changed := t.participant(a.ParticipantID, slot)
	c := ti*len(t.questions) + qi
	old := p.cells[c]
	if old == nc {
		if changed {
			t.version++
		}
		return changed
	}
	for _, s := range p.slots() {
		d := &t.dists[c*t.ns+s]
		d.add(old, q.min, -1)
		d.add(nc, q.min, +1)
	}
	p.cells[c] = nc
	if old == cellNone {
		p.answered[ti]++
		if p.answered[ti] == len(t.questions) {
			t.count(t.complete[ti*t.ns:], p, +1)
		}
		t.gave(p)
	}
	t.version++
	return true
}

// ApplyTension records a participant's position on a field of tension, in
// place of any earlier one. It reports whether anything changed; a position
// for an unknown field of tension or outside TensionMin…TensionMax is
// ignored. Groups are treated as in Apply.
func (t *Tally) ApplyTension(pos domain.TensionPosition, group string) bool {
	ti, ok := t.tIdx[pos.TensionKey]
	if !ok || !inTensionRange(pos.Now) || !inTensionRange(pos.Want) {
		return false
	}
	slot := t.groupIdx[group]

	t.mu.Lock()
	defer t.mu.Unlock()
	p, changed := t.participant(pos.ParticipantID, slot)
	oldNow, oldWant := p.now[ti], p.want[ti]
	if oldNow == int16(pos.Now) && oldWant == int16(pos.Want) {
		if changed {
			t.version++
		}
		return changed
	}
	for _, s := range p.slots() {
		g := &t.tens[ti*t.ns+s]
		if oldNow != noTension {
			g.add(int(oldNow), int(oldWant), -1)
		}
		g.add(pos.Now, pos.Want, +1)
	}
	p.now[ti], p.want[ti] = int16(pos.Now), int16(pos.Want)
	if oldNow == noTension {
		t.gave(p)
	}
	t.version++
	return true
}

// RemoveParticipant takes every answer and position of a participant out of
// the Tally, as when a participant's data is erased. It reports whether the
// participant had given anything. Its cost is in proportion to the
// participant's answers.
func (t *Tally) RemoveParticipant(id string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	p, ok := t.participants[id]
	if !ok {
		return false
	}
	t.contribute(p, -1)
	delete(t.participants, id)
	t.version++
	return true
}

// Load applies stored answers and tension positions, as when a Tally is
// rebuilt after a restart or a change of the workshop's settings. groupOf
// returns a participant's group key.
func (t *Tally) Load(answers []domain.Answer, tensions []domain.TensionPosition, groupOf func(participantID string) string) {
	for _, a := range answers {
		t.Apply(a, groupOf(a.ParticipantID))
	}
	for _, p := range tensions {
		t.ApplyTension(p, groupOf(p.ParticipantID))
	}
}

func inTensionRange(v int) bool { return v >= domain.TensionMin && v <= domain.TensionMax }

// participant returns the participant's state, made on first sight, and
// moves the participant to the group slot when it differs. It reports
// whether the group changed. t.mu is held.
func (t *Tally) participant(id string, slot int) (*participant, bool) {
	p := t.participants[id]
	if p == nil {
		p = &participant{
			cells:    make([]uint8, len(t.trends)*len(t.questions)),
			answered: make([]int, len(t.trends)),
			now:      make([]int16, len(t.tensions)),
			want:     make([]int16, len(t.tensions)),
		}
		p.setSlot(slot)
		for i := range p.cells {
			p.cells[i] = cellNone
		}
		for i := range p.now {
			p.now[i], p.want[i] = noTension, noTension
		}
		t.participants[id] = p
		return p, false
	}
	if p.slot == slot {
		return p, false
	}
	// Move the participant's contributions out of the old group and into
	// the new one; the totals (slot 0) stay as they are.
	if p.slot != 0 {
		t.contributeSlot(p, p.slot, -1)
	}
	p.setSlot(slot)
	if slot != 0 {
		t.contributeSlot(p, slot, +1)
	}
	return p, true
}

// contribute adds (sign +1) or removes (−1) everything of p in its slots.
func (t *Tally) contribute(p *participant, sign int64) {
	for _, s := range p.slots() {
		t.contributeSlot(p, s, sign)
	}
}

// contributeSlot adds or removes everything of p in one slot.
func (t *Tally) contributeSlot(p *participant, s int, sign int64) {
	nq := len(t.questions)
	for c, v := range p.cells {
		if v != cellNone {
			t.dists[c*t.ns+s].add(v, t.questions[c%nq].min, sign)
		}
	}
	for ti, n := range p.answered {
		if n == nq && nq > 0 {
			t.complete[ti*t.ns+s] += int(sign)
		}
	}
	for ti, now := range p.now {
		if now != noTension {
			t.tens[ti*t.ns+s].add(int(now), int(p.want[ti]), sign)
		}
	}
	if p.given > 0 {
		t.active[s] += int(sign)
	}
}

// gave counts one more thing given by p.
func (t *Tally) gave(p *participant) {
	if p.given++; p.given == 1 {
		t.count(t.active, p, +1)
	}
}

// count adds sign to counters[s] for each of p's slots.
func (t *Tally) count(counters []int, p *participant, sign int) {
	for _, s := range p.slots() {
		counters[s] += sign
	}
}

// slots returns the aggregate slots p counts in: everyone, and its group.
func (p *participant) slots() []int { return p.inSlots }

// setSlot puts p in a group slot.
func (p *participant) setSlot(slot int) {
	p.slot = slot
	p.inSlots = []int{0}
	if slot != 0 {
		p.inSlots = append(p.inSlots, slot)
	}
}

// slot returns the aggregate slot of a group key: 0 for "" (everyone), or
// −1 for a group the workshop does not have.
func (t *Tally) slot(group string) int {
	if group == "" {
		return 0
	}
	if s, ok := t.groupIdx[group]; ok {
		return s
	}
	return -1
}
