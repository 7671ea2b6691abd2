package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/service"
)

// Starter is a starter library that ships with Waymark.
type Starter struct {
	Key         string      `json:"key" doc:"The starter library's key, used to install it." example:"public-sector-digital"`
	Name        Text        `json:"name" doc:"Its name."`
	Description Text        `json:"description" doc:"What it is about."`
	Attribution Attribution `json:"attribution" doc:"The sources it credits."`
	Trends      int         `json:"trends" doc:"How many trends it has."`
	LibraryID   string      `json:"library_id,omitempty" doc:"The id of the organisation's library installed from it; absent when it is not installed."`
}

// StarterList lists the starter libraries.
type StarterList struct {
	Starters []Starter `json:"starters" nullable:"false" doc:"Every starter library."`
}

type starterListOutput struct {
	Body StarterList
}

func (a *API) registerStarterList() {
	huma.Register(a.huma, op{
		id: "list-starters", method: http.MethodGet, path: "/starters", tag: tagStarters,
		summary: "List starter libraries",
		description: "Lists the starter libraries that ship with Waymark, written for the project with their " +
			"sources credited, and whether the token's organisation has installed each.",
	}.operation(), a.starterList)
}

func (a *API) starterList(ctx context.Context, _ *struct{}) (*starterListOutput, error) {
	act := actor(ctx)
	starters, err := service.StarterContent()
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	own, _, err := a.svc.Libraries(ctx, act)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	installed := map[string]string{}
	for _, l := range own {
		if l.StarterKey != "" {
			installed[l.StarterKey] = l.ID
		}
	}
	out := &starterListOutput{}
	out.Body.Starters = make([]Starter, len(starters))
	for i, st := range starters {
		c := st.Content
		out.Body.Starters[i] = Starter{Key: st.Key, Name: text(c.Name), Description: text(c.Description),
			Attribution: attribution(c.Attribution), Trends: len(c.Trends), LibraryID: installed[st.Key]}
	}
	return out, nil
}
