package api

import (
	"context"
	"net/http"
	"slices"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
)

// The portfolio's settings and initiatives with their tracking.

const tagInitiatives = "Initiatives"

// initiativeBodyLimit fits an initiative with every trend, area,
// dependency and milestone it may have.
const initiativeBodyLimit = 256 << 10

type (
	initiativePath struct {
		ID string `path:"id" maxLength:"64" doc:"The initiative's id." example:"0192f0c4-4b4e-7d2a-9a31-6f0e3c2d1b10"`
	}
	portfolioSettingsOutput struct {
		Body PortfolioSettings
	}
	portfolioSettingsInput struct {
		Body PortfolioSettingsChange
	}
	initiativeListInput struct {
		Status string `query:"status" enum:"proposed,approved,in_progress,done,stopped" doc:"Only initiatives with this status."`
	}
	initiativeListOutput struct {
		Body InitiativeList
	}
	initiativeOutput struct {
		Status   int
		Location string `header:"Location" doc:"The initiative's address in the API."`
		Body     Initiative
	}
	initiativeCreateInput struct {
		Body InitiativeFields
	}
	initiativeUpdateInput struct {
		ID   string `path:"id" maxLength:"64" doc:"The initiative's id."`
		Body InitiativeChange
	}
	initiativeTrackInput struct {
		ID   string `path:"id" maxLength:"64" doc:"The initiative's id."`
		Body InitiativeTrackingChange
	}
)

func initiativeLocation(id string) string { return Prefix + "/initiatives/" + id }

// settingsRenamePortfolio maps the service's problem fields to the API's.
var settingsRenamePortfolio = map[string]string{"version": "version_id"}

// errPortfolioRole refuses a change to a role that may not edit the
// portfolio, as the service does.
func errPortfolioRole() error {
	return domain.Errorf(domain.EFORBIDDEN, "Your role does not allow you to %s.", "edit the portfolio")
}

