package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// IdeaList is the ideas participants may see.
type IdeaList struct {
	Ideas []Idea `json:"ideas" nullable:"false" doc:"The ideas participants may see (not hidden by the facilitator), oldest first."`
}

type ideasOutput struct {
	Body IdeaList
}

func (a *API) registerParticipantIdeas() {
	huma.Register(a.huma, op{
		id: "list-ideas", method: http.MethodGet, path: "/workshops/{id}/ideas", tag: tagParticipation, auth: authParticipant,
		summary: "List the ideas",
		description: "Lists the consequences and ideas participants wrote, with their upvotes and dots, except those " +
			"the facilitator hid. Nothing says who wrote an idea, except that the participant's own are marked mine.",
		errors: []int{http.StatusNotFound},
	}.operation(), a.participantIdeas)
}

func (a *API) participantIdeas(ctx context.Context, _ *participantPath) (*ideasOutput, error) {
	pc := participant(ctx)
	ideas, err := a.svc.VisibleIdeas(ctx, pc.workshop.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	out := &ideasOutput{}
	out.Body.Ideas = make([]Idea, len(ideas))
	for i, idea := range ideas {
		out.Body.Ideas[i] = participantIdea(idea, pc.participant.ID)
	}
	return out, nil
}

// NewIdea is a consequence or idea about a trend.
type NewIdea struct {
	Trend string `json:"trend" maxLength:"64" doc:"The key of one of the workshop's trends." example:"ai-working-life"`
	Text  string `json:"text" doc:"The consequence or idea, at most 1,000 characters." example:"Caseworkers need training before the tools arrive."`
}

type ideaAddInput struct {
	ID   string `path:"id" maxLength:"64" doc:"The workshop's id; the participant token must be of this workshop."`
	Body NewIdea
}

type ideaOutput struct {
	Body Idea
}

func (a *API) registerParticipantIdeaAdd() {
	huma.Register(a.huma, op{
		id: "add-idea", method: http.MethodPost, path: "/workshops/{id}/ideas", tag: tagParticipation, auth: authParticipant,
		summary: "Write a consequence or idea",
		description: "Adds a consequence or idea about one of the workshop's trends; every screen's list follows. " +
			"An unknown trend or an empty or too long text answers 422 (body.trend, body.text); outside the " +
			"consequences phase (of a live workshop) 409.",
		status:  http.StatusCreated,
		errors:  []int{http.StatusNotFound, http.StatusConflict},
		maxBody: smallBodyLimit,
	}.operation(), a.participantIdeaAdd)
}

func (a *API) participantIdeaAdd(ctx context.Context, in *ideaAddInput) (*ideaOutput, error) {
	pc := participant(ctx)
	idea, err := a.svc.AddIdea(ctx, pc.workshop, pc.participant, in.Body.Trend, in.Body.Text)
	if err != nil {
		return nil, a.bodyProblem(ctx, err, "nothing was saved", nil)
	}
	return &ideaOutput{Body: participantIdea(*idea, pc.participant.ID)}, nil
}
