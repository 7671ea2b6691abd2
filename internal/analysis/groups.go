package analysis

import (
	"fmt"
	"math"
	"slices"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/workshop"
)

// GroupResults are the results of one participant group.
type GroupResults struct {
	Group   string // the group's key
	Label   string // the group's name
	Results workshop.Results
}

// DefaultMinGroupAnswers is the fewest values a group needs on a trend for
// its figures to be shown and compared: the product's anonymity threshold.
const DefaultMinGroupAnswers = 5

// GroupOptions tune a group comparison.
type GroupOptions struct {
	// MinAnswers is the fewest values (not "don't know") a group needs on a
	// trend for its mean and spread to be shown and compared; fewer are
	// suppressed, so that a small group's answers cannot be read off its
	// mean. 0 means DefaultMinGroupAnswers; 1 shows every group.
	MinAnswers int64
}

// Group is a participant group's key and name.
type Group struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// GroupComparison compares the participant groups' answers to one question
// over the trends, largest disagreement first.
type GroupComparison struct {
	Question string      `json:"question"`
	Groups   []Group     `json:"groups"` // key and label of each group, in the order of the cells
	Rows     []GroupRow  `json:"rows"`
	Summary  domain.Text `json:"summary"`
}

// GroupRow is one trend: each group's statistics and how far the groups
// disagree.
type GroupRow struct {
	Trend string      `json:"trend"`
	Label string      `json:"label"`
	Cells []GroupCell `json:"cells"` // one per group, in GroupComparison.Groups' order
	// Compared is how many groups had enough answers to compare.
	Compared int `json:"compared"`
	// Range is the highest group mean minus the lowest, over the compared
	// groups: the disagreement the rows are ordered by. Absent with fewer
	// than two compared groups.
	Range Num `json:"range"`
	// Lowest and Highest are the keys of the groups with the lowest and
	// highest mean.
	Lowest  string `json:"lowest,omitempty"`
	Highest string `json:"highest,omitempty"`
	// EtaSquared is the share of the variation of all the compared groups'
	// answers that lies between the groups (between-group sum of squares
	// over total sum of squares), 0…1: near 0 when the groups agree on
	// average, however much individuals differ; near 1 when each group is
	// of one mind and the groups differ. Absent with fewer than two compared
	// groups or when every answer is the same.
	EtaSquared Num `json:"eta_squared"`
}

// GroupCell is one group's answers to the question about one trend.
// Suppressed cells show only the counts.
type GroupCell struct {
	Group      string `json:"group"`
	Stats      Stats  `json:"stats"`
	Suppressed bool   `json:"suppressed"`
}

