package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

// participantPath names the workshop of a participant operation; the
// participant token must be of that workshop.
type participantPath struct {
	ID string `path:"id" maxLength:"64" doc:"The workshop's id; the participant token must be of this workshop."`
}

// ParticipantState is what a participant has given so far, to resume.
type ParticipantState struct {
	Phase       string              `json:"phase" enum:"draft,lobby,rating,tensions,consequences,voting,closed" doc:"The workshop's phase now."`
	ShowResults bool                `json:"show_results" doc:"Whether results are shown on participants' screens."`
	Revision    int64               `json:"revision" doc:"The workshop's revision now."`
	Group       string              `json:"group" doc:"The participant's group."`
	DisplayName string              `json:"display_name,omitempty" doc:"The participant's display name, in named workshops."`
	Answers     []GivenAnswer       `json:"answers" nullable:"false" doc:"The participant's answers."`
	Tensions    []TensionPosition   `json:"tensions" nullable:"false" doc:"Where the participant placed the fields of tension."`
	Upvotes     []string            `json:"upvotes" nullable:"false" doc:"Ids of the ideas the participant upvoted."`
	Dots        map[string]int      `json:"dots" doc:"The participant's dots by idea id."`
	Workshop    ParticipantWorkshop `json:"workshop" doc:"The workshop, as joining returned it, with its phase now."`
}

// GivenAnswer is one of the participant's answers.
type GivenAnswer struct {
	Trend      string    `json:"trend" doc:"The trend's key."`
	Question   string    `json:"question" doc:"The question's key."`
	Value      *int      `json:"value" nullable:"true" doc:"The value on the question's scale, or null for don't know."`
	AnsweredAt time.Time `json:"answered_at" doc:"When it was last given."`
}

// TensionPosition is where a participant placed a field of tension.
type TensionPosition struct {
	Key      string    `json:"key" doc:"The field of tension's key."`
	Now      int       `json:"now" doc:"Where the organisation is now, from −100 (pole A) to 100 (pole B)."`
	Want     int       `json:"want" doc:"Where it should be, on the same scale."`
	PlacedAt time.Time `json:"placed_at" doc:"When it was last placed."`
}

type participantStateOutput struct {
	Body ParticipantState
}

func (a *API) registerParticipantState() {
	huma.Register(a.huma, op{
		id: "get-participant-state", method: http.MethodGet, path: "/workshops/{id}/state", tag: tagParticipation, auth: authParticipant,
		summary: "Get what I have given so far",
		description: "Returns the participant's own answers, positions on the fields of tension, upvotes and dots, " +
			"with the workshop and its phase now, so that a participant can resume where they were on any device " +
			"that has the token. Nothing in it is about other participants.",
		errors: []int{http.StatusNotFound},
	}.operation(), a.participantState)
}

func (a *API) participantState(ctx context.Context, _ *participantPath) (*participantStateOutput, error) {
	pc := participant(ctx)
	w, p := pc.workshop, pc.participant
	st, err := a.svc.State(ctx, w, p)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	v, err := a.svc.WorkshopContent(ctx, w)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	out := ParticipantState{Phase: string(w.Phase), ShowResults: w.ShowResults, Revision: w.Revision, Group: p.Group,
		DisplayName: p.DisplayName, Answers: make([]GivenAnswer, len(st.Answers)), Tensions: make([]TensionPosition, len(st.Tensions)),
		Upvotes: st.Upvotes, Dots: st.Dots, Workshop: participantWorkshop(w, v)}
	for i, an := range st.Answers {
		out.Answers[i] = GivenAnswer{Trend: an.TrendKey, Question: an.QuestionKey, Value: an.Value, AnsweredAt: an.At}
	}
	for i, t := range st.Tensions {
		out.Tensions[i] = TensionPosition{Key: t.TensionKey, Now: t.Now, Want: t.Want, PlacedAt: t.At}
	}
	if out.Upvotes == nil {
		out.Upvotes = []string{}
	}
	if out.Dots == nil {
		out.Dots = map[string]int{}
	}
	return &participantStateOutput{Body: out}, nil
}
