package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/api"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/library"
	"github.com/waymark/waymark/internal/service"
	"github.com/waymark/waymark/internal/store"
	"github.com/waymark/waymark/internal/store/storetest"
)

// env is a running API with two organisations. Organisation A has the
// starter libraries (private), a public library whose newest version is a
// draft, and members of every role; organisation B has an owner and a
// viewer and no libraries of its own.
type env struct {
	t   *testing.T
	db  *store.DB
	svc *service.Service
	api *api.API
	srv *httptest.Server
	log *bytes.Buffer

	orgA, orgB *domain.Organisation
	// Tokens by who holds them.
	aOwner, aFacilitator, aViewer, bOwner, bViewer, revoked string
	// Org A's private starter library and its public library with a draft.
	private, public *domain.Library
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	ctx := t.Context()
	logs := &bytes.Buffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	svc := service.New(db, nil, log)
	e := &env{t: t, db: db, svc: svc, log: logs}

	e.orgA = e.mustOrg("org-a", "Org A")
	e.orgB = e.mustOrg("org-b", "Org B")
	e.aOwner = e.mustToken(e.orgA, "owner@a.example", domain.Owner)
	e.aFacilitator = e.mustToken(e.orgA, "facilitator@a.example", domain.Facilitator)
	e.aViewer = e.mustToken(e.orgA, "viewer@a.example", domain.Viewer)
	e.bOwner = e.mustToken(e.orgB, "owner@b.example", domain.Owner)
	e.bViewer = e.mustToken(e.orgB, "viewer@b.example", domain.Viewer)

	// A token that was revoked.
	e.revoked = e.mustToken(e.orgA, "revoked@a.example", domain.Analyst)
	act, err := svc.ActorForToken(ctx, e.revoked)
	must(t, err)
	toks, err := svc.Store().APITokens(ctx, act.OrgID, act.UserID)
	must(t, err)
	must(t, svc.RevokeAPIToken(ctx, act, toks[0].ID))

	sys := domain.System(e.orgA.ID)
	libs, err := svc.InstallStarters(ctx, sys)
	must(t, err)
	if len(libs) < 2 {
		t.Fatalf("want at least 2 starter libraries, got %d", len(libs))
	}
	e.private = &libs[0]
	e.public = &libs[1]
	must(t, svc.SetVisibility(ctx, sys, e.public.ID, domain.Public))
	if _, err := svc.StartDraft(ctx, sys, e.public.ID); err != nil {
		t.Fatal(err)
	}

	e.api = api.New(svc, log)
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", e.api.Handler()) // as the web server mounts it
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	return e
}

func (e *env) mustOrg(slug, name string) *domain.Organisation {
	e.t.Helper()
	o := &domain.Organisation{Slug: slug, Name: name, Type: domain.Municipality, Country: "SE"}
	must(e.t, e.svc.CreateOrg(e.t.Context(), o))
	return o
}

// mustToken creates a user with the role in org and returns a new API
// token of theirs.
func (e *env) mustToken(org *domain.Organisation, email string, role domain.Role) string {
	e.t.Helper()
	ctx := e.t.Context()
	u, err := e.svc.CreateUser(ctx, service.NewUser{Email: email, Password: "correct horse battery"})
	must(e.t, err)
	must(e.t, e.svc.SetMember(ctx, domain.System(org.ID), u.ID, role))
	secret, _, err := e.svc.CreateAPIToken(ctx, domain.Actor{UserID: u.ID, OrgID: org.ID, Role: role}, "test")
	must(e.t, err)
	return secret
}

// response is an answer from the API.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, r.body)
	}
}

