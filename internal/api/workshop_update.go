package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// WorkshopChange changes some of a workshop's settings.
type WorkshopChange struct {
	WorkshopSettings
	OverrideFrozen bool `json:"override_frozen,omitempty" doc:"Change the questions although answers have been given (questions_frozen). The override is written to the audit log; without it such a change answers 409."`
}

type workshopUpdateInput struct {
	ID   string `path:"id" maxLength:"64" doc:"The workshop's id."`
	Body WorkshopChange
}

func (a *API) registerWorkshopUpdate() {
	huma.Register(a.huma, op{
		id: "update-workshop", method: http.MethodPatch, path: "/workshops/{id}", tag: tagWorkshops, orgScoped: true,
		summary: "Change a workshop's settings",
		description: "Changes the settings the body gives; those left out keep their values. The whole result is " +
			"checked as on creation (422 with one error per field, nothing changed). Once the first answer is in " +
			"the questions are frozen: changing them then answers 409 unless override_frozen is true, which is " +
			"written to the audit log. The library version can change only in the draft phase. Participants' " +
			"screens follow the change. Needs the owner or facilitator role.",
		errors:  []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
		maxBody: smallBodyLimit,
	}.operation(), a.workshopUpdate)
}

func (a *API) workshopUpdate(ctx context.Context, in *workshopUpdateInput) (*workshopOutput, error) {
	act := actor(ctx)
	old, err := a.workshop(ctx, act, in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	w := *old
	in.Body.apply(&w)
	if err := a.svc.UpdateWorkshop(ctx, act, &w, in.Body.OverrideFrozen); err != nil {
		return nil, a.bodyProblem(ctx, err, "nothing was changed", settingsRename)
	}
	now, err := a.workshop(ctx, act, in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	return &workshopOutput{Status: http.StatusOK, Location: workshopLocation(now.ID), Body: workshopModel(now)}, nil
}
