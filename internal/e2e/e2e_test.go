package e2e

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/apptest"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
	"github.com/waymark/waymark/internal/store/storetest"
)

// One Chromium serves every test of the package; each test opens its own
// tabs, in browser contexts of their own.
func TestMain(m *testing.M) {
	code := m.Run()
	apptest.CloseSharedBrowser()
	os.Exit(code)
}

// demoEmail is the demo owner made by Service.Demo.
const demoEmail = service.DemoEmail

// demo is a running Waymark on SQLite with what `waymark demo` makes: the
// Demo Council (slug demo), its owner demo@example.org with
// apptest.Password, and the three starter libraries.
type demo struct {
	*apptest.Env
	Org  *domain.Organisation
	User *domain.User
}

func startDemo(t *testing.T) *demo {
	t.Helper()
	// Start the browser first: without Chromium the test skips before
	// spending time on the database.
	apptest.SharedBrowser(t)
	env := apptest.Start(t, storetest.Open(t, storetest.SQLite))
	res, err := env.Svc.Demo(context.Background(), apptest.Password)
	if err != nil {
		t.Fatalf("demo: %v", err)
	}
	if len(res.Libraries) != 3 {
		t.Fatalf("demo installed %d starter libraries; want 3", len(res.Libraries))
	}
	u, err := env.DB.UserByEmail(context.Background(), demoEmail)
	if err != nil {
		t.Fatal(err)
	}
	return &demo{Env: env, Org: res.Org, User: u}
}

// signIn signs in through the sign-in form and checks where it lands.
func signIn(t *testing.T, p *apptest.Page, email, password, wantPath string) {
	t.Helper()
	if status := p.Go("/signin"); status != 200 {
		t.Fatalf("GET /signin: status %d", status)
	}
	p.Fill("#email", email)
	p.Fill("#password", password)
	if status := p.ClickNav("main form button[type=submit]"); status != 200 {
		t.Fatalf("sign in as %s: landed on %s with status %d", email, p.Path(), status)
	}
	if got := p.Path(); got != wantPath {
		t.Fatalf("sign in as %s: landed on %s; want %s", email, got, wantPath)
	}
}

// libraryID returns the id of the organisation's library with the English
// name, or fails.
func (d *demo) libraryID(t *testing.T, name string) string {
	t.Helper()
	libs, err := d.DB.Libraries(context.Background(), d.Org.ID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range libs {
		if l.Name.EN == name {
			return l.ID
		}
		names = append(names, l.Name.EN)
	}
	t.Fatalf("no library %q; have %s", name, strings.Join(names, ", "))
	return ""
}

// ownLibraries returns the English names of the organisation's libraries,
// from the database.
func (d *demo) ownLibraries(t *testing.T) []string {
	t.Helper()
	libs, err := d.DB.Libraries(context.Background(), d.Org.ID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range libs {
		names = append(names, l.Name.EN)
	}
	return names
}

// jsonString encodes v as JSON for a script.
func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
