package analysis

import (
	"fmt"
	"math"
	"testing"

	"pgregory.net/rapid"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/workshop"
)

// genDist draws a distribution on a scale of 2…11 values starting
// anywhere from −5 to 5, with up to 60 answers per value and up to 20
// "don't know".
func genDist(t *rapid.T) workshop.Distribution {
	min := rapid.IntRange(-5, 5).Draw(t, "min")
	span := rapid.IntRange(2, 11).Draw(t, "span")
	counts := rapid.SliceOfN(rapid.Int64Range(0, 60), span, span).Draw(t, "counts")
	return FromCounts(min, counts, rapid.Int64Range(0, 20).Draw(t, "dk"))
}

// TestStatsBounds ensures every statistic stays in its range: shares and
// consensus in 0…1, shares summing to 1, the mean and the quartiles on the
// scale and in order, and the spread at most half the scale.
func TestStatsBounds(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := genDist(t)
		s := Describe(d)
		lo, hi := float64(s.Min), float64(s.Max)
		in := func(what string, x Num, a, b float64) {
			if !x.Valid() || float64(x) < a-1e-9 || float64(x) > b+1e-9 {
				t.Fatalf("%s = %v, not in [%v, %v] (%+v)", what, float64(x), a, b, d)
			}
		}
		if s.Total > 0 {
			in("don't know share", s.DontKnowShare, 0, 1)
		}
		if s.Count == 0 {
			if s.Mean.Valid() || s.Consensus.Valid() || s.SD.Valid() {
				t.Fatalf("statistics of no values: %+v", s)
			}
			return
		}
		sum := 0.0
		for i, p := range s.Shares {
			in(fmt.Sprint("share ", i), p, 0, 1)
			sum += float64(p)
		}
		if !near(sum, 1) {
			t.Fatalf("shares sum to %v", sum)
		}
		in("consensus", s.Consensus, 0, 1)
		in("mean", s.Mean, lo, hi)
		in("q1", s.Q1, lo, float64(s.Median))
		in("median", s.Median, float64(s.Q1), float64(s.Q3))
		in("q3", s.Q3, float64(s.Median), hi)
		in("sd", s.SD, 0, (hi-lo)/2)
		in("iqr", s.IQR, 0, hi-lo)
	})
}

// TestStatsOrderDoesNotMatter ensures the statistics depend only on which
// answers were given, not on the order they arrived in: a Tally fed the
// same answers in two random orders gives the same statistics.
func TestStatsOrderDoesNotMatter(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 80).Draw(t, "n")
		values := rapid.SliceOfN(rapid.IntRange(0, 5), n, n).Draw(t, "values") // 0 is "don't know"
		perm := rapid.Permutation(rangeN(n)).Draw(t, "order")
		stats := func(order []int) string {
			tl := newTally("a")
			for _, i := range order {
				a := domain.Answer{ParticipantID: fmt.Sprint("p", i), TrendKey: "a", QuestionKey: domain.QImpact}
				if v := values[i]; v > 0 {
					a.Value = &v
				}
				tl.Apply(a, "staff")
			}
			return fmt.Sprintf("%+v", Describe(tl.Snapshot("a", domain.QImpact, "")))
		}
		if a, b := stats(rangeN(n)), stats(perm); a != b {
			t.Fatalf("in order:\n%s\npermuted:\n%s", a, b)
		}
	})
}

func rangeN(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// TestStatsAllEqual ensures that when every answer is the same value the
// consensus is 1, the spread 0, and the mean, median and quartiles are
// that value, whatever the scale and the "don't know" answers.
func TestStatsAllEqual(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		min := rapid.IntRange(-5, 5).Draw(t, "min")
		span := rapid.IntRange(2, 11).Draw(t, "span")
		v := rapid.IntRange(0, span-1).Draw(t, "value")
		counts := make([]int64, span)
		counts[v] = rapid.Int64Range(1, 5000).Draw(t, "n")
		s := Describe(FromCounts(min, counts, rapid.Int64Range(0, 50).Draw(t, "dk")))
		x := float64(min + v)
		if s.Consensus != 1 || s.SD != 0 || s.IQR != 0 || float64(s.Mean) != x || float64(s.Median) != x || float64(s.Q1) != x {
			t.Fatalf("all answers %v: %+v", x, s)
		}
	})
}

// TestStatsEvenSplitAtTheEnds ensures an even split between the two ends of
// any scale has consensus 0, the least there is.
func TestStatsEvenSplitAtTheEnds(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		span := rapid.IntRange(2, 11).Draw(t, "span")
		counts := make([]int64, span)
		n := rapid.Int64Range(1, 1000).Draw(t, "n")
		counts[0], counts[span-1] = n, n
		if c := Describe(FromCounts(rapid.IntRange(-5, 5).Draw(t, "min"), counts, 0)).Consensus; !near(float64(c), 0) {
			t.Fatalf("consensus = %v", c)
		}
	})
}

