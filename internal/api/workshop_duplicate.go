package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

type workshopDuplicateInput struct {
	ID     string `path:"id" maxLength:"64" doc:"The workshop's id."`
	Suffix string `query:"suffix" maxLength:"50" default:"(copy)" doc:"What the copy's title ends with, after the original title."`
}

func (a *API) registerWorkshopDuplicate() {
	huma.Register(a.huma, op{
		id: "duplicate-workshop", method: http.MethodPost, path: "/workshops/{id}/duplicate", tag: tagWorkshops, orgScoped: true,
		summary: "Duplicate a workshop",
		description: "Creates a new draft workshop with the settings of an existing one and a fresh join code, " +
			"for example to run the same assessment again next year. Nothing participants gave is copied. " +
			"Needs the owner or facilitator role.",
		status: http.StatusCreated,
		errors: []int{http.StatusForbidden, http.StatusNotFound},
	}.operation(), a.workshopDuplicate)
}

func (a *API) workshopDuplicate(ctx context.Context, in *workshopDuplicateInput) (*workshopOutput, error) {
	act := actor(ctx)
	if _, err := a.workshop(ctx, act, in.ID); err != nil {
		return nil, a.problem(ctx, err)
	}
	w, err := a.svc.DuplicateWorkshop(ctx, act, in.ID, in.Suffix)
	if err != nil {
		return nil, a.bodyProblem(ctx, err, "nothing was stored", settingsRename)
	}
	return &workshopOutput{Status: http.StatusCreated, Location: workshopLocation(w.ID), Body: workshopModel(w)}, nil
}
