package e2e

import (
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/apptest"
)

// Ensures a person can sign in from the sign-in page: a wrong password gives
// an error summary that screen readers announce (role=alert), keeps the
// email address typed and does not sign in; the right password lands on the
// organisation's overview. Every page on the way passes axe at 320 px and
// 1280 px.
func TestSignIn(t *testing.T) {
	t.Parallel()
	d := startDemo(t)
	p := d.NewPage()

	// Signed out, the home page sends people to sign in.
	if status := p.Go("/"); status != 200 {
		t.Fatalf("GET /: status %d", status)
	}
	if got := p.Path(); !strings.HasPrefix(got, "/signin") {
		t.Fatalf("GET / signed out landed on %s; want /signin", got)
	}
	if got := p.Text("h1"); got != "Sign in" {
		t.Errorf("h1 = %q; want Sign in", got)
	}
	if n := p.Count(".govuk-error-summary"); n != 0 {
		t.Errorf("a fresh sign-in page shows %d error summaries", n)
	}
	p.Audit()

	// A wrong password.
	p.Fill("#email", demoEmail)
	p.Fill("#password", "not the right password")
	if status := p.ClickNav("main form button[type=submit]"); status != 401 {
		t.Errorf("wrong password: status %d; want 401", status)
	}
	if got := p.Path(); !strings.HasPrefix(got, "/signin") {
		t.Errorf("wrong password landed on %s; want the sign-in page", got)
	}
	if n := p.Count(".govuk-error-summary [role=alert]"); n != 1 {
		t.Fatalf("wrong password: %d error summaries with role=alert; want 1", n)
	}
	if got, want := p.Text(".govuk-error-summary [role=alert] .govuk-error-summary__list"), "The email address or password is not right."; got != want {
		t.Errorf("error summary says %q; want %q", got, want)
	}
	// The summary links to the field to correct.
	if got := p.Attr(".govuk-error-summary__list a", "href"); got != "#email" {
		t.Errorf("error summary links to %q; want #email", got)
	}
	if got := p.Value("#email"); got != demoEmail {
		t.Errorf("email field after a failed sign-in = %q; want %q kept", got, demoEmail)
	}
	if got := p.Value("#password"); got != "" {
		t.Errorf("password field after a failed sign-in = %q; want it empty", got)
	}
	// govuk-frontend moves focus to the summary so it is read out first.
	p.WaitFor(`document.activeElement && document.activeElement.classList.contains('govuk-error-summary')`)
	if got := p.Lang(); got != "en" {
		t.Errorf("html lang = %q; want en", got)
	}
	p.Audit("/signin (wrong password)")

	// The right password.
	p.Fill("#password", apptest.Password)
	if status := p.ClickNav("main form button[type=submit]"); status != 200 {
		t.Fatalf("right password: status %d", status)
	}
	if got := p.Path(); got != "/o/demo/" {
		t.Fatalf("right password landed on %s; want /o/demo/", got)
	}
	if got := p.Text("h1"); got != "Demo Council" {
		t.Errorf("h1 = %q; want Demo Council", got)
	}
	if got := p.Texts("header nav a[aria-current=page]"); len(got) != 1 || got[0] != "Overview" {
		t.Errorf("current navigation item %q; want [Overview]", got)
	}
	p.Audit()
}
