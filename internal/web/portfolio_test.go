package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/apptest"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/i18n"
)

// pfEnv is organisation alpha with the starter library that has capability
// areas, its owner signed in, and the owner as an actor for the service.
type pfEnv struct {
	env     *apptest.Env
	org     *domain.Organisation
	owner   *apptest.Client
	actor   domain.Actor
	version string // the starter's published version
}

const pfStarter = "local-services-2035"

func pfStart(t *testing.T) *pfEnv {
	t.Helper()
	env, org, owner := start(t)
	u := mustUser(t, env, "owner@alpha.example")
	e := &pfEnv{env: env, org: org, owner: owner, actor: domain.Actor{UserID: u.ID, OrgID: org.ID, Role: domain.Owner}}
	lib, err := env.Svc.InstallStarter(context.Background(), e.actor, pfStarter)
	if err != nil {
		t.Fatal(err)
	}
	_, versions, err := env.Svc.Library(context.Background(), e.actor, lib.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.version = versions[0].ID
	return e
}

// useVersion saves the portfolio settings with the starter's version.
func (e *pfEnv) useVersion(t *testing.T) {
	t.Helper()
	p, err := e.env.Svc.Portfolio(context.Background(), e.actor)
	if err != nil {
		t.Fatal(err)
	}
	p.Settings.VersionID = e.version
	if err := e.env.Svc.SavePortfolioSettings(context.Background(), e.actor, p.Settings); err != nil {
		t.Fatal(err)
	}
}

func (e *pfEnv) initiatives(t *testing.T) []domain.Initiative {
	t.Helper()
	ins, err := e.env.Svc.Initiatives(context.Background(), e.actor)
	if err != nil {
		t.Fatal(err)
	}
	return ins
}

func (e *pfEnv) initiative(t *testing.T, id string) *domain.Initiative {
	t.Helper()
	in, err := e.env.Svc.Initiative(context.Background(), e.actor, id)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// create stores an initiative through the service.
func (e *pfEnv) create(t *testing.T, title string, status domain.InitiativeStatus, deps ...string) *domain.Initiative {
	t.Helper()
	in := &domain.Initiative{Title: title, OneOffCost: 100_000, RecurringCost: 10_000, FTE: 50, Duration: 2,
		EarliestStart: 2027, LatestStart: 2029, Status: status, DependsOn: deps, Benefits: map[string]int{"people": 3}}
	if err := e.env.Svc.CreateInitiative(context.Background(), e.actor, in); err != nil {
		t.Fatal(err)
	}
	return in
}

func pfWantBody(t *testing.T, what string, res *apptest.Response, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(res.Body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func pfWantStatus(t *testing.T, what string, res *apptest.Response, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.StatusCode, status, res.Body)
	}
}

// Ensures the settings page saves the currency, the library version and
// the benefit criteria — renamed, reweighted, removed and added — and that
// bad settings get every problem in the error summary and beside its field
// (422) with nothing saved.
func TestPortfolioSettingsPage(t *testing.T) {
	e := pfStart(t)
	ctx := context.Background()
	page := e.owner.Get("/o/alpha/portfolio/settings")
	pfWantStatus(t, "settings", page, http.StatusOK)
	pfWantBody(t, "settings", page, `value="SEK"`, `name="c0-name_en" type="text" value="Outcomes for people"`, `name="c4-key" value="equality"`,
		`name="version"`, "Local public services 2035 — version 1", `name="c5-name_en"`, `name="rows" value="7"`)

	form := url.Values{"currency": {"gbp"}, "version": {e.version}, "rows": {"7"}}
	for i, k := range []string{"people", "financial", "risk-reduction", "resilience", "equality"} {
		p := "c" + strconv.Itoa(i) + "-"
		form.Set(p+"key", k)
		form.Set(p+"name_en", k)
		form.Set(p+"weight", "1")
	}
	form.Set("c0-name_en", "Outcomes for residents")
	form.Set("c0-name_sv", "Nytta för invånare")
	form.Set("c1-weight", "2,5")
	form.Set("c4-remove", "1")
	form.Set("c5-name_en", "Climate")
	form.Set("c5-name_sv", "Klimat")
	form.Set("c5-weight", "3")
	res := e.owner.PostForm("/o/alpha/portfolio/settings", form)
	pfWantStatus(t, "save settings", res, http.StatusSeeOther)
	p, err := e.env.Svc.Portfolio(ctx, e.actor)
	if err != nil {
		t.Fatal(err)
	}
	st := p.Settings
	if st.Currency != "GBP" || st.VersionID != e.version || len(st.Criteria) != 5 {
		t.Fatalf("settings after save: %+v", st)
	}
	if c := st.Criteria[0]; c.Key != "people" || c.Name.EN != "Outcomes for residents" || c.Name.SV != "Nytta för invånare" {
		t.Errorf("renamed criterion = %+v", c)
	}
	if c := st.Criteria[1]; c.Weight != 2.5 {
		t.Errorf("reweighted criterion = %+v", c)
	}
	if c := st.Criteria[4]; c.Key != "climate" || c.Name.SV != "Klimat" || c.Weight != 3 {
		t.Errorf("new criterion = %+v", c)
	}
	if _, ok := st.Criterion("equality"); ok {
		t.Error("the removed criterion is still there")
	}
	page = e.owner.Get("/o/alpha/portfolio/settings")
	pfWantBody(t, "settings after save", page, "The portfolio settings have been saved.", `value="GBP"`, `value="2.5"`)

	// Bad input: every problem, nothing saved.
	bad := url.Values{"currency": {"pounds"}, "version": {e.version}, "rows": {"2"},
		"c0-key": {"people"}, "c0-name_en": {""}, "c0-name_sv": {""}, "c0-weight": {"lots"},
		"c1-key": {"financial"}, "c1-name_en": {"Financial"}, "c1-weight": {"500"}}
	res = e.owner.PostForm("/o/alpha/portfolio/settings", bad)
	pfWantStatus(t, "bad settings", res, http.StatusUnprocessableEntity)
	pfWantBody(t, "bad settings", res, "govuk-error-summary", `href="#currency"`, "must be a three-letter currency code",
		`href="#c0-weight"`, "Enter a number", `href="#c0-name_en"`, "is required in English or Swedish",
		`href="#c1-weight"`, "must be a number between 0 and 100", `id="c0-weight-error"`, `value="pounds"`, `value="lots"`)
	if after, _ := e.env.Svc.Portfolio(ctx, e.actor); after.Settings.Revision != st.Revision || after.Settings.Currency != "GBP" {
		t.Errorf("bad settings changed something: %+v", after.Settings)
	}
	// A draft is not a version initiatives can link to.
	draft, err := e.env.Svc.StartDraft(ctx, e.actor, p.Version.LibraryID)
	if err != nil {
		t.Fatal(err)
	}
	form.Set("version", draft.ID)
	res = e.owner.PostForm("/o/alpha/portfolio/settings", form)
	pfWantStatus(t, "draft version", res, http.StatusUnprocessableEntity)
	pfWantBody(t, "draft version", res, `href="#version"`, "is a draft; publish it first")
}

// Ensures an initiative can be created with every field, listed with its
// costs in the organisation's currency, shown, edited and deleted with a
// confirmation; that bad input is refused with every problem (422) and a
// stale form with the conflict message (409), changing nothing; and that
// an initiative others depend on cannot be deleted.
func TestInitiativePages(t *testing.T) {
	e := pfStart(t)
	e.useVersion(t)
	form := e.owner.Get("/o/alpha/initiatives/new")
	pfWantStatus(t, "new form", form, http.StatusOK)
	pfWantBody(t, "new form", form, `name="trend.ai-changes-working-life"`, `<option value="3">3 – strongly</option>`,
		`name="areas" type="checkbox" value="data-sharing-standards"`, `name="benefit.people" type="radio" value="5"`,
		`name="exclusive_group"`, `name="risk"`, `name="status"`, `<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Technology</legend>`)

	values := url.Values{"title": {"Shared data platform"}, "description": {"One place for shared data."}, "owner": {"CDO office"},
		"trend.ai-changes-working-life": {"3"}, "trend.connected-places": {"1"}, "areas": {"data-sharing-standards"},
		"one_off_cost": {"1 200 000"}, "recurring_cost": {"150,000"}, "fte": {"1,5"}, "duration": {"2"},
		"earliest_start": {"2027"}, "latest_start": {"2029"}, "exclusive_group": {"Platform"},
		"benefit.people": {"4"}, "benefit.financial": {"2"}, "risk": {"medium"}, "status": {"proposed"}}
	res := e.owner.PostForm("/o/alpha/initiatives", values)
	pfWantStatus(t, "create", res, http.StatusSeeOther)
	ins := e.initiatives(t)
	if len(ins) != 1 {
		t.Fatalf("%d initiatives", len(ins))
	}
	in := ins[0]
	if res.Header.Get("Location") != "/o/alpha/initiatives/"+in.ID {
		t.Errorf("created: location %q", res.Header.Get("Location"))
	}
	if in.Title != "Shared data platform" || in.Owner != "CDO office" || in.OneOffCost != 1_200_000 || in.RecurringCost != 150_000 ||
		in.FTE != 150 || in.Duration != 2 || in.EarliestStart != 2027 || in.LatestStart != 2029 || in.ExclusiveGroup != "Platform" ||
		in.Risk != domain.RiskMedium || in.Status != domain.StatusProposed || in.Trend("ai-changes-working-life") != 3 ||
		in.Trend("connected-places") != 1 || len(in.Trends) != 2 || len(in.Areas) != 1 || in.Benefits["people"] != 4 || in.Benefits["financial"] != 2 {
		t.Fatalf("stored: %+v", in)
	}
	show := e.owner.Get("/o/alpha/initiatives/" + in.ID)
	pfWantStatus(t, "show", show, http.StatusOK)
	pfWantBody(t, "show", show, "Shared data platform", "The initiative “Shared data platform” has been created.",
		"AI changes working life: 3 – strongly", "Standards for data sharing", "SEK\u00a01,200,000", "SEK\u00a0150,000 per year",
		"2027–2029", "Not rated", "Medium", ">6</strong>")

	list := e.owner.Get("/o/alpha/initiatives")
	pfWantStatus(t, "list", list, http.StatusOK)
	pfWantBody(t, "list", list, "Shared data platform", "CDO office", "Proposed", `wm-rag--none">Not rated`, "2027–2029",
		"SEK\u00a01,200,000", ">1.5<", ">6<", `role="region" aria-labelledby="initiatives-caption" tabindex="0"`)
	if filtered := e.owner.Get("/o/alpha/initiatives?status=approved"); !strings.Contains(filtered.Body, "Showing 0 of 1 initiatives") ||
		strings.Contains(filtered.Body, "/initiatives/"+in.ID+`"`) {
		t.Error("the status filter does not filter")
	}

	// A second initiative depends on the first, with the group offered.
	form = e.owner.Get("/o/alpha/initiatives/new")
	pfWantBody(t, "new form with others", form, `<option value="Platform">`, `name="depends_on" type="checkbox" value="`+in.ID+`"`)
	portal := e.create(t, "Citizen portal", domain.StatusProposed, in.ID)

	// Edit: the form carries the revision.
	edit := e.owner.Get("/o/alpha/initiatives/" + in.ID + "/edit")
	pfWantStatus(t, "edit form", edit, http.StatusOK)
	rev := strconv.FormatInt(in.Revision, 10)
	pfWantBody(t, "edit form", edit, `name="revision" value="`+rev+`"`, `value="Shared data platform"`, `value="1.5"`,
		`id="benefit-people-4" name="benefit.people" type="radio" value="4" checked`, `value="data-sharing-standards" checked`)
	if strings.Contains(edit.Body, `value="`+in.ID+`"`) {
		t.Error("the edit form offers the initiative as its own dependency")
	}
	values.Set("revision", rev)
	values.Set("title", "Shared data platform 2.0")
	values.Set("status", "approved")
	res = e.owner.PostForm("/o/alpha/initiatives/"+in.ID+"/edit", values)
	pfWantStatus(t, "save", res, http.StatusSeeOther)
	saved := e.initiative(t, in.ID)
	if saved.Title != "Shared data platform 2.0" || saved.Status != domain.StatusApproved || saved.Revision == in.Revision {
		t.Fatalf("saved: %+v", saved)
	}

	// The same form again is stale: refused, nothing changed.
	values.Set("title", "Overwritten")
	res = e.owner.PostForm("/o/alpha/initiatives/"+in.ID+"/edit", values)
	pfWantStatus(t, "stale form", res, http.StatusConflict)
	pfWantBody(t, "stale form", res, "has been changed by someone else meanwhile", "Open the latest version", `value="Overwritten"`)
	if now := e.initiative(t, in.ID); now.Title != saved.Title || now.Revision != saved.Revision {
		t.Errorf("a stale form changed the initiative: %+v", now)
	}

	// Bad input: every problem at its field, nothing changed.
	values.Set("revision", strconv.FormatInt(saved.Revision, 10))
	values.Set("title", " ")
	values.Set("one_off_cost", "lots")
	values.Set("fte", "1.234")
	values.Set("latest_start", "2020")
	values.Set("benefit.people", "9")
	values.Set("trend.ai-changes-working-life", "7")
	values.Set("depends_on", portal.ID)
	values.Set("exclusive_group", "Platform")
	res = e.owner.PostForm("/o/alpha/initiatives/"+in.ID+"/edit", values)
	pfWantStatus(t, "bad input", res, http.StatusUnprocessableEntity)
	pfWantBody(t, "bad input", res, `href="#title"`, "Title: is required", `href="#one_off_cost"`, "Enter a whole amount",
		`href="#fte"`, "is not a number of FTE with at most two decimals", `href="#latest_start"`, "must not be before the earliest start year",
		`href="#benefit-people"`, "must be between 0 and 5", `href="#trend-ai-changes-working-life"`, `href="#depends_on"`,
		`id="title-error"`, `value="lots"`, `value="1.234"`)
	summary := res.Body[strings.Index(res.Body, "govuk-error-summary__list"):]
	if strings.Index(summary, "#title") > strings.Index(summary, "#one_off_cost") || strings.Index(summary, "#fte") > strings.Index(summary, "#benefit-people") {
		t.Error("the error summary is not in the order of the form")
	}
	if now := e.initiative(t, in.ID); now.Revision != saved.Revision || now.Title != saved.Title {
		t.Errorf("bad input changed the initiative: %+v", now)
	}
	// A title in use is a conflict at the title.
	res = e.owner.PostForm("/o/alpha/initiatives", url.Values{"title": {"Citizen portal"}, "duration": {"1"}, "earliest_start": {"2027"}, "latest_start": {"2027"}})
	pfWantStatus(t, "taken title", res, http.StatusConflict)
	pfWantBody(t, "taken title", res, `href="#title"`, "already exists")

	// Delete: confirmation first; refused while another depends on it.
	confirm := e.owner.Get("/o/alpha/initiatives/" + in.ID + "/delete")
	pfWantStatus(t, "delete page", confirm, http.StatusOK)
	pfWantBody(t, "delete page", confirm, "This cannot be undone", "Citizen portal", `action="/o/alpha/initiatives/`+in.ID+`/delete"`)
	res = e.owner.PostForm("/o/alpha/initiatives/"+in.ID+"/delete", nil)
	pfWantStatus(t, "delete a dependency", res, http.StatusConflict)
	pfWantBody(t, "delete a dependency", res, "Citizen portal")
	res = e.owner.PostForm("/o/alpha/initiatives/"+portal.ID+"/delete", nil)
	pfWantStatus(t, "delete", res, http.StatusSeeOther)
	res = e.owner.PostForm("/o/alpha/initiatives/"+in.ID+"/delete", nil)
	pfWantStatus(t, "delete", res, http.StatusSeeOther)
	if n := len(e.initiatives(t)); n != 0 {
		t.Fatalf("%d initiatives after deleting both", n)
	}
	if res := e.owner.Get("/o/alpha/initiatives/" + in.ID); res.StatusCode != http.StatusNotFound {
		t.Errorf("deleted initiative: status %d", res.StatusCode)
	}
}

var pfMilestoneRowsRe = regexp.MustCompile(`name="rows" value="(\d+)"`)

// Ensures the tracking page changes status, RAG and milestones without
// JavaScript — adding in empty rows, asking for more rows, editing and
// removing — refuses a bad date (422) and a stale form (409), and that the
// tracking overview shows the RAG in words, the next milestone and the
// overdue ones.
func TestInitiativeTrackingPages(t *testing.T) {
	e := pfStart(t)
	in := e.create(t, "Case management", domain.StatusApproved)
	e.create(t, "Idea only", domain.StatusProposed)
	base := "/o/alpha/initiatives/" + in.ID + "/track"
	page := e.owner.Get(base)
	pfWantStatus(t, "track form", page, http.StatusOK)
	pfWantBody(t, "track form", page, `name="rows" value="3"`, `name="m2-title"`, `name="m0-due" type="date"`, `id="rag-none"`,
		`name="revision" value="`+strconv.FormatInt(in.Revision, 10)+`"`)

	form := url.Values{"revision": {strconv.FormatInt(in.Revision, 10)}, "status": {"in_progress"}, "rag": {"amber"}, "rows": {"3"},
		"m0-title": {"Procurement"}, "m0-due": {"2020-01-31"}, "m1-title": {"Pilot"}, "m1-due": {"2999-06-30"}}
	more := url.Values{"more": {"1"}}
	for k, v := range form {
		more[k] = v
	}
	res := e.owner.PostForm(base, more)
	pfWantStatus(t, "more rows", res, http.StatusOK)
	if m := pfMilestoneRowsRe.FindStringSubmatch(res.Body); m == nil || m[1] != "6" || !strings.Contains(res.Body, `value="Procurement"`) {
		t.Fatalf("more rows: %v", m)
	}
	if now := e.initiative(t, in.ID); now.Revision != in.Revision {
		t.Fatal("asking for more rows saved")
	}
	res = e.owner.PostForm(base, form)
	pfWantStatus(t, "track", res, http.StatusSeeOther)
	tracked := e.initiative(t, in.ID)
	if tracked.Status != domain.StatusInProgress || tracked.RAG != domain.RAGAmber || len(tracked.Milestones) != 2 ||
		tracked.Milestones[0] != (domain.Milestone{Title: "Procurement", Due: "2020-01-31"}) {
		t.Fatalf("tracked: %+v", tracked)
	}

	overview := e.owner.Get("/o/alpha/tracking")
	pfWantStatus(t, "tracking", overview, http.StatusOK)
	pfWantBody(t, "tracking", overview, "Case management", "In progress", `wm-rag--amber">Amber`, "1 overdue",
		"Procurement (due 2020-01-31)", "0 of 2", "1 initiative has overdue milestones.")
	if strings.Contains(overview.Body, "Idea only") {
		t.Error("the overview shows a proposed initiative")
	}
	if show := e.owner.Get("/o/alpha/initiatives/" + in.ID); !strings.Contains(show.Body, `wm-pf-state--overdue">Overdue</strong>`) {
		t.Error("the initiative page does not flag the overdue milestone in words")
	}

	// Edit one, remove one, add none; a bad date first.
	edit := url.Values{"revision": {strconv.FormatInt(tracked.Revision, 10)}, "status": {"in_progress"}, "rag": {"green"}, "rows": {"5"},
		"m0-existing": {"1"}, "m0-title": {"Procurement"}, "m0-due": {"31/01/2020"}, "m0-done": {"1"},
		"m1-existing": {"1"}, "m1-title": {"Pilot"}, "m1-due": {"2999-06-30"}, "m1-remove": {"1"}}
	res = e.owner.PostForm(base, edit)
	pfWantStatus(t, "bad date", res, http.StatusUnprocessableEntity)
	pfWantBody(t, "bad date", res, `href="#m0-due"`, "is not a date like 2026-05-17", `value="31/01/2020"`)
	edit.Set("m0-due", "2020-01-31")
	edit.Set("m0-title", "")
	res = e.owner.PostForm(base, edit)
	pfWantStatus(t, "no title", res, http.StatusUnprocessableEntity)
	pfWantBody(t, "no title", res, `href="#m0-title"`, "Milestone 1, Milestone: is required")
	if now := e.initiative(t, in.ID); now.Revision != tracked.Revision {
		t.Fatal("a bad tracking form saved")
	}
	edit.Set("m0-title", "Procurement")
	res = e.owner.PostForm(base, edit)
	pfWantStatus(t, "edit milestones", res, http.StatusSeeOther)
	now := e.initiative(t, in.ID)
	if now.RAG != domain.RAGGreen || len(now.Milestones) != 1 || !now.Milestones[0].Done {
		t.Fatalf("after editing milestones: %+v", now)
	}
	res = e.owner.PostForm(base, edit)
	pfWantStatus(t, "stale tracking", res, http.StatusConflict)
	pfWantBody(t, "stale tracking", res, "has been changed by someone else meanwhile")
	if again := e.initiative(t, in.ID); again.Revision != now.Revision {
		t.Error("a stale tracking form saved")
	}
	overview = e.owner.Get("/o/alpha/tracking")
	pfWantBody(t, "tracking after", overview, "None open", "1 of 1", `wm-rag--green">Green`)
}

// Ensures a viewer reads the portfolio but every form is refused (403) and
// no post changes anything.
func TestPortfolioViewerReadOnly(t *testing.T) {
	e := pfStart(t)
	in := e.create(t, "Data platform", domain.StatusApproved)
	e.env.User("viewer@alpha.example", e.org, domain.Viewer)
	viewer := e.env.SignedIn("viewer@alpha.example")
	base := "/o/alpha/initiatives/" + in.ID
	for _, p := range []string{"/o/alpha/portfolio/settings", "/o/alpha/initiatives", base, "/o/alpha/tracking"} {
		res := viewer.Get(p)
		pfWantStatus(t, "viewer GET "+p, res, http.StatusOK)
		if strings.Contains(res.Body, `method="post" action="/o/alpha/portfolio`) || strings.Contains(res.Body, "/initiatives/new") ||
			strings.Contains(res.Body, base+"/edit") {
			t.Errorf("%s offers a viewer a change", p)
		}
	}
	pfWantBody(t, "viewer settings", viewer.Get("/o/alpha/portfolio/settings"), "Owners and facilitators can change these settings.", "Outcomes for people")
	for _, p := range []string{"/o/alpha/initiatives/new", base + "/edit", base + "/track", base + "/delete"} {
		if res := viewer.Get(p); res.StatusCode != http.StatusForbidden {
			t.Errorf("viewer GET %s: status %d, want 403", p, res.StatusCode)
		}
	}
	posts := map[string]url.Values{
		"/o/alpha/portfolio/settings": {"currency": {"EUR"}, "rows": {"1"}, "c0-name_en": {"X"}},
		"/o/alpha/initiatives":        {"title": {"Sneaky"}, "duration": {"1"}, "earliest_start": {"2027"}, "latest_start": {"2027"}},
		base + "/edit":                {"title": {"Sneaky"}, "revision": {strconv.FormatInt(in.Revision, 10)}},
		base + "/track":               {"status": {"stopped"}, "revision": {strconv.FormatInt(in.Revision, 10)}},
		base + "/delete":              nil,
	}
	for p, form := range posts {
		if res := viewer.PostForm(p, form); res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "does not allow you to edit the portfolio") {
			t.Errorf("viewer POST %s: status %d, want 403", p, res.StatusCode)
		}
	}
	if now := e.initiative(t, in.ID); now.Revision != in.Revision || len(e.initiatives(t)) != 1 {
		t.Error("a viewer changed the portfolio")
	}
	if p, _ := e.env.Svc.Portfolio(context.Background(), e.actor); p.Settings.Currency != "SEK" {
		t.Error("a viewer changed the settings")
	}
}

// Ensures the portfolio pages read in Swedish, with amounts and decimals
// written the Swedish way and the domain's messages translated.
func TestPortfolioSwedish(t *testing.T) {
	e := pfStart(t)
	e.useVersion(t)
	in := e.create(t, "Dataplattform", domain.StatusInProgress)
	in.OneOffCost, in.FTE, in.RAG = 1_200_000, 150, domain.RAGRed
	if err := e.env.Svc.UpdateInitiative(context.Background(), e.actor, in); err != nil {
		t.Fatal(err)
	}
	e.owner.PostForm("/lang", url.Values{"lang": {"sv"}})
	list := e.owner.Get("/o/alpha/initiatives")
	pfWantBody(t, "Swedish list", list, `<html lang="sv"`, "Initiativ", "Nytt initiativ", "1\u00a0200\u00a0000\u00a0SEK", ">1,5<", "Pågår",
		`wm-rag--red">Röd`, "Viktad nytta")
	pfWantBody(t, "Swedish settings", e.owner.Get("/o/alpha/portfolio/settings"), "Portföljens inställningar", "Nyttokriterier", "Valuta")
	pfWantBody(t, "Swedish form", e.owner.Get("/o/alpha/initiatives/new"), "Trender som det svarar mot", "Förmågeområden som det bygger",
		"Engångskostnad (SEK)", "Teknik")
	pfWantBody(t, "Swedish tracking", e.owner.Get("/o/alpha/tracking"), "Uppföljning", "Dataplattform", "Nästa milstolpe")
	res := e.owner.PostForm("/o/alpha/initiatives", url.Values{"title": {""}, "duration": {"0"}, "earliest_start": {"2027"}, "latest_start": {"2027"}, "fte": {"x"}})
	pfWantStatus(t, "Swedish problems", res, http.StatusUnprocessableEntity)
	pfWantBody(t, "Swedish problems", res, "Det finns ett problem", "Rubrik: krävs", "måste vara mellan 1 och 50", "är inte ett antal årsarbetskrafter")
}

// Ensures every message id the portfolio pages build at run time exists in
// English and Swedish.
func TestPortfolioMessagesTranslated(t *testing.T) {
	cat := i18n.MustNew()
	var ids []string
	for _, s := range domain.InitiativeStatuses {
		ids = append(ids, "portfolio.status."+string(s))
	}
	for _, r := range domain.RAGs {
		ids = append(ids, "portfolio.rag."+string(r))
	}
	for _, r := range domain.Risks {
		ids = append(ids, "portfolio.risk."+string(r))
	}
	for v := range domain.MaxStrength + 1 {
		ids = append(ids, "portfolio.strength."+strconv.Itoa(v))
	}
	for v := range domain.MaxBenefitScore + 1 {
		ids = append(ids, "portfolio.score."+strconv.Itoa(v))
	}
	for _, f := range []string{"title", "description", "owner", "trends", "areas", "one_off_cost", "recurring_cost", "fte", "duration",
		"earliest_start", "latest_start", "depends_on", "exclusive_group", "risk", "status", "rag", "milestones"} {
		ids = append(ids, "portfolio.f."+f)
	}
	ids = append(ids, "portfolio.settings.currency", "portfolio.settings.version", "portfolio.settings.criteria",
		"portfolio.settings.f.name_en", "portfolio.settings.f.name_sv", "portfolio.settings.f.weight",
		"portfolio.track.f.title", "portfolio.track.f.due")
	for _, id := range ids {
		for _, lang := range i18n.Languages {
			if !cat.Has(lang, id) {
				t.Errorf("%s is missing from portfolio.%s.json", id, lang)
			}
		}
	}
}

// The portfolio's routes in the tenant-isolation test (isolation_test.go):
// organisation A gets an initiative with a milestone and its settings; B's
// owner must reach none of it, and none of it may change.
func init() {
	isolationAreas = append(isolationAreas, func(t *testing.T, f *tenantFixture) map[string]isolationCase {
		ctx := context.Background()
		a := domain.Actor{UserID: f.aUser.ID, OrgID: f.a.ID, Role: domain.Owner}
		svc := f.env.Svc
		p, err := svc.Portfolio(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		p.Settings.VersionID = f.aPublished.ID
		if err := svc.SavePortfolioSettings(ctx, a, p.Settings); err != nil {
			t.Fatal(err)
		}
		in := &domain.Initiative{Title: "Alpha initiative", Duration: 1, EarliestStart: 2027, LatestStart: 2028,
			Status: domain.StatusApproved, Milestones: []domain.Milestone{{Title: "Alpha milestone", Due: "2027-01-01"}}}
		if err := svc.CreateInitiative(ctx, a, in); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			now, err := svc.Initiative(ctx, a, in.ID)
			if err != nil || now.Revision != in.Revision || now.Title != in.Title {
				t.Errorf("A's initiative changed: %+v %v", now, err)
			}
			if ins, _ := svc.Initiatives(ctx, a); len(ins) != 1 {
				t.Errorf("A has %d initiatives, want 1", len(ins))
			}
			if p, _ := svc.Portfolio(ctx, a); p == nil || p.Settings.Currency != "SEK" || p.Settings.VersionID != f.aPublished.ID {
				t.Errorf("A's portfolio settings changed")
			}
		})
		id := map[string]string{"id": in.ID}
		rev := strconv.FormatInt(in.Revision, 10)
		stolen := url.Values{"title": {"Stolen"}, "revision": {rev}, "duration": {"1"}, "earliest_start": {"2027"}, "latest_start": {"2027"}}
		return map[string]isolationCase{
			"GET /o/{org}/portfolio/settings":       {},
			"POST /o/{org}/portfolio/settings":      {form: url.Values{"currency": {"EUR"}, "rows": {"0"}}},
			"GET /o/{org}/initiatives":              {},
			"GET /o/{org}/initiatives/new":          {},
			"POST /o/{org}/initiatives":             {form: stolen},
			"GET /o/{org}/initiatives/{id}":         {params: id},
			"GET /o/{org}/initiatives/{id}/edit":    {params: id},
			"POST /o/{org}/initiatives/{id}/edit":   {params: id, form: stolen},
			"GET /o/{org}/initiatives/{id}/delete":  {params: id},
			"POST /o/{org}/initiatives/{id}/delete": {params: id},
			"GET /o/{org}/initiatives/{id}/track":   {params: id},
			"POST /o/{org}/initiatives/{id}/track":  {params: id, form: url.Values{"revision": {rev}, "status": {"stopped"}, "rows": {"0"}}},
			"GET /o/{org}/tracking":                 {},
		}
	})
}

