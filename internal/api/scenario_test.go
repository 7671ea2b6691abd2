package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/api"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/store"
	"github.com/waymark/waymark/internal/store/storetest"
)

// scenarioOfA stores an optimised scenario of organisation A, for the
// tenant-isolation test.
func (e *env) scenarioOfA() *domain.Scenario {
	e.t.Helper()
	act, err := e.svc.ActorForToken(e.t.Context(), e.aOwner)
	must(e.t, err)
	sc := &domain.Scenario{Name: "Alpha scenario", StartYear: 2026, EndYear: 2030, Budget: domain.MoneyCaps{Default: 1000}}
	must(e.t, e.svc.CreateScenario(e.t.Context(), act, sc))
	want(e.t, e.member(http.MethodPost, "/api/v1/scenarios/"+sc.ID+"/optimise?marginals=false", e.aOwner, nil), http.StatusOK, "A optimises")
	return sc
}

// scenarioPortfolio gives organisation A the portfolio version with
// capability areas and three initiatives: a platform that builds data
// sharing and innovation, a service that depends on it, and one that is
// done. It returns them by title.
func (e *env) scenarioPortfolio() map[string]*domain.Initiative {
	e.t.Helper()
	ctx := e.t.Context()
	act, err := e.svc.ActorForToken(ctx, e.aOwner)
	must(e.t, err)
	p, err := e.svc.Portfolio(ctx, act)
	must(e.t, err)
	p.Settings.VersionID = e.starterVersion(tensionStarter)
	must(e.t, e.svc.SavePortfolioSettings(ctx, act, p.Settings))
	out := map[string]*domain.Initiative{}
	for _, in := range []*domain.Initiative{
		{Title: "Platform", Areas: []string{"data-sharing-standards", "innovation"}, OneOffCost: 400, RecurringCost: 50, FTE: 100,
			Duration: 2, EarliestStart: 2026, LatestStart: 2027, Benefits: map[string]int{"people": 5}, RAG: domain.RAGGreen},
		{Title: "Service", Areas: []string{"digital-skills-and-capability"}, OneOffCost: 300, FTE: 50, Duration: 1,
			EarliestStart: 2026, LatestStart: 2030, Benefits: map[string]int{"people": 3}},
		{Title: "Finished", OneOffCost: 10, Duration: 1, EarliestStart: 2026, LatestStart: 2030, Status: domain.StatusDone},
	} {
		if in.Title == "Service" {
			in.DependsOn = []string{out["Platform"].ID}
		}
		must(e.t, e.svc.CreateInitiative(ctx, act, in))
		out[in.Title] = in
	}
	return out
}

