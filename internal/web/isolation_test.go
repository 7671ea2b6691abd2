package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/apptest"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
	"github.com/waymark/waymark/internal/store"
	"github.com/waymark/waymark/internal/store/storetest"
	"github.com/waymark/waymark/internal/web"
)

// tenantFixture is organisation A with one of everything, and an owner of
// organisation B who tries to reach it.
type tenantFixture struct {
	env         *apptest.Env
	a, b        *domain.Organisation
	aLib        *domain.Library // private, with a published version and a draft
	aPublished  *domain.VersionInfo
	aDraft      *domain.VersionInfo
	bLib        *domain.Library
	aUser       *domain.User
	aInvitation *domain.Invitation
	aToken      *domain.APIToken
	aWorkshop   *domain.Workshop
	bClient     *apptest.Client
}

func newTenantFixture(t *testing.T, db *store.DB) *tenantFixture {
	ctx := context.Background()
	env := apptest.Start(t, db)
	f := &tenantFixture{env: env, a: env.Org("alpha"), b: env.Org("beta")}
	f.aUser = env.User("owner@alpha.example", f.a, domain.Owner)
	env.User("owner@beta.example", f.b, domain.Owner)
	aActor := domain.Actor{UserID: f.aUser.ID, OrgID: f.a.ID, Role: domain.Owner}
	lib, err := env.Svc.InstallStarter(ctx, aActor, "municipal-2030")
	if err != nil {
		t.Fatal(err)
	}
	f.aLib = lib
	_, versions, _ := env.Svc.Library(ctx, aActor, lib.ID)
	f.aPublished = &versions[0]
	if f.aDraft, err = env.Svc.StartDraft(ctx, aActor, lib.ID); err != nil {
		t.Fatal(err)
	}
	if f.aInvitation, _, err = env.Svc.Invite(ctx, aActor, "new@alpha.example", domain.Viewer); err != nil {
		t.Fatal(err)
	}
	if _, f.aToken, err = env.Svc.CreateAPIToken(ctx, aActor, "alpha script"); err != nil {
		t.Fatal(err)
	}
	v, err := env.Svc.Version(ctx, aActor, f.aPublished.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.aWorkshop = service.NewWorkshop(aActor, lib, v, "en")
	f.aWorkshop.Title = "Alpha workshop"
	if err := env.Svc.CreateWorkshop(ctx, aActor, f.aWorkshop); err != nil {
		t.Fatal(err)
	}
	bOwner, _ := db.UserByEmail(ctx, "owner@beta.example")
	if f.bLib, err = env.Svc.InstallStarter(ctx, domain.Actor{UserID: bOwner.ID, OrgID: f.b.ID, Role: domain.Owner}, "municipal-2030"); err != nil {
		t.Fatal(err)
	}
	f.bClient = env.SignedIn("owner@beta.example")
	return f
}

// isolationCase says how to aim a route at organisation A's objects: the
// path values, and the query string. Exempt routes name their reason.
type isolationCase struct {
	params map[string]string
	query  string
	form   url.Values
	exempt string
}

// isolationAreas add the cases of an area's routes (capabilities,
// portfolio …) from the area's own test file, in an init function: each
// makes A's objects of the area in the fixture and returns its routes'
// cases. A route named twice fails the test.
var isolationAreas []func(t *testing.T, f *tenantFixture) map[string]isolationCase

// Ensures a member (even an owner) of organisation B gets 404 — exactly as
// for something that does not exist — from every web route that names
// organisation A or A's objects, and that nothing of A changes. The test
// walks every registered route: a route without a case fails it.
func TestTenantIsolationOnEveryRoute(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newTenantFixture(t, db)
		pw := participantIsolation(t, f) // participant_test.go
		firstTrend := "lifelong-learning"
		lib := map[string]string{"id": f.aLib.ID}
		ws := map[string]string{"id": f.aWorkshop.ID}
		with := func(m map[string]string, kv ...string) map[string]string {
			out := map[string]string{}
			for k, v := range m {
				out[k] = v
			}
			for i := 0; i+1 < len(kv); i += 2 {
				out[kv[i]] = kv[i+1]
			}
			return out
		}
		cases := map[string]isolationCase{
			"GET /{$}":                     {exempt: "redirects to the caller's own organisation"},
			"GET /signin":                  {exempt: "public sign-in form"},
			"POST /signin":                 {exempt: "public sign-in"},
			"POST /signout":                {exempt: "ends the caller's own session"},
			"POST /lang":                   {exempt: "sets the caller's own language"},
			"GET /invite/{token}":          {exempt: "an invitation link is a bearer secret: its holder is meant to use it"},
			"POST /invite/{token}":         {exempt: "an invitation link is a bearer secret: its holder is meant to use it"},
			"GET /switch":                  {query: "org=alpha"},
			"GET /account":                 {exempt: "the caller's own account"},
			"POST /account":                {exempt: "the caller's own account"},
			"GET /static/":                 {exempt: "static assets"},
			"GET /healthz":                 {exempt: "health check"},
			"GET /readyz":                  {exempt: "readiness check"},
			"GET /schemas/library-v1.json": {exempt: "public schema"},
			"/":                            {exempt: "catch-all 404"},

			"GET /o/{org}/{$}":                                      {},
			"GET /o/{org}/libraries":                                {},
			"GET /o/{org}/libraries/import":                         {},
			"POST /o/{org}/libraries/import":                        {},
			"POST /o/{org}/starters/{key}":                          {params: map[string]string{"key": "municipal-2030"}},
			"GET /o/{org}/libraries/{id}":                           {params: lib, query: "v=" + f.aPublished.ID},
			"GET /o/{org}/libraries/{id}/trends/{key}":              {params: with(lib, "key", firstTrend)},
			"GET /o/{org}/libraries/{id}/versions":                  {params: lib},
			"GET /o/{org}/libraries/{id}/diff":                      {params: lib, query: "from=" + f.aPublished.ID + "&to=" + f.aDraft.ID},
			"GET /o/{org}/libraries/{id}/export":                    {params: lib, query: "format=json"},
			"POST /o/{org}/libraries/{id}/draft":                    {params: lib},
			"POST /o/{org}/libraries/{id}/publish":                  {params: lib},
			"POST /o/{org}/libraries/{id}/discard":                  {params: lib},
			"POST /o/{org}/libraries/{id}/copy":                     {params: lib},
			"POST /o/{org}/libraries/{id}/visibility":               {params: lib, form: url.Values{"visibility": {"public"}}},
			"POST /o/{org}/libraries/{id}/delete":                   {params: lib},
			"GET /o/{org}/libraries/{id}/edit/details":              {params: lib},
			"POST /o/{org}/libraries/{id}/edit/details":             {params: lib, form: url.Values{"name_en": {"Stolen"}}},
			"GET /o/{org}/libraries/{id}/edit/{kind}/{key}":         {params: with(lib, "kind", "trend", "key", firstTrend)},
			"POST /o/{org}/libraries/{id}/edit/{kind}/{key}":        {params: with(lib, "kind", "trend", "key", firstTrend), form: url.Values{"title_en": {"Stolen"}, "category": {"digital"}}},
			"POST /o/{org}/libraries/{id}/edit/{kind}/{key}/move":   {params: with(lib, "kind", "trend", "key", firstTrend), form: url.Values{"direction": {"down"}}},
			"POST /o/{org}/libraries/{id}/edit/{kind}/{key}/remove": {params: with(lib, "kind", "trend", "key", firstTrend)},
			"GET /o/{org}/members":                                  {},
			"POST /o/{org}/members/invite":                          {form: url.Values{"email": {"spy@beta.example"}, "role": {"owner"}}},
			"POST /o/{org}/members/{user}/role":                     {params: map[string]string{"user": f.aUser.ID}, form: url.Values{"role": {"viewer"}}},
			"POST /o/{org}/members/{user}/remove":                   {params: map[string]string{"user": f.aUser.ID}},
			"POST /o/{org}/invitations/{id}/revoke":                 {params: map[string]string{"id": f.aInvitation.ID}},
			"GET /o/{org}/tokens":                                   {},
			"POST /o/{org}/tokens":                                  {form: url.Values{"name": {"spy"}}},
			"POST /o/{org}/tokens/{id}/revoke":                      {params: map[string]string{"id": f.aToken.ID}},
			"GET /o/{org}/settings":                                 {},
			"POST /o/{org}/settings":                                {form: url.Values{"name": {"Stolen"}, "type": {"other"}}},
			"GET /o/{org}/audit":                                    {},

			// Participants: B's client carries a valid token of B's own
			// workshop, on every path.
			"GET /join":             {exempt: "public join form"},
			"POST /join":            {exempt: "a join code is a bearer secret: its holder is meant to join"},
			"GET /join/{code}":      {exempt: "a join code is a bearer secret: its holder is meant to join"},
			"POST /join/{code}":     {exempt: "a join code is a bearer secret: its holder is meant to join"},
			"GET /w/{id}":           {params: pw},
			"GET /w/{id}/events":    {params: pw},
			"POST /w/{id}/answers":  {params: pw, form: url.Values{"a:ai-at-work:impact": {"3"}}},
			"POST /w/{id}/tensions": {params: pw, form: url.Values{"tension": {"national-local"}, "now": {"0"}, "want": {"0"}}},
			"POST /w/{id}/ideas":    {params: pw, form: url.Values{"trend": {"ai-at-work"}, "text": {"Stolen"}}},
			"POST /w/{id}/upvote":   {params: pw, form: url.Values{"idea": {"x"}, "on": {"1"}}},
			"POST /w/{id}/dots":     {params: pw},

			"GET /o/{org}/workshops":                           {},
			"GET /o/{org}/workshops/new":                       {query: "version=" + f.aPublished.ID},
			"POST /o/{org}/workshops":                          {form: url.Values{"version": {f.aPublished.ID}, "title": {"Stolen"}}},
			"GET /o/{org}/workshops/{id}":                      {params: ws},
			"GET /o/{org}/workshops/{id}/edit":                 {params: ws},
			"POST /o/{org}/workshops/{id}/edit":                {params: ws, form: url.Values{"title": {"Stolen"}}},
			"POST /o/{org}/workshops/{id}/phase":               {params: ws, form: url.Values{"phase": {"lobby"}}},
			"POST /o/{org}/workshops/{id}/results":             {params: ws, form: url.Values{"show": {"1"}}},
			"POST /o/{org}/workshops/{id}/duplicate":           {params: ws},
			"POST /o/{org}/workshops/{id}/delete":              {params: ws},
			"POST /o/{org}/workshops/{id}/ideas/{idea}/hidden": {params: with(ws, "idea", "00000000-0000-7000-8000-000000000000"), form: url.Values{"hidden": {"1"}}},
			"GET /o/{org}/workshops/{id}/present":              {params: ws},
			"GET /o/{org}/workshops/{id}/results":              {params: ws},
			"GET /o/{org}/workshops/{id}/report":               {params: ws},
			"GET /o/{org}/workshops/{id}/report.pdf":           {params: ws},
			"GET /o/{org}/workshops/{id}/report.xlsx":          {params: ws},
			"GET /o/{org}/workshops/{id}/report.csv":           {params: ws},
			"GET /o/{org}/workshops/{id}/report.json":          {params: ws},
			"POST /o/{org}/workshops/{id}/results/decisions":   {params: ws, form: url.Values{"trend": {"ai"}, "kind": {"pin"}, "reason": {"Stolen"}}},
			"GET /o/{org}/workshops/{id}/events":               {params: ws},
		}
		for _, area := range isolationAreas {
			for name, c := range area(t, f) {
				if _, dup := cases[name]; dup {
					t.Errorf("route %s has two tenant-isolation cases", name)
				}
				cases[name] = c
			}
		}
		routes := f.env.Main.Web.Routes()
		if len(routes) < 40 {
			t.Fatalf("only %d routes registered", len(routes))
		}
		for _, r := range routes {
			name := strings.TrimSpace(r.Method + " " + r.Pattern)
			c, ok := cases[name]
			if !ok {
				t.Errorf("route %s has no tenant-isolation case: add one", name)
				continue
			}
			if c.exempt != "" {
				continue
			}
			// 1. Organisation A's space, by its slug.
			f.expect404(t, name, r, f.a.Slug, c)
			// 2. B's own space, naming A's objects.
			if r.Access == web.Member && len(c.params) > 0 && name != "POST /o/{org}/starters/{key}" {
				f.expect404(t, name+" (in B's space)", r, f.b.Slug, c)
			}
		}
		// B's own library with A's version in ?v= is not found either.
		for _, p := range []string{
			"/o/beta/libraries/" + f.bLib.ID + "?v=" + f.aPublished.ID,
			"/o/beta/libraries/" + f.bLib.ID + "/export?format=csv&v=" + f.aDraft.ID,
			"/o/beta/libraries/" + f.bLib.ID + "/diff?from=" + f.aPublished.ID + "&to=" + f.aDraft.ID,
		} {
			if res := f.bClient.Get(p); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: status %d, want 404", p, res.StatusCode)
			}
		}
		f.assertAUnchanged(t)
	})
}

