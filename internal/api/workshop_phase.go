package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
)

// PhaseChange moves a workshop to a phase.
type PhaseChange struct {
	Phase string `json:"phase" enum:"draft,lobby,rating,tensions,consequences,voting,closed" doc:"The phase to move to." example:"rating"`
}

type workshopPhaseInput struct {
	ID   string `path:"id" maxLength:"64" doc:"The workshop's id."`
	Body PhaseChange
}

func (a *API) registerWorkshopPhase() {
	huma.Register(a.huma, op{
		id: "set-workshop-phase", method: http.MethodPost, path: "/workshops/{id}/phase", tag: tagWorkshops, orgScoped: true,
		summary: "Move a workshop to another phase",
		description: "Moves the workshop forward to any later phase (lobby opens it for joining; phases without " +
			"content can be skipped) or back one phase. Every participant's screen and the presenter view follow " +
			"through the live streams. A move that is not allowed — back more than one phase, back to draft once " +
			"started, or racing another facilitator's move — answers 409 and changes nothing. Moving to the phase " +
			"the workshop is in changes nothing. Needs the owner or facilitator role.",
		errors:  []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
		maxBody: smallBodyLimit,
	}.operation(), a.workshopPhase)
}

func (a *API) workshopPhase(ctx context.Context, in *workshopPhaseInput) (*workshopOutput, error) {
	act := actor(ctx)
	if _, err := a.workshop(ctx, act, in.ID); err != nil {
		return nil, a.problem(ctx, err)
	}
	w, err := a.svc.SetPhase(ctx, act, in.ID, domain.Phase(in.Body.Phase))
	if err != nil {
		return nil, a.bodyProblem(ctx, err, "nothing was changed", nil)
	}
	return &workshopOutput{Status: http.StatusOK, Location: workshopLocation(w.ID), Body: workshopModel(w)}, nil
}
