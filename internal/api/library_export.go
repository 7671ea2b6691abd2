package api

import (
	"context"
	"mime"
	"net/http"
	"reflect"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/library"
)

type libraryExportInput struct {
	ID      string `path:"id" maxLength:"64" doc:"The library's id."`
	Format  string `query:"format" enum:"json,csv,radar" default:"json" doc:"json: the canonical JSON format with everything; csv: one row per trend with both languages; radar: the CSV of the 'build your own radar' tool."`
	Version int    `query:"version" minimum:"1" doc:"The version's number. By default the newest published version, or the draft for owners and facilitators when none is published."`
}

type libraryExportOutput struct {
	ContentType        string `header:"Content-Type" doc:"application/json or text/csv; charset=utf-8."`
	ContentDisposition string `header:"Content-Disposition" doc:"attachment, with a file name such as public-sector-digital-trends-v2.csv."`
	Body               []byte
}

func (a *API) registerLibraryExport() {
	o := op{
		id: "export-library", method: http.MethodGet, path: "/libraries/{id}/export", tag: tagLibraries, orgScoped: true,
		summary: "Export a library as a file",
		description: "Returns one version of a library as a file in the canonical JSON format, the flat CSV format " +
			"or the radar CSV format (docs/formats.md describes them). Importing the JSON file gives the same " +
			"content back; the CSV formats hold the trends, driving forces and horizons.",
		errors: []int{http.StatusNotFound},
	}.operation()
	ref := a.huma.OpenAPI().Components.Schemas.Schema(reflect.TypeFor[LibraryContent](), true, "LibraryContent")
	o.Responses = map[string]*huma.Response{"200": {
		Description: "The file.",
		Content: map[string]*huma.MediaType{
			"application/json": {Schema: ref},
			"text/csv":         {Schema: &huma.Schema{Type: "string", Description: "The CSV file, UTF-8, with a header row."}},
		},
	}}
	huma.Register(a.huma, o, a.libraryExport)
}

func (a *API) libraryExport(ctx context.Context, in *libraryExportInput) (*libraryExportOutput, error) {
	act := actor(ctx)
	format, err := library.ParseFormat(in.Format)
	if err != nil {
		return nil, huma.Error422UnprocessableEntity(err.Error())
	}
	lib, versions, err := a.library(ctx, act, in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	canEdit := lib.OrgID == act.OrgID && act.Role.CanEditLibraries()
	vi, err := defaultVersion(versions, canEdit)
	if in.Version != 0 {
		vi, err = versionNumber(versions, in.Version)
	}
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	data, name, err := a.svc.Export(ctx, act, vi.ID, format)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	return &libraryExportOutput{
		ContentType:        format.ContentType(),
		ContentDisposition: mime.FormatMediaType("attachment", map[string]string{"filename": name}),
		Body:               data,
	}, nil
}
