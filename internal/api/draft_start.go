package api

import (
	"context"
	"fmt"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
)

// VersionRef is a version of a library without its content.
type VersionRef struct {
	VersionSummary
	LibraryID string `json:"library_id" doc:"The library's id."`
}

func versionRef(v *domain.VersionInfo) VersionRef {
	return VersionRef{VersionSummary: *versionSummary(v), LibraryID: v.LibraryID}
}

type versionRefOutput struct {
	Status   int
	Location string `header:"Location" doc:"The version's address in the API."`
	Body     VersionRef
}

func versionLocation(v *domain.VersionInfo) string {
	return fmt.Sprintf("%s/libraries/%s/versions/%d", Prefix, v.LibraryID, v.Number)
}

func (a *API) registerDraftStart() {
	huma.Register(a.huma, op{
		id: "start-draft", method: http.MethodPost, path: "/libraries/{id}/drafts", tag: tagDrafts, orgScoped: true,
		summary: "Start a draft (or get the current one)",
		description: "Starts a new draft version of one of the organisation's libraries as a copy of its newest " +
			"version, and answers 201. A library has at most one draft: when it has one already, that draft is " +
			"returned with 200. Change the draft with PUT …/versions/{number}, then publish it. " +
			"Needs the owner or facilitator role.",
		status: http.StatusCreated,
		errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}.operation(), a.draftStart)
}

func (a *API) draftStart(ctx context.Context, in *libraryPath) (*versionRefOutput, error) {
	act := actor(ctx)
	lib, versions, err := a.library(ctx, act, in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	if err := mustOwn(lib, act); err != nil {
		return nil, a.problem(ctx, err)
	}
	existed := draft(versions) != nil
	v, err := a.svc.StartDraft(ctx, act, in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	st := http.StatusCreated
	if existed {
		st = http.StatusOK
	}
	return &versionRefOutput{Status: st, Location: versionLocation(v), Body: versionRef(v)}, nil
}
