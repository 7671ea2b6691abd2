// Package portfolio chooses which initiatives an organisation should fund
// and when, maximising their weighted value under yearly budget and staff
// caps, dependencies, mutually exclusive options and start windows, and
// proves the choice optimal. It also reads and writes the portfolio file
// format, waymark.portfolio/v1.
//
// The package is pure: no I/O, no clocks other than the time limit, no
// goroutines, and the same input always gives the same plan. The model and
// its formulas are documented in docs/formats.md under "Portfolio file
// format (waymark.portfolio/v1)".
//
//	p, err := portfolio.Parse(data)          // err is domain.Problems with JSON paths
//	res, err := portfolio.Solve(ctx, p, portfolio.Options{Marginals: true})
//	out, err := portfolio.MarshalResult(p, res)
package portfolio

import (
	"github.com/waymark/waymark/internal/domain"
	"math"
	"slices"
)

// Format is the format tag of portfolio and result files.
const Format = "waymark.portfolio/v1"

// Limits on what a portfolio may hold. They keep a file's size and the
// optimiser's work bounded; real portfolios are far smaller.
const (
	MaxInitiatives  = 500
	MaxYears        = 50
	MaxCriteria     = 50
	MaxTrends       = 5000
	MaxGroups       = 500
	MaxMoney        = 1_000_000_000_000 // 10^12 currency units in any one amount
	MaxFTE          = 100_000 * FTEUnit // FTE amounts, in hundredths
	MaxBenefitScore = 5
	MaxStrength     = 3
)

// FTE is staff effort in hundredths of a full-time equivalent per year:
// 150 is 1.5 FTE. Whole hundredths keep the feasibility check exact. It is
// the domain's type, so that initiatives and scenarios need no conversion.
type FTE = domain.FTE

// FTEUnit is one full-time equivalent.
const FTEUnit = domain.FTEUnit

// Force says whether an initiative must or must not be in the plan.
type Force string

const (
	Free      Force = ""
	ForcedIn  Force = "in"
	ForcedOut Force = "out"
)

// Portfolio is everything the optimiser needs: the planning horizon, the
// caps, the criteria and trends that give initiatives their value, the
// initiatives and the groups of mutually exclusive ones.
type Portfolio struct {
	Name     string
	Currency string // a label only, such as "SEK" or "kGBP"
	Horizon  Horizon
	Budget   MoneyCaps
	// FTE is nil when staff effort is not capped.
	FTE *FTECaps
	// Steps are the extra amounts whose value Solve reports for each year.
	Steps Steps
	// Criteria weigh the benefit scores; an initiative's weighted benefit
	// is Σ weight × score.
	Criteria []Criterion
	// Trends with priorities scale initiatives' value by how strongly they
	// address important trends; TrendWeight (λ) sets how much.
	Trends      []Trend
	TrendWeight float64
	Initiatives []Initiative
	Groups      []Group
}

// Horizon is the planning period, first and last year included.
type Horizon struct{ Start, End int }

// Years is the number of years in the horizon.
func (h Horizon) Years() int { return h.End - h.Start + 1 }

// MoneyCaps is a yearly budget cap: Default every year, except the years
// in Years (the domain's type).
type MoneyCaps = domain.MoneyCaps

// FTECaps is a yearly staff cap, like MoneyCaps.
type FTECaps = domain.FTECaps

// Steps are the increments used for the marginal values: "what would one
// more Budget in year Y be worth?". Zero means the default: 1 currency
// unit and 1 FTE.
type Steps struct {
	Budget int64
	FTE    FTE
}

// BudgetStep and FTEStep return the steps with their defaults applied.
func (s Steps) BudgetStep() int64 {
	if s.Budget <= 0 {
		return 1
	}
	return s.Budget
}

func (s Steps) FTEStep() FTE {
	if s.FTE <= 0 {
		return FTEUnit
	}
	return s.FTE
}

// Criterion is a benefit criterion with the organisation's weight.
type Criterion struct {
	Key    string
	Title  string
	Weight float64
}

// Trend is a trend that initiatives can address, with its priority (any
// non-negative scale: it is divided by the largest priority in the file).
type Trend struct {
	Key      string
	Title    string
	Priority float64
}

