package web

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/portfolio"
	"github.com/waymark/waymark/internal/scenario"
	"github.com/waymark/waymark/internal/service"
)

// The optimiser's result as the scenario page shows it: the objective and
// whether it is proven optimal, the plan, what was left out and why, the
// constraints that bind in each year and the value of one more unit of
// budget and staff in each year.

// scResultView is a stored result, ready for the page.
type scResultView struct {
	At        string
	Status    string // optimal, time_limit or infeasible, for the class
	Optimal   bool
	TimeLimit bool
	HasPlan   bool
	Objective string
	Bound     string
	Gap       string
	GapShare  string
	Summary   string
	Reasons   []string // why no plan is possible
	Plan      []scPlanRow
	Left      []scLeftRow
	Totals    scPlanRow // the plan's sums
	Budget    []scBudgetYear
	Staff     []scStaffYear
	HasStaff  bool
	// Marginals is set when the values of one more step were found.
	Marginals         bool
	MarginalsComplete bool
	BudgetStep        string
	FTEStep           string
	BindingSummary    []string // "The budget binds in 2026, 2027."
	BindingOther      []string // dependencies and groups that bind
	Considered        int      // initiatives the optimiser chose from
}

// scPlanRow is an initiative in the plan.
type scPlanRow struct {
	ID        string
	Title     string
	Years     string // "2027–2028"
	Start     int
	Value     string
	OneOff    string
	Recurring string
	FTE       string
	Forced    bool
	Known     bool // still an initiative of the organisation
}

// scLeftRow is an initiative not in the plan, and why.
type scLeftRow struct {
	ID     string
	Title  string
	Value  string // "–" when the optimiser did not consider it
	Reason string
	Known  bool
}

// scBudgetYear is one year's budget: cap, use, slack, whether it binds,
// and the value of one more step.
type scBudgetYear struct {
	Year     int
	Cap      string
	Used     string
	Slack    string
	Binding  bool
	Marginal string
}

// scStaffYear is one year's staff effort, like scBudgetYear.
type scStaffYear struct {
	Year     int
	Cap      string
	Used     string
	Slack    string
	Binding  bool
	Marginal string
}

// scResultInput is what a result view is built from.
type scResultInput struct {
	Scenario    *domain.Scenario
	Result      *scenario.Result
	Settings    *domain.PortfolioSettings
	Initiatives []domain.Initiative
}

// scValue writes a value of the optimiser (weighted benefit) with up to
// two decimals in the page's language.
func scValue(x float64, lang string) string {
	if math.Abs(x) < 0.005 {
		x = 0
	}
	return pfDecimal(x, lang)
}

// scPercent writes a share as a percentage with one decimal.
func scPercent(share float64, lang string) string {
	s := pfDecimalMark(strconv.FormatFloat(math.Round(share*1000)/10, 'f', -1, 64), lang)
	if lang == "sv" {
		return s + pfNBSP + "%"
	}
	return s + "%"
}

// scYears writes a span of years: "2027–2029", or "2027".
func scYears(a, b int) string {
	if a == b {
		return strconv.Itoa(a)
	}
	return strconv.Itoa(a) + "–" + strconv.Itoa(b)
}

