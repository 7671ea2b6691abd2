package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// TensionPlacement places a field of tension.
type TensionPlacement struct {
	Now  int `json:"now" minimum:"-100" maximum:"100" doc:"Where the organisation is now, from −100 (pole A) to 100 (pole B)." example:"-40"`
	Want int `json:"want" minimum:"-100" maximum:"100" doc:"Where it should be, on the same scale." example:"30"`
}

type tensionInput struct {
	ID   string `path:"id" maxLength:"64" doc:"The workshop's id; the participant token must be of this workshop."`
	Key  string `path:"key" maxLength:"64" doc:"The key of one of the workshop's fields of tension."`
	Body TensionPlacement
}

type tensionOutput struct {
	Body TensionPosition
}

func (a *API) registerParticipantTension() {
	huma.Register(a.huma, op{
		id: "place-tension", method: http.MethodPut, path: "/workshops/{id}/tensions/{key}", tag: tagParticipation, auth: authParticipant,
		summary: "Place a field of tension",
		description: "Stores where the participant places the organisation on a field of tension: now and where it " +
			"should be, each from −100 (pole A) to 100 (pole B); the newest placement counts. A key that is not one " +
			"of the workshop's fields of tension answers 422 (location path.key); outside the tensions phase (of a " +
			"live workshop) 409.",
		errors:  []int{http.StatusNotFound, http.StatusConflict},
		maxBody: smallBodyLimit,
	}.operation(), a.participantTension)
}

func (a *API) participantTension(ctx context.Context, in *tensionInput) (*tensionOutput, error) {
	pc := participant(ctx)
	if err := a.svc.SaveTension(ctx, pc.workshop, pc.participant, in.Key, in.Body.Now, in.Body.Want); err != nil {
		return nil, a.bodyProblem(ctx, err, "nothing was saved", map[string]string{"tension": "path.key"})
	}
	placed, err := a.svc.Store().ParticipantTensions(ctx, pc.workshop.ID, pc.participant.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	out := TensionPosition{Key: in.Key, Now: in.Body.Now, Want: in.Body.Want}
	for _, t := range placed {
		if t.TensionKey == in.Key {
			out.PlacedAt = t.At
		}
	}
	return &tensionOutput{Body: out}, nil
}
