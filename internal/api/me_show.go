package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

type meOutput struct {
	Body Me
}

func (a *API) registerMe() {
	huma.Register(a.huma, op{
		id: "get-me", method: http.MethodGet, path: "/me", tag: tagAccount,
		summary: "Who the token acts as",
		description: "Returns the token's user, its organisation and the user's role there. " +
			"Use it to check that a token works and which organisation it reaches.",
	}.operation(), a.me)
}

func (a *API) me(ctx context.Context, _ *struct{}) (*meOutput, error) {
	act := actor(ctx)
	u, err := a.svc.Store().UserByID(ctx, act.UserID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	org, err := a.svc.Store().OrgByID(ctx, act.OrgID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	return &meOutput{Body: Me{
		User:         MeUser{ID: u.ID, Email: u.Email, DisplayName: u.DisplayName},
		Organisation: MeOrg{ID: org.ID, Slug: org.Slug, Name: org.Name},
		Role:         string(act.Role),
	}}, nil
}