// problem is an RFC 9457 problem document as the API writes it.
type problem struct {
	Status int    `json:"status"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Errors []struct {
		Location string `json:"location"`
		Message  string `json:"message"`
	} `json:"errors"`
}

func (r response) problem(t *testing.T) problem {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("error Content-Type = %q, want application/problem+json", ct)
	}
	var p problem
	r.json(t, &p)
	if p.Status != r.status {
		t.Errorf("problem status %d differs from HTTP status %d", p.Status, r.status)
	}
	return p
}

// do sends a request with the bearer token (none when "") and the body.
func (e *env) do(method, path, token string, body []byte, contentType string) response {
	e.t.Helper()
	auth := ""
	if token != "" {
		auth = "Bearer " + token
	}
	return e.doAuth(method, path, auth, body, contentType)
}

// doAuth sends a request with the Authorization header (none when "") and
// the body.
func (e *env) doAuth(method, path, authorization string, body []byte, contentType string) response {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	// A stream that opens by mistake ends instead of hanging the test.
	ctx, cancel := context.WithTimeout(e.t.Context(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, e.srv.URL+path, rd)
	must(e.t, err)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := e.srv.Client().Do(req)
	must(e.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	must(e.t, err)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

func (e *env) get(path, token string) response { return e.do(http.MethodGet, path, token, nil, "") }

// want fails the test unless the response has the status.
func want(t *testing.T, r response, status int, what string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, r.status, status, r.body)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// libraryCount returns how many libraries org A owns, straight from the store.
func (e *env) libraryCount(orgID string) int {
	e.t.Helper()
	libs, err := e.svc.Store().Libraries(e.t.Context(), orgID)
	must(e.t, err)
	return len(libs)
}

// TestOpenAPIDocument ensures the OpenAPI document is served without a
// token, is OpenAPI 3.1 JSON, describes every registered operation with its
// security scheme (bearer for members, participant for participants, none
// for joining), a kebab-case id, a tag, a summary and a description, and
// that huma's docs page (which loads scripts from a CDN) is switched off.
func TestOpenAPIDocument(t *testing.T) {
	e := newEnv(t, storetest.Open(t, storetest.SQLite))
	r := e.get("/api/v1/openapi.json", "")
	want(t, r, http.StatusOK, "openapi.json")
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct {
			Title, Version string
		} `json:"info"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			SecuritySchemes map[string]struct {
				Type, Scheme string
			} `json:"securitySchemes"`
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	r.json(t, &doc)
	if tr := string(doc.Components.Schemas["Trend"]); !strings.Contains(tr, `"demands":{"additionalProperties":{"format":"int64","type":"integer"}`) {
		t.Errorf("the Trend schema does not describe demands as an object of integers: %s", tr)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi = %q, want 3.1.x", doc.OpenAPI)
	}
	if doc.Info.Title != "Waymark API" || doc.Info.Version != "v1" {
		t.Errorf("info = %+v", doc.Info)
	}
	if s := doc.Components.SecuritySchemes["bearer"]; s.Type != "http" || s.Scheme != "bearer" {
		t.Errorf("security scheme bearer = %+v, want http bearer", s)
	}
	if s := doc.Components.SecuritySchemes["participant"]; s.Type != "http" || s.Scheme != "Participant" {
		t.Errorf("security scheme participant = %+v, want http Participant", s)
	}
	for _, name := range []string{"LibraryContent", "LibrarySummary", "Version", "ErrorModel"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("schema %s is missing", name)
		}
	}

	ops := e.api.Operations()
	if len(ops) < 12 {
		t.Fatalf("only %d operations registered", len(ops))
	}
	kebab := regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	ids := map[string]bool{}
	n := 0
	for _, item := range doc.Paths {
		for method := range item {
			if method != "parameters" {
				n++
			}
		}
	}
	if n != len(ops) {
		t.Errorf("the document has %d operations, Operations() lists %d", n, len(ops))
	}
	for _, op := range ops {
		raw := doc.Paths[op.Path][strings.ToLower(op.Method)]
		if raw == nil {
			t.Errorf("%s %s is not in the document", op.Method, op.Path)
			continue
		}
		var o struct {
			OperationID string                `json:"operationId"`
			Summary     string                `json:"summary"`
			Description string                `json:"description"`
			Tags        []string              `json:"tags"`
			Security    []map[string][]string `json:"security"`
			Responses   map[string]any        `json:"responses"`
		}
		must(t, json.Unmarshal(raw, &o))
		if !kebab.MatchString(o.OperationID) || ids[o.OperationID] {
			t.Errorf("%s %s: operation id %q is not kebab case or not unique", op.Method, op.Path, o.OperationID)
		}
		ids[o.OperationID] = true
		if o.Summary == "" || len(o.Description) < 40 || len(o.Tags) == 0 {
			t.Errorf("%s %s: summary, description or tags missing", op.Method, op.Path)
		}
		switch op.Auth {
		case "bearer", "participant":
			if len(o.Security) != 1 || o.Security[0][op.Auth] == nil || len(o.Security[0]) != 1 {
				t.Errorf("%s %s: security = %v, want %s only", op.Method, op.Path, o.Security, op.Auth)
			}
			if o.Responses["401"] == nil {
				t.Errorf("%s %s: 401 is not documented", op.Method, op.Path)
			}
		case "none":
			if len(o.Security) != 0 || o.Responses["401"] != nil {
				t.Errorf("%s %s needs no token but documents security %v or a 401", op.Method, op.Path, o.Security)
			}
		default:
			t.Errorf("%s %s: auth %q", op.Method, op.Path, op.Auth)
		}
		if (op.Auth == "bearer") == slices.Contains(o.Tags, "Participation") {
			t.Errorf("%s %s: participants' operations, and only they, belong in the Participation tag", op.Method, op.Path)
		}
		if !strings.HasPrefix(op.Path, "/api/v1/") {
			t.Errorf("%s is outside /api/v1/", op.Path)
		}
	}

	want(t, e.get("/api/v1/openapi.yaml", ""), http.StatusOK, "openapi.yaml")
	if r := e.get("/api/v1/docs", ""); r.status == http.StatusOK {
		t.Errorf("/api/v1/docs answers 200; the docs page must be off")
	}
}

// TestAuthentication ensures every members' operation answers 401 with a
// problem document and WWW-Authenticate: Bearer when the token is missing,
// not a bearer token, unknown, revoked, belongs to a user who has left the
// organisation, or is a participant token; that every participant
// operation answers 401 with WWW-Authenticate: Participant to all of these
// and to a valid personal API token and a malformed participant token; and
// that a good token works.
func TestAuthentication(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		// A member who leaves: their token stops working.
		gone := e.mustToken(e.orgB, "gone@b.example", domain.Analyst)
		goneActor, err := e.svc.ActorForToken(ctx, gone)
		must(t, err)
		must(t, e.svc.RemoveMember(ctx, domain.System(e.orgB.ID), goneActor.UserID))
		// A workshop of A with a participant, whose token opens only the
		// participant operations.
		ws, ptoken := e.lobbyWorkshop()

		cases := map[string]string{
			"no header":          "",
			"not bearer":         "Basic dXNlcjpwYXNz",
			"empty bearer":       "Bearer ",
			"unknown token":      "Bearer wm_thisisnotarealtoken",
			"not a wm_ token":    "Bearer abc",
			"revoked token":      "Bearer " + e.revoked,
			"left the org":       "Bearer " + gone,
			"without its prefix": "Bearer " + strings.TrimPrefix(e.bOwner, "wm_"),
		}
		bearerOnly := map[string]string{
			"a participant token":           "Participant " + ptoken,
			"a participant token as bearer": "Bearer " + ptoken,
		}
		participantOnly := map[string]string{
			"a valid personal token":        "Bearer " + e.aOwner,
			"a personal token":              "Participant " + e.aOwner,
			"a malformed participant token": "Participant wmp_short",
			"an empty participant token":    "Participant ",
		}
		checked := 0
		for _, op := range e.api.Operations() {
			scheme, extra := "Bearer", bearerOnly
			path := strings.NewReplacer("{id}", e.private.ID, "{number}", "1", "{key}", "municipal-2030", "{idea}", "x").Replace(op.Path)
			switch op.Auth {
			case "none":
				continue
			case "participant":
				scheme, extra = "Participant", participantOnly
				path = strings.NewReplacer("{id}", ws.ID, "{key}", "x", "{idea}", "x").Replace(op.Path)
			}
			checked++
			for name, header := range merged(cases, extra) {
				rctx, cancel := context.WithTimeout(ctx, 10*time.Second) // a stream that wrongly opens ends
				req, err := http.NewRequestWithContext(rctx, op.Method, e.srv.URL+path, nil)
				must(t, err)
				if header != "" {
					req.Header.Set("Authorization", header)
				}
				res, err := e.srv.Client().Do(req)
				must(t, err)
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				cancel()
				r := response{res.StatusCode, res.Header, body}
				if r.status != http.StatusUnauthorized {
					t.Errorf("%s %s with %s: status %d, want 401", op.Method, op.Path, name, r.status)
					continue
				}
				if h := r.header.Get("WWW-Authenticate"); !strings.HasPrefix(h, scheme+" ") {
					t.Errorf("%s %s with %s: WWW-Authenticate = %q, want %s", op.Method, op.Path, name, h, scheme)
				}
				if p := r.problem(t); p.Detail == "" {
					t.Errorf("%s %s with %s: no detail", op.Method, op.Path, name)
				}
			}
		}
		if checked < 30 {
			t.Errorf("only %d operations checked", checked)
		}
		// A lower-case participant scheme works too.
		want(t, e.doAuth(http.MethodGet, "/api/v1/workshops/"+ws.ID+"/state", "participant "+ptoken, nil, ""), http.StatusOK, "lower-case participant")
		if e.libraryCount(e.orgB.ID) != 0 {
			t.Errorf("a request without a valid token changed something")
		}

		r := e.get("/api/v1/me", e.aFacilitator)
		want(t, r, http.StatusOK, "me")
		var me api.Me
		r.json(t, &me)
		if me.User.Email != "facilitator@a.example" || me.Organisation.ID != e.orgA.ID || me.Organisation.Slug != "org-a" ||
			me.Organisation.Name != "Org A" || me.Role != "facilitator" || me.User.ID == "" || me.User.DisplayName == "" {
			t.Errorf("me = %+v", me)
		}
		// A lower-case scheme is fine too (RFC 9110: schemes are case-insensitive).
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.srv.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "bearer "+e.bViewer)
		res, err := e.srv.Client().Do(req)
		must(t, err)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("lower-case bearer: %d", res.StatusCode)
		}
	})
}

