package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/httperr"
)

// renderError shows the error page that fits err. Internal errors are
// logged with the request id and shown without detail.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, errSignIn):
		http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	case errors.As(err, &mbe):
		s.renderStatus(w, r, http.StatusRequestEntityTooLarge, s.cat.T(s.language(r, nil), "error.too_large"))
		return
	}
	status := httperr.StatusOf(err)
	msg := ""
	if status == http.StatusInternalServerError {
		s.log.ErrorContext(r.Context(), "request failed", "request_id", requestID(r.Context()), "method", r.Method, "path", r.URL.Path, "err", err)
	} else if status != http.StatusNotFound {
		msg = domain.ErrorMessage(err)
	}
	s.renderStatus(w, r, status, msg)
}

// renderStatus shows the error page for a status with an optional message.
// It never shows a stack trace or SQL: only the message and the request id.
func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, message string) {
	c := &call{reqID: requestID(r.Context()), s: s, r: r, lang: s.language(r, nil)}
	data := struct {
		Status  int
		Message string
	}{status, message}
	title := c.T("error.title." + statusKey(status))
	if err := s.renderBare(w, c, status, "error", title, data); err != nil {
		s.log.ErrorContext(r.Context(), "error page failed", "err", err)
		http.Error(w, http.StatusText(status)+" (request "+c.reqID+")", status)
	}
}

// renderBare renders without touching the session (which may be the thing
// that failed).
func (s *Server) renderBare(w http.ResponseWriter, c *call, status int, page, title string, data any) error {
	t, ok := s.pages.byLang[c.lang][page]
	if !ok {
		return errors.New("web: no error page")
	}
	v := view{Lang: c.lang, OtherLang: otherLang(c.lang), Title: title, RequestID: c.reqID, Path: c.r.URL.RequestURI(), Data: data}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	return t.ExecuteTemplate(w, "layout.html", v)
}

func statusKey(status int) string {
	switch status {
	case http.StatusNotFound:
		return "404"
	case http.StatusForbidden:
		return "403"
	case http.StatusUnauthorized:
		return "401"
	case http.StatusConflict:
		return "409"
	case http.StatusUnprocessableEntity:
		return "422"
	case http.StatusTooManyRequests:
		return "429"
	case http.StatusRequestEntityTooLarge:
		return "413"
	}
	return "500"
}
