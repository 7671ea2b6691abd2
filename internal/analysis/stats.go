package analysis

import (
	"math"

	"github.com/waymark/waymark/internal/workshop"
)

// Stats describes the answers to one question about one trend, for
// everyone or one participant group. Every field is computed from the
// counts per value, in time proportional to the size of the scale.
//
// Values are the answers on the scale; "don't know" answers are counted in
// DontKnow and Total but are never values: they move no mean, median or
// consensus. Statistics of no values are absent.
type Stats struct {
	Min    int     `json:"min"`    // bottom of the scale
	Max    int     `json:"max"`    // top of the scale
	Counts []int64 `json:"counts"` // answers per value: Counts[i] for the value Min+i
	Shares []Num   `json:"shares"` // Counts[i]/Count; absent when Count is 0

	Count         int64 `json:"count"`           // answers with a value
	DontKnow      int64 `json:"dont_know"`       // "don't know" answers
	Total         int64 `json:"total"`           // Count + DontKnow
	DontKnowShare Num   `json:"dont_know_share"` // DontKnow/Total; absent when Total is 0

	Mean      Num `json:"mean"`      // arithmetic mean of the values
	Median    Num `json:"median"`    // the 0.5 quantile (see Quantile)
	SD        Num `json:"sd"`        // population standard deviation (divides by n)
	Q1        Num `json:"q1"`        // 0.25 quantile
	Q3        Num `json:"q3"`        // 0.75 quantile
	IQR       Num `json:"iqr"`       // Q3 − Q1
	Consensus Num `json:"consensus"` // Tastle and Wierman's ordinal consensus, 0…1
}

// Valid reports whether there is at least one value.
func (s Stats) Valid() bool { return s.Count > 0 }

// Describe returns the statistics of a distribution. It uses the
// distribution's Min, Max, Counts and DontKnow; Count, Sum and SumSq are
// recomputed from the counts, so a Distribution made by FromCounts or by
// hand needs only those.
func Describe(d workshop.Distribution) Stats {
	s := Stats{Min: d.Min, Max: d.Max, DontKnow: d.DontKnow}
	if s.Max < s.Min || (len(d.Counts) > 0 && s.Max-s.Min+1 != len(d.Counts)) {
		s.Max = s.Min + max(len(d.Counts), 1) - 1
	}
	s.Counts = make([]int64, s.Max-s.Min+1)
	copy(s.Counts, d.Counts)
	var sum, sumSq int64
	for i, c := range s.Counts {
		if c < 0 { // a torn aggregate; never from a Tally
			s.Counts[i], c = 0, 0
		}
		v := int64(s.Min + i)
		s.Count += c
		sum += c * v
		sumSq += c * v * v
	}
	if s.DontKnow < 0 {
		s.DontKnow = 0
	}
	s.Total = s.Count + s.DontKnow
	s.DontKnowShare = ratio(s.DontKnow, s.Total)
	s.Shares = make([]Num, len(s.Counts))
	for i, c := range s.Counts {
		s.Shares[i] = ratio(c, s.Count)
	}
	s.Mean, s.Median, s.SD, s.Q1, s.Q3, s.IQR, s.Consensus = Absent, Absent, Absent, Absent, Absent, Absent, Absent
	if s.Count == 0 {
		return s
	}
	n := s.Count
	s.Mean = Num(float64(sum) / float64(n))
	// Population variance, exact in integers: (n·Σv² − (Σv)²) / n².
	s.SD = Num(math.Sqrt(float64(n*sumSq-sum*sum) / float64(n) / float64(n)))
	s.Q1 = Num(quantile(s.Min, s.Counts, n, 0.25))
	s.Median = Num(quantile(s.Min, s.Counts, n, 0.5))
	s.Q3 = Num(quantile(s.Min, s.Counts, n, 0.75))
	s.IQR = s.Q3 - s.Q1
	s.Consensus = Num(consensus(s.Min, s.Max, s.Counts, n, float64(s.Mean)))
	return s
}

// FromCounts returns the Distribution of a scale starting at min with the
// given counts per value (counts[i] for min+i) and "don't know" answers.
func FromCounts(min int, counts []int64, dontKnow int64) workshop.Distribution {
	d := workshop.Distribution{Min: min, Max: min + len(counts) - 1, DontKnow: dontKnow, Counts: append([]int64(nil), counts...)}
	for i, c := range counts {
		v := int64(min + i)
		d.Count += c
		d.Sum += c * v
		d.SumSq += c * v * v
	}
	return d
}

// FromValues returns the Distribution of answers on the scale min…max,
// where nil is "don't know". Values off the scale are ignored.
func FromValues(min, max int, values []*int) workshop.Distribution {
	counts := make([]int64, max-min+1)
	var dk int64
	for _, v := range values {
		switch {
		case v == nil:
			dk++
		case *v >= min && *v <= max:
			counts[*v-min]++
		}
	}
	return FromCounts(min, counts, dk)
}

// Quantile returns the p quantile (0 ≤ p ≤ 1) of the values by the method
// that R, NumPy and spreadsheets use by default (Hyndman and Fan's type 7,
// Excel's QUARTILE.INC and PERCENTILE.INC): with the n values sorted as
// x₀ ≤ … ≤ xₙ₋₁, h = (n−1)·p and Q(p) = x⌊h⌋ + (h−⌊h⌋)·(x⌊h⌋+1 − x⌊h⌋). It is
// absent when there are no values.
func (s Stats) Quantile(p float64) Num {
	if s.Count == 0 || math.IsNaN(p) {
		return Absent
	}
	return Num(quantile(s.Min, s.Counts, s.Count, clamp(p, 0, 1)))
}

func quantile(min int, counts []int64, n int64, p float64) float64 {
	h := float64(n-1) * p
	lo := int64(math.Floor(h))
	frac := h - float64(lo)
	a := kth(min, counts, lo)
	if frac == 0 {
		return float64(a)
	}
	b := kth(min, counts, lo+1)
	return float64(a) + frac*float64(b-a)
}

// kth returns the k-th smallest value, counting from 0.
func kth(min int, counts []int64, k int64) int {
	for i, c := range counts {
		if k < c {
			return min + i
		}
		k -= c
	}
	return min + len(counts) - 1
}

// consensus is Tastle and Wierman's measure
//
//	Cns = 1 + Σᵢ pᵢ · log₂(1 − |Xᵢ − μ| / d),  d = max − min,
//
// over the values Xᵢ of the scale with shares pᵢ and mean μ. Terms with
// pᵢ = 0 are 0 (the limit of p·log p). It is 1 when every answer is the
// same and 0 when the answers are split evenly between the two ends.
func consensus(min, max int, counts []int64, n int64, mean float64) float64 {
	d := float64(max - min)
	if d <= 0 {
		return 1
	}
	c := 1.0
	for i, k := range counts {
		if k == 0 {
			continue
		}
		arg := 1 - math.Abs(float64(min+i)-mean)/d
		if arg <= 0 { // only by rounding: a value at one end with the mean at the other
			return 0
		}
		c += float64(k) / float64(n) * math.Log2(arg)
	}
	return clamp(c, 0, 1)
}

func ratio(a, n int64) Num {
	if n <= 0 {
		return Absent
	}
	return Num(float64(a) / float64(n))
}
