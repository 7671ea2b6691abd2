package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
)

// DotPlacement places a participant's dots on ideas.
type DotPlacement struct {
	Dots map[string]int `json:"dots" doc:"Dots by idea id; the placement replaces the participant's earlier one. At most the workshop's number of dots in all; {} takes them all back." example:"{\"0192f0c4-4b4e-7d2a-9a31-6f0e3c2d1b10\": 2}"`
}

// DotsPlaced is a participant's placement of dots.
type DotsPlaced struct {
	Dots      map[string]int `json:"dots" doc:"The participant's dots by idea id now."`
	Used      int            `json:"used" doc:"Dots placed."`
	Available int            `json:"available" doc:"Dots the participant may place in all."`
}

type dotsInput struct {
	ID   string `path:"id" maxLength:"64" doc:"The workshop's id; the participant token must be of this workshop."`
	Body DotPlacement
}

type dotsOutput struct {
	Body DotsPlaced
}

func (a *API) registerParticipantDots() {
	huma.Register(a.huma, op{
		id: "place-dots", method: http.MethodPut, path: "/workshops/{id}/dots", tag: tagParticipation, auth: authParticipant,
		summary: "Place dots on ideas",
		description: "Replaces the participant's dots on the workshop's ideas, to vote on actions. A negative number " +
			"(body.dots.{idea}), more dots than the workshop gives (body.dots), or dots on a hidden idea or one of " +
			"another workshop answer 422 and change nothing; outside the voting phase (of a live workshop) 409.",
		errors:  []int{http.StatusNotFound, http.StatusConflict},
		maxBody: smallBodyLimit,
	}.operation(), a.participantDots)
}

func (a *API) participantDots(ctx context.Context, in *dotsInput) (*dotsOutput, error) {
	pc := participant(ctx)
	dots := make(map[string]int, len(in.Body.Dots))
	for id, n := range in.Body.Dots {
		dots[id] = n
	}
	if err := a.svc.SetDots(ctx, pc.workshop, pc.participant, dots); err != nil {
		// The service names a negative count by the idea: body.dots.{idea}.
		var ps domain.Problems
		if asProblems(err, &ps) {
			for i := range ps {
				if ps[i].Field == "dots" && ps[i].Where != "" {
					ps[i].Where, ps[i].Field = "dots", ps[i].Where
				}
			}
			err = ps
		}
		return nil, a.bodyProblem(ctx, err, "nothing was changed", nil)
	}
	now, err := a.svc.Store().ParticipantDots(ctx, pc.workshop.ID, pc.participant.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	if now == nil {
		now = map[string]int{}
	}
	used := 0
	for _, n := range now {
		used += n
	}
	return &dotsOutput{Body: DotsPlaced{Dots: now, Used: used, Available: pc.workshop.Dots}}, nil
}
