package service

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/waymark/waymark/internal/analysis"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/portfolio"
)

// How a scenario becomes the optimiser's input (internal/portfolio):
//
//   - the horizon, budget and staff caps are the scenario's; the currency
//     is the organisation's;
//   - criteria are the organisation's, titled in the language asked for;
//   - each initiative's key is its id; its start window is cut to the
//     horizon;
//   - initiatives that cannot be in any plan of the scenario are left out
//     and listed in ScenarioModel.Excluded with the reason: done (nothing
//     left to fund; dependencies on it count as met), stopped, a start
//     window or duration that does not fit the horizon, and — in turn —
//     anything that depends on one left out for another reason than done;
//   - exclusive groups are the initiatives' group names, ignoring case;
//     groups of one are dropped;
//   - forced choices are the scenario's; forcing in one that is left out
//     is a problem at forced.<id>;
//   - when the scenario scales value by trend priority, the trends are
//     those of the chosen workshop's priority ranking with their index as
//     priority (pinned trends 100, excluded and unrated 0), and the trend
//     weight λ is the scenario's; initiatives' links to other trends
//     count for nothing. Otherwise no trends are given and value is the
//     weighted benefit alone.

// ScenarioModel is a scenario as the optimiser takes it.
type ScenarioModel struct {
	Scenario  *domain.Scenario
	Portfolio *portfolio.Portfolio
	// Revision is the portfolio revision the model was built from; store
	// results with it.
	Revision int64
	// Excluded are the initiatives left out because they cannot be in any
	// plan of this scenario, in the organisation's order.
	Excluded []Exclusion
}

// Exclusion is an initiative left out of a scenario's model and why.
type Exclusion struct {
	ID     string
	Title  string
	Reason string // for people, in English; i18n translates it
}