// Initiative is a proposed action.
type Initiative struct {
	Key   string
	Title string
	// OneOffCost is spent in the start year; RecurringCost every year from
	// the start year to the end of the horizon.
	OneOffCost    int64
	RecurringCost int64
	// FTE is the staff effort in every year from the start for Duration
	// years.
	FTE      FTE
	Duration int
	// EarliestStart and LatestStart bound the start year (both included).
	// An initiative must also finish within the horizon, so in effect it
	// starts no later than Horizon.End − Duration + 1.
	EarliestStart, LatestStart int
	// DependsOn lists initiatives that must be in the plan and finished
	// before this one starts.
	DependsOn []string
	// Benefits scores the initiative 0–5 on criteria (by key); a criterion
	// left out scores 0.
	Benefits map[string]float64
	// Trends says how strongly (0–3) it addresses trends (by key).
	Trends map[string]int
	Force  Force
}

// Group is a set of mutually exclusive initiatives: at most one of them is
// in a plan.
type Group struct {
	Key         string
	Initiatives []string
}

// Finish returns the last year of an initiative that starts in start.
func (in *Initiative) Finish(start int) int { return start + in.Duration - 1 }

// LastStart is the latest year the initiative can start and still finish
// within the horizon (which may be before EarliestStart: then it cannot be
// in any plan).
func (p *Portfolio) LastStart(i int) int {
	in := &p.Initiatives[i]
	return min(in.LatestStart, p.Horizon.End-in.Duration+1)
}

// CostIn returns what initiative in, started in start, costs in year y:
// the one-off cost in the start year and the recurring cost in every year
// from the start to the horizon end.
func (in *Initiative) CostIn(start, y int) int64 {
	var c int64
	if y == start {
		c += in.OneOffCost
	}
	if y >= start {
		c += in.RecurringCost
	}
	return c
}

// FTEIn returns the staff effort of in, started in start, in year y.
func (in *Initiative) FTEIn(start, y int) FTE {
	if y >= start && y <= in.Finish(start) {
		return in.FTE
	}
	return 0
}

// WeightedBenefit is B = Σ_c weight_c × score_c.
func (p *Portfolio) WeightedBenefit(i int) float64 {
	in := &p.Initiatives[i]
	b := 0.0
	for _, c := range p.Criteria {
		b += c.Weight * in.Benefits[c.Key]
	}
	return b
}

// TrendFactor is A = max over linked trends of (strength / 3) × (priority /
// highest priority), in [0, 1]; 0 without trends.
func (p *Portfolio) TrendFactor(i int) float64 {
	in := &p.Initiatives[i]
	maxP := 0.0
	for _, t := range p.Trends {
		maxP = math.Max(maxP, t.Priority)
	}
	if maxP == 0 {
		return 0
	}
	a := 0.0
	for _, t := range p.Trends {
		if s, ok := in.Trends[t.Key]; ok {
			a = math.Max(a, float64(s)/MaxStrength*t.Priority/maxP)
		}
	}
	return a
}

// Value is initiative i's value: B × (1 + λ × A), where B is the weighted
// benefit, A the trend factor and λ the portfolio's TrendWeight.
func (p *Portfolio) Value(i int) float64 {
	return p.WeightedBenefit(i) * (1 + p.TrendWeight*p.TrendFactor(i))
}

// Index returns the position of the initiative with the given key, or −1.
func (p *Portfolio) Index(key string) int {
	return slices.IndexFunc(p.Initiatives, func(in Initiative) bool { return in.Key == key })
}

// Clone returns a deep copy, for scenarios that change caps or forcing.
func (p *Portfolio) Clone() *Portfolio {
	q := *p
	q.Budget.Years = cloneMap(p.Budget.Years)
	if p.FTE != nil {
		f := *p.FTE
		f.Years = cloneMap(p.FTE.Years)
		q.FTE = &f
	}
	q.Criteria = slices.Clone(p.Criteria)
	q.Trends = slices.Clone(p.Trends)
	q.Initiatives = slices.Clone(p.Initiatives)
	for i := range q.Initiatives {
		in := &q.Initiatives[i]
		in.DependsOn = slices.Clone(in.DependsOn)
		in.Benefits = cloneMap(in.Benefits)
		in.Trends = cloneMap(in.Trends)
	}
	q.Groups = slices.Clone(p.Groups)
	for i := range q.Groups {
		q.Groups[i].Initiatives = slices.Clone(q.Groups[i].Initiatives)
	}
	return &q
}

func cloneMap[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return nil
	}
	c := make(map[K]V, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