// TestReadLibraries ensures the list, a library, a version with its
// content and exports in all three formats work for members of the owner
// organisation, that other organisations see public libraries with their
// published versions only, and that each export imports back to the same
// content.
func TestReadLibraries(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()

		// The list, as a viewer of A: every starter library, owned.
		r := e.get("/api/v1/libraries", e.aViewer)
		want(t, r, http.StatusOK, "list")
		var list struct{ Libraries []api.LibrarySummary }
		r.json(t, &list)
		if len(list.Libraries) != e.libraryCount(e.orgA.ID) {
			t.Fatalf("list has %d libraries, org A owns %d", len(list.Libraries), e.libraryCount(e.orgA.ID))
		}
		byID := map[string]api.LibrarySummary{}
		for _, l := range list.Libraries {
			byID[l.ID] = l
			if !l.Owned || l.Name.EN == "" || l.Name.SV == "" || l.StarterKey == "" || l.Trends == 0 || l.Version != 1 || l.Published == nil {
				t.Errorf("library %s = %+v", l.ID, l)
			}
		}
		pub := byID[e.public.ID]
		if pub.Latest.Number != 2 || pub.Latest.Status != "draft" || pub.Published.Number != 1 || pub.Visibility != "public" {
			t.Errorf("public library as its owner sees it: latest %+v, published %+v", pub.Latest, pub.Published)
		}

		// The list as B: only A's public library, without its draft.
		r = e.get("/api/v1/libraries", e.bViewer)
		want(t, r, http.StatusOK, "list as B")
		r.json(t, &list)
		if len(list.Libraries) != 1 || list.Libraries[0].ID != e.public.ID {
			t.Fatalf("B sees %+v, want only A's public library", list.Libraries)
		}
		if l := list.Libraries[0]; l.Owned || l.Latest.Number != 1 || l.Latest.Status != "published" || l.Version != 1 {
			t.Errorf("B sees the public library as %+v", l)
		}
		if bytes.Contains(r.body, []byte(`"draft"`)) {
			t.Errorf("B's list mentions a draft: %s", r.body)
		}

		// One library with its versions.
		r = e.get("/api/v1/libraries/"+e.public.ID, e.aViewer)
		want(t, r, http.StatusOK, "get")
		var lib api.LibraryDetail
		r.json(t, &lib)
		if len(lib.Versions) != 2 || lib.Versions[0].Number != 2 || lib.Versions[1].Number != 1 {
			t.Errorf("versions as owner = %+v", lib.Versions)
		}
		r = e.get("/api/v1/libraries/"+e.public.ID, e.bOwner)
		want(t, r, http.StatusOK, "get as B")
		r.json(t, &lib)
		if len(lib.Versions) != 1 || lib.Versions[0].Status != "published" {
			t.Errorf("versions as B = %+v", lib.Versions)
		}

		// A version with its content: the same document the JSON export writes.
		r = e.get("/api/v1/libraries/"+e.private.ID+"/versions/1", e.aViewer)
		want(t, r, http.StatusOK, "version")
		var v struct {
			api.VersionSummary
			LibraryID string          `json:"library_id"`
			Content   json.RawMessage `json:"content"`
		}
		r.json(t, &v)
		stored, err := e.svc.Store().Version(ctx, e.orgA.ID, v.ID)
		must(t, err)
		canonical, err := library.Marshal(&stored.Content, library.FormatJSON)
		must(t, err)
		if !sameJSON(t, v.Content, canonical) {
			t.Errorf("version content differs from the JSON export:\n%s\nwant\n%s", v.Content, canonical)
		}
		if v.LibraryID != e.private.ID || v.Number != 1 || v.Status != "published" || v.PublishedAt == nil || v.Trends != len(stored.Trends) {
			t.Errorf("version = %+v", v.VersionSummary)
		}
		want(t, e.get("/api/v1/libraries/"+e.private.ID+"/versions/9", e.aViewer), http.StatusNotFound, "missing version")
		want(t, e.get("/api/v1/libraries/"+e.public.ID+"/versions/2", e.aViewer), http.StatusOK, "own draft")
		want(t, e.get("/api/v1/libraries/"+e.public.ID+"/versions/2", e.bOwner), http.StatusNotFound, "another org's draft")
		want(t, e.get("/api/v1/libraries/"+e.public.ID+"/versions/1", e.bOwner), http.StatusOK, "another org's published version")

		// Exports in each format, and back again.
		for _, f := range []library.Format{library.FormatJSON, library.FormatCSV, library.FormatRadar} {
			path := fmt.Sprintf("/api/v1/libraries/%s/export?format=%s", e.private.ID, f)
			r := e.get(path, e.aViewer)
			want(t, r, http.StatusOK, "export "+string(f))
			if ct := r.header.Get("Content-Type"); ct != f.ContentType() {
				t.Errorf("export %s: Content-Type %q, want %q", f, ct, f.ContentType())
			}
			_, params, err := mime.ParseMediaType(r.header.Get("Content-Disposition"))
			if err != nil || !strings.HasSuffix(params["filename"], "-v1"+f.Extension()) {
				t.Errorf("export %s: Content-Disposition %q", f, r.header.Get("Content-Disposition"))
			}
			file, err := library.Marshal(&stored.Content, f)
			must(t, err)
			if !bytes.Equal(r.body, file) {
				t.Errorf("export %s differs from library.Marshal", f)
			}

			// Import the export and export the new library again: the same file.
			r2 := e.do(http.MethodPost, "/api/v1/libraries/import?format="+string(f)+"&name=Round+trip", e.aFacilitator, r.body, "")
			want(t, r2, http.StatusCreated, "import the "+string(f)+" export")
			var imp api.ImportResult
			r2.json(t, &imp)
			if imp.Trends != len(stored.Trends) {
				t.Errorf("import of %s export: %d trends, want %d", f, imp.Trends, len(stored.Trends))
			}
			r3 := e.get(fmt.Sprintf("/api/v1/libraries/%s/export?format=%s", imp.ID, f), e.aViewer)
			want(t, r3, http.StatusOK, "export again")
			if !bytes.Equal(r3.body, r.body) {
				t.Errorf("%s: export → import → export changed the file:\n%s\nwant\n%s", f, r3.body, r.body)
			}
			if f == library.FormatJSON {
				again, err := e.svc.Store().Version(ctx, e.orgA.ID, imp.VersionID)
				must(t, err)
				if !reflect.DeepEqual(again.Content, stored.Content) {
					t.Errorf("the JSON export imports back to different content")
				}
			}
		}

		// Version choice: the published version by default, the draft when asked.
		r = e.get("/api/v1/libraries/"+e.public.ID+"/export", e.aFacilitator)
		want(t, r, http.StatusOK, "default export")
		if _, params, _ := mime.ParseMediaType(r.header.Get("Content-Disposition")); !strings.HasSuffix(params["filename"], "-v1.json") {
			t.Errorf("default export is %q, want version 1 (the published one)", params["filename"])
		}
		want(t, e.get("/api/v1/libraries/"+e.public.ID+"/export?version=2", e.aViewer), http.StatusOK, "export own draft")
		want(t, e.get("/api/v1/libraries/"+e.public.ID+"/export?version=2", e.bOwner), http.StatusNotFound, "export another org's draft")
		want(t, e.get("/api/v1/libraries/"+e.public.ID+"/export?format=radar", e.bOwner), http.StatusOK, "export another org's public library")
		r = e.get("/api/v1/libraries/"+e.private.ID+"/export?format=xml", e.aViewer)
		want(t, r, http.StatusUnprocessableEntity, "unknown format")
		if p := r.problem(t); len(p.Errors) != 1 || p.Errors[0].Location != "query.format" {
			t.Errorf("unknown format: %+v", p)
		}

		// Compare two versions.
		r = e.get("/api/v1/libraries/"+e.public.ID+"/diff", e.aViewer)
		want(t, r, http.StatusOK, "diff")
		var d struct {
			From, To int
			Changes  []api.Change
		}
		r.json(t, &d)
		if d.From != 1 || d.To != 2 || len(d.Changes) != 0 {
			t.Errorf("diff of an unchanged draft = %+v", d)
		}

		// Starter libraries.
		r = e.get("/api/v1/starters", e.bViewer)
		want(t, r, http.StatusOK, "starters")
		var st struct{ Starters []api.Starter }
		r.json(t, &st)
		if len(st.Starters) < 2 || st.Starters[0].Trends == 0 || st.Starters[0].LibraryID != "" {
			t.Errorf("starters as B = %+v", st.Starters)
		}
	})
}

