package api

import (
	"context"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/portfolio"
	"github.com/waymark/waymark/internal/scenario"
)

// Scenarios: named sets of assumptions (horizon, yearly budget and FTE
// caps, initiatives forced in or out, scaling by a workshop's trend
// priorities) that the optimiser chooses a roadmap under; the optimiser
// itself; and the roadmap of a scenario's last result.

const tagScenarios = "Scenarios"

// scenarioBodyLimit fits a scenario with a cap for each of 50 years and
// every initiative forced.
const scenarioBodyLimit = 128 << 10

// Bounds of the optimiser's time limit, in seconds.
const (
	scenarioDefaultSeconds = 10
	scenarioMaxSeconds     = 60
)

// ScenarioBudget is a yearly budget cap.
type ScenarioBudget struct {
	Default int64            `json:"default" doc:"The budget in every year, in whole units of the organisation's currency." example:"1600000"`
	Years   map[string]int64 `json:"years,omitempty" doc:"Another budget in some years of the horizon, by year." example:"{\"2027\": 1200000}"`
}

// ScenarioFTE is a yearly staff cap.
type ScenarioFTE struct {
	Default float64            `json:"default" doc:"Full-time equivalents available in every year, with at most two decimals." example:"12"`
	Years   map[string]float64 `json:"years,omitempty" doc:"Another cap in some years of the horizon, by year." example:"{\"2026\": 8}"`
}

// ScenarioSettings are a scenario's assumptions.
type ScenarioSettings struct {
	Name        string         `json:"name" doc:"The scenario's name, unique in the organisation." example:"Budget −20 %"`
	Description string         `json:"description,omitempty" doc:"What the scenario assumes."`
	StartYear   int            `json:"start_year" doc:"The first year of the planning horizon." example:"2026"`
	EndYear     int            `json:"end_year" doc:"The last year of the planning horizon (at most 50 years after the first)." example:"2035"`
	Budget      ScenarioBudget `json:"budget" doc:"The yearly budget cap: one-off costs count in an initiative's start year, recurring costs every year from then on."`
	FTE         *ScenarioFTE   `json:"fte,omitempty" doc:"The yearly staff cap; leave it out for none."`
	// Forced maps initiative ids to "in" or "out".
	Forced           map[string]string `json:"forced,omitempty" doc:"Initiatives (by id) that must be in (\"in\") or out (\"out\") of the plan."`
	ScaleByPriority  bool              `json:"scale_by_priority,omitempty" doc:"Scale each initiative's value by the priority of the trends it addresses, from priority_workshop's ranking (docs/method.md)."`
	PriorityWorkshop string            `json:"priority_workshop,omitempty" doc:"The id of the workshop whose trend priorities scale the value."`
	TrendWeight      float64           `json:"trend_weight,omitempty" doc:"How much trend priority counts, 0 to 10 (λ in docs/formats.md); 1 when scaling and left out." example:"1"`
}

// ScenarioNew is a new scenario.
type ScenarioNew struct {
	ScenarioSettings
}

// ScenarioChange replaces a scenario's settings.
type ScenarioChange struct {
	Revision int64 `json:"revision" required:"true" doc:"The revision you read; when someone changed the scenario since, the update answers 409 and nothing changes." example:"3"`
	ScenarioSettings
}

// ScenarioResultSummary is what a scenario's last result proves.
type ScenarioResultSummary struct {
	Status    string    `json:"status" enum:"optimal,time_limit,infeasible" doc:"optimal: proven optimal (gap 0); time_limit: the best plan found, with its proven gap; infeasible: no plan satisfies the initiatives forced in."`
	Objective float64   `json:"objective" doc:"The plan's total value."`
	Bound     float64   `json:"bound" doc:"No plan is worth more than this."`
	Gap       float64   `json:"gap" doc:"bound − objective: 0 when optimal."`
	Chosen    int       `json:"chosen" doc:"How many initiatives the plan has."`
	At        time.Time `json:"at" doc:"When it was optimised."`
	Current   bool      `json:"current" doc:"False when the portfolio (its settings or an initiative) has changed since: optimise again."`
}

