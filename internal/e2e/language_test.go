package e2e

import (
	"context"
	"testing"

	"github.com/waymark/waymark/internal/apptest"
)

// Ensures the header's language switcher turns the interface Swedish: the
// page comes back with html lang="sv" and Swedish headings and navigation;
// the choice holds on the next page, after signing out, and after signing in
// again in a browser with no cookies at all, because it is stored for the
// user. The Swedish pages pass axe at 320 px and 1280 px.
func TestSwitchToSwedish(t *testing.T) {
	t.Parallel()
	d := startDemo(t)
	p := d.NewPage()
	signIn(t, p, demoEmail, apptest.Password, "/o/demo/")
	if got := p.Lang(); got != "en" {
		t.Fatalf("before switching, html lang = %q; want en", got)
	}
	if got := p.Text(".wm-lang__current"); got != "English" {
		t.Errorf("current language shown as %q; want English", got)
	}

	// Switch on the overview page; the switcher brings us back to it.
	if status := p.ClickNav(".wm-lang button[value=sv]"); status != 200 {
		t.Fatalf("switch to Swedish: status %d", status)
	}
	if got := p.Path(); got != "/o/demo/" {
		t.Errorf("after switching, on %s; want back on /o/demo/", got)
	}
	checkSwedish(t, p, "Det här kan du göra")
	if got := p.Text(".wm-lang__current"); got != "Svenska" {
		t.Errorf("current language shown as %q; want Svenska", got)
	}
	if got := p.Attr(".wm-lang button[value=en]", "lang"); got != "en" {
		t.Errorf("the English button has lang %q; want en (it is read in English)", got)
	}
	p.Audit("/o/demo/ (sv)")

	// The next page is Swedish too.
	p.ClickText("Trendbibliotek")
	checkSwedish(t, p, "Trendbibliotek")
	if got := p.Text("h1"); got != "Trendbibliotek" {
		t.Errorf("libraries h1 = %q; want Trendbibliotek", got)
	}
	p.Audit("/o/demo/libraries (sv)")
	// Library names follow the language.
	p.ClickText("Digitala trender i offentlig sektor")
	if got := p.Text("h1"); got != "Digitala trender i offentlig sektor" {
		t.Errorf("library h1 = %q; want the Swedish name", got)
	}
	p.Audit("library (sv)")

	// It is stored for the user.
	u, err := d.DB.UserByEmail(context.Background(), demoEmail)
	if err != nil {
		t.Fatal(err)
	}
	if u.Language != "sv" {
		t.Errorf("stored language for the user = %q; want sv", u.Language)
	}

	// Sign out: the sign-in page stays Swedish in this browser.
	if status := p.ClickText("Logga ut"); status != 200 {
		t.Fatalf("sign out: status %d", status)
	}
	if got := p.Text("h1"); got != "Logga in" {
		t.Errorf("after signing out, h1 = %q; want Logga in", got)
	}
	checkSwedish(t, p, "")
	p.Audit("/signin (sv)")

	// Another browser with no cookies: English until the user signs in,
	// then Swedish, from the account.
	fresh := d.NewPage()
	fresh.Go("/signin")
	if got := fresh.Lang(); got != "en" {
		t.Errorf("fresh browser sign-in page lang = %q; want en", got)
	}
	signIn(t, fresh, demoEmail, apptest.Password, "/o/demo/")
	checkSwedish(t, fresh, "Det här kan du göra")
	fresh.ClickText("Inställningar")
	checkSwedish(t, fresh, "Organisationens inställningar")
	fresh.Audit("/o/demo/settings (sv)")
}

// checkSwedish checks the page is in Swedish: html lang, the main
// navigation, and (if given) a heading on the page.
func checkSwedish(t *testing.T, p *apptest.Page, heading string) {
	t.Helper()
	if got := p.Lang(); got != "sv" {
		t.Errorf("%s: html lang = %q; want sv", p.Path(), got)
	}
	if got := p.Text(".govuk-skip-link"); got != "Hoppa till huvudinnehållet" {
		t.Errorf("%s: skip link %q; want Swedish", p.Path(), got)
	}
	if nav := p.Texts(".wm-header__nav-link"); len(nav) > 0 && nav[0] != "Översikt" {
		t.Errorf("%s: navigation %q; want Swedish", p.Path(), nav)
	}
	if heading == "" {
		return
	}
	headings := p.Texts("main h1, main h2")
	for _, h := range headings {
		if h == heading {
			return
		}
	}
	t.Errorf("%s: headings %q; want %q among them", p.Path(), headings, heading)
}
