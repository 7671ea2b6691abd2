package e2e

import (
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/apptest"
	"github.com/waymark/waymark/internal/service"
)

// Ensures an organisation goes from initiatives to a provably optimal,
// budget-feasible roadmap in the browser, with JavaScript: it creates an
// initiative linked to a trend and a capability area, assesses its
// capabilities in the demo's round, optimises a scenario (proven optimal),
// compares two scenarios and opens the roadmap. Every page passes axe at
// 320 px and 1280 px without sideways scrolling.
func TestPortfolioJourney(t *testing.T) {
	t.Parallel()
	d := startDemo(t)
	p := d.NewPage()
	signIn(t, p, demoEmail, apptest.Password, "/o/demo/")

	// 1. A new initiative.
	p.ClickText("Initiatives")
	p.Audit("initiatives")
	p.Go("/o/demo/initiatives/new")
	p.Fill("#title", "Chatbot for council tax questions")
	p.Fill("#description", "Answers routine questions at any hour; hands over to staff.")
	p.Fill("#owner", "Customer services")
	p.SetValue("#trend-ai-changes-working-life", "2")
	p.SetValue("#trend-workforce-shortages", "1")
	p.Click("#area-innovation")
	p.Fill("#one_off_cost", "120000")
	p.Fill("#recurring_cost", "30000")
	p.Fill("#fte", "0.5")
	p.Fill("#duration", "1")
	p.Fill("#earliest_start", "2027")
	p.Fill("#latest_start", "2030")
	p.Audit("new initiative (filled)")
	if status := p.ClickNav("main form button[type=submit]"); status != 200 {
		t.Fatalf("create initiative: status %d at %s", status, p.Path())
	}
	if got := p.Text("h1"); got != "Chatbot for council tax questions" {
		t.Fatalf("after creating: h1 %q at %s", got, p.Path())
	}
	p.Audit("initiative")

	// 2. Capabilities: change one's own assessment in the demo's round.
	p.ClickText("Capabilities")
	p.Audit("capabilities")
	p.ClickText(service.DemoRoundTitle)
	p.Click("#current-innovation-3")
	p.Click("#target-innovation-5")
	if status := p.ClickNav("#assess-save"); status != 200 {
		t.Fatalf("save assessment: status %d", status)
	}
	if got := p.Text("#profile-summary"); got == "" {
		t.Error("no capability profile summary")
	}
	if n := p.Count("#profile svg.wm-svg, #gaps svg.wm-svg"); n < 2 {
		t.Errorf("%d charts in the profile and gaps; want 2", n)
	}
	p.Audit("capability round")

	// 3. Optimise the extra-staff scenario: proven optimal.
	p.ClickText("Roadmap")
	p.Audit("scenarios")
	p.ClickText(service.DemoExtraStaffName)
	if status := p.ClickNav("form.wm-sc-optimise button[type=submit]"); status != 200 {
		t.Fatalf("optimise: status %d", status)
	}
	if got := p.Text("#result-summary"); !strings.HasPrefix(got, "Proven optimal") {
		t.Errorf("result summary %q; want proven optimal", got)
	}
	if n := p.Count("#result table"); n < 2 {
		t.Errorf("%d result tables; want the plan and what binds", n)
	}
	p.Audit("scenario optimised")

	// 4. Compare the baseline with the budget cut.
	p.ClickText("Roadmap")
	var a, b string
	p.Eval(`Array.from(document.querySelectorAll("#compare-a option")).find(o => o.text.startsWith("Baseline")).value`, &a)
	p.Eval(`Array.from(document.querySelectorAll("#compare-b option")).find(o => o.text.startsWith("Budget")).value`, &b)
	p.SetValue("#compare-a", a)
	p.SetValue("#compare-b", b)
	if status := p.ClickNav("form[action$='/scenarios/compare'] button[type=submit]"); status != 200 {
		t.Fatalf("compare: status %d", status)
	}
	if got := p.Text("#comparison-summary"); got == "" {
		t.Error("no comparison summary")
	}
	p.Audit("scenarios compared")

	// 5. The baseline's roadmap.
	p.Go("/o/demo/scenarios/" + a + "/roadmap")
	if n := p.Count("#roadmap svg.wm-svg"); n != 1 {
		t.Errorf("%d roadmap charts", n)
	}
	if got := p.Text("#roadmap-summary"); got == "" {
		t.Error("no roadmap summary")
	}
	p.Audit("roadmap")
}