// CompareGroups compares the groups' answers to question over the trends
// of the first group's results. Rows are ordered by Range, largest first
// (absent last), then by EtaSquared, then in the trends' order.
func CompareGroups(question string, groups []GroupResults, labels map[string]string, opt GroupOptions) GroupComparison {
	minN := opt.MinAnswers
	if minN == 0 {
		minN = DefaultMinGroupAnswers
	}
	minN = max(minN, 1)
	gc := GroupComparison{Question: question}
	for _, g := range groups {
		gc.Groups = append(gc.Groups, Group{Key: g.Group, Label: g.Label})
	}
	if len(groups) == 0 {
		gc.Summary = gc.summary()
		return gc
	}
	// Index each group's trends and the question's position.
	type at struct{ t, q int }
	find := func(r workshop.Results, trend string, hint at) (workshop.Distribution, bool) {
		if hint.t < len(r.Trends) && r.Trends[hint.t].Key == trend {
			qs := r.Trends[hint.t].Questions
			if hint.q < len(qs) && qs[hint.q].Key == question {
				return qs[hint.q].Distribution, true
			}
		}
		for _, t := range r.Trends {
			if t.Key == trend {
				for _, q := range t.Questions {
					if q.Key == question {
						return q.Distribution, true
					}
				}
			}
		}
		return workshop.Distribution{}, false
	}
	for ti, t := range groups[0].Results.Trends {
		qi := slices.IndexFunc(t.Questions, func(q workshop.QuestionResults) bool { return q.Key == question })
		if qi < 0 {
			continue
		}
		row := GroupRow{Trend: t.Key, Label: labelOr(labels, t.Key), Range: Absent, EtaSquared: Absent}
		var n, sum, sumSq float64 // pooled over the compared groups
		var means []float64
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, g := range groups {
			d, ok := find(g.Results, t.Key, at{ti, qi})
			if !ok {
				d = workshop.Distribution{Min: t.Questions[qi].Distribution.Min, Max: t.Questions[qi].Distribution.Max}
			}
			s := Describe(d)
			cell := GroupCell{Group: g.Group, Stats: s}
			if s.Count < minN {
				cell.Suppressed = true
				cell.Stats = suppress(s)
			} else {
				row.Compared++
				m := float64(s.Mean)
				means = append(means, m)
				if m < lo {
					lo, row.Lowest = m, g.Group
				}
				if m > hi {
					hi, row.Highest = m, g.Group
				}
				for i, c := range s.Counts {
					v := float64(s.Min + i)
					n += float64(c)
					sum += float64(c) * v
					sumSq += float64(c) * v * v
				}
			}
			row.Cells = append(row.Cells, cell)
		}
		if row.Compared >= 2 {
			row.Range = Num(hi - lo)
			grand := sum / n
			total := sumSq - n*grand*grand // Σ(v − grand)²
			var between float64
			k := 0
			for _, c := range row.Cells {
				if !c.Suppressed {
					d := means[k] - grand
					between += float64(c.Stats.Count) * d * d
					k++
				}
			}
			if total > 1e-9*n {
				row.EtaSquared = Num(clamp(between/total, 0, 1))
			}
		} else {
			row.Lowest, row.Highest = "", ""
		}
		gc.Rows = append(gc.Rows, row)
	}
	slices.SortStableFunc(gc.Rows, func(a, b GroupRow) int {
		if c := descending(a.Range, b.Range); c != 0 {
			return c
		}
		return descending(a.EtaSquared, b.EtaSquared)
	})
	gc.Summary = gc.summary()
	return gc
}

// suppress keeps only a statistic's counts of answers.
func suppress(s Stats) Stats {
	return Stats{Min: s.Min, Max: s.Max, Count: s.Count, DontKnow: s.DontKnow, Total: s.Total,
		DontKnowShare: Absent, Mean: Absent, Median: Absent, SD: Absent, Q1: Absent, Q3: Absent, IQR: Absent, Consensus: Absent}
}

func labelOr(labels map[string]string, key string) string {
	if l, ok := labels[key]; ok && l != "" {
		return l
	}
	return key
}

func (gc GroupComparison) summary() domain.Text {
	label := func(key string) string {
		for _, g := range gc.Groups {
			if g.Key == key && g.Label != "" {
				return g.Label
			}
		}
		return key
	}
	text := func(lang string) string {
		if len(gc.Rows) == 0 || !gc.Rows[0].Range.Valid() {
			if lang == "sv" {
				return "För få svar per grupp för att jämföra grupperna."
			}
			return "Too few answers per group to compare the groups."
		}
		r := gc.Rows[0]
		var lowM, highM Num
		for i, c := range r.Cells {
			if gc.Groups[i].Key == r.Lowest {
				lowM = c.Stats.Mean
			}
			if gc.Groups[i].Key == r.Highest {
				highM = c.Stats.Mean
			}
		}
		if lang == "sv" {
			return fmt.Sprintf("Grupperna är mest oense om %s: medelvärden från %s (%s) till %s (%s), en skillnad på %s.",
				r.Label, lowM.Format(1, lang), label(r.Lowest), highM.Format(1, lang), label(r.Highest), r.Range.Format(1, lang))
		}
		return fmt.Sprintf("The groups disagree most on %s: means from %s (%s) to %s (%s), a range of %s.",
			r.Label, lowM.Format(1, lang), label(r.Lowest), highM.Format(1, lang), label(r.Highest), r.Range.Format(1, lang))
	}
	return domain.T(text("en"), text("sv"))
}
