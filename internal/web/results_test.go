package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/apptest"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
	"github.com/waymark/waymark/internal/store/storetest"
)

// demoResults installs the demo (two finished workshops with 47 simulated
// participants each) and returns the environment, a client signed in as the
// demo's owner, and the paths of this year's and last year's workshops.
func demoResults(t *testing.T) (env *apptest.Env, owner *apptest.Client, thisYear, lastYear string) {
	t.Helper()
	env = apptest.Start(t, storetest.Open(t, storetest.SQLite))
	if _, err := env.Svc.Demo(context.Background(), apptest.Password); err != nil {
		t.Fatal(err)
	}
	org, err := env.DB.OrgBySlug(context.Background(), service.DemoOrgSlug)
	if err != nil {
		t.Fatal(err)
	}
	ws, err := env.DB.Workshops(context.Background(), org.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range ws {
		switch w.Title {
		case service.DemoThisYearTitle:
			thisYear = "/o/demo/workshops/" + w.ID
		case service.DemoLastYearTitle:
			lastYear = "/o/demo/workshops/" + w.ID
		}
	}
	if thisYear == "" || lastYear == "" {
		t.Fatalf("the demo lacks its finished workshops: %+v", ws)
	}
	return env, env.SignedIn(service.DemoEmail), thisYear, lastYear
}

var svgCount = regexp.MustCompile(`<svg class="wm-svg"`)

// Ensures the results page of a finished workshop shows every view with a
// summary, a chart and a table; shows the facilitator's pin and exclusion
// with their reasons; reads in Swedish; and compares with last year's
// workshop when asked.
func TestResultsPage(t *testing.T) {
	_, owner, thisYear, lastYear := demoResults(t)
	res := owner.Get(thisYear + "/results")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{
		`id="ranking-summary"`, `id="matrix-summary"`, `id="radar-summary"`, `id="tensions-summary"`, `id="groups-summary"`,
		"Based on the answers of 47 participants",
		"Top priorities: Cyber threats to critical services (pinned)",
		"Reason: The board asked for cyber resilience",
		"Outside the council&#39;s remit",
		"Act now: high impact, high certainty",
		`aria-labelledby="matrix-heading matrix-summary"`,
		"Exercise a ransomware attack", "/report",
	} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("results page lacks %q", want)
		}
	}
	// ranking, matrix, radar, five distributions, tensions, groups, dots
	if n := len(svgCount.FindAllString(res.Body, -1)); n < 11 {
		t.Errorf("%d charts, want at least 11", n)
	}
	if strings.Contains(res.Body, `id="compare-summary"`) {
		t.Error("a comparison shows before one was chosen")
	}

	cmp := owner.Get(thisYear + "/results?compare=" + strings.TrimPrefix(lastYear, "/o/demo/workshops/"))
	if !strings.Contains(cmp.Body, `id="compare-summary"`) || !strings.Contains(cmp.Body, "16 trends in both workshops") {
		t.Errorf("the comparison with last year is missing:\n%s", excerptAround(cmp.Body, "compare-heading"))
	}

	owner.PostForm("/lang", url.Values{"lang": {"sv"}})
	sv := owner.Get(thisYear + "/results")
	for _, want := range []string{"Agera nu", "Spänningsfält", "Hot"} {
		if !strings.Contains(sv.Body, want) {
			t.Errorf("Swedish results page lacks %q", want)
		}
	}
}

// Ensures the live part comes alone for the script that refreshes it, and
// that the results follow a new answer without any recomputation by hand.
func TestResultsFragmentFollowsAnswers(t *testing.T) {
	env, owner, _, _ := demoResults(t)
	ctx := context.Background()
	org, _ := env.DB.OrgBySlug(ctx, service.DemoOrgSlug)
	ws, _ := env.DB.Workshops(ctx, org.ID)
	var open *domain.Workshop
	for i := range ws {
		if ws[i].Title == service.DemoWorkshopTitle {
			open = &ws[i].Workshop
		}
	}
	if open == nil {
		t.Fatal("no open demo workshop")
	}
	path := "/o/demo/workshops/" + open.ID + "/results"
	before := owner.Get(path + "?fragment=1")
	if before.StatusCode != http.StatusOK || strings.Contains(before.Body, "<html") || !strings.Contains(before.Body, `id="ranking"`) {
		t.Fatalf("fragment: status %d, whole page or no ranking", before.StatusCode)
	}
	const empty = "No answers yet."
	if !strings.Contains(before.Body, empty) {
		t.Error("a workshop without answers does not say so")
	}
	if !strings.Contains(owner.Get(path).Body, `data-wm-live="/o/demo/workshops/`+open.ID+`/events"`) {
		t.Error("the page of a running workshop does not follow its stream")
	}

	u, _ := env.DB.UserByEmail(ctx, service.DemoEmail)
	a := domain.Actor{OrgID: org.ID, UserID: u.ID, Role: domain.Owner}
	if _, err := env.Svc.SetPhase(ctx, a, open.ID, domain.PhaseRating); err != nil {
		t.Fatal(err)
	}
	_, w, p, err := env.Svc.Join(ctx, open.Code, "staff", "")
	if err != nil {
		t.Fatal(err)
	}
	five := 5
	if err := env.Svc.SubmitAnswers(ctx, w, p, []service.AnswerInput{{Trend: w.TrendKeys[0], Question: domain.QImpact, Value: &five}}); err != nil {
		t.Fatal(err)
	}
	after := owner.Get(path + "?fragment=1")
	if strings.Contains(after.Body, empty) {
		t.Error("the results still say there are no answers")
	}
	if !strings.Contains(after.Body, "Impact: 1 answer with a value. Highest mean: "+"Democracy under pressure (5.0)") {
		t.Errorf("the impact distribution does not count the new answer:\n%s", excerptAround(after.Body, `id="dist-impact"`))
	}
}

