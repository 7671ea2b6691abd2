package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
)

type versionDiffInput struct {
	ID   string `path:"id" maxLength:"64" doc:"The library's id."`
	From int    `query:"from" minimum:"1" doc:"The older version's number; by default the version before 'to'."`
	To   int    `query:"to" minimum:"1" doc:"The newer version's number; by default the newest version you may see."`
}

// Change is one difference between two versions.
type Change struct {
	Op    string `json:"op" enum:"added,removed,changed,moved" doc:"How the item differs."`
	Kind  string `json:"kind" enum:"library,horizon,driving_force,tension,trend,capability_area" doc:"What kind of item changed."`
	Key   string `json:"key,omitempty" doc:"The item's key; empty for the library itself."`
	Name  Text   `json:"name" doc:"The item's name or title."`
	Field string `json:"field,omitempty" doc:"For changed: the field, e.g. title.sv or indicators."`
	Old   string `json:"old,omitempty" doc:"For changed: the old value, as text."`
	New   string `json:"new,omitempty" doc:"For changed: the new value, as text."`
}

// VersionDiff is what changed between two versions of a library.
type VersionDiff struct {
	LibraryID string   `json:"library_id" doc:"The library's id."`
	From      int      `json:"from" doc:"The older version's number."`
	To        int      `json:"to" doc:"The newer version's number."`
	Changes   []Change `json:"changes" nullable:"false" doc:"What changed, kind by kind in display order; empty when nothing did."`
}

type versionDiffOutput struct {
	Body VersionDiff
}

func (a *API) registerVersionDiff() {
	huma.Register(a.huma, op{
		id: "compare-library-versions", method: http.MethodGet, path: "/libraries/{id}/diff", tag: tagLibraries, orgScoped: true,
		summary: "Compare two versions",
		description: "Lists what changed between two versions of a library: items added, removed and moved, and " +
			"every field that changed with its old and new value.",
		errors: []int{http.StatusNotFound},
	}.operation(), a.versionDiff)
}

func (a *API) versionDiff(ctx context.Context, in *versionDiffInput) (*versionDiffOutput, error) {
	act := actor(ctx)
	_, versions, err := a.library(ctx, act, in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	to := &versions[0]
	if in.To != 0 {
		if to, err = versionNumber(versions, in.To); err != nil {
			return nil, a.problem(ctx, err)
		}
	}
	from := to
	if in.From != 0 {
		if from, err = versionNumber(versions, in.From); err != nil {
			return nil, a.problem(ctx, err)
		}
	} else {
		for i := range versions { // newest first: the first older one
			if versions[i].Number < to.Number {
				from = &versions[i]
				break
			}
		}
	}
	_, _, changes, err := a.svc.Diff(ctx, act, from.ID, to.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	out := &versionDiffOutput{}
	out.Body.LibraryID, out.Body.From, out.Body.To = in.ID, from.Number, to.Number
	out.Body.Changes = make([]Change, len(changes))
	for i, c := range changes {
		out.Body.Changes[i] = change(c)
	}
	return out, nil
}

func change(c domain.Change) Change {
	return Change{Op: string(c.Op), Kind: c.Kind, Key: c.Key, Name: text(c.Name), Field: c.Field, Old: c.Old, New: c.New}
}
