package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/apptest"
	"github.com/waymark/waymark/internal/domain"
)

// Ensures the portfolio pages work in the browser without JavaScript and
// pass axe at 320 px and 1280 px without sideways scrolling: the list of
// the demo's initiatives, the settings, the new-initiative form (also with
// its error summary), an initiative, its edit and tracking forms (with
// more milestone rows asked for) and the tracking overview, in English and
// in Swedish.
func TestPortfolioPagesInBrowser(t *testing.T) {
	t.Parallel()
	d := startDemo(t)
	ins, err := d.Svc.Initiatives(context.Background(), domain.Actor{UserID: d.User.ID, OrgID: d.Org.ID, Role: domain.Owner})
	if err != nil || len(ins) == 0 {
		t.Fatalf("the demo has no initiatives: %v", err)
	}
	in := ins[0]
	p := d.NewPage()
	p.DisableJavaScript()
	signIn(t, p, demoEmail, apptest.Password, "/o/demo/")

	for _, path := range []string{"/o/demo/initiatives", "/o/demo/portfolio/settings", "/o/demo/tracking",
		"/o/demo/initiatives/" + in.ID, "/o/demo/initiatives/" + in.ID + "/edit", "/o/demo/initiatives/" + in.ID + "/delete"} {
		if status := p.Go(path); status != 200 {
			t.Fatalf("GET %s: status %d", path, status)
		}
		p.Audit()
	}

	// A new initiative with problems: the error summary, then the fields.
	p.Go("/o/demo/initiatives/new")
	p.Audit()
	p.Fill("#title", "")
	p.Fill("#one_off_cost", "a lot")
	if status := p.ClickNav("main form button[type=submit]"); status != 422 {
		t.Fatalf("a bad initiative: status %d", status)
	}
	if n := p.Count(".govuk-error-summary a[href='#one_off_cost']"); n != 1 {
		t.Errorf("the error summary links %d times to the cost", n)
	}
	p.Audit("/o/demo/initiatives/new (errors)")

	// Tracking without JavaScript: more rows, then a milestone added.
	p.Go("/o/demo/initiatives/" + in.ID + "/track")
	p.Audit()
	rows := p.Count("input[name$='-title']")
	p.ClickNav("button[name=more]")
	if got := p.Count("input[name$='-title']"); got != rows+3 {
		t.Fatalf("more rows: %d title inputs, want %d", got, rows+3)
	}
	p.Fill("#m"+strconv.Itoa(rows)+"-title", "Browser milestone")
	if status := p.ClickNav("main form button.govuk-button:not([name])"); status != 200 {
		t.Fatalf("save tracking: status %d at %s", status, p.Path())
	}
	if !strings.Contains(p.Text("main"), "Browser milestone") {
		t.Error("the saved milestone is not on the initiative's page")
	}

	// Swedish.
	p.Go("/o/demo/initiatives")
	p.ClickNav("button[value=sv]")
	if got := p.Text("h1"); got != "Initiativ" {
		t.Errorf("Swedish h1 = %q", got)
	}
	p.Audit("/o/demo/initiatives (sv)")
	p.Go("/o/demo/tracking")
	p.Audit("/o/demo/tracking (sv)")
}
