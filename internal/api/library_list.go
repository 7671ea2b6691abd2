package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// LibraryList is the list of libraries an organisation can see.
type LibraryList struct {
	Libraries []LibrarySummary `json:"libraries" nullable:"false" doc:"The organisation's own libraries by name, then the public libraries of other organisations by name."`
}

type libraryListOutput struct {
	Body LibraryList
}

func (a *API) registerLibraryList() {
	huma.Register(a.huma, op{
		id: "list-libraries", method: http.MethodGet, path: "/libraries", tag: tagLibraries,
		summary: "List libraries",
		description: "Lists the trend libraries the token's organisation owns, then the public libraries of other " +
			"organisations (which it may read and copy). For each: its names, the version people use, how many " +
			"trends it has, and its newest and newest published versions.",
	}.operation(), a.libraryList)
}

func (a *API) libraryList(ctx context.Context, _ *struct{}) (*libraryListOutput, error) {
	act := actor(ctx)
	own, public, err := a.svc.Libraries(ctx, act)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	out := &libraryListOutput{}
	out.Body.Libraries = make([]LibrarySummary, 0, len(own)+len(public))
	for i := range own {
		out.Body.Libraries = append(out.Body.Libraries, librarySummary(&own[i], act.OrgID))
	}
	for i := range public {
		if public[i].Published == nil {
			continue // others see published versions only, and there is none yet
		}
		out.Body.Libraries = append(out.Body.Libraries, librarySummary(&public[i], act.OrgID))
	}
	return out, nil
}
