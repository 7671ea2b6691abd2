package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/apptest"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
)

// Ensures a board member can read a finished workshop's results in the
// browser: from the workshop list to the results page (every view with its
// chart and table), the radar by category, the groups compared on
// readiness, this year compared with last year, a pin refused without a
// reason, the printable report, and the same page in Swedish. Every state
// passes axe at 320 px and 1280 px without sideways scrolling; with
// JavaScript off the page's forms still work.
func TestResultsAndReport(t *testing.T) {
	t.Parallel()
	d := startDemo(t)
	p := d.NewPage()
	signIn(t, p, demoEmail, apptest.Password, "/o/demo/")

	p.Go("/o/demo/workshops")
	p.ClickText(service.DemoThisYearTitle)
	p.ClickText("Results and analysis")
	if got := p.Text("h1"); got != service.DemoThisYearTitle {
		t.Fatalf("results h1 = %q", got)
	}
	if n := p.Count("svg.wm-svg"); n < 11 {
		t.Errorf("%d charts on the results page; want at least 11", n)
	}
	if got := p.Text("#ranking-summary"); !strings.HasPrefix(got, "Top priorities: Cyber threats to critical services (pinned)") {
		t.Errorf("ranking summary %q", got)
	}
	p.Audit("results")

	p.ClickNav("#radar-categories")
	if got := p.Text("#radar .wm-results__switch-current"); got != "Categories" {
		t.Errorf("radar sectors %q after switching to categories", got)
	}
	p.Audit("results (radar by category)")

	p.SetValue("#groups-question", "readiness")
	p.ClickNav("#groups-show")
	if got := p.Text("#groups-caption"); !strings.Contains(got, "Readiness") {
		t.Errorf("group comparison caption %q; want readiness", got)
	}

	var lastYear string
	p.Eval(`Array.from(document.querySelectorAll("#compare-with option")).find(o => o.text.includes("2025")).value`, &lastYear)
	p.SetValue("#compare-with", lastYear)
	p.ClickNav("#compare-show")
	if got := p.Text("#compare-summary"); !strings.Contains(got, "16 trends in both workshops") {
		t.Errorf("comparison summary %q", got)
	}
	p.Audit("results (groups on readiness, compared with last year)")

	p.Click("#decide summary")
	p.SetValue("#decide-trend", "digital-exclusion")
	p.ClickNav("#decide button[type=submit]")
	if n := p.Count(".govuk-error-summary"); n != 1 {
		t.Errorf("a pin without a reason shows %d error summaries", n)
	}
	p.Audit("results (decision refused)")

	p.Go(strings.TrimSuffix(p.Path(), "/results/decisions") + "/results")
	p.ClickNav("#report-link")
	if got := p.Text(".wm-report__cover h1"); got != service.DemoThisYearTitle {
		t.Errorf("report cover h1 = %q", got)
	}
	if n := p.Count(".wm-report form"); n != 0 {
		t.Errorf("the report has %d forms", n)
	}
	p.Audit("report")

	p.Go(strings.TrimSuffix(p.Path(), "/report") + "/results")
	p.ClickNav(".wm-lang button[value=sv]")
	if got := p.Text("#matrix-heading"); got == "Impact and certainty" || p.Attr("html", "lang") != "sv" {
		t.Errorf("Swedish results page: matrix heading %q, html lang %q", got, p.Attr("html", "lang"))
	}
	p.Audit("results (Swedish)")

	// Without JavaScript the choices are plain GET forms.
	p.DisableJavaScript()
	p.Go(p.Path())
	p.SetValue("#groups-question", "impact")
	p.ClickNav("#groups-show")
	if !strings.Contains(p.Path(), "/results") {
		t.Errorf("without JavaScript the group choice went to %s", p.Path())
	}
}

// Ensures the results page of a running workshop follows new answers
// without a reload, through the same stream as the presenter view.
func TestResultsFollowAnswers(t *testing.T) {
	t.Parallel()
	d := startDemo(t)
	ctx := context.Background()
	ws, err := d.DB.Workshops(ctx, d.Org.ID)
	if err != nil {
		t.Fatal(err)
	}
	var open *domain.Workshop
	for i := range ws {
		if ws[i].Title == service.DemoWorkshopTitle {
			open = &ws[i].Workshop
		}
	}
	if open == nil {
		t.Fatal("no open demo workshop")
	}
	owner := domain.Actor{OrgID: d.Org.ID, UserID: d.User.ID, Role: domain.Owner}
	if _, err := d.Svc.SetPhase(ctx, owner, open.ID, domain.PhaseRating); err != nil {
		t.Fatal(err)
	}
	p := d.NewPage()
	signIn(t, p, demoEmail, apptest.Password, "/o/demo/")
	p.Go("/o/demo/workshops/" + open.ID + "/results")
	if got := p.Text("#results-live"); !strings.Contains(got, "No answers yet") {
		t.Errorf("before any answer the results do not say so: %.200q", got)
	}
	_, w, part, err := d.Svc.Join(ctx, open.Code, "residents", "")
	if err != nil {
		t.Fatal(err)
	}
	four := 4
	if err := d.Svc.SubmitAnswers(ctx, w, part, []service.AnswerInput{{Trend: w.TrendKeys[0], Question: domain.QImpact, Value: &four}}); err != nil {
		t.Fatal(err)
	}
	p.WaitFor(`(document.querySelector('#dist-impact-summary') || {textContent: ''}).textContent.includes('1 answer with a value')`)
	p.Audit("results (live)")
}