// TestStatsScaleInvariance ensures the statistics follow the scale they
// are measured on: moving the scale (and every answer) by k moves the mean,
// median and quartiles by k and leaves the spread and consensus alone;
// reversing it reflects the mean and leaves the spread and consensus; and
// stretching it by c (answers on every c-th value) multiplies mean, spread
// and quartiles by c and leaves the consensus and the shares of "don't
// know" alone. Multiplying every count by m changes nothing but the counts.
func TestStatsScaleInvariance(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := genDist(t)
		s := Describe(d)
		if s.Count == 0 {
			return
		}
		same := func(what string, a, b Num) {
			if !near(float64(a), float64(b)) {
				t.Fatalf("%s: %v, want %v (%+v)", what, float64(a), float64(b), d)
			}
		}

		k := rapid.IntRange(-20, 20).Draw(t, "shift")
		sh := Describe(FromCounts(d.Min+k, d.Counts, d.DontKnow))
		same("shifted mean", sh.Mean, s.Mean+Num(k))
		same("shifted median", sh.Median, s.Median+Num(k))
		same("shifted q1", sh.Q1, s.Q1+Num(k))
		same("shifted sd", sh.SD, s.SD)
		same("shifted iqr", sh.IQR, s.IQR)
		same("shifted consensus", sh.Consensus, s.Consensus)

		rev := make([]int64, len(d.Counts))
		for i, c := range d.Counts {
			rev[len(rev)-1-i] = c
		}
		rs := Describe(FromCounts(d.Min, rev, d.DontKnow))
		same("reversed mean", rs.Mean, Num(d.Min+d.Max)-s.Mean)
		same("reversed median", rs.Median, Num(d.Min+d.Max)-s.Median)
		same("reversed sd", rs.SD, s.SD)
		same("reversed iqr", rs.IQR, s.IQR)
		same("reversed consensus", rs.Consensus, s.Consensus)

		c := rapid.IntRange(2, 4).Draw(t, "stretch")
		st := make([]int64, (len(d.Counts)-1)*c+1)
		for i, n := range d.Counts {
			st[i*c] = n
		}
		ss := Describe(FromCounts(d.Min*c, st, d.DontKnow))
		same("stretched mean", ss.Mean, s.Mean*Num(c))
		same("stretched sd", ss.SD, s.SD*Num(c))
		same("stretched q3", ss.Q3, s.Q3*Num(c))
		same("stretched iqr", ss.IQR, s.IQR*Num(c))
		same("stretched consensus", ss.Consensus, s.Consensus)
		same("stretched don't know", ss.DontKnowShare, s.DontKnowShare)

		m := int64(rapid.IntRange(2, 5).Draw(t, "multiply"))
		mc := make([]int64, len(d.Counts))
		for i, n := range d.Counts {
			mc[i] = n * m
		}
		ms := Describe(FromCounts(d.Min, mc, d.DontKnow*m))
		same("multiplied mean", ms.Mean, s.Mean)
		same("multiplied sd", ms.SD, s.SD)
		same("multiplied consensus", ms.Consensus, s.Consensus)
		same("multiplied don't know", ms.DontKnowShare, s.DontKnowShare)
		if math.Abs(float64(ms.Median-s.Median)) > 1 { // the median may move to a neighbour's midpoint, but not further
			t.Fatalf("multiplied median %v, was %v", ms.Median, s.Median)
		}
	})
}

// TestDontKnowIsNotAValue ensures adding "don't know" answers changes only
// the counts and the share of "don't know", never a statistic of the
// values.
func TestDontKnowIsNotAValue(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := genDist(t)
		s := Describe(d)
		more := d
		more.DontKnow += rapid.Int64Range(1, 100).Draw(t, "more")
		m := Describe(more)
		for _, p := range [][2]Num{{s.Mean, m.Mean}, {s.Median, m.Median}, {s.SD, m.SD}, {s.IQR, m.IQR}, {s.Consensus, m.Consensus}} {
			if p[0].Valid() != p[1].Valid() || (p[0].Valid() && p[0] != p[1]) {
				t.Fatalf("a statistic moved with \"don't know\": %+v → %+v", s, m)
			}
		}
		if m.DontKnowShare <= s.DontKnowShare && s.DontKnowShare.Valid() && s.DontKnowShare < 1 {
			t.Fatalf("share of don't know did not grow: %v → %v", s.DontKnowShare, m.DontKnowShare)
		}
	})
}
