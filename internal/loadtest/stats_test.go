package loadtest

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// Ensures Percentile follows the nearest-rank definition: the smallest
// value with at least p per cent of the values at or below it.
func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{0, 1}, {1, 1}, {50, 50}, {95, 95}, {99, 99}, {99.5, 100}, {100, 100}} {
		if got := Percentile(ds, c.p); got != c.want*time.Millisecond {
			t.Errorf("p%g = %v, want %v", c.p, got, c.want*time.Millisecond)
		}
	}
	if got := Percentile(nil, 50); got != 0 {
		t.Errorf("p50 of nothing = %v", got)
	}
	one := []time.Duration{7}
	for _, p := range []float64{0, 50, 99, 100} {
		if got := Percentile(one, p); got != 7 {
			t.Errorf("p%g of one value = %v", p, got)
		}
	}
	// Ten values: p99 is the largest, p90 the ninth, p50 the fifth.
	ten := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if Percentile(ten, 99) != 10 || Percentile(ten, 90) != 9 || Percentile(ten, 50) != 5 {
		t.Errorf("ten values: p50 %v p90 %v p99 %v", Percentile(ten, 50), Percentile(ten, 90), Percentile(ten, 99))
	}
}

// Ensures Summarize sorts, and reports count, percentiles, max and mean.
func TestSummarize(t *testing.T) {
	ds := []time.Duration{5, 1, 4, 2, 3}
	s := Summarize(ds)
	if s.Count != 5 || s.P50 != 3 || s.P95 != 5 || s.P99 != 5 || s.Max != 5 || s.Mean != 3 {
		t.Errorf("summary %+v", s)
	}
	if (Summarize(nil) != Summary{}) {
		t.Error("summary of nothing is not zero")
	}
}

// Ensures the histogram's percentiles are within 1/64 above the exact
// ones, its maximum and count are exact, and merging adds.
func TestHistogramAccuracy(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var h, a, b Histogram
	var ds []time.Duration
	for i := range 200_000 {
		// Log-normal around a millisecond, with a long tail.
		d := time.Duration(math.Exp(r.NormFloat64()*1.5) * float64(time.Millisecond))
		if i%1000 == 0 {
			d = time.Duration(r.IntN(200)) // small values are exact
		}
		ds = append(ds, d)
		h.Add(d)
		if i%2 == 0 {
			a.Add(d)
		} else {
			b.Add(d)
		}
	}
	a.Merge(&b)
	slices.Sort(ds)
	for _, p := range []float64{1, 10, 50, 90, 95, 99, 99.9, 100} {
		exact := Percentile(ds, p)
		for name, hh := range map[string]*Histogram{"one": &h, "merged": &a} {
			got := hh.Percentile(p)
			if got < exact || float64(got-exact) > float64(exact)/64+1 {
				t.Errorf("%s: p%g = %v, exact %v", name, p, got, exact)
			}
		}
	}
	if h.Count() != int64(len(ds)) || h.Max() != ds[len(ds)-1] || a.Count() != h.Count() || a.Max() != h.Max() {
		t.Errorf("count %d max %v; merged count %d max %v; want %d, %v", h.Count(), h.Max(), a.Count(), a.Max(), len(ds), ds[len(ds)-1])
	}
	var empty Histogram
	if empty.Percentile(50) != 0 || (empty.Summary() != Summary{}) {
		t.Error("an empty histogram is not zero")
	}
}

// Ensures every value falls in a bucket whose bounds hold it, across the
// whole range, and that buckets are ordered.
func TestHistogramBuckets(t *testing.T) {
	last := -1
	for _, v := range []uint64{0, 1, 127, 128, 129, 191, 192, 1000, 1 << 20, 1<<40 + 12345, 1<<63 - 1, 1<<64 - 1} {
		i := histIndex(v)
		if i < 0 || i >= histBuckets {
			t.Fatalf("value %d: bucket %d out of range", v, i)
		}
		if histUpper(i) < v || (i > 0 && histUpper(i-1) >= v) {
			t.Errorf("value %d in bucket %d with bounds (%d, %d]", v, i, histUpper(i-1), histUpper(i))
		}
		if i < last {
			t.Errorf("value %d: bucket %d after %d", v, i, last)
		}
		last = i
	}
	var h Histogram
	h.AddN(-5, 3) // negative counts as 0
	h.AddN(time.Second, 0)
	if h.Count() != 3 || h.Percentile(100) != 0 {
		t.Errorf("count %d, p100 %v", h.Count(), h.Percentile(100))
	}
}
