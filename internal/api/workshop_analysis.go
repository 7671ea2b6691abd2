package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/report"
	"github.com/waymark/waymark/internal/service"
)

type workshopAnalysisInput struct {
	ID   string `path:"id" maxLength:"64" doc:"The workshop's id."`
	Lang string `query:"lang" enum:"en,sv" default:"en" doc:"Language of labels and summaries."`
}

type workshopAnalysisOutput struct {
	Body *report.Aggregates
}

type priorityDecisionInput struct {
	ID    string `path:"id" maxLength:"64" doc:"The workshop's id."`
	Trend string `path:"trend" maxLength:"200" doc:"The trend's key."`
	Body  PriorityDecision
}

type priorityClearInput struct {
	ID    string `path:"id" maxLength:"64" doc:"The workshop's id."`
	Trend string `path:"trend" maxLength:"200" doc:"The trend's key."`
}

// PriorityDecision pins a trend to the top of a workshop's priority ranking
// or excludes it, with the reason readers see beside it.
type PriorityDecision struct {
	Kind   string `json:"kind" enum:"pin,exclude" doc:"pin puts the trend at the top of the ranking; exclude takes it out (it is still listed, last, with the reason)."`
	Reason string `json:"reason" maxLength:"2000" doc:"Why, in at most 500 characters; shown beside the trend in the results and the report."`
}

func (a *API) registerWorkshopAnalysis() {
	huma.Register(a.huma, op{
		id: "get-workshop-analysis", method: http.MethodGet, path: "/workshops/{id}/analysis", tag: tagWorkshops, orgScoped: true,
		summary: "Get a workshop's analysis",
		description: "Returns the aggregates of a workshop as the waymark.results/v1 document (docs/formats.md): per trend and " +
			"question the count, share of \"don't know\", distribution, mean, median, standard deviation, interquartile range " +
			"and consensus; the priority ranking with facilitators' pins and exclusions; the impact × certainty quadrants; " +
			"the radar's sectors and rings; group comparisons; fields of tension; ideas with upvotes and dots. It holds no " +
			"participant's own answers. Every member may read it.",
		errors: []int{http.StatusNotFound},
	}.operation(), a.workshopAnalysis)
	huma.Register(a.huma, op{
		id: "set-priority-decision", method: http.MethodPut, path: "/workshops/{id}/priority-decisions/{trend}", tag: tagWorkshops, orgScoped: true,
		summary: "Pin or exclude a trend in the priority ranking",
		description: "Records a facilitator's decision on one trend of the workshop, replacing any earlier one: pin puts it " +
			"at the top of the ranking, exclude takes it out. A reason is required. Needs the owner or facilitator role.",
		status:  http.StatusNoContent,
		errors:  []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity},
		maxBody: smallBodyLimit,
	}.operation(), a.priorityDecide)
	huma.Register(a.huma, op{
		id: "delete-priority-decision", method: http.MethodDelete, path: "/workshops/{id}/priority-decisions/{trend}", tag: tagWorkshops, orgScoped: true,
		summary: "Take back a pin or exclusion",
		description: "Removes the facilitator's decision on the trend, so that its priority index places it again. " +
			"Removing a decision that does not exist changes nothing. Needs the owner or facilitator role.",
		status: http.StatusNoContent,
		errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity},
	}.operation(), a.priorityClear)
}

func (a *API) workshopAnalysis(ctx context.Context, in *workshopAnalysisInput) (*workshopAnalysisOutput, error) {
	act := actor(ctx)
	lang := in.Lang
	if lang == "" {
		lang = "en"
	}
	res, err := a.svc.WorkshopResults(ctx, act, in.ID, service.ResultsOptions{Lang: lang})
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	org, err := a.svc.Store().OrgByID(ctx, act.OrgID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	ideas, err := a.svc.AllIdeas(ctx, act, res.Workshop.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	r, err := report.Build(report.Source{Lang: lang, Organisation: org.Name, Workshop: res.Workshop, Version: res.Version,
		Input: res.Input, Analysis: res.Analysis, Joined: res.Joined, Ideas: ideas})
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	return &workshopAnalysisOutput{Body: report.BuildAggregates(r)}, nil
}

func (a *API) priorityDecide(ctx context.Context, in *priorityDecisionInput) (*struct{}, error) {
	act := actor(ctx)
	if _, err := a.workshop(ctx, act, in.ID); err != nil {
		return nil, a.problem(ctx, err)
	}
	if err := a.svc.DecidePriority(ctx, act, in.ID, in.Trend, domain.PriorityKind(in.Body.Kind), in.Body.Reason); err != nil {
		return nil, a.bodyProblem(ctx, err, "nothing was changed", map[string]string{"trend": "path.trend"})
	}
	return nil, nil
}

func (a *API) priorityClear(ctx context.Context, in *priorityClearInput) (*struct{}, error) {
	act := actor(ctx)
	if _, err := a.workshop(ctx, act, in.ID); err != nil {
		return nil, a.problem(ctx, err)
	}
	if err := a.svc.DecidePriority(ctx, act, in.ID, in.Trend, service.PriorityClear, ""); err != nil {
		return nil, a.bodyProblem(ctx, err, "nothing was changed", map[string]string{"trend": "path.trend"})
	}
	return nil, nil
}
