package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/portfolio"
	"github.com/waymark/waymark/internal/service"
)

// scOptimiseTime bounds the optimiser on the scenario page: long enough
// for any realistic portfolio to be proven optimal (docs/benchmarks.md),
// short enough to keep a page request quick. When it is reached the page
// shows the best plan found with its proven gap.
const scOptimiseTime = 5 * time.Second

// --- the list -------------------------------------------------------------

// scListPage is the organisation's scenarios with the create form.
type scListPage struct {
	CanEdit     bool
	CanOptimise bool
	Rows        []scListRow
	Form        *scForm
	Currency    string
	// Compare are the scenarios with a plan, for the comparison form.
	Compare  []option
	CompareB []option
}

// scListRow is a scenario as listed.
type scListRow struct {
	ID          string
	Name        string
	Description string
	Horizon     string
	Budget      string
	BudgetVary  bool
	FTE         string
	HasResult   bool
	Value       string
	Chosen      int
	Considered  int
	Status      string
	Optimal     bool
	Stale       bool
	At          string
}

func (s *Server) scenarioList(w http.ResponseWriter, r *http.Request, c *call) error {
	year := s.svc.Now().Year()
	values := map[string]string{"start_year": strconv.Itoa(year), "end_year": strconv.Itoa(year + 9)}
	d, err := s.scListData(r, c, values, nil)
	if err != nil {
		return err
	}
	return s.render(w, c, http.StatusOK, "scenario_list", c.T("scenario.list.title"), d)
}

// scListData builds the list page around the create form's values and
// problems.
func (s *Server) scListData(r *http.Request, c *call, values map[string]string, ps domain.Problems) (*scListPage, error) {
	ctx := r.Context()
	p, err := s.svc.Portfolio(ctx, c.actor)
	if err != nil {
		return nil, err
	}
	scs, err := s.svc.Scenarios(ctx, c.actor)
	if err != nil {
		return nil, err
	}
	cur := p.Settings.Currency
	d := &scListPage{CanEdit: c.actor.Role.CanEditPortfolio(), CanOptimise: c.actor.Role.CanOptimise(), Currency: cur}
	var withPlan []option
	for i := range scs {
		sc := &scs[i]
		row := scListRow{ID: sc.ID, Name: sc.Name, Description: sc.Description, Horizon: scYears(sc.StartYear, sc.EndYear),
			Budget: pfMoney(sc.Budget.Default, cur, c.lang), BudgetVary: len(sc.Budget.Years) > 0, FTE: c.T("scenario.fte.uncapped")}
		if sc.FTE != nil {
			row.FTE = c.T("scenario.fte.cap", "FTE", pfFTE(sc.FTE.Default, c.lang))
			if len(sc.FTE.Years) > 0 {
				row.FTE = c.T("scenario.fte.cap_varies", "FTE", pfFTE(sc.FTE.Default, c.lang))
			}
		}
		res, err := scReadResult(sc)
		if err != nil {
			return nil, err
		}
		if res != nil {
			row.HasResult, row.Value, row.Chosen, row.Considered = true, scValue(res.Objective, c.lang), len(res.Plan), len(res.Plan)+len(res.LeftOut)
			row.Status, row.Optimal = c.scStatusText(res), res.Status == portfolio.Optimal
			row.Stale = !sc.ResultCurrent(p.Settings.Revision)
			row.At = sc.Result.At.UTC().Format("2006-01-02")
			if res.HasPlan() {
				withPlan = append(withPlan, option{Value: sc.ID, Label: sc.Name})
			}
		}
		d.Rows = append(d.Rows, row)
	}
	if len(withPlan) >= 2 {
		d.Compare = append([]option(nil), withPlan...)
		d.Compare[0].Selected = true
		d.CompareB = append([]option(nil), withPlan...)
		d.CompareB[1].Selected = true
	}
	if d.CanEdit {
		d.Form = c.newScenarioForm(values, &domain.Scenario{}, nil, nil, cur)
		d.Form.Years = nil
		if ps != nil {
			d.Form.setProblems(c, ps)
		}
	}
	return d, nil
}

func (s *Server) scenarioCreate(w http.ResponseWriter, r *http.Request, c *call) error {
	if !c.actor.Role.CanEditPortfolio() {
		return errPortfolioForbidden()
	}
	ctx := r.Context()
	sc := &domain.Scenario{}
	values, ps := c.readScenario(r.PostForm, sc, nil, false)
	status := http.StatusUnprocessableEntity
	if len(ps) > 0 {
		check := *sc
		ps = pfMergeProblems(ps, check.Validate(nil))
	} else if err := s.svc.CreateScenario(ctx, c.actor, sc); err != nil {
		var ok bool
		if ps, ok = asProblems(err); !ok {
			if domain.ErrorCode(err) != domain.ECONFLICT {
				return err
			}
			ps, status = domain.Problems{{Field: "name", Message: domain.ErrorMessage(err)}}, http.StatusConflict
		}
	}
	if len(ps) > 0 {
		d, err := s.scListData(r, c, values, ps)
		if err != nil {
			return err
		}
		return s.render(w, c, status, "scenario_list", c.T("scenario.list.title"), d)
	}
	c.setFlash(c.T("scenario.created", "Name", sc.Name))
	return redirect(w, r, c.orgPath("/scenarios/%s", sc.ID))
}

