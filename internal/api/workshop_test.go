package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/api"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/store"
	"github.com/waymark/waymark/internal/store/storetest"
)

// auditActions returns the actions of an organisation's audit log.
func (e *env) auditActions(orgID string) []string {
	e.t.Helper()
	log, err := e.svc.Store().AuditLog(e.t.Context(), orgID, 1000)
	must(e.t, err)
	var out []string
	for _, a := range log {
		out = append(out, a.Action)
	}
	return out
}

// TestCreateWorkshop ensures a facilitator creates a workshop from a
// published version with only a title — every other setting taking the
// web form's default — or with every setting given (default questions by
// key, custom questions, groups whose keys are made from their names, an
// asynchronous period), that bad settings answer 422 with one error per
// field and store nothing, and that viewers may not create.
func TestCreateWorkshop(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		vid := e.starterVersion(tensionStarter)
		v, err := e.svc.Store().Version(ctx, e.orgA.ID, vid)
		must(t, err)

		r := e.member(http.MethodPost, "/api/v1/workshops", e.aFacilitator, map[string]string{"title": "Trends 2035", "version_id": vid})
		want(t, r, http.StatusCreated, "create with defaults")
		var w api.Workshop
		r.json(t, &w)
		if loc := r.header.Get("Location"); loc != "/api/v1/workshops/"+w.ID {
			t.Errorf("Location = %q", loc)
		}
		var trends, tensions []string
		for _, tr := range v.Trends {
			trends = append(trends, tr.Key)
		}
		for _, tn := range v.Tensions {
			tensions = append(tensions, tn.Key)
		}
		var qkeys, gkeys []string
		for _, q := range w.Questions {
			qkeys = append(qkeys, q.Key)
		}
		for _, g := range w.Groups {
			gkeys = append(gkeys, g.Key)
		}
		if !slices.Equal(w.Trends, trends) || !slices.Equal(w.Tensions, tensions) ||
			!slices.Equal(qkeys, []string{"impact", "direction", "horizon", "certainty", "readiness"}) ||
			!slices.Equal(gkeys, []string{"members", "managers", "staff", "residents", "partners"}) {
			t.Errorf("defaults: trends %v, tensions %v, questions %v, groups %v", w.Trends, w.Tensions, qkeys, gkeys)
		}
		if w.Mode != "live" || w.Language != "en" || !w.Anonymous || w.Dots != 3 || w.Phase != "draft" || w.ShowResults ||
			w.QuestionsFrozen || w.VersionID != vid || w.LibraryID != v.LibraryID || w.OpensAt != nil || len(w.Code) != 8 ||
			w.CodeDisplay != w.Code[:4]+"-"+w.Code[4:] || w.JoinPath != "/join/"+w.Code || w.CreatedAt.IsZero() {
			t.Errorf("defaults: %+v", w)
		}

		// Every setting given.
		opens := time.Date(2030, 3, 1, 8, 0, 0, 0, time.UTC)
		r = e.member(http.MethodPost, "/api/v1/workshops", e.aFacilitator, map[string]any{
			"title": "  Async round  ", "purpose": "Rate at your own pace.", "version_id": vid,
			"trends": []string{trends[2], trends[0]}, "tensions": []string{},
			"questions": []map[string]any{
				{"key": "impact"},
				{"key": "urgency", "label": map[string]string{"en": "How urgent is it?", "sv": "Hur brådskande är det?"},
					"min": 1, "max": 3, "labels": []map[string]string{{"en": "Not", "sv": "Inte"}, {"en": "Somewhat", "sv": "Något"}, {"en": "Very", "sv": "Mycket"}}},
			},
			"groups": []map[string]any{{"name": map[string]string{"en": "Elected members", "sv": "Förtroendevalda"}}, {"key": "staff", "name": map[string]string{"en": "Staff"}}, {"name": map[string]string{"sv": "Invånare"}}},
			"mode":   "async", "opens_at": opens, "closes_at": opens.Add(14 * 24 * time.Hour),
			"language": "sv", "anonymous": false, "dots": 5,
		})
		want(t, r, http.StatusCreated, "create with settings")
		var w2 api.Workshop
		r.json(t, &w2)
		gkeys = nil
		for _, g := range w2.Groups {
			gkeys = append(gkeys, g.Key)
		}
		if w2.Title != "Async round" || w2.Purpose != "Rate at your own pace." || !slices.Equal(w2.Trends, []string{trends[2], trends[0]}) ||
			len(w2.Tensions) != 0 || len(w2.Questions) != 2 || w2.Questions[0].Label.SV != "Hur starkt påverkar trenden oss?" ||
			w2.Questions[0].Max != 5 || w2.Questions[1].Key != "urgency" || w2.Questions[1].Labels[2].SV != "Mycket" ||
			!slices.Equal(gkeys, []string{"elected-members", "staff", "invanare"}) || w2.Mode != "async" ||
			w2.OpensAt == nil || !w2.OpensAt.Equal(opens) || w2.Language != "sv" || w2.Anonymous || w2.Dots != 5 {
			t.Errorf("with settings: %+v, groups %v", w2, gkeys)
		}

		// Bad settings: every problem, nothing stored.
		before := len(e.workshops(e.aViewer))
		p := wantProblems(t, e.member(http.MethodPost, "/api/v1/workshops", e.aFacilitator, map[string]any{"title": "No version"}),
			http.StatusUnprocessableEntity, "no version", "body.version_id")
		if p.Detail != "There is 1 problem; nothing was stored." {
			t.Errorf("detail %q", p.Detail)
		}
		wantProblems(t, e.member(http.MethodPost, "/api/v1/workshops", e.aFacilitator, map[string]any{
			"title": "   ", "version_id": vid, "trends": []string{"no-such-trend"}, "tensions": []string{"no-such-tension"},
			"questions": []map[string]any{{"key": "Bad Key", "label": map[string]string{"en": "X"}, "min": 1, "max": 1}, {"key": "impact"}},
			"groups":    []map[string]any{{"key": "a", "name": map[string]string{"en": "A"}}, {"key": "a", "name": map[string]string{"en": "B"}}},
			"mode":      "async", "dots": 0,
		}), http.StatusUnprocessableEntity, "bad settings",
			"body.title", "body.trends", "body.tensions", "body.questions[0].key", "body.questions[0].max", "body.groups[1].key",
			"body.closes_at", "body.dots")
		wantProblems(t, e.member(http.MethodPost, "/api/v1/workshops", e.aFacilitator, map[string]any{"title": "X", "version_id": vid, "mode": "sometimes", "language": "de"}),
			http.StatusUnprocessableEntity, "bad enums", "body.language", "body.mode")
		// A draft version and another organisation's version.
		versions, err := e.svc.Store().Versions(ctx, e.orgA.ID, e.public.ID)
		must(t, err)
		p = wantProblems(t, e.member(http.MethodPost, "/api/v1/workshops", e.aFacilitator, map[string]any{"title": "X", "version_id": versions[0].ID}),
			http.StatusUnprocessableEntity, "draft version", "body.version_id")
		if !strings.Contains(p.Errors[0].Message, "draft") {
			t.Errorf("draft version: %+v", p.Errors)
		}
		wantProblems(t, e.member(http.MethodPost, "/api/v1/workshops", e.bOwner, map[string]any{"title": "X", "version_id": vid}),
			http.StatusUnprocessableEntity, "another organisation's version", "body.version_id")
		if n := len(e.workshops(e.aViewer)); n != before {
			t.Errorf("refused creations stored workshops: %d, want %d", n, before)
		}
		wantProblems(t, e.member(http.MethodPost, "/api/v1/workshops", e.aViewer, map[string]any{"title": "X", "version_id": vid}),
			http.StatusForbidden, "viewer")

		// The list.
		list := e.workshops(e.aViewer)
		if len(list) != 2 || list[0].Participants != 0 || list[0].LastAnswerAt != nil {
			t.Errorf("list = %+v", list)
		}
		if len(e.workshops(e.bViewer)) != 0 {
			t.Errorf("B lists A's workshops")
		}
	})
}

