package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
)

func (a *API) registerDraftDiscard() {
	huma.Register(a.huma, op{
		id: "discard-draft", method: http.MethodDelete, path: "/libraries/{id}/versions/{number}", tag: tagDrafts, orgScoped: true,
		summary: "Discard a draft",
		description: "Deletes a draft version with its changes. Published versions never change and cannot be " +
			"deleted (409). Needs the owner or facilitator role.",
		status: http.StatusNoContent,
		errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}.operation(), a.draftDiscard)
}

func (a *API) draftDiscard(ctx context.Context, in *versionPath) (*struct{}, error) {
	act := actor(ctx)
	lib, versions, err := a.library(ctx, act, in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	v, err := versionNumber(versions, in.Number)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	if err := mustOwn(lib, act); err != nil {
		return nil, a.problem(ctx, err)
	}
	if !act.Role.CanEditLibraries() {
		return nil, a.problem(ctx, domain.Errorf(domain.EFORBIDDEN, "Your role does not allow you to edit libraries."))
	}
	if v.Status != domain.Draft {
		return nil, a.problem(ctx, domain.Errorf(domain.ECONFLICT, "Version %d is published and cannot be deleted.", v.Number))
	}
	if err := a.svc.DiscardDraft(ctx, act, v.ID); err != nil {
		return nil, a.problem(ctx, err)
	}
	return &struct{}{}, nil
}
