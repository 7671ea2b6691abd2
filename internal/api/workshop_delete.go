package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

func (a *API) registerWorkshopDelete() {
	huma.Register(a.huma, op{
		id: "delete-workshop", method: http.MethodDelete, path: "/workshops/{id}", tag: tagWorkshops, orgScoped: true,
		summary: "Delete a workshop",
		description: "Deletes one of the organisation's workshops with everything given in it: participants, " +
			"answers, positions, ideas, upvotes and dots. This cannot be undone. Needs the owner role.",
		status: http.StatusNoContent,
		errors: []int{http.StatusForbidden, http.StatusNotFound},
	}.operation(), a.workshopDelete)
}

func (a *API) workshopDelete(ctx context.Context, in *workshopPath) (*struct{}, error) {
	act := actor(ctx)
	if _, err := a.workshop(ctx, act, in.ID); err != nil {
		return nil, a.problem(ctx, err)
	}
	if err := a.svc.DeleteWorkshop(ctx, act, in.ID); err != nil {
		return nil, a.problem(ctx, err)
	}
	return &struct{}{}, nil
}
