package workshop

import (
	"encoding/json"
	"math"
	"slices"
)

// Distribution is the tally of one trend and question, for everyone or one
// participant group, at one moment. It is a copy: it does not change when
// the Tally does. Its JSON adds the mean, standard deviation and median,
// null when there are no values.
type Distribution struct {
	Min      int     `json:"min"`       // the bottom of the question's scale
	Max      int     `json:"max"`       // the top of the question's scale
	Count    int64   `json:"count"`     // answers with a value
	DontKnow int64   `json:"dont_know"` // "don't know" answers, which are not values
	Counts   []int64 `json:"counts"`    // answers per value: Counts[i] for the value Min+i
	Sum      int64   `json:"sum"`       // sum of the values
	SumSq    int64   `json:"sum_sq"`    // sum of the squared values
}

// MarshalJSON writes the fields and the derived mean, sd and median.
func (d Distribution) MarshalJSON() ([]byte, error) {
	type plain Distribution
	return json.Marshal(struct {
		plain
		Mean   *float64 `json:"mean"`
		StdDev *float64 `json:"sd"`
		Median *float64 `json:"median"`
	}{plain(d), number(d.Mean()), number(d.StdDev()), number(d.Median())})
}

// number returns nil for NaN, which JSON cannot carry, and &f otherwise.
func number(f float64) *float64 {
	if math.IsNaN(f) {
		return nil
	}
	return &f
}

// Total returns the number of answers: values and "don't know".
func (d Distribution) Total() int64 { return d.Count + d.DontKnow }

// Mean returns the mean of the values, or NaN when there are none. "Don't
// know" answers are not counted.
func (d Distribution) Mean() float64 {
	if d.Count == 0 {
		return math.NaN()
	}
	return float64(d.Sum) / float64(d.Count)
}

// Variance returns the population variance of the values, Σ(v−mean)²/n,
// or NaN when there are none. It is computed exactly in integers as
// (n·Σv² − (Σv)²)/n², so it does not suffer from cancellation.
func (d Distribution) Variance() float64 {
	if d.Count == 0 {
		return math.NaN()
	}
	n := d.Count
	return float64(n*d.SumSq-d.Sum*d.Sum) / float64(n*n)
}

// StdDev returns the population standard deviation of the values (the
// spread of the answers given, not an estimate for a larger population), or
// NaN when there are none.
func (d Distribution) StdDev() float64 { return math.Sqrt(d.Variance()) }

// Median returns the median value, or NaN when there are none. With an even
// number of values it is the mean of the two middle ones, so it can fall
// half-way between two values of the scale.
func (d Distribution) Median() float64 {
	if d.Count == 0 {
		return math.NaN()
	}
	lo, hi := d.kth((d.Count-1)/2), d.kth(d.Count/2)
	return float64(lo+hi) / 2
}

// kth returns the k-th smallest value, counting from 0.
func (d Distribution) kth(k int64) int {
	for i, c := range d.Counts {
		if k < c {
			return d.Min + i
		}
		k -= c
	}
	return d.Max
}

// Share returns the share (0…1) of the answers with a value that gave v,
// 0 for a value off the scale, or NaN when there are no values. "Don't know"
// answers are outside the base; see DontKnowShare.
func (d Distribution) Share(v int) float64 {
	if d.Count == 0 {
		return math.NaN()
	}
	i := v - d.Min
	if i < 0 || i >= len(d.Counts) {
		return 0
	}
	return float64(d.Counts[i]) / float64(d.Count)
}

// DontKnowShare returns the share (0…1) of all answers that were "don't
// know", or NaN when there are no answers.
func (d Distribution) DontKnowShare() float64 {
	if d.Total() == 0 {
		return math.NaN()
	}
	return float64(d.DontKnow) / float64(d.Total())
}