// brokenCSV has one trend of each kind of mistake.
const brokenCSV = "key,category,title_en,title_sv\n" +
	"ai,technology,AI at work,AI i arbetet\n" +
	"ai,technology,Twice,Två gånger\n" +
	"weather,climate,Weather,Väder\n" +
	"blank,societal,,\n"

const goodCSV = "key,category,title_en,title_sv,summary_en,driving_forces\n" +
	"ai-at-work,technology,AI at work,AI i arbetet,Tools change jobs,Technology\n" +
	"ageing,societal,An ageing population,En åldrande befolkning,More older residents,Demography\n" +
	"open-data,digital,Open data,Öppna data,,Technology\n"

// TestImport ensures a valid CSV imports as a new library (201), that a
// broken file answers 422 listing every problem with its row or JSON path
// and stores nothing, that a file over the limit answers 413 and stores
// nothing, and that viewers may not import.
func TestImport(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		before := e.libraryCount(e.orgB.ID)

		r := e.do(http.MethodPost, "/api/v1/libraries/import?name=Our+trends&lang=en", e.bOwner, []byte(goodCSV), "text/csv")
		want(t, r, http.StatusCreated, "import")
		var imp api.ImportResult
		r.json(t, &imp)
		if imp.ID == "" || imp.VersionID == "" || imp.Version != 1 || imp.Trends != 3 || imp.Name.EN != "Our trends" {
			t.Errorf("import result = %+v", imp)
		}
		if loc := r.header.Get("Location"); loc != "/api/v1/libraries/"+imp.ID {
			t.Errorf("Location = %q", loc)
		}
		if n := e.libraryCount(e.orgB.ID); n != before+1 {
			t.Fatalf("B has %d libraries after the import, want %d", n, before+1)
		}
		r = e.get("/api/v1/libraries/"+imp.ID+"/versions/1", e.bViewer)
		want(t, r, http.StatusOK, "imported version")
		var v api.Version
		r.json(t, &v)
		if len(v.Content.Trends) != 3 || v.Content.Trends[1].Title.SV != "En åldrande befolkning" || v.Content.Name.EN != "Our trends" {
			t.Errorf("imported content = %+v", v.Content)
		}
		before++

		// A broken CSV: every problem, and nothing stored.
		r = e.do(http.MethodPost, "/api/v1/libraries/import?format=csv", e.bOwner, []byte(brokenCSV), "text/csv")
		want(t, r, http.StatusUnprocessableEntity, "broken CSV")
		p := r.problem(t)
		_, wantProblems := library.Parse("body", []byte(brokenCSV), library.FormatCSV, library.ParseOptions{Name: "x"})
		if len(wantProblems) < 3 || len(p.Errors) != len(wantProblems) {
			t.Fatalf("broken CSV: %d problems in the answer, the importer finds %d:\n%s", len(p.Errors), len(wantProblems), r.body)
		}
		for i, wp := range wantProblems {
			loc := "body:" + wp.Where
			if wp.Field != "" {
				loc += " " + wp.Field
			}
			if p.Errors[i].Location != loc || p.Errors[i].Message != wp.Message {
				t.Errorf("problem %d = %+v, want %s: %s", i, p.Errors[i], loc, wp.Message)
			}
		}
		locs := []string{}
		for _, pe := range p.Errors {
			locs = append(locs, pe.Location)
		}
		for _, l := range []string{"body:3 key", "body:4 category"} {
			if !slices.Contains(locs, l) {
				t.Errorf("no problem at %s in %v", l, locs)
			}
		}
		if detail := fmt.Sprintf("There are %d problems; nothing was stored.", len(wantProblems)); p.Detail != detail {
			t.Errorf("detail = %q, want %q", p.Detail, detail)
		}
		if n := e.libraryCount(e.orgB.ID); n != before {
			t.Errorf("a broken import stored something: %d libraries, want %d", n, before)
		}

		// Broken JSON is reported by JSON path.
		badJSON := `{"format": "waymark.library/v1", "name": {"en": "X"}, "trends": [{"key": "a", "category": "weather", "title": {"en": "A"}}]}`
		r = e.do(http.MethodPost, "/api/v1/libraries/import", e.bOwner, []byte(badJSON), "application/json")
		want(t, r, http.StatusUnprocessableEntity, "broken JSON")
		p = r.problem(t)
		if len(p.Errors) == 0 || !strings.HasPrefix(p.Errors[0].Location, "body:$.trends[0]") {
			t.Errorf("broken JSON problems = %+v", p.Errors)
		}
		r = e.do(http.MethodPost, "/api/v1/libraries/import", e.bOwner, []byte(`{"format": "waymark.library/v1", "trends": [`), "")
		want(t, r, http.StatusUnprocessableEntity, "truncated JSON")
		if p := r.problem(t); len(p.Errors) != 1 || !strings.Contains(p.Errors[0].Message, "truncated") {
			t.Errorf("truncated JSON problems = %+v", p.Errors)
		}

		// Too large: 413 with a clear message, nothing stored.
		big := bytes.Repeat([]byte("x"), library.MaxFileSize+1)
		r = e.do(http.MethodPost, "/api/v1/libraries/import?format=csv", e.bOwner, big, "text/csv")
		want(t, r, http.StatusRequestEntityTooLarge, "too large")
		if p := r.problem(t); !strings.Contains(p.Detail, "10 MiB") {
			t.Errorf("too large: detail %q", p.Detail)
		}
		// Empty body.
		r = e.do(http.MethodPost, "/api/v1/libraries/import?format=csv", e.bOwner, nil, "text/csv")
		if r.status != http.StatusBadRequest && r.status != http.StatusUnprocessableEntity {
			t.Errorf("empty body: status %d", r.status)
		}
		r.problem(t)

		// Viewers may not import; the answer does not depend on the file.
		r = e.do(http.MethodPost, "/api/v1/libraries/import", e.bViewer, []byte(goodCSV), "text/csv")
		want(t, r, http.StatusForbidden, "viewer import")
		r.problem(t)
		if n := e.libraryCount(e.orgB.ID); n != before {
			t.Errorf("library count changed from %d to %d", before, n)
		}
		log, err := e.svc.Store().AuditLog(ctx, e.orgB.ID, 100)
		must(t, err)
		imports := 0
		for _, a := range log {
			if a.Action == "library.import" {
				imports++
			}
		}
		if imports != 1 {
			t.Errorf("%d imports in the audit log, want 1", imports)
		}
	})
}

