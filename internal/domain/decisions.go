package domain

import (
	"context"
	"time"
)

// PriorityKind is what a facilitator decided about a trend's place in a
// workshop's priority ranking.
type PriorityKind string

// The kinds of priority decision.
const (
	// PriorityPin puts a trend at the top of the ranking, whatever its index.
	PriorityPin PriorityKind = "pin"
	// PriorityExclude takes a trend out of the ranking; it is still listed,
	// last, with the reason.
	PriorityExclude PriorityKind = "exclude"
)

// MaxDecisionReasonLen is the longest reason a priority decision may give,
// in characters.
const MaxDecisionReasonLen = 500

// PriorityDecision is a facilitator's pin or exclusion of one trend of a
// workshop, with the reason that readers of the ranking see beside it. A
// workshop has at most one decision per trend: a new one replaces it.
type PriorityDecision struct {
	WorkshopID string
	TrendKey   string
	Kind       PriorityKind
	Reason     string
	// DecidedBy is the id of the user who decided; "" for the command line
	// or a user who has since been deleted.
	DecidedBy string
	// DecidedByName is the display name of that user, filled by listings.
	DecidedByName string
	DecidedAt     time.Time
}

// DecisionStore keeps the facilitators' priority decisions. Every method
// takes the caller's organisation and answers ENOTFOUND for another
// organisation's workshop exactly as for a workshop that does not exist.
type DecisionStore interface {
	// SetPriorityDecision stores d in place of any decision on the same
	// workshop and trend, setting DecidedAt when it is zero. Returns
	// EINVALID for an empty trend key, a reason that is empty or longer
	// than MaxDecisionReasonLen characters, or a DecidedBy that is not a
	// user; ENOTFOUND unless d.WorkshopID is a workshop of orgID. The
	// caller checks the kind (pin or exclude; another is an internal
	// error) and that the trend is one of the workshop's.
	SetPriorityDecision(ctx context.Context, orgID string, d *PriorityDecision) error
	// DeletePriorityDecision removes the decision on a trend of a workshop
	// of orgID; removing one that does not exist changes nothing. Returns
	// ENOTFOUND unless the workshop is the organisation's.
	DeletePriorityDecision(ctx context.Context, orgID, workshopID, trendKey string) error
	// PriorityDecisions lists a workshop's decisions, oldest first, with
	// DecidedByName filled.
	PriorityDecisions(ctx context.Context, orgID, workshopID string) ([]PriorityDecision, error)
}
