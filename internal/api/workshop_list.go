package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// WorkshopList is the list of an organisation's workshops.
type WorkshopList struct {
	Workshops []WorkshopSummary `json:"workshops" nullable:"false" doc:"The organisation's workshops, newest first."`
}

type workshopListOutput struct {
	Body WorkshopList
}

func (a *API) registerWorkshopList() {
	huma.Register(a.huma, op{
		id: "list-workshops", method: http.MethodGet, path: "/workshops", tag: tagWorkshops,
		summary: "List the organisation's workshops",
		description: "Lists the workshops of the token's organisation, newest first, with their settings, phase, " +
			"join code and number of participants. Every member may read them.",
	}.operation(), a.workshopList)
}

func (a *API) workshopList(ctx context.Context, _ *struct{}) (*workshopListOutput, error) {
	ws, err := a.svc.Workshops(ctx, actor(ctx))
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	out := &workshopListOutput{}
	out.Body.Workshops = make([]WorkshopSummary, len(ws))
	for i := range ws {
		out.Body.Workshops[i] = WorkshopSummary{Workshop: workshopModel(&ws[i].Workshop), Participants: ws[i].Participants,
			LastAnswerAt: ws[i].LastAnswerAt}
	}
	return out, nil
}