// scYearList writes years, joining runs: "2026–2028, 2031".
func scYearList(ys []int) string {
	var parts []string
	for i := 0; i < len(ys); {
		j := i
		for j+1 < len(ys) && ys[j+1] == ys[j]+1 {
			j++
		}
		parts = append(parts, scYears(ys[i], ys[j]))
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// scMarginal writes a marginal value: "+1.5", "0", or a range when it
// was not found exactly.
func (c *call) scMarginal(m *scenario.Marginal) string {
	if m == nil {
		return "–"
	}
	gain := scValue(m.Gain, c.lang)
	if m.Gain >= 0.005 {
		gain = "+" + gain
	}
	if !m.Exact && m.Upper != nil && *m.Upper-m.Gain >= 0.005 {
		return c.T("scenario.result.marginal_range", "Low", gain, "High", "+"+scValue(*m.Upper, c.lang))
	}
	return gain
}

// scTitles maps the optimiser's keys (initiative ids) to titles.
func scTitles(ins []domain.Initiative, r *scenario.Result) map[string]string {
	t := make(map[string]string, len(ins))
	for _, a := range r.Plan {
		t[a.Key] = a.Title
	}
	for _, o := range r.LeftOut {
		t[o.Key] = o.Title
	}
	for _, in := range ins {
		t[in.ID] = in.Title
	}
	return t
}

// scQuote puts a title in the quotation marks of the language.
func scQuote(lang, s string) string {
	if lang == "sv" {
		return "”" + s + "”"
	}
	return "“" + s + "”"
}

// scReplaceIDs puts titles in the place of initiative ids in the
// optimiser's messages, which name initiatives by key.
func (c *call) scReplaceIDs(s string, titles map[string]string) string {
	var pairs []string
	for id, t := range titles {
		if id != "" && strings.Contains(s, id) {
			pairs = append(pairs, id, scQuote(c.lang, t))
		}
	}
	if len(pairs) == 0 {
		return s
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// resultView builds the view of a stored result. model, when not nil, is
// the scenario's optimiser input now (for the dependencies and groups that
// explain what was left out, and the initiatives it could not consider).
func (c *call) resultView(in scResultInput, model *service.ScenarioModel) *scResultView {
	r, lang, cur := in.Result, c.lang, in.Settings.Currency
	money := func(v int64) string { return pfMoney(v, cur, lang) }
	titles := scTitles(in.Initiatives, r)
	byID := map[string]*domain.Initiative{}
	for i := range in.Initiatives {
		byID[in.Initiatives[i].ID] = &in.Initiatives[i]
	}
	v := &scResultView{At: in.Scenario.Result.At.UTC().Format("2006-01-02 15:04") + " UTC", Status: string(r.Status),
		Optimal: r.Status == portfolio.Optimal, TimeLimit: r.Status == portfolio.TimeLimit, HasPlan: r.HasPlan(),
		Objective: scValue(r.Objective, lang), Bound: scValue(r.Bound, lang), Gap: scValue(r.Gap, lang),
		GapShare: scPercent(r.RelativeGap, lang), Considered: len(r.Plan) + len(r.LeftOut)}
	for _, reason := range r.Reasons {
		v.Reasons = append(v.Reasons, c.s.cat.Message(lang, c.scReplaceIDs(reason, titles)))
	}
	switch {
	case r.Status == portfolio.Infeasible:
		v.Summary = c.T("scenario.result.summary_infeasible")
	case v.Optimal:
		v.Summary = c.T("scenario.result.summary_optimal", "Count", len(r.Plan), "Of", v.Considered, "Value", v.Objective)
	case !v.HasPlan:
		v.Summary = c.T("scenario.result.summary_no_plan", "Bound", v.Bound)
	default:
		v.Summary = c.T("scenario.result.summary_gap", "Count", len(r.Plan), "Of", v.Considered, "Value", v.Objective,
			"Bound", v.Bound, "Gap", v.Gap, "Share", v.GapShare)
	}

	// The plan, with the initiatives' costs as they are now.
	var oneOff, recurring int64
	var fte domain.FTE
	var total float64
	for _, a := range r.Plan {
		row := scPlanRow{ID: a.Key, Title: a.Title, Years: scYears(a.Start, a.End), Start: a.Start,
			Value: scValue(a.Value, lang), Forced: a.Forced}
		if x := byID[a.Key]; x != nil {
			row.Known, row.Title = true, x.Title
			row.OneOff, row.Recurring, row.FTE = money(x.OneOffCost), money(x.RecurringCost), pfFTE(x.FTE, lang)
			oneOff += x.OneOffCost
			recurring += x.RecurringCost
			fte += x.FTE
		} else {
			row.OneOff, row.Recurring, row.FTE = "–", "–", "–"
		}
		total += a.Value
		v.Plan = append(v.Plan, row)
	}
	v.Totals = scPlanRow{Value: scValue(total, lang), OneOff: money(oneOff), Recurring: money(recurring), FTE: pfFTE(fte, lang)}

	// What was left out, and why.
	planned := map[string]bool{}
	for _, a := range r.Plan {
		planned[a.Key] = true
	}
	considered := map[string]bool{}
	for _, o := range r.LeftOut {
		considered[o.Key] = true
		row := scLeftRow{ID: o.Key, Title: o.Title, Value: scValue(o.Value, lang), Reason: c.whyLeftOut(o, in.Scenario, model, planned, titles)}
		if x := byID[o.Key]; x != nil {
			row.Known, row.Title = true, x.Title
		}
		v.Left = append(v.Left, row)
	}
	if model != nil {
		for _, e := range model.Excluded {
			if planned[e.ID] || considered[e.ID] {
				continue
			}
			considered[e.ID] = true
			v.Left = append(v.Left, scLeftRow{ID: e.ID, Title: e.Title, Value: "–", Known: byID[e.ID] != nil,
				Reason: c.T("scenario.result.not_considered", "Reason", c.s.cat.Message(lang, c.scReplaceIDs(e.Reason, titles)))})
		}
	}
	for _, x := range in.Initiatives {
		if !planned[x.ID] && !considered[x.ID] {
			v.Left = append(v.Left, scLeftRow{ID: x.ID, Title: x.Title, Value: "–", Known: true, Reason: c.T("scenario.result.not_in_result")})
		}
	}

	// Years: caps, use, what binds, marginal values.
	var budgetBinds, staffBinds []int
	for _, y := range r.Years {
		b := scBudgetYear{Year: y.Year, Cap: money(y.Budget.Cap), Used: money(y.Budget.Used), Slack: money(y.Budget.Slack),
			Binding: y.Budget.Binding, Marginal: c.scMarginal(y.Budget.Marginal)}
		if y.Budget.Binding {
			budgetBinds = append(budgetBinds, y.Year)
		}
		v.Marginals = v.Marginals || y.Budget.Marginal != nil
		v.Budget = append(v.Budget, b)
		if y.FTE != nil {
			v.HasStaff = true
			v.Staff = append(v.Staff, scStaffYear{Year: y.Year, Cap: pfFTE(y.FTE.Cap, lang), Used: pfFTE(y.FTE.Used, lang),
				Slack: pfFTE(y.FTE.Slack, lang), Binding: y.FTE.Binding, Marginal: c.scMarginal(y.FTE.Marginal)})
			if y.FTE.Binding {
				staffBinds = append(staffBinds, y.Year)
			}
		}
	}
	v.MarginalsComplete = r.MarginalsComplete != nil && *r.MarginalsComplete
	v.BudgetStep = money(max(r.Steps.Budget, 1))
	v.FTEStep = pfFTE(max(r.Steps.FTE, domain.FTEUnit), lang)
	if v.HasPlan {
		if len(budgetBinds) > 0 {
			v.BindingSummary = append(v.BindingSummary, c.T("scenario.result.budget_binds", "Years", scYearList(budgetBinds)))
		} else {
			v.BindingSummary = append(v.BindingSummary, c.T("scenario.result.budget_never_binds"))
		}
		if v.HasStaff {
			if len(staffBinds) > 0 {
				v.BindingSummary = append(v.BindingSummary, c.T("scenario.result.staff_binds", "Years", scYearList(staffBinds)))
			} else {
				v.BindingSummary = append(v.BindingSummary, c.T("scenario.result.staff_never_binds"))
			}
		}
	}
	groups := map[string][]string{}
	var groupOrder []string
	for _, b := range r.Binding {
		switch b.Kind {
		case "dependency":
			v.BindingOther = append(v.BindingOther, c.T("scenario.result.binds_dependency", "Initiative", titles[b.Initiative], "On", titles[b.On]))
		case "exclusive":
			if groups[b.Group] == nil {
				groupOrder = append(groupOrder, b.Group)
			}
			groups[b.Group] = append(groups[b.Group], titles[b.Initiative])
		}
	}
	for _, g := range groupOrder {
		others := []string{}
		if model != nil {
			for _, grp := range model.Portfolio.Groups {
				if grp.Key == g {
					for _, k := range grp.Initiatives {
						if !planned[k] {
							others = append(others, scQuote(lang, titles[k]))
						}
					}
				}
			}
		}
		var quoted []string
		for _, t := range groups[g] {
			quoted = append(quoted, scQuote(lang, t))
		}
		chosen := strings.Join(quoted, ", ")
		if len(others) > 0 {
			v.BindingOther = append(v.BindingOther, c.T("scenario.result.binds_group", "Chosen", chosen, "Others", strings.Join(others, ", ")))
		} else {
			v.BindingOther = append(v.BindingOther, c.T("scenario.result.binds_group_alone", "Chosen", chosen))
		}
	}
	return v
}

// whyLeftOut explains in the page's language why the optimiser left an
// initiative out.
func (c *call) whyLeftOut(o scenario.Omission, sc *domain.Scenario, model *service.ScenarioModel, planned map[string]bool, titles map[string]string) string {
	if sc.Forced[o.Key] == domain.ForceOut {
		return c.T("scenario.why.forced_out")
	}
	if model != nil {
		p := model.Portfolio
		if i := p.Index(o.Key); i >= 0 {
			for _, d := range p.Initiatives[i].DependsOn {
				if !planned[d] {
					return c.T("scenario.why.dependency", "Title", titles[d])
				}
			}
		}
		for _, g := range p.Groups {
			if !slices.Contains(g.Initiatives, o.Key) {
				continue
			}
			for _, k := range g.Initiatives {
				if planned[k] {
					return c.T("scenario.why.alternative", "Title", titles[k])
				}
			}
		}
	}
	switch {
	case strings.HasPrefix(o.Reason, "is over a yearly cap"):
		return c.T("scenario.why.too_big")
	case o.Reason != "":
		return c.T("scenario.why.impossible", "Reason", c.scReplaceIDs(o.Reason, titles))
	}
	return c.T("scenario.why.cut")
}

// scStatusText says in a few words what a result proves, for the list.
func (c *call) scStatusText(r *scenario.Result) string {
	switch {
	case r.Status == portfolio.Optimal:
		return c.T("scenario.status.optimal")
	case r.Status == portfolio.Infeasible:
		return c.T("scenario.status.infeasible")
	case !r.HasPlan():
		return c.T("scenario.status.no_plan")
	}
	return c.T("scenario.status.gap", "Gap", scValue(r.Gap, c.lang), "Share", scPercent(r.RelativeGap, c.lang))
}

// scReadResult reads a scenario's stored result; a result that cannot be
// read is an internal error.
func scReadResult(sc *domain.Scenario) (*scenario.Result, error) {
	if sc.Result == nil {
		return nil, nil
	}
	r, err := scenario.ReadResult(sc.Result.Data)
	if err != nil {
		return nil, fmt.Errorf("web: result of scenario %s: %w", sc.ID, err)
	}
	return r, nil
}
