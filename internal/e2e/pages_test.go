package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/apptest"
	"github.com/waymark/waymark/internal/domain"
)

// Ensures the organisation's other pages work in the browser and pass axe
// at 320 px and 1280 px without sideways scrolling: members (with an
// invitation made, and the invitation page a newcomer opens), API tokens
// (a token created is shown once, then only listed), settings, the audit
// log, the account page (also with an error), and the header's
// organisation switcher, shown on every page since the owner belongs to
// two organisations.
func TestOrganisationPages(t *testing.T) {
	t.Parallel()
	d := startDemo(t)
	other := d.Env.Org("north")
	if err := d.DB.SetMembership(context.Background(), &domain.Membership{OrgID: other.ID, UserID: d.User.ID, Role: domain.Viewer}); err != nil {
		t.Fatal(err)
	}
	p := d.NewPage()
	signIn(t, p, demoEmail, apptest.Password, "/o/demo/")
	if got := p.Value("#wm-org"); got != "demo" {
		t.Errorf("organisation switcher shows %q; want demo", got)
	}
	p.Audit("/o/demo/ (with organisation switcher)")

	// Members, and an invitation.
	p.ClickText("Members")
	if got := p.Text("h1"); got != "Members" {
		t.Fatalf("members h1 = %q", got)
	}
	// The demo owner and the two capability assessors of the demo.
	if got := p.Texts("tbody .govuk-table__cell:first-child"); len(got) != 3 || !slices.ContainsFunc(got, func(m string) bool { return strings.Contains(m, demoEmail) }) {
		t.Errorf("members %q; want the demo owner and two assessors", got)
	}
	p.Audit()
	p.Fill("#email", "not an email")
	p.ClickText("Create invitation link")
	if n := p.Count(".govuk-error-summary [role=alert]"); n != 1 {
		t.Errorf("a bad invitation email shows %d error summaries", n)
	}
	p.Audit("/o/demo/members (error)")
	p.Fill("#email", "new.colleague@example.org")
	p.SetValue("#role", "analyst")
	p.ClickText("Create invitation link")
	link := p.Text("#invite-link")
	if !strings.Contains(link, "/invite/") {
		t.Fatalf("invitation link %q", link)
	}
	if got := p.Texts(".govuk-list li.wm-break"); len(got) != 1 || !strings.Contains(got[0], "new.colleague@example.org") {
		t.Errorf("pending invitations %q", got)
	}
	p.Audit("/o/demo/members (invitation made)")

	// The newcomer's view of the invitation, signed out.
	newcomer := d.NewPage()
	if status := newcomer.Go(link[strings.Index(link, "/invite/"):]); status != 200 {
		t.Fatalf("invitation page: status %d", status)
	}
	if got := newcomer.Text("h1"); got != "Invitation" {
		t.Errorf("invitation h1 = %q", got)
	}
	newcomer.Audit("/invite/… (signed out)")

	// API tokens: created, shown once.
	p.ClickText("API tokens")
	p.Audit()
	p.Fill("#name", "Reporting script")
	p.ClickText("Create token")
	secret := p.Text("#token-secret")
	if len(secret) < 20 {
		t.Fatalf("token secret %q", secret)
	}
	if got := p.Texts("tbody .govuk-table__cell:first-child"); !slices.Equal(got, []string{"Reporting script"}) {
		t.Errorf("tokens listed %q", got)
	}
	p.Audit("/o/demo/tokens (token created)")
	p.Go("/o/demo/tokens")
	if n := p.Count("#token-secret"); n != 0 {
		t.Errorf("the token secret is shown again on reload")
	}
	if body := p.Text("main"); strings.Contains(body, secret) {
		t.Errorf("the tokens page still contains the secret")
	}
	if n := p.Count("tbody button.govuk-button--warning"); n != 1 {
		t.Errorf("%d revoke buttons; want 1", n)
	}
	p.Audit("/o/demo/tokens (listed)")

	// Settings and the audit log.
	p.ClickText("Settings")
	if got := p.Text("h1"); got != "Organisation settings" {
		t.Errorf("settings h1 = %q", got)
	}
	p.Audit()
	p.ClickText("Audit log")
	p.Audit()

	// The account page, and a wrong current password.
	p.ClickText("Your account")
	if got := p.Text("h1"); got != "Your account" {
		t.Errorf("account h1 = %q", got)
	}
	p.Audit()
	p.Fill("#current_password", "not my password")
	p.Fill("#new_password", "a much longer new password")
	if status := p.ClickNav("main form button[type=submit]"); status != 422 {
		t.Errorf("account with a wrong password: status %d; want 422", status)
	}
	if n := p.Count(".govuk-error-summary [role=alert]"); n != 1 {
		t.Errorf("account error: %d error summaries", n)
	}
	p.Audit("/account (error)")

	// Switch organisation with the header switcher (no JavaScript needed:
	// the button submits; with JavaScript a pointer choice submits).
	if status := p.SelectNav("#wm-org", "north"); status != 200 {
		t.Errorf("switch organisation: status %d", status)
	}
	if got := p.Path(); got != "/o/north/" {
		t.Errorf("after switching, on %s; want /o/north/", got)
	}
	if got := p.Text("h1"); got != "Org north" {
		t.Errorf("after switching, h1 = %q; want Org north", got)
	}
	p.Audit()

	// Not found.
	if status := p.Go("/o/demo/no-such-page"); status != 404 {
		t.Errorf("unknown page: status %d; want 404", status)
	}
	if got := p.Text("h1"); got != "Page not found" {
		t.Errorf("404 h1 = %q", got)
	}
	if got := p.Text("main code"); len(got) < 8 {
		t.Errorf("404 page shows request id %q", got)
	}
	p.Audit()
	signedOut := d.NewPage()
	if status := signedOut.Go("/no/such/page"); status != 404 {
		t.Errorf("unknown page signed out: status %d; want 404", status)
	}
	signedOut.Audit("404 (signed out)")
}

