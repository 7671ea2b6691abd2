package analysis

import (
	"encoding/json"
	"testing"
)

// TestDescribeFixtures ensures every statistic matches a hand computation
// on the scales of the default questions.
func TestDescribeFixtures(t *testing.T) {
	type want struct {
		count, dk                                       int64
		dkShare, mean, median, sd, q1, q3, iqr, consens float64
		shares                                          []float64
	}
	cases := []struct {
		name     string
		min, max int
		values   []*int
		want     want
	}{
		{
			// Impact 1…5: 1, 2, 2, 3, 5 and one "don't know".
			// n = 5, don't know 1/6 = 0.166667.
			// mean = 13/5 = 2.6; median: h = (5−1)·0.5 = 2 → x₂ = 2.
			// Σv² = 1+4+4+9+25 = 43; variance = (5·43 − 13²)/5² = 46/25 = 1.84; SD = √1.84 = 1.356466.
			// Q1: h = 4·0.25 = 1 → x₁ = 2; Q3: h = 3 → x₃ = 3; IQR = 1.
			// consensus, μ = 2.6, d = 4:
			//   1: 0.2·log₂(1 − 1.6/4) = 0.2·log₂0.6  = 0.2·(−0.736966) = −0.147393
			//   2: 0.4·log₂(1 − 0.6/4) = 0.4·log₂0.85 = 0.4·(−0.234465) = −0.093786
			//   3: 0.2·log₂(1 − 0.4/4) = 0.2·log₂0.9  = 0.2·(−0.152003) = −0.030401
			//   5: 0.2·log₂(1 − 2.4/4) = 0.2·log₂0.4  = 0.2·(−1.321928) = −0.264386
			//   Cns = 1 − 0.535966 = 0.464034
			name: "impact", min: 1, max: 5, values: append(vals(1, 2, 2, 3, 5), nil),
			want: want{5, 1, 1.0 / 6, 2.6, 2, 1.356466, 2, 3, 1, 0.464034, []float64{0.2, 0.4, 0.2, 0, 0.2}},
		},
		{
			// Readiness 1…5: 1, 1, 1, 5. mean = 8/4 = 2.
			// median: h = 3·0.5 = 1.5 → x₁ + 0.5·(x₂ − x₁) = 1.
			// Q1: h = 0.75 → 1; Q3: h = 2.25 → x₂ + 0.25·(x₃ − x₂) = 1 + 0.25·4 = 2; IQR = 1.
			// Σv² = 28; variance = (4·28 − 64)/16 = 3; SD = √3 = 1.732051.
			// consensus, μ = 2, d = 4: 0.75·log₂0.75 + 0.25·log₂0.25 = −0.311278 − 0.5; Cns = 0.188722.
			name: "readiness", min: 1, max: 5, values: vals(1, 1, 1, 5),
			want: want{4, 0, 0, 2, 1, 1.732051, 1, 2, 1, 0.188722, []float64{0.75, 0, 0, 0, 0.25}},
		},
		{
			// Direction −2…+2: −2, −1, −1, 0, 2, 2. mean = 0/6 = 0.
			// median: h = 2.5 → −1 + 0.5·(0 − (−1)) = −0.5.
			// Q1: h = 1.25 → −1 + 0.25·0 = −1; Q3: h = 3.75 → 0 + 0.75·(2 − 0) = 1.5; IQR = 2.5.
			// Σv² = 14; variance = 14/6; SD = 1.527525.
			// consensus, μ = 0, d = 4: (1/6)·log₂0.5 + (2/6)·log₂0.75 + (1/6)·log₂1 + (2/6)·log₂0.5
			//   = −0.166667 − 0.138346 + 0 − 0.333333 = −0.638346; Cns = 0.361654.
			name: "direction", min: -2, max: 2, values: vals(-2, -1, -1, 0, 2, 2),
			want: want{6, 0, 0, 0, -0.5, 1.527525, -1, 1.5, 2.5, 0.361654, []float64{1.0 / 6, 2.0 / 6, 1.0 / 6, 0, 2.0 / 6}},
		},
		{
			// Horizon 0…3: 0, 0, 1, 3 and two "don't know". mean = 4/4 = 1; don't know 2/6.
			// median: h = 1.5 → 0 + 0.5·1 = 0.5. Q1: h = 0.75 → 0; Q3: h = 2.25 → 1 + 0.25·2 = 1.5.
			// Σv² = 10; variance = (4·10 − 16)/16 = 1.5; SD = 1.224745.
			// consensus, μ = 1, d = 3: 0.5·log₂(2/3) + 0.25·log₂1 + 0.25·log₂(1/3)
			//   = −0.292481 + 0 − 0.396241; Cns = 0.311278.
			name: "horizon", min: 0, max: 3, values: append(vals(0, 0, 1, 3), nil, nil),
			want: want{4, 2, 2.0 / 6, 1, 0.5, 1.224745, 0, 1.5, 1.5, 0.311278, []float64{0.5, 0.25, 0, 0.25}},
		},
		{
			// An even split between the ends: μ = 3, each |X − μ|/d = 1/2,
			// Cns = 1 + 0.5·(−1) + 0.5·(−1) = 0. SD = 2, Q1 = 1 + 0.75·0 = 1, Q3 = 5.
			name: "split", min: 1, max: 5, values: vals(1, 1, 5, 5),
			want: want{4, 0, 0, 3, 3, 2, 1, 5, 4, 0, []float64{0.5, 0, 0, 0, 0.5}},
		},
		{
			// All the same: Cns = 1 + 1·log₂1 = 1, SD 0, IQR 0.
			name: "same", min: 1, max: 5, values: vals(4, 4, 4),
			want: want{3, 0, 0, 4, 4, 0, 4, 4, 0, 1, []float64{0, 0, 0, 1, 0}},
		},
		{
			// Only "don't know": nothing but the share of "don't know" (1).
			name: "dont-know", min: 1, max: 5, values: []*int{nil, nil},
			want: want{0, 2, 1, nan, nan, nan, nan, nan, nan, nan, []float64{nan, nan, nan, nan, nan}},
		},
		{
			// No answers at all: everything absent.
			name: "empty", min: 1, max: 5,
			want: want{0, 0, nan, nan, nan, nan, nan, nan, nan, nan, []float64{nan, nan, nan, nan, nan}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := Describe(FromValues(c.min, c.max, c.values))
			w := c.want
			if s.Count != w.count || s.DontKnow != w.dk || s.Total != w.count+w.dk {
				t.Errorf("count, don't know, total = %d, %d, %d; want %d, %d, %d", s.Count, s.DontKnow, s.Total, w.count, w.dk, w.count+w.dk)
			}
			checkNum(t, "don't know share", s.DontKnowShare, w.dkShare)
			checkNum(t, "mean", s.Mean, w.mean)
			checkNum(t, "median", s.Median, w.median)
			checkNum(t, "sd", s.SD, w.sd)
			checkNum(t, "q1", s.Q1, w.q1)
			checkNum(t, "q3", s.Q3, w.q3)
			checkNum(t, "iqr", s.IQR, w.iqr)
			checkNum(t, "consensus", s.Consensus, w.consens)
			if len(s.Shares) != len(w.shares) {
				t.Fatalf("%d shares, want %d", len(s.Shares), len(w.shares))
			}
			for i := range w.shares {
				checkNum(t, "share", s.Shares[i], w.shares[i])
			}
		})
	}
}

