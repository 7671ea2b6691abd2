package portfolio

import (
	"encoding/json"
	"math"
	"strconv"
)

// The file shapes, for writing. Field order is the documented order.
type (
	fileJSON struct {
		Format        string          `json:"format"`
		Name          string          `json:"name,omitempty"`
		Currency      string          `json:"currency,omitempty"`
		Horizon       horizonJSON     `json:"horizon"`
		Budget        moneyCapsJSON   `json:"budget"`
		FTE           *fteCapsJSON    `json:"fte,omitempty"`
		Steps         *stepsJSON      `json:"marginal_steps,omitempty"`
		Criteria      []criterionJSON `json:"criteria"`
		Trends        []trendJSON     `json:"trends,omitempty"`
		TrendWeight   *float64        `json:"trend_weight,omitempty"`
		Initiatives   []initJSON      `json:"initiatives"`
		ExclusiveGrps []groupJSON     `json:"exclusive_groups,omitempty"`
	}
	horizonJSON struct {
		Start int `json:"start"`
		End   int `json:"end"`
	}
	moneyCapsJSON struct {
		Default int64            `json:"default"`
		Years   map[string]int64 `json:"years,omitempty"`
	}
	fteCapsJSON struct {
		Default json.Number            `json:"default"`
		Years   map[string]json.Number `json:"years,omitempty"`
	}
	stepsJSON struct {
		Budget int64       `json:"budget,omitempty"`
		FTE    json.Number `json:"fte,omitempty"`
	}
	criterionJSON struct {
		Key    string  `json:"key"`
		Title  string  `json:"title,omitempty"`
		Weight float64 `json:"weight"`
	}
	trendJSON struct {
		Key      string  `json:"key"`
		Title    string  `json:"title,omitempty"`
		Priority float64 `json:"priority"`
	}
	initJSON struct {
		Key           string             `json:"key"`
		Title         string             `json:"title,omitempty"`
		OneOffCost    int64              `json:"one_off_cost"`
		RecurringCost int64              `json:"recurring_cost"`
		FTE           json.Number        `json:"fte"`
		Duration      int                `json:"duration"`
		EarliestStart int                `json:"earliest_start"`
		LatestStart   int                `json:"latest_start"`
		DependsOn     []string           `json:"depends_on,omitempty"`
		Benefits      map[string]float64 `json:"benefits,omitempty"`
		Trends        map[string]int     `json:"trends,omitempty"`
		Force         string             `json:"force,omitempty"`
	}
	groupJSON struct {
		Key         string   `json:"key"`
		Initiatives []string `json:"initiatives"`
	}
)

func fteNumber(f FTE) json.Number { return json.Number(f.String()) }

// Marshal writes p as a portfolio file (indented, fields in the documented
// order, start windows written out). Parse(Marshal(p)) gives p back.
func Marshal(p *Portfolio) ([]byte, error) {
	f := fileJSON{Format: Format, Name: p.Name, Currency: p.Currency,
		Horizon: horizonJSON{p.Horizon.Start, p.Horizon.End},
		Budget:  moneyCapsJSON{Default: p.Budget.Default}}
	if len(p.Budget.Years) > 0 {
		f.Budget.Years = map[string]int64{}
		for y, v := range p.Budget.Years {
			f.Budget.Years[strconv.Itoa(y)] = v
		}
	}
	if p.FTE != nil {
		f.FTE = &fteCapsJSON{Default: fteNumber(p.FTE.Default)}
		if len(p.FTE.Years) > 0 {
			f.FTE.Years = map[string]json.Number{}
			for y, v := range p.FTE.Years {
				f.FTE.Years[strconv.Itoa(y)] = fteNumber(v)
			}
		}
	}
	if p.Steps.Budget != 0 || p.Steps.FTE != 0 {
		f.Steps = &stepsJSON{Budget: p.Steps.Budget}
		if p.Steps.FTE != 0 {
			f.Steps.FTE = fteNumber(p.Steps.FTE)
		}
	}
	f.Criteria = []criterionJSON{}
	for _, c := range p.Criteria {
		f.Criteria = append(f.Criteria, criterionJSON{c.Key, c.Title, c.Weight})
	}
	for _, t := range p.Trends {
		f.Trends = append(f.Trends, trendJSON{t.Key, t.Title, t.Priority})
	}
	if p.TrendWeight != 1 {
		tw := p.TrendWeight
		f.TrendWeight = &tw
	}
	f.Initiatives = []initJSON{}
	for _, in := range p.Initiatives {
		f.Initiatives = append(f.Initiatives, initJSON{Key: in.Key, Title: in.Title, OneOffCost: in.OneOffCost,
			RecurringCost: in.RecurringCost, FTE: fteNumber(in.FTE), Duration: in.Duration,
			EarliestStart: in.EarliestStart, LatestStart: in.LatestStart, DependsOn: in.DependsOn,
			Benefits: in.Benefits, Trends: in.Trends, Force: string(in.Force)})
	}
	for _, g := range p.Groups {
		f.ExclusiveGrps = append(f.ExclusiveGrps, groupJSON{g.Key, g.Initiatives})
	}
	out, err := json.MarshalIndent(f, "", "  ")
	return append(out, '\n'), err
}

