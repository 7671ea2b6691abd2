// Package api is Waymark's JSON API under /api/v1, described by an OpenAPI
// 3.1 document at /api/v1/openapi.json that is generated from this code by
// huma. Members' operations authenticate with a personal API token
// (Authorization: Bearer wm_…) and act in the token's organisation; the
// organisation never comes from the URL. Participants of a workshop have no
// account: POST /api/v1/join gives them a participant token, bound to one
// workshop, that the participant operations take as Authorization:
// Participant wmp_…; neither kind of token opens the other's operations.
// Handlers call the service, which holds the rules; errors are turned into
// RFC 9457 problem documents in one place (errors.go).
//
// Handler files are named after the resource and the action, as in the web
// package: library_list.go, library_import.go, draft_publish.go and so on.
package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/waymark/waymark/internal/library"
	"github.com/waymark/waymark/internal/ratelimit"
	"github.com/waymark/waymark/internal/service"
)

// Prefix is the path under which the API is served.
const Prefix = "/api/v1"

// OpenAPIPath is the path of the OpenAPI document (JSON); the same document
// is served as YAML at /api/v1/openapi.yaml.
const OpenAPIPath = Prefix + "/openapi.json"

// Body size limits. File uploads may be as large as the library importer
// accepts; small JSON bodies get a small limit; operations without a body
// get the smallest.
const (
	fileBodyLimit  = library.MaxFileSize + 1 // huma rejects a body of exactly the limit
	smallBodyLimit = 16 << 10
	noBodyLimit    = 1 << 10
)

// Body limits of the participant operations: a batch of answers may be
// large (up to service.MaxAnswerBatch answers); everything else is small.
const answersBodyLimit = 256 << 10

// securityScheme is the name of the bearer token scheme in the document;
// participantScheme that of participant tokens.
const (
	securityScheme    = "bearer"
	participantScheme = "participant"
)

// API is the JSON API. Build it with New and mount Handler at /api/v1/.
type API struct {
	svc     *service.Service
	log     *slog.Logger
	mux     *http.ServeMux
	huma    huma.API
	handler http.Handler
	// joins counts wrong join codes per client address, in memory only.
	joins *ratelimit.JoinLimiter
}

// Operation is one registered API operation.
type Operation struct {
	Method string
	Path   string // the path pattern, e.g. /api/v1/libraries/{id}
	// OrgScoped is true when the path names an object that belongs to an
	// organisation (a library, a version), so that tenant isolation
	// applies: a token of another organisation must get 404 for it.
	OrgScoped bool
	// OperationID is the kebab-case id in the OpenAPI document.
	OperationID string
	// Auth is how the operation authenticates: "bearer" (a member's
	// personal API token), "participant" (a participant token of the
	// workshop in the path) or "none" (joining a workshop).
	Auth string
}

// New builds the API on the service. log receives internal errors with
// their request id.
func New(svc *service.Service, log *slog.Logger) *API { return NewWith(svc, log, nil) }

// NewWith is New with the join limiter to share with the web pages (nil
// for one of its own), so a client has one allowance of wrong codes.
func NewWith(svc *service.Service, log *slog.Logger, joins *ratelimit.JoinLimiter) *API {
	if joins == nil {
		joins = ratelimit.NewJoinLimiter()
	}
	if log == nil {
		log = slog.Default()
	}
	a := &API{svc: svc, log: log, mux: http.NewServeMux(), joins: joins}

	cfg := huma.DefaultConfig("Waymark API", "v1")
	cfg.Info.Description = apiDescription
	cfg.OpenAPIPath = Prefix + "/openapi"
	cfg.DocsPath = ""    // the docs page loads scripts from a CDN: off
	cfg.SchemasPath = "" // schemas live in the document's components
	cfg.CreateHooks = nil
	cfg.Transformers = []huma.Transformer{a.transformError}
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		securityScheme: {
			Type:         "http",
			Scheme:       "bearer",
			BearerFormat: "Waymark personal API token (wm_…)",
			Description: "A personal API token, created on the Tokens page of your organisation or with " +
				"`waymark token create`. Send it as `Authorization: Bearer wm_…`. The token acts as its " +
				"user, in its organisation, with the role the user has there now.",
		},
		participantScheme: {
			Type:   "http",
			Scheme: "Participant",
			Description: "A participant token, returned once by `POST /api/v1/join`. Send it as " +
				"`Authorization: Participant wmp_…`. It is bound to the workshop it joined: used on another " +
				"workshop it answers 404. Personal API tokens are not accepted here, nor participant tokens " +
				"by members' operations.",
		},
	}
	cfg.Tags = []*huma.Tag{
		{Name: tagAccount, Description: "Who the token acts as."},
		{Name: tagLibraries, Description: "Trend libraries: driving forces, fields of tension, trends and capability areas, in versions. " +
			"An organisation sees the libraries it owns and the public libraries of others (published versions only)."},
		{Name: tagDrafts, Description: "Editing a library: a draft version is edited, then published; published versions never change."},
		{Name: tagStarters, Description: "Starter libraries that ship with Waymark and can be installed into an organisation."},
		{Name: tagWorkshops, Description: "Running workshops as a facilitator: create them from a published library version, " +
			"move them through their phases (draft → lobby → rating → tensions → consequences → voting → closed), " +
			"follow progress live, moderate ideas."},
		{Name: tagParticipation, Description: "Taking part in a workshop without an account: join with its code, rate the " +
			"trends, place the fields of tension, write and upvote ideas, place dots, and follow the facilitator live."},
	}
	a.huma = humago.New(a.mux, cfg)
	a.huma.UseMiddleware(a.authenticate)
	a.register()
	a.handler = a.wrap(a.answersFast(a.mux))
	return a
}

