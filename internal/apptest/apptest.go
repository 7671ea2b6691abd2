// Package apptest starts a whole Waymark in tests and drives it over HTTP:
// on a real database from storetest, through the same handler chain as
// production.
package apptest

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/app"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
	"github.com/waymark/waymark/internal/store"
)

// Env is a running Waymark on a test server.
type Env struct {
	T      testing.TB
	Main   *app.Main
	Server *httptest.Server
	DB     *store.DB
	Svc    *service.Service
	Clock  *Clock
}

// Start serves Waymark on db until the test ends.
func Start(tb testing.TB, db *store.DB) *Env {
	tb.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{tb}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	clock := &Clock{}
	m := app.New(db, app.Config{Log: log, Now: clock.Now})
	h, err := m.Handler()
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(h)
	tb.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
		m.Stop()
	})
	return &Env{T: tb, Main: m, Server: srv, DB: db, Svc: m.Service, Clock: clock}
}

// Clock is the app's clock in tests: real time plus an offset that tests
// move forward to make invitations expire or backoffs pass.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
}

// Now returns the real time plus the offset.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

type testWriter struct{ tb testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// Password is the password of every user made by MustUser.
const Password = "correct horse battery staple"

// Org creates an organisation or fails the test.
func (e *Env) Org(slug string) *domain.Organisation {
	e.T.Helper()
	o := &domain.Organisation{Slug: slug, Name: "Org " + slug, Type: domain.Municipality, Country: "SE"}
	if err := e.Svc.CreateOrg(context.Background(), o); err != nil {
		e.T.Fatalf("create org %s: %v", slug, err)
	}
	return o
}

// User creates a user with Password and gives them the role in org.
func (e *Env) User(email string, org *domain.Organisation, role domain.Role) *domain.User {
	e.T.Helper()
	ctx := context.Background()
	u, err := e.DB.UserByEmail(ctx, email)
	if domain.IsNotFound(err) {
		u, err = e.Svc.CreateUser(ctx, service.NewUser{Email: email, Password: Password})
	}
	if err != nil {
		e.T.Fatalf("create user %s: %v", email, err)
	}
	if err := e.DB.SetMembership(ctx, &domain.Membership{OrgID: org.ID, UserID: u.ID, Role: role}); err != nil {
		e.T.Fatal(err)
	}
	return u
}

// Client is a browser-like HTTP client with its own cookies. It does not
// follow redirects, so tests see them.
type Client struct {
	env *Env
	hc  *http.Client
}

// Client returns a new client without a session.
func (e *Env) Client() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{env: e, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// SignedIn returns a client signed in as the user with Password.
func (e *Env) SignedIn(email string) *Client {
	e.T.Helper()
	c := e.Client()
	res := c.PostForm("/signin", url.Values{"email": {email}, "password": {Password}})
	if res.StatusCode != http.StatusSeeOther {
		e.T.Fatalf("sign in %s: status %d: %s", email, res.StatusCode, res.Body)
	}
	return c
}

// Response is a finished response with its body read.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       string
}

// Do sends a request and reads the whole response.
func (c *Client) Do(req *http.Request) *Response {
	c.env.T.Helper()
	res, err := c.hc.Do(req)
	if err != nil {
		c.env.T.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.env.T.Fatal(err)
	}
	return &Response{StatusCode: res.StatusCode, Header: res.Header, Body: string(b)}
}

// Get fetches a path.
func (c *Client) Get(path string) *Response {
	c.env.T.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.env.Server.URL+path, nil)
	return c.Do(req)
}

// PostForm posts a form to a path.
func (c *Client) PostForm(path string, form url.Values) *Response {
	c.env.T.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.env.Server.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// Upload posts a multipart form with one file and other fields.
func (c *Client) Upload(path, field, filename string, data []byte, fields map[string]string) *Response {
	c.env.T.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile(field, filename)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.env.Server.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(req)
}

// Cookie returns the value of a cookie the client holds for the server.
func (c *Client) Cookie(name string) string {
	u, _ := url.Parse(c.env.Server.URL)
	for _, ck := range c.hc.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// SetCookie puts a cookie into the client's jar.
func (c *Client) SetCookie(name, value string) {
	u, _ := url.Parse(c.env.Server.URL)
	c.hc.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// Request sends any method with an optional body and headers.
func (c *Client) Request(method, path string, body io.Reader, header http.Header) *Response {
	c.env.T.Helper()
	req, _ := http.NewRequest(method, c.env.Server.URL+path, body)
	for k, v := range header {
		req.Header[k] = v
	}
	return c.Do(req)
}
