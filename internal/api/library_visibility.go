package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
)

// VisibilityChange says who may see a library.
type VisibilityChange struct {
	Visibility string `json:"visibility" enum:"private,public" doc:"private: only your organisation sees the library; public: every organisation sees its published versions and may copy them."`
}

type libraryVisibilityInput struct {
	ID   string `path:"id" maxLength:"64" doc:"The library's id."`
	Body VisibilityChange
}

func (a *API) registerLibraryVisibility() {
	huma.Register(a.huma, op{
		id: "set-library-visibility", method: http.MethodPut, path: "/libraries/{id}/visibility", tag: tagLibraries, orgScoped: true,
		summary: "Share a library or make it private",
		description: "Makes one of the organisation's libraries public (every organisation can read its published " +
			"versions and copy it) or private again. Needs the owner role.",
		errors:  []int{http.StatusForbidden, http.StatusNotFound},
		maxBody: smallBodyLimit,
	}.operation(), a.libraryVisibility)
}

func (a *API) libraryVisibility(ctx context.Context, in *libraryVisibilityInput) (*libraryOutput, error) {
	act := actor(ctx)
	lib, _, err := a.library(ctx, act, in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	if err := mustOwn(lib, act); err != nil {
		return nil, a.problem(ctx, err)
	}
	if err := a.svc.SetVisibility(ctx, act, in.ID, domain.Visibility(in.Body.Visibility)); err != nil {
		return nil, a.problem(ctx, err)
	}
	if lib, _, err = a.library(ctx, act, in.ID); err != nil {
		return nil, a.problem(ctx, err)
	}
	return &libraryOutput{Status: http.StatusOK, Location: Prefix + "/libraries/" + lib.ID, Body: librarySummary(lib, act.OrgID)}, nil
}