// workshops lists the workshops of the token's organisation.
func (e *env) workshops(token string) []api.WorkshopSummary {
	e.t.Helper()
	r := e.get("/api/v1/workshops", token)
	want(e.t, r, http.StatusOK, "list workshops")
	var out struct{ Workshops []api.WorkshopSummary }
	r.json(e.t, &out)
	return out.Workshops
}

// TestRunWorkshop ensures the facilitator can do through the API what the
// web does with a workshop: change its settings (409 for frozen questions
// without override_frozen, audited with it), duplicate it, move it through
// its phases (409 for a move that is not allowed, 422 for a phase that does
// not exist), show and hide results, read its progress, list every idea
// and hide one, follow the presenter stream, and delete it (owners only) —
// and that analysts and viewers may read but not change.
func TestRunWorkshop(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		w := e.createWorkshop(nil)
		base := "/api/v1/workshops/" + w.ID
		patch := func(token string, body any) response { return e.member(http.MethodPatch, base, token, body) }

		// Settings.
		r := patch(e.aFacilitator, map[string]any{"title": "Renamed", "dots": 4})
		want(t, r, http.StatusOK, "patch")
		var w2 api.Workshop
		r.json(t, &w2)
		if w2.Title != "Renamed" || w2.Dots != 4 || w2.Revision <= w.Revision || !slices.Equal(w2.Trends, w.Trends) || len(w2.Questions) != 5 {
			t.Errorf("patched = %+v", w2)
		}
		wantProblems(t, patch(e.aFacilitator, map[string]any{"dots": 99, "title": ""}), http.StatusUnprocessableEntity, "bad patch",
			"body.title", "body.dots")
		wantProblems(t, patch(e.aViewer, map[string]any{"title": "Viewer"}), http.StatusForbidden, "viewer patch")
		r = e.get(base, e.aViewer)
		var d api.WorkshopDetail
		r.json(t, &d)
		if d.Title != "Renamed" || d.Dots != 4 {
			t.Errorf("refused patches changed the workshop: %+v", d.Workshop)
		}

		// Presenter stream, then participants.
		presenter := e.openStream(base+"/presenter/events", "Bearer "+e.aViewer, 0)
		if _, st := presenter.nextState(streamWait); st.Phase != "draft" {
			t.Errorf("presenter's first state = %+v", st)
		}
		e.phase(w.ID, "lobby")
		if _, st := presenter.nextState(streamWait); st.Phase != "lobby" {
			t.Errorf("presenter state = %+v", st)
		}
		j := e.join(w.Code, "managers")
		stream := e.openStream(base+"/events", "Participant "+j.ParticipantToken, 0)
		stream.nextState(streamWait)
		presenter.progressUntil(func(p api.Progress) bool { return p.Total == 1 && p.Joined["managers"] == 1 }, streamWait)

		// Phases.
		e.phase(w.ID, "rating")
		if _, st := stream.nextState(streamWait); st.Phase != "rating" {
			t.Errorf("participant state = %+v", st)
		}
		wantProblems(t, e.member(http.MethodPost, base+"/phase", e.aFacilitator, map[string]string{"phase": "draft"}),
			http.StatusConflict, "back to draft")
		wantProblems(t, e.member(http.MethodPost, base+"/phase", e.aFacilitator, map[string]string{"phase": "dancing"}),
			http.StatusUnprocessableEntity, "no such phase", "body.phase")
		wantProblems(t, e.member(http.MethodPost, base+"/phase", e.aViewer, map[string]string{"phase": "tensions"}),
			http.StatusForbidden, "viewer phase")
		e.phase(w.ID, "rating") // the same phase: nothing changes
		r = e.as(j.ParticipantToken, http.MethodPut, base+"/answers", map[string]any{"answers": []map[string]any{{"trend": w.Trends[0], "question": "impact", "value": 5}}})
		want(t, r, http.StatusOK, "answer")
		presenter.progressUntil(func(p api.Progress) bool {
			q := p.Trends[0].Questions["impact"]
			return q.Count == 1 && q.Counts[4] == 1 && q.Mean != nil && *q.Mean == 5 && len(q.Counts) == 5
		}, streamWait)

		// Frozen questions.
		qs := map[string]any{"questions": []map[string]string{{"key": "impact"}, {"key": "readiness"}}}
		p := wantProblems(t, patch(e.aFacilitator, qs), http.StatusConflict, "frozen questions")
		if !strings.Contains(p.Detail, "frozen") {
			t.Errorf("frozen: %q", p.Detail)
		}
		qs["override_frozen"] = true
		r = patch(e.aFacilitator, qs)
		want(t, r, http.StatusOK, "override")
		r.json(t, &w2)
		if len(w2.Questions) != 2 || !w2.QuestionsFrozen {
			t.Errorf("overridden = %+v", w2)
		}
		if !slices.Contains(e.auditActions(e.orgA.ID), "workshop.questions_override") {
			t.Errorf("the override is not in the audit log")
		}
		wantProblems(t, patch(e.aFacilitator, map[string]any{"version_id": e.private.Published.ID}), http.StatusUnprocessableEntity,
			"version after opening", "body.version_id")

		// Results on participants' screens.
		r = e.member(http.MethodPut, base+"/show-results", e.aFacilitator, map[string]bool{"show": true})
		want(t, r, http.StatusOK, "show results")
		r.json(t, &w2)
		if !w2.ShowResults {
			t.Errorf("results not shown")
		}
		// (The settings change above sent a state too.)
		stream.until(func(st api.LiveState) bool { return st.ShowResults && st.Phase == "rating" }, streamWait)
		// While results show, participants get the aggregates too.
		r = e.as(j.ParticipantToken, http.MethodPut, base+"/answers", map[string]any{"answers": []map[string]any{{"trend": w.Trends[0], "question": "impact", "value": 3}}})
		want(t, r, http.StatusOK, "answer while results show")
		stream.progressUntil(func(p api.Progress) bool {
			q := p.Trends[0].Questions["impact"]
			return q.Count == 1 && q.Counts[2] == 1
		}, streamWait)
		wantProblems(t, e.member(http.MethodPut, base+"/show-results", e.aViewer, map[string]bool{"show": false}), http.StatusForbidden, "viewer results")
		want(t, e.member(http.MethodPut, base+"/show-results", e.aFacilitator, map[string]bool{"show": false}), http.StatusOK, "hide results")
		if _, st := stream.nextState(streamWait); st.ShowResults || st.Revision <= w2.Revision {
			t.Errorf("participant state = %+v", st)
		}

		// Back one phase and forward past one; back two is refused.
		e.phase(w.ID, "lobby")
		e.phase(w.ID, "consequences")
		wantProblems(t, e.member(http.MethodPost, base+"/phase", e.aFacilitator, map[string]string{"phase": "rating"}),
			http.StatusConflict, "back two phases")

		// Ideas and moderation.
		r = e.as(j.ParticipantToken, http.MethodPost, base+"/ideas", map[string]string{"trend": w.Trends[0], "text": "Fine"})
		var fine api.Idea
		r.json(t, &fine)
		r = e.as(j.ParticipantToken, http.MethodPost, base+"/ideas", map[string]string{"trend": w.Trends[1], "text": "Abusive"})
		var bad api.Idea
		r.json(t, &bad)
		ideas := e.moderatedIdeas(w.ID)
		if len(ideas) != 2 || ideas[0].ID != fine.ID || ideas[1].Hidden || ideas[1].Text != "Abusive" {
			t.Errorf("ideas = %+v", ideas)
		}
		wantProblems(t, e.member(http.MethodPut, base+"/moderation/ideas/"+bad.ID, e.aViewer, map[string]bool{"hidden": true}), http.StatusForbidden, "viewer hides")
		r = e.member(http.MethodPut, base+"/moderation/ideas/"+bad.ID, e.aFacilitator, map[string]bool{"hidden": true})
		want(t, r, http.StatusOK, "hide")
		var hidden api.ModeratedIdea
		r.json(t, &hidden)
		if !hidden.Hidden || hidden.ID != bad.ID {
			t.Errorf("hidden = %+v", hidden)
		}
		stream.next("ideas", streamWait)
		r = e.as(j.ParticipantToken, http.MethodGet, base+"/ideas", nil)
		var visible struct{ Ideas []api.Idea }
		r.json(t, &visible)
		if len(visible.Ideas) != 1 || visible.Ideas[0].ID != fine.ID {
			t.Errorf("participants see %+v", visible.Ideas)
		}
		if ideas := e.moderatedIdeas(w.ID); len(ideas) != 2 || !ideas[1].Hidden {
			t.Errorf("moderated ideas = %+v", ideas)
		}
		want(t, e.member(http.MethodPut, base+"/moderation/ideas/"+bad.ID, e.aFacilitator, map[string]bool{"hidden": false}), http.StatusOK, "show again")
		wantProblems(t, e.member(http.MethodPut, base+"/moderation/ideas/0190f0c4-4b4e-7d2a-9a31-6f0e3c2d1b10", e.aFacilitator, map[string]bool{"hidden": true}),
			http.StatusNotFound, "unknown idea")
		actions := e.auditActions(e.orgA.ID)
		if !slices.Contains(actions, "idea.hide") || !slices.Contains(actions, "idea.show") || !slices.Contains(actions, "workshop.phase") {
			t.Errorf("audit log = %v", actions)
		}

		// Duplicate.
		r = e.member(http.MethodPost, base+"/duplicate", e.aFacilitator, nil)
		want(t, r, http.StatusCreated, "duplicate")
		var dup api.Workshop
		r.json(t, &dup)
		if dup.ID == w.ID || dup.Code == w.Code || dup.Title != "Renamed (copy)" || dup.Phase != "draft" || dup.QuestionsFrozen ||
			dup.ShowResults || len(dup.Questions) != 2 || r.header.Get("Location") != "/api/v1/workshops/"+dup.ID {
			t.Errorf("duplicate = %+v", dup)
		}
		r = e.member(http.MethodPost, base+"/duplicate?suffix=2031", e.aFacilitator, nil)
		r.json(t, &dup)
		if dup.Title != "Renamed 2031" {
			t.Errorf("duplicate title = %q", dup.Title)
		}
		wantProblems(t, e.member(http.MethodPost, base+"/duplicate", e.aViewer, nil), http.StatusForbidden, "viewer duplicates")
		if ideas := e.moderatedIdeas(dup.ID); len(ideas) != 0 {
			t.Errorf("the duplicate has ideas")
		}

		// The whole run as seen by an analyst.
		analyst := e.mustToken(e.orgA, "analyst@a.example", domain.Analyst)
		r = e.get(base, analyst)
		want(t, r, http.StatusOK, "analyst reads")
		r.json(t, &d)
		if d.Phase != "consequences" || d.Progress.Total != 1 || d.Progress.Trends[0].Questions["impact"].Count != 1 {
			t.Errorf("detail = %+v", d)
		}

		// Delete: owners only; the participant's token opens nothing after.
		wantProblems(t, e.member(http.MethodDelete, base, e.aFacilitator, nil), http.StatusForbidden, "facilitator deletes")
		want(t, e.member(http.MethodDelete, base, e.aOwner, nil), http.StatusNoContent, "owner deletes")
		want(t, e.get(base, e.aOwner), http.StatusNotFound, "deleted")
		wantProblems(t, e.as(j.ParticipantToken, http.MethodGet, base+"/state", nil), http.StatusNotFound, "state of a deleted workshop")
		want(t, e.member(http.MethodDelete, base, e.aOwner, nil), http.StatusNotFound, "delete again")
	})
}

