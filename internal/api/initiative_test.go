package api_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/api"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/store"
	"github.com/waymark/waymark/internal/store/storetest"
)

// initiativeOfA stores an initiative of organisation A with a milestone,
// for the tenant-isolation test.
func (e *env) initiativeOfA() *domain.Initiative {
	e.t.Helper()
	act, err := e.svc.ActorForToken(e.t.Context(), e.aOwner)
	must(e.t, err)
	in := &domain.Initiative{Title: "Alpha initiative", Duration: 1, EarliestStart: 2027, LatestStart: 2028,
		Status: domain.StatusApproved, Milestones: []domain.Milestone{{Title: "Alpha milestone", Due: "2027-01-01"}}}
	must(e.t, e.svc.CreateInitiative(e.t.Context(), act, in))
	return in
}

// wantLocations fails unless the response is a 422 whose errors are at
// exactly the locations.
func wantLocations(t *testing.T, r response, what string, locations ...string) {
	t.Helper()
	want(t, r, http.StatusUnprocessableEntity, what)
	var got []string
	for _, e := range r.problem(t).Errors {
		got = append(got, e.Location)
	}
	slices.Sort(got)
	locations = slices.Clone(locations)
	slices.Sort(locations)
	if !slices.Equal(slices.Compact(got), locations) {
		t.Errorf("%s: problems at %v, want %v\n%s", what, got, locations, r.body)
	}
}

// TestPortfolioSettingsAPI ensures every member reads the portfolio
// settings, owners and facilitators replace them, viewers get 403, and bad
// settings answer 422 with every problem's location, changing nothing.
func TestPortfolioSettingsAPI(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		const path = "/api/v1/portfolio/settings"
		r := e.get(path, e.aViewer)
		want(t, r, http.StatusOK, "read the defaults")
		var st api.PortfolioSettings
		r.json(t, &st)
		if st.Currency != "SEK" || len(st.Criteria) != 5 || st.VersionID != nil || st.UpdatedAt != nil || st.Criteria[0].Key != "people" {
			t.Fatalf("defaults = %+v", st)
		}
		version := e.starterVersion(tensionStarter)
		body := map[string]any{"currency": "eur", "version_id": version, "criteria": []map[string]any{
			{"key": "people", "name": map[string]string{"en": "Outcomes for residents", "sv": "Nytta för invånare"}, "weight": 2},
			{"key": "financial", "name": map[string]string{"en": "Financial"}},
			{"key": "climate", "name": map[string]string{"en": "Climate", "sv": "Klimat"}, "weight": 0.5},
		}}
		want(t, e.member(http.MethodPut, path, e.aViewer, body), http.StatusForbidden, "viewer saves")
		r = e.member(http.MethodPut, path, e.aFacilitator, body)
		want(t, r, http.StatusOK, "save")
		r.json(t, &st)
		if st.Currency != "EUR" || st.VersionID == nil || *st.VersionID != version || st.LibraryID == nil || len(st.Criteria) != 3 ||
			st.Criteria[1].Weight != 1 || st.Criteria[2].Weight != 0.5 || st.Criteria[0].Name.SV != "Nytta för invånare" || st.UpdatedAt == nil {
			t.Fatalf("saved = %+v", st)
		}
		bad := map[string]any{"currency": "euro", "version_id": "0190f0c4-4b4e-7d2a-9a31-6f0e3c2d1b10", "criteria": []map[string]any{
			{"key": "Bad Key", "name": map[string]string{}, "weight": 500}}}
		wantLocations(t, e.member(http.MethodPut, path, e.aOwner, bad), "bad settings",
			"body.currency", "body.criteria[0].key", "body.criteria[0].name", "body.criteria[0].weight", "body.version_id")
		wantLocations(t, e.member(http.MethodPut, path, e.aOwner, map[string]any{"currency": "SEK", "version_id": "nope",
			"criteria": []map[string]any{{"key": "people", "name": map[string]string{"en": "People"}}}}), "unknown version", "body.version_id")
		wantLocations(t, e.member(http.MethodPut, path, e.aOwner, map[string]any{"currency": "SEK"}), "no criteria", "body.criteria")
		after := e.get(path, e.aViewer)
		var now api.PortfolioSettings
		after.json(t, &now)
		if now.Revision != st.Revision || now.Currency != "EUR" {
			t.Errorf("bad settings changed something: %+v", now)
		}
	})
}