// TestEditLibraries ensures the API can do what the web does with
// libraries: start a draft (201, then 200 for the same draft), replace its
// content (and get every problem of a bad one, the draft unchanged),
// publish it (409 when there is nothing to publish), discard a draft (409
// for a published version), copy a public library, install a starter,
// share, delete — and that roles are enforced.
func TestEditLibraries(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		base := "/api/v1/libraries/" + e.private.ID

		want(t, e.do(http.MethodPost, base+"/drafts", e.aViewer, nil, ""), http.StatusForbidden, "viewer drafts")
		r := e.do(http.MethodPost, base+"/drafts", e.aFacilitator, nil, "")
		want(t, r, http.StatusCreated, "start draft")
		var d api.VersionRef
		r.json(t, &d)
		if d.Number != 2 || d.Status != "draft" || d.LibraryID != e.private.ID {
			t.Errorf("draft = %+v", d)
		}
		if loc := r.header.Get("Location"); loc != base+"/versions/2" {
			t.Errorf("Location = %q", loc)
		}
		r = e.do(http.MethodPost, base+"/drafts", e.aOwner, nil, "")
		want(t, r, http.StatusOK, "start draft again")
		var d2 api.VersionRef
		r.json(t, &d2)
		if d2.ID != d.ID {
			t.Errorf("second start made another draft")
		}

		// Read the draft, change a title, send it back.
		r = e.get(base+"/versions/2", e.aFacilitator)
		want(t, r, http.StatusOK, "read draft")
		var v api.Version
		r.json(t, &v)
		v.Content.Trends[0].Title.EN = "A changed title"
		body, err := json.Marshal(v.Content)
		must(t, err)
		want(t, e.do(http.MethodPut, base+"/versions/2", e.aViewer, body, "application/json"), http.StatusForbidden, "viewer save")
		r = e.do(http.MethodPut, base+"/versions/2", e.aFacilitator, body, "application/json")
		want(t, r, http.StatusOK, "save draft")
		r.json(t, &v)
		if v.Content.Trends[0].Title.EN != "A changed title" {
			t.Errorf("the draft did not change")
		}
		// A bad draft: every problem, nothing changed.
		v.Content.Trends[0].Category = "weather"
		v.Content.Trends[1].Key = v.Content.Trends[0].Key
		body, _ = json.Marshal(v.Content)
		r = e.do(http.MethodPut, base+"/versions/2", e.aFacilitator, body, "application/json")
		want(t, r, http.StatusUnprocessableEntity, "bad draft")
		p := r.problem(t)
		if len(p.Errors) < 2 || !strings.HasPrefix(p.Errors[0].Location, "body:$.trends[") || !strings.Contains(p.Detail, "the draft did not change") {
			t.Errorf("bad draft problems = %+v", p)
		}
		r = e.get(base+"/versions/2", e.aFacilitator)
		var again api.Version
		r.json(t, &again)
		if again.Content.Trends[0].Category == "weather" {
			t.Errorf("a bad draft was saved")
		}
		// Trends carry their demand links; a bad link is refused at its
		// path, a changed one is saved.
		if len(again.Content.Trends[0].Demands) == 0 {
			t.Errorf("trend %s has no demand links in the API", again.Content.Trends[0].Key)
		}
		again.Content.Trends[0].Demands = map[string]int{"nowhere": 2, "innovation": 5}
		body, _ = json.Marshal(again.Content)
		r = e.do(http.MethodPut, base+"/versions/2", e.aFacilitator, body, "application/json")
		want(t, r, http.StatusUnprocessableEntity, "bad demand links")
		var locs []string
		for _, pe := range r.problem(t).Errors {
			locs = append(locs, pe.Location+": "+pe.Message)
		}
		if wantLocs := []string{
			"body:$.trends[0] demands.innovation: must be 1 (a little), 2 (clearly) or 3 (strongly); leave the area out for no link",
			`body:$.trends[0] demands.nowhere: "nowhere" is not a capability area of this library`,
		}; !slices.Equal(locs, wantLocs) {
			t.Errorf("bad demand links:\n got %q\nwant %q", locs, wantLocs)
		}
		again.Content.Trends[0].Demands = map[string]int{"innovation": 1}
		body, _ = json.Marshal(again.Content)
		r = e.do(http.MethodPut, base+"/versions/2", e.aFacilitator, body, "application/json")
		want(t, r, http.StatusOK, "save demand links")
		r.json(t, &again)
		if !maps.Equal(again.Content.Trends[0].Demands, map[string]int{"innovation": 1}) {
			t.Errorf("saved demand links = %v", again.Content.Trends[0].Demands)
		}
		want(t, e.do(http.MethodPut, base+"/versions/1", e.aFacilitator, body, "application/json"), http.StatusConflict, "save a published version")

		// Compare, publish.
		r = e.get(base+"/diff?from=1&to=2", e.aViewer)
		want(t, r, http.StatusOK, "diff")
		var diff struct{ Changes []api.Change }
		r.json(t, &diff)
		if len(diff.Changes) != 2 || diff.Changes[0].Field != "title.en" || diff.Changes[0].New != "A changed title" ||
			diff.Changes[1].Field != "demands" || diff.Changes[1].New != "innovation: 1" {
			t.Errorf("diff = %+v", diff.Changes)
		}
		want(t, e.do(http.MethodPost, base+"/publish", e.aViewer, nil, ""), http.StatusForbidden, "viewer publish")
		r = e.do(http.MethodPost, base+"/publish", e.aFacilitator, nil, "")
		want(t, r, http.StatusOK, "publish")
		var pub api.VersionRef
		r.json(t, &pub)
		if pub.Number != 2 || pub.Status != "published" || pub.PublishedAt == nil {
			t.Errorf("published = %+v", pub)
		}
		want(t, e.do(http.MethodPost, base+"/publish", e.aFacilitator, nil, ""), http.StatusConflict, "publish without a draft")
		want(t, e.do(http.MethodDelete, base+"/versions/2", e.aFacilitator, nil, ""), http.StatusConflict, "discard a published version")

		// Discard a draft.
		want(t, e.do(http.MethodPost, base+"/drafts", e.aFacilitator, nil, ""), http.StatusCreated, "third draft")
		want(t, e.do(http.MethodDelete, base+"/versions/3", e.aViewer, nil, ""), http.StatusForbidden, "viewer discard")
		want(t, e.do(http.MethodDelete, base+"/versions/3", e.aFacilitator, nil, ""), http.StatusNoContent, "discard")
		want(t, e.get(base+"/versions/3", e.aFacilitator), http.StatusNotFound, "discarded draft")

		// B copies A's public library and edits its copy, not the original.
		pubBase := "/api/v1/libraries/" + e.public.ID
		want(t, e.do(http.MethodPost, pubBase+"/copy", e.bViewer, nil, ""), http.StatusForbidden, "viewer copy")
		r = e.do(http.MethodPost, pubBase+"/copy", e.bOwner, nil, "")
		want(t, r, http.StatusCreated, "copy")
		var cp api.LibrarySummary
		r.json(t, &cp)
		if !cp.Owned || cp.ID == e.public.ID || cp.Visibility != "private" || cp.Version != 1 {
			t.Errorf("copy = %+v", cp)
		}
		want(t, e.do(http.MethodPost, pubBase+"/drafts", e.bOwner, nil, ""), http.StatusForbidden, "draft of another org's public library")
		want(t, e.do(http.MethodPost, pubBase+"/publish", e.bOwner, nil, ""), http.StatusForbidden, "publish another org's public library")
		want(t, e.do(http.MethodPost, "/api/v1/libraries/"+cp.ID+"/drafts", e.bOwner, nil, ""), http.StatusCreated, "draft of the copy")

		// Starters: install, then the same again.
		want(t, e.do(http.MethodPost, "/api/v1/starters/municipal-2030/install", e.bViewer, nil, ""), http.StatusForbidden, "viewer install")
		r = e.do(http.MethodPost, "/api/v1/starters/municipal-2030/install", e.bOwner, nil, "")
		want(t, r, http.StatusCreated, "install")
		var inst api.LibrarySummary
		r.json(t, &inst)
		if inst.StarterKey != "municipal-2030" || !inst.Owned || inst.Trends == 0 {
			t.Errorf("installed = %+v", inst)
		}
		r = e.do(http.MethodPost, "/api/v1/starters/municipal-2030/install", e.bOwner, nil, "")
		want(t, r, http.StatusOK, "install again")
		var inst2 api.LibrarySummary
		r.json(t, &inst2)
		if inst2.ID != inst.ID {
			t.Errorf("installing twice made two libraries")
		}
		want(t, e.do(http.MethodPost, "/api/v1/starters/no-such-starter/install", e.bOwner, nil, ""), http.StatusNotFound, "unknown starter")

		// Share and delete (owners only).
		vis := []byte(`{"visibility": "public"}`)
		want(t, e.do(http.MethodPut, "/api/v1/libraries/"+inst.ID+"/visibility", e.bViewer, vis, "application/json"), http.StatusForbidden, "viewer share")
		r = e.do(http.MethodPut, "/api/v1/libraries/"+inst.ID+"/visibility", e.bOwner, vis, "application/json")
		want(t, r, http.StatusOK, "share")
		r.json(t, &inst)
		if inst.Visibility != "public" {
			t.Errorf("visibility = %q", inst.Visibility)
		}
		r = e.do(http.MethodPut, "/api/v1/libraries/"+inst.ID+"/visibility", e.bOwner, []byte(`{"visibility": "secret"}`), "application/json")
		want(t, r, http.StatusUnprocessableEntity, "bad visibility")
		want(t, e.do(http.MethodPut, pubBase+"/visibility", e.bOwner, vis, "application/json"), http.StatusForbidden, "share another org's library")
		want(t, e.do(http.MethodDelete, "/api/v1/libraries/"+inst.ID, e.bViewer, nil, ""), http.StatusForbidden, "viewer delete")
		want(t, e.do(http.MethodDelete, "/api/v1/libraries/"+inst.ID, e.bOwner, nil, ""), http.StatusNoContent, "delete")
		want(t, e.get("/api/v1/libraries/"+inst.ID, e.bOwner), http.StatusNotFound, "deleted library")
		want(t, e.do(http.MethodDelete, pubBase, e.bOwner, nil, ""), http.StatusForbidden, "delete another org's library")
	})
}