// Scenario is a scenario with its last result's summary.
type Scenario struct {
	ID string `json:"id" doc:"The scenario's id."`
	ScenarioSettings
	Revision  int64                  `json:"revision" doc:"Increases with every change; send it back with an update."`
	CreatedAt time.Time              `json:"created_at"`
	UpdatedAt time.Time              `json:"updated_at"`
	Result    *ScenarioResultSummary `json:"result" doc:"The last optimisation; null when the scenario has not been optimised since it last changed."`
}

// ScenarioList is the organisation's scenarios.
type ScenarioList struct {
	Currency  string     `json:"currency" doc:"The organisation's currency, for the budgets." example:"SEK"`
	Scenarios []Scenario `json:"scenarios" nullable:"false" doc:"Oldest first."`
}

// Roadmap is a scenario's plan to the horizon year in lanes by capability
// area.
type Roadmap struct {
	Scenario  string        `json:"scenario" doc:"The scenario's id."`
	StartYear int           `json:"start_year"`
	EndYear   int           `json:"end_year"`
	Currency  string        `json:"currency" example:"SEK"`
	Status    string        `json:"status" enum:"optimal,time_limit" doc:"What the result proves: optimal, or the best plan found when the time limit came."`
	Current   bool          `json:"current" doc:"False when the portfolio has changed since the scenario was optimised."`
	Lanes     []RoadmapLane `json:"lanes" nullable:"false" doc:"A lane per capability area of the portfolio's library version, in its order, then one for initiatives that build none (only when there are any)."`
}

// RoadmapLane is one capability area's initiatives.
type RoadmapLane struct {
	Area        string        `json:"area" doc:"The capability area's key; empty for initiatives that build no area."`
	Name        Text          `json:"name" doc:"The area's name; empty for the lane of no area."`
	Initiatives []RoadmapItem `json:"initiatives" nullable:"false" doc:"By start year, then title. An initiative that builds several areas is in the lane of the first of them in the library's order."`
}

// RoadmapItem is an initiative in the plan.
type RoadmapItem struct {
	ID            string   `json:"id" doc:"The initiative's id."`
	Title         string   `json:"title"`
	Start         int      `json:"start" doc:"Its start year."`
	End           int      `json:"end" doc:"The last year of its duration; its recurring cost goes on to the horizon's end."`
	Areas         []string `json:"areas" nullable:"false" doc:"Every capability area it builds, in the library's order."`
	Status        string   `json:"status" doc:"proposed, approved, in_progress, done or stopped; empty for an initiative deleted since."`
	RAG           string   `json:"rag" doc:"red, amber, green or empty."`
	OneOffCost    int64    `json:"one_off_cost"`
	RecurringCost int64    `json:"recurring_cost" doc:"Per year."`
	FTE           float64  `json:"fte" doc:"Full-time equivalents per year of its duration."`
	Value         float64  `json:"value" doc:"Its value as the optimiser counted it."`
	Forced        bool     `json:"forced" doc:"Forced in by the scenario."`
	DependsOn     []string `json:"depends_on" nullable:"false" doc:"Initiatives in the plan (ids) it starts after."`
	Deleted       bool     `json:"deleted,omitempty" doc:"The initiative has been deleted since the scenario was optimised."`
}

