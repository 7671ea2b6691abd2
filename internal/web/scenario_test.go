package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/waymark/waymark/internal/apptest"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/portfolio"
)

// scFixture is organisation alpha with the starter library that has
// capability areas as its portfolio's version, seven initiatives and two
// scenarios over 2026–2030:
//
//   - "Data platform" (2 years, builds data sharing and innovation: its
//     lane is Innovation, the first of the two in the library's order);
//   - "Case handling", which depends on the data platform;
//   - "Sensor trial", whose one-off cost of 580 is more than the budget
//     cut's 500 in any year, so it drops out there;
//   - "=1+2 evil", a title a spreadsheet would take for a formula;
//   - "Shared SOC" and "Managed SOC", mutually exclusive alternatives;
//   - "Old system", done, so never considered.
//
// "Baseline" has a budget of 1,000 a year and 3 FTE, "Budget cut" 500.
type scFixture struct {
	env      *apptest.Env
	owner    *apptest.Client
	actor    domain.Actor
	ins      map[string]*domain.Initiative
	baseline *domain.Scenario
	cut      *domain.Scenario
}

func newScFixture(t *testing.T) *scFixture {
	t.Helper()
	env, org, owner := start(t)
	u := mustUser(t, env, "owner@alpha.example")
	f := &scFixture{env: env, owner: owner, actor: domain.Actor{UserID: u.ID, OrgID: org.ID, Role: domain.Owner}, ins: map[string]*domain.Initiative{}}
	ctx := context.Background()
	svc := env.Svc
	lib, err := svc.InstallStarter(ctx, f.actor, "local-services-2035")
	if err != nil {
		t.Fatal(err)
	}
	_, versions, err := svc.Library(ctx, f.actor, lib.ID)
	if err != nil {
		t.Fatal(err)
	}
	p, err := svc.Portfolio(ctx, f.actor)
	if err != nil {
		t.Fatal(err)
	}
	p.Settings.VersionID = versions[0].ID
	if err := svc.SavePortfolioSettings(ctx, f.actor, p.Settings); err != nil {
		t.Fatal(err)
	}
	add := func(in domain.Initiative, deps ...string) {
		for _, d := range deps {
			in.DependsOn = append(in.DependsOn, f.ins[d].ID)
		}
		if in.EarliestStart == 0 {
			in.EarliestStart, in.LatestStart = 2026, 2030
		}
		if err := svc.CreateInitiative(ctx, f.actor, &in); err != nil {
			t.Fatalf("%s: %v", in.Title, err)
		}
		f.ins[in.Title] = &in
	}
	add(domain.Initiative{Title: "Data platform", Areas: []string{"data-sharing-standards", "innovation"}, OneOffCost: 300, RecurringCost: 50,
		FTE: 100, Duration: 2, EarliestStart: 2026, LatestStart: 2027, Benefits: map[string]int{"people": 5}, Status: domain.StatusApproved})
	add(domain.Initiative{Title: "Case handling", Areas: []string{"digital-skills-and-capability"}, OneOffCost: 200, FTE: 100, Duration: 1,
		EarliestStart: 2027, LatestStart: 2030, Benefits: map[string]int{"people": 4}, Status: domain.StatusApproved, RAG: domain.RAGRed}, "Data platform")
	add(domain.Initiative{Title: "Sensor trial", Areas: []string{"innovation"}, OneOffCost: 580, FTE: 50, Duration: 1, Benefits: map[string]int{"people": 3}})
	add(domain.Initiative{Title: "=1+2 evil", Areas: []string{"community-resilience"}, OneOffCost: 100, FTE: 50, Duration: 1,
		Benefits: map[string]int{"people": 2}, Status: domain.StatusInProgress, RAG: domain.RAGAmber})
	add(domain.Initiative{Title: "Shared SOC", ExclusiveGroup: "soc", OneOffCost: 60, Duration: 1, Benefits: map[string]int{"people": 3}})
	add(domain.Initiative{Title: "Managed SOC", ExclusiveGroup: "SOC", OneOffCost: 50, Duration: 1, Benefits: map[string]int{"people": 1}})
	add(domain.Initiative{Title: "Old system", OneOffCost: 10, Duration: 1, Benefits: map[string]int{"people": 5}, Status: domain.StatusDone})
	f.baseline = &domain.Scenario{Name: "Baseline", StartYear: 2026, EndYear: 2030, Budget: domain.MoneyCaps{Default: 1000},
		FTE: &domain.FTECaps{Default: 300}}
	f.cut = &domain.Scenario{Name: "Budget cut", StartYear: 2026, EndYear: 2030, Budget: domain.MoneyCaps{Default: 500},
		FTE: &domain.FTECaps{Default: 300}}
	for _, sc := range []*domain.Scenario{f.baseline, f.cut} {
		if err := svc.CreateScenario(ctx, f.actor, sc); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *scFixture) path(sc *domain.Scenario, rest string) string {
	return "/o/alpha/scenarios/" + sc.ID + rest
}

// optimise optimises the scenario through its page's button and checks the
// redirect back to the result.
func (f *scFixture) optimise(t *testing.T, c *apptest.Client, sc *domain.Scenario) {
	t.Helper()
	res := c.PostForm(f.path(sc, "/optimise"), nil)
	scWantStatus(t, "optimise "+sc.Name, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != f.path(sc, "#result") {
		t.Fatalf("optimise %s: redirected to %q", sc.Name, loc)
	}
}

func (f *scFixture) scenario(t *testing.T, id string) *domain.Scenario {
	t.Helper()
	sc, err := f.env.Svc.Scenario(context.Background(), f.actor, id)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func (f *scFixture) scenarios(t *testing.T) []domain.Scenario {
	t.Helper()
	scs, err := f.env.Svc.Scenarios(context.Background(), f.actor)
	if err != nil {
		t.Fatal(err)
	}
	return scs
}

func scWantBody(t *testing.T, what string, res *apptest.Response, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(res.Body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func scWantNot(t *testing.T, what string, res *apptest.Response, nots ...string) {
	t.Helper()
	for _, w := range nots {
		if strings.Contains(res.Body, w) {
			t.Errorf("%s has %q", what, w)
		}
	}
}

func scWantStatus(t *testing.T, what string, res *apptest.Response, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.StatusCode, status, res.Body)
	}
}

// Ensures the list shows every scenario with its horizon, budget, FTE cap
// and last result, and that the create form refuses bad input with every
// problem beside its field and in the summary (422), a name in use (409),
// and creates a good scenario.
func TestScenarioListAndCreate(t *testing.T) {
	f := newScFixture(t)
	list := f.owner.Get("/o/alpha/scenarios")
	scWantStatus(t, "list", list, http.StatusOK)
	scWantBody(t, "list", list, "Scenarios and roadmap", "Baseline", "Budget cut", "2026–2030", "SEK\u00a01,000", "SEK\u00a0500",
		"3 FTE", "Not optimised yet", `action="/o/alpha/scenarios"`, `id="budget_default"`)

	bad := url.Values{"name": {" "}, "start_year": {"2030"}, "end_year": {"2026"}, "budget_default": {"a lot"}, "fte_default": {"1.234"}}
	res := f.owner.PostForm("/o/alpha/scenarios", bad)
	scWantStatus(t, "bad create", res, http.StatusUnprocessableEntity)
	scWantBody(t, "bad create", res, "govuk-error-summary", `href="#name"`, "Name: is required", `href="#end_year"`,
		"must not be before the first year", `href="#budget_default"`, "Enter a whole amount", `href="#fte_default"`,
		"is not a number of FTE with at most two decimals", `id="name-error"`, `value="a lot"`)
	if n := len(f.scenarios(t)); n != 2 {
		t.Fatalf("a bad form changed the scenarios: %d", n)
	}
	res = f.owner.PostForm("/o/alpha/scenarios", url.Values{"name": {"Baseline"}, "start_year": {"2026"}, "end_year": {"2030"}, "budget_default": {"900"}})
	scWantStatus(t, "name in use", res, http.StatusConflict)
	scWantBody(t, "name in use", res, `href="#name"`, "already exists")

	res = f.owner.PostForm("/o/alpha/scenarios", url.Values{"name": {"Extra staff"}, "description": {"Four more posts."},
		"start_year": {"2026"}, "end_year": {"2035"}, "budget_default": {"1 000"}, "fte_default": {"7,5"}})
	scWantStatus(t, "create", res, http.StatusSeeOther)
	scs := f.scenarios(t)
	if len(scs) != 3 {
		t.Fatalf("%d scenarios after create", len(scs))
	}
	sc := scs[2]
	if sc.Name != "Extra staff" || sc.EndYear != 2035 || sc.Budget.Default != 1000 || sc.FTE == nil || sc.FTE.Default != 750 {
		t.Errorf("created %+v", sc)
	}
	if loc := res.Header.Get("Location"); loc != "/o/alpha/scenarios/"+sc.ID {
		t.Errorf("created: redirected to %q", loc)
	}
	page := f.owner.Get("/o/alpha/scenarios/" + sc.ID)
	scWantBody(t, "new scenario", page, "has been created", "Extra staff", "Four more posts.", `id="budget-2035"`, `value="7.5"`,
		"has not been optimised", `action="/o/alpha/scenarios/`+sc.ID+`/optimise"`)
}

// Ensures the Optimise button solves the scenario and the page then shows
// it proven optimal with the plan, what was left out and why, what binds
// and the value of one more unit of budget and staff per year; the list
// shows the result; and a change to the portfolio marks it out of date.
func TestScenarioOptimise(t *testing.T) {
	f := newScFixture(t)
	f.optimise(t, f.owner, f.baseline)
	page := f.owner.Get(f.path(f.baseline, ""))
	scWantStatus(t, "result", page, http.StatusOK)
	scWantBody(t, "result", page, "Optimised: 5 initiatives with a total value of 17, proven optimal.",
		`id="result-summary">Proven optimal: 5 of 6 initiatives with a total value of 17`, "Proven optimal (gap 0)",
		"Data platform", "2026–2027", "Case handling", "Sensor trial", "Shared SOC",
		"Left out, and why", "Managed SOC", "An alternative in its mutually exclusive group, “Shared SOC”, was chosen.",
		"Old system", "Not considered: it is done.",
		"What limits the plan", "Value of SEK\u00a050 more", "Value of 1 more FTE", "Budget by year", "Staff effort by year",
		"“Case handling” starts as soon as “Data platform”", "See the roadmap")
	scWantNot(t, "result", page, "The portfolio has changed since")
	sc := f.scenario(t, f.baseline.ID)
	if sc.Result == nil {
		t.Fatal("no stored result")
	}
	list := f.owner.Get("/o/alpha/scenarios")
	scWantBody(t, "list", list, "Value 17", "5 of 6 initiatives chosen", "Proven optimal", "Not optimised yet")
	scWantNot(t, "list", list, "Out of date")

	// Forcing in an initiative that is done: the page says why it cannot
	// be optimised (422) and nothing is stored.
	edit := func(forced map[string]string) {
		t.Helper()
		cur := f.scenario(t, f.cut.ID)
		form := url.Values{"revision": {strconv.FormatInt(cur.Revision, 10)}, "name": {"Budget cut"}, "start_year": {"2026"},
			"end_year": {"2030"}, "budget_default": {"500"}, "fte_default": {"3"}}
		for title, v := range forced {
			form.Set("forced-"+f.ins[title].ID, v)
		}
		scWantStatus(t, "force", f.owner.PostForm(f.path(f.cut, "/edit"), form), http.StatusSeeOther)
	}
	edit(map[string]string{"Old system": "in"})
	res := f.owner.PostForm(f.path(f.cut, "/optimise"), nil)
	scWantStatus(t, "optimise with a done initiative forced in", res, http.StatusUnprocessableEntity)
	scWantBody(t, "optimise with a done initiative forced in", res, "The scenario cannot be optimised as it is", "is forced in, but it is done")
	if f.scenario(t, f.cut.ID).Result != nil {
		t.Error("a refused optimisation stored a result")
	}
	// Forcing in one that is over the budget in every year: no plan, and
	// the page says why, naming it by its title.
	edit(map[string]string{"Sensor trial": "in"})
	f.optimise(t, f.owner, f.cut)
	scWantBody(t, "infeasible", f.owner.Get(f.path(f.cut, "")), "No plan possible", "Why no plan is possible", "“Sensor trial”")

	// The portfolio changes: the result is out of date.
	dp := f.ins["Data platform"]
	dp.Owner = "CIO"
	if err := f.env.Svc.UpdateInitiative(context.Background(), f.actor, dp); err != nil {
		t.Fatal(err)
	}
	scWantBody(t, "stale result", f.owner.Get(f.path(f.baseline, "")), "The portfolio has changed since this result was computed")
	scWantBody(t, "stale list", f.owner.Get("/o/alpha/scenarios"), "Out of date")
}

// Ensures the settings form saves per-year overrides, forced choices and
// scaling, clears the stored result, and refuses a form read before
// someone else saved (409) or with bad values (422) without changing
// anything.
func TestScenarioSettings(t *testing.T) {
	f := newScFixture(t)
	f.optimise(t, f.owner, f.baseline)
	sc := f.scenario(t, f.baseline.ID)
	rev := strconv.FormatInt(sc.Revision, 10)
	good := url.Values{"revision": {rev}, "name": {"Baseline"}, "description": {"Flat budget."}, "start_year": {"2026"}, "end_year": {"2030"},
		"budget_default": {"1000"}, "budget-2027": {"1 200"}, "budget-2028": {""}, "fte_default": {"3"}, "fte-2029": {"2,5"},
		"forced-" + f.ins["Sensor trial"].ID: {"out"}, "trend_weight": {""}}
	bad := url.Values{}
	for k, v := range good {
		bad[k] = v
	}
	bad.Set("budget-2027", "lots")
	bad.Set("end_year", "2090")
	bad.Set("forced-"+f.ins["Case handling"].ID, "maybe")
	res := f.owner.PostForm(f.path(f.baseline, "/edit"), bad)
	scWantStatus(t, "bad settings", res, http.StatusUnprocessableEntity)
	scWantBody(t, "bad settings", res, `href="#budget-2027"`, "Budget 2027: Enter a whole amount", `href="#end_year"`,
		"the planning horizon can be at most 50 years", `href="#forced-`+f.ins["Case handling"].ID+`"`, "must be in or out", `value="lots"`)
	if now := f.scenario(t, f.baseline.ID); now.Revision != sc.Revision || now.Result == nil {
		t.Fatal("bad settings changed the scenario")
	}

	res = f.owner.PostForm(f.path(f.baseline, "/edit"), good)
	scWantStatus(t, "save", res, http.StatusSeeOther)
	now := f.scenario(t, f.baseline.ID)
	if now.Budget.Years[2027] != 1200 || len(now.Budget.Years) != 1 || now.FTE == nil || now.FTE.Years[2029] != 250 ||
		now.Forced[f.ins["Sensor trial"].ID] != domain.ForceOut || now.Description != "Flat budget." {
		t.Errorf("saved %+v", now)
	}
	if now.Result != nil {
		t.Error("the result for the old settings was kept")
	}
	scWantBody(t, "saved", f.owner.Get(f.path(f.baseline, "")), "The scenario has been saved", `value="1200"`, `value="2.5"`,
		`<option value="out" selected>Forced out</option>`)

	// The same form again, read at the old revision: someone else saved.
	res = f.owner.PostForm(f.path(f.baseline, "/edit"), good)
	scWantStatus(t, "stale form", res, http.StatusConflict)
	scWantBody(t, "stale form", res, "Someone else changed this scenario while you were editing it. Nothing has been saved.")
	if again := f.scenario(t, f.baseline.ID); again.Revision != now.Revision {
		t.Error("a stale form was saved")
	}

	// Delete.
	res = f.owner.PostForm(f.path(f.cut, "/delete"), nil)
	scWantStatus(t, "delete", res, http.StatusSeeOther)
	if scs := f.scenarios(t); len(scs) != 1 || scs[0].ID != f.baseline.ID {
		t.Errorf("after delete: %+v", scs)
	}
	scWantStatus(t, "deleted", f.owner.Get(f.path(f.cut, "")), http.StatusNotFound)
}

// Ensures the comparison of two optimised scenarios shows the value of
// each, the value lost, and what drops out and moves, with a summary.
func TestScenarioCompare(t *testing.T) {
	f := newScFixture(t)
	path := "/o/alpha/scenarios/compare?a=" + f.baseline.ID + "&b=" + f.cut.ID
	res := f.owner.Get(path)
	scWantStatus(t, "compare before optimising", res, http.StatusOK)
	scWantBody(t, "compare before optimising", res, "There is no plan to compare yet for: Baseline, Budget cut.")
	f.optimise(t, f.owner, f.baseline)
	f.optimise(t, f.owner, f.cut)
	scWantBody(t, "list", f.owner.Get("/o/alpha/scenarios"), `action="/o/alpha/scenarios/compare"`, `id="compare-a"`)

	res = f.owner.Get(path)
	scWantStatus(t, "compare", res, http.StatusOK)
	scWantBody(t, "compare", res, `id="comparison-summary">“Budget cut” is worth 3 less than “Baseline” (17.6%). Drop out: 1; come in: 0;`,
		"Value lost from A to B", ">17<", ">14<", "Initiatives in either plan", "Runs in Baseline", "Runs in Budget cut",
		`wm-sc-change-tag--drops_out">Drops out</strong>`, "Budget by year", "Budget cap in Budget cut")
	// The sensor trial drops out: it is in A's plan, not in B's.
	row := regexp.MustCompile(`(?s)<tr class="govuk-table__row wm-sc-change--drops_out">.*?</tr>`).FindString(res.Body)
	if !strings.Contains(row, "Sensor trial") || !strings.Contains(row, "–") {
		t.Errorf("drop-out row: %s", row)
	}
	// Either way round, and another organisation's or a missing id is not
	// found.
	back := f.owner.Get("/o/alpha/scenarios/compare?a=" + f.cut.ID + "&b=" + f.baseline.ID)
	scWantBody(t, "compare back", back, "“Baseline” is worth 3 more than “Budget cut”", "Comes in")
	scWantStatus(t, "missing id", f.owner.Get("/o/alpha/scenarios/compare?a="+f.baseline.ID+"&b=0190f0c4-4b4e-7d2a-9a31-6f0e3c2d1b10"), http.StatusNotFound)
	scWantBody(t, "no choice", f.owner.Get("/o/alpha/scenarios/compare"), `id="compare-a"`, `id="compare-b"`)
}

var scChart = regexp.MustCompile(`<svg class="wm-svg" id="roadmap-chart"[^>]*role="img" aria-labelledby="roadmap-heading roadmap-summary"`)

// Ensures the roadmap draws the plan in a lane per capability area, with
// each initiative in its first area's lane, dependencies as arrows,
// status and RAG in the legend and the table, a summary, and the
// downloads.
func TestScenarioRoadmap(t *testing.T) {
	f := newScFixture(t)
	res := f.owner.Get(f.path(f.baseline, "/roadmap"))
	scWantStatus(t, "roadmap before optimising", res, http.StatusOK)
	scWantBody(t, "roadmap before optimising", res, "There is no plan to show yet")
	res = f.owner.Get(f.path(f.baseline, "/roadmap.csv"))
	scWantStatus(t, "download before optimising", res, http.StatusConflict)
	scWantBody(t, "download before optimising", res, "There is no plan to show yet")

	f.optimise(t, f.owner, f.baseline)
	res = f.owner.Get(f.path(f.baseline, "/roadmap"))
	scWantStatus(t, "roadmap", res, http.StatusOK)
	if !scChart.MatchString(res.Body) {
		t.Error("the chart is not an image named by the heading and summary")
	}
	scWantBody(t, "roadmap", res, `id="roadmap-heading"`, `id="roadmap-summary">5 initiatives over 2026–2030 in 3 capability areas; most are in “Innovation” (2). Dependencies drawn as arrows: 1.`,
		"Place-based leadership", "Digital skills and capability", "Community resilience", "Innovation", "Standards for data sharing",
		"Nothing planned in this area.", "No capability area", `class="wm-sc-dep" marker-end=`, "Proposed (outlined)", "In progress (striped)",
		`<th scope="rowgroup"`, "The roadmap by capability area", `wm-rag--red">Red`, `wm-rag--amber">Amber`,
		`href="`+f.path(f.baseline, "/roadmap.xlsx")+`"`, `href="`+f.path(f.baseline, "/roadmap.csv")+`"`)
	// The data platform builds data sharing and innovation: it is in the
	// Innovation lane (first in the library's order), and the table names
	// the other area.
	lanes := regexp.MustCompile(`(?s)<tbody class="govuk-table__body">\s*<tr class="govuk-table__row wm-sc-lane-row"><th[^>]*>([^<]*)</th></tr>(.*?)</tbody>`).FindAllStringSubmatch(res.Body, -1)
	found := false
	for _, l := range lanes {
		if strings.Contains(l[2], ">Data platform</a></th>") {
			found = true
			if l[1] != "Innovation" || !strings.Contains(l[2], "Standards for data sharing") {
				t.Errorf("the data platform is in lane %q: %s", l[1], l[2])
			}
		}
	}
	if !found || len(lanes) != 6 {
		t.Errorf("%d lanes; data platform found: %v", len(lanes), found)
	}
	if n := strings.Count(res.Body, `class="wm-sc-dep" marker-end=`); n != 1 {
		t.Errorf("%d dependency arrows, want 1", n)
	}
}

// Ensures the roadmap's XLSX and CSV are what they say, never cached,
// with numbers as numbers and text that a spreadsheet would take for a
// formula neutralised, and only for signed-in members.
func TestScenarioRoadmapDownloads(t *testing.T) {
	f := newScFixture(t)
	f.optimise(t, f.owner, f.baseline)
	for ext, wantType := range map[string]string{"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv"} {
		path := f.path(f.baseline, "/roadmap."+ext)
		res := f.owner.Get(path)
		scWantStatus(t, ext, res, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, wantType) {
			t.Errorf("%s: Content-Type %q", ext, ct)
		}
		if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="roadmap-baseline-2026-2030.`+ext+`"` {
			t.Errorf("%s: Content-Disposition %q", ext, cd)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "private, no-store" {
			t.Errorf("%s: Cache-Control %q", ext, cc)
		}
		if anon := f.env.Client().Get(path); anon.StatusCode != http.StatusSeeOther || !strings.HasPrefix(anon.Header.Get("Location"), "/signin") {
			t.Errorf("%s without a session: status %d to %q", ext, anon.StatusCode, anon.Header.Get("Location"))
		}
		var rows [][]string
		if ext == "csv" {
			body := strings.TrimPrefix(res.Body, "\ufeff")
			for _, line := range strings.Split(strings.TrimSpace(body), "\n") {
				rows = append(rows, strings.Split(line, ","))
			}
			if !strings.Contains(body, "\n'=1+2 evil") && !strings.Contains(body, ",'=1+2 evil,") {
				t.Errorf("csv: the formula-like title is not neutralised:\n%s", body)
			}
		} else {
			x, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
			if err != nil {
				t.Fatal(err)
			}
			sheet := x.GetSheetName(0)
			if sheet != "Roadmap" {
				t.Errorf("sheet %q", sheet)
			}
			if rows, err = x.GetRows(sheet); err != nil {
				t.Fatal(err)
			}
			for i, r := range rows {
				if len(r) > 2 && strings.Contains(r[2], "evil") {
					cell, _ := excelize.CoordinatesToCellName(3, i+1)
					if v, _ := x.GetCellValue(sheet, cell); v != "'=1+2 evil" {
						t.Errorf("xlsx: %s is %q", cell, v)
					}
					if typ, _ := x.GetCellType(sheet, "J"+strconv.Itoa(i+1)); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
						t.Errorf("xlsx: the one-off cost is text")
					}
				}
			}
			x.Close()
		}
		if len(rows) != 6 {
			t.Errorf("%s: %d rows, want a header and 5 initiatives", ext, len(rows))
			continue
		}
		if rows[0][0] != "Capability area" || rows[0][2] != "Initiative" || rows[0][len(rows[0])-1] != "Cost 2030" {
			t.Errorf("%s: header %v", ext, rows[0])
		}
		for _, r := range rows[1:] {
			if r[2] == "Data platform" && (r[0] != "Innovation" || r[4] != "2026" || r[5] != "2027" || r[15] != "350" || r[16] != "50") {
				t.Errorf("%s: data platform row %v", ext, r)
			}
		}
	}
}

// Ensures a viewer reads the scenarios, the result, the comparison and the
// roadmap but may not optimise, edit, create or delete (403, nothing
// changed), while an analyst may optimise but not edit.
func TestScenarioViewerReadOnly(t *testing.T) {
	f := newScFixture(t)
	f.optimise(t, f.owner, f.baseline)
	org, _ := f.env.DB.OrgBySlug(context.Background(), "alpha")
	f.env.User("viewer@alpha.example", org, domain.Viewer)
	f.env.User("analyst@alpha.example", org, domain.Analyst)
	viewer := f.env.SignedIn("viewer@alpha.example")
	before := f.scenario(t, f.baseline.ID)

	list := viewer.Get("/o/alpha/scenarios")
	scWantStatus(t, "viewer list", list, http.StatusOK)
	scWantNot(t, "viewer list", list, "New scenario", `action="/o/alpha/scenarios"`)
	page := viewer.Get(f.path(f.baseline, ""))
	scWantStatus(t, "viewer page", page, http.StatusOK)
	scWantBody(t, "viewer page", page, "Proven optimal (gap 0)", "Budget per year (SEK)", "None: the optimiser chooses freely.")
	scWantNot(t, "viewer page", page, "/optimise", "/edit", "/delete")
	scWantStatus(t, "viewer roadmap", viewer.Get(f.path(f.baseline, "/roadmap")), http.StatusOK)
	scWantStatus(t, "viewer download", viewer.Get(f.path(f.baseline, "/roadmap.xlsx")), http.StatusOK)
	scWantStatus(t, "viewer compare", viewer.Get("/o/alpha/scenarios/compare?a="+f.baseline.ID+"&b="+f.cut.ID), http.StatusOK)

	for _, c := range []struct {
		path string
		form url.Values
	}{
		{f.path(f.baseline, "/optimise"), nil},
		{f.path(f.baseline, "/edit"), url.Values{"revision": {strconv.FormatInt(before.Revision, 10)}, "name": {"Taken"}, "start_year": {"2026"}, "end_year": {"2030"}, "budget_default": {"1"}}},
		{f.path(f.baseline, "/delete"), nil},
		{"/o/alpha/scenarios", url.Values{"name": {"Viewer's"}, "start_year": {"2026"}, "end_year": {"2030"}, "budget_default": {"1"}}},
	} {
		scWantStatus(t, "viewer POST "+c.path, viewer.PostForm(c.path, c.form), http.StatusForbidden)
	}
	after := f.scenario(t, f.baseline.ID)
	if after.Revision != before.Revision || after.Name != "Baseline" || !after.Result.At.Equal(before.Result.At) || len(f.scenarios(t)) != 2 {
		t.Errorf("the viewer changed the scenarios")
	}

	analyst := f.env.SignedIn("analyst@alpha.example")
	scWantBody(t, "analyst page", analyst.Get(f.path(f.cut, "")), `action="/o/alpha/scenarios/`+f.cut.ID+`/optimise"`)
	f.optimise(t, analyst, f.cut)
	scWantStatus(t, "analyst edit", analyst.PostForm(f.path(f.cut, "/edit"), url.Values{"name": {"x"}}), http.StatusForbidden)
}

// Ensures the scenario pages read in Swedish.
func TestScenarioSwedish(t *testing.T) {
	f := newScFixture(t)
	f.owner.PostForm("/lang", url.Values{"lang": {"sv"}})
	f.optimise(t, f.owner, f.baseline)
	f.optimise(t, f.owner, f.cut)
	scWantBody(t, "Swedish list", f.owner.Get("/o/alpha/scenarios"), `<html lang="sv"`, "Scenarier och färdplan", "Nytt scenario",
		"1\u00a0000\u00a0SEK", "Bevisat optimalt", "Jämför scenarier")
	scWantBody(t, "Swedish result", f.owner.Get(f.path(f.baseline, "")), "Bevisat optimalt (gap 0)", "Utelämnat, och varför",
		"Inte med i beräkningen: det är klart.", "Vad som begränsar planen", "Budget per år", "Inställningar")
	scWantBody(t, "Swedish compare", f.owner.Get("/o/alpha/scenarios/compare?a="+f.baseline.ID+"&b="+f.cut.ID),
		"”Budget cut” är värt 3 mindre än ”Baseline” (17,6\u00a0%)", "Faller bort")
	scWantBody(t, "Swedish roadmap", f.owner.Get(f.path(f.baseline, "/roadmap")), "Färdplan: Baseline", "Färdplanen per förmågeområde",
		"Föreslaget (bara kontur)", "Inget planerat inom området.")
	res := f.owner.PostForm("/o/alpha/scenarios", url.Values{"name": {""}, "start_year": {"x"}, "end_year": {"2030"}, "budget_default": {""}})
	scWantStatus(t, "Swedish problems", res, http.StatusUnprocessableEntity)
	scWantBody(t, "Swedish problems", res, "Namn: krävs", "Ange ett årtal, till exempel 2030", "Ange budgeten per år")
	csv := f.owner.Get(f.path(f.baseline, "/roadmap.csv"))
	scWantBody(t, "Swedish csv", csv, "Förmågeområde", "Kostnad 2030")
}

// The scenario routes in the tenant-isolation test (isolation_test.go):
// organisation A gets two optimised scenarios (of its portfolio as the
// other areas leave it); B's owner must reach none of them, and none may
// change.
func init() {
	isolationAreas = append(isolationAreas, func(t *testing.T, f *tenantFixture) map[string]isolationCase {
		ctx := context.Background()
		a := domain.Actor{UserID: f.aUser.ID, OrgID: f.a.ID, Role: domain.Owner}
		svc := f.env.Svc
		var scs []*domain.Scenario
		for _, name := range []string{"Alpha plan", "Alpha cut"} {
			sc := &domain.Scenario{Name: name, StartYear: 2026, EndYear: 2028, Budget: domain.MoneyCaps{Default: 100}}
			if err := svc.CreateScenario(ctx, a, sc); err != nil {
				t.Fatal(err)
			}
			if _, _, _, err := svc.OptimiseScenario(ctx, a, sc.ID, "en", portfolioOptions()); err != nil {
				t.Fatal(err)
			}
			got, err := svc.Scenario(ctx, a, sc.ID)
			if err != nil {
				t.Fatal(err)
			}
			scs = append(scs, got)
		}
		t.Cleanup(func() {
			now, err := svc.Scenarios(ctx, a)
			if err != nil || len(now) != 2 {
				t.Fatalf("A's scenarios: %d, %v", len(now), err)
			}
			for i, sc := range now {
				if sc.Revision != scs[i].Revision || sc.Name != scs[i].Name || sc.Result == nil || !sc.Result.At.Equal(scs[i].Result.At) {
					t.Errorf("A's scenario %q changed", sc.Name)
				}
			}
		})
		id := map[string]string{"id": scs[0].ID}
		form := url.Values{"revision": {strconv.FormatInt(scs[0].Revision, 10)}, "name": {"Stolen"}, "start_year": {"2026"}, "end_year": {"2028"}, "budget_default": {"1"}}
		return map[string]isolationCase{
			"GET /o/{org}/scenarios":                   {},
			"POST /o/{org}/scenarios":                  {form: url.Values{"name": {"Stolen"}, "start_year": {"2026"}, "end_year": {"2028"}, "budget_default": {"1"}}},
			"GET /o/{org}/scenarios/compare":           {query: "a=" + scs[0].ID + "&b=" + scs[1].ID},
			"GET /o/{org}/scenarios/{id}":              {params: id},
			"POST /o/{org}/scenarios/{id}/edit":        {params: id, form: form},
			"POST /o/{org}/scenarios/{id}/optimise":    {params: id},
			"POST /o/{org}/scenarios/{id}/delete":      {params: id},
			"GET /o/{org}/scenarios/{id}/roadmap":      {params: id},
			"GET /o/{org}/scenarios/{id}/roadmap.xlsx": {params: id},
			"GET /o/{org}/scenarios/{id}/roadmap.csv":  {params: id},
		}
	})
}

func portfolioOptions() portfolio.Options { return portfolio.Options{TimeLimit: 5 * time.Second} }