func (a *API) registerInitiatives() {
	if !slices.ContainsFunc(a.huma.OpenAPI().Tags, func(t *huma.Tag) bool { return t.Name == tagInitiatives }) {
		a.huma.OpenAPI().Tags = append(a.huma.OpenAPI().Tags, &huma.Tag{Name: tagInitiatives,
			Description: "The portfolio: its currency, library version and benefit criteria, and initiatives with their costs, " +
				"effort, benefits, links to trends and capability areas, dependencies, exclusive groups and tracking " +
				"(status, RAG, milestones). Every member reads; owners and facilitators change."})
	}
	huma.Register(a.huma, op{
		id: "get-portfolio-settings", method: http.MethodGet, path: "/portfolio/settings", tag: tagInitiatives,
		summary: "Get the portfolio settings",
		description: "Returns the organisation's currency, the library version initiatives link to and the benefit " +
			"criteria with their weights; an organisation that never saved them gets the defaults (the currency of " +
			"its country, five criteria of weight 1, no version). Every member may read them.",
	}.operation(), a.portfolioSettingsShow)
	huma.Register(a.huma, op{
		id: "put-portfolio-settings", method: http.MethodPut, path: "/portfolio/settings", tag: tagInitiatives,
		summary: "Replace the portfolio settings",
		description: "Saves the currency, the library version and the benefit criteria. Every problem answers 422 " +
			"with its location (body.currency, body.criteria[2].weight, body.version_id — also for each trend or " +
			"capability area initiatives link to that the new version lacks) and nothing is saved. Scores on a " +
			"criterion left out are kept and come back when it is added again. Needs the owner or facilitator role.",
		errors:  []int{http.StatusForbidden, http.StatusUnprocessableEntity},
		maxBody: smallBodyLimit,
	}.operation(), a.portfolioSettingsPut)
	huma.Register(a.huma, op{
		id: "list-initiatives", method: http.MethodGet, path: "/initiatives", tag: tagInitiatives,
		summary: "List the organisation's initiatives",
		description: "Lists the organisation's initiatives, oldest first, with their weighted benefit and tracking, " +
			"optionally only those with one status. Every member may read them.",
	}.operation(), a.initiativeList)
	huma.Register(a.huma, op{
		id: "create-initiative", method: http.MethodPost, path: "/initiatives", tag: tagInitiatives,
		summary: "Create an initiative",
		description: "Creates an initiative. title, duration, earliest_start and latest_start are needed; the rest " +
			"defaults to none, zero, low risk and proposed. Trends and capability areas must be the portfolio's " +
			"library version's, dependencies the organisation's initiatives, benefits its criteria. Every problem " +
			"answers 422 with its location (body.trends[1].trend, body.benefits.people, body.depends_on[0], …) and " +
			"nothing is stored; a title in use answers 409. Needs the owner or facilitator role.",
		status:  http.StatusCreated,
		errors:  []int{http.StatusForbidden, http.StatusConflict, http.StatusUnprocessableEntity},
		maxBody: initiativeBodyLimit,
	}.operation(), a.initiativeCreate)
	huma.Register(a.huma, op{
		id: "get-initiative", method: http.MethodGet, path: "/initiatives/{id}", tag: tagInitiatives, orgScoped: true,
		summary: "Get an initiative",
		description: "Returns one of the organisation's initiatives with its weighted benefit, tracking and " +
			"revision. Every member may read it.",
		errors: []int{http.StatusNotFound},
	}.operation(), a.initiativeShow)
	huma.Register(a.huma, op{
		id: "update-initiative", method: http.MethodPatch, path: "/initiatives/{id}", tag: tagInitiatives, orgScoped: true,
		summary: "Change an initiative",
		description: "Changes the fields the body gives; those left out keep their values, and lists given replace " +
			"the old ones. The body names the revision it starts from: when someone changed the initiative since, " +
			"it answers 409 and nothing changes. The result is checked as on creation (422 with every problem, " +
			"including a dependency cycle at body.depends_on). Needs the owner or facilitator role.",
		errors:  []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
		maxBody: initiativeBodyLimit,
	}.operation(), a.initiativeUpdate)
	huma.Register(a.huma, op{
		id: "update-initiative-tracking", method: http.MethodPatch, path: "/initiatives/{id}/tracking", tag: tagInitiatives, orgScoped: true,
		summary: "Update an initiative's tracking",
		description: "Changes the status, the RAG rating and the milestones only, those the body gives. The body " +
			"names the revision it starts from (409 when out of date). Problems answer 422 at body.status, " +
			"body.rag and body.milestones[1].due. Needs the owner or facilitator role.",
		errors:  []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
		maxBody: initiativeBodyLimit,
	}.operation(), a.initiativeTrack)
	huma.Register(a.huma, op{
		id: "delete-initiative", method: http.MethodDelete, path: "/initiatives/{id}", tag: tagInitiatives, orgScoped: true,
		summary: "Delete an initiative",
		description: "Deletes an initiative and takes it out of every scenario's forced choices. When other " +
			"initiatives depend on it, it answers 409 and nothing is deleted. Needs the owner or facilitator role.",
		status: http.StatusNoContent,
		errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}.operation(), a.initiativeDelete)
}

func (a *API) portfolioSettingsShow(ctx context.Context, _ *struct{}) (*portfolioSettingsOutput, error) {
	p, err := a.svc.Portfolio(ctx, actor(ctx))
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	return &portfolioSettingsOutput{Body: portfolioSettings(p.Settings)}, nil
}

func (a *API) portfolioSettingsPut(ctx context.Context, in *portfolioSettingsInput) (*portfolioSettingsOutput, error) {
	act := actor(ctx)
	p, err := a.svc.Portfolio(ctx, act)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	st := *p.Settings
	in.Body.apply(&st)
	if err := a.svc.SavePortfolioSettings(ctx, act, &st); err != nil {
		return nil, a.bodyProblem(ctx, err, "nothing was saved", settingsRenamePortfolio)
	}
	return a.portfolioSettingsShow(ctx, nil)
}

func (a *API) initiativeList(ctx context.Context, in *initiativeListInput) (*initiativeListOutput, error) {
	act := actor(ctx)
	p, err := a.svc.Portfolio(ctx, act)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	ins, err := a.svc.Initiatives(ctx, act)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	out := &initiativeListOutput{Body: InitiativeList{Currency: p.Settings.Currency, Initiatives: []Initiative{}}}
	for i := range ins {
		if in.Status == "" || string(ins[i].Status) == in.Status {
			out.Body.Initiatives = append(out.Body.Initiatives, initiativeModel(&ins[i], p.Settings.Criteria))
		}
	}
	return out, nil
}

