package api

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
)

// authenticate resolves the bearer token of every registered operation to
// an actor and puts it in the context; a missing or invalid token gets 401
// with WWW-Authenticate. The OpenAPI document is served outside the
// operations and needs no token.
func (a *API) authenticate(ctx huma.Context, next func(huma.Context)) {
	secret, ok := bearerToken(ctx.Header("Authorization"))
	if !ok {
		ctx.SetHeader("WWW-Authenticate", `Bearer realm="waymark"`)
		huma.WriteErr(a.huma, ctx, http.StatusUnauthorized,
			"This operation needs a personal API token: send the header Authorization: Bearer wm_…")
		return
	}
	actor, err := a.svc.ActorForToken(ctx.Context(), secret)
	if err != nil {
		if domain.ErrorCode(err) == domain.EUNAUTHORIZED {
			ctx.SetHeader("WWW-Authenticate", `Bearer realm="waymark", error="invalid_token"`)
			huma.WriteErr(a.huma, ctx, http.StatusUnauthorized,
				"The API token is not valid: it is unknown, revoked, or its user is no longer a member of the organisation.")
			return
		}
		var se huma.StatusError
		errors.As(a.problem(ctx.Context(), err), &se)
		huma.WriteErr(a.huma, ctx, se.GetStatus(), se.Error())
		return
	}
	next(huma.WithValue(ctx, actorKey, actor))
}

// bearerToken returns the token of an "Authorization: Bearer TOKEN" header.
func bearerToken(h string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// actor returns the actor authenticate put in the context.
func actor(ctx context.Context) domain.Actor {
	a, _ := ctx.Value(actorKey).(domain.Actor)
	return a
}
