package loadtest

import (
	"math"
	"math/bits"
	"slices"
	"time"
)

// Percentile returns the p-th percentile (0 < p ≤ 100) of sorted by the
// nearest-rank method: the smallest value such that at least p per cent of
// the values are less than or equal to it. It returns 0 for no values.
// p ≤ 0 gives the minimum.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	if p <= 0 {
		return sorted[0]
	}
	rank := int(math.Ceil(p / 100 * float64(n)))
	rank = min(max(rank, 1), n)
	return sorted[rank-1]
}

// Summary is the distribution of a set of durations.
type Summary struct {
	Count int64         `json:"count"`
	P50   time.Duration `json:"p50_ns"`
	P95   time.Duration `json:"p95_ns"`
	P99   time.Duration `json:"p99_ns"`
	Max   time.Duration `json:"max_ns"`
	Mean  time.Duration `json:"mean_ns"`
}

// Summarize sorts ds in place and summarises them.
func Summarize(ds []time.Duration) Summary {
	if len(ds) == 0 {
		return Summary{}
	}
	slices.Sort(ds)
	var sum float64
	for _, d := range ds {
		sum += float64(d)
	}
	return Summary{Count: int64(len(ds)), P50: Percentile(ds, 50), P95: Percentile(ds, 95), P99: Percentile(ds, 99),
		Max: ds[len(ds)-1], Mean: time.Duration(sum / float64(len(ds)))}
}

// Histogram counts durations in log-linear buckets: exact below 128 ns,
// then 64 buckets per power of two, so that any value a percentile returns
// is at most 1/64 (1.6 %) above the true one. It takes a few nanoseconds per
// value and a fixed 30 KiB, for the hundreds of millions of (listener,
// answer) delays a run can produce. The zero value is ready to use; it is
// not safe for concurrent use (merge per-goroutine histograms instead).
type Histogram struct {
	counts [histBuckets]int64
	n      int64
	max    time.Duration
	sum    float64
}

const (
	histSub     = 64 // buckets per power of two
	histSubBits = 6
	histBuckets = 2*histSub + (63-histSubBits)*histSub
)

// histIndex returns the bucket of a non-negative value.
func histIndex(v uint64) int {
	if v < 2*histSub {
		return int(v)
	}
	shift := bits.Len64(v) - histSubBits - 1 // ≥ 1
	return shift*histSub + int(v>>uint(shift))
}

// histUpper returns the largest value in bucket i.
func histUpper(i int) uint64 {
	if i < 2*histSub {
		return uint64(i)
	}
	shift := i/histSub - 1
	mant := uint64(i - shift*histSub)
	return (mant+1)<<uint(shift) - 1
}

// Add counts d (negative durations count as 0).
func (h *Histogram) Add(d time.Duration) { h.AddN(d, 1) }

// AddN counts d n times.
func (h *Histogram) AddN(d time.Duration, n int64) {
	if n <= 0 {
		return
	}
	if d < 0 {
		d = 0
	}
	h.counts[histIndex(uint64(d))] += n
	h.n += n
	h.sum += float64(d) * float64(n)
	if d > h.max {
		h.max = d
	}
}

// Merge adds o's counts to h.
func (h *Histogram) Merge(o *Histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.sum += o.sum
	h.max = max(h.max, o.max)
}

// Count returns how many values were added.
func (h *Histogram) Count() int64 { return h.n }

// Max returns the largest value added.
func (h *Histogram) Max() time.Duration { return h.max }

// Percentile returns the p-th percentile by nearest rank, as the upper
// bound of its bucket (never more than the maximum).
func (h *Histogram) Percentile(p float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := int64(math.Ceil(p / 100 * float64(h.n)))
	rank = min(max(rank, 1), h.n)
	var seen int64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return min(time.Duration(histUpper(i)), h.max)
		}
	}
	return h.max
}

// Summary summarises the histogram.
func (h *Histogram) Summary() Summary {
	if h.n == 0 {
		return Summary{}
	}
	return Summary{Count: h.n, P50: h.Percentile(50), P95: h.Percentile(95), P99: h.Percentile(99), Max: h.max,
		Mean: time.Duration(h.sum / float64(h.n))}
}