type (
	scenarioPath struct {
		ID string `path:"id" maxLength:"64" doc:"The scenario's id."`
	}
	scenarioListOutput struct{ Body ScenarioList }
	scenarioOutput     struct {
		Status   int
		Location string `header:"Location" doc:"The scenario's address in the API."`
		Body     Scenario
	}
	scenarioCreateInput struct{ Body ScenarioNew }
	scenarioUpdateInput struct {
		ID   string `path:"id" maxLength:"64" doc:"The scenario's id."`
		Body ScenarioChange
	}
	scenarioOptimiseInput struct {
		ID        string `path:"id" maxLength:"64" doc:"The scenario's id."`
		TimeLimit int    `query:"time_limit" minimum:"1" maximum:"60" default:"10" doc:"Seconds the optimiser may take; when they run out it returns the best plan found with its proven gap."`
		Marginals bool   `query:"marginals" default:"true" doc:"Also find the value of one more unit of budget and FTE in each year (solves again per year)."`
	}
	scenarioResultOutput struct {
		ContentType string `header:"Content-Type"`
		Body        []byte
	}
	roadmapOutput struct{ Body Roadmap }
)

func scenarioLocation(id string) string { return Prefix + "/scenarios/" + id }

func (a *API) registerScenarios() {
	doc := a.huma.OpenAPI()
	doc.Tags = append(doc.Tags, &huma.Tag{Name: tagScenarios, Description: "Scenarios (baseline, budget −20 %, extra staff, …): " +
		"the horizon, yearly budget and FTE caps and forced choices the optimiser chooses the initiatives and start years of " +
		"greatest value under, proving the plan optimal; and the roadmap of a scenario's plan by capability area."})
	huma.Register(a.huma, op{
		id: "list-scenarios", method: http.MethodGet, path: "/scenarios", tag: tagScenarios,
		summary:     "List the organisation's scenarios",
		description: "Lists the scenarios of the token's organisation, oldest first, each with a summary of its last result. Every member may read them.",
	}.operation(), a.scenarioList)
	huma.Register(a.huma, op{
		id: "create-scenario", method: http.MethodPost, path: "/scenarios", tag: tagScenarios,
		summary: "Create a scenario",
		description: "Creates a scenario. Problems answer 422 with one error per field (body.name, body.end_year, " +
			"body.budget.years.2027, body.fte.default, body.forced.<id>, body.priority_workshop, body.trend_weight …) and " +
			"nothing is stored; a name in use answers 409. Needs the owner or facilitator role.",
		status:  http.StatusCreated,
		errors:  []int{http.StatusForbidden, http.StatusConflict, http.StatusUnprocessableEntity},
		maxBody: scenarioBodyLimit,
	}.operation(), a.scenarioCreate)
	huma.Register(a.huma, op{
		id: "get-scenario", method: http.MethodGet, path: "/scenarios/{id}", tag: tagScenarios, orgScoped: true,
		summary:     "Get a scenario",
		description: "Returns one of the organisation's scenarios with its revision and a summary of its last result. Every member may read it.",
		errors:      []int{http.StatusNotFound},
	}.operation(), a.scenarioShow)
	huma.Register(a.huma, op{
		id: "update-scenario", method: http.MethodPut, path: "/scenarios/{id}", tag: tagScenarios, orgScoped: true,
		summary: "Replace a scenario's settings",
		description: "Replaces the scenario's settings with the body's (settings left out take their defaults) when revision " +
			"is the scenario's revision; when someone changed it since, or the name is taken, it answers 409 and nothing " +
			"changes. Problems answer 422 as on creation. The last result is cleared: it was for the old assumptions. " +
			"Needs the owner or facilitator role.",
		errors:  []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
		maxBody: scenarioBodyLimit,
	}.operation(), a.scenarioUpdate)
	huma.Register(a.huma, op{
		id: "delete-scenario", method: http.MethodDelete, path: "/scenarios/{id}", tag: tagScenarios, orgScoped: true,
		summary:     "Delete a scenario",
		description: "Deletes the scenario and its last result; the initiatives stay. Needs the owner or facilitator role.",
		status:      http.StatusNoContent,
		errors:      []int{http.StatusForbidden, http.StatusNotFound},
	}.operation(), a.scenarioDelete)

	resultSchema := &huma.Schema{Type: "object", Description: "The optimiser's result file, waymark.portfolio/v1 with \"kind\": \"result\" " +
		"(docs/formats.md): status, objective, bound, gap, the plan with start years, what was left out and why, every year's " +
		"budget and FTE use with what binds and the value of one more step, and the binding constraints."}
	opt := op{
		id: "optimise-scenario", method: http.MethodPost, path: "/scenarios/{id}/optimise", tag: tagScenarios, orgScoped: true,
		summary: "Optimise a scenario",
		description: "Chooses the initiatives and start years of greatest value under the scenario's caps, dependencies, " +
			"mutually exclusive groups and start windows, keeps the result as the scenario's last result and returns it " +
			"(waymark.portfolio/v1). It returns the proven optimum (status optimal, gap 0) or, when the time limit comes " +
			"first, the best plan found with its proven gap (status time_limit); it never returns a plan that breaks a " +
			"constraint. When the initiatives forced in cannot all be in a plan the status is infeasible with the reasons. " +
			"An initiative forced in that cannot be in any plan of the scenario (done, stopped, outside the horizon) " +
			"answers 422 at body.forced.<id>; a change to the scenario while it was solved answers 409. Needs the owner, " +
			"facilitator or analyst role.",
		errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}.operation()
	opt.Responses = map[string]*huma.Response{"200": {Description: "The result file.",
		Content: map[string]*huma.MediaType{"application/json": {Schema: resultSchema}}}}
	huma.Register(a.huma, opt, a.scenarioOptimise)

	res := op{
		id: "get-scenario-result", method: http.MethodGet, path: "/scenarios/{id}/result", tag: tagScenarios, orgScoped: true,
		summary: "Get a scenario's last result",
		description: "Returns the result file of the scenario's last optimisation (waymark.portfolio/v1), as optimise-scenario " +
			"returned it; 409 when the scenario has not been optimised since it last changed. The scenario's result.current " +
			"says whether the portfolio has changed since. Every member may read it.",
		errors: []int{http.StatusNotFound, http.StatusConflict},
	}.operation()
	res.Responses = map[string]*huma.Response{"200": {Description: "The result file.",
		Content: map[string]*huma.MediaType{"application/json": {Schema: resultSchema}}}}
	huma.Register(a.huma, res, a.scenarioResult)

	huma.Register(a.huma, op{
		id: "get-roadmap", method: http.MethodGet, path: "/scenarios/{id}/roadmap", tag: tagScenarios, orgScoped: true,
		summary: "Get a scenario's roadmap",
		description: "Returns the plan of the scenario's last result to the horizon year in lanes by capability area of the " +
			"portfolio's library version: each initiative once, in the lane of the first area it builds in the library's " +
			"order, with its years, status, RAG, costs, effort, value and the initiatives in the plan it depends on. 409 " +
			"when the scenario has no plan (not optimised since it changed, or no plan possible). Every member may read it.",
		errors: []int{http.StatusNotFound, http.StatusConflict},
	}.operation(), a.scenarioRoadmap)
}

