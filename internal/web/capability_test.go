package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/apptest"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
	"github.com/waymark/waymark/internal/store"
	"github.com/waymark/waymark/internal/store/storetest"
)

// capabilityStarter is the starter library with capability areas.
const capabilityStarter = "public-sector-digital"

// capFixture is organisation alpha with an owner, an analyst and a viewer
// signed in, the starter library with capability areas, and a round over
// its published version.
type capFixture struct {
	env                    *apptest.Env
	org                    *domain.Organisation
	owner, analyst, viewer *apptest.Client
	ownerActor             domain.Actor
	analystActor           domain.Actor
	versionID              string
	round                  *domain.AssessmentRound
	base                   string
}

func newCapFixture(t *testing.T, db *store.DB) *capFixture {
	t.Helper()
	ctx := context.Background()
	env := apptest.Start(t, db)
	f := &capFixture{env: env, org: env.Org("alpha")}
	owner := env.User("owner@alpha.example", f.org, domain.Owner)
	analyst := env.User("analyst@alpha.example", f.org, domain.Analyst)
	env.User("viewer@alpha.example", f.org, domain.Viewer)
	f.ownerActor = domain.Actor{UserID: owner.ID, OrgID: f.org.ID, Role: domain.Owner}
	f.analystActor = domain.Actor{UserID: analyst.ID, OrgID: f.org.ID, Role: domain.Analyst}
	lib, err := env.Svc.InstallStarter(ctx, f.ownerActor, capabilityStarter)
	if err != nil {
		t.Fatal(err)
	}
	_, versions, err := env.Svc.Library(ctx, f.ownerActor, lib.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.versionID = versions[0].ID
	f.round = &domain.AssessmentRound{Title: "Capabilities 2026", VersionID: f.versionID}
	if err := env.Svc.CreateAssessmentRound(ctx, f.ownerActor, f.round, ""); err != nil {
		t.Fatal(err)
	}
	// The round starts with the starter library's demand links; the tests
	// here start from a round whose links the organisation has cleared.
	if p, err := env.Svc.CapabilityProfile(ctx, f.ownerActor, f.round.ID); err != nil || len(p.Demand) == 0 {
		t.Fatalf("the round did not start with the library's demand links: %v", err)
	}
	if err := env.Svc.SetDemandLinks(ctx, f.ownerActor, f.round.ID, nil); err != nil {
		t.Fatal(err)
	}
	f.base = "/o/alpha/capabilities/" + f.round.ID
	f.owner = env.SignedIn("owner@alpha.example")
	f.analyst = env.SignedIn("analyst@alpha.example")
	f.viewer = env.SignedIn("viewer@alpha.example")
	return f
}

func (f *capFixture) profileOf(t *testing.T, a domain.Actor) (mine map[string]domain.Assessment, demand []domain.DemandLink) {
	t.Helper()
	p, err := f.env.Svc.CapabilityProfile(context.Background(), a, f.round.ID)
	if err != nil {
		t.Fatal(err)
	}
	return p.Mine, p.Demand
}

func capWantBody(t *testing.T, res *apptest.Response, what string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(res.Body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func capWantStatus(t *testing.T, res *apptest.Response, status int, what string) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.StatusCode, status, res.Body)
	}
}

var capSVG = regexp.MustCompile(`<svg class="wm-svg" id="(profile|gaps)-chart"[^>]*role="img" aria-labelledby="(profile|gaps)-heading (profile|gaps)-summary"`)

