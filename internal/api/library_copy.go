package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

type libraryOutput struct {
	Status   int
	Location string `header:"Location" doc:"The library's address in the API."`
	Body     LibrarySummary
}

func (a *API) registerLibraryCopy() {
	huma.Register(a.huma, op{
		id: "copy-library", method: http.MethodPost, path: "/libraries/{id}/copy", tag: tagLibraries, orgScoped: true,
		summary: "Copy a library into your organisation",
		description: "Copies the newest published version of a library the organisation can see — typically another " +
			"organisation's public library — into the token's organisation as a new private library with one " +
			"published version, which the organisation may then edit. Needs the owner or facilitator role.",
		status: http.StatusCreated,
		errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}.operation(), a.libraryCopy)
}

func (a *API) libraryCopy(ctx context.Context, in *libraryPath) (*libraryOutput, error) {
	act := actor(ctx)
	if _, _, err := a.library(ctx, act, in.ID); err != nil {
		return nil, a.problem(ctx, err)
	}
	lib, err := a.svc.Copy(ctx, act, in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	return &libraryOutput{Status: http.StatusCreated, Location: Prefix + "/libraries/" + lib.ID, Body: librarySummary(lib, act.OrgID)}, nil
}
