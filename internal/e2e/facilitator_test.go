package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/apptest"
	"github.com/waymark/waymark/internal/domain"
)

// Ensures a facilitator creates a workshop from a starter library in the
// browser, opens the lobby and starts rating from the workshop's page, and
// that the presenter view on the big screen updates by itself — joined
// count and answers — without a reload while a participant joins and
// answers on a phone; the workshop pages and the presenter view pass axe.
func TestFacilitatorRunsWorkshop(t *testing.T) {
	t.Parallel()
	d := startDemo(t)
	ctx := context.Background()
	f := d.NewPage()
	signIn(t, f, demoEmail, apptest.Password, "/o/demo/")

	// Create: choose the library, then the settings form.
	if status := f.Go("/o/demo/workshops/new"); status != 200 {
		t.Fatalf("new workshop: status %d", status)
	}
	f.Audit("new workshop: choose a library")
	f.Click("input[name=version]")
	if status := f.ClickNav("main form button[type=submit]"); status != 200 {
		t.Fatalf("choose library: status %d", status)
	}
	f.Audit("new workshop: settings")
	f.Fill("#title", "Budget day 2027")
	if status := f.ClickNav("main form button[type=submit]"); status != 200 || !strings.HasPrefix(f.Path(), "/o/demo/workshops/") {
		t.Fatalf("create workshop: status %d on %s", status, f.Path())
	}
	wsID := f.Path()[len("/o/demo/workshops/"):]
	ws, err := d.DB.Workshop(ctx, d.Org.ID, wsID)
	if err != nil {
		t.Fatal(err)
	}
	f.Audit("workshop page (draft)")
	f.ClickNav("#run-live form button[type=submit]") // Open the lobby
	f.ClickNav("#run-live form button[type=submit]") // Start rating
	if ws, err = d.DB.Workshop(ctx, d.Org.ID, wsID); err != nil || ws.Phase != domain.PhaseRating {
		t.Fatalf("after two clicks the workshop is in %v (%v); want rating", ws.Phase, err)
	}
	f.Audit("workshop page (rating)")

	// The presenter view, on the big screen.
	presenter := d.NewPage()
	signIn(t, presenter, demoEmail, apptest.Password, "/o/demo/")
	presenter.SetViewport(1280, 900)
	presenter.Go("/o/demo/workshops/" + wsID + "/present")
	presenter.Audit("presenter view")
	if got := presenter.Text(".wm-present__code"); !strings.Contains(got, ws.Code[:4]) {
		t.Fatalf("presenter code %q; want %s", got, ws.Code)
	}
	mark(presenter, "presenter")

	// A participant joins and answers; the presenter follows by itself.
	phone := d.phone()
	phone.Go("/join/" + ws.Code)
	phone.Click("input[name=group]")
	phone.ClickNav("main form button[type=submit]")
	presenter.WaitFor(`document.querySelector('.wm-present__phase').textContent.includes('1 participant')`)
	phone.Click("label[for$='-impact-5']")
	presenter.WaitFor(`Array.from(document.querySelectorAll('.wm-chart__count')).some(el => el.textContent.trim() === '1')`)
	marked(t, presenter, "presenter")
}