const apiDescription = `Waymark's JSON API. It can do with trend libraries and workshops everything the web pages can:
list, read, export, import, draft, publish, copy and install starter libraries; create, run and moderate
workshops; and take part in one as a participant.

**Authentication.** Members' operations need a personal API token in the ` + "`Authorization: Bearer wm_…`" + ` header.
A token belongs to one organisation; everything the API does happens in that organisation.
Participants have no account: ` + "`POST /api/v1/join`" + ` with a workshop's code returns a participant token, which the
participant operations take as ` + "`Authorization: Participant wmp_…`" + `. A participant token opens only its own
workshop (any other answers 404); the two kinds of token never open each other's operations (401).

**Live updates** are Server-Sent Events (` + "`text/event-stream`" + `): ` + "`GET /api/v1/workshops/{id}/events`" + ` for
participants, ` + "`GET /api/v1/workshops/{id}/presenter/events`" + ` for facilitators. Each event has an id; reconnect
with ` + "`Last-Event-ID`" + ` to resume without a gap.

**Errors** are RFC 9457 problem documents (` + "`application/problem+json`" + `). A 422 lists every problem
found in ` + "`errors`" + `, each with a ` + "`location`" + ` such as ` + "`body:12 category`" + ` (row 12 of the
uploaded CSV, column category) or ` + "`body:$.trends[3] title.en`" + ` (a JSON path and a field). Objects of other
organisations that you cannot see answer 404, exactly like objects that do not exist.`

// Handler serves everything under /api/v1/.
func (a *API) Handler() http.Handler { return a.handler }

// OpenAPI returns the API's OpenAPI document.
func (a *API) OpenAPI() *huma.OpenAPI { return a.huma.OpenAPI() }

// Operations lists every registered operation, from the OpenAPI document,
// sorted by path and method.
func (a *API) Operations() []Operation {
	var ops []Operation
	for path, item := range a.huma.OpenAPI().Paths {
		for _, op := range []*huma.Operation{item.Get, item.Put, item.Post, item.Delete, item.Patch, item.Head, item.Options, item.Trace} {
			if op == nil {
				continue
			}
			scoped, _ := op.Metadata[metaOrgScoped].(bool)
			ops = append(ops, Operation{Method: op.Method, Path: path, OrgScoped: scoped, OperationID: op.OperationID,
				Auth: authOf(op).String()})
		}
	}
	slices.SortFunc(ops, func(x, y Operation) int {
		if c := strings.Compare(x.Path, y.Path); c != 0 {
			return c
		}
		return strings.Compare(x.Method, y.Method)
	})
	return ops
}

// Tags group operations in the document.
const (
	tagAccount       = "Account"
	tagLibraries     = "Libraries"
	tagDrafts        = "Drafts"
	tagStarters      = "Starter libraries"
	tagWorkshops     = "Workshops"
	tagParticipation = "Participation"
)

const (
	metaOrgScoped = "waymark-org-scoped"
	metaAuth      = "waymark-auth"
)

// authKind says how an operation authenticates.
type authKind int

const (
	authBearer      authKind = iota // a member's personal API token
	authParticipant                 // a participant token of the workshop in the path
	authNone                        // nothing (joining a workshop)
)

func (k authKind) String() string {
	switch k {
	case authParticipant:
		return "participant"
	case authNone:
		return "none"
	}
	return "bearer"
}

// authOf returns how a registered operation authenticates.
func authOf(o *huma.Operation) authKind {
	k, _ := o.Metadata[metaAuth].(authKind)
	return k
}

// op describes an operation for register.
type op struct {
	id, method, path, summary, description, tag string
	orgScoped                                   bool
	auth                                        authKind
	status                                      int   // default status; 200 when 0
	errors                                      []int // besides 401 (when authenticated) and 500
	maxBody                                     int64 // noBodyLimit when 0
}

