package analysis

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/waymark/waymark/internal/domain"
)

// PriorityOptions tune the priority index. The zero value is the
// documented default: urgency and readiness gap weigh the same, and one
// value per question is enough.
type PriorityOptions struct {
	// UrgencyWeight and GapWeight weigh urgency against the readiness gap
	// inside the index; both 0 means 0.5 each. They are normalised to sum
	// to 1, so only their ratio matters.
	UrgencyWeight, GapWeight float64
	// MinAnswers is the fewest values (not "don't know") impact, time
	// horizon and readiness each need for a trend to get an index; fewer
	// leave it unrated. Below 1 means 1.
	MinAnswers int64
	// CapabilityGaps, when it has a trend's key, is the trend's readiness
	// gap (0…1) from the capability assessment (see CapabilityGap), used
	// instead of the gap from the readiness question.
	CapabilityGaps map[string]float64
}

func (o PriorityOptions) weights() (wu, wg float64) {
	wu, wg = max(o.UrgencyWeight, 0), max(o.GapWeight, 0)
	if wu+wg == 0 {
		return 0.5, 0.5
	}
	return wu / (wu + wg), wg / (wu + wg)
}

// PriorityInput is what the index of one trend is made of: the statistics
// of its impact, time horizon and readiness questions.
type PriorityInput struct {
	Key       string
	Label     string
	Impact    Stats
	Horizon   Stats
	Readiness Stats
}

// Priority is the priority index of one trend and its parts, each 0…1.
type Priority struct {
	Impact  Num `json:"impact"`  // (mean impact − min) / (max − min)
	Urgency Num `json:"urgency"` // (max − mean horizon) / (max − min): 1 now, 0 furthest away
	Gap     Num `json:"gap"`     // (max − mean readiness) / (max − min), or the capability gap
	// GapSource says where Gap comes from: "readiness" or "capability".
	GapSource string `json:"gap_source"`
	// Index is 100 · Impact · (wu·Urgency + wg·Gap), 0…100; absent when a
	// part is.
	Index Num `json:"index"`
	// Missing names the questions with too few values, when Index is absent.
	Missing []string `json:"missing,omitempty"`
}

// PriorityOf computes a trend's priority index:
//
//	P = 100 · I · (wu·U + wg·G)
//
// with I, U and G the impact, urgency and readiness gap scaled to 0…1 (see
// Priority) and wu + wg = 1. Impact multiplies because a trend that hardly
// affects the organisation is no priority however soon or unprepared;
// urgency and gap add because each is a reason to act on an important trend.
func PriorityOf(in PriorityInput, opt PriorityOptions) Priority {
	minN := max(opt.MinAnswers, 1)
	p := Priority{Impact: Absent, Urgency: Absent, Gap: Absent, Index: Absent, GapSource: "readiness"}
	if in.Impact.Count >= minN {
		p.Impact = scaled(in.Impact, false)
	} else {
		p.Missing = append(p.Missing, domain.QImpact)
	}
	if in.Horizon.Count >= minN {
		p.Urgency = scaled(in.Horizon, true)
	} else {
		p.Missing = append(p.Missing, domain.QHorizon)
	}
	if g, ok := opt.CapabilityGaps[in.Key]; ok && !isNaN(g) {
		p.Gap, p.GapSource = Num(clamp(g, 0, 1)), "capability"
	} else if in.Readiness.Count >= minN {
		p.Gap = scaled(in.Readiness, true)
	} else {
		p.Missing = append(p.Missing, domain.QReadiness)
	}
	if len(p.Missing) == 0 {
		wu, wg := opt.weights()
		p.Index = Num(100 * float64(p.Impact) * (wu*float64(p.Urgency) + wg*float64(p.Gap)))
	}
	return p
}

// scaled maps a statistic's mean onto 0…1 over its scale, reversed when
// rev (the top of the scale gives 0).
func scaled(s Stats, rev bool) Num {
	if !s.Mean.Valid() {
		return Absent
	}
	if s.Max <= s.Min {
		return 0
	}
	x := (float64(s.Mean) - float64(s.Min)) / float64(s.Max-s.Min)
	if rev {
		x = 1 - x
	}
	return Num(clamp(x, 0, 1))
}

