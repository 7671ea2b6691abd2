package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

type versionShowOutput struct {
	Body *Version
}

func (a *API) registerVersionShow() {
	huma.Register(a.huma, op{
		id: "get-library-version", method: http.MethodGet, path: "/libraries/{id}/versions/{number}", tag: tagLibraries, orgScoped: true,
		summary: "Get a version with its content",
		description: "Returns one version of a library with all its content — driving forces, fields of tension, " +
			"trends, capability areas — in the canonical JSON shape that the JSON export and import use. " +
			"Other organisations may read only the published versions of public libraries.",
		errors: []int{http.StatusNotFound},
	}.operation(), a.versionShow)
}

func (a *API) versionShow(ctx context.Context, in *versionPath) (*versionShowOutput, error) {
	act := actor(ctx)
	_, versions, err := a.library(ctx, act, in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	vi, err := versionNumber(versions, in.Number)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	v, err := a.svc.Version(ctx, act, vi.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	return &versionShowOutput{Body: version(v)}, nil
}
