// Package web serves Waymark's HTML pages: server-rendered, working without
// JavaScript, in English and Swedish. Handlers are thin: they read the form,
// call the service, and render a template or redirect.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/i18n"
	"github.com/waymark/waymark/internal/ratelimit"
	"github.com/waymark/waymark/internal/service"
)

// Config is what the web layer needs from the application.
type Config struct {
	Service *service.Service
	Catalog *i18n.Catalog
	Log     *slog.Logger
	// BaseURL is the address people open, e.g. "https://waymark.example.org";
	// https makes cookies Secure.
	BaseURL string
	// API serves /api/v1/; nil leaves the API out.
	API http.Handler
	// Ready reports whether the database answers, for /readyz.
	Ready func(context.Context) error
	// JoinLimiter counts wrong join codes per client; share the API's so a
	// client has one allowance. Nil makes one.
	JoinLimiter *ratelimit.JoinLimiter
}

// Server holds the web layer's state.
type Server struct {
	svc      *service.Service
	cat      *i18n.Catalog
	log      *slog.Logger
	sessions *scs.SessionManager
	pages    *pages
	routes   []Route
	mux      *http.ServeMux
	secure   bool
	ready    func(context.Context) error
	handler  http.Handler
	baseURL  string
	starters []service.StarterInfo
	joins    *ratelimit.JoinLimiter
}

// Access says who may call a route.
type Access int

const (
	// Public routes need nothing.
	Public Access = iota
	// SignedIn routes need a signed-in user.
	SignedIn
	// Member routes have {org} in the pattern and need the signed-in user to
	// be a member of that organisation; others get 404.
	Member
)

// Route is one registered page or action. The list is exported so tests can
// walk every route (for example to prove tenant isolation on each).
type Route struct {
	Method  string
	Pattern string
	Access  Access
	MaxBody int64 // request body limit in bytes
}

// Default body limits.
const (
	formBodyLimit   = 1 << 20
	uploadBodyLimit = 11 << 20 // a 10 MiB file plus multipart overhead
)

// New builds the web layer and its routes.
func New(cfg Config) (*Server, error) {
	pg, err := loadPages(cfg.Catalog)
	if err != nil {
		return nil, err
	}
	s := &Server{
		svc:     cfg.Service,
		cat:     cfg.Catalog,
		log:     cfg.Log,
		pages:   pg,
		mux:     http.NewServeMux(),
		secure:  strings.HasPrefix(cfg.BaseURL, "https://"),
		ready:   cfg.Ready,
		baseURL: cfg.BaseURL,
		joins:   cfg.JoinLimiter,
	}
	if s.joins == nil {
		s.joins = ratelimit.NewJoinLimiter()
	}
	if s.starters, err = service.StarterContent(); err != nil {
		return nil, err
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.sessions = scs.New()
	s.sessions.Store = sessionStore{cfg.Service.Store()}
	// An absolute lifetime of a working day. No idle timeout: scs would then
	// write the session to the database on every request.
	s.sessions.Lifetime = 10 * time.Hour
	s.sessions.Cookie.Name = "waymark_session"
	s.sessions.Cookie.HttpOnly = true
	s.sessions.Cookie.SameSite = http.SameSiteLaxMode
	s.sessions.Cookie.Secure = s.secure
	if s.secure {
		s.sessions.Cookie.Name = "__Host-waymark_session"
	}
	s.sessions.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		s.renderError(w, r, err)
	}
	s.registerRoutes()
	if cfg.API != nil {
		s.mux.Handle("/api/v1/", cfg.API)
	}
	s.handler = s.middleware(s.mux)
	return s, nil
}

// Handler returns the root HTTP handler with every middleware in place.
func (s *Server) Handler() http.Handler { return s.handler }

// Routes returns every registered page and action.
func (s *Server) Routes() []Route { return s.routes }

// Sessions returns the session manager, for tests.
func (s *Server) Sessions() *scs.SessionManager { return s.sessions }

// handlerFunc is a page or action. Returning an error renders the error
// page that fits it; handlers never write errors themselves.
type handlerFunc func(w http.ResponseWriter, r *http.Request, c *call) error

// handle registers a route: pattern is "METHOD /path".
func (s *Server) handle(pattern string, access Access, h handlerFunc) {
	s.handleLimit(pattern, access, formBodyLimit, h)
}

func (s *Server) handleLimit(pattern string, access Access, limit int64, h handlerFunc) {
	method, path, found := strings.Cut(pattern, " ")
	if !found {
		method, path = "", pattern
	}
	s.routes = append(s.routes, Route{Method: method, Pattern: path, Access: access, MaxBody: limit})
	s.mux.Handle(pattern, s.sessions.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if err := parseForm(r); err != nil {
			s.renderError(w, r, err)
			return
		}
		c, err := s.newCall(w, r, access)
		if err == nil {
			err = h(w, r, c)
		}
		if err != nil {
			s.renderError(w, r, err)
		}
	})))
}

// parseForm reads a url-encoded form body up front, so that a body over the
// limit is refused with 413 instead of being read as an empty form.
// Multipart uploads are read by their handlers, which report problems with
// the file on the page.
func parseForm(r *http.Request) error {
	if r.Method != http.MethodPost || strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return domain.Errorf(domain.EINVALID, "The form could not be read.")
	}
	return nil
}

// call is what a handler knows about the request: who, where, which language.
type call struct {
	user  *domain.User
	org   *domain.Organisation
	actor domain.Actor
	lang  string
	reqID string
	s     *Server
	r     *http.Request
}

// errSignIn asks the error renderer to redirect to the sign-in page.
var errSignIn = domain.Errorf(domain.EUNAUTHORIZED, "Sign in to continue.")

func (s *Server) newCall(w http.ResponseWriter, r *http.Request, access Access) (*call, error) {
	ctx := r.Context()
	c := &call{reqID: requestID(ctx), s: s, r: r}
	if id := s.sessions.GetString(ctx, sessionUserKey); id != "" {
		u, err := s.svc.Store().UserByID(ctx, id)
		if err == nil {
			c.user = u
		} else if !domain.IsNotFound(err) {
			return c, err
		}
	}
	c.lang = s.language(r, c.user)
	if access >= SignedIn && c.user == nil {
		return c, errSignIn
	}
	if access == Member {
		actor, org, err := s.svc.ActorFor(ctx, c.user.ID, r.PathValue("org"))
		if err != nil {
			return c, err
		}
		c.actor, c.org = actor, org
	}
	return c, nil
}

// T translates a message id into the request's language.
func (c *call) T(id string, args ...any) string { return c.s.cat.T(c.lang, id, args...) }

// language picks the interface language: the user's choice, then the lang
// cookie, then the browser's Accept-Language.
func (s *Server) language(r *http.Request, u *domain.User) string {
	if u != nil && domain.ValidLanguage(u.Language) {
		return u.Language
	}
	if ck, err := r.Cookie("lang"); err == nil && domain.ValidLanguage(ck.Value) {
		return ck.Value
	}
	return s.cat.Match(r.Header.Get("Accept-Language"))
}

// Session keys.
const (
	sessionUserKey  = "user"
	sessionFlashKey = "flash"
)
