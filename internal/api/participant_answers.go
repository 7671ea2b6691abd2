package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/service"
)

// AnswerBatch is a batch of a participant's answers.
type AnswerBatch struct {
	Answers []Answer `json:"answers" minItems:"1" maxItems:"1000" nullable:"false" doc:"The answers, 1 to 1,000. A later answer for the same trend and question replaces an earlier one."`
}

// Answer is one rating of one trend on one question.
type Answer struct {
	Trend    string `json:"trend" maxLength:"64" doc:"The key of one of the workshop's trends." example:"ai-working-life"`
	Question string `json:"question" maxLength:"64" doc:"The key of one of the workshop's questions." example:"impact"`
	Value    *int   `json:"value" nullable:"true" doc:"A value on the question's scale (min to max), or null for don't know — an answer, not a zero." example:"4"`
}

// AnswersSaved acknowledges a batch of answers.
type AnswersSaved struct {
	Saved int `json:"saved" doc:"How many answers of the batch were stored. They are durable: committed to the database before this answer was sent."`
}

type answersInput struct {
	ID   string `path:"id" maxLength:"64" doc:"The workshop's id; the participant token must be of this workshop."`
	Body AnswerBatch
}

type answersOutput struct {
	Body AnswersSaved
}

func (a *API) registerParticipantAnswers() {
	huma.Register(a.huma, op{
		id: "save-answers", method: http.MethodPut, path: "/workshops/{id}/answers", tag: tagParticipation, auth: authParticipant,
		summary: "Rate trends",
		description: "Stores a batch of the participant's ratings: for each trend and question the newest answer " +
			"counts, and an answer can be changed until the phase closes. The 200 answer comes only once every " +
			"answer is committed to the database, so an acknowledged answer is never lost. The whole batch is " +
			"checked first: an unknown or unchosen trend, an unknown question or a value outside the question's " +
			"scale answers 422 with one error per problem, located by index and field (body.answers[3].value), " +
			"and nothing is stored. Outside the rating phase (of a live workshop) or outside the open period (of " +
			"an async one) the answer is 409. The body may be at most 256 KiB.",
		errors:  []int{http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge},
		maxBody: answersBodyLimit,
	}.operation(), a.participantAnswers)
}

func (a *API) participantAnswers(ctx context.Context, in *answersInput) (*answersOutput, error) {
	pc := participant(ctx)
	answers := make([]service.AnswerInput, len(in.Body.Answers))
	for i, an := range in.Body.Answers {
		answers[i] = service.AnswerInput{Trend: an.Trend, Question: an.Question, Value: an.Value}
	}
	if err := a.svc.SubmitAnswers(ctx, pc.workshop, pc.participant, answers); err != nil {
		return nil, a.bodyProblem(ctx, err, "nothing was saved", nil)
	}
	return &answersOutput{Body: AnswersSaved{Saved: len(answers)}}, nil
}