// Ensures an owner can work on a draft of a library in the browser: start a
// draft, edit the details and a trend (with a rejected save first), move a
// trend, add a driving force, see every add form, publish, and then read the
// versions page and the difference between the two versions. Every page
// and form passes axe at 320 px and 1280 px without sideways scrolling.
func TestDraftEditing(t *testing.T) {
	t.Parallel()
	d := startDemo(t)
	p := d.NewPage()
	signIn(t, p, demoEmail, apptest.Password, "/o/demo/")
	base := "/o/demo/libraries/" + d.libraryID(t, "Local public services 2035")
	p.Go(base)
	before := allTrends(p)
	if len(before) < 10 {
		t.Fatalf("library lists %d trends", len(before))
	}
	p.Audit("published library, before the draft")

	// Start a draft.
	p.ClickText("Edit (start a new draft)")
	if got := p.Text(".govuk-notification-banner__heading"); got != "Draft version 2 started." {
		t.Errorf("flash %q", got)
	}
	if got := p.Text(".govuk-caption-l"); !strings.Contains(got, "version 2 (draft)") {
		t.Errorf("caption %q; want version 2 (draft)", got)
	}
	p.Audit("draft")

	// Details.
	p.ClickText("Edit name, description and source")
	p.Audit("edit details")
	p.Fill("#name_en", "Local public services 2035 (our edition)")
	p.ClickText("Save")
	if got := p.Text("h1"); got != "Local public services 2035 (our edition)" {
		t.Errorf("after saving details h1 = %q", got)
	}

	// A trend: a rejected save, then a good one.
	first := "democracy-under-pressure"
	p.ClickNav("a[href$='/edit/trend/" + first + "']")
	if got := p.Value("#title_en"); got != "Democracy under pressure" {
		t.Fatalf("trend form title_en = %q", got)
	}
	p.Audit("edit trend")
	p.Fill("#title_en", "")
	p.Fill("#title_sv", "")
	if status := p.ClickText("Save"); status != 422 {
		t.Errorf("saving a trend without a title: status %d; want 422", status)
	}
	if n := p.Count(".govuk-error-summary [role=alert] li"); n < 1 {
		t.Errorf("no error listed for a trend without a title")
	}
	if n := p.Count(".govuk-form-group--error"); n < 1 {
		t.Errorf("no field marked in error")
	}
	p.Audit("edit trend (error)")
	p.Fill("#title_en", "Democracy under strain")
	p.Fill("#title_sv", "Demokratin under påfrestning")
	if got := p.Value("#demand-place-based-leadership"); got != "2" {
		t.Errorf("demand on place-based leadership = %q; want the library's 2", got)
	}
	p.SetValue("#demand-innovation", "3")
	p.ClickText("Save")
	if got := allTrends(p); len(got) == 0 || got[0] != "Democracy under strain" {
		t.Errorf("after saving, the first trend is %q; want Democracy under strain", got)
	}
	p.Go(base + "/trends/" + first)
	if got := p.Texts(".wm-dl__value li"); !slices.Contains(got, "Innovation: 3 – strongly") {
		t.Errorf("the trend page lists the demand links %q; want Innovation: 3 – strongly among them", got)
	}
	p.Audit("trend with demand links")
	p.Go(base)

	// Move the first trend down one place.
	p.ClickNav("#trend-" + first + " form[action$='/move'] input[value=down] + button")
	got := allTrends(p)
	if len(got) < 2 || got[1] != "Democracy under strain" || got[0] != before[1] {
		t.Errorf("after moving down, trends start %q; want %q then Democracy under strain", got[:2], before[1])
	}

	// Add a driving force: a rejected save, then a good one.
	p.ClickText("Add a driving force")
	p.Audit("add driving force")
	p.ClickText("Save")
	if n := p.Count(".govuk-error-summary [role=alert] li"); n < 1 {
		t.Errorf("no error listed for a driving force without a name")
	}
	p.Audit("add driving force (error)")
	p.Fill("#name_en", "Energy transition")
	p.Fill("#name_sv", "Energiomställningen")
	p.Fill("#description_en", "Energy prices and the move away from fossil fuels change budgets and services.")
	p.ClickText("Save")
	if got := p.Texts("#driving_forces ~ .wm-dl .wm-dl__key"); !slices.Contains(got, "Energy transition") {
		t.Errorf("driving forces after adding %q", got)
	}

	// Every other add form.
	for _, add := range []string{"Add a trend", "Add a field of tension", "Add a capability area", "Add a time horizon"} {
		p.Go(base)
		p.ClickText(add)
		p.Audit(add)
	}

	// Publish, then the versions and the difference.
	p.Go(base)
	p.ClickText("Publish this version")
	if got := p.Text(".govuk-notification-banner__heading"); got != "Version 2 has been published." {
		t.Errorf("flash %q", got)
	}
	p.Audit("published version 2")
	p.ClickText("Versions")
	if got := p.Texts("tbody tr td:first-child"); !slices.Equal(got, []string{"version 2", "version 1"}) {
		t.Errorf("versions %q", got)
	}
	p.Audit()
	p.ClickText("Show differences")
	if got := p.Text("h1"); got != "Changes from version 1 to version 2" {
		t.Errorf("diff h1 = %q", got)
	}
	changes := strings.Join(p.Texts(".wm-diff__row"), "\n")
	for _, want := range []string{"Democracy under strain", "Energy transition", "Moved"} {
		if !strings.Contains(changes, want) {
			t.Errorf("diff lacks %q:\n%s", want, changes)
		}
	}
	p.Audit()
}
