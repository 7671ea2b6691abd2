package web

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/waymark/waymark/internal/domain"
)

// Shared parts of the portfolio pages (settings, initiatives, tracking):
// how amounts are written, how form problems reach the error summary, and
// the options of the selects and radios.

// pfNBSP keeps a number and its currency, and a number's digit groups,
// together on one line.
const pfNBSP = "\u00a0"

// pfMoney writes an amount in the organisation's currency the way the
// page's language does: "SEK 1,200,000" in English, "1 200 000 SEK" in
// Swedish, always with the ISO code so that it is never ambiguous.
func pfMoney(v int64, currency, lang string) string {
	if lang == "sv" {
		return pfGroupDigits(v, pfNBSP) + pfNBSP + currency
	}
	return currency + pfNBSP + pfGroupDigits(v, ",")
}

// pfGroupDigits writes v with sep between groups of three digits.
func pfGroupDigits(v int64, sep string) string {
	s := strconv.FormatInt(v, 10)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	b.WriteString(sign)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// pfFTE writes staff effort with the page language's decimal mark:
// "1.5" in English, "1,5" in Swedish.
func pfFTE(f domain.FTE, lang string) string {
	return pfDecimalMark(f.String(), lang)
}

// pfDecimal writes x rounded to two decimals, without trailing zeros,
// with the page language's decimal mark.
func pfDecimal(x float64, lang string) string {
	return pfDecimalMark(strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64), lang)
}

func pfDecimalMark(s, lang string) string {
	if lang == "sv" {
		return strings.Replace(s, ".", ",", 1)
	}
	return s
}

// pfWeightedBenefit is Σ weight × score over the organisation's criteria,
// as the optimiser values an initiative (docs/method.md).
func pfWeightedBenefit(in *domain.Initiative, criteria []domain.BenefitCriterion) float64 {
	var sum float64
	for _, c := range criteria {
		sum += c.Weight * float64(in.Benefits[c.Key])
	}
	return sum
}

var pfThousands = regexp.MustCompile(`^-?\d{1,3}(?:(,)\d{3})+$|^-?\d{1,3}(?:(\.)\d{3})+$`)

// pfParseWhole reads a whole number as people type it: with spaces between
// digit groups ("1 200 000"), or with commas or points between groups of
// three ("1,200,000"). A blank field is blank.
func pfParseWhole(s string) (v int64, ok, blank bool) {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '_' || r == '\'' {
			return -1
		}
		return r
	}, s)
	if s == "" {
		return 0, false, true
	}
	if pfThousands.MatchString(s) {
		s = strings.NewReplacer(",", "", ".", "").Replace(s)
	}
	v, err := strconv.ParseInt(s, 10, 64)
	return v, err == nil, false
}

// pfParseInt reads a small whole number such as a year or a duration.
func pfParseInt(s string) (int, bool) {
	v, ok, _ := pfParseWhole(s)
	if !ok || v < math.MinInt32 || v > math.MaxInt32 {
		return 0, false
	}
	return int(v), true
}

// pfParseDecimal reads a number with a decimal point or comma.
func pfParseDecimal(s string) (float64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// pfError is one problem of a form as the error summary lists it: the
// input it is about (ID, "" for the form as a whole), the input's label
// and the message, in the page's language.
type pfError struct {
	ID      string
	Label   string
	Message string
}

// pfErrors turns problems into the error summary's list, in the order of
// the inputs on the page, and the message of each input (its first). idOf
// maps a problem's field to the input's id ("" for none), labelOf an id to
// the input's label. Messages are translated unless they are already.
func (c *call) pfErrors(ps domain.Problems, idOf func(field string) string, labelOf func(id string) string, order []string) ([]pfError, map[string]string) {
	errs := make([]pfError, 0, len(ps))
	byID := map[string]string{}
	for _, p := range ps {
		id := idOf(p.Field)
		msg := c.s.cat.Message(c.lang, p.Message)
		e := pfError{ID: id, Message: msg}
		if id != "" {
			e.Label = labelOf(id)
			if _, ok := byID[id]; !ok {
				byID[id] = msg
			}
		}
		errs = append(errs, e)
	}
	pos := func(id string) int {
		if id == "" {
			return -1
		}
		if i := slices.Index(order, id); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(errs, func(a, b pfError) int { return pos(a.ID) - pos(b.ID) })
	return errs, byID
}

// pfStatusOptions are the initiative statuses, selected.
func (c *call) pfStatusOptions(selected string) []option {
	out := make([]option, len(domain.InitiativeStatuses))
	for i, s := range domain.InitiativeStatuses {
		out[i] = option{Value: string(s), Label: c.T("portfolio.status." + string(s)), Selected: string(s) == selected}
	}
	return out
}

// pfRAGOptions are "not rated" and the RAG ratings, selected.
func (c *call) pfRAGOptions(selected string) []option {
	out := []option{{Value: "", Label: c.T("portfolio.rag.none"), Selected: selected == ""}}
	for _, r := range domain.RAGs {
		out = append(out, option{Value: string(r), Label: c.T("portfolio.rag." + string(r)), Selected: string(r) == selected})
	}
	return out
}

// pfRiskOptions are the risks, selected.
func (c *call) pfRiskOptions(selected string) []option {
	out := make([]option, len(domain.Risks))
	for i, r := range domain.Risks {
		out[i] = option{Value: string(r), Label: c.T("portfolio.risk." + string(r)), Selected: string(r) == selected}
	}
	return out
}

// pfScaleOptions are the values lo…hi, each labelled with the message
// prefix+value, selected.
func (c *call) pfScaleOptions(lo, hi int, prefix, selected string) []option {
	var out []option
	for v := lo; v <= hi; v++ {
		s := strconv.Itoa(v)
		out = append(out, option{Value: s, Label: c.T(prefix + s), Selected: s == selected})
	}
	return out
}

// pfRAG is what a RAG rating shows: its word and its class.
type pfRAG struct {
	Class string
	Label string
}

func (c *call) pfRAGTag(r domain.RAG) pfRAG {
	if r == domain.RAGNone {
		return pfRAG{Class: "none", Label: c.T("portfolio.rag.none")}
	}
	return pfRAG{Class: string(r), Label: c.T("portfolio.rag." + string(r))}
}

// errPortfolioForbidden refuses a form to a role that may not edit the
// portfolio, before anything is read.
func errPortfolioForbidden() error {
	return domain.Errorf(domain.EFORBIDDEN, "Your role does not allow you to %s.", "edit the portfolio")
}

// pfMergeProblems adds to the problems of reading a form (numbers that
// could not be read) the domain's problems with the rest, leaving out the
// domain's about a field already reported.
func pfMergeProblems(read, more domain.Problems) domain.Problems {
	seen := map[string]bool{}
	for _, p := range read {
		seen[p.Field] = true
	}
	for _, p := range more {
		if !seen[p.Field] {
			read = append(read, p)
		}
	}
	return read
}
