package web

import (
	"context"
	"time"

	"github.com/waymark/waymark/internal/domain"
)

// sessionStore keeps scs sessions in Waymark's own store, so sessions live
// in the same database on SQLite and PostgreSQL.
type sessionStore struct{ s domain.UserStore }

func (ss sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	return ss.s.FindSession(ctx, token)
}

func (ss sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	return ss.s.CommitSession(ctx, token, b, expiry)
}

func (ss sessionStore) DeleteCtx(ctx context.Context, token string) error {
	return ss.s.DeleteSession(ctx, token)
}

func (ss sessionStore) Find(token string) ([]byte, bool, error) {
	return ss.FindCtx(context.Background(), token)
}

func (ss sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return ss.CommitCtx(context.Background(), token, b, expiry)
}

func (ss sessionStore) Delete(token string) error { return ss.DeleteCtx(context.Background(), token) }

// setFlash stores a one-time message for the next page this browser shows.
func (c *call) setFlash(message string) {
	c.s.sessions.Put(c.r.Context(), sessionFlashKey, message)
}

// popFlash takes the one-time message, if any.
func (c *call) popFlash() string {
	return c.s.sessions.PopString(c.r.Context(), sessionFlashKey)
}
