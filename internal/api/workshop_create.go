package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
)

type workshopCreateInput struct {
	Body WorkshopSettings
}

func (a *API) registerWorkshopCreate() {
	huma.Register(a.huma, op{
		id: "create-workshop", method: http.MethodPost, path: "/workshops", tag: tagWorkshops,
		summary: "Create a workshop",
		description: "Creates a workshop in the draft phase, with a fresh join code, over a published version of one " +
			"of the organisation's libraries (version_id). Only title and version_id are needed: every setting left " +
			"out takes the default the web form offers — every trend and field of tension of the version, the five " +
			"default questions, the five default groups, live, English, anonymous, three dots. Problems answer 422 " +
			"with one error per field (for example body.questions[1].max) and nothing is stored. " +
			"Needs the owner or facilitator role.",
		status:  http.StatusCreated,
		errors:  []int{http.StatusForbidden},
		maxBody: smallBodyLimit,
	}.operation(), a.workshopCreate)
}

func (a *API) workshopCreate(ctx context.Context, in *workshopCreateInput) (*workshopOutput, error) {
	act := actor(ctx)
	vid := ""
	if in.Body.VersionID != nil {
		vid = *in.Body.VersionID
	}
	lang := "en"
	if in.Body.Language != nil {
		lang = *in.Body.Language
	}
	// The defaults come from the version. When it cannot be read, the
	// service refuses the workshop with the reason (after the role check).
	w := service.NewWorkshop(act, &domain.Library{}, &domain.Version{}, lang)
	w.VersionID = vid
	if vid != "" {
		v, err := a.svc.Version(ctx, act, vid)
		switch {
		case err == nil:
			w = service.NewWorkshop(act, &domain.Library{ID: v.LibraryID}, v, lang)
		case !domain.IsNotFound(err):
			return nil, a.problem(ctx, err)
		}
	}
	in.Body.apply(w)
	if err := a.svc.CreateWorkshop(ctx, act, w); err != nil {
		return nil, a.bodyProblem(ctx, err, "nothing was stored", settingsRename)
	}
	return &workshopOutput{Status: http.StatusCreated, Location: workshopLocation(w.ID), Body: workshopModel(w)}, nil
}
