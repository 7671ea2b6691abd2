// Package app wires Waymark together: configuration → store → service →
// web and API → HTTP server. The command line and the end-to-end tests use
// it the same way: Open, then Serve, then Close.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/waymark/waymark/internal/api"
	"github.com/waymark/waymark/internal/i18n"
	"github.com/waymark/waymark/internal/live"
	"github.com/waymark/waymark/internal/ratelimit"
	"github.com/waymark/waymark/internal/service"
	"github.com/waymark/waymark/internal/store"
	"github.com/waymark/waymark/internal/web"
)

// Config is Waymark's configuration, from flags and environment.
type Config struct {
	// DataDir holds the SQLite database when DatabaseURL is empty.
	DataDir string
	// DatabaseURL selects PostgreSQL when it starts with postgres://.
	DatabaseURL string
	// BaseURL is the address people open; https makes cookies Secure.
	BaseURL string
	Log     *slog.Logger
	// Now replaces the clock in tests; nil for time.Now.
	Now func() time.Time
}

// DSN returns the database to open: the URL, or the SQLite file in DataDir.
func (c Config) DSN() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return filepath.Join(c.DataDir, "waymark.db")
}

// Main is a running Waymark: its database, services and handlers.
type Main struct {
	Config  Config
	DB      *store.DB
	Service *service.Service
	Web     *web.Server
	API     *api.API

	committer *store.AnswerCommitter
	broker    live.Broker
}

// Open opens (creating when needed) and migrates the database and builds
// the services and handlers.
func Open(ctx context.Context, cfg Config) (*Main, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	if !isPostgres(cfg.DatabaseURL) {
		if cfg.DatabaseURL != "" {
			return nil, fmt.Errorf("database URL %q: only postgres:// URLs are supported; leave it empty for SQLite in the data folder", redact(cfg.DatabaseURL))
		}
		if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("data folder: %w", err)
		}
	}
	db, err := store.Open(ctx, cfg.DSN())
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	m := New(db, cfg)
	if db.Dialect() == store.Postgres {
		// Several instances share live events through PostgreSQL itself.
		b, err := live.NewPostgres(ctx, cfg.DatabaseURL, cfg.Log)
		if err != nil {
			m.Close()
			return nil, fmt.Errorf("live events: %w", err)
		}
		m.broker = b
		m.Service.UseLive(b, nil)
	}
	return m, nil
}

// New builds Waymark on an open, migrated database (tests use this with
// the databases storetest hands out).
func New(db *store.DB, cfg Config) *Main {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	m := &Main{Config: cfg, DB: db, Service: service.New(db, cfg.Now, cfg.Log)}
	// Answers from many requests share one transaction (group commit).
	m.committer = store.NewAnswerCommitter(db, store.CommitterOptions{})
	m.broker = m.Service.Broker()
	m.Service.UseLive(nil, m.committer)
	return m
}

// Handler builds the web and API handlers (once) and returns the root
// handler.
func (m *Main) Handler() (http.Handler, error) {
	if m.Web == nil {
		cat, err := i18n.New()
		if err != nil {
			return nil, err
		}
		joins := ratelimit.NewJoinLimiter()
		m.API = api.NewWith(m.Service, m.Config.Log, joins)
		w, err := web.New(web.Config{Service: m.Service, Catalog: cat, Log: m.Config.Log, BaseURL: m.Config.BaseURL,
			API: m.API.Handler(), Ready: m.DB.Ping, JoinLimiter: joins})
		if err != nil {
			return nil, err
		}
		m.Web = w
	}
	return m.Web.Handler(), nil
}

// Serve answers HTTP on the listener until ctx is cancelled, then shuts
// down gracefully: no new connections, and requests in flight get up to
// 10 seconds to finish.
func (m *Main) Serve(ctx context.Context, ln net.Listener) error {
	h, err := m.Handler()
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(m.Config.Log.Handler(), slog.LevelWarn),
	}
	// Live streams never end by themselves: close the broker when shutdown
	// starts so they end at once (browsers reconnect and resume elsewhere).
	srv.RegisterOnShutdown(func() { m.broker.Close() })
	go m.cleanSessions(ctx)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// cleanSessions deletes expired sessions every hour.
func (m *Main) cleanSessions(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if err := m.DB.DeleteExpiredSessions(ctx, time.Now()); err != nil && ctx.Err() == nil {
			m.Config.Log.Warn("session cleanup failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Close stops taking answers (after writing those queued), ends the live
// streams and closes the database.
func (m *Main) Close() error {
	m.Stop()
	return m.DB.Close()
}

// Stop writes the answers still queued and ends the live streams, leaving
// the database open (tests close it themselves).
func (m *Main) Stop() {
	m.Service.Close()
	m.committer.Close()
	m.broker.Close()
}

func isPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// redact hides a password in a database URL for messages.
func redact(url string) string {
	if i := strings.Index(url, "@"); i > 0 {
		if j := strings.Index(url, "://"); j > 0 && j < i {
			return url[:j+3] + "…" + url[i:]
		}
	}
	return url
}