// Snapshot returns the distribution of the answers to a trend's question,
// of everyone when group is "" or of one participant group. For a trend or
// question the Tally does not know it returns a zero Distribution (Counts
// nil); for a group the workshop does not have, one without answers.
func (t *Tally) Snapshot(trendKey, questionKey, group string) Distribution {
	ti, ok := t.trendIdx[trendKey]
	if !ok {
		return Distribution{}
	}
	qi, ok := t.qIdx[questionKey]
	if !ok {
		return Distribution{}
	}
	s := t.slot(group)
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.snapshot(ti, qi, s)
}

// snapshot copies one aggregate; s −1 is a group without answers. t.mu is held.
func (t *Tally) snapshot(ti, qi, s int) Distribution {
	q := t.questions[qi]
	d := Distribution{Min: q.min, Max: q.max}
	if s < 0 {
		d.Counts = make([]int64, q.span)
		return d
	}
	a := &t.dists[(ti*len(t.questions)+qi)*t.ns+s]
	d.Count, d.DontKnow, d.Sum, d.SumSq = a.n, a.dk, a.sum, a.sumSq
	d.Counts = slices.Clone(a.counts)
	return d
}

// TensionBins is the number of bins of a field of tension's histograms: the
// scale −100…100 is cut into bins 20 wide.
const TensionBins = 10

// TensionBin returns the histogram bin of a position: bin i holds
// −100+20i ≤ v < −80+20i, and the last bin also holds 100.
func TensionBin(v int) int {
	return min(max((v+100)/20, 0), TensionBins-1)
}

// TensionSummary is the tally of one field of tension, for everyone or one
// participant group, at one moment. Its JSON adds the means and the gap,
// null when nobody placed it.
type TensionSummary struct {
	Key       string             `json:"key"`
	Count     int64              `json:"count"`       // participants who placed it
	SumNow    int64              `json:"sum_now"`     // sum of the positions now
	SumWant   int64              `json:"sum_want"`    // sum of the positions wanted
	SumSqNow  int64              `json:"sum_sq_now"`  // sum of the squares of the positions now
	SumSqWant int64              `json:"sum_sq_want"` // sum of the squares of the positions wanted
	Now       [TensionBins]int64 `json:"now"`         // histogram of the positions now; see TensionBin
	Want      [TensionBins]int64 `json:"want"`        // histogram of the positions wanted
}

// MarshalJSON writes the fields and the derived means and gap.
func (s TensionSummary) MarshalJSON() ([]byte, error) {
	type plain TensionSummary
	return json.Marshal(struct {
		plain
		MeanNow  *float64 `json:"mean_now"`
		MeanWant *float64 `json:"mean_want"`
		Gap      *float64 `json:"gap"`
	}{plain(s), number(s.MeanNow()), number(s.MeanWant()), number(s.Gap())})
}

// MeanNow returns the mean position now, or NaN when nobody placed it.
func (s TensionSummary) MeanNow() float64 { return ratio(s.SumNow, s.Count) }

// MeanWant returns the mean position wanted, or NaN when nobody placed it.
func (s TensionSummary) MeanWant() float64 { return ratio(s.SumWant, s.Count) }

// Gap returns the mean wanted position minus the mean position now: the
// distance and direction the participants want to move, or NaN.
func (s TensionSummary) Gap() float64 { return ratio(s.SumWant-s.SumNow, s.Count) }

// StdDevNow returns the population standard deviation of the positions now.
func (s TensionSummary) StdDevNow() float64 { return stdDev(s.Count, s.SumNow, s.SumSqNow) }

// StdDevWant returns the population standard deviation of the wanted positions.
func (s TensionSummary) StdDevWant() float64 { return stdDev(s.Count, s.SumWant, s.SumSqWant) }

func ratio(a, n int64) float64 {
	if n == 0 {
		return math.NaN()
	}
	return float64(a) / float64(n)
}

func stdDev(n, sum, sumSq int64) float64 {
	if n == 0 {
		return math.NaN()
	}
	return math.Sqrt(float64(n*sumSq-sum*sum) / float64(n*n))
}

