// Package scenario reads back the optimiser's stored results and derives
// what the scenario pages and the API show from them: the comparison of
// two scenarios (what drops out, what comes in, what moves, the value
// lost) and the roadmap to the horizon year in swimlanes by capability
// area. It is pure: no I/O and no clock.
//
// A scenario's result is the optimiser's result file, waymark.portfolio/v1
// with "kind": "result" (docs/formats.md), as internal/portfolio writes it
// and internal/service stores it; ReadResult reads it.
package scenario

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/portfolio"
)

// Result is a stored optimiser result.
type Result struct {
	Format   string           `json:"format"`
	Kind     string           `json:"kind"`
	Name     string           `json:"name"`
	Currency string           `json:"currency"`
	Status   portfolio.Status `json:"status"`
	// Objective is the plan's value, Bound a proven upper bound on any
	// plan's value, Gap = Bound − Objective (0 when optimal).
	Objective   float64 `json:"objective"`
	Bound       float64 `json:"bound"`
	Gap         float64 `json:"gap"`
	RelativeGap float64 `json:"relative_gap"`
	// Plan lists the chosen initiatives (Key is the initiative's id) by
	// start year.
	Plan    []Assignment `json:"plan"`
	LeftOut []Omission   `json:"left_out"`
	Years   []Year       `json:"years"`
	Binding []Binding    `json:"binding"`
	Steps   Steps        `json:"marginal_steps"`
	// MarginalsComplete is nil when no marginal values were asked for.
	MarginalsComplete *bool    `json:"marginals_complete"`
	Reasons           []string `json:"reasons"`
	Message           string   `json:"message"`
}

// Assignment is an initiative in the plan: it runs from Start to End.
type Assignment struct {
	Key    string  `json:"key"`
	Title  string  `json:"title"`
	Start  int     `json:"start"`
	End    int     `json:"end"`
	Value  float64 `json:"value"`
	Forced bool    `json:"forced"`
}

// Omission is an initiative the optimiser left out, with its reason when
// it could never be in a plan.
type Omission struct {
	Key    string  `json:"key"`
	Title  string  `json:"title"`
	Value  float64 `json:"value"`
	Reason string  `json:"reason"`
}

// Year is the plan's use of one year's caps.
type Year struct {
	Year   int      `json:"year"`
	Budget MoneyUse `json:"budget"`
	FTE    *FTEUse  `json:"fte"` // nil when staff effort is not capped
}

// MoneyUse is the plan's spending against a year's budget cap.
type MoneyUse struct {
	Cap      int64     `json:"cap"`
	Used     int64     `json:"used"`
	Slack    int64     `json:"slack"`
	Binding  bool      `json:"binding"`
	Marginal *Marginal `json:"marginal"`
}

// FTEUse is the plan's staff effort against a year's FTE cap.
type FTEUse struct {
	Cap, Used, Slack domain.FTE
	Binding          bool
	Marginal         *Marginal
}

// UnmarshalJSON reads the FTE amounts, which the file writes as decimal
// numbers of FTE.
func (u *FTEUse) UnmarshalJSON(b []byte) error {
	var raw struct {
		Cap      json.Number `json:"cap"`
		Used     json.Number `json:"used"`
		Slack    json.Number `json:"slack"`
		Binding  bool        `json:"binding"`
		Marginal *Marginal   `json:"marginal"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var err error
	if u.Cap, err = fte(raw.Cap); err != nil {
		return err
	}
	if u.Used, err = fte(raw.Used); err != nil {
		return err
	}
	if u.Slack, err = fte(raw.Slack); err != nil {
		return err
	}
	u.Binding, u.Marginal = raw.Binding, raw.Marginal
	return nil
}

// Marginal is what one more step of a year's cap adds to the optimal
// value: Gain when Exact, else at least Gain and at most Upper.
type Marginal struct {
	Gain  float64  `json:"gain"`
	Upper *float64 `json:"gain_upper"`
	Exact bool     `json:"exact"`
}

// Binding is a constraint without slack in the plan.
type Binding struct {
	Kind       string `json:"kind"` // budget, fte, dependency, exclusive
	Year       int    `json:"year"`
	Initiative string `json:"initiative"`
	On         string `json:"on"`
	Group      string `json:"group"`
}

// Steps are the amounts the marginal values are for: one more Budget
// (currency units) or FTE in a year.
type Steps struct {
	Budget int64
	FTE    domain.FTE
}

// UnmarshalJSON reads the steps; FTE is a decimal number of FTE.
func (s *Steps) UnmarshalJSON(b []byte) error {
	var raw struct {
		Budget int64       `json:"budget"`
		FTE    json.Number `json:"fte"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	f, err := fte(raw.FTE)
	if err != nil {
		return err
	}
	s.Budget, s.FTE = raw.Budget, f
	return nil
}

func fte(n json.Number) (domain.FTE, error) {
	if n == "" {
		return 0, nil
	}
	f, err := domain.ParseFTE(n.String())
	if err != nil {
		return 0, fmt.Errorf("scenario: FTE %q: %w", n, err)
	}
	return f, nil
}

// ErrNotResult is returned (wrapped) for data that is not an optimiser
// result file.
var ErrNotResult = errors.New("scenario: not a waymark.portfolio/v1 result")

// ReadResult reads a stored result file.
func ReadResult(data []byte) (*Result, error) {
	var r Result
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotResult, err)
	}
	if r.Format != portfolio.Format || r.Kind != "result" {
		return nil, fmt.Errorf("%w: format %q, kind %q", ErrNotResult, r.Format, r.Kind)
	}
	return &r, nil
}

// HasPlan reports whether the result has a plan: it is optimal, or the
// time limit came after a plan was found.
func (r *Result) HasPlan() bool {
	return r.Status == portfolio.Optimal || r.Status == portfolio.TimeLimit && len(r.Years) > 0
}

// InPlan returns the plan's assignment of the initiative with the key.
func (r *Result) InPlan(key string) (Assignment, bool) {
	for _, a := range r.Plan {
		if a.Key == key {
			return a, true
		}
	}
	return Assignment{}, false
}
