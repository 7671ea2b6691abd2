package web

import (
	"net/http"
	"strings"

	"github.com/waymark/waymark/internal/domain"
)

var errNotFound = domain.Errorf(domain.ENOTFOUND, "Page not found.")

// home sends signed-in people to their first organisation and others to
// the sign-in page.
func (s *Server) home(w http.ResponseWriter, r *http.Request, c *call) error {
	if c.user == nil {
		return redirect(w, r, "/signin")
	}
	ms, err := s.svc.Store().Memberships(r.Context(), c.user.ID)
	if err != nil {
		return err
	}
	if len(ms) == 0 {
		return s.render(w, c, http.StatusOK, "no_org", c.T("noorg.title"), nil)
	}
	if last := s.sessions.GetString(r.Context(), "org"); last != "" {
		for _, m := range ms {
			if m.Org.Slug == last {
				return redirect(w, r, "/o/"+last+"/")
			}
		}
	}
	return redirect(w, r, "/o/"+ms[0].Org.Slug+"/")
}

type signInData struct {
	Email string
	Next  string
	Error string
}

func (s *Server) signInForm(w http.ResponseWriter, r *http.Request, c *call) error {
	next := localPath(r.URL.Query().Get("next"), "/")
	if c.user != nil {
		return redirect(w, r, next)
	}
	return s.render(w, c, http.StatusOK, "signin", c.T("signin.title"), signInData{Next: next})
}

// signIn checks the password, renews the session id (so a session fixed
// before sign-in is worthless) and remembers the user's language.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, c *call) error {
	email, password := r.PostFormValue("email"), r.PostFormValue("password")
	next := localPath(r.PostFormValue("next"), "/")
	u, err := s.svc.SignIn(r.Context(), email, password)
	if err != nil {
		code := domain.ErrorCode(err)
		if code != domain.EUNAUTHORIZED && code != domain.ETOOMANY {
			return err
		}
		msg := c.T("signin.error.bad")
		status := http.StatusUnauthorized
		if code == domain.ETOOMANY {
			msg = c.errorMessage(err)
			status = http.StatusTooManyRequests
		}
		return s.render(w, c, status, "signin", c.T("signin.title"), signInData{Email: email, Next: next, Error: msg})
	}
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionUserKey, u.ID)
	if u.Language != "" {
		setLangCookie(w, u.Language, s.secure)
	}
	return redirect(w, r, next)
}

// signOut ends the session on the server, not only in the browser.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	return redirect(w, r, "/signin")
}

func setLangCookie(w http.ResponseWriter, lang string, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secure})
}

// setLanguage switches the interface language, remembering it for the
// account when signed in and in a cookie otherwise.
func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request, c *call) error {
	lang := r.PostFormValue("lang")
	if !domain.ValidLanguage(lang) {
		return domain.Errorf(domain.EINVALID, "Unknown language.")
	}
	if c.user != nil {
		if err := s.svc.SetLanguage(r.Context(), c.user.ID, lang); err != nil {
			return err
		}
	}
	setLangCookie(w, lang, s.secure)
	return redirect(w, r, localPath(r.PostFormValue("return_to"), "/"))
}

// switchOrg is the organisation switcher's target: GET /switch?org=slug.
func (s *Server) switchOrg(w http.ResponseWriter, r *http.Request, c *call) error {
	slug := r.URL.Query().Get("org")
	if _, _, err := s.svc.ActorFor(r.Context(), c.user.ID, slug); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), "org", slug)
	return redirect(w, r, "/o/"+slug+"/")
}

type invitationData struct {
	Token       string
	Invitation  *domain.Invitation
	Org         *domain.Organisation
	DisplayName string
	Problems    map[string]string
	Error       string
}

// invitationShow shows what an invitation is for and how to accept it:
// with the current account, or by creating one.
func (s *Server) invitationShow(w http.ResponseWriter, r *http.Request, c *call) error {
	token := r.PathValue("token")
	inv, org, err := s.svc.Invitation(r.Context(), token)
	if err != nil {
		if domain.ErrorCode(err) == domain.EINVALID {
			return s.render(w, c, http.StatusGone, "invitation", c.T("invite.title"), invitationData{Error: c.errorMessage(err)})
		}
		return err
	}
	return s.render(w, c, http.StatusOK, "invitation", c.T("invite.title"), invitationData{Token: token, Invitation: inv, Org: org})
}

func (s *Server) invitationAccept(w http.ResponseWriter, r *http.Request, c *call) error {
	token := r.PathValue("token")
	inv, org, err := s.svc.Invitation(r.Context(), token)
	if err != nil {
		if domain.ErrorCode(err) == domain.EINVALID {
			return s.render(w, c, http.StatusGone, "invitation", c.T("invite.title"), invitationData{Error: c.errorMessage(err)})
		}
		return err
	}
	if c.user == nil {
		name := strings.TrimSpace(r.PostFormValue("display_name"))
		u, err := s.svc.SignUpWithInvitation(r.Context(), token, name, r.PostFormValue("password"), c.lang)
		if ps, ok := asProblems(err); ok {
			return s.render(w, c, http.StatusUnprocessableEntity, "invitation", c.T("invite.title"),
				invitationData{Token: token, Invitation: inv, Org: org, DisplayName: name, Problems: c.problemMap(ps)})
		}
		if err != nil {
			return err
		}
		if err := s.sessions.RenewToken(r.Context()); err != nil {
			return err
		}
		s.sessions.Put(r.Context(), sessionUserKey, u.ID)
	} else if _, err := s.svc.AcceptInvitation(r.Context(), token, c.user.ID); err != nil {
		return err
	}
	c.setFlash(c.T("invite.accepted", "Org", org.Name))
	return redirect(w, r, "/o/"+org.Slug+"/")
}

type accountData struct {
	DisplayName string
	Problems    map[string]string
}

func (s *Server) accountShow(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.render(w, c, http.StatusOK, "account", c.T("account.title"), accountData{DisplayName: c.user.DisplayName})
}

func (s *Server) accountSave(w http.ResponseWriter, r *http.Request, c *call) error {
	name := r.PostFormValue("display_name")
	err := s.svc.UpdateProfile(r.Context(), c.user.ID, name, r.PostFormValue("current_password"), r.PostFormValue("new_password"))
	if ps, ok := asProblems(err); ok {
		return s.render(w, c, http.StatusUnprocessableEntity, "account", c.T("account.title"), accountData{DisplayName: name, Problems: c.problemMap(ps)})
	}
	if err != nil {
		return err
	}
	c.setFlash(c.T("account.saved"))
	return redirect(w, r, "/account")
}

// asProblems reports whether err is a list of input problems.
func asProblems(err error) (domain.Problems, bool) {
	ps, ok := err.(domain.Problems)
	return ps, ok
}

// problemMap indexes problems by field for forms: field → message in the
// page's language.
func (c *call) problemMap(ps domain.Problems) map[string]string {
	m := make(map[string]string, len(ps))
	for _, p := range ps {
		f := p.Field
		if f == "" {
			f = "_"
		}
		if _, ok := m[f]; !ok {
			m[f] = c.s.cat.Message(c.lang, p.Message)
		}
	}
	return m
}

// errorMessage is the people-facing message of err in the page's language.
func (c *call) errorMessage(err error) string {
	return c.s.cat.Message(c.lang, domain.ErrorMessage(err))
}