// operation turns an op into a huma.Operation with the security
// requirement, the body limit and the documented errors.
func (o op) operation() huma.Operation {
	limit := o.maxBody
	if limit == 0 {
		limit = noBodyLimit
	}
	errs := append([]int{http.StatusUnauthorized}, o.errors...)
	var security []map[string][]string
	switch o.auth {
	case authBearer:
		security = []map[string][]string{{securityScheme: {}}}
	case authParticipant:
		security = []map[string][]string{{participantScheme: {}}}
	case authNone:
		errs = o.errors
	}
	return huma.Operation{
		OperationID:   o.id,
		Method:        o.method,
		Path:          Prefix + o.path,
		Summary:       o.summary,
		Description:   o.description,
		Tags:          []string{o.tag},
		Security:      security,
		MaxBodyBytes:  limit,
		DefaultStatus: o.status,
		Errors:        errs,
		Metadata:      map[string]any{metaOrgScoped: o.orgScoped, metaAuth: o.auth},
	}
}

// register adds every operation. Each handler file has one register
// function.
func (a *API) register() {
	a.registerMe()
	a.registerLibraryList()
	a.registerLibraryShow()
	a.registerVersionShow()
	a.registerVersionDiff()
	a.registerLibraryExport()
	a.registerLibraryImport()
	a.registerLibraryCopy()
	a.registerLibraryVisibility()
	a.registerLibraryDelete()
	a.registerDraftStart()
	a.registerDraftSave()
	a.registerDraftPublish()
	a.registerDraftDiscard()
	a.registerStarterList()
	a.registerStarterInstall()

	// Workshops, for facilitators (Bearer).
	a.registerWorkshopList()
	a.registerWorkshopCreate()
	a.registerWorkshopShow()
	a.registerWorkshopUpdate()
	a.registerWorkshopDuplicate()
	a.registerWorkshopDelete()
	a.registerWorkshopPhase()
	a.registerWorkshopResults()
	a.registerWorkshopAnalysis()
	a.registerWorkshopIdeas()
	a.registerWorkshopIdeaHidden()
	a.registerWorkshopEvents()
	a.registerCapability() // capability assessment (capability.go)
	a.registerInitiatives()
	a.registerScenarios() // scenarios, the optimiser and the roadmap (scenario.go)

	// Participation (no account; Participant tokens).
	a.registerParticipantJoin()
	a.registerParticipantState()
	a.registerParticipantAnswers()
	a.registerParticipantTension()
	a.registerParticipantIdeas()
	a.registerParticipantIdeaAdd()
	a.registerParticipantUpvote()
	a.registerParticipantDots()
	a.registerParticipantEvents()
}

// documentBody describes the request body of a registered operation that
// reads its body raw. It must run after huma.Register: a JSON schema given
// to huma before would make huma decode and validate the body itself,
// while these operations check the whole file with the library importer to
// report every problem in its own terms.
func (a *API) documentBody(o huma.Operation, description string, content map[string]*huma.MediaType) {
	item := a.huma.OpenAPI().Paths[o.Path]
	if item == nil {
		panic("api: documentBody before Register: " + o.Path)
	}
	var op *huma.Operation
	switch o.Method {
	case http.MethodPost:
		op = item.Post
	case http.MethodPut:
		op = item.Put
	}
	if op == nil || op.RequestBody == nil {
		panic("api: no request body to document for " + o.Method + " " + o.Path)
	}
	op.RequestBody.Description = description
	op.RequestBody.Content = content
}

// Header values every API response gets, shared instead of set afresh on
// each request (full slices: an append copies).
var (
	noStore = []string{"no-store"}[:1:1]
	nosniff = []string{"nosniff"}[:1:1]
)

// wrap adds what every API request gets before huma sees it: a request id
// (the web middleware's when it ran first), a hard cap on the body, and
// recovery from panics as a problem document.
func (a *API) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := w.Header().Get("X-Request-Id")
		if id == "" {
			id = newRequestID()
			w.Header().Set("X-Request-Id", id)
		}
		ctx := context.WithValue(r.Context(), requestIDKey, id)
		r = r.WithContext(context.WithValue(ctx, clientAddrKey, ratelimit.ClientAddress(r)))
		r.Body = http.MaxBytesReader(w, r.Body, fileBodyLimit+1<<10)
		// Answers hold an organisation's data: no shared caches. The web
		// middleware adds the other security headers when it runs first.
		h := w.Header()
		h["Cache-Control"], h["X-Content-Type-Options"] = noStore, nosniff
		rw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				a.log.ErrorContext(r.Context(), "api: panic", "request_id", id, "method", r.Method, "path", r.URL.Path,
					"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if !rw.wrote {
					writeProblem(rw, http.StatusInternalServerError, internalMessage(id))
				}
			}
		}()
		next.ServeHTTP(rw, r)
	})
}

type ctxKey int

const (
	requestIDKey ctxKey = iota
	actorKey
	participantKey
	clientAddrKey
)

// requestID returns the request's id, also sent as the X-Request-Id header.
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// statusWriter remembers whether anything was written, for recovery.
type statusWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *statusWriter) WriteHeader(code int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer; huma
// uses it to set read deadlines for bodies.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// fileReadTimeout is how long an upload may take to arrive.
const fileReadTimeout = 60 * time.Second
