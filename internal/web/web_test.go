package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/apptest"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/store"
	"github.com/waymark/waymark/internal/store/storetest"
)

// start serves Waymark on a fresh SQLite database with organisation "alpha"
// and its owner signed in.
func start(t *testing.T) (*apptest.Env, *domain.Organisation, *apptest.Client) {
	env := apptest.Start(t, storetest.Open(t, storetest.SQLite))
	org := env.Org("alpha")
	env.User("owner@alpha.example", org, domain.Owner)
	return env, org, env.SignedIn("owner@alpha.example")
}

// Ensures every page carries the security headers: a Content-Security-Policy
// without unsafe-inline that forbids framing, nosniff, a strict referrer
// policy.
func TestSecurityHeaders(t *testing.T) {
	env, _, owner := start(t)
	for _, res := range []*apptest.Response{env.Client().Get("/signin"), owner.Get("/o/alpha/libraries"), env.Client().Get("/nowhere")} {
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		if csp == "" || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("Content-Security-Policy = %q", csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("X-Content-Type-Options = %q", h.Get("X-Content-Type-Options"))
		}
		if rp := h.Get("Referrer-Policy"); rp != "same-origin" && rp != "no-referrer" && rp != "strict-origin" {
			t.Errorf("Referrer-Policy = %q", rp)
		}
		if h.Get("X-Request-Id") == "" {
			t.Error("no X-Request-Id")
		}
	}
	// No inline script or style anywhere in the markup.
	body := owner.Get("/o/alpha/libraries").Body
	if regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]`).MatchString(body) || strings.Contains(body, " style=") || strings.Contains(body, "<style") {
		t.Error("page has inline script or style, which the policy would block")
	}
}

// Ensures error pages (404, 403, 500) show the request id and never a stack
// trace or SQL.
func TestErrorPages(t *testing.T) {
	env, org, _ := start(t)
	res := env.Client().Get("/no/such/page")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(res.Body, res.Header.Get("X-Request-Id")) {
		t.Fatalf("404 page: status %d, request id %q not shown", res.StatusCode, res.Header.Get("X-Request-Id"))
	}
	env.User("viewer@alpha.example", org, domain.Viewer)
	viewer := env.SignedIn("viewer@alpha.example")
	res = viewer.Get("/o/alpha/libraries/import")
	if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, res.Header.Get("X-Request-Id")) || !strings.Contains(res.Body, "does not allow") {
		t.Fatalf("403 page: status %d\n%s", res.StatusCode, res.Body)
	}
	// A broken database gives a 500 page without detail.
	env.DB.Close()
	res = viewer.Get("/o/alpha/libraries")
	if res.StatusCode != http.StatusInternalServerError || !strings.Contains(res.Body, res.Header.Get("X-Request-Id")) {
		t.Fatalf("500 page: status %d", res.StatusCode)
	}
	for _, leak := range []string{"goroutine", "sql", "SELECT", "database is closed", ".go:"} {
		if strings.Contains(res.Body, leak) {
			t.Errorf("500 page shows %q", leak)
		}
	}
}

// Ensures a state-changing request from another site is refused.
func TestCrossOriginPostRefused(t *testing.T) {
	env, _, owner := start(t)
	for _, h := range []http.Header{
		{"Sec-Fetch-Site": {"cross-site"}, "Content-Type": {"application/x-www-form-urlencoded"}},
		{"Origin": {"https://evil.example"}, "Content-Type": {"application/x-www-form-urlencoded"}},
	} {
		res := owner.Request(http.MethodPost, "/o/alpha/tokens", strings.NewReader("name=evil"), h)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-origin POST with %v: status %d, want 403", h, res.StatusCode)
		}
	}
	if ts, _ := env.DB.APITokens(context.Background(), mustOrg(t, env, "alpha").ID, mustUser(t, env, "owner@alpha.example").ID); len(ts) != 0 {
		t.Fatalf("a cross-origin request made %d tokens", len(ts))
	}
	// The same request from the site itself works.
	res := owner.Request(http.MethodPost, "/o/alpha/tokens", strings.NewReader("name=ok"), http.Header{
		"Sec-Fetch-Site": {"same-origin"}, "Content-Type": {"application/x-www-form-urlencoded"}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("same-origin POST: status %d", res.StatusCode)
	}
}

func mustOrg(t *testing.T, env *apptest.Env, slug string) *domain.Organisation {
	o, err := env.DB.OrgBySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func mustUser(t *testing.T, env *apptest.Env, email string) *domain.User {
	u, err := env.DB.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

const sessionCookie = "waymark_session"

// Ensures the session id changes at sign-in (so a fixed session is
// worthless), the cookie is HttpOnly and SameSite, and signing out ends the
// session on the server, not only in the browser.
func TestSessionLifecycle(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		env := apptest.Start(t, db)
		org := env.Org("alpha")
		env.User("owner@alpha.example", org, domain.Owner)
		c := env.Client()
		c.SetCookie(sessionCookie, "attacker-chosen-session-id")
		res := c.PostForm("/signin", url.Values{"email": {"owner@alpha.example"}, "password": {apptest.Password}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in: %d", res.StatusCode)
		}
		setCookie := res.Header.Get("Set-Cookie")
		if !strings.Contains(setCookie, "HttpOnly") || !strings.Contains(setCookie, "SameSite=Lax") {
			t.Errorf("session cookie attributes: %s", setCookie)
		}
		first := c.Cookie(sessionCookie)
		if first == "" || first == "attacker-chosen-session-id" {
			t.Fatalf("session id not renewed at sign-in: %q", first)
		}
		// Signing in again renews it again.
		c.PostForm("/signin", url.Values{"email": {"owner@alpha.example"}, "password": {apptest.Password}})
		second := c.Cookie(sessionCookie)
		if second == first {
			t.Fatal("session id unchanged at second sign-in")
		}
		if res := c.Get("/o/alpha/"); res.StatusCode != http.StatusOK {
			t.Fatalf("signed-in page: %d", res.StatusCode)
		}
		// A copy of the cookie, as an attacker who stole it would hold.
		thief := env.Client()
		thief.SetCookie(sessionCookie, second)
		if res := thief.Get("/o/alpha/"); res.StatusCode != http.StatusOK {
			t.Fatalf("copied cookie before sign-out: %d", res.StatusCode)
		}
		c.PostForm("/signout", nil)
		if res := thief.Get("/o/alpha/"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
			t.Fatalf("copied cookie after sign-out: status %d, location %q; want a redirect to sign in", res.StatusCode, res.Header.Get("Location"))
		}
		if _, found, _ := db.FindSession(context.Background(), second); found {
			t.Fatal("the session is still stored after sign-out")
		}
	})
}

// Ensures repeated failed sign-ins make that account wait, with a clear
// message, without locking out anyone else, and that the right password
// works again once the wait is over.
func TestSignInBackoff(t *testing.T) {
	env, org, _ := start(t)
	env.User("bob@alpha.example", org, domain.Viewer)
	attacker := env.Client()
	for i := 0; i < 5; i++ {
		res := attacker.PostForm("/signin", url.Values{"email": {"owner@alpha.example"}, "password": {"wrong password"}})
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Body, "email address or password is not right") {
			t.Fatalf("failure %d: status %d", i+1, res.StatusCode)
		}
	}
	res := env.Client().PostForm("/signin", url.Values{"email": {"owner@alpha.example"}, "password": {apptest.Password}})
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.Body, "Try again in") {
		t.Fatalf("during backoff: status %d", res.StatusCode)
	}
	// Someone else is not affected.
	env.SignedIn("bob@alpha.example")
	// After the wait the owner gets in, and the count starts again.
	env.Clock.Advance(2 * time.Second)
	env.SignedIn("owner@alpha.example")
	if n, _, _ := env.DB.LoginFailures(context.Background(), mustUser(t, env, "owner@alpha.example").ID); n != 0 {
		t.Fatalf("failures after success = %d", n)
	}
}

var inviteLink = regexp.MustCompile(`https?://[^<"\s]+/invite/(wmi_[A-Za-z0-9_-]+)`)

