package api

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/workshop"
)

// authenticate runs before every registered operation and does what the
// operation's authKind asks: members' operations resolve the bearer token
// to an actor, participant operations resolve the participant token to the
// participant of the workshop in the path, and joining needs nothing. A
// missing or invalid token gets 401 with WWW-Authenticate for the scheme
// the operation takes; the other scheme's token is never accepted. The
// OpenAPI document is served outside the operations and needs no token.
func (a *API) authenticate(ctx huma.Context, next func(huma.Context)) {
	switch authOf(ctx.Operation()) {
	case authNone:
		next(ctx)
	case authParticipant:
		a.authenticateParticipant(ctx, next)
	default:
		a.authenticateBearer(ctx, next)
	}
}

func (a *API) authenticateBearer(ctx huma.Context, next func(huma.Context)) {
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
		a.writeError(ctx, err)
		return
	}
	next(huma.WithValue(ctx, actorKey, actor))
}

// participantCall is who a participant operation acts for: the workshop
// of the path, as it is now, and the participant of the token.
type participantCall struct {
	workshop    *domain.Workshop
	participant *domain.Participant
	token       string
}

// errWorkshopNotFound is what a participant gets for a workshop its token
// does not open: the same answer whether the workshop does not exist or the
// token belongs to another one.
func errWorkshopNotFound() error { return domain.Errorf(domain.ENOTFOUND, "Workshop not found.") }

// authenticateParticipant resolves "Authorization: Participant wmp_…" for
// the workshop in the path. No header, another scheme (a Bearer token
// included) or a string that cannot be a participant token is 401; a
// well-formed token that does not open this workshop — it belongs to
// another workshop, or to none — is 404, as for a workshop that does not
// exist.
func (a *API) authenticateParticipant(ctx huma.Context, next func(huma.Context)) {
	secret, ok := schemeToken(ctx.Header("Authorization"), "Participant")
	if !ok || !workshop.ValidToken(secret) {
		ctx.SetHeader("WWW-Authenticate", `Participant realm="waymark"`)
		msg := "This operation needs a participant token: send the header Authorization: Participant wmp_… " +
			"with the token POST /api/v1/join returned. Personal API tokens are not accepted here."
		if ok {
			ctx.SetHeader("WWW-Authenticate", `Participant realm="waymark", error="invalid_token"`)
			msg = "The participant token is not valid: it must be the wmp_… token POST /api/v1/join returned."
		}
		huma.WriteErr(a.huma, ctx, http.StatusUnauthorized, msg)
		return
	}
	id := ctx.Param("id")
	if id == "" || len(id) > maxIDLen {
		a.writeError(ctx, errWorkshopNotFound())
		return
	}
	w, p, err := a.svc.Participant(ctx.Context(), id, secret)
	if domain.IsNotFound(err) {
		err = errWorkshopNotFound()
	}
	if err != nil {
		a.writeError(ctx, err)
		return
	}
	next(huma.WithValue(ctx, participantKey, &participantCall{workshop: w, participant: p, token: secret}))
}

// writeError writes the problem document for err from a middleware.
func (a *API) writeError(ctx huma.Context, err error) {
	var se huma.StatusError
	errors.As(a.problem(ctx.Context(), err), &se)
	if h, ok := se.(huma.HeadersError); ok {
		for k, vs := range h.GetHeaders() {
			for _, v := range vs {
				ctx.AppendHeader(k, v)
			}
		}
	}
	huma.WriteErr(a.huma, ctx, se.GetStatus(), se.Error())
}

// bearerToken returns the token of an "Authorization: Bearer TOKEN" header.
func bearerToken(h string) (string, bool) { return schemeToken(h, "Bearer") }

// schemeToken returns the token of an "Authorization: SCHEME TOKEN" header;
// the scheme is matched without regard to case (RFC 9110).
func schemeToken(h, scheme string) (string, bool) {
	s, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(s, scheme) {
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

// participant returns the participant authenticate put in the context.
func participant(ctx context.Context) *participantCall {
	p, _ := ctx.Value(participantKey).(*participantCall)
	return p
}