func (f *tenantFixture) expect404(t *testing.T, name string, r web.Route, slug string, c isolationCase) {
	t.Helper()
	path := strings.TrimSuffix(r.Pattern, "{$}")
	path = strings.ReplaceAll(path, "{org}", slug)
	for k, v := range c.params {
		path = strings.ReplaceAll(path, "{"+k+"}", v)
	}
	if c.query != "" {
		path += "?" + c.query
	}
	var res *apptest.Response
	if r.Method == http.MethodPost {
		res = f.bClient.PostForm(path, c.form)
	} else {
		res = f.bClient.Get(path)
	}
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("%s: %s %s: status %d, want 404", name, r.Method, path, res.StatusCode)
	}
	for _, leak := range []string{"Org alpha", "owner@alpha.example", "Kommunala trender"} {
		if slug == f.a.Slug && strings.Contains(res.Body, leak) {
			t.Errorf("%s: response mentions %q", name, leak)
		}
	}
}

// assertAUnchanged checks that none of the attempts changed A's data.
func (f *tenantFixture) assertAUnchanged(t *testing.T) {
	ctx := context.Background()
	db := f.env.DB
	a := domain.Actor{UserID: f.aUser.ID, OrgID: f.a.ID, Role: domain.Owner}
	lib, versions, err := f.env.Svc.Library(ctx, a, f.aLib.ID)
	if err != nil {
		t.Fatalf("A's library is gone: %v", err)
	}
	if lib.Visibility != domain.Private || len(versions) != 2 || versions[0].Status != domain.Draft {
		t.Errorf("A's library changed: visibility %s, %d versions", lib.Visibility, len(versions))
	}
	v, _ := f.env.Svc.Version(ctx, a, f.aDraft.ID)
	if v.Name.EN != "Municipal trends to 2030" || v.Trends[0].Key != "lifelong-learning" || len(v.Trends) != 10 {
		t.Errorf("A's draft changed: %q, first trend %q, %d trends", v.Name.EN, v.Trends[0].Key, len(v.Trends))
	}
	if m, err := db.Membership(ctx, f.a.ID, f.aUser.ID); err != nil || m.Role != domain.Owner {
		t.Errorf("A's owner changed: %v %v", m, err)
	}
	if invs, _ := db.PendingInvitations(ctx, f.a.ID, f.env.Svc.Now()); len(invs) != 1 {
		t.Errorf("A has %d pending invitations, want 1", len(invs))
	}
	if ts, _ := db.APITokens(ctx, f.a.ID, f.aUser.ID); len(ts) != 1 || ts[0].RevokedAt != nil {
		t.Errorf("A's token changed: %+v", ts)
	}
	if o, _ := db.OrgBySlug(ctx, "alpha"); o.Name != "Org alpha" {
		t.Errorf("A's name changed to %q", o.Name)
	}
	if w, err := db.Workshop(ctx, f.a.ID, f.aWorkshop.ID); err != nil || w.Title != "Alpha workshop" || w.Phase != domain.PhaseDraft || w.ShowResults {
		t.Errorf("A's workshop changed: %+v %v", w, err)
	}
	if ws, _ := db.Workshops(ctx, f.a.ID); len(ws) != 1 {
		t.Errorf("A has %d workshops, want 1", len(ws))
	}
	if ms, _ := db.Members(ctx, f.a.ID); len(ms) != 1 {
		t.Errorf("A has %d members, want 1", len(ms))
	}
}
