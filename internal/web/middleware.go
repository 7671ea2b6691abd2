package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"
)

type ctxKey int

const requestIDKey ctxKey = iota

// requestID returns the id given to the request, shown on error pages and
// written to the log so the two can be matched.
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// contentSecurityPolicy allows only Waymark's own scripts, styles and images:
// no inline script or style, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// securityHeaders go on every response. Their values are shared, not
// set afresh (each Header.Set allocates, on every request): the slices
// are full, so a handler that appends gets a copy, and net/http copies
// the header when it writes it.
var securityHeaders = http.Header{
	"Content-Security-Policy":    full(contentSecurityPolicy),
	"X-Content-Type-Options":     full("nosniff"),
	"X-Frame-Options":            full("DENY"),
	"Referrer-Policy":            full("same-origin"),
	"Cross-Origin-Opener-Policy": full("same-origin"),
	"Permissions-Policy":         full("camera=(), microphone=(), geolocation=(), payment=()"),
}

// hsts is the Strict-Transport-Security value behind TLS.
var hsts = full("max-age=31536000")

// full returns a header value whose slice has no room to grow in place.
func full(v string) []string { return []string{v}[:1:1] }

// middleware wraps the mux: request id, logging, panic recovery, security
// headers and cross-origin protection for every state-changing request.
func (s *Server) middleware(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderStatus(w, r, http.StatusForbidden, s.cat.T(s.language(r, nil), "error.cross_origin"))
	}))
	protected := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey, id))
		h := w.Header()
		h.Set("X-Request-Id", id)
		for k, v := range securityHeaders {
			h[k] = v
		}
		if s.secure {
			h["Strict-Transport-Security"] = hsts
		}
		rw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.ErrorContext(r.Context(), "panic", "request_id", id, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if !rw.wrote {
					s.renderStatus(rw, r, http.StatusInternalServerError, "")
				}
			}
			if s.log.Enabled(r.Context(), slog.LevelDebug) {
				s.log.DebugContext(r.Context(), "request", "request_id", id, "method", r.Method, "path", r.URL.Path,
					"status", rw.status, "duration", time.Since(start))
			}
		}()
		protected.ServeHTTP(rw, r)
	})
}

// statusWriter remembers the status written, for the log and for recovery.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.status, w.wrote = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer (flush for
// streams, deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