// TestInitiativeAPI ensures initiatives are created, listed, read,
// changed, tracked and deleted through the API; that bad input answers
// 422 with every problem at its body location and changes nothing; that a
// stale revision answers 409; that viewers get 403; and that an
// initiative others depend on cannot be deleted (409).
func TestInitiativeAPI(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		version := e.starterVersion(tensionStarter)
		want(t, e.member(http.MethodPut, "/api/v1/portfolio/settings", e.aOwner, map[string]any{"currency": "SEK", "version_id": version,
			"criteria": []map[string]any{{"key": "people", "name": map[string]string{"en": "People"}, "weight": 2},
				{"key": "financial", "name": map[string]string{"en": "Financial"}}}}), http.StatusOK, "settings")

		platform := map[string]any{"title": "Shared data platform", "owner": "CDO office", "description": "One place for data.",
			"trends": []map[string]any{{"trend": "ai-changes-working-life", "strength": 3}}, "areas": []string{"data-sharing-standards"},
			"one_off_cost": 1_200_000, "recurring_cost": 150_000, "fte": 1.5, "duration": 2, "earliest_start": 2027, "latest_start": 2029,
			"exclusive_group": "Platform", "benefits": map[string]int{"people": 4, "financial": 2}, "risk": "medium"}
		want(t, e.member(http.MethodPost, "/api/v1/initiatives", e.aViewer, platform), http.StatusForbidden, "viewer creates")
		r := e.member(http.MethodPost, "/api/v1/initiatives", e.aFacilitator, platform)
		want(t, r, http.StatusCreated, "create")
		var in api.Initiative
		r.json(t, &in)
		if r.header.Get("Location") != "/api/v1/initiatives/"+in.ID || in.Title != "Shared data platform" || in.FTE != 1.5 ||
			in.OneOffCost != 1_200_000 || in.WeightedBenefit != 10 || in.Status != "proposed" || in.RAG != "" || in.Risk != "medium" ||
			len(in.Trends) != 1 || in.Trends[0].Strength != 3 || len(in.Areas) != 1 || in.Milestones == nil || in.DependsOn == nil {
			t.Fatalf("created = %+v (Location %q)", in, r.header.Get("Location"))
		}

		// Every problem at once, nothing stored.
		broken := map[string]any{"title": " ", "trends": []map[string]any{{"trend": "storms", "strength": 2}}, "fte": 1.234,
			"duration": 0, "earliest_start": 2030, "latest_start": 2028, "benefits": map[string]int{"people": 9},
			"depends_on": []string{"0190f0c4-4b4e-7d2a-9a31-6f0e3c2d1b10"}}
		wantLocations(t, e.member(http.MethodPost, "/api/v1/initiatives", e.aOwner, broken), "a broken initiative",
			"body.title", "body.trends[0].trend", "body.fte", "body.duration", "body.latest_start", "body.benefits.people", "body.depends_on[0]")
		delete(broken, "fte")
		wantLocations(t, e.member(http.MethodPost, "/api/v1/initiatives", e.aOwner, broken), "a broken initiative with a good FTE",
			"body.title", "body.trends[0].trend", "body.duration", "body.latest_start", "body.benefits.people", "body.depends_on[0]")
		want(t, e.member(http.MethodPost, "/api/v1/initiatives", e.aOwner, map[string]any{"title": "Shared data platform",
			"duration": 1, "earliest_start": 2027, "latest_start": 2027}), http.StatusConflict, "a taken title")

		r = e.member(http.MethodPost, "/api/v1/initiatives", e.aOwner, map[string]any{"title": "Citizen portal",
			"duration": 1, "earliest_start": 2028, "latest_start": 2030, "depends_on": []string{in.ID}})
		want(t, r, http.StatusCreated, "create a dependant")
		var portal api.Initiative
		r.json(t, &portal)

		var list api.InitiativeList
		r = e.get("/api/v1/initiatives", e.aViewer)
		want(t, r, http.StatusOK, "list")
		r.json(t, &list)
		if list.Currency != "SEK" || len(list.Initiatives) != 2 || list.Initiatives[0].ID != in.ID {
			t.Fatalf("list = %+v", list)
		}
		r = e.get("/api/v1/initiatives?status=approved", e.aViewer)
		want(t, r, http.StatusOK, "filtered list")
		r.json(t, &list)
		if len(list.Initiatives) != 0 {
			t.Errorf("filtered list = %+v", list.Initiatives)
		}
		want(t, e.get("/api/v1/initiatives?status=maybe", e.aViewer), http.StatusUnprocessableEntity, "unknown status")

		// Change: only what is given, from the revision read.
		path := "/api/v1/initiatives/" + in.ID
		want(t, e.member(http.MethodPatch, path, e.aViewer, map[string]any{"revision": in.Revision, "title": "X"}), http.StatusForbidden, "viewer changes")
		wantLocations(t, e.member(http.MethodPatch, path, e.aOwner, map[string]any{"title": "X"}), "no revision", "body.revision")
		r = e.member(http.MethodPatch, path, e.aOwner, map[string]any{"revision": in.Revision, "title": "Shared data platform 2.0", "status": "approved"})
		want(t, r, http.StatusOK, "change")
		var changed api.Initiative
		r.json(t, &changed)
		if changed.Title != "Shared data platform 2.0" || changed.Status != "approved" || changed.FTE != 1.5 || changed.Revision == in.Revision ||
			changed.ExclusiveGroup != "Platform" {
			t.Fatalf("changed = %+v", changed)
		}
		r = e.member(http.MethodPatch, path, e.aOwner, map[string]any{"revision": in.Revision, "title": "Overwritten"})
		want(t, r, http.StatusConflict, "stale change")
		if p := r.problem(t); !strings.Contains(p.Detail, "changed by someone else") {
			t.Errorf("stale change: %q", p.Detail)
		}
		wantLocations(t, e.member(http.MethodPatch, path, e.aOwner, map[string]any{"revision": changed.Revision, "depends_on": []string{portal.ID}}),
			"a cycle", "body.depends_on")
		wantLocations(t, e.member(http.MethodPatch, path, e.aOwner, map[string]any{"revision": changed.Revision, "fte": -1, "benefits": map[string]int{"nope": 1}}),
			"negative FTE", "body.fte", "body.benefits.nope")
		r = e.get(path, e.aViewer)
		var now api.Initiative
		r.json(t, &now)
		if now.Revision != changed.Revision || now.Title != changed.Title || len(now.DependsOn) != 0 {
			t.Fatalf("refused changes changed the initiative: %+v", now)
		}

		// Tracking.
		track := path + "/tracking"
		body := map[string]any{"revision": now.Revision, "status": "in_progress", "rag": "amber",
			"milestones": []map[string]any{{"title": "Supplier chosen", "due": "2027-03-31"}, {"title": "Pilot", "done": true}}}
		want(t, e.member(http.MethodPatch, track, e.aViewer, body), http.StatusForbidden, "viewer tracks")
		r = e.member(http.MethodPatch, track, e.aFacilitator, body)
		want(t, r, http.StatusOK, "track")
		var tracked api.Initiative
		r.json(t, &tracked)
		if tracked.Status != "in_progress" || tracked.RAG != "amber" || len(tracked.Milestones) != 2 || tracked.Milestones[0].Due != "2027-03-31" ||
			!tracked.Milestones[1].Done || tracked.Title != now.Title {
			t.Fatalf("tracked = %+v", tracked)
		}
		want(t, e.member(http.MethodPatch, track, e.aOwner, body), http.StatusConflict, "stale tracking")
		wantLocations(t, e.member(http.MethodPatch, track, e.aOwner, map[string]any{"revision": tracked.Revision, "rag": "purple",
			"milestones": []map[string]any{{"title": "", "due": "31/03/2027"}}}), "bad tracking",
			"body.rag", "body.milestones[0].title", "body.milestones[0].due")
		r = e.member(http.MethodPatch, track, e.aOwner, map[string]any{"revision": tracked.Revision, "rag": ""})
		want(t, r, http.StatusOK, "clear the RAG")
		r.json(t, &tracked)
		if tracked.RAG != "" || tracked.Status != "in_progress" || len(tracked.Milestones) != 2 {
			t.Errorf("after clearing the RAG: %+v", tracked)
		}

		// Delete.
		want(t, e.do(http.MethodDelete, path, e.aViewer, nil, ""), http.StatusForbidden, "viewer deletes")
		want(t, e.do(http.MethodDelete, path, e.aOwner, nil, ""), http.StatusConflict, "delete a dependency")
		want(t, e.do(http.MethodDelete, "/api/v1/initiatives/"+portal.ID, e.aOwner, nil, ""), http.StatusNoContent, "delete the dependant")
		want(t, e.do(http.MethodDelete, path, e.aFacilitator, nil, ""), http.StatusNoContent, "delete")
		want(t, e.get(path, e.aViewer), http.StatusNotFound, "deleted")
		want(t, e.get("/api/v1/initiatives/"+strconv.Itoa(42), e.aViewer), http.StatusNotFound, "never existed")
	})
}