// Ensures the list and a round's pages render for the owner, with the form
// that starts a round, the profile and gaps views each with a summary,
// a chart and a table, the assessment form and the editors' links; that a
// viewer reads the same pages without any form or editor link and is
// refused the editors' pages; and that the owner starts a round in the
// browser and a bad one gets 422 with the messages.
func TestCapabilityPages(t *testing.T) {
	f := newCapFixture(t, storetest.Open(t, storetest.SQLite))
	list := f.owner.Get("/o/alpha/capabilities")
	capWantStatus(t, list, http.StatusOK, "owner list")
	capWantBody(t, list, "owner list", "Capabilities 2026", `name="version" type="radio" value="`+f.versionID+`"`,
		"Public sector digital trends — version 1, 5 capability areas", "Start the round", `role="region" aria-labelledby="rounds-caption" tabindex="0"`,
		"Do not copy: start with the library version", "A round starts with the demand links of its library version.")

	page := f.owner.Get(f.base)
	capWantStatus(t, page, http.StatusOK, "owner round page")
	capWantBody(t, page, "owner round page", `id="profile-summary"`, `id="gaps-summary"`, "Nobody has assessed this round yet.",
		"No trend demands a capability area yet", `id="profile-caption"`, "Place-based leadership", `name="current:innovation"`,
		`name="evidence:data-sharing-standards"`, f.base+"/demand", f.base+"/edit", "Save your assessment",
		"Digital is planned organisation by organisation")
	if n := len(capSVG.FindAllString(page.Body, -1)); n != 1 {
		t.Errorf("%d charts before any demand link, want the profile only", n)
	}

	view := f.viewer.Get(f.base)
	capWantStatus(t, view, http.StatusOK, "viewer round page")
	capWantBody(t, view, "viewer round page", `id="profile-summary"`, "Which trends demand which capabilities")
	for _, not := range []string{`name="current:`, f.base + "/edit", "Save your assessment", `action="` + f.base + `/assessment"`} {
		if strings.Contains(view.Body, not) {
			t.Errorf("the viewer's page has %q", not)
		}
	}
	if l := f.viewer.Get("/o/alpha/capabilities"); l.StatusCode != http.StatusOK || strings.Contains(l.Body, "Start the round") {
		t.Errorf("viewer list: status %d, form shown: %v", l.StatusCode, strings.Contains(l.Body, "Start the round"))
	}
	demand := f.viewer.Get(f.base + "/demand")
	capWantStatus(t, demand, http.StatusOK, "viewer demand page")
	if strings.Contains(demand.Body, "<select") || !strings.Contains(demand.Body, `id="demand-caption"`) {
		t.Error("the viewer's demand page is not a read-only table")
	}
	capWantStatus(t, f.viewer.Get(f.base+"/edit"), http.StatusForbidden, "viewer edit form")
	capWantStatus(t, f.viewer.PostForm(f.base+"/assessment", url.Values{"current:innovation": {"2"}, "target:innovation": {"4"}}), http.StatusForbidden, "viewer assessing")
	capWantStatus(t, f.viewer.PostForm(f.base+"/demand", url.Values{"d:artificial-intelligence:innovation": {"3"}}), http.StatusForbidden, "viewer demand")
	capWantStatus(t, f.viewer.PostForm(f.base+"/delete", nil), http.StatusForbidden, "viewer delete")
	capWantStatus(t, f.viewer.PostForm("/o/alpha/capabilities", url.Values{"title": {"Mine"}, "version": {f.versionID}}), http.StatusForbidden, "viewer create")

	bad := f.owner.PostForm("/o/alpha/capabilities", url.Values{"title": {"  "}, "version": {f.versionID}, "copy_demand_from": {"no-such-round"}})
	capWantStatus(t, bad, http.StatusUnprocessableEntity, "bad round")
	capWantBody(t, bad, "bad round", `href="#round-title"`, `href="#copy-demand-from"`, "govuk-error-summary", "<title>Error: ")
	res := f.owner.PostForm("/o/alpha/capabilities", url.Values{"title": {"Capabilities 2027"}, "version": {f.versionID},
		"copy_demand_from": {f.round.ID}})
	capWantStatus(t, res, http.StatusSeeOther, "start a round")
	next := f.owner.Get(res.Header.Get("Location"))
	capWantBody(t, next, "new round", "Capabilities 2027", "has started")
	if rs, _ := f.env.Svc.AssessmentRounds(context.Background(), f.ownerActor); len(rs) != 2 {
		t.Errorf("%d rounds, want 2", len(rs))
	}
}