// scenarioModel is a scenario as the API shows it.
func scenarioModel(sc *domain.Scenario, portfolioRevision int64) (Scenario, error) {
	out := Scenario{ID: sc.ID, Revision: sc.Revision, CreatedAt: sc.CreatedAt, UpdatedAt: sc.UpdatedAt,
		ScenarioSettings: ScenarioSettings{Name: sc.Name, Description: sc.Description, StartYear: sc.StartYear, EndYear: sc.EndYear,
			Budget:          ScenarioBudget{Default: sc.Budget.Default},
			ScaleByPriority: sc.ScaleByPriority, PriorityWorkshop: sc.PriorityWorkshopID, TrendWeight: sc.TrendWeight}}
	if len(sc.Budget.Years) > 0 {
		out.Budget.Years = map[string]int64{}
		for y, v := range sc.Budget.Years {
			out.Budget.Years[strconv.Itoa(y)] = v
		}
	}
	if sc.FTE != nil {
		out.FTE = &ScenarioFTE{Default: fteFloat(sc.FTE.Default)}
		if len(sc.FTE.Years) > 0 {
			out.FTE.Years = map[string]float64{}
			for y, v := range sc.FTE.Years {
				out.FTE.Years[strconv.Itoa(y)] = fteFloat(v)
			}
		}
	}
	if len(sc.Forced) > 0 {
		out.Forced = map[string]string{}
		for id, f := range sc.Forced {
			out.Forced[id] = string(f)
		}
	}
	if sc.Result != nil {
		r, err := scenario.ReadResult(sc.Result.Data)
		if err != nil {
			return out, fmt.Errorf("api: result of scenario %s: %w", sc.ID, err)
		}
		out.Result = &ScenarioResultSummary{Status: string(r.Status), Objective: r.Objective, Bound: r.Bound, Gap: r.Gap,
			Chosen: len(r.Plan), At: sc.Result.At, Current: sc.ResultCurrent(portfolioRevision)}
	}
	return out, nil
}

