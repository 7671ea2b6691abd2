package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

type upvoteInput struct {
	ID   string `path:"id" maxLength:"64" doc:"The workshop's id; the participant token must be of this workshop."`
	Idea string `path:"idea" maxLength:"64" doc:"The idea's id."`
}

func (a *API) registerParticipantUpvote() {
	for _, on := range []bool{true, false} {
		o := op{
			id: "upvote-idea", method: http.MethodPut, path: "/workshops/{id}/ideas/{idea}/upvote", tag: tagParticipation, auth: authParticipant,
			summary: "Upvote an idea",
			description: "Adds the participant's one upvote to an idea; doing it again changes nothing. An idea of " +
				"another workshop answers 404, a hidden one 422; outside the consequences phase (of a live " +
				"workshop) 409.",
			status: http.StatusNoContent,
			errors: []int{http.StatusNotFound, http.StatusConflict},
		}
		if !on {
			o.id, o.method, o.summary = "remove-upvote", http.MethodDelete, "Take back an upvote"
			o.description = "Takes back the participant's upvote of an idea; doing it again changes nothing. " +
				"Outside the consequences phase (of a live workshop) 409."
		}
		huma.Register(a.huma, o.operation(), func(ctx context.Context, in *upvoteInput) (*struct{}, error) {
			pc := participant(ctx)
			if err := a.svc.Upvote(ctx, pc.workshop, pc.participant, in.Idea, on); err != nil {
				return nil, a.problem(ctx, err)
			}
			return &struct{}{}, nil
		})
	}
}