// Ensures an analyst saves an assessment and sees it with a flash and in
// the profile, and that a bad assessment — a missing target, a level out
// of range, evidence that is too long — answers 422 with every message
// beside its input and in the summary, and changes nothing.
func TestCapabilityAssessment(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newCapFixture(t, db)
		res := f.analyst.PostForm(f.base+"/assessment", url.Values{
			"current:innovation": {"2"}, "target:innovation": {"4"}, "evidence:innovation": {"Two pilots a year"},
			"current:data-sharing-standards": {"1"}, "target:data-sharing-standards": {"3"},
		})
		capWantStatus(t, res, http.StatusSeeOther, "save")
		page := f.analyst.Get(res.Header.Get("Location"))
		capWantBody(t, page, "after saving", "Your assessment of 2 capability areas has been saved.", "1 person has assessed this round.",
			"Largest gap: Innovation, now 2.0, target 4.0 (gap 2.0).", "Two pilots a year", `value="2" checked`, "Withdraw")
		mine, _ := f.profileOf(t, f.analystActor)
		if len(mine) != 2 || mine["innovation"].Current != 2 || mine["innovation"].Target != 4 || mine["innovation"].Evidence != "Two pilots a year" {
			t.Fatalf("saved %+v", mine)
		}

		bad := f.analyst.PostForm(f.base+"/assessment", url.Values{
			"current:innovation": {"5"}, "target:innovation": {""}, "evidence:innovation": {"Changed"},
			"current:data-sharing-standards": {"1"}, "target:data-sharing-standards": {"9"},
			"current:community-resilience": {"3"}, "target:community-resilience": {"3"}, "evidence:community-resilience": {strings.Repeat("x", domain.MaxEvidenceLen+1)},
		})
		capWantStatus(t, bad, http.StatusUnprocessableEntity, "bad assessment")
		capWantBody(t, bad, "bad assessment", "govuk-error-summary",
			`href="#target-innovation-1"`, "Choose where the organisation needs to be on Innovation",
			`href="#target-data-sharing-standards-1"`, "Choose a level from 1 to 5 for where the organisation needs to be on Standards for data sharing",
			`href="#evidence-community-resilience"`, "The evidence on Community resilience must be 2000 characters or fewer",
			`id="target-innovation-error"`, "Changed</textarea>")
		after, _ := f.profileOf(t, f.analystActor)
		if len(after) != 2 || after["innovation"].Current != 2 || after["innovation"].Evidence != "Two pilots a year" {
			t.Errorf("a rejected assessment changed the answers: %+v", after)
		}
		empty := f.analyst.PostForm(f.base+"/assessment", url.Values{})
		capWantStatus(t, empty, http.StatusUnprocessableEntity, "empty assessment")
		capWantBody(t, empty, "empty assessment", "Choose the levels of at least one capability area")

		res = f.analyst.PostForm(f.base+"/assessment/withdraw", url.Values{"area": {"innovation"}})
		capWantStatus(t, res, http.StatusSeeOther, "withdraw")
		capWantBody(t, f.analyst.Get(f.base), "after withdrawing", "Your answer on Innovation has been withdrawn.")
		if mine, _ := f.profileOf(t, f.analystActor); len(mine) != 1 {
			t.Errorf("after withdrawing: %+v", mine)
		}
	})
}

// Ensures an owner sets demand links in the editor at once, the gaps view
// then shows the trend's readiness gap with a chart and a table, a level
// outside 0–3 answers 422 with its message and saves nothing, and a viewer
// cannot change them.
func TestCapabilityDemandLinks(t *testing.T) {
	f := newCapFixture(t, storetest.Open(t, storetest.SQLite))
	ctx := context.Background()
	if err := f.env.Svc.SaveMyAssessments(ctx, f.analystActor, f.round.ID, []domain.Assessment{
		{AreaKey: "innovation", Current: 1, Target: 4}, {AreaKey: "data-sharing-standards", Current: 2, Target: 3}}); err != nil {
		t.Fatal(err)
	}
	form := f.owner.Get(f.base + "/demand")
	capWantStatus(t, form, http.StatusOK, "demand editor")
	capWantBody(t, form, "demand editor", `name="d:artificial-intelligence:innovation"`, `id="d-harnessing-data-data-sharing-standards"`,
		"3 – strongly", "Save the demand links")
	res := f.owner.PostForm(f.base+"/demand", url.Values{
		"d:artificial-intelligence:innovation":             {"3"},
		"d:artificial-intelligence:data-sharing-standards": {"1"},
		"d:harnessing-data:data-sharing-standards":         {"2"},
		"d:harnessing-data:community-resilience":           {"2"},
	})
	capWantStatus(t, res, http.StatusSeeOther, "save demand")
	page := f.owner.Get(res.Header.Get("Location"))
	capWantBody(t, page, "after demand", "The demand links have been saved.", "Largest readiness gap: Artificial intelligence, 10.0 of at most 16. 2 trends have a gap.",
		`id="gaps-caption"`, "3 × 3.0 = 9.0", "Trends that demand no capability area:")
	if n := len(capSVG.FindAllString(page.Body, -1)); n != 2 {
		t.Errorf("%d charts, want the profile and the gaps", n)
	}
	_, demand := f.profileOf(t, f.ownerActor)
	link := func(trend, area string, level int) domain.DemandLink {
		return domain.DemandLink{TrendKey: trend, AreaKey: area, Level: level}
	}
	want := []domain.DemandLink{link("artificial-intelligence", "data-sharing-standards", 1), link("artificial-intelligence", "innovation", 3),
		link("harnessing-data", "community-resilience", 2), link("harnessing-data", "data-sharing-standards", 2)}
	if !slices.Equal(demand, want) {
		t.Fatalf("demand = %+v", demand)
	}

	bad := f.owner.PostForm(f.base+"/demand", url.Values{"d:artificial-intelligence:innovation": {"7"}, "d:harnessing-data:innovation": {"3"}})
	capWantStatus(t, bad, http.StatusUnprocessableEntity, "bad demand")
	capWantBody(t, bad, "bad demand", `href="#d-artificial-intelligence-innovation"`, "Choose a demand from 0 to 3 for Artificial intelligence on Innovation",
		`id="d-artificial-intelligence-innovation-error"`)
	if _, after := f.profileOf(t, f.ownerActor); !slices.Equal(after, want) {
		t.Errorf("a rejected demand changed the links: %+v", after)
	}
}

