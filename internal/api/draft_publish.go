package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
)

func (a *API) registerDraftPublish() {
	huma.Register(a.huma, op{
		id: "publish-draft", method: http.MethodPost, path: "/libraries/{id}/publish", tag: tagDrafts, orgScoped: true,
		summary: "Publish the draft",
		description: "Publishes the library's draft: it becomes the version workshops and other organisations use, " +
			"and never changes again. Answers 409 when the library has no draft. Needs the owner or facilitator role.",
		errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}.operation(), a.draftPublish)
}

func (a *API) draftPublish(ctx context.Context, in *libraryPath) (*versionRefOutput, error) {
	act := actor(ctx)
	lib, versions, err := a.library(ctx, act, in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	if err := mustOwn(lib, act); err != nil {
		return nil, a.problem(ctx, err)
	}
	if !act.Role.CanEditLibraries() {
		return nil, a.problem(ctx, domain.Errorf(domain.EFORBIDDEN, "Your role does not allow you to publish libraries."))
	}
	d := draft(versions)
	if d == nil {
		return nil, a.problem(ctx, domain.Errorf(domain.ECONFLICT, "The library has no draft to publish; start one first."))
	}
	if err := a.svc.Publish(ctx, act, d.ID); err != nil {
		return nil, a.problem(ctx, err)
	}
	_, versions, err = a.library(ctx, act, in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	v, err := versionNumber(versions, d.Number)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	return &versionRefOutput{Status: http.StatusOK, Location: versionLocation(v), Body: versionRef(v)}, nil
}