// Ensures a facilitator pins a trend with a reason, a decision without a
// reason is refused with the problem shown (422) and changes nothing, and
// a viewer may read the results but not decide.
func TestResultsDecisions(t *testing.T) {
	env, owner, thisYear, _ := demoResults(t)
	bad := owner.PostForm(thisYear+"/results/decisions", url.Values{"trend": {"digital-exclusion"}, "kind": {"pin"}, "reason": {"  "}})
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `govuk-error-summary`) {
		t.Fatalf("no reason: status %d", bad.StatusCode)
	}
	if strings.Contains(owner.Get(thisYear+"/results").Body, "Digital exclusion as services go digital first · Pinned") {
		t.Error("a refused decision was stored")
	}
	ok := owner.PostForm(thisYear+"/results/decisions", url.Values{"trend": {"digital-exclusion"}, "kind": {"pin"}, "reason": {"Åsa's motion – agreed by the board"}})
	if ok.StatusCode != http.StatusSeeOther {
		t.Fatalf("pin: status %d\n%s", ok.StatusCode, ok.Body)
	}
	page := owner.Get(thisYear + "/results")
	if !strings.Contains(page.Body, "Åsa&#39;s motion – agreed by the board") {
		t.Error("the pin's reason is not shown")
	}
	clear := owner.PostForm(thisYear+"/results/decisions", url.Values{"trend": {"digital-exclusion"}, "kind": {"clear"}})
	if clear.StatusCode != http.StatusSeeOther || strings.Contains(owner.Get(thisYear+"/results").Body, "Åsa&#39;s motion") {
		t.Errorf("clear: status %d, or the reason still shows", clear.StatusCode)
	}

	org, _ := env.DB.OrgBySlug(context.Background(), service.DemoOrgSlug)
	env.User("viewer@demo.example", org, domain.Viewer)
	viewer := env.SignedIn("viewer@demo.example")
	if res := viewer.Get(thisYear + "/results"); res.StatusCode != http.StatusOK || strings.Contains(res.Body, `id="decide"`) {
		t.Errorf("viewer: status %d, or the decision form shows", res.StatusCode)
	}
	if res := viewer.PostForm(thisYear+"/results/decisions", url.Values{"trend": {"digital-exclusion"}, "kind": {"pin"}, "reason": {"x"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("viewer decides: status %d, want 403", res.StatusCode)
	}
}

// Ensures the printable report has its cover with the participation by
// group, the method and the board's views, and none of the page's forms.
func TestResultsReport(t *testing.T) {
	_, owner, thisYear, _ := demoResults(t)
	res := owner.Get(thisYear + "/report")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{"Trend assessment report", "Participation by group", "Elected members", "How to read this report",
		`id="ranking"`, `id="matrix"`, `id="radar"`, `id="tensions"`, `id="groups"`, `id="ideas"`, `id="dots"`, "wm-report__cover"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	for _, not := range []string{`name="question"`, `name="compare"`, `id="radar-categories"`, `name="reason"`} {
		if strings.Contains(res.Body, not) {
			t.Errorf("report has the page's control %q", not)
		}
	}
}

// excerptAround returns some text after marker, for failure messages.
func excerptAround(body, marker string) string {
	i := strings.Index(body, marker)
	if i < 0 {
		return "(" + marker + " not found)"
	}
	return body[i:min(len(body), i+1500)]
}

// Ensures every report file downloads for a member with its type, an
// attachment name and no caching; that the answers carry no participant
// id; and that a client without a session gets the sign-in page instead.
func TestResultsDownloads(t *testing.T) {
	env, owner, thisYear, _ := demoResults(t)
	ctx := context.Background()
	org, _ := env.DB.OrgBySlug(ctx, service.DemoOrgSlug)
	ws, _ := env.DB.Workshops(ctx, org.ID)
	var answers []domain.Answer
	for _, w := range ws {
		if w.Title == service.DemoThisYearTitle {
			answers, _ = env.DB.Answers(ctx, org.ID, w.ID)
		}
	}
	page := owner.Get(thisYear + "/results")
	for ext, wantType := range map[string]string{
		"pdf":  "application/pdf",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"csv":  "text/csv",
		"json": "application/json",
	} {
		path := thisYear + "/report." + ext
		if !strings.Contains(page.Body, `href="`+path+`"`) {
			t.Errorf("the results page has no link to %s", path)
		}
		res := owner.Get(path)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), wantType) {
			t.Errorf("%s: status %d, type %q", ext, res.StatusCode, res.Header.Get("Content-Type"))
			continue
		}
		if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="trend-workshop-2026`) || !strings.HasSuffix(cd, "."+ext+`"`) {
			t.Errorf("%s: Content-Disposition %q", ext, cd)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "private, no-store" {
			t.Errorf("%s: Cache-Control %q", ext, cc)
		}
		if ext == "csv" || ext == "json" {
			for _, a := range answers[:20] {
				if strings.Contains(res.Body, a.ParticipantID) {
					t.Fatalf("%s names participant %s", ext, a.ParticipantID)
				}
			}
		}
		if ext == "csv" && strings.Count(res.Body, "\n") != len(answers)+1 {
			t.Errorf("csv: %d lines for %d answers", strings.Count(res.Body, "\n"), len(answers))
		}
		if anon := env.Client().Get(path); anon.StatusCode != http.StatusSeeOther || !strings.HasPrefix(anon.Header.Get("Location"), "/signin") {
			t.Errorf("%s without a session: status %d to %q", ext, anon.StatusCode, anon.Header.Get("Location"))
		}
	}
}
