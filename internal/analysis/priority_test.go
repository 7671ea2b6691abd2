package analysis

import (
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/waymark/waymark/internal/domain"
)

func prioInput(key string, impact, horizon, readiness []*int) PriorityInput {
	return PriorityInput{Key: key, Label: strings.ToUpper(key),
		Impact: Describe(FromValues(1, 5, impact)), Horizon: Describe(FromValues(0, 3, horizon)), Readiness: Describe(FromValues(1, 5, readiness))}
}

// TestPriorityFixture ensures the priority index matches a hand
// computation, with the default weights, other weights and a capability
// gap.
func TestPriorityFixture(t *testing.T) {
	// impact 3, 4, 5, 4: mean 4 → I = (4 − 1)/4 = 0.75
	// horizon 0, 0, 1, 3: mean 1 → U = (3 − 1)/3 = 0.666667
	// readiness 1, 2, 3, 2: mean 2 → G = (5 − 2)/4 = 0.75
	in := prioInput("a", vals(3, 4, 5, 4), vals(0, 0, 1, 3), vals(1, 2, 3, 2))

	// P = 100 · 0.75 · (0.5·0.666667 + 0.5·0.75) = 100 · 0.75 · 0.708333 = 53.125
	p := PriorityOf(in, PriorityOptions{})
	checkNum(t, "impact", p.Impact, 0.75)
	checkNum(t, "urgency", p.Urgency, 2.0/3)
	checkNum(t, "gap", p.Gap, 0.75)
	checkNum(t, "index", p.Index, 53.125)
	if p.GapSource != "readiness" {
		t.Errorf("gap source %q", p.GapSource)
	}

	// Weights 3 : 1 → wu = 0.75, wg = 0.25:
	// P = 100 · 0.75 · (0.75·0.666667 + 0.25·0.75) = 100 · 0.75 · 0.6875 = 51.5625
	checkNum(t, "weighted index", PriorityOf(in, PriorityOptions{UrgencyWeight: 3, GapWeight: 1}).Index, 51.5625)

	// Capability gap: current 2 and 3, target 4 and 3 → (2/4 + 0/4)/2 = 0.25.
	// P = 100 · 0.75 · (0.5·0.666667 + 0.5·0.25) = 100 · 0.75 · 0.458333 = 34.375
	gap := CapabilityGap([]float64{2, 3}, []float64{4, 3})
	if !near(gap, 0.25) {
		t.Fatalf("CapabilityGap = %v, want 0.25", gap)
	}
	pc := PriorityOf(in, PriorityOptions{CapabilityGaps: map[string]float64{"a": gap}})
	checkNum(t, "index with capability gap", pc.Index, 34.375)
	if pc.GapSource != "capability" {
		t.Errorf("gap source %q", pc.GapSource)
	}

	// Impact 1 ("hardly") from everyone: I = 0, so P = 0 however urgent.
	checkNum(t, "index of no impact", PriorityOf(prioInput("b", vals(1, 1), vals(0), vals(1)), PriorityOptions{}).Index, 0)
}

// TestPriorityDontKnow ensures "don't know" answers never count as values:
// a trend whose impact answers are all "don't know" has no index (and says
// which question is missing), and "don't know" answers beside values leave
// the index as the values alone give it.
func TestPriorityDontKnow(t *testing.T) {
	p := PriorityOf(prioInput("a", []*int{nil, nil}, vals(0), vals(3)), PriorityOptions{})
	if p.Index.Valid() || len(p.Missing) != 1 || p.Missing[0] != domain.QImpact {
		t.Errorf("all don't know: %+v", p)
	}
	with := PriorityOf(prioInput("a", append(vals(4, 4), nil, nil, nil), vals(1), vals(2)), PriorityOptions{})
	without := PriorityOf(prioInput("a", vals(4, 4), vals(1), vals(2)), PriorityOptions{})
	if with.Index != without.Index {
		t.Errorf("don't know moved the index: %v vs %v", with.Index, without.Index)
	}
	// MinAnswers 3 with two values: unrated.
	if p := PriorityOf(prioInput("a", vals(4, 4), vals(1, 1, 1), vals(2, 2, 2)), PriorityOptions{MinAnswers: 3}); p.Index.Valid() {
		t.Errorf("two impact values with MinAnswers 3 rated: %+v", p)
	}
}