// TestDescribeAgreesWithTally ensures the statistics of a Tally's
// distribution equal those of the same answers counted directly, and that
// the median and standard deviation agree with the Distribution's own.
func TestDescribeAgreesWithTally(t *testing.T) {
	tl := newTally("a")
	fill(tl, "staff", answers{"a": {"impact": {1, 2, 2, 3, 5, dk}}})
	d := tl.Snapshot("a", "impact", "")
	got, want := Describe(d), Describe(FromValues(1, 5, append(vals(1, 2, 2, 3, 5), nil)))
	if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
		t.Errorf("from the tally:\n%s\nfrom the values:\n%s", g, w)
	}
	if !near(float64(got.SD), d.StdDev()) || !near(float64(got.Median), d.Median()) || !near(float64(got.Mean), d.Mean()) {
		t.Errorf("sd, median, mean = %v, %v, %v; the Distribution says %v, %v, %v", got.SD, got.Median, got.Mean, d.StdDev(), d.Median(), d.Mean())
	}
}

// TestQuantile ensures Quantile interpolates between order statistics as
// spreadsheets' PERCENTILE.INC does.
func TestQuantile(t *testing.T) {
	// 1, 1, 2, 4: h = 3p. p = 0.1 → h = 0.3 → 1; p = 0.9 → h = 2.7 → 2 + 0.7·(4 − 2) = 3.4;
	// p = 0 → 1, p = 1 → 4; out of range is clamped.
	s := Describe(FromValues(1, 5, vals(1, 1, 2, 4)))
	for p, want := range map[float64]float64{0: 1, 0.1: 1, 0.9: 3.4, 1: 4, 2: 4, -1: 1} {
		checkNum(t, "quantile", s.Quantile(p), want)
	}
	checkNum(t, "quantile of nothing", Describe(FromValues(1, 5, nil)).Quantile(0.5), nan)
}

// TestNumJSON ensures an absent statistic is null in JSON, never 0 or an
// error, and reads back as absent.
func TestNumJSON(t *testing.T) {
	s := Describe(FromValues(1, 5, []*int{nil}))
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Mean      Num `json:"mean"`
		DontKnow  Num `json:"dont_know_share"`
		Consensus Num `json:"consensus"`
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Mean.Valid() || back.Consensus.Valid() || !near(float64(back.DontKnow), 1) {
		t.Errorf("read back %+v from %s", back, b)
	}
	if got := Num(2.345).Format(1, "sv"); got != "2,3" {
		t.Errorf("Format sv = %q", got)
	}
	if got := Num(-0.04).Format(1, "en"); got != "0.0" {
		t.Errorf("Format of −0.04 = %q, want 0.0", got)
	}
	if got := Absent.Format(1, "en"); got != "–" {
		t.Errorf("Format of absent = %q", got)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
