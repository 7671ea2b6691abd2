package analysis

import (
	"fmt"
	"math"
	"reflect"
	"testing"

	"pgregory.net/rapid"
)

func mtrend(key string, impact, certainty []*int) MatrixTrend {
	return MatrixTrend{Key: key, Label: "Trend " + key, Impact: Describe(FromValues(1, 5, impact)), Certainty: Describe(FromValues(1, 5, certainty))}
}

// TestQuadrantOf ensures the quadrants are as the issue names them and a
// mean on the threshold counts as high.
func TestQuadrantOf(t *testing.T) {
	for _, c := range []struct {
		impact, certainty float64
		want              Quadrant
	}{
		{4, 4, ActNow}, {4, 2, PrepareScenarios}, {2, 2, Watch}, {2, 4, Routine},
		{3, 3, ActNow}, {2.99, 3, Routine}, {3, 2.99, PrepareScenarios},
	} {
		if got := QuadrantOf(c.impact, c.certainty, 3, 3); got != c.want {
			t.Errorf("impact %v, certainty %v: %s, want %s", c.impact, c.certainty, got, c.want)
		}
	}
}

// TestMatrixFixture ensures points sit at their means, in their quadrant,
// with the quadrants split at the scale midpoints, and that trends without
// an impact or certainty value are listed, not dropped.
func TestMatrixFixture(t *testing.T) {
	m := ImpactCertaintyMatrix([]MatrixTrend{
		mtrend("a", vals(5, 5), vals(3, 3)),                    // impact 5, certainty 3: act now (3 is high)
		mtrend("b", vals(2, 3), vals(1, 2)),                    // impact 2.5, certainty 1.5: watch
		mtrend("c", []*int{nil}, vals(4)),                      // no impact value
		mtrend("d", vals(4), []*int{nil, nil}),                 // no certainty value
		mtrend("e", vals(1), vals(5)),                          // routine
		mtrend("f", append(vals(4, 4, 4), nil), vals(2, 2, 1)), // prepare scenarios
	}, MatrixOptions{})
	// Plot 480 × 400 at (64, 8); the scales are inset ⌈2 + 15.6 + 2 + 5 + 1⌉ = 26 from its edges
	// (a quadrant name's height 1.3·12, the gaps, a marker's radius):
	// x = 90 + (c − 1)/4 · 428, y = 382 − (i − 1)/4 · 348.
	//   a: x = 90 + 2/4·428 = 304,         y = 382 − 4/4·348 = 34
	//   b: x = 90 + 0.5/4·428 = 143.5,     y = 382 − 1.5/4·348 = 251.5
	//   e: x = 90 + 4/4·428 = 518,         y = 382
	//   f: x = 90 + (2/3)/4·428 = 161.333, y = 382 − 3/4·348 = 121
	want := map[string][3]any{
		"a": {304.0, 34.0, ActNow},
		"b": {143.5, 251.5, Watch},
		"e": {518.0, 382.0, Routine},
		"f": {90 + 428.0/6, 121.0, PrepareScenarios},
	}
	if len(m.Points) != 4 {
		t.Fatalf("%d points, want 4", len(m.Points))
	}
	for _, p := range m.Points {
		w := want[p.Key]
		if !near(p.X, w[0].(float64)) || !near(p.Y, w[1].(float64)) || p.Quadrant != w[2] {
			t.Errorf("%s at (%v, %v) in %s, want (%v, %v) in %s", p.Key, p.X, p.Y, p.Quadrant, w[0], w[1], w[2])
		}
	}
	if len(m.Unplaced) != 2 || m.Unplaced[0].Key != "c" || m.Unplaced[0].Missing[0] != "impact" || m.Unplaced[1].Missing[0] != "certainty" {
		t.Errorf("unplaced %+v", m.Unplaced)
	}
	if m.ImpactThreshold != 3 || m.CertaintyThreshold != 3 {
		t.Errorf("thresholds %v, %v", m.ImpactThreshold, m.CertaintyThreshold)
	}
	// The quadrants meet at x = 304, y = 382 − 2/4·348 = 208.
	for _, q := range m.Quadrants {
		if q.Quadrant == ActNow && (q.Area.X != 304 || q.Area.Bottom() != 208 || q.Count != 1) {
			t.Errorf("act now quadrant %+v", q)
		}
	}
	if want := "4 trends in the matrix: 1 prepare scenarios, 1 act now, 1 watch, 1 routine; 2 without enough answers to place."; m.Summary.EN != want {
		t.Errorf("summary %q", m.Summary.EN)
	}
	if want := "4 trender i matrisen: 1 förbered scenarier, 1 agera nu, 1 bevaka, 1 rutin; 2 utan tillräckligt många svar för att placeras."; m.Summary.SV != want {
		t.Errorf("summary %q", m.Summary.SV)
	}
	checkLabels(t, m)
}

// fataler is what the checks need of *testing.T and *rapid.T.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