// round keeps values readable: 6 decimals is far below any score's
// precision.
func round(v float64) float64 {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return 0
	}
	return math.Round(v*1e6) / 1e6
}

func marginalOut(m *Marginal) *MarginalEntry {
	if m == nil {
		return nil
	}
	out := &MarginalEntry{Gain: round(m.Gain), Exact: m.Exact}
	if !m.Exact {
		u := round(m.Upper)
		out.Upper = &u
	}
	return out
}

// MarshalResult writes a result file for p (ResultFile).
func MarshalResult(p *Portfolio, r *Result) ([]byte, error) {
	out := ResultFile{Format: Format, Kind: "result", Name: p.Name, Currency: p.Currency, Status: r.Status,
		Objective: round(r.Objective), Bound: round(r.Bound), Gap: round(r.Gap), RelativeGap: round(r.RelativeGap),
		Plan: []PlanEntry{}, LeftOut: []LeftOutEntry{}, Years: []YearEntry{}, Binding: []BindingEntry{},
		Steps:   StepsEntry{Budget: r.BudgetStep, FTE: r.FTEStep},
		Reasons: r.Reasons, Message: r.Summary()}
	for _, a := range r.Plan {
		out.Plan = append(out.Plan, PlanEntry{a.Key, a.Title, a.Start, a.End, round(a.Value), a.Forced})
	}
	for _, o := range r.Left {
		out.LeftOut = append(out.LeftOut, LeftOutEntry{o.Key, o.Title, round(o.Value), o.Reason})
	}
	asked := false
	for _, y := range r.Years {
		yj := YearEntry{Year: y.Year, Budget: MoneyEntry{y.Budget.Cap, y.Budget.Used, y.Budget.Slack, y.Budget.Binding, marginalOut(y.Budget.Marginal)}}
		asked = asked || y.Budget.Marginal != nil
		if y.FTE != nil {
			yj.FTE = &StaffEntry{y.FTE.Cap, y.FTE.Used, y.FTE.Slack, y.FTE.Binding, marginalOut(y.FTE.Marginal)}
		}
		out.Years = append(out.Years, yj)
	}
	if asked || r.MarginalsAsked {
		c := r.MarginalsComplete
		out.MarginalsComplete = &c
	}
	for _, b := range r.Binding {
		bj := BindingEntry{Kind: b.Kind, Year: b.Year, Initiative: b.Initiative, On: b.On, Group: b.Group}
		if b.Kind == "budget" || b.Kind == "fte" {
			slack := round(b.Slack)
			bj.Slack = &slack
			if asked {
				g := round(b.Gain)
				bj.Gain = &g
			}
		}
		out.Binding = append(out.Binding, bj)
	}
	out.Stats = map[string]any{"nodes": r.Stats.Nodes, "pivots": r.Stats.Pivots,
		"solve_ms": r.Stats.Elapsed.Milliseconds(), "marginal_solves": r.Stats.MarginalSolves,
		"marginal_ms": r.Stats.Elapsed2.Milliseconds()}
	b, err := json.MarshalIndent(out, "", "  ")
	return append(b, '\n'), err
}