// TestTenantIsolation ensures that a token of organisation B — owner or
// viewer — gets 404 from every operation that names organisation A's
// private library, the draft of A's public library, or A's workshop (and
// an idea in it), with the same body as for an id that does not exist, and
// that nothing changes. It walks the registered operations: an org-scoped
// operation without a case here fails the test.
func TestTenantIsolation(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		draftJSON := e.get("/api/v1/libraries/"+e.public.ID+"/versions/2", e.aOwner)
		want(t, draftJSON, http.StatusOK, "A reads its draft")
		var draft api.Version
		draftJSON.json(t, &draft)
		content, _ := json.Marshal(draft.Content)

		type call struct {
			query       string
			body        []byte
			contentType string
		}
		cases := map[string]call{
			"GET /api/v1/libraries/{id}":                      {},
			"GET /api/v1/libraries/{id}/versions/{number}":    {},
			"PUT /api/v1/libraries/{id}/versions/{number}":    {body: content, contentType: "application/json"},
			"DELETE /api/v1/libraries/{id}/versions/{number}": {},
			"GET /api/v1/libraries/{id}/diff":                 {},
			"GET /api/v1/libraries/{id}/export":               {query: "?format=csv"},
			"POST /api/v1/libraries/{id}/drafts":              {},
			"POST /api/v1/libraries/{id}/publish":             {},
			"POST /api/v1/libraries/{id}/copy":                {},
			"PUT /api/v1/libraries/{id}/visibility":           {body: []byte(`{"visibility":"public"}`), contentType: "application/json"},
			"DELETE /api/v1/libraries/{id}":                   {},

			"GET /api/v1/workshops/{id}":                               {},
			"PATCH /api/v1/workshops/{id}":                             {body: []byte(`{"title":"Taken over"}`), contentType: "application/json"},
			"DELETE /api/v1/workshops/{id}":                            {},
			"POST /api/v1/workshops/{id}/duplicate":                    {},
			"POST /api/v1/workshops/{id}/phase":                        {body: []byte(`{"phase":"closed"}`), contentType: "application/json"},
			"PUT /api/v1/workshops/{id}/show-results":                  {body: []byte(`{"show":true}`), contentType: "application/json"},
			"GET /api/v1/workshops/{id}/moderation/ideas":              {},
			"PUT /api/v1/workshops/{id}/moderation/ideas/{idea}":       {body: []byte(`{"hidden":true}`), contentType: "application/json"},
			"GET /api/v1/workshops/{id}/presenter/events":              {},
			"GET /api/v1/workshops/{id}/analysis":                      {},
			"PUT /api/v1/workshops/{id}/priority-decisions/{trend}":    {body: []byte(`{"kind":"pin","reason":"Taken over"}`), contentType: "application/json"},
			"DELETE /api/v1/workshops/{id}/priority-decisions/{trend}": {},

			"GET /api/v1/assessment-rounds/{id}": {},
			"PUT /api/v1/assessment-rounds/{id}/my-assessments": {body: []byte(`{"assessments":[{"area":"innovation","current":5,"target":5}]}`),
				contentType: "application/json"},
			"PUT /api/v1/assessment-rounds/{id}/demand-links": {body: []byte(`{"demand":[]}`), contentType: "application/json"},

			"GET /api/v1/initiatives/{id}":            {},
			"PATCH /api/v1/initiatives/{id}":          {body: []byte(`{"revision":1,"title":"Taken over"}`), contentType: "application/json"},
			"DELETE /api/v1/initiatives/{id}":         {},
			"PATCH /api/v1/initiatives/{id}/tracking": {body: []byte(`{"revision":1,"status":"stopped"}`), contentType: "application/json"},

			"GET /api/v1/scenarios/{id}":           {},
			"PUT /api/v1/scenarios/{id}":           {body: []byte(`{"revision":1,"name":"Taken over","start_year":2026,"end_year":2030,"budget":{"default":1}}`), contentType: "application/json"},
			"DELETE /api/v1/scenarios/{id}":        {},
			"POST /api/v1/scenarios/{id}/optimise": {},
			"GET /api/v1/scenarios/{id}/result":    {},
			"GET /api/v1/scenarios/{id}/roadmap":   {},
		}
		// A's workshop, running, with an idea.
		ws, ideaID := e.workshopWithIdea()
		before := e.get("/api/v1/workshops/"+ws.ID, e.aViewer)
		want(t, before, http.StatusOK, "A reads its workshop")
		// A's initiative, with a milestone (initiative_test.go).
		aInitiative := e.initiativeOfA()
		initiativeBefore := e.get("/api/v1/initiatives/"+aInitiative.ID, e.aViewer)
		want(t, initiativeBefore, http.StatusOK, "A reads its initiative")
		// A's assessment round, with an answer and a demand link.
		round := e.capRound("Alpha capabilities")
		want(t, e.member(http.MethodPut, "/api/v1/assessment-rounds/"+round.ID+"/my-assessments", e.aOwner,
			`{"assessments":[{"area":"innovation","current":2,"target":4}]}`), http.StatusOK, "A assesses")
		want(t, e.member(http.MethodPut, "/api/v1/assessment-rounds/"+round.ID+"/demand-links", e.aOwner,
			`{"demand":[{"trend":"artificial-intelligence","area":"innovation","level":2}]}`), http.StatusOK, "A sets demand")
		roundBefore := e.get("/api/v1/assessment-rounds/"+round.ID, e.aViewer)
		want(t, roundBefore, http.StatusOK, "A reads its round")
		// A's scenario, optimised (scenario_test.go).
		aScenario := e.scenarioOfA()
		scenarioBefore := e.get("/api/v1/scenarios/"+aScenario.ID, e.aViewer)
		want(t, scenarioBefore, http.StatusOK, "A reads its scenario")
		// The objects B must not reach, each with an object that does not
		// exist to compare with: A's private library (version 1), and for the
		// operations that name a version, the draft (version 2) of A's public
		// library, which B may otherwise read.
		type target struct{ name, id, number, missingID, missingNumber string }
		targets := []target{{"private library", e.private.ID, "1", "0190f0c4-4b4e-7d2a-9a31-6f0e3c2d1b10", "1"}}

		libsA, versionsA := e.libraryCount(e.orgA.ID), e.versionCount(e.orgA.ID)
		scoped := 0
		for _, op := range e.api.Operations() {
			if !op.OrgScoped {
				continue
			}
			scoped++
			key := op.Method + " " + op.Path
			c, ok := cases[key]
			if !ok {
				t.Errorf("%s is org-scoped but has no tenant isolation case", key)
				continue
			}
			ts := targets
			if strings.Contains(op.Path, "{number}") {
				ts = append(ts, target{"draft of a public library", e.public.ID, "2", e.public.ID, "99"})
			}
			if strings.HasPrefix(op.Path, "/api/v1/workshops/") {
				ts = []target{{"workshop", ws.ID, "", "0190f0c4-4b4e-7d2a-9a31-6f0e3c2d1b10", ""}}
			}
			if strings.HasPrefix(op.Path, "/api/v1/initiatives/") {
				ts = []target{{"initiative", aInitiative.ID, "", "0190f0c4-4b4e-7d2a-9a31-6f0e3c2d1b10", ""}}
			}
			if strings.HasPrefix(op.Path, "/api/v1/assessment-rounds/") {
				ts = []target{{"assessment round", round.ID, "", "0190f0c4-4b4e-7d2a-9a31-6f0e3c2d1b10", ""}}
			}
			if strings.HasPrefix(op.Path, "/api/v1/scenarios/") {
				ts = []target{{"scenario", aScenario.ID, "", "0190f0c4-4b4e-7d2a-9a31-6f0e3c2d1b10", ""}}
			}
			for _, token := range []string{e.bOwner, e.bViewer} {
				for _, tg := range ts {
					path := func(id, number string) string {
						return strings.NewReplacer("{id}", id, "{number}", number, "{idea}", ideaID, "{trend}", "ageing").Replace(op.Path) + c.query
					}
					ref := e.do(op.Method, path(tg.missingID, tg.missingNumber), token, c.body, c.contentType)
					want(t, ref, http.StatusNotFound, key+" with a missing id")
					r := e.do(op.Method, path(tg.id, tg.number), token, c.body, c.contentType)
					if r.status != http.StatusNotFound {
						t.Errorf("%s on A's %s as B: status %d, want 404\n%s", key, tg.name, r.status, r.body)
						continue
					}
					if !bytes.Equal(r.body, ref.body) {
						t.Errorf("%s on A's %s as B: body differs from a missing id's:\n%s\n%s", key, tg.name, r.body, ref.body)
					}
					if bytes.Contains(r.body, []byte(e.private.Name.EN)) {
						t.Errorf("%s leaks the library's name", key)
					}
				}
			}
		}
		if scoped != len(cases) {
			t.Errorf("%d org-scoped operations, %d cases: remove the cases of operations that are gone", scoped, len(cases))
		}
		if l, v := e.libraryCount(e.orgA.ID), e.versionCount(e.orgA.ID); l != libsA || v != versionsA {
			t.Errorf("B's requests changed A's libraries: %d/%d libraries, %d/%d versions", l, libsA, v, versionsA)
		}
		if e.libraryCount(e.orgB.ID) != 0 {
			t.Errorf("B's requests created a library")
		}
		after := e.get("/api/v1/workshops/"+ws.ID, e.aViewer)
		want(t, after, http.StatusOK, "A's workshop after B's requests")
		if !bytes.Equal(before.body, after.body) {
			t.Errorf("B's requests changed A's workshop:\n%s\n%s", before.body, after.body)
		}
		if ideas := e.moderatedIdeas(ws.ID); len(ideas) != 1 || ideas[0].Hidden {
			t.Errorf("B's requests changed A's ideas: %+v", ideas)
		}
		if list, err := e.svc.Store().Workshops(t.Context(), e.orgB.ID); err != nil || len(list) != 0 {
			t.Errorf("B's requests created workshops: %v %v", list, err)
		}
		if after := e.get("/api/v1/assessment-rounds/"+round.ID, e.aViewer); after.status != http.StatusOK || !bytes.Equal(roundBefore.body, after.body) {
			t.Errorf("B's requests changed A's assessment round:\n%s\n%s", roundBefore.body, after.body)
		}
		if list, err := e.svc.Store().AssessmentRounds(t.Context(), e.orgB.ID); err != nil || len(list) != 0 {
			t.Errorf("B's requests created assessment rounds: %v %v", list, err)
		}
		if after := e.get("/api/v1/initiatives/"+aInitiative.ID, e.aViewer); after.status != http.StatusOK || !bytes.Equal(initiativeBefore.body, after.body) {
			t.Errorf("B's requests changed A's initiative:\n%s\n%s", initiativeBefore.body, after.body)
		}
		if list, err := e.svc.Store().Initiatives(t.Context(), e.orgB.ID); err != nil || len(list) != 0 {
			t.Errorf("B's requests created initiatives: %v %v", list, err)
		}
		if after := e.get("/api/v1/scenarios/"+aScenario.ID, e.aViewer); after.status != http.StatusOK || !bytes.Equal(scenarioBefore.body, after.body) {
			t.Errorf("B's requests changed A's scenario:\n%s\n%s", scenarioBefore.body, after.body)
		}
		if list, err := e.svc.Store().Scenarios(t.Context(), e.orgB.ID); err != nil || len(list) != 0 {
			t.Errorf("B's requests created scenarios: %v %v", list, err)
		}
		// The same holds for members of A: they reach their own library.
		want(t, e.get("/api/v1/libraries/"+e.private.ID, e.aViewer), http.StatusOK, "A reads its own library")
	})
}