// Ensures the round's pages read in Swedish, with the library's Swedish
// texts.
func TestCapabilitySwedish(t *testing.T) {
	f := newCapFixture(t, storetest.Open(t, storetest.SQLite))
	capWantStatus(t, f.owner.PostForm("/lang", url.Values{"lang": {"sv"}, "return_to": {f.base}}), http.StatusSeeOther, "choose Swedish")
	page := f.owner.Get(f.base)
	capWantStatus(t, page, http.StatusOK, "Swedish page")
	capWantBody(t, page, "Swedish page", `<html lang="sv"`, "Förmågeprofil", "Beredskapsgap per trend", "Din bedömning",
		"Platsbaserat ledarskap", "Var är vi i dag?", "Ingen har bedömt i den här omgången ännu.")
	for _, p := range []string{"/o/alpha/capabilities", f.base + "/demand", f.base + "/edit"} {
		res := f.owner.Get(p)
		capWantStatus(t, res, http.StatusOK, p)
		if strings.Contains(res.Body, "capability.") {
			t.Errorf("%s shows an untranslated message id", p)
		}
	}
	capWantBody(t, f.owner.Get(f.base+"/demand"), "Swedish demand page", "Kravkopplingar", "3 – starkt")
}

// Ensures an owner renames a round (an empty title answers 422) and
// deletes it.
func TestCapabilityEditAndDelete(t *testing.T) {
	f := newCapFixture(t, storetest.Open(t, storetest.SQLite))
	capWantStatus(t, f.owner.Get(f.base+"/edit"), http.StatusOK, "edit form")
	bad := f.owner.PostForm(f.base+"/edit", url.Values{"title": {""}})
	capWantStatus(t, bad, http.StatusUnprocessableEntity, "empty title")
	capWantBody(t, bad, "empty title", `href="#round-title"`, "is required")
	capWantStatus(t, f.owner.PostForm(f.base+"/edit", url.Values{"title": {"Renamed round"}, "description": {"Spring"}}), http.StatusSeeOther, "rename")
	capWantBody(t, f.owner.Get(f.base), "renamed", "Renamed round", "Spring", "The assessment round has been saved.")
	res := f.owner.PostForm(f.base+"/delete", nil)
	capWantStatus(t, res, http.StatusSeeOther, "delete")
	if res.Header.Get("Location") != "/o/alpha/capabilities" {
		t.Errorf("after delete: Location %q", res.Header.Get("Location"))
	}
	capWantBody(t, f.owner.Get("/o/alpha/capabilities"), "after delete", "has been deleted", "There are no assessment rounds yet.")
	capWantStatus(t, f.owner.Get(f.base), http.StatusNotFound, "deleted round")
}

func init() { isolationAreas = append(isolationAreas, capabilityIsolation) }

