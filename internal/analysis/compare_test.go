package analysis

import (
	"testing"

	"github.com/waymark/waymark/internal/workshop"
)

func analyze(tl *workshop.Tally, labels map[string]string) *Analysis {
	in := Input{Everyone: tl.Results("")}
	for k, l := range labels {
		in.Trends = append(in.Trends, TrendInfo{Key: k, Label: l})
	}
	return Analyze(in, Options{})
}

// TestCompareWorkshopsFixture ensures two workshops are compared over the
// trends they share, with the changes of impact, readiness, priority and
// rank computed by hand, the largest change of priority first.
func TestCompareWorkshopsFixture(t *testing.T) {
	labels := map[string]string{"a": "A", "b": "B", "c": "C", "d": "D"}
	last := newTally("a", "b", "c")
	fill(last, "staff", answers{
		// a: I = (3−1)/4 = 0.5, U = (3−1)/3 = 0.666667, G = (5−2)/4 = 0.75
		//    P = 100 · 0.5 · (0.333333 + 0.375) = 35.416667
		"a": {"impact": {3, 3}, "horizon": {1, 1}, "readiness": {2, 2}},
		// b: I = 1, U = 1, G = 1: P = 100
		"b": {"impact": {5}, "horizon": {0}, "readiness": {1}},
		// c: I = 0.75, U = 1, G = 1: P = 75
		"c": {"impact": {4}, "horizon": {0}, "readiness": {1}},
	})
	this := newTally("a", "b", "d")
	fill(this, "staff", answers{
		// a: I = 0.75, U = 0.666667, G = 0.5: P = 100 · 0.75 · (0.333333 + 0.25) = 43.75
		"a": {"impact": {4, 4}, "horizon": {1, 1}, "readiness": {3, 3}},
		// b: I = 0.25, U = 0, G = 0: P = 0
		"b": {"impact": {2}, "horizon": {3}, "readiness": {5}},
	})
	c := CompareWorkshops(analyze(last, labels), analyze(this, labels))
	if len(c.Rows) != 2 || c.Rows[0].Key != "b" || c.Rows[1].Key != "a" {
		t.Fatalf("rows %+v", c.Rows)
	}
	b, a := c.Rows[0], c.Rows[1]
	checkNum(t, "b priority change", b.Priority, -100)
	checkNum(t, "b impact change", b.Impact, -3)
	checkNum(t, "b readiness change", b.Readiness, 4)
	checkNum(t, "a priority before", a.Before.Priority, 35.416667)
	checkNum(t, "a priority after", a.After.Priority, 43.75)
	checkNum(t, "a priority change", a.Priority, 43.75-35.416667)
	checkNum(t, "a impact change", a.Impact, 1)
	checkNum(t, "a readiness change", a.Readiness, 1)
	// Ranks: last year b 1, c 2, a 3; this year a 1, b 2 (d unrated).
	if a.Before.Rank != 3 || a.After.Rank != 1 || a.Rank != 2 || b.Rank != -1 {
		t.Errorf("ranks: a %d → %d (%+d), b %+d", a.Before.Rank, a.After.Rank, a.Rank, b.Rank)
	}
	if len(c.OnlyBefore) != 1 || c.OnlyBefore[0] != "c" || len(c.OnlyAfter) != 1 || c.OnlyAfter[0] != "d" {
		t.Errorf("only before %v, only after %v", c.OnlyBefore, c.OnlyAfter)
	}
	if want := "2 trends in both workshops; priority rose most for A (+8); it fell most for B (-100)."; c.Summary.EN != want {
		t.Errorf("summary %q", c.Summary.EN)
	}
	if want := "2 trender i båda workshopparna; prioriteten steg mest för A (+8); den sjönk mest för B (−100)."; c.Summary.SV != want {
		t.Errorf("summary %q", c.Summary.SV)
	}
}

// TestCompareWorkshopsScales ensures means asked on different scales are
// not compared: the change is absent, while the priority (always 0…100)
// still is.
func TestCompareWorkshopsScales(t *testing.T) {
	last := newTally("a")
	fill(last, "staff", answers{"a": {"impact": {3}, "horizon": {1}, "readiness": {2}}})
	w := testWorkshop("a")
	w.Questions[0].Max = 7 // impact on 1…7 this year
	this := workshop.NewTally(w)
	fill(this, "staff", answers{"a": {"impact": {6}, "horizon": {1}, "readiness": {2}}})
	c := CompareWorkshops(analyze(last, nil), analyze(this, nil))
	if r := c.Rows[0]; r.Impact.Valid() || !r.Readiness.Valid() || !r.Priority.Valid() {
		t.Errorf("row %+v", r)
	}
}