// --- one scenario -----------------------------------------------------------

// scPage is a scenario's page: its settings, the Optimise button and the
// stored result.
type scPage struct {
	Scenario    *domain.Scenario
	Base        string
	CanEdit     bool
	CanOptimise bool
	Currency    string
	Form        *scForm
	Settings    []scSetting
	Result      *scResultView
	Stale       bool
	// Problems are why the scenario cannot be optimised as it is.
	Problems  []pfError
	Seconds   int
	HasRoad   bool
	Others    []option // other scenarios with a plan, to compare with
	Forced    []scSetting
	Workshop  string
	NoVersion bool
}

// scSetting is one setting as text, for those who cannot edit.
type scSetting struct {
	Label string
	Value string
}

// scLoad is what every scenario page reads.
type scLoad struct {
	scenario    *domain.Scenario
	portfolio   *service.Portfolio
	initiatives []domain.Initiative
}

func (s *Server) scLoad(r *http.Request, c *call) (*scLoad, error) {
	ctx := r.Context()
	sc, err := s.svc.Scenario(ctx, c.actor, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	p, err := s.svc.Portfolio(ctx, c.actor)
	if err != nil {
		return nil, err
	}
	ins, err := s.svc.Initiatives(ctx, c.actor)
	if err != nil {
		return nil, err
	}
	return &scLoad{scenario: sc, portfolio: p, initiatives: ins}, nil
}

// scPageData builds the scenario's page; values, when not nil, are a
// posted form to show again with its problems.
func (s *Server) scPageData(r *http.Request, c *call, l *scLoad, values map[string]string, ps domain.Problems) (*scPage, error) {
	ctx := r.Context()
	sc, st := l.scenario, l.portfolio.Settings
	d := &scPage{Scenario: sc, Base: c.orgPath("/scenarios/%s", sc.ID), CanEdit: c.actor.Role.CanEditPortfolio(),
		CanOptimise: c.actor.Role.CanOptimise(), Currency: st.Currency, Seconds: int(scOptimiseTime / time.Second),
		NoVersion: l.portfolio.Version == nil}
	workshops, err := s.svc.Workshops(ctx, c.actor)
	if err != nil {
		return nil, err
	}
	if d.CanEdit {
		if values == nil {
			values = scScenarioValues(sc, c.lang)
		}
		d.Form = c.newScenarioForm(values, sc, l.initiatives, workshops, st.Currency)
		if ps != nil {
			d.Form.setProblems(c, ps)
		}
	}
	d.Settings = c.scSettings(sc, st.Currency)
	titles := map[string]string{}
	for _, in := range l.initiatives {
		titles[in.ID] = in.Title
	}
	for _, in := range l.initiatives {
		switch sc.Forced[in.ID] {
		case domain.ForceIn:
			d.Forced = append(d.Forced, scSetting{Label: in.Title, Value: c.T("scenario.forced.in")})
		case domain.ForceOut:
			d.Forced = append(d.Forced, scSetting{Label: in.Title, Value: c.T("scenario.forced.out")})
		}
	}
	if sc.ScaleByPriority {
		d.Workshop = sc.PriorityWorkshopID
		for _, w := range workshops {
			if w.ID == sc.PriorityWorkshopID {
				d.Workshop = w.Title
			}
		}
	}
	res, err := scReadResult(sc)
	if err != nil {
		return nil, err
	}
	if res != nil {
		model, _ := service.BuildScenarioModel(st, l.initiatives, sc, nil, c.lang)
		d.Result = c.resultView(scResultInput{Scenario: sc, Result: res, Settings: st, Initiatives: l.initiatives}, model)
		d.Stale = !sc.ResultCurrent(st.Revision)
		d.HasRoad = res.HasPlan()
		if d.HasRoad {
			scs, err := s.svc.Scenarios(ctx, c.actor)
			if err != nil {
				return nil, err
			}
			for i := range scs {
				if o := &scs[i]; o.ID != sc.ID && o.Result != nil {
					d.Others = append(d.Others, option{Value: o.ID, Label: o.Name})
				}
			}
		}
	}
	return d, nil
}

// scSettings lists the scenario's settings as text.
func (c *call) scSettings(sc *domain.Scenario, cur string) []scSetting {
	out := []scSetting{
		{c.T("scenario.f.horizon"), scYears(sc.StartYear, sc.EndYear)},
		{c.T("scenario.f.budget_default_in", "Currency", cur), pfMoney(sc.Budget.Default, cur, c.lang)},
	}
	for y := sc.StartYear; y <= sc.EndYear; y++ {
		if v, ok := sc.Budget.Years[y]; ok {
			out = append(out, scSetting{c.T("scenario.f.budget_year", "Year", y), pfMoney(v, cur, c.lang)})
		}
	}
	if sc.FTE == nil {
		out = append(out, scSetting{c.T("scenario.f.fte_default"), c.T("scenario.fte.uncapped")})
	} else {
		out = append(out, scSetting{c.T("scenario.f.fte_default"), pfFTE(sc.FTE.Default, c.lang)})
		for y := sc.StartYear; y <= sc.EndYear; y++ {
			if v, ok := sc.FTE.Years[y]; ok {
				out = append(out, scSetting{c.T("scenario.f.fte_year", "Year", y), pfFTE(v, c.lang)})
			}
		}
	}
	if sc.ScaleByPriority {
		out = append(out, scSetting{c.T("scenario.f.trend_weight"), pfDecimal(sc.TrendWeight, c.lang)})
	}
	return out
}

func (s *Server) scenarioShow(w http.ResponseWriter, r *http.Request, c *call) error {
	l, err := s.scLoad(r, c)
	if err != nil {
		return err
	}
	d, err := s.scPageData(r, c, l, nil, nil)
	if err != nil {
		return err
	}
	return s.render(w, c, http.StatusOK, "scenario_show", l.scenario.Name, d)
}

// scenarioSave saves the settings form. A form read at an older revision
// is refused (409) with the values shown again and nothing saved.
func (s *Server) scenarioSave(w http.ResponseWriter, r *http.Request, c *call) error {
	l, err := s.scLoad(r, c)
	if err != nil {
		return err
	}
	if !c.actor.Role.CanEditPortfolio() {
		return errPortfolioForbidden()
	}
	sc := *l.scenario
	sc.Result = nil
	values, ps := c.readScenario(r.PostForm, &sc, l.initiatives, true)
	rev, _ := strconv.ParseInt(r.PostForm.Get("revision"), 10, 64)
	sc.Revision = rev
	status := http.StatusUnprocessableEntity
	stale := false
	switch {
	case rev != l.scenario.Revision:
		stale, status = true, http.StatusConflict
		if ps == nil {
			ps = domain.Problems{}
		}
	case len(ps) > 0:
		check := sc
		ps = pfMergeProblems(ps, check.Validate(l.initiatives))
	default:
		if err := s.svc.UpdateScenario(r.Context(), c.actor, &sc); err != nil {
			var ok bool
			if ps, ok = asProblems(err); !ok {
				if domain.ErrorCode(err) != domain.ECONFLICT {
					return err
				}
				// The name is taken (a changed revision was caught above).
				ps, status = domain.Problems{{Field: "name", Message: domain.ErrorMessage(err)}}, http.StatusConflict
			}
		}
	}
	if ps != nil {
		d, err := s.scPageData(r, c, l, values, ps)
		if err != nil {
			return err
		}
		d.Form.Stale = stale
		d.Form.Revision = rev
		return s.render(w, c, status, "scenario_show", l.scenario.Name, d)
	}
	c.setFlash(c.T("scenario.saved"))
	return redirect(w, r, c.orgPath("/scenarios/%s", sc.ID))
}

// scenarioOptimise runs the optimiser on the scenario, keeps the result
// and shows it. A scenario that cannot be optimised as it is (an
// initiative forced in that cannot be in any plan, scaling without a
// workshop) shows the page again with the problems (422).
func (s *Server) scenarioOptimise(w http.ResponseWriter, r *http.Request, c *call) error {
	l, err := s.scLoad(r, c)
	if err != nil {
		return err
	}
	if !c.actor.Role.CanOptimise() {
		return domain.Errorf(domain.EFORBIDDEN, "Your role does not allow you to %s.", "optimise scenarios")
	}
	_, res, _, err := s.svc.OptimiseScenario(r.Context(), c.actor, l.scenario.ID, c.lang,
		portfolio.Options{TimeLimit: scOptimiseTime, Marginals: true})
	if ps, ok := asProblems(err); ok {
		d, err := s.scPageData(r, c, l, nil, nil)
		if err != nil {
			return err
		}
		d.Problems, _ = c.pfErrors(ps, func(string) string { return "" }, func(string) string { return "" }, nil)
		return s.render(w, c, http.StatusUnprocessableEntity, "scenario_show", l.scenario.Name, d)
	}
	if err != nil {
		return err
	}
	switch {
	case res.Status == portfolio.Optimal:
		c.setFlash(c.T("scenario.optimised.optimal", "Count", len(res.Plan), "Value", scValue(res.Objective, c.lang)))
	case res.Status == portfolio.Infeasible:
		c.setFlash(c.T("scenario.optimised.infeasible"))
	default:
		c.setFlash(c.T("scenario.optimised.gap", "Value", scValue(res.Objective, c.lang), "Gap", scValue(res.Gap, c.lang)))
	}
	return redirect(w, r, c.orgPath("/scenarios/%s", l.scenario.ID)+"#result")
}

func (s *Server) scenarioDelete(w http.ResponseWriter, r *http.Request, c *call) error {
	sc, err := s.svc.Scenario(r.Context(), c.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.svc.DeleteScenario(r.Context(), c.actor, sc.ID); err != nil {
		return err
	}
	c.setFlash(c.T("scenario.deleted", "Name", sc.Name))
	return redirect(w, r, c.orgPath("/scenarios"))
}