// TestScenarioAPI ensures scenarios can be listed, created, read, replaced
// (409 at a stale revision), optimised (the waymark.portfolio/v1 result),
// read back, laid out as a roadmap and deleted; that bad input answers 422
// with every problem's location and changes nothing; and that viewers
// read but may not change or optimise, while analysts may optimise.
func TestScenarioAPI(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ins := e.scenarioPortfolio()
		analyst := e.mustToken(e.orgA, "analyst@a.example", domain.Analyst)
		const list = "/api/v1/scenarios"
		good := map[string]any{"name": "Baseline", "description": "Flat.", "start_year": 2026, "end_year": 2030,
			"budget": map[string]any{"default": 1000, "years": map[string]int{"2027": 500}}, "fte": map[string]any{"default": 2.5}}

		want(t, e.member(http.MethodPost, list, e.aViewer, good), http.StatusForbidden, "viewer creates")
		bad := map[string]any{"name": "", "start_year": 2026, "end_year": 2090,
			"budget": map[string]any{"default": -1, "years": map[string]int{"20x7": 5}}, "fte": map[string]any{"default": 1.234},
			"forced": map[string]string{ins["Platform"].ID: "maybe", "0190f0c4-4b4e-7d2a-9a31-6f0e3c2d1b10": "in"}}
		wantLocations(t, e.member(http.MethodPost, list, e.aOwner, bad), "bad scenario", "body.name", "body.end_year",
			"body.budget.default", "body.budget.years.20x7", "body.fte.default", "body.forced."+ins["Platform"].ID,
			"body.forced.0190f0c4-4b4e-7d2a-9a31-6f0e3c2d1b10")
		var sl api.ScenarioList
		e.get(list, e.aViewer).json(t, &sl)
		if len(sl.Scenarios) != 0 || sl.Currency != "SEK" {
			t.Fatalf("bad input stored: %+v", sl)
		}

		r := e.member(http.MethodPost, list, e.aFacilitator, good)
		want(t, r, http.StatusCreated, "create")
		var sc api.Scenario
		r.json(t, &sc)
		if r.header.Get("Location") != list+"/"+sc.ID || sc.Name != "Baseline" || sc.Budget.Years["2027"] != 500 || sc.FTE == nil ||
			sc.FTE.Default != 2.5 || sc.Result != nil || sc.Revision == 0 {
			t.Fatalf("created %+v at %s", sc, r.header.Get("Location"))
		}
		want(t, e.member(http.MethodPost, list, e.aOwner, good), http.StatusConflict, "name in use")
		path := list + "/" + sc.ID

		// Replace: stale revision, viewer, bad and good.
		change := func(rev int64, body map[string]any) map[string]any {
			out := map[string]any{"revision": rev}
			for k, v := range body {
				out[k] = v
			}
			return out
		}
		cut := map[string]any{"name": "Baseline", "start_year": 2026, "end_year": 2030, "budget": map[string]any{"default": 800},
			"forced": map[string]string{ins["Service"].ID: "in"}}
		want(t, e.member(http.MethodPut, path, e.aViewer, change(sc.Revision, cut)), http.StatusForbidden, "viewer replaces")
		want(t, e.member(http.MethodPut, path, e.aOwner, change(sc.Revision+1, cut)), http.StatusConflict, "stale revision")
		wantLocations(t, e.member(http.MethodPut, path, e.aOwner, change(sc.Revision, map[string]any{"name": "Baseline",
			"start_year": 2026, "end_year": 2030, "budget": map[string]any{"default": 1, "years": map[string]int{"2040": 1}}})),
			"bad change", "body.budget.years.2040")
		r = e.member(http.MethodPut, path, e.aOwner, change(sc.Revision, cut))
		want(t, r, http.StatusOK, "replace")
		var changed api.Scenario
		r.json(t, &changed)
		if changed.Revision == sc.Revision || changed.FTE != nil || changed.Budget.Default != 800 || changed.Forced[ins["Service"].ID] != "in" {
			t.Fatalf("replaced %+v", changed)
		}

		// Nothing to show before optimising.
		want(t, e.get(path+"/roadmap", e.aViewer), http.StatusConflict, "roadmap before optimising")
		want(t, e.get(path+"/result", e.aViewer), http.StatusConflict, "result before optimising")

		// Optimise.
		want(t, e.member(http.MethodPost, path+"/optimise", e.aViewer, nil), http.StatusForbidden, "viewer optimises")
		r = e.member(http.MethodPost, path+"/optimise?time_limit=5", analyst, nil)
		want(t, r, http.StatusOK, "analyst optimises")
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("result Content-Type %q", ct)
		}
		var res struct {
			Format    string  `json:"format"`
			Kind      string  `json:"kind"`
			Status    string  `json:"status"`
			Objective float64 `json:"objective"`
			Gap       float64 `json:"gap"`
			Plan      []struct {
				Key    string `json:"key"`
				Start  int    `json:"start"`
				Forced bool   `json:"forced"`
			} `json:"plan"`
			Years []struct {
				Year   int `json:"year"`
				Budget struct {
					Marginal *struct {
						Exact bool `json:"exact"`
					} `json:"marginal"`
				} `json:"budget"`
			} `json:"years"`
		}
		r.json(t, &res)
		if res.Format != "waymark.portfolio/v1" || res.Kind != "result" || res.Status != "optimal" || res.Gap != 0 ||
			res.Objective != 8 || len(res.Plan) != 2 || len(res.Years) != 5 || res.Years[0].Budget.Marginal == nil {
			t.Fatalf("result %s", r.body)
		}
		stored := e.get(path+"/result", e.aViewer)
		want(t, stored, http.StatusOK, "read the result")
		if !bytes.Equal(stored.body, r.body) {
			t.Errorf("the stored result differs from the one returned")
		}
		var got api.Scenario
		e.get(path, e.aViewer).json(t, &got)
		if got.Result == nil || got.Result.Status != "optimal" || got.Result.Objective != 8 || got.Result.Chosen != 2 || !got.Result.Current {
			t.Fatalf("scenario after optimising: %+v", got.Result)
		}

		// The roadmap: a lane per capability area, the platform in the
		// innovation lane (the first of its areas in the library's order).
		r = e.get(path+"/roadmap", e.aViewer)
		want(t, r, http.StatusOK, "roadmap")
		var rm api.Roadmap
		r.json(t, &rm)
		if rm.StartYear != 2026 || rm.EndYear != 2030 || rm.Status != "optimal" || !rm.Current || len(rm.Lanes) != 5 {
			t.Fatalf("roadmap %s", r.body)
		}
		lanes := map[string][]api.RoadmapItem{}
		for _, l := range rm.Lanes {
			lanes[l.Area] = l.Initiatives
		}
		if p := lanes["innovation"]; len(p) != 1 || p[0].Title != "Platform" || p[0].Start != 2026 || p[0].End != 2027 || p[0].RAG != "green" ||
			len(p[0].Areas) != 2 || p[0].Areas[0] != "innovation" || p[0].FTE != 1 || p[0].RecurringCost != 50 {
			t.Errorf("innovation lane %+v", p)
		}
		if s := lanes["digital-skills-and-capability"]; len(s) != 1 || s[0].Start < 2028 || !s[0].Forced ||
			len(s[0].DependsOn) != 1 || s[0].DependsOn[0] != ins["Platform"].ID {
			t.Errorf("digital skills lane %+v", s)
		}

		// A change to the portfolio makes the result out of date.
		act, err := e.svc.ActorForToken(t.Context(), e.aOwner)
		must(t, err)
		pl := ins["Platform"]
		pl.Owner = "CIO"
		must(t, e.svc.UpdateInitiative(t.Context(), act, pl))
		e.get(path, e.aViewer).json(t, &got)
		if got.Result == nil || got.Result.Current {
			t.Errorf("the result is still current after a change: %+v", got.Result)
		}

		// Forcing in a done initiative: 422 at its forced choice.
		e.get(path, e.aViewer).json(t, &got)
		done := map[string]any{"name": "Baseline", "start_year": 2026, "end_year": 2030, "budget": map[string]any{"default": 800},
			"forced": map[string]string{ins["Finished"].ID: "in"}}
		want(t, e.member(http.MethodPut, path, e.aOwner, change(got.Revision, done)), http.StatusOK, "force in a done initiative")
		wantLocations(t, e.member(http.MethodPost, path+"/optimise", e.aOwner, nil), "optimise with a done initiative forced in",
			"body.forced."+ins["Finished"].ID)

		// Delete.
		want(t, e.member(http.MethodDelete, path, e.aViewer, nil), http.StatusForbidden, "viewer deletes")
		want(t, e.member(http.MethodDelete, path, e.aOwner, nil), http.StatusNoContent, "delete")
		want(t, e.get(path, e.aViewer), http.StatusNotFound, "deleted")
		e.get(list, e.aViewer).json(t, &sl)
		if len(sl.Scenarios) != 0 {
			t.Errorf("%d scenarios after delete", len(sl.Scenarios))
		}
	})
}

// TestScenarioAPIDocumented ensures the scenario operations are in the
// OpenAPI document with their tag.
func TestScenarioAPIDocumented(t *testing.T) {
	e := newEnv(t, storetest.Open(t, storetest.SQLite))
	r := e.get("/api/v1/openapi.json", "")
	want(t, r, http.StatusOK, "document")
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string   `json:"operationId"`
			Tags        []string `json:"tags"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatal(err)
	}
	for path, ops := range map[string][]string{
		"/api/v1/scenarios":               {"get", "post"},
		"/api/v1/scenarios/{id}":          {"get", "put", "delete"},
		"/api/v1/scenarios/{id}/optimise": {"post"},
		"/api/v1/scenarios/{id}/result":   {"get"},
		"/api/v1/scenarios/{id}/roadmap":  {"get"},
	} {
		for _, m := range ops {
			o, ok := doc.Paths[path][m]
			if !ok || len(o.Tags) != 1 || o.Tags[0] != "Scenarios" {
				t.Errorf("%s %s: %+v", m, path, o)
			}
		}
	}
}