// Ensures an invitation link makes an account with the invited role, works
// only once, and stops working when it expires.
func TestInvitations(t *testing.T) {
	env, _, owner := start(t)
	res := owner.PostForm("/o/alpha/members/invite", url.Values{"email": {"new@alpha.example"}, "role": {"facilitator"}})
	m := inviteLink.FindStringSubmatch(res.Body)
	if res.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("invite: status %d, no link in page", res.StatusCode)
	}
	path := "/invite/" + m[1]
	guest := env.Client()
	if res := guest.Get(path); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "new@alpha.example") {
		t.Fatalf("invitation page: %d", res.StatusCode)
	}
	res = guest.PostForm(path, url.Values{"display_name": {"New Person"}, "password": {"short"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "at least 10 characters") {
		t.Fatalf("short password: status %d", res.StatusCode)
	}
	res = guest.PostForm(path, url.Values{"display_name": {"New Person"}, "password": {"a long enough password"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/o/alpha/" {
		t.Fatalf("accept: status %d, location %q", res.StatusCode, res.Header.Get("Location"))
	}
	u := mustUser(t, env, "new@alpha.example")
	if mem, err := env.DB.Membership(context.Background(), mustOrg(t, env, "alpha").ID, u.ID); err != nil || mem.Role != domain.Facilitator {
		t.Fatalf("membership after accept: %+v %v", mem, err)
	}
	if res := env.Client().PostForm(path, url.Values{"display_name": {"Other"}, "password": {"another long password"}}); res.StatusCode != http.StatusGone || !strings.Contains(res.Body, "already been used") {
		t.Fatalf("second use: status %d", res.StatusCode)
	}
	res = owner.PostForm("/o/alpha/members/invite", url.Values{"email": {"late@alpha.example"}, "role": {"viewer"}})
	late := "/invite/" + inviteLink.FindStringSubmatch(res.Body)[1]
	env.Clock.Advance(8 * 24 * time.Hour)
	if res := env.Client().Get(late); res.StatusCode != http.StatusGone || !strings.Contains(res.Body, "expired") {
		t.Fatalf("expired invitation: status %d", res.StatusCode)
	}
}

// Ensures the language follows the browser at first, and a choice made in
// the switcher is remembered for the account.
func TestLanguage(t *testing.T) {
	env, _, owner := start(t)
	sv := env.Client().Request(http.MethodGet, "/signin", nil, http.Header{"Accept-Language": {"sv-SE,sv;q=0.9,en;q=0.5"}})
	if !strings.Contains(sv.Body, `<html lang="sv"`) || !strings.Contains(sv.Body, "Logga in") {
		t.Fatal("Swedish browser did not get Swedish")
	}
	if en := env.Client().Get("/signin"); !strings.Contains(en.Body, `<html lang="en"`) {
		t.Fatal("default is not English")
	}
	res := owner.PostForm("/lang", url.Values{"lang": {"sv"}, "return_to": {"/o/alpha/libraries"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/o/alpha/libraries" {
		t.Fatalf("switch: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if !strings.Contains(owner.Get("/o/alpha/libraries").Body, "Trendbibliotek") {
		t.Fatal("page not in Swedish after switching")
	}
	// A new browser signing in as the same person gets Swedish.
	other := env.SignedIn("owner@alpha.example")
	if body := other.Get("/o/alpha/libraries").Body; !strings.Contains(body, `<html lang="sv"`) {
		t.Fatal("language not remembered for the account")
	}
	// return_to never leaves the site.
	if res := owner.PostForm("/lang", url.Values{"lang": {"en"}, "return_to": {"//evil.example/"}}); res.Header.Get("Location") != "/" {
		t.Fatalf("open redirect: %q", res.Header.Get("Location"))
	}
}

// Ensures request bodies over the limit are refused with 413.
func TestBodyLimit(t *testing.T) {
	_, _, owner := start(t)
	big := strings.Repeat("x", 2<<20)
	res := owner.PostForm("/o/alpha/tokens", url.Values{"name": {big}})
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", res.StatusCode)
	}
}
