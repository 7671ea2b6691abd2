package api

import (
	"context"
	"errors"
	"net/http"
	"reflect"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/library"
)

type draftSaveInput struct {
	ID      string `path:"id" maxLength:"64" doc:"The library's id."`
	Number  int    `path:"number" minimum:"1" doc:"The draft's version number."`
	RawBody []byte `contentType:"application/octet-stream"`
}

func (a *API) registerDraftSave() {
	o := op{
		id: "save-draft", method: http.MethodPut, path: "/libraries/{id}/versions/{number}", tag: tagDrafts, orgScoped: true,
		summary: "Replace a draft's content",
		description: "Replaces the whole content of a draft with the body: a library in the canonical JSON format, " +
			"the same shape GET …/versions/{number} returns in 'content' and the JSON export writes. Read the draft, " +
			"change it, and send it back. The body is checked whole: if anything is wrong the answer is 422 listing " +
			"every problem with its JSON path and field, and the draft does not change. Published versions never " +
			"change (409). Needs the owner or facilitator role.",
		errors:  []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge},
		maxBody: fileBodyLimit,
	}.operation()
	o.BodyReadTimeout = fileReadTimeout
	huma.Register(a.huma, o, a.draftSave)
	ref := a.huma.OpenAPI().Components.Schemas.Schema(reflect.TypeFor[LibraryContent](), true, "LibraryContent")
	a.documentBody(o, "The draft's new content in the canonical JSON format.",
		map[string]*huma.MediaType{"application/json": {Schema: ref}})
}

func (a *API) draftSave(ctx context.Context, in *draftSaveInput) (*versionShowOutput, error) {
	act := actor(ctx)
	lib, versions, err := a.library(ctx, act, in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	vi, err := versionNumber(versions, in.Number)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	if err := mustOwn(lib, act); err != nil {
		return nil, a.problem(ctx, err)
	}
	if !act.Role.CanEditLibraries() {
		return nil, a.problem(ctx, domain.Errorf(domain.EFORBIDDEN, "Your role does not allow you to edit libraries."))
	}
	if vi.Status != domain.Draft {
		return nil, a.problem(ctx, domain.Errorf(domain.ECONFLICT,
			"Version %d is published and never changes. Start a new draft with POST %s/libraries/%s/drafts.", vi.Number, Prefix, lib.ID))
	}
	content, problems := library.Parse(uploadName, in.RawBody, library.FormatJSON, library.ParseOptions{})
	if len(problems) > 0 {
		return nil, problemsError(problems, "the draft did not change")
	}
	err = a.svc.EditDraft(ctx, act, vi.ID, func(c *domain.Content) error {
		*c = *content
		return nil
	})
	if err != nil {
		var ps domain.Problems
		if errors.As(err, &ps) {
			return nil, problemsError(ps, "the draft did not change")
		}
		return nil, a.problem(ctx, err)
	}
	v, err := a.svc.Version(ctx, act, vi.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	return &versionShowOutput{Body: version(v)}, nil
}
