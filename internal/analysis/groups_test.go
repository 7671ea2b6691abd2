package analysis

import (
	"testing"

	"github.com/waymark/waymark/internal/workshop"
)

// groupResults returns each default group's results from one Tally.
func groupResults(tl *workshop.Tally, groups ...string) []GroupResults {
	var out []GroupResults
	for _, g := range groups {
		out = append(out, GroupResults{Group: g, Label: g, Results: tl.Results(g)})
	}
	return out
}

// TestCompareGroupsFixture ensures the groups' means, the range of the
// means, eta squared and the order of disagreement match a hand
// computation, and that a group below the threshold is suppressed and left
// out of the comparison.
func TestCompareGroupsFixture(t *testing.T) {
	tl := newTally("t1", "t2", "t3")
	fill(tl, "members", answers{
		"t1": {"impact": {5, 5, 4, 4, 5}},
		"t2": {"impact": {3, 3, 3, 3, 3}},
		"t3": {"impact": {3, 3, 3, 3, 3}},
	})
	fill(tl, "staff", answers{
		"t1": {"impact": {2, 2, 3, 2, 1, dk}},
		"t2": {"impact": {3, 3, 3, 3, 4}},
		"t3": {"impact": {3, 3, 3, 3, 3}},
	})
	fill(tl, "residents", answers{"t1": {"impact": {1, 1}}, "t2": {"impact": {5, 5}}})
	gc := CompareGroups("impact", groupResults(tl, "members", "staff", "residents"), map[string]string{"t1": "Ageing"}, GroupOptions{})

	// t1: members mean 23/5 = 4.6, staff 10/5 = 2.0 (the "don't know" is no value); residents 2 < 5: suppressed.
	//   range = 4.6 − 2.0 = 2.6
	//   pooled: n = 10, Σv = 33, grand mean 3.3, Σv² = 107 + 22 = 129
	//   total SS = 129 − 10·3.3² = 129 − 108.9 = 20.1
	//   between SS = 5·(4.6 − 3.3)² + 5·(2.0 − 3.3)² = 8.45 + 8.45 = 16.9
	//   η² = 16.9 / 20.1 = 0.840796
	// t2: members 3.0, staff 16/5 = 3.2: range 0.2; grand 3.1, Σv² = 45 + 52 = 97,
	//   total SS = 97 − 10·3.1² = 0.9, between = 5·0.1² + 5·0.1² = 0.1, η² = 0.111111
	// t3: everyone 3: range 0, η² absent (no variation at all).
	want := []struct {
		trend       string
		rng, eta    float64
		low, high   string
		memberMean  float64
		staffCount  int64
		staffDK     int64
		residentsOK bool
	}{
		{"t1", 2.6, 0.840796, "staff", "members", 4.6, 5, 1, false},
		{"t2", 0.2, 1.0 / 9, "members", "staff", 3, 5, 0, false},
		{"t3", 0, nan, "members", "members", 3, 5, 0, false},
	}
	if len(gc.Rows) != 3 {
		t.Fatalf("%d rows", len(gc.Rows))
	}
	for i, w := range want {
		r := gc.Rows[i]
		if r.Trend != w.trend {
			t.Fatalf("row %d is %s, want %s", i, r.Trend, w.trend)
		}
		checkNum(t, w.trend+" range", r.Range, w.rng)
		checkNum(t, w.trend+" eta²", r.EtaSquared, w.eta)
		if r.Lowest != w.low || r.Highest != w.high || r.Compared != 2 {
			t.Errorf("%s: lowest %s, highest %s, compared %d", r.Trend, r.Lowest, r.Highest, r.Compared)
		}
		checkNum(t, w.trend+" members' mean", r.Cells[0].Stats.Mean, w.memberMean)
		if c := r.Cells[1].Stats; c.Count != w.staffCount || c.DontKnow != w.staffDK {
			t.Errorf("%s: staff count %d, don't know %d", r.Trend, c.Count, c.DontKnow)
		}
		if c := r.Cells[2]; !c.Suppressed || c.Stats.Mean.Valid() {
			t.Errorf("%s: residents not suppressed: %+v", r.Trend, c)
		}
	}
	if gc.Rows[0].Label != "Ageing" || gc.Rows[1].Label != "t2" {
		t.Errorf("labels %q %q", gc.Rows[0].Label, gc.Rows[1].Label)
	}
	if want := "The groups disagree most on Ageing: means from 2.0 (staff) to 4.6 (members), a range of 2.6."; gc.Summary.EN != want {
		t.Errorf("summary %q", gc.Summary.EN)
	}
	if want := "Grupperna är mest oense om Ageing: medelvärden från 2,0 (staff) till 4,6 (members), en skillnad på 2,6."; gc.Summary.SV != want {
		t.Errorf("summary %q", gc.Summary.SV)
	}

	// With a threshold of 1 the residents count: t2's range becomes 5 − 3 = 2.
	all := CompareGroups("impact", groupResults(tl, "members", "staff", "residents"), nil, GroupOptions{MinAnswers: 1})
	if all.Rows[0].Trend != "t1" || !near(float64(all.Rows[0].Range), 3.6) || all.Rows[1].Trend != "t2" || !near(float64(all.Rows[1].Range), 2) {
		t.Errorf("threshold 1: %s %v, %s %v", all.Rows[0].Trend, all.Rows[0].Range, all.Rows[1].Trend, all.Rows[1].Range)
	}
}

// TestCompareGroupsTooFew ensures that with fewer than two groups above
// the threshold nothing is compared and the summary says so.
func TestCompareGroupsTooFew(t *testing.T) {
	tl := newTally("t1")
	fill(tl, "members", answers{"t1": {"impact": {5, 5}}})
	gc := CompareGroups("impact", groupResults(tl, "members", "staff"), nil, GroupOptions{})
	if r := gc.Rows[0]; r.Range.Valid() || r.Compared != 0 || !r.Cells[0].Suppressed {
		t.Errorf("row %+v", r)
	}
	if gc.Summary.EN != "Too few answers per group to compare the groups." {
		t.Errorf("summary %q", gc.Summary.EN)
	}
}