// TensionSnapshot returns the tally of a field of tension, of everyone when
// group is "" or of one participant group; one without positions for a
// group the workshop does not have, and a zero TensionSummary for an unknown
// field.
func (t *Tally) TensionSnapshot(tensionKey, group string) TensionSummary {
	ti, ok := t.tIdx[tensionKey]
	if !ok {
		return TensionSummary{}
	}
	s := t.slot(group)
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.tension(ti, s)
}

// tension copies one aggregate; s −1 is a group without positions. t.mu is held.
func (t *Tally) tension(ti, s int) TensionSummary {
	if s < 0 {
		return TensionSummary{Key: t.tensions[ti]}
	}
	g := &t.tens[ti*t.ns+s]
	return TensionSummary{Key: t.tensions[ti], Count: g.n, SumNow: g.sumNow, SumWant: g.sumWant,
		SumSqNow: g.sumSqNow, SumSqWant: g.sumSqWant, Now: g.now, Want: g.want}
}

// Progress is how far the participants have come. Every map has an entry
// for each trend and group of the workshop, zeros included.
type Progress struct {
	// Participants is how many answered anything (a rating or a tension).
	Participants int `json:"participants"`
	// Groups is the same per group key.
	Groups map[string]int `json:"groups"`
	// Completed is, per trend key, how many answered every question of the
	// trend ("don't know" counts as an answer).
	Completed map[string]int `json:"completed"`
	// CompletedByGroup is the same per trend key and group key.
	CompletedByGroup map[string]map[string]int `json:"completed_by_group"`
}

// Progress returns the participants' progress: per trend how many answered
// all its questions, in total and per group; and how many answered
// anything, in total and per group.
func (t *Tally) Progress() Progress {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.progress()
}

func (t *Tally) progress() Progress {
	p := Progress{
		Participants:     t.active[0],
		Groups:           make(map[string]int, len(t.groups)),
		Completed:        make(map[string]int, len(t.trends)),
		CompletedByGroup: make(map[string]map[string]int, len(t.trends)),
	}
	for i, g := range t.groups {
		p.Groups[g] = t.active[i+1]
	}
	for ti, k := range t.trends {
		p.Completed[k] = t.complete[ti*t.ns]
		by := make(map[string]int, len(t.groups))
		for i, g := range t.groups {
			by[g] = t.complete[ti*t.ns+i+1]
		}
		p.CompletedByGroup[k] = by
	}
	return p
}

// Results is a consistent copy of a whole Tally for everyone or one group,
// taken at one Version: what a presenter view or live results page shows.
type Results struct {
	Version  uint64           `json:"version"`
	Group    string           `json:"group"`    // "" for everyone
	Trends   []TrendResults   `json:"trends"`   // in the workshop's order
	Tensions []TensionSummary `json:"tensions"` // in the workshop's order
	Progress Progress         `json:"progress"` // always of everyone and every group
}

// TrendResults holds a trend's distributions, one per question in the
// workshop's order.
type TrendResults struct {
	Key       string            `json:"key"`
	Questions []QuestionResults `json:"questions"`
}

// QuestionResults is the distribution of one question.
type QuestionResults struct {
	Key          string       `json:"key"`
	Distribution Distribution `json:"distribution"`
}

// Results returns everything the Tally knows, for everyone when group is ""
// or for one participant group (empty distributions for a group the
// workshop does not have), under one lock so that all of it belongs to
// Results.Version.
func (t *Tally) Results(group string) Results {
	s := t.slot(group)
	t.mu.Lock()
	defer t.mu.Unlock()
	r := Results{Version: t.version, Group: group, Progress: t.progress()}
	r.Trends = make([]TrendResults, len(t.trends))
	for ti, k := range t.trends {
		tr := TrendResults{Key: k, Questions: make([]QuestionResults, len(t.questions))}
		for qi, q := range t.questions {
			tr.Questions[qi] = QuestionResults{Key: q.key, Distribution: t.snapshot(ti, qi, s)}
		}
		r.Trends[ti] = tr
	}
	r.Tensions = make([]TensionSummary, len(t.tensions))
	for ti := range t.tensions {
		r.Tensions[ti] = t.tension(ti, s)
	}
	return r
}