// Ensures scores on a criterion that is removed survive an edit of the
// initiative in the browser and come back when the criterion is added
// again, as the settings page promises.
func TestRemovedCriterionScoresKept(t *testing.T) {
	e := pfStart(t)
	ctx := context.Background()
	in := e.create(t, "Data platform", domain.StatusProposed)
	in.Benefits = map[string]int{"people": 3, "financial": 4}
	if err := e.env.Svc.UpdateInitiative(ctx, e.actor, in); err != nil {
		t.Fatal(err)
	}
	p, _ := e.env.Svc.Portfolio(ctx, e.actor)
	all := p.Settings.Criteria
	p.Settings.Criteria = []domain.BenefitCriterion{all[0]}
	if err := e.env.Svc.SavePortfolioSettings(ctx, e.actor, p.Settings); err != nil {
		t.Fatal(err)
	}
	edit := e.owner.Get("/o/alpha/initiatives/" + in.ID + "/edit")
	if strings.Contains(edit.Body, "benefit.financial") {
		t.Fatal("the form offers a removed criterion")
	}
	now := e.initiative(t, in.ID)
	res := e.owner.PostForm("/o/alpha/initiatives/"+in.ID+"/edit", url.Values{"revision": {strconv.FormatInt(now.Revision, 10)},
		"title": {"Data platform"}, "duration": {"2"}, "earliest_start": {"2027"}, "latest_start": {"2029"}, "benefit.people": {"5"},
		"risk": {"low"}, "status": {"proposed"}})
	pfWantStatus(t, "edit", res, http.StatusSeeOther)
	p.Settings.Criteria = all
	if err := e.env.Svc.SavePortfolioSettings(ctx, e.actor, p.Settings); err != nil {
		t.Fatal(err)
	}
	if b := e.initiative(t, in.ID).Benefits; b["people"] != 5 || b["financial"] != 4 {
		t.Errorf("benefits after the criterion came back: %v", b)
	}
}