// versionCount counts the versions of the organisation's libraries.
func (e *env) versionCount(orgID string) int {
	e.t.Helper()
	libs, err := e.svc.Store().Libraries(e.t.Context(), orgID)
	must(e.t, err)
	n := 0
	for _, l := range libs {
		vs, err := e.svc.Store().Versions(e.t.Context(), orgID, l.ID)
		must(e.t, err)
		n += len(vs)
	}
	return n
}

// TestInternalErrorsHidden ensures that an error the API does not expect —
// here, a closed database — answers 500 with a generic problem document
// that names the request id and shows no SQL or Go error, and that the
// error is logged with the same request id.
func TestInternalErrorsHidden(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		want(t, e.get("/api/v1/libraries", e.aViewer), http.StatusOK, "before")
		must(t, db.Close())
		r := e.get("/api/v1/libraries", e.aViewer)
		want(t, r, http.StatusInternalServerError, "closed database")
		p := r.problem(t)
		id := r.header.Get("X-Request-Id")
		if id == "" || !strings.Contains(p.Detail, id) {
			t.Errorf("detail %q does not name the request id %q", p.Detail, id)
		}
		for _, leak := range []string{"sql", "database", "closed", "store:"} {
			if strings.Contains(strings.ToLower(string(r.body)), leak) {
				t.Errorf("the 500 body shows %q: %s", leak, r.body)
			}
		}
		if !strings.Contains(e.log.String(), id) || !strings.Contains(e.log.String(), "closed") {
			t.Errorf("the log does not hold the error with request id %s:\n%s", id, e.log.String())
		}
	})
}

// sameJSON reports whether two JSON documents are equal as values.
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	must(t, json.Unmarshal(a, &x))
	must(t, json.Unmarshal(b, &y))
	return reflect.DeepEqual(x, y)
}