// checkLabels fails unless every label lies inside the plot (or, when it
// went there, the gutter right of it and inside the chart), overlaps no
// other label, no marker and no quadrant name.
func checkLabels(t fataler, m Matrix) {
	t.Helper()
	canvas := Rect{0, 0, m.Width, m.Height}
	for i, p := range m.Points {
		b := p.LabelBox
		if p.InGutter {
			if b.X < m.Plot.Right() || !b.Inside(canvas) || p.Leader == nil {
				t.Fatalf("%s: gutter label %+v outside the chart %+v or without a leader", p.Key, b, canvas)
			}
		} else if !b.Inside(m.Plot) {
			t.Fatalf("%s: label %+v outside the plot %+v", p.Key, b, m.Plot)
		}
		for j, q := range m.Points {
			if d := b.DistanceTo(Point{q.X, q.Y}); d < q.R {
				t.Fatalf("%s: label %+v covers the marker of %s (distance %v)", p.Key, b, q.Key, d)
			}
			if j > i && b.Overlaps(q.LabelBox) {
				t.Fatalf("labels of %s %+v and %s %+v overlap", p.Key, b, q.Key, q.LabelBox)
			}
		}
		for _, q := range m.Quadrants {
			if b.Overlaps(q.LabelBox) {
				t.Fatalf("%s: label %+v covers the name of %s", p.Key, b, q.Quadrant)
			}
			if d := q.LabelBox.DistanceTo(Point{p.X, p.Y}); d < p.R {
				t.Fatalf("%s: marker under the name of %s", p.Key, q.Quadrant)
			}
		}
	}
}

// TestMatrixManyClosePoints ensures labels of many points crowded into a
// small area, ten of them at the very same place, still never overlap, and
// that the layout is the same every time.
func TestMatrixManyClosePoints(t *testing.T) {
	var trends []MatrixTrend
	for i := range 40 {
		// Means 3.34…3.37 on both axes: under 3 pixels apart.
		a, b := 34+i%4, 34+(i/4)%4
		trends = append(trends, MatrixTrend{Key: fmt.Sprint("t", i), Label: fmt.Sprintf("Trend number %d", i),
			Impact: Describe(FromCounts(1, []int64{0, 0, int64(100 - a), int64(a), 0}, 0)), Certainty: Describe(FromCounts(1, []int64{0, 0, int64(100 - b), int64(b), 0}, 0))})
	}
	for i := range 10 {
		trends = append(trends, mtrend(fmt.Sprint("same", i), vals(4, 3), vals(4, 3)))
	}
	m := ImpactCertaintyMatrix(trends, MatrixOptions{})
	if len(m.Points) != 50 {
		t.Fatalf("%d points", len(m.Points))
	}
	checkLabels(t, m)
	leaders, gutter := 0, 0
	for _, p := range m.Points {
		if p.Leader != nil {
			leaders++
		}
		if p.InGutter {
			gutter++
		}
	}
	t.Logf("50 crowded points: %d labels with leader lines, %d of them in the gutter; chart %.0f × %.0f", leaders, gutter, m.Width, m.Height)
	if leaders == 0 {
		t.Errorf("no label needed a leader line: the test is not crowded enough")
	}
	if again := ImpactCertaintyMatrix(trends, MatrixOptions{}); !reflect.DeepEqual(m, again) {
		t.Errorf("two layouts of the same trends differ")
	}
	n := ImpactCertaintyMatrix(trends, MatrixOptions{Numbered: true})
	checkLabels(t, n)
	if n.Points[9].Short != "10" || n.Points[9].Number != 10 {
		t.Errorf("numbered label %q", n.Points[9].Short)
	}
}

// TestMatrixLabelsProperty ensures, for random points and label lengths,
// that no label overlaps another label, a marker or a quadrant name, and
// every label is in the plot or the gutter.
func TestMatrixLabelsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 80).Draw(t, "n")
		var trends []MatrixTrend
		for i := range n {
			counts := func(name string) []int64 {
				return rapid.SliceOfN(rapid.Int64Range(0, 4), 5, 5).Filter(func(c []int64) bool { return c[0]+c[1]+c[2]+c[3]+c[4] > 0 }).Draw(t, name)
			}
			label := rapid.StringMatching(`[A-Za-zåäö ]{1,40}`).Draw(t, "label")
			trends = append(trends, MatrixTrend{Key: fmt.Sprint(i), Label: label,
				Impact: Describe(FromCounts(1, counts("impact"), 0)), Certainty: Describe(FromCounts(1, counts("certainty"), 0))})
		}
		m := ImpactCertaintyMatrix(trends, MatrixOptions{Width: rapid.Float64Range(200, 700).Draw(t, "w"), Height: rapid.Float64Range(200, 600).Draw(t, "h")})
		if len(m.Points) != n {
			t.Fatalf("%d points of %d", len(m.Points), n)
		}
		checkLabels(t, m)
		for _, p := range m.Points {
			if math.IsNaN(p.X) || math.IsNaN(p.Y) {
				t.Fatalf("point %+v", p)
			}
		}
	})
}

// TestMatrixCorners ensures trends at the ends of both scales sit inside
// the plot, clear of the quadrant names in its corners, with their labels
// inside the plot.
func TestMatrixCorners(t *testing.T) {
	m := ImpactCertaintyMatrix([]MatrixTrend{
		mtrend("top-right", vals(5), vals(5)), mtrend("top-left", vals(5), vals(1)),
		mtrend("bottom-left", vals(1), vals(1)), mtrend("bottom-right", vals(1), vals(5)),
	}, MatrixOptions{Lang: "sv"})
	checkLabels(t, m)
	for _, p := range m.Points {
		if p.InGutter || p.Leader != nil {
			t.Errorf("%s: label away from its point in a chart with room", p.Key)
		}
	}
}
