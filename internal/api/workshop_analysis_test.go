package api_test

import (
	"net/http"
	"testing"

	"github.com/waymark/waymark/internal/store"
	"github.com/waymark/waymark/internal/store/storetest"
)

// Ensures a member reads a workshop's analysis as waymark.results/v1 in
// either language; a facilitator pins a trend with a reason (first in the
// ranking), a pin without a reason gets 422 and a viewer's 403, and
// taking the pin back restores the ranking.
func TestWorkshopAnalysis(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		w := e.createWorkshop(nil)
		base := "/api/v1/workshops/" + w.ID
		e.phase(w.ID, "lobby")
		j := e.join(w.Code, "managers")
		e.phase(w.ID, "rating")
		last := w.Trends[len(w.Trends)-1]
		want(t, e.as(j.ParticipantToken, http.MethodPut, base+"/answers", map[string]any{"answers": []map[string]any{
			{"trend": w.Trends[0], "question": "impact", "value": 5}, {"trend": last, "question": "impact", "value": 1}}}), http.StatusOK, "answers")

		type ranked struct {
			Key      string `json:"key"`
			Standing string `json:"standing"`
			Decision *struct {
				Kind   string `json:"kind"`
				Reason string `json:"reason"`
			} `json:"decision"`
		}
		var doc struct {
			Format   string   `json:"format"`
			Language string   `json:"language"`
			Ranking  []ranked `json:"ranking"`
		}
		r := e.get(base+"/analysis", e.aViewer)
		want(t, r, http.StatusOK, "analysis")
		r.json(t, &doc)
		if doc.Format != "waymark.results/v1" || doc.Language != "en" || len(doc.Ranking) != len(w.Trends) {
			t.Fatalf("analysis = %+v", doc)
		}
		want(t, e.get(base+"/analysis?lang=sv", e.aViewer), http.StatusOK, "analysis in Swedish")
		wantProblems(t, e.get(base+"/analysis?lang=de", e.aViewer), http.StatusUnprocessableEntity, "unknown language", "query.lang")

		pin := base + "/priority-decisions/" + last
		wantProblems(t, e.member(http.MethodPut, pin, e.aFacilitator, map[string]string{"kind": "pin", "reason": " "}),
			http.StatusUnprocessableEntity, "pin without a reason", "body.reason")
		wantProblems(t, e.member(http.MethodPut, pin, e.aViewer, map[string]string{"kind": "pin", "reason": "Mine"}), http.StatusForbidden, "viewer pins")
		wantProblems(t, e.member(http.MethodPut, base+"/priority-decisions/no-such-trend", e.aFacilitator, map[string]string{"kind": "pin", "reason": "x"}),
			http.StatusUnprocessableEntity, "unknown trend", "path.trend")
		want(t, e.member(http.MethodPut, pin, e.aFacilitator, map[string]string{"kind": "pin", "reason": "The board's choice – åäö"}), http.StatusNoContent, "pin")
		e.get(base+"/analysis", e.aViewer).json(t, &doc)
		if got := doc.Ranking[0]; got.Key != last || got.Standing != "pinned" || got.Decision == nil || got.Decision.Reason != "The board's choice – åäö" {
			t.Errorf("first after pinning = %+v", got)
		}
		want(t, e.member(http.MethodDelete, pin, e.aFacilitator, nil), http.StatusNoContent, "clear")
		doc.Ranking = nil // decode afresh: json keeps fields absent from the new document
		e.get(base+"/analysis", e.aViewer).json(t, &doc)
		if doc.Ranking[0].Key == last || doc.Ranking[0].Decision != nil {
			t.Errorf("the cleared pin still leads the ranking: %+v", doc.Ranking[0])
		}
	})
}