// capabilityIsolation gives organisation A a round with an answer and a
// demand link, the cases of the capability routes, and checks at the end
// that nothing of it changed.
func capabilityIsolation(t *testing.T, f *tenantFixture) map[string]isolationCase {
	ctx := context.Background()
	a := domain.Actor{UserID: f.aUser.ID, OrgID: f.a.ID, Role: domain.Owner}
	svc := f.env.Svc
	lib, err := svc.InstallStarter(ctx, a, capabilityStarter)
	if err != nil {
		t.Fatal(err)
	}
	_, versions, err := svc.Library(ctx, a, lib.ID)
	if err != nil {
		t.Fatal(err)
	}
	round := &domain.AssessmentRound{Title: "Alpha capabilities", VersionID: versions[0].ID}
	if err := svc.CreateAssessmentRound(ctx, a, round, ""); err != nil {
		t.Fatal(err)
	}
	if err := svc.SaveMyAssessments(ctx, a, round.ID, []domain.Assessment{{AreaKey: "innovation", Current: 2, Target: 4, Evidence: "Alpha's"}}); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetDemandLinks(ctx, a, round.ID, []domain.DemandLink{{TrendKey: "artificial-intelligence", AreaKey: "innovation", Level: 2}}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		rs, err := svc.AssessmentRounds(ctx, a)
		if err != nil || len(rs) != 1 || rs[0].Title != "Alpha capabilities" || rs[0].Assessors != 1 {
			t.Errorf("A's rounds changed: %+v %v", rs, err)
			return
		}
		p, err := svc.CapabilityProfile(ctx, a, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Assessments) != 1 || p.Assessments[0].Current != 2 || p.Assessments[0].Evidence != "Alpha's" {
			t.Errorf("A's answers changed: %+v", p.Assessments)
		}
		if len(p.Demand) != 1 || p.Demand[0].Level != 2 {
			t.Errorf("A's demand links changed: %+v", p.Demand)
		}
	})
	id := map[string]string{"id": round.ID}
	return map[string]isolationCase{
		"GET /o/{org}/capabilities":                           {},
		"POST /o/{org}/capabilities":                          {form: url.Values{"title": {"Stolen"}, "version": {versions[0].ID}}},
		"GET /o/{org}/capabilities/{id}":                      {params: id},
		"POST /o/{org}/capabilities/{id}/assessment":          {params: id, form: url.Values{"current:innovation": {"5"}, "target:innovation": {"5"}}},
		"POST /o/{org}/capabilities/{id}/assessment/withdraw": {params: id, form: url.Values{"area": {"innovation"}}},
		"GET /o/{org}/capabilities/{id}/demand":               {params: id},
		"POST /o/{org}/capabilities/{id}/demand":              {params: id, form: url.Values{"d:artificial-intelligence:innovation": {"0"}}},
		"GET /o/{org}/capabilities/{id}/edit":                 {params: id},
		"POST /o/{org}/capabilities/{id}/edit":                {params: id, form: url.Values{"title": {"Stolen"}}},
		"POST /o/{org}/capabilities/{id}/delete":              {params: id},
	}
}

// Ensures the demo's assessment round starts with the demand links of its
// starter library, so its round page shows readiness gaps at once.
func TestDemoRoundUsesLibraryDemand(t *testing.T) {
	env, owner, _, _ := demoResults(t)
	ctx := context.Background()
	org, err := env.DB.OrgBySlug(ctx, service.DemoOrgSlug)
	if err != nil {
		t.Fatal(err)
	}
	rounds, err := env.DB.AssessmentRounds(ctx, org.ID)
	if err != nil || len(rounds) != 1 {
		t.Fatalf("demo rounds: %d, %v", len(rounds), err)
	}
	sys := domain.System(org.ID)
	p, err := env.Svc.CapabilityProfile(ctx, sys, rounds[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := p.Version.DemandLinks(); len(want) == 0 || !slices.Equal(p.Demand, want) {
		t.Errorf("demo round links %v, want the library's %v", p.Demand, want)
	}
	page := owner.Get("/o/demo/capabilities/" + rounds[0].ID)
	capWantStatus(t, page, http.StatusOK, "demo round page")
	capWantBody(t, page, "demo round page", `id="gaps-caption"`, "Largest readiness gap: ")
}