func isNaN(f float64) bool { return math.IsNaN(f) }

// CapabilityGap returns the readiness gap of a trend from the maturity of
// the capability areas it demands: the mean over the areas of
// max(0, target − current) / 4 on the maturity levels 1…5, so 0 when every
// area is at its target and 1 when every area must go from 1 to 5. Pairs
// with an absent level are skipped; with none left it returns NaN, and the
// readiness question is used instead.
func CapabilityGap(current, target []float64) float64 {
	var sum float64
	n := 0
	for i := range min(len(current), len(target)) {
		c, t := current[i], target[i]
		if isNaN(c) || isNaN(t) {
			continue
		}
		sum += clamp((t-c)/4, 0, 1)
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// DecisionKind is what a facilitator decided about a trend's place in the
// ranking.
type DecisionKind string

const (
	// Pin puts a trend at the top of the ranking, whatever its index.
	Pin DecisionKind = "pin"
	// Exclude takes a trend out of the ranking; it is still listed, last.
	Exclude DecisionKind = "exclude"
)

// MaxReasonLen is the longest reason a decision may give.
const MaxReasonLen = 500

// Decision is a facilitator's pin or exclusion of a trend, with the reason
// that the ranking shows beside it.
type Decision struct {
	TrendKey string       `json:"trend"`
	Kind     DecisionKind `json:"kind"`
	Reason   string       `json:"reason"`
	By       string       `json:"by,omitempty"` // who decided (a user id or name)
	At       time.Time    `json:"at,omitzero"`
}

// Validate checks a decision: a pin or exclusion with a reason of at most
// MaxReasonLen characters. It trims the reason.
func (d *Decision) Validate() domain.Problems {
	var ps domain.Problems
	d.Reason = strings.TrimSpace(d.Reason)
	if d.TrendKey == "" {
		ps = append(ps, domain.Problem{Field: "trend", Message: "is required"})
	}
	if d.Kind != Pin && d.Kind != Exclude {
		ps = append(ps, domain.Problem{Field: "kind", Message: "must be pin or exclude"})
	}
	switch {
	case d.Reason == "":
		ps = append(ps, domain.Problem{Field: "reason", Message: "give the reason, so that readers of the ranking see it"})
	case utf8.RuneCountInString(d.Reason) > MaxReasonLen:
		ps = append(ps, domain.Problem{Field: "reason", Message: fmt.Sprintf("is longer than %d characters", MaxReasonLen)})
	}
	return ps
}

// Standing is where a trend stands in the ranking.
type Standing string

const (
	Pinned   Standing = "pinned"   // pinned by the facilitator: first
	Ranked   Standing = "ranked"   // ranked by its index
	Unrated  Standing = "unrated"  // too few answers for an index: after the ranked
	Excluded Standing = "excluded" // excluded by the facilitator: last
)

// RankedTrend is one row of the priority ranking.
type RankedTrend struct {
	Key      string   `json:"key"`
	Label    string   `json:"label"`
	Rank     int      `json:"rank"` // 1… for pinned and ranked trends; 0 for unrated and excluded
	Standing Standing `json:"standing"`
	Priority
	// Decision is the facilitator's pin or exclusion, with its reason.
	Decision *Decision `json:"decision,omitempty"`
}

// Ranking is the priority ranking of a workshop's trends.
type Ranking struct {
	Trends  []RankedTrend `json:"trends"`
	Summary domain.Text   `json:"summary"`
}

// Rank computes every trend's priority and orders them: pinned trends first
// (by index among themselves), then the others by index, highest first,
// then the trends with too few answers, then the excluded ones. Ties go to
// the higher impact, then to the order of in. Every trend of in is listed
// once. Decisions for trends not in in are ignored; of several decisions on
// one trend the last counts.
func Rank(in []PriorityInput, decisions []Decision, opt PriorityOptions) Ranking {
	dec := make(map[string]*Decision, len(decisions))
	for i := range decisions {
		if k := decisions[i].Kind; k == Pin || k == Exclude {
			d := decisions[i]
			dec[d.TrendKey] = &d
		}
	}
	rows := make([]RankedTrend, len(in))
	for i, t := range in {
		r := RankedTrend{Key: t.Key, Label: t.Label, Priority: PriorityOf(t, opt), Decision: dec[t.Key]}
		switch {
		case r.Decision != nil && r.Decision.Kind == Exclude:
			r.Standing = Excluded
		case r.Decision != nil && r.Decision.Kind == Pin:
			r.Standing = Pinned
		case !r.Index.Valid():
			r.Standing = Unrated
		default:
			r.Standing = Ranked
		}
		rows[i] = r
	}
	order := map[Standing]int{Pinned: 0, Ranked: 1, Unrated: 2, Excluded: 3}
	pos := make(map[string]int, len(in))
	for i, t := range in {
		if _, dup := pos[t.Key]; !dup {
			pos[t.Key] = i
		}
	}
	slices.SortStableFunc(rows, func(a, b RankedTrend) int {
		if c := cmp.Compare(order[a.Standing], order[b.Standing]); c != 0 {
			return c
		}
		if c := descending(a.Index, b.Index); c != 0 {
			return c
		}
		if c := descending(a.Impact, b.Impact); c != 0 {
			return c
		}
		return cmp.Compare(pos[a.Key], pos[b.Key])
	})
	n := 0
	for i := range rows {
		if s := rows[i].Standing; s == Pinned || s == Ranked {
			n++
			rows[i].Rank = n
		}
	}
	return Ranking{Trends: rows, Summary: rankingSummary(rows)}
}

// descending orders present numbers highest first and absent ones last.
func descending(a, b Num) int {
	switch {
	case a.Valid() && b.Valid():
		return cmp.Compare(float64(b), float64(a))
	case a.Valid():
		return -1
	case b.Valid():
		return 1
	}
	return 0
}

func rankingSummary(rows []RankedTrend) domain.Text {
	var top []RankedTrend
	var pinned, unrated, excluded int
	for _, r := range rows {
		switch r.Standing {
		case Pinned:
			pinned++
		case Unrated:
			unrated++
		case Excluded:
			excluded++
		}
		if r.Rank > 0 && len(top) < 3 {
			top = append(top, r)
		}
	}
	if len(top) == 0 {
		return domain.T("No trend has enough answers for a priority yet.", "Ingen trend har tillräckligt många svar för en prioritet än.")
	}
	item := func(r RankedTrend, lang string) string {
		if r.Standing == Pinned {
			if lang == "sv" {
				return r.Label + " (fastnålad)"
			}
			return r.Label + " (pinned)"
		}
		return fmt.Sprintf("%s (%s)", r.Label, r.Index.Format(0, lang))
	}
	text := func(lang string) string {
		var b strings.Builder
		if lang == "sv" {
			b.WriteString("Högst prioritet: ")
		} else {
			b.WriteString("Top priorities: ")
		}
		for i, r := range top {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(item(r, lang))
		}
		var extra []string
		if lang == "sv" {
			extra = appendCount(extra, pinned, "%d fastnålad", "%d fastnålade")
			extra = appendCount(extra, unrated, "%d utan tillräckligt många svar", "%d utan tillräckligt många svar")
			extra = appendCount(extra, excluded, "%d utesluten", "%d uteslutna")
		} else {
			extra = appendCount(extra, pinned, "%d pinned", "%d pinned")
			extra = appendCount(extra, unrated, "%d without enough answers", "%d without enough answers")
			extra = appendCount(extra, excluded, "%d excluded", "%d excluded")
		}
		if len(extra) > 0 {
			b.WriteString("; " + strings.Join(extra, ", "))
		}
		b.WriteString(".")
		return b.String()
	}
	return domain.T(text("en"), text("sv"))
}

func appendCount(list []string, n int, one, many string) []string {
	switch {
	case n == 1:
		return append(list, fmt.Sprintf(one, n))
	case n > 1:
		return append(list, fmt.Sprintf(many, n))
	}
	return list
}
