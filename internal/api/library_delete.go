package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

func (a *API) registerLibraryDelete() {
	huma.Register(a.huma, op{
		id: "delete-library", method: http.MethodDelete, path: "/libraries/{id}", tag: tagLibraries, orgScoped: true,
		summary: "Delete a library",
		description: "Deletes one of the organisation's libraries with every version. This cannot be undone. " +
			"Needs the owner role.",
		status: http.StatusNoContent,
		errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}.operation(), a.libraryDelete)
}

func (a *API) libraryDelete(ctx context.Context, in *libraryPath) (*struct{}, error) {
	act := actor(ctx)
	lib, _, err := a.library(ctx, act, in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	if err := mustOwn(lib, act); err != nil {
		return nil, a.problem(ctx, err)
	}
	if err := a.svc.DeleteLibrary(ctx, act, in.ID); err != nil {
		return nil, a.problem(ctx, err)
	}
	return &struct{}{}, nil
}
