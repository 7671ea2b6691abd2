package portfolio

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/waymark/waymark/internal/domain"
)

// ResultFile is a result file, waymark.portfolio/v1 with "kind": "result"
// (docs/formats.md): what MarshalResult writes and ReadResultFile reads
// back, for the scenario pages and the API. Field order is the documented
// order.
type ResultFile struct {
	Format   string `json:"format"`
	Kind     string `json:"kind"`
	Name     string `json:"name,omitempty"`
	Currency string `json:"currency,omitempty"`
	Status   Status `json:"status"`
	// Objective is the plan's value, Bound a proven upper bound on any
	// plan's value, Gap = Bound − Objective (0 when optimal).
	Objective   float64 `json:"objective"`
	Bound       float64 `json:"bound"`
	Gap         float64 `json:"gap"`
	RelativeGap float64 `json:"relative_gap"`
	// Plan lists the chosen initiatives (Key is the initiative's id) by
	// start year.
	Plan    []PlanEntry    `json:"plan"`
	LeftOut []LeftOutEntry `json:"left_out"`
	Years   []YearEntry    `json:"years"`
	Binding []BindingEntry `json:"binding"`
	Steps   StepsEntry     `json:"marginal_steps"`
	// MarginalsComplete is nil when no marginal values were asked for.
	MarginalsComplete *bool          `json:"marginals_complete,omitempty"`
	Reasons           []string       `json:"reasons,omitempty"`
	Stats             map[string]any `json:"stats"`
	Message           string         `json:"message"`
}

// PlanEntry is an initiative in the plan: it runs from Start to End.
type PlanEntry struct {
	Key    string  `json:"key"`
	Title  string  `json:"title,omitempty"`
	Start  int     `json:"start"`
	End    int     `json:"end"`
	Value  float64 `json:"value"`
	Forced bool    `json:"forced,omitempty"`
}

// LeftOutEntry is an initiative the optimiser left out, with its reason
// when it could never be in a plan.
type LeftOutEntry struct {
	Key    string  `json:"key"`
	Title  string  `json:"title,omitempty"`
	Value  float64 `json:"value"`
	Reason string  `json:"reason,omitempty"`
}

// YearEntry is the plan's use of one year's caps.
type YearEntry struct {
	Year   int         `json:"year"`
	Budget MoneyEntry  `json:"budget"`
	FTE    *StaffEntry `json:"fte,omitempty"` // nil when staff effort is not capped
}

// MoneyEntry is the plan's spending against a year's budget cap.
type MoneyEntry struct {
	Cap      int64          `json:"cap"`
	Used     int64          `json:"used"`
	Slack    int64          `json:"slack"`
	Binding  bool           `json:"binding"`
	Marginal *MarginalEntry `json:"marginal,omitempty"`
}

// StaffEntry is the plan's staff effort against a year's FTE cap; the
// file writes the amounts as decimal numbers of FTE.
type StaffEntry struct {
	Cap, Used, Slack FTE
	Binding          bool
	Marginal         *MarginalEntry
}

type staffJSON struct {
	Cap      json.Number    `json:"cap"`
	Used     json.Number    `json:"used"`
	Slack    json.Number    `json:"slack"`
	Binding  bool           `json:"binding"`
	Marginal *MarginalEntry `json:"marginal,omitempty"`
}

// MarshalJSON writes the FTE amounts as decimal numbers.
func (u StaffEntry) MarshalJSON() ([]byte, error) {
	return json.Marshal(staffJSON{fteNumber(u.Cap), fteNumber(u.Used), fteNumber(u.Slack), u.Binding, u.Marginal})
}

// UnmarshalJSON reads the FTE amounts from decimal numbers.
func (u *StaffEntry) UnmarshalJSON(b []byte) error {
	var raw staffJSON
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var err error
	if u.Cap, err = fteOf(raw.Cap); err != nil {
		return err
	}
	if u.Used, err = fteOf(raw.Used); err != nil {
		return err
	}
	if u.Slack, err = fteOf(raw.Slack); err != nil {
		return err
	}
	u.Binding, u.Marginal = raw.Binding, raw.Marginal
	return nil
}

// MarginalEntry is what one more step of a year's cap adds to the optimal
// value: Gain when Exact, else at least Gain and at most Upper.
type MarginalEntry struct {
	Gain  float64  `json:"gain"`
	Upper *float64 `json:"gain_upper,omitempty"`
	Exact bool     `json:"exact"`
}

// BindingEntry is a constraint without slack in the plan: a yearly cap
// (with its slack, and its marginal value when those were asked for), a
// dependency or an exclusive group.
type BindingEntry struct {
	Kind       string   `json:"kind"` // budget, fte, dependency, exclusive
	Year       int      `json:"year,omitempty"`
	Slack      *float64 `json:"slack,omitempty"`
	Gain       *float64 `json:"gain,omitempty"`
	Initiative string   `json:"initiative,omitempty"`
	On         string   `json:"on,omitempty"`
	Group      string   `json:"group,omitempty"`
}

// StepsEntry are the amounts the marginal values are for: one more Budget
// (currency units) or FTE in a year.
type StepsEntry struct {
	Budget int64
	FTE    FTE
}

// MarshalJSON writes the FTE step as a decimal number.
func (s StepsEntry) MarshalJSON() ([]byte, error) {
	return json.Marshal(stepsJSON{s.Budget, fteNumber(s.FTE)})
}

// UnmarshalJSON reads the steps; FTE is a decimal number of FTE.
func (s *StepsEntry) UnmarshalJSON(b []byte) error {
	var raw stepsJSON
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	f, err := fteOf(raw.FTE)
	if err != nil {
		return err
	}
	s.Budget, s.FTE = raw.Budget, f
	return nil
}

// fteOf reads a decimal number of FTE; none is 0.
func fteOf(n json.Number) (FTE, error) {
	if n == "" {
		return 0, nil
	}
	f, err := domain.ParseFTE(n.String())
	if err != nil {
		return 0, fmt.Errorf("portfolio: FTE %q: %w", n, err)
	}
	return f, nil
}

// ErrNotResult is returned (wrapped) by ReadResultFile for data that is
// not a result file.
var ErrNotResult = errors.New("not a waymark.portfolio/v1 result")

// ReadResultFile reads a result file that MarshalResult wrote.
func ReadResultFile(data []byte) (*ResultFile, error) {
	var r ResultFile
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotResult, err)
	}
	if r.Format != Format || r.Kind != "result" {
		return nil, fmt.Errorf("%w: format %q, kind %q", ErrNotResult, r.Format, r.Kind)
	}
	return &r, nil
}

// HasPlan reports whether the result has a plan: it is optimal, or the
// time limit came after a plan was found.
func (r *ResultFile) HasPlan() bool {
	return r.Status == Optimal || r.Status == TimeLimit && len(r.Years) > 0
}

// InPlan returns the plan's entry of the initiative with the key.
func (r *ResultFile) InPlan(key string) (PlanEntry, bool) {
	for _, a := range r.Plan {
		if a.Key == key {
			return a, true
		}
	}
	return PlanEntry{}, false
}
