package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
)

// workshopPath names one of the organisation's workshops.
type workshopPath struct {
	ID string `path:"id" maxLength:"64" doc:"The workshop's id." example:"0192f0c4-4b4e-7d2a-9a31-6f0e3c2d1b10"`
}

type workshopDetailOutput struct {
	Body WorkshopDetail
}

type workshopOutput struct {
	Status   int
	Location string `header:"Location" doc:"The workshop's address in the API."`
	Body     Workshop
}

func workshopLocation(id string) string { return Prefix + "/workshops/" + id }

// workshop returns one of the actor's organisation's workshops; any other
// id — another organisation's included — is ENOTFOUND. Handlers that change
// a workshop call it first, so that another organisation's workshop answers
// 404 to every role, exactly like one that does not exist, before the
// service checks the role.
func (a *API) workshop(ctx context.Context, act domain.Actor, id string) (*domain.Workshop, error) {
	return a.svc.Workshop(ctx, act, id)
}

func (a *API) registerWorkshopShow() {
	huma.Register(a.huma, op{
		id: "get-workshop", method: http.MethodGet, path: "/workshops/{id}", tag: tagWorkshops, orgScoped: true,
		summary: "Get a workshop with its progress",
		description: "Returns one of the organisation's workshops: its settings, phase and join code, and its " +
			"progress — participants by group, how many completed each trend, the distribution of every question " +
			"and the fields of tension, in aggregate only. Every member may read it.",
		errors: []int{http.StatusNotFound},
	}.operation(), a.workshopShow)
}

func (a *API) workshopShow(ctx context.Context, in *workshopPath) (*workshopDetailOutput, error) {
	w, err := a.workshop(ctx, actor(ctx), in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	p, err := a.svc.WorkshopProgress(ctx, w)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	pr, err := progress(p)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	return &workshopDetailOutput{Body: WorkshopDetail{Workshop: workshopModel(w), Progress: pr}}, nil
}