func fteFloat(f domain.FTE) float64 { return float64(f) / float64(domain.FTEUnit) }

// apply sets the scenario's settings from the body, returning the problems
// of values that cannot be taken (years that are not years, FTE with more
// than two decimals), at the domain's fields.
func (b *ScenarioSettings) apply(sc *domain.Scenario) domain.Problems {
	var ps domain.Problems
	sc.Name, sc.Description, sc.StartYear, sc.EndYear = b.Name, b.Description, b.StartYear, b.EndYear
	sc.Budget = domain.MoneyCaps{Default: b.Budget.Default}
	for _, k := range slices.Sorted(maps.Keys(b.Budget.Years)) {
		y, err := strconv.Atoi(k)
		if err != nil || strconv.Itoa(y) != k {
			ps = append(ps, domain.Problem{Field: "budget.years." + k, Message: "must be a year such as 2027"})
			continue
		}
		if sc.Budget.Years == nil {
			sc.Budget.Years = map[int]int64{}
		}
		sc.Budget.Years[y] = b.Budget.Years[k]
	}
	sc.FTE = nil
	if b.FTE != nil {
		f, p := scenarioFTE(b.FTE.Default, "fte.default")
		if p != nil {
			ps = append(ps, *p)
		}
		sc.FTE = &domain.FTECaps{Default: f}
		for _, k := range slices.Sorted(maps.Keys(b.FTE.Years)) {
			field := "fte.years." + k
			y, err := strconv.Atoi(k)
			if err != nil || strconv.Itoa(y) != k {
				ps = append(ps, domain.Problem{Field: field, Message: "must be a year such as 2027"})
				continue
			}
			f, p := scenarioFTE(b.FTE.Years[k], field)
			if p != nil {
				ps = append(ps, *p)
			}
			if sc.FTE.Years == nil {
				sc.FTE.Years = map[int]domain.FTE{}
			}
			sc.FTE.Years[y] = f
		}
	}
	sc.Forced = nil
	for id, f := range b.Forced {
		if sc.Forced == nil {
			sc.Forced = map[string]domain.Force{}
		}
		sc.Forced[id] = domain.Force(f)
	}
	sc.ScaleByPriority, sc.PriorityWorkshopID, sc.TrendWeight = b.ScaleByPriority, b.PriorityWorkshop, b.TrendWeight
	return ps
}

// scenarioFTE turns a number of FTE into hundredths: exact for at most two
// decimals, a problem otherwise. Amounts out of range are left to the
// domain's checks, which name the limits.
func scenarioFTE(x float64, field string) (domain.FTE, *domain.Problem) {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return 0, &domain.Problem{Field: field, Message: "must be a number"}
	case x < 0:
		return -1, nil
	case x > float64(domain.MaxFTE/domain.FTEUnit):
		return domain.MaxFTE + 1, nil
	}
	f, err := domain.ParseFTE(strconv.FormatFloat(x, 'f', -1, 64))
	if err != nil {
		return 0, &domain.Problem{Field: field, Message: domain.ErrorMessage(err)}
	}
	return f, nil
}

