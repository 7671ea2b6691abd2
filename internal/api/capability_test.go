package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/api"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/store"
	"github.com/waymark/waymark/internal/store/storetest"
)

// capStarter is the starter library with capability areas.
const capStarter = "public-sector-digital"

// sortedLocations returns the locations of a problem document's errors,
// sorted.
func sortedLocations(p problem) []string {
	out := locations(p)
	slices.Sort(out)
	return out
}

// capRound starts a round over the capability starter as A's
// facilitator.
func (e *env) capRound(title string) api.AssessmentRound {
	e.t.Helper()
	r := e.member(http.MethodPost, "/api/v1/assessment-rounds", e.aFacilitator,
		map[string]any{"title": title, "version_id": e.starterVersion(capStarter)})
	want(e.t, r, http.StatusCreated, "create round")
	var round api.AssessmentRound
	r.json(e.t, &round)
	return round
}

func (e *env) capProfile(id, token string) api.CapabilityProfile {
	e.t.Helper()
	r := e.get("/api/v1/assessment-rounds/"+id, token)
	want(e.t, r, http.StatusOK, "profile")
	var p api.CapabilityProfile
	r.json(e.t, &p)
	return p
}

func capArea(p api.CapabilityProfile, key string) api.CapabilityAreaResult {
	for _, a := range p.Areas {
		if a.Key == key {
			return a
		}
	}
	return api.CapabilityAreaResult{}
}