// ScenarioModel builds the optimiser's input for one of the organisation's
// scenarios, for every member, with labels in lang. Problems are at
// forced.<id> (an initiative forced in that cannot be in any plan) and
// priority_workshop (scaling by priority without a workshop).
func (s *Service) ScenarioModel(ctx context.Context, a domain.Actor, scenarioID, lang string) (*ScenarioModel, error) {
	sc, err := s.store.Scenario(ctx, a.OrgID, scenarioID)
	if err != nil {
		return nil, err
	}
	st, err := s.store.PortfolioSettings(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	ins, err := s.store.Initiatives(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	var priorities []portfolio.Trend
	if sc.ScaleByPriority {
		if sc.PriorityWorkshopID == "" {
			return nil, domain.Problems{{Field: "priority_workshop", Message: "choose the workshop whose trend priorities scale the value"}}
		}
		r, err := s.WorkshopResults(ctx, a, sc.PriorityWorkshopID, ResultsOptions{Lang: lang})
		if err != nil {
			return nil, err
		}
		priorities = TrendPriorities(r.Analysis.Ranking)
	}
	m, ps := BuildScenarioModel(st, ins, sc, priorities, lang)
	if ps != nil {
		return nil, ps
	}
	return m, nil
}

// TrendPriorities turns a workshop's priority ranking into the optimiser's
// trend priorities: the priority index of ranked trends, 100 for pinned
// ones, 0 for excluded and unrated ones.
func TrendPriorities(r analysis.Ranking) []portfolio.Trend {
	out := make([]portfolio.Trend, 0, len(r.Trends))
	for _, t := range r.Trends {
		p := 0.0
		switch t.Standing {
		case analysis.Pinned:
			p = 100
		case analysis.Ranked:
			if t.Index.Valid() {
				p = t.Index.Float()
			}
		}
		out = append(out, portfolio.Trend{Key: t.Key, Title: t.Label, Priority: p})
	}
	return out
}

// BudgetStep is the extra yearly budget whose value a scenario's result
// reports: 5 % of the default cap, rounded to two significant digits
// (80,000 for 1,600,000), and at least 1. One currency unit more is almost
// never worth anything, since no initiative costs that little.
func BudgetStep(defaultCap int64) int64 {
	step := defaultCap / 20
	if step < 100 {
		return max(step, 1)
	}
	unit := int64(1)
	for step/unit >= 100 {
		unit *= 10
	}
	return (step + unit/2) / unit * unit
}

// BuildScenarioModel is ScenarioModel's pure part: the optimiser's input
// from the settings, the organisation's initiatives, the scenario and the
// trend priorities (nil unless the scenario scales by priority).
func BuildScenarioModel(st *domain.PortfolioSettings, ins []domain.Initiative, sc *domain.Scenario, trends []portfolio.Trend, lang string) (*ScenarioModel, domain.Problems) {
	h := portfolio.Horizon{Start: sc.StartYear, End: sc.EndYear}
	p := &portfolio.Portfolio{Name: sc.Name, Currency: st.Currency, Horizon: h,
		Budget: portfolio.MoneyCaps{Default: sc.Budget.Default, Years: maps.Clone(sc.Budget.Years)},
		Steps:  portfolio.Steps{Budget: BudgetStep(sc.Budget.Default)}}
	if sc.FTE != nil {
		p.FTE = &portfolio.FTECaps{Default: sc.FTE.Default, Years: maps.Clone(sc.FTE.Years)}
	}
	for _, c := range st.Criteria {
		p.Criteria = append(p.Criteria, portfolio.Criterion{Key: c.Key, Title: c.Name.String(lang), Weight: c.Weight})
	}
	known := map[string]bool{}
	if sc.ScaleByPriority {
		p.Trends, p.TrendWeight = trends, sc.TrendWeight
		for _, t := range trends {
			known[t.Key] = true
		}
	}

	// Which initiatives cannot be in any plan, and why; then, repeatedly,
	// those that depend on them.
	m := &ScenarioModel{Scenario: sc, Portfolio: p, Revision: st.Revision}
	why := map[string]string{}
	done := map[string]bool{}
	for _, in := range ins {
		switch {
		case in.Status == domain.StatusDone:
			why[in.ID], done[in.ID] = "it is done", true
		case in.Status == domain.StatusStopped:
			why[in.ID] = "it is stopped"
		case max(in.EarliestStart, h.Start) > min(in.LatestStart, h.End-in.Duration+1):
			why[in.ID] = fmt.Sprintf("it cannot start and finish within the planning horizon %d–%d", h.Start, h.End)
		}
	}
	title := map[string]string{}
	for _, in := range ins {
		title[in.ID] = in.Title
	}
	for changed := true; changed; {
		changed = false
		for _, in := range ins {
			if why[in.ID] != "" {
				continue
			}
			for _, d := range in.DependsOn {
				if why[d] != "" && !done[d] {
					why[in.ID] = fmt.Sprintf("it depends on %q, which cannot be in the plan", title[d])
					changed = true
					break
				}
			}
		}
	}

	var ps domain.Problems
	groups := map[string][]string{}
	var groupOrder []string
	for _, in := range ins {
		if why[in.ID] != "" {
			m.Excluded = append(m.Excluded, Exclusion{ID: in.ID, Title: in.Title, Reason: why[in.ID]})
			if sc.Forced[in.ID] == domain.ForceIn {
				ps = append(ps, domain.Problem{Field: "forced." + in.ID,
					Message: fmt.Sprintf("%q is forced in, but %s", in.Title, why[in.ID])})
			}
			continue
		}
		pi := portfolio.Initiative{Key: in.ID, Title: in.Title, OneOffCost: in.OneOffCost, RecurringCost: in.RecurringCost,
			FTE: in.FTE, Duration: in.Duration,
			EarliestStart: max(in.EarliestStart, h.Start), LatestStart: min(in.LatestStart, h.End)}
		for _, d := range in.DependsOn {
			if !done[d] {
				pi.DependsOn = append(pi.DependsOn, d)
			}
		}
		for _, c := range st.Criteria {
			if v, ok := in.Benefits[c.Key]; ok {
				if pi.Benefits == nil {
					pi.Benefits = map[string]float64{}
				}
				pi.Benefits[c.Key] = float64(v)
			}
		}
		for _, l := range in.Trends {
			if known[l.TrendKey] && l.Strength > 0 {
				if pi.Trends == nil {
					pi.Trends = map[string]int{}
				}
				pi.Trends[l.TrendKey] = l.Strength
			}
		}
		switch sc.Forced[in.ID] {
		case domain.ForceIn:
			pi.Force = portfolio.ForcedIn
		case domain.ForceOut:
			pi.Force = portfolio.ForcedOut
		}
		if g := strings.ToLower(in.ExclusiveGroup); g != "" {
			if groups[g] == nil {
				groupOrder = append(groupOrder, g)
			}
			groups[g] = append(groups[g], in.ID)
		}
		p.Initiatives = append(p.Initiatives, pi)
	}
	if len(ps) > 0 {
		return nil, ps
	}
	used := map[string]bool{}
	for _, g := range groupOrder {
		if len(groups[g]) < 2 {
			continue
		}
		key := domain.Slugify(g)
		if key == "" {
			key = "group"
		}
		for base, n := key, 2; used[key]; n++ {
			key = fmt.Sprintf("%s-%d", base, n)
		}
		used[key] = true
		p.Groups = append(p.Groups, portfolio.Group{Key: key, Initiatives: slices.Clone(groups[g])})
	}
	return m, nil
}

// DefaultOptimiseTime bounds OptimiseScenario when the options give no
// time limit, so that a request never holds the server for long.
const DefaultOptimiseTime = 20 * time.Second

// OptimiseScenario builds one of the organisation's scenarios'
// optimiser input (ScenarioModel), solves it, and keeps the result file as
// the scenario's result, computed from the portfolio's current revision.
// It returns the model, the result and the result file. Without a time
// limit in opt it stops after DefaultOptimiseTime with the best plan
// found and its proven gap. ECONFLICT when the scenario changed while it
// was solved. Owners, facilitators and analysts may.
func (s *Service) OptimiseScenario(ctx context.Context, a domain.Actor, scenarioID, lang string, opt portfolio.Options) (*ScenarioModel, *portfolio.Result, []byte, error) {
	if !a.Role.CanOptimise() {
		return nil, nil, nil, forbidden("optimise scenarios")
	}
	m, err := s.ScenarioModel(ctx, a, scenarioID, lang)
	if err != nil {
		return nil, nil, nil, err
	}
	if opt.TimeLimit <= 0 {
		opt.TimeLimit = DefaultOptimiseTime
	}
	res, err := portfolio.Solve(ctx, m.Portfolio, opt)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("service: optimise scenario %s: %w", scenarioID, err)
	}
	data, err := portfolio.MarshalResult(m.Portfolio, res)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("service: optimise scenario %s: %w", scenarioID, err)
	}
	if err := s.SaveScenarioResult(ctx, a, scenarioID, m.Scenario.Revision, data, m.Revision); err != nil {
		return nil, nil, nil, err
	}
	return m, res, data, nil
}