// initiativeAnswer reads the initiative as stored and answers with it.
func (a *API) initiativeAnswer(ctx context.Context, id string, status int) (*initiativeOutput, error) {
	act := actor(ctx)
	in, err := a.svc.Initiative(ctx, act, id)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	p, err := a.svc.Portfolio(ctx, act)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	return &initiativeOutput{Status: status, Location: initiativeLocation(in.ID), Body: initiativeModel(in, p.Settings.Criteria)}, nil
}

// initiativeCheck adds the domain's problems to problems found in the
// body, so that a client gets every problem at once; nothing is sent to
// the service.
func (a *API) initiativeCheck(ctx context.Context, act domain.Actor, in *domain.Initiative, ps domain.Problems) error {
	p, err := a.svc.Portfolio(ctx, act)
	if err != nil {
		return err
	}
	ins, err := a.svc.Initiatives(ctx, act)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, p := range ps {
		seen[p.Field] = true
	}
	check := *in
	for _, q := range check.Validate(initiativeRefs(p, ins)) {
		if !seen[q.Field] {
			ps = append(ps, q)
		}
	}
	return ps
}

func (a *API) initiativeCreate(ctx context.Context, body *initiativeCreateInput) (*initiativeOutput, error) {
	act := actor(ctx)
	if !act.Role.CanEditPortfolio() {
		return nil, a.problem(ctx, errPortfolioRole())
	}
	in := &domain.Initiative{}
	if ps := body.Body.apply(in); len(ps) > 0 {
		return nil, a.bodyProblem(ctx, a.initiativeCheck(ctx, act, in, ps), "nothing was stored", nil)
	}
	if err := a.svc.CreateInitiative(ctx, act, in); err != nil {
		return nil, a.bodyProblem(ctx, err, "nothing was stored", nil)
	}
	return a.initiativeAnswer(ctx, in.ID, http.StatusCreated)
}

func (a *API) initiativeShow(ctx context.Context, in *initiativePath) (*initiativeOutput, error) {
	return a.initiativeAnswer(ctx, in.ID, http.StatusOK)
}

func (a *API) initiativeUpdate(ctx context.Context, body *initiativeUpdateInput) (*initiativeOutput, error) {
	act := actor(ctx)
	old, err := a.svc.Initiative(ctx, act, body.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	if !act.Role.CanEditPortfolio() {
		return nil, a.problem(ctx, errPortfolioRole())
	}
	in := *old
	in.Revision = body.Body.Revision
	if ps := body.Body.apply(&in); len(ps) > 0 {
		return nil, a.bodyProblem(ctx, a.initiativeCheck(ctx, act, &in, ps), "nothing was changed", nil)
	}
	if err := a.svc.UpdateInitiative(ctx, act, &in); err != nil {
		return nil, a.bodyProblem(ctx, err, "nothing was changed", nil)
	}
	return a.initiativeAnswer(ctx, in.ID, http.StatusOK)
}

func (a *API) initiativeTrack(ctx context.Context, body *initiativeTrackInput) (*initiativeOutput, error) {
	act := actor(ctx)
	old, err := a.svc.Initiative(ctx, act, body.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	t := service.InitiativeTracking{ID: old.ID, Revision: body.Body.Revision, Status: old.Status, RAG: old.RAG, Milestones: old.Milestones}
	if body.Body.Status != nil {
		t.Status = domain.InitiativeStatus(*body.Body.Status)
	}
	if body.Body.RAG != nil {
		t.RAG = domain.RAG(*body.Body.RAG)
	}
	if body.Body.Milestones != nil {
		t.Milestones = initiativeMilestones(body.Body.Milestones)
	}
	if _, err := a.svc.TrackInitiative(ctx, act, t); err != nil {
		return nil, a.bodyProblem(ctx, err, "nothing was changed", nil)
	}
	return a.initiativeAnswer(ctx, old.ID, http.StatusOK)
}

func (a *API) initiativeDelete(ctx context.Context, in *initiativePath) (*struct{}, error) {
	act := actor(ctx)
	if _, err := a.svc.Initiative(ctx, act, in.ID); err != nil {
		return nil, a.problem(ctx, err)
	}
	if err := a.svc.DeleteInitiative(ctx, act, in.ID); err != nil {
		return nil, a.problem(ctx, err)
	}
	return &struct{}{}, nil
}
