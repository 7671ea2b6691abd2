package api

import (
	"cmp"
	"context"
	"errors"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/library"
)

// uploadName is the file name problems in an uploaded body are reported
// against: "body:12 category" is row 12, column category, of the body.
const uploadName = "body"

type libraryImportInput struct {
	Format   string `query:"format" enum:"json,csv,radar" doc:"The file's format; detected from the content when left out (a JSON object is json, a CSV with the columns name, ring and quadrant is radar, other text is csv)."`
	Name     string `query:"name" maxLength:"200" doc:"The library's name for csv and radar files, which have no place for one (JSON files name themselves). Default: Imported library."`
	Lang     string `query:"lang" enum:"en,sv" default:"en" doc:"The language of the name and, for radar files, of the texts in the file."`
	Category string `query:"category" enum:"societal,digital,technology" doc:"Radar files only: the category of every trend. Default: technology."`
	RawBody  []byte `contentType:"application/octet-stream"`
}

// ImportResult is the library an import created.
type ImportResult struct {
	ID        string `json:"id" doc:"The new library's id."`
	VersionID string `json:"version_id" doc:"The id of its first version, which is published."`
	Version   int    `json:"version" doc:"The version's number: 1."`
	Trends    int    `json:"trends" doc:"How many trends were imported."`
	Name      Text   `json:"name" doc:"The library's name."`
}

type libraryImportOutput struct {
	Location string `header:"Location" doc:"The new library's address in the API."`
	Body     ImportResult
}

func (a *API) registerLibraryImport() {
	o := op{
		id: "import-library", method: http.MethodPost, path: "/libraries/import", tag: tagLibraries,
		summary: "Import a library from a file",
		description: "Creates a new private library of the token's organisation from a file sent as the request " +
			"body (any content type; at most 10 MiB), in the canonical JSON format, the flat CSV format or the " +
			"radar CSV format (docs/formats.md). The whole file is checked first: if anything is wrong the answer " +
			"is 422 listing every problem with its row or JSON path and field, and nothing is stored. " +
			"Needs the owner or facilitator role.",
		status:  http.StatusCreated,
		errors:  []int{http.StatusForbidden, http.StatusRequestEntityTooLarge},
		maxBody: fileBodyLimit,
	}.operation()
	o.BodyReadTimeout = fileReadTimeout
	huma.Register(a.huma, o, a.libraryImport)
	binary := func(desc string) *huma.MediaType {
		return &huma.MediaType{Schema: &huma.Schema{Type: "string", Format: "binary", Description: desc}}
	}
	a.documentBody(o, "The library file, in any of the three formats.", map[string]*huma.MediaType{
		"application/json":         binary("A library in the canonical JSON format \"waymark.library/v1\"."),
		"text/csv":                 binary("A flat CSV or a radar CSV file, UTF-8."),
		"application/octet-stream": binary("A file in any of the three formats."),
	})
}

func (a *API) libraryImport(ctx context.Context, in *libraryImportInput) (*libraryImportOutput, error) {
	act := actor(ctx)
	var format library.Format
	if in.Format != "" {
		f, err := library.ParseFormat(in.Format)
		if err != nil {
			return nil, huma.Error422UnprocessableEntity(err.Error())
		}
		format = f
	}
	opt := library.ParseOptions{
		Name:            cmp.Or(in.Name, defaultImportName(in.Lang)),
		Lang:            in.Lang,
		DefaultCategory: domain.Category(in.Category),
	}
	lib, v, err := a.svc.Import(ctx, act, uploadName, in.RawBody, format, opt)
	if err != nil {
		var ps domain.Problems
		if errors.As(err, &ps) {
			return nil, problemsError(ps, "nothing was stored")
		}
		return nil, a.problem(ctx, err)
	}
	return &libraryImportOutput{
		Location: Prefix + "/libraries/" + lib.ID,
		Body:     ImportResult{ID: lib.ID, VersionID: v.ID, Version: v.Number, Trends: v.TrendCount, Name: text(lib.Name)},
	}, nil
}

func defaultImportName(lang string) string {
	if lang == "sv" {
		return "Importerat bibliotek"
	}
	return "Imported library"
}
