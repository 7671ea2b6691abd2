package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

type starterInput struct {
	Key string `path:"key" maxLength:"64" doc:"The starter library's key, from GET /api/v1/starters." example:"public-sector-digital"`
}

func (a *API) registerStarterInstall() {
	huma.Register(a.huma, op{
		id: "install-starter", method: http.MethodPost, path: "/starters/{key}/install", tag: tagStarters,
		summary: "Install a starter library",
		description: "Installs a starter library into the token's organisation as a private, published library " +
			"and answers 201 with it. When the organisation has installed it already, the library it has is " +
			"returned with 200. Needs the owner or facilitator role.",
		status: http.StatusCreated,
		errors: []int{http.StatusForbidden, http.StatusNotFound},
	}.operation(), a.starterInstall)
}

func (a *API) starterInstall(ctx context.Context, in *starterInput) (*libraryOutput, error) {
	act := actor(ctx)
	own, _, err := a.svc.Libraries(ctx, act)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	st := http.StatusCreated
	for _, l := range own {
		if l.StarterKey == in.Key {
			st = http.StatusOK
		}
	}
	lib, err := a.svc.InstallStarter(ctx, act, in.Key)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	return &libraryOutput{Status: st, Location: Prefix + "/libraries/" + lib.ID, Body: librarySummary(lib, act.OrgID)}, nil
}
