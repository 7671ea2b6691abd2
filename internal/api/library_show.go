package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

type libraryShowOutput struct {
	Body LibraryDetail
}

func (a *API) registerLibraryShow() {
	huma.Register(a.huma, op{
		id: "get-library", method: http.MethodGet, path: "/libraries/{id}", tag: tagLibraries, orgScoped: true,
		summary: "Get a library",
		description: "Returns one library with the list of its versions, newest first. Other organisations' " +
			"public libraries show their published versions only. A library the organisation cannot see " +
			"answers 404, like one that does not exist.",
		errors: []int{http.StatusNotFound},
	}.operation(), a.libraryShow)
}

func (a *API) libraryShow(ctx context.Context, in *libraryPath) (*libraryShowOutput, error) {
	act := actor(ctx)
	lib, versions, err := a.library(ctx, act, in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	out := &libraryShowOutput{Body: LibraryDetail{LibrarySummary: librarySummary(lib, act.OrgID)}}
	out.Body.Versions = make([]VersionSummary, len(versions))
	for i := range versions {
		out.Body.Versions[i] = *versionSummary(&versions[i])
	}
	return out, nil
}
