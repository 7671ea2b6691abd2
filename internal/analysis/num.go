package analysis

import (
	"math"
	"strconv"
	"strings"
)

// Num is a statistic that may be absent, as the mean of no answers is. An
// absent Num is NaN; its JSON is null. Compare with Valid, never with ==.
type Num float64

// Absent is the absent Num.
var Absent = Num(math.NaN())

// Valid reports whether n is present (not NaN).
func (n Num) Valid() bool { return !math.IsNaN(float64(n)) }

// Float returns n as a float64 (NaN when absent).
func (n Num) Float() float64 { return float64(n) }

// Or returns n, or def when n is absent.
func (n Num) Or(def float64) float64 {
	if n.Valid() {
		return float64(n)
	}
	return def
}

// MarshalJSON writes the number, or null when absent.
func (n Num) MarshalJSON() ([]byte, error) {
	if !n.Valid() || math.IsInf(float64(n), 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, float64(n), 'g', -1, 64), nil
}

// UnmarshalJSON reads a number, or null as absent.
func (n *Num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Absent
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return err
	}
	*n = Num(f)
	return nil
}

// Format returns n with the given number of decimals in lang ("sv" writes
// a decimal comma and a true minus sign), or "–" when absent.
func (n Num) Format(decimals int, lang string) string {
	if !n.Valid() {
		return "–"
	}
	return formatFloat(float64(n), decimals, lang)
}

func formatFloat(f float64, decimals int, lang string) string {
	s := strconv.FormatFloat(f, 'f', decimals, 64)
	if s == "-0" || strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	if lang == "sv" {
		s = strings.ReplaceAll(strings.ReplaceAll(s, ".", ","), "-", "−")
	}
	return s
}

// signed formats f with a sign (+1.5, −0.3) in lang.
func signed(f float64, decimals int, lang string) string {
	s := formatFloat(f, decimals, lang)
	if !strings.HasPrefix(s, "-") && !strings.HasPrefix(s, "−") && strings.Trim(s, "0.,") != "" {
		s = "+" + s
	}
	return s
}

func clamp(x, lo, hi float64) float64 { return math.Min(hi, math.Max(lo, x)) }
