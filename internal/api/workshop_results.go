package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// ResultsChange shows or hides the results on participants' screens.
type ResultsChange struct {
	Show bool `json:"show" doc:"true shows the aggregated results on participants' screens; false hides them."`
}

type workshopResultsInput struct {
	ID   string `path:"id" maxLength:"64" doc:"The workshop's id."`
	Body ResultsChange
}

func (a *API) registerWorkshopResults() {
	huma.Register(a.huma, op{
		id: "set-workshop-results", method: http.MethodPut, path: "/workshops/{id}/show-results", tag: tagWorkshops, orgScoped: true,
		summary: "Show or hide results on participants' screens",
		description: "Reveals the live aggregated results on participants' screens, or hides them again. " +
			"Participants' streams then carry progress events with the aggregates (never anyone's own answers). " +
			"Needs the owner or facilitator role.",
		errors:  []int{http.StatusForbidden, http.StatusNotFound},
		maxBody: smallBodyLimit,
	}.operation(), a.workshopResults)
}

func (a *API) workshopResults(ctx context.Context, in *workshopResultsInput) (*workshopOutput, error) {
	act := actor(ctx)
	if _, err := a.workshop(ctx, act, in.ID); err != nil {
		return nil, a.problem(ctx, err)
	}
	w, err := a.svc.SetShowResults(ctx, act, in.ID, in.Body.Show)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	return &workshopOutput{Status: http.StatusOK, Location: workshopLocation(w.ID), Body: workshopModel(w)}, nil
}