// TestWorkshopOperationsDocumented ensures the OpenAPI document lists every
// workshop and participant operation with its security scheme, and both
// live streams as text/event-stream responses whose events name their
// data schemas.
func TestWorkshopOperationsDocumented(t *testing.T) {
	e := newEnv(t, storetest.Open(t, storetest.SQLite))
	r := e.get("/api/v1/openapi.json", "")
	want(t, r, http.StatusOK, "openapi.json")
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string                `json:"operationId"`
			Security    []map[string][]string `json:"security"`
			Responses   map[string]struct {
				Content map[string]struct {
					Schema struct {
						Items struct {
							OneOf []struct {
								Properties struct {
									Event struct{ Enum []string } `json:"event"`
									Data  struct {
										Ref string `json:"$ref"`
									} `json:"data"`
								} `json:"properties"`
							} `json:"oneOf"`
						} `json:"items"`
					} `json:"schema"`
				} `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	r.json(t, &doc)
	ops := []struct{ method, path, auth string }{
		{"get", "/api/v1/workshops", "bearer"},
		{"post", "/api/v1/workshops", "bearer"},
		{"get", "/api/v1/workshops/{id}", "bearer"},
		{"patch", "/api/v1/workshops/{id}", "bearer"},
		{"delete", "/api/v1/workshops/{id}", "bearer"},
		{"post", "/api/v1/workshops/{id}/duplicate", "bearer"},
		{"post", "/api/v1/workshops/{id}/phase", "bearer"},
		{"put", "/api/v1/workshops/{id}/show-results", "bearer"},
		{"get", "/api/v1/workshops/{id}/moderation/ideas", "bearer"},
		{"put", "/api/v1/workshops/{id}/moderation/ideas/{idea}", "bearer"},
		{"get", "/api/v1/workshops/{id}/presenter/events", "bearer"},
		{"get", "/api/v1/workshops/{id}/analysis", "bearer"},
		{"put", "/api/v1/workshops/{id}/priority-decisions/{trend}", "bearer"},
		{"delete", "/api/v1/workshops/{id}/priority-decisions/{trend}", "bearer"},
		{"post", "/api/v1/join", ""},
		{"get", "/api/v1/workshops/{id}/state", "participant"},
		{"put", "/api/v1/workshops/{id}/answers", "participant"},
		{"put", "/api/v1/workshops/{id}/tensions/{key}", "participant"},
		{"get", "/api/v1/workshops/{id}/ideas", "participant"},
		{"post", "/api/v1/workshops/{id}/ideas", "participant"},
		{"put", "/api/v1/workshops/{id}/ideas/{idea}/upvote", "participant"},
		{"delete", "/api/v1/workshops/{id}/ideas/{idea}/upvote", "participant"},
		{"put", "/api/v1/workshops/{id}/dots", "participant"},
		{"get", "/api/v1/workshops/{id}/events", "participant"},
	}
	for _, o := range ops {
		op, ok := doc.Paths[o.path][o.method]
		if !ok {
			t.Errorf("%s %s is not in the document", o.method, o.path)
			continue
		}
		if o.auth == "" && len(op.Security) != 0 || o.auth != "" && (len(op.Security) != 1 || op.Security[0][o.auth] == nil) {
			t.Errorf("%s %s: security %v, want %q", o.method, o.path, op.Security, o.auth)
		}
	}
	for path, events := range map[string][]string{
		"/api/v1/workshops/{id}/events":           {"ideas", "progress", "reset", "state"},
		"/api/v1/workshops/{id}/presenter/events": {"ideas", "progress", "reset", "state"},
	} {
		content := doc.Paths[path]["get"].Responses["200"].Content
		es, ok := content["text/event-stream"]
		if !ok || len(content) != 1 {
			t.Errorf("%s: 200 is not text/event-stream: %v", path, content)
			continue
		}
		var got []string
		for _, k := range es.Schema.Items.OneOf {
			if len(k.Properties.Event.Enum) != 1 || k.Properties.Data.Ref == "" {
				t.Errorf("%s: event %+v has no name or data schema", path, k)
				continue
			}
			got = append(got, k.Properties.Event.Enum[0])
		}
		slices.Sort(got)
		if !slices.Equal(got, events) {
			t.Errorf("%s: events %v, want %v", path, got, events)
		}
	}
	if len(e.api.Operations()) < 16+len(ops) {
		t.Errorf("%d operations registered", len(e.api.Operations()))
	}
}