// scenarioCheck adds the domain's problems to those of values that could
// not be taken, so that every problem is reported at once.
func (a *API) scenarioCheck(ctx context.Context, sc *domain.Scenario, ps domain.Problems) error {
	ins, err := a.svc.Initiatives(ctx, actor(ctx))
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, p := range ps {
		seen[p.Field] = true
	}
	check := *sc
	for _, p := range check.Validate(ins) {
		if !seen[p.Field] {
			ps = append(ps, p)
		}
	}
	return ps
}

// scenario reads one of the organisation's scenarios, so that another
// organisation's answers 404 to every role, exactly like one that does not
// exist, before the service checks the role.
func (a *API) scenario(ctx context.Context, id string) (*domain.Scenario, error) {
	return a.svc.Scenario(ctx, actor(ctx), id)
}

// scenarioAnswer answers with the scenario as stored.
func (a *API) scenarioAnswer(ctx context.Context, id string, status int) (*scenarioOutput, error) {
	act := actor(ctx)
	sc, err := a.svc.Scenario(ctx, act, id)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	p, err := a.svc.Portfolio(ctx, act)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	m, err := scenarioModel(sc, p.Settings.Revision)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	return &scenarioOutput{Status: status, Location: scenarioLocation(sc.ID), Body: m}, nil
}

func (a *API) scenarioList(ctx context.Context, _ *struct{}) (*scenarioListOutput, error) {
	act := actor(ctx)
	p, err := a.svc.Portfolio(ctx, act)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	scs, err := a.svc.Scenarios(ctx, act)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	out := &scenarioListOutput{Body: ScenarioList{Currency: p.Settings.Currency, Scenarios: []Scenario{}}}
	for i := range scs {
		m, err := scenarioModel(&scs[i], p.Settings.Revision)
		if err != nil {
			return nil, a.problem(ctx, err)
		}
		out.Body.Scenarios = append(out.Body.Scenarios, m)
	}
	return out, nil
}

func (a *API) scenarioCreate(ctx context.Context, in *scenarioCreateInput) (*scenarioOutput, error) {
	act := actor(ctx)
	if !act.Role.CanEditPortfolio() {
		return nil, a.problem(ctx, domain.Errorf(domain.EFORBIDDEN, "Your role does not allow you to %s.", "edit the portfolio"))
	}
	sc := &domain.Scenario{}
	if ps := in.Body.apply(sc); len(ps) > 0 {
		return nil, a.bodyProblem(ctx, a.scenarioCheck(ctx, sc, ps), "nothing was stored", nil)
	}
	if err := a.svc.CreateScenario(ctx, act, sc); err != nil {
		return nil, a.bodyProblem(ctx, err, "nothing was stored", nil)
	}
	return a.scenarioAnswer(ctx, sc.ID, http.StatusCreated)
}

func (a *API) scenarioShow(ctx context.Context, in *scenarioPath) (*scenarioOutput, error) {
	return a.scenarioAnswer(ctx, in.ID, http.StatusOK)
}

