package web

import (
	"io/fs"
	"net/http"

	"github.com/waymark/waymark/internal/library"
)

// registerRoutes lists every page and action. Routes under /o/{org}/ are
// for members of that organisation only; everyone else gets 404.
func (s *Server) registerRoutes() {
	static, _ := fs.Sub(staticFS, "static")
	fileServer := http.StripPrefix("/static/", http.FileServerFS(static))
	s.mux.Handle("GET /static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		fileServer.ServeHTTP(w, r)
	}))
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.HandleFunc("GET /schemas/library-v1.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/schema+json")
		w.Write(library.SchemaJSON)
	})

	s.handle("GET /{$}", Public, s.home)
	s.handle("GET /signin", Public, s.signInForm)
	s.handle("POST /signin", Public, s.signIn)
	s.handle("POST /signout", Public, s.signOut)
	s.handle("POST /lang", Public, s.setLanguage)
	s.handle("GET /invite/{token}", Public, s.invitationShow)
	s.handle("POST /invite/{token}", Public, s.invitationAccept)
	s.handle("GET /switch", SignedIn, s.switchOrg)
	s.handle("GET /account", SignedIn, s.accountShow)
	s.handle("POST /account", SignedIn, s.accountSave)

	s.handle("GET /o/{org}/{$}", Member, s.orgHome)
	s.handle("GET /o/{org}/libraries", Member, s.libraryList)
	s.handle("GET /o/{org}/libraries/import", Member, s.libraryImportForm)
	s.handleLimit("POST /o/{org}/libraries/import", Member, uploadBodyLimit, s.libraryImport)
	s.handle("POST /o/{org}/starters/{key}", Member, s.starterInstall)
	s.handle("GET /o/{org}/libraries/{id}", Member, s.libraryShow)
	s.handle("GET /o/{org}/libraries/{id}/trends/{key}", Member, s.trendShow)
	s.handle("GET /o/{org}/libraries/{id}/versions", Member, s.versionList)
	s.handle("GET /o/{org}/libraries/{id}/diff", Member, s.versionDiff)
	s.handle("GET /o/{org}/libraries/{id}/export", Member, s.libraryExport)
	s.handle("POST /o/{org}/libraries/{id}/draft", Member, s.draftStart)
	s.handle("POST /o/{org}/libraries/{id}/publish", Member, s.draftPublish)
	s.handle("POST /o/{org}/libraries/{id}/discard", Member, s.draftDiscard)
	s.handle("POST /o/{org}/libraries/{id}/copy", Member, s.libraryCopy)
	s.handle("POST /o/{org}/libraries/{id}/visibility", Member, s.libraryVisibility)
	s.handle("POST /o/{org}/libraries/{id}/delete", Member, s.libraryDelete)
	s.handle("GET /o/{org}/libraries/{id}/edit/details", Member, s.detailsEditForm)
	s.handle("POST /o/{org}/libraries/{id}/edit/details", Member, s.detailsSave)
	s.handle("GET /o/{org}/libraries/{id}/edit/{kind}/{key}", Member, s.itemEditForm)
	s.handle("POST /o/{org}/libraries/{id}/edit/{kind}/{key}", Member, s.itemSave)
	s.handle("POST /o/{org}/libraries/{id}/edit/{kind}/{key}/move", Member, s.itemMove)
	s.handle("POST /o/{org}/libraries/{id}/edit/{kind}/{key}/remove", Member, s.itemRemove)

	s.handle("GET /o/{org}/members", Member, s.memberList)
	s.handle("POST /o/{org}/members/invite", Member, s.memberInvite)
	s.handle("POST /o/{org}/members/{user}/role", Member, s.memberRole)
	s.handle("POST /o/{org}/members/{user}/remove", Member, s.memberRemove)
	s.handle("POST /o/{org}/invitations/{id}/revoke", Member, s.invitationRevoke)
	s.handle("GET /o/{org}/tokens", Member, s.tokenList)
	s.handle("POST /o/{org}/tokens", Member, s.tokenCreate)
	s.handle("POST /o/{org}/tokens/{id}/revoke", Member, s.tokenRevoke)
	s.handle("GET /o/{org}/settings", Member, s.settingsShow)
	s.handle("POST /o/{org}/settings", Member, s.settingsSave)
	s.handle("GET /o/{org}/audit", Member, s.auditShow)

	s.registerWorkshopRoutes()
	s.registerResultsRoutes()
	s.registerCapabilityRoutes()
	s.registerPortfolioRoutes()
	s.registerScenarioRoutes()
	s.registerParticipantRoutes()

	// Anything else is a 404 page, not the mux's plain text.
	s.handle("/", Public, func(w http.ResponseWriter, r *http.Request, c *call) error {
		return errNotFound
	})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if s.ready != nil {
		if err := s.ready(r.Context()); err != nil {
			s.log.WarnContext(r.Context(), "not ready", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("database unreachable\n"))
			return
		}
	}
	w.Write([]byte("ready\n"))
}