// Ensures rounds are started, listed and read through the API; owners,
// facilitators and analysts record their own assessment and viewers may
// not; owners and facilitators set demand links and others may not; the
// profile has the spread per area and the readiness gaps largest first;
// a new round copies an earlier round's demand links; and bad input
// answers 422 with body.* locations and changes nothing.
func TestCapabilityAPI(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		analyst := e.mustToken(e.orgA, "analyst@a.example", domain.Analyst)
		version := e.starterVersion(capStarter)

		// Start a round.
		want(t, e.member(http.MethodPost, "/api/v1/assessment-rounds", e.aViewer, map[string]any{"title": "R", "version_id": version}),
			http.StatusForbidden, "viewer starts a round")
		r := e.member(http.MethodPost, "/api/v1/assessment-rounds", e.aFacilitator, map[string]any{"title": " ", "version_id": "no-such-version",
			"copy_demand_from": "no-such-round"})
		want(t, r, http.StatusUnprocessableEntity, "bad round")
		if got := sortedLocations(r.problem(t)); !slices.Equal(got, []string{"body.copy_demand_from", "body.title", "body.version_id"}) {
			t.Errorf("bad round: locations %v", got)
		}
		r = e.member(http.MethodPost, "/api/v1/assessment-rounds", e.aFacilitator, map[string]any{"title": "Capabilities 2026", "version_id": version})
		want(t, r, http.StatusCreated, "start a round")
		var round api.AssessmentRound
		r.json(t, &round)
		if r.header.Get("Location") != "/api/v1/assessment-rounds/"+round.ID || round.VersionID != version || round.Title != "Capabilities 2026" {
			t.Errorf("round = %+v, Location %q", round, r.header.Get("Location"))
		}
		base := "/api/v1/assessment-rounds/" + round.ID
		var list api.AssessmentRoundList
		r = e.get("/api/v1/assessment-rounds", e.aViewer)
		want(t, r, http.StatusOK, "list")
		r.json(t, &list)
		if len(list.Rounds) != 1 || list.Rounds[0].ID != round.ID || list.Rounds[0].Assessors != 0 || list.Rounds[0].LastAnswerAt != nil {
			t.Errorf("list = %+v", list.Rounds)
		}

		// Assess.
		mine := map[string]any{"assessments": []map[string]any{
			{"area": "innovation", "current": 1, "target": 4, "evidence": "Two pilots"},
			{"area": "data-sharing-standards", "current": 2, "target": 3},
		}}
		want(t, e.member(http.MethodPut, base+"/my-assessments", e.aViewer, mine), http.StatusForbidden, "viewer assesses")
		r = e.member(http.MethodPut, base+"/my-assessments", e.aOwner, mine)
		want(t, r, http.StatusOK, "owner assesses")
		want(t, e.member(http.MethodPut, base+"/my-assessments", analyst, map[string]any{"assessments": []map[string]any{
			{"area": "innovation", "current": 3, "target": 4}}}), http.StatusOK, "analyst assesses")
		p := e.capProfile(round.ID, e.aOwner)
		inn := capArea(p, "innovation")
		if p.Assessors != 2 || inn.Current.Count != 2 || *inn.Current.Mean != 2 || *inn.Current.SD != 1 || *inn.Current.Min != 1 || *inn.Current.Max != 3 ||
			*inn.Target.Mean != 4 || inn.Gap == nil || *inn.Gap != 2 || len(inn.Levels) != 5 || inn.Name.SV != "Innovation" {
			t.Errorf("innovation = %+v", inn)
		}
		if pl := capArea(p, "place-based-leadership"); pl.Assessed || pl.Gap != nil || pl.Current.Mean != nil || pl.Current.Count != 0 {
			t.Errorf("an unassessed area = %+v", pl)
		}
		own := 0
		for _, x := range p.Assessments {
			if x.Mine {
				own++
				if x.Area == "innovation" && x.Evidence != "Two pilots" {
					t.Errorf("evidence = %q", x.Evidence)
				}
			}
		}
		if own != 2 || len(p.Assessments) != 3 {
			t.Errorf("%d answers, %d of them the owner's", len(p.Assessments), own)
		}

		// Bad answers change nothing.
		before := e.get(base, e.aOwner).body
		r = e.member(http.MethodPut, base+"/my-assessments", e.aOwner, map[string]any{"assessments": []map[string]any{
			{"area": "no-such-area", "current": 0, "target": 6, "evidence": strings.Repeat("x", domain.MaxEvidenceLen+1)},
			{"area": "innovation", "current": 5, "target": 5},
		}})
		want(t, r, http.StatusUnprocessableEntity, "bad answers")
		if got := sortedLocations(r.problem(t)); !slices.Equal(got, []string{"body.assessments[0].area", "body.assessments[0].current",
			"body.assessments[0].evidence", "body.assessments[0].target"}) {
			t.Errorf("bad answers: locations %v", got)
		}
		r = e.member(http.MethodPut, base+"/my-assessments", e.aOwner, `{"assessments":[{"area":"innovation","current":2}]}`)
		want(t, r, http.StatusUnprocessableEntity, "an answer without a target")
		if got := sortedLocations(r.problem(t)); !slices.Equal(got, []string{"body.assessments[0].target"}) {
			t.Errorf("missing target: locations %v", got)
		}
		want(t, e.member(http.MethodPut, base+"/my-assessments", e.aOwner, `{"assessments":[]}`), http.StatusUnprocessableEntity, "no answers")
		if after := e.get(base, e.aOwner).body; !sameJSON(t, before, after) {
			t.Errorf("rejected answers changed the round")
		}

		// Demand links.
		demand := map[string]any{"demand": []map[string]any{
			{"trend": "artificial-intelligence", "area": "innovation", "level": 3},
			{"trend": "harnessing-data", "area": "data-sharing-standards", "level": 2},
			{"trend": "harnessing-data", "area": "community-resilience", "level": 1},
			{"trend": "cyber-protection", "area": "innovation", "level": 0},
		}}
		want(t, e.member(http.MethodPut, base+"/demand-links", analyst, demand), http.StatusForbidden, "analyst sets demand")
		r = e.member(http.MethodPut, base+"/demand-links", e.aFacilitator, demand)
		want(t, r, http.StatusOK, "facilitator sets demand")
		r.json(t, &p)
		if len(p.Demand) != 3 || len(p.Gaps) != 10 {
			t.Fatalf("demand %+v, %d gaps", p.Demand, len(p.Gaps))
		}
		ai, hd := p.Gaps[0], p.Gaps[1]
		if ai.Trend != "artificial-intelligence" || ai.Gap != 6 || ai.MaxGap != 12 || len(ai.Parts) != 1 || ai.Parts[0].Contribution != 6 ||
			ai.Title.EN != "Artificial intelligence" {
			t.Errorf("first gap = %+v", ai)
		}
		if hd.Trend != "harnessing-data" || hd.Gap != 2 || hd.MaxGap != 12 || !slices.Equal(hd.Unassessed, []string{"community-resilience"}) {
			t.Errorf("second gap = %+v", hd)
		}
		if last := p.Gaps[9]; last.Gap != 0 || last.MaxGap != 0 || last.Parts == nil || last.Unassessed == nil {
			t.Errorf("a trend without demand = %+v", last)
		}
		before = e.get(base, e.aOwner).body
		r = e.member(http.MethodPut, base+"/demand-links", e.aOwner, map[string]any{"demand": []map[string]any{
			{"trend": "artificial-intelligence", "area": "innovation", "level": 4},
			{"trend": "no-such-trend", "area": "innovation", "level": 1},
		}})
		want(t, r, http.StatusUnprocessableEntity, "bad demand")
		if got := sortedLocations(r.problem(t)); !slices.Equal(got, []string{"body.demand[0].level", "body.demand[1].trend"}) {
			t.Errorf("bad demand: locations %v", got)
		}
		if after := e.get(base, e.aOwner).body; !sameJSON(t, before, after) {
			t.Errorf("a rejected demand changed the round")
		}

		// A new round copies the demand links.
		r = e.member(http.MethodPost, "/api/v1/assessment-rounds", e.aOwner, map[string]any{"title": "Capabilities 2027", "version_id": version,
			"copy_demand_from": round.ID})
		want(t, r, http.StatusCreated, "copy")
		var next api.AssessmentRound
		r.json(t, &next)
		if got := e.capProfile(next.ID, e.aViewer); len(got.Demand) != 3 || got.Assessors != 0 {
			t.Errorf("the copy has %d links and %d assessors", len(got.Demand), got.Assessors)
		}

		want(t, e.get("/api/v1/assessment-rounds/0190f0c4-4b4e-7d2a-9a31-6f0e3c2d1b10", e.aOwner), http.StatusNotFound, "unknown round")
		want(t, e.member(http.MethodPut, "/api/v1/assessment-rounds/nope/my-assessments", e.aViewer, mine), http.StatusNotFound, "viewer, unknown round")
	})
}