func (a *API) scenarioUpdate(ctx context.Context, in *scenarioUpdateInput) (*scenarioOutput, error) {
	act := actor(ctx)
	old, err := a.scenario(ctx, in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	if !act.Role.CanEditPortfolio() {
		return nil, a.problem(ctx, domain.Errorf(domain.EFORBIDDEN, "Your role does not allow you to %s.", "edit the portfolio"))
	}
	sc := &domain.Scenario{ID: old.ID, Revision: in.Body.Revision}
	if ps := in.Body.apply(sc); len(ps) > 0 {
		return nil, a.bodyProblem(ctx, a.scenarioCheck(ctx, sc, ps), "nothing was changed", nil)
	}
	if err := a.svc.UpdateScenario(ctx, act, sc); err != nil {
		return nil, a.bodyProblem(ctx, err, "nothing was changed", nil)
	}
	return a.scenarioAnswer(ctx, sc.ID, http.StatusOK)
}

func (a *API) scenarioDelete(ctx context.Context, in *scenarioPath) (*struct{}, error) {
	if _, err := a.scenario(ctx, in.ID); err != nil {
		return nil, a.problem(ctx, err)
	}
	if err := a.svc.DeleteScenario(ctx, actor(ctx), in.ID); err != nil {
		return nil, a.problem(ctx, err)
	}
	return &struct{}{}, nil
}

func (a *API) scenarioOptimise(ctx context.Context, in *scenarioOptimiseInput) (*scenarioResultOutput, error) {
	if _, err := a.scenario(ctx, in.ID); err != nil {
		return nil, a.problem(ctx, err)
	}
	seconds := in.TimeLimit
	if seconds <= 0 {
		seconds = scenarioDefaultSeconds
	}
	seconds = min(seconds, scenarioMaxSeconds)
	_, _, data, err := a.svc.OptimiseScenario(ctx, actor(ctx), in.ID, "en",
		portfolio.Options{TimeLimit: time.Duration(seconds) * time.Second, Marginals: in.Marginals})
	if err != nil {
		return nil, a.bodyProblem(ctx, err, "the scenario was not optimised", nil)
	}
	return &scenarioResultOutput{ContentType: "application/json", Body: data}, nil
}

// errNoResult answers for a scenario without a result to show.
func errNoResult() error {
	return domain.Errorf(domain.ECONFLICT, "The scenario has not been optimised since it last changed: optimise it first.")
}

func (a *API) scenarioResult(ctx context.Context, in *scenarioPath) (*scenarioResultOutput, error) {
	sc, err := a.scenario(ctx, in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	if sc.Result == nil {
		return nil, a.problem(ctx, errNoResult())
	}
	return &scenarioResultOutput{ContentType: "application/json", Body: sc.Result.Data}, nil
}

func (a *API) scenarioRoadmap(ctx context.Context, in *scenarioPath) (*roadmapOutput, error) {
	act := actor(ctx)
	sc, err := a.scenario(ctx, in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	if sc.Result == nil {
		return nil, a.problem(ctx, errNoResult())
	}
	r, err := scenario.ReadResult(sc.Result.Data)
	if err != nil {
		return nil, a.problem(ctx, fmt.Errorf("api: result of scenario %s: %w", sc.ID, err))
	}
	if !r.HasPlan() {
		return nil, a.problem(ctx, domain.Errorf(domain.ECONFLICT, "The scenario's last result has no plan: %s", r.Message))
	}
	p, err := a.svc.Portfolio(ctx, act)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	ins, err := a.svc.Initiatives(ctx, act)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	var areas []domain.CapabilityArea
	if p.Version != nil {
		areas = p.Version.CapabilityAreas
	}
	rm := scenario.BuildRoadmap(r, sc.StartYear, sc.EndYear, ins, areas)
	out := Roadmap{Scenario: sc.ID, StartYear: rm.Start, EndYear: rm.End, Currency: p.Settings.Currency, Status: string(r.Status),
		Current: sc.ResultCurrent(p.Settings.Revision), Lanes: []RoadmapLane{}}
	for _, l := range rm.Lanes {
		lane := RoadmapLane{Area: l.Area, Name: text(l.Name), Initiatives: []RoadmapItem{}}
		for _, it := range l.Items {
			item := RoadmapItem{ID: it.ID, Title: it.Title, Start: it.Start, End: it.End, Areas: []string{}, Status: string(it.Status),
				RAG: string(it.RAG), OneOffCost: it.OneOffCost, RecurringCost: it.RecurringCost, FTE: fteFloat(it.FTE),
				Value: it.Value, Forced: it.Forced, DependsOn: []string{}, Deleted: !it.Known}
			item.Areas = append(item.Areas, it.Areas...)
			item.DependsOn = append(item.DependsOn, it.DependsOn...)
			lane.Initiatives = append(lane.Initiatives, item)
		}
		out.Lanes = append(out.Lanes, lane)
	}
	return &roadmapOutput{Body: out}, nil
}
