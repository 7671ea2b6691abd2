package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
)

// ModeratedIdeaList is every idea of a workshop, for its facilitator.
type ModeratedIdeaList struct {
	Ideas []ModeratedIdea `json:"ideas" nullable:"false" doc:"Every idea of the workshop, hidden ones too, oldest first."`
}

type moderatedIdeasOutput struct {
	Body ModeratedIdeaList
}

func (a *API) registerWorkshopIdeas() {
	huma.Register(a.huma, op{
		id: "list-workshop-ideas", method: http.MethodGet, path: "/workshops/{id}/moderation/ideas", tag: tagWorkshops, orgScoped: true,
		summary: "List every idea of a workshop, hidden ones too",
		description: "Lists the consequences and ideas participants wrote, with upvotes and dots and whether the " +
			"facilitator hid them, oldest first. Nobody, the facilitator included, sees who wrote an idea. " +
			"Every member may read them; participants list the visible ones with GET /api/v1/workshops/{id}/ideas.",
		errors: []int{http.StatusNotFound},
	}.operation(), a.workshopIdeas)
}

func (a *API) workshopIdeas(ctx context.Context, in *workshopPath) (*moderatedIdeasOutput, error) {
	ideas, err := a.svc.AllIdeas(ctx, actor(ctx), in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	out := &moderatedIdeasOutput{}
	out.Body.Ideas = make([]ModeratedIdea, len(ideas))
	for i, idea := range ideas {
		out.Body.Ideas[i] = moderatedIdea(idea)
	}
	return out, nil
}

// IdeaVisibility hides an idea or shows it again.
type IdeaVisibility struct {
	Hidden bool `json:"hidden" doc:"true hides the idea from participants (dots on it no longer count); false shows it again."`
}

type ideaHiddenInput struct {
	ID   string `path:"id" maxLength:"64" doc:"The workshop's id."`
	Idea string `path:"idea" maxLength:"64" doc:"The idea's id."`
	Body IdeaVisibility
}

type moderatedIdeaOutput struct {
	Body ModeratedIdea
}

func (a *API) registerWorkshopIdeaHidden() {
	huma.Register(a.huma, op{
		id: "set-idea-hidden", method: http.MethodPut, path: "/workshops/{id}/moderation/ideas/{idea}", tag: tagWorkshops, orgScoped: true,
		summary: "Hide an idea, or show it again",
		description: "Hides an abusive idea from participants' screens, or shows it again. The action is written " +
			"to the audit log, and every screen's list of ideas follows. Needs the owner or facilitator role.",
		errors:  []int{http.StatusForbidden, http.StatusNotFound},
		maxBody: smallBodyLimit,
	}.operation(), a.workshopIdeaHidden)
}

func (a *API) workshopIdeaHidden(ctx context.Context, in *ideaHiddenInput) (*moderatedIdeaOutput, error) {
	act := actor(ctx)
	if _, err := a.workshop(ctx, act, in.ID); err != nil {
		return nil, a.problem(ctx, err)
	}
	if err := a.svc.HideIdea(ctx, act, in.ID, in.Idea, in.Body.Hidden); err != nil {
		return nil, a.problem(ctx, err)
	}
	ideas, err := a.svc.AllIdeas(ctx, act, in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	for _, idea := range ideas {
		if idea.ID == in.Idea {
			return &moderatedIdeaOutput{Body: moderatedIdea(idea)}, nil
		}
	}
	return nil, a.problem(ctx, domain.Errorf(domain.ENOTFOUND, "Idea not found."))
}