// TestRank ensures the ranking puts pinned trends first, then the rest by
// index, then trends without enough answers, then excluded trends, each
// shown with the facilitator's reason, and that every trend is listed once.
func TestRank(t *testing.T) {
	in := []PriorityInput{
		prioInput("a", vals(3, 4, 5, 4), vals(0, 0, 1, 3), vals(1, 2, 3, 2)), // 53.125
		prioInput("b", vals(5, 5), vals(0, 0), vals(1, 1)),                   // 100 · 1 · (0.5·1 + 0.5·1) = 100
		prioInput("c", vals(2, 2), vals(3, 3), vals(5, 5)),                   // 100 · 0.25 · 0 = 0
		prioInput("d", vals(5), vals(0), vals(1)),                            // 100, but excluded
		prioInput("e", []*int{nil}, vals(0), vals(1)),                        // no impact value: unrated
		prioInput("f", vals(3, 4, 5, 4), vals(0, 0, 1, 3), vals(1, 2, 3, 2)), // 53.125, a tie with a: a first
	}
	decisions := []Decision{
		{TrendKey: "c", Kind: Pin, Reason: "Statutory duty from 2027"},
		{TrendKey: "d", Kind: Exclude, Reason: "Handled by the regional partnership"},
		{TrendKey: "zz", Kind: Pin, Reason: "not a trend of this workshop"},
	}
	r := Rank(in, decisions, PriorityOptions{})
	var got []string
	for _, t := range r.Trends {
		got = append(got, t.Key+":"+string(t.Standing)+":"+Num(t.Rank).Format(0, "en"))
	}
	want := "c:pinned:1 b:ranked:2 a:ranked:3 f:ranked:4 e:unrated:0 d:excluded:0"
	if strings.Join(got, " ") != want {
		t.Errorf("ranking\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if r.Trends[0].Decision == nil || r.Trends[0].Decision.Reason != "Statutory duty from 2027" {
		t.Errorf("pinned without its reason: %+v", r.Trends[0].Decision)
	}
	if d := r.Trends[5].Decision; d == nil || d.Reason != "Handled by the regional partnership" {
		t.Errorf("excluded without its reason: %+v", d)
	}
	checkNum(t, "excluded trend's index", r.Trends[5].Index, 100)
	if !strings.HasPrefix(r.Summary.EN, "Top priorities: C (pinned), B (100), A (53); 1 pinned, 1 without enough answers, 1 excluded.") {
		t.Errorf("summary %q", r.Summary.EN)
	}
	if !strings.HasPrefix(r.Summary.SV, "Högst prioritet: C (fastnålad), B (100), A (53)") {
		t.Errorf("summary %q", r.Summary.SV)
	}
}

// TestDecisionValidate ensures a pin or exclusion needs a reason.
func TestDecisionValidate(t *testing.T) {
	d := Decision{TrendKey: "a", Kind: Pin, Reason: "  "}
	if ps := d.Validate(); len(ps) != 1 || ps[0].Field != "reason" {
		t.Errorf("no reason: %v", ps)
	}
	d = Decision{TrendKey: "a", Kind: "boost", Reason: strings.Repeat("x", MaxReasonLen+1)}
	if ps := d.Validate(); len(ps) != 2 {
		t.Errorf("bad kind and long reason: %v", ps)
	}
	d = Decision{TrendKey: "a", Kind: Exclude, Reason: " Out of scope "}
	if ps := d.Validate(); ps != nil || d.Reason != "Out of scope" {
		t.Errorf("valid decision: %v, reason %q", ps, d.Reason)
	}
}

// TestPriorityBoundsAndMonotone ensures the index stays in 0…100 and
// never falls when impact rises, the horizon comes nearer or readiness
// falls.
func TestPriorityBoundsAndMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		gen := func(name string, lo, hi int) []*int {
			return vals(rapid.SliceOfN(rapid.IntRange(lo, hi), 1, 30).Draw(t, name)...)
		}
		imp, hor, rdy := gen("impact", 1, 5), gen("horizon", 0, 3), gen("readiness", 1, 5)
		opt := PriorityOptions{UrgencyWeight: rapid.Float64Range(0, 3).Draw(t, "wu"), GapWeight: rapid.Float64Range(0, 3).Draw(t, "wg")}
		p := PriorityOf(prioInput("a", imp, hor, rdy), opt).Index
		if !p.Valid() || p < 0 || p > 100 {
			t.Fatalf("index %v", p)
		}
		i := rapid.IntRange(0, len(imp)-1).Draw(t, "which")
		better := func(vs []*int, lo, hi, dir int) []*int {
			out := append([]*int(nil), vs...)
			j := min(i, len(out)-1)
			v := min(hi, max(lo, *out[j]+dir))
			out[j] = &v
			return out
		}
		for _, q := range []PriorityInput{
			prioInput("a", better(imp, 1, 5, +1), hor, rdy),
			prioInput("a", imp, better(hor, 0, 3, -1), rdy),
			prioInput("a", imp, hor, better(rdy, 1, 5, -1)),
		} {
			if p2 := PriorityOf(q, opt).Index; p2 < p-1e-9 {
				t.Fatalf("index fell from %v to %v", p, p2)
			}
		}
	})
}
