package domain

import (
	"context"
	"time"
)

// WorkshopStore keeps workshops and everything participants give in them.
// Methods that take an orgID answer ENOTFOUND for other organisations'
// workshops. Participant methods are scoped by the workshop id and the
// participant, whose token is bound to one workshop.
type WorkshopStore interface {
	// CreateWorkshop stores a new workshop, setting ID, Revision and
	// timestamps. Returns ECONFLICT if w.Code is used by another workshop
	// that is not closed (the caller draws a new code and tries again),
	// ENOTFOUND unless VersionID is a version of a library of w.OrgID, and
	// EINVALID if that version is a draft.
	CreateWorkshop(ctx context.Context, w *Workshop) error
	// UpdateWorkshop saves a workshop's settings (everything but Phase,
	// ShowResults, Code, QuestionsFrozen, ID, OrgID and CreatedBy),
	// increments Revision and sets w.Revision and w.UpdatedAt. When the
	// questions are frozen and changed, it returns ECONFLICT unless
	// overrideFrozen is true. VersionID may change only in the draft phase
	// (ECONFLICT otherwise), to a version as CreateWorkshop takes.
	UpdateWorkshop(ctx context.Context, w *Workshop, overrideFrozen bool) error
	// SetWorkshopState moves a workshop from phase `from` to `to` and sets
	// whether results show on participants' screens, atomically: it returns
	// ECONFLICT if the phase is no longer `from` (someone else moved it).
	// It increments Revision and returns the workshop as saved.
	SetWorkshopState(ctx context.Context, orgID, id string, from, to Phase, showResults bool) (*Workshop, error)
	// Workshop returns one of the organisation's workshops.
	Workshop(ctx context.Context, orgID, id string) (*Workshop, error)
	// Workshops lists the organisation's workshops, newest first, with the
	// number of participants of each.
	Workshops(ctx context.Context, orgID string) ([]WorkshopSummary, error)
	// DeleteWorkshop deletes a workshop with everything given in it.
	DeleteWorkshop(ctx context.Context, orgID, id string) error
	// WorkshopByCode finds a workshop that is not closed by its join code
	// (already normalised: upper case, no separators).
	WorkshopByCode(ctx context.Context, code string) (*Workshop, error)

	// AddParticipant stores a participant, setting ID and JoinedAt.
	AddParticipant(ctx context.Context, p *Participant) error
	// ParticipantByToken returns the workshop and the participant whose
	// token hashes to tokenHash, or ENOTFOUND when the token belongs to
	// another workshop or to none.
	ParticipantByToken(ctx context.Context, workshopID, tokenHash string) (*Workshop, *Participant, error)
	// ParticipantCounts returns how many participants each group has.
	ParticipantCounts(ctx context.Context, workshopID string) (map[string]int, error)
	// ParticipantGroups returns each participant's group: participant id →
	// group key.
	ParticipantGroups(ctx context.Context, workshopID string) (map[string]string, error)

	// SaveAnswers stores a batch of answers (of any workshops and
	// participants) in one transaction: for each participant, trend and
	// question the last write wins and there is never more than one row.
	// It marks the workshops' questions frozen. When it returns nil every
	// answer is durable.
	SaveAnswers(ctx context.Context, answers []Answer) error
	// Answers returns every answer of an organisation's workshop.
	Answers(ctx context.Context, orgID, workshopID string) ([]Answer, error)
	// ParticipantAnswers returns one participant's answers.
	ParticipantAnswers(ctx context.Context, workshopID, participantID string) ([]Answer, error)

	// SaveTensionPosition stores a participant's position on a field of
	// tension; the last write wins.
	SaveTensionPosition(ctx context.Context, p TensionPosition) error
	// TensionPositions returns every position given in a workshop.
	TensionPositions(ctx context.Context, orgID, workshopID string) ([]TensionPosition, error)
	// ParticipantTensions returns one participant's positions.
	ParticipantTensions(ctx context.Context, workshopID, participantID string) ([]TensionPosition, error)

	// AddIdea stores a consequence or idea, setting ID and CreatedAt.
	AddIdea(ctx context.Context, idea *Idea) error
	// Ideas lists a workshop's ideas, hidden ones included, with upvote and
	// dot counts, oldest first. Participants' views filter hidden ones.
	Ideas(ctx context.Context, workshopID string) ([]Idea, error)
	// SetIdeaHidden hides or shows an idea of an organisation's workshop.
	SetIdeaHidden(ctx context.Context, orgID, workshopID, ideaID string, hidden bool) error
	// SetUpvote adds or removes a participant's one upvote on an idea of the
	// same workshop.
	SetUpvote(ctx context.Context, workshopID, ideaID, participantID string, on bool) error
	// ParticipantUpvotes returns the ids of the ideas a participant upvoted.
	ParticipantUpvotes(ctx context.Context, workshopID, participantID string) ([]string, error)
	// SetDots replaces a participant's dots: idea id → number of dots. It
	// returns EINVALID if the total is over max or an idea is hidden or of
	// another workshop.
	SetDots(ctx context.Context, workshopID, participantID string, dots map[string]int, max int) error
	// ParticipantDots returns a participant's dots by idea id.
	ParticipantDots(ctx context.Context, workshopID, participantID string) (map[string]int, error)
}

// WorkshopSummary is a workshop in a list.
type WorkshopSummary struct {
	Workshop
	Participants int
	LastAnswerAt *time.Time
}

// AnswerSink takes batches of answers and returns only when they are
// durable. The store's group committer implements it: many requests'
// answers share one transaction.
type AnswerSink interface {
	Submit(ctx context.Context, answers []Answer) error
}
