package analysis

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/waymark/waymark/internal/domain"
)

// Snapshot is a trend's headline figures in one workshop.
type Snapshot struct {
	Impact    Num      `json:"impact"`    // mean impact
	Readiness Num      `json:"readiness"` // mean readiness
	Priority  Num      `json:"priority"`  // priority index, 0…100
	Rank      int      `json:"rank"`      // place in the ranking, 0 when unrated or excluded
	Standing  Standing `json:"standing"`
}

// Change is one trend's change between two workshops.
type Change struct {
	Key    string   `json:"key"`
	Label  string   `json:"label"` // as in the later workshop
	Before Snapshot `json:"before"`
	After  Snapshot `json:"after"`
	// Impact, Readiness and Priority are after − before; absent when
	// either is, or when the two workshops asked the question on different
	// scales (their means are then not comparable).
	Impact    Num `json:"impact"`
	Readiness Num `json:"readiness"`
	Priority  Num `json:"priority"`
	// Rank is before − after: positive when the trend moved up. 0 when it
	// is unranked in either.
	Rank int `json:"rank"`
}

// Comparison compares two workshops over the trends they share by key.
type Comparison struct {
	Rows       []Change    `json:"rows"`        // largest change of priority first
	OnlyBefore []string    `json:"only_before"` // trend keys only the earlier workshop had
	OnlyAfter  []string    `json:"only_after"`  // trend keys only the later workshop has
	Summary    domain.Text `json:"summary"`
}

// CompareWorkshops compares an earlier and a later workshop's analyses over
// the trends they share by key. Rows are ordered by the size of the change
// of priority, largest first (absent last), then in the later workshop's
// order.
func CompareWorkshops(before, after *Analysis) Comparison {
	var c Comparison
	bk, ak := before.Keys, after.Keys
	bk.defaults()
	ak.defaults()
	bIdx := make(map[string]int, len(before.Trends))
	for i, t := range before.Trends {
		bIdx[t.Key] = i
	}
	aKeys := make(map[string]bool, len(after.Trends))
	bRank, aRank := rankIndex(before.Ranking), rankIndex(after.Ranking)
	for _, t := range after.Trends {
		aKeys[t.Key] = true
		i, ok := bIdx[t.Key]
		if !ok {
			c.OnlyAfter = append(c.OnlyAfter, t.Key)
			continue
		}
		bt := before.Trends[i]
		ch := Change{Key: t.Key, Label: t.Label,
			Before: snapshotOf(bt, bk, bRank), After: snapshotOf(t, ak, aRank)}
		ch.Impact = delta(bt.Question(bk.Impact), t.Question(ak.Impact))
		ch.Readiness = delta(bt.Question(bk.Readiness), t.Question(ak.Readiness))
		ch.Priority = Absent
		if ch.Before.Priority.Valid() && ch.After.Priority.Valid() {
			ch.Priority = ch.After.Priority - ch.Before.Priority
		}
		if ch.Before.Rank > 0 && ch.After.Rank > 0 {
			ch.Rank = ch.Before.Rank - ch.After.Rank
		}
		c.Rows = append(c.Rows, ch)
	}
	for _, t := range before.Trends {
		if !aKeys[t.Key] {
			c.OnlyBefore = append(c.OnlyBefore, t.Key)
		}
	}
	slices.SortStableFunc(c.Rows, func(x, y Change) int {
		return descending(abs(x.Priority), abs(y.Priority))
	})
	c.Summary = c.summary()
	return c
}

func abs(n Num) Num { return Num(math.Abs(float64(n))) }

func rankIndex(r Ranking) map[string]RankedTrend {
	m := make(map[string]RankedTrend, len(r.Trends))
	for _, t := range r.Trends {
		m[t.Key] = t
	}
	return m
}

func snapshotOf(t TrendStats, k QuestionKeys, ranks map[string]RankedTrend) Snapshot {
	r := ranks[t.Key]
	p := r.Index
	if r.Standing == "" {
		p = Absent
	}
	return Snapshot{Impact: t.Question(k.Impact).Mean, Readiness: t.Question(k.Readiness).Mean,
		Priority: p, Rank: r.Rank, Standing: r.Standing}
}

// delta is after's mean minus before's, when both are on the same scale.
func delta(before, after Stats) Num {
	if before.Min != after.Min || before.Max != after.Max || !before.Mean.Valid() || !after.Mean.Valid() {
		return Absent
	}
	return after.Mean - before.Mean
}

func (c Comparison) summary() domain.Text {
	var up, down *Change
	for i := range c.Rows {
		r := &c.Rows[i]
		if !r.Priority.Valid() {
			continue
		}
		if r.Priority > 0 && (up == nil || cmp.Compare(r.Priority, up.Priority) > 0) {
			up = r
		}
		if r.Priority < 0 && (down == nil || cmp.Compare(r.Priority, down.Priority) < 0) {
			down = r
		}
	}
	text := func(lang string) string {
		n := len(c.Rows)
		var s string
		if lang == "sv" {
			s = fmt.Sprintf("%d %s i båda workshopparna", n, plural(n, "trend", "trender"))
			if up != nil {
				s += fmt.Sprintf("; prioriteten steg mest för %s (%s)", up.Label, signed(float64(up.Priority), 0, lang))
			}
			if down != nil {
				s += fmt.Sprintf("; den sjönk mest för %s (%s)", down.Label, signed(float64(down.Priority), 0, lang))
			}
		} else {
			s = fmt.Sprintf("%d %s in both workshops", n, plural(n, "trend", "trends"))
			if up != nil {
				s += fmt.Sprintf("; priority rose most for %s (%s)", up.Label, signed(float64(up.Priority), 0, lang))
			}
			if down != nil {
				s += fmt.Sprintf("; it fell most for %s (%s)", down.Label, signed(float64(down.Priority), 0, lang))
			}
		}
		return s + "."
	}
	return domain.T(text("en"), text("sv"))
}
