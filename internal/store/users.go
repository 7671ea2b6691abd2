package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/waymark/waymark/internal/domain"
)

const userCols = "u.id, u.email, u.display_name, u.password_hash, u.language, u.created_at"

func userDest(u *domain.User) []any {
	return []any{&u.ID, &u.Email, &u.DisplayName, &u.PasswordHash, &u.Language, scanTime(&u.CreatedAt)}
}

func errUserNotFound() error { return domain.Errorf(domain.ENOTFOUND, "User not found.") }

// CreateUser stores a new user, setting ID and CreatedAt. Returns ECONFLICT
// if the email address is taken.
func (db *DB) CreateUser(ctx context.Context, u *domain.User) error {
	id, at := newID(), now()
	_, err := db.write.ExecContext(ctx,
		`INSERT INTO users (id, email, display_name, password_hash, language, created_at)
		 VALUES ($1, $2, $3, $4, $5, $6)`,
		id, u.Email, u.DisplayName, u.PasswordHash, u.Language, tv(at))
	if isUniqueViolation(err) {
		return domain.Errorf(domain.ECONFLICT, "An account with the email address %q already exists.", u.Email)
	}
	if err != nil {
		return fmt.Errorf("store: create user: %w", err)
	}
	u.ID, u.CreatedAt = id, at
	return nil
}

// UpdateUser saves display name, language and password hash.
func (db *DB) UpdateUser(ctx context.Context, u *domain.User) error {
	err := exec1(ctx, db.write, errUserNotFound(),
		`UPDATE users SET display_name = $2, language = $3, password_hash = $4 WHERE id = $1`,
		u.ID, u.DisplayName, u.Language, u.PasswordHash)
	if err != nil && !domain.IsNotFound(err) {
		return fmt.Errorf("store: update user %s: %w", u.ID, err)
	}
	return err
}

// UserByID returns ENOTFOUND if there is no such user.
func (db *DB) UserByID(ctx context.Context, id string) (*domain.User, error) {
	return db.user(ctx, "u.id = $1", id)
}

// UserByEmail returns ENOTFOUND if there is no such user. The address is
// compared exactly; callers normalise it with domain.NormalizeEmail.
func (db *DB) UserByEmail(ctx context.Context, email string) (*domain.User, error) {
	return db.user(ctx, "u.email = $1", email)
}

func (db *DB) user(ctx context.Context, where, arg string) (*domain.User, error) {
	var u domain.User
	err := db.read.QueryRowContext(ctx, "SELECT "+userCols+" FROM users u WHERE "+where, arg).Scan(userDest(&u)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errUserNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("store: find user: %w", err)
	}
	return &u, nil
}

// LoginFailures returns the number of failed sign-ins since the last success
// and the time of the latest one (zero when there is none).
func (db *DB) LoginFailures(ctx context.Context, userID string) (n int, last time.Time, err error) {
	var lastp *time.Time
	err = db.read.QueryRowContext(ctx, `SELECT failed_logins, last_failed_login_at FROM users WHERE id = $1`, userID).
		Scan(&n, scanNullTime(&lastp))
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, errUserNotFound()
	}
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("store: login failures of %s: %w", userID, err)
	}
	if lastp != nil {
		last = *lastp
	}
	return n, last, nil
}

// RecordLoginFailure counts one more failed sign-in at the given time and
// returns the new count.
func (db *DB) RecordLoginFailure(ctx context.Context, userID string, at time.Time) (int, error) {
	var n int
	err := db.write.QueryRowContext(ctx,
		`UPDATE users SET failed_logins = failed_logins + 1, last_failed_login_at = $2 WHERE id = $1
		 RETURNING failed_logins`, userID, tv(at)).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errUserNotFound()
	}
	if err != nil {
		return 0, fmt.Errorf("store: record login failure of %s: %w", userID, err)
	}
	return n, nil
}

// ResetLoginFailures clears the count after a successful sign-in.
func (db *DB) ResetLoginFailures(ctx context.Context, userID string) error {
	err := exec1(ctx, db.write, errUserNotFound(),
		`UPDATE users SET failed_logins = 0, last_failed_login_at = NULL WHERE id = $1`, userID)
	if err != nil && !domain.IsNotFound(err) {
		return fmt.Errorf("store: reset login failures of %s: %w", userID, err)
	}
	return err
}

const tokenCols = "id, org_id, user_id, name, token_hash, created_at, last_used_at, revoked_at"

func tokenDest(t *domain.APIToken) []any {
	return []any{&t.ID, &t.OrgID, &t.UserID, &t.Name, &t.TokenHash, scanTime(&t.CreatedAt), scanNullTime(&t.LastUsedAt), scanNullTime(&t.RevokedAt)}
}

func errTokenNotFound() error { return domain.Errorf(domain.ENOTFOUND, "API token not found.") }

// CreateAPIToken stores a token, setting ID and CreatedAt. Returns ECONFLICT
// if the hash is taken and ENOTFOUND if the organisation or user does not
// exist.
func (db *DB) CreateAPIToken(ctx context.Context, t *domain.APIToken) error {
	id, at := newID(), now()
	_, err := db.write.ExecContext(ctx,
		`INSERT INTO api_tokens (`+tokenCols+`) VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL)`,
		id, t.OrgID, t.UserID, t.Name, t.TokenHash, tv(at))
	switch {
	case isUniqueViolation(err):
		return domain.Errorf(domain.ECONFLICT, "The token is already in use.")
	case isForeignKeyViolation(err):
		return domain.Errorf(domain.ENOTFOUND, "Organisation or user not found.")
	case err != nil:
		return fmt.Errorf("store: create API token: %w", err)
	}
	t.ID, t.CreatedAt, t.LastUsedAt, t.RevokedAt = id, at, nil, nil
	return nil
}

// APITokenByHash finds an unrevoked token by the hash of its secret.
func (db *DB) APITokenByHash(ctx context.Context, tokenHash string) (*domain.APIToken, error) {
	var t domain.APIToken
	err := db.read.QueryRowContext(ctx,
		`SELECT `+tokenCols+` FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`, tokenHash).Scan(tokenDest(&t)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errTokenNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("store: find API token: %w", err)
	}
	return &t, nil
}

// APITokens lists a user's tokens in an organisation, revoked ones
// included, newest first.
func (db *DB) APITokens(ctx context.Context, orgID, userID string) ([]domain.APIToken, error) {
	rows, err := db.read.QueryContext(ctx,
		`SELECT `+tokenCols+` FROM api_tokens WHERE org_id = $1 AND user_id = $2 ORDER BY created_at DESC, id DESC`,
		orgID, userID)
	if err != nil {
		return nil, fmt.Errorf("store: list API tokens: %w", err)
	}
	defer rows.Close()
	var ts []domain.APIToken
	for rows.Next() {
		var t domain.APIToken
		if err := rows.Scan(tokenDest(&t)...); err != nil {
			return nil, fmt.Errorf("store: list API tokens: %w", err)
		}
		ts = append(ts, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list API tokens: %w", err)
	}
	return ts, nil
}

// RevokeAPIToken revokes one of the user's tokens in the organisation.
// Revoking a revoked token keeps the first revocation time.
func (db *DB) RevokeAPIToken(ctx context.Context, orgID, userID, id string, at time.Time) error {
	err := exec1(ctx, db.write, errTokenNotFound(),
		`UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $4) WHERE id = $1 AND org_id = $2 AND user_id = $3`,
		id, orgID, userID, tv(at))
	if err != nil && !domain.IsNotFound(err) {
		return fmt.Errorf("store: revoke API token %s: %w", id, err)
	}
	return err
}

// TouchAPIToken records that a token was used.
func (db *DB) TouchAPIToken(ctx context.Context, id string, at time.Time) error {
	err := exec1(ctx, db.write, errTokenNotFound(), `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, id, tv(at))
	if err != nil && !domain.IsNotFound(err) {
		return fmt.Errorf("store: touch API token %s: %w", id, err)
	}
	return err
}

// FindSession returns the data of an unexpired session.
func (db *DB) FindSession(ctx context.Context, token string) ([]byte, bool, error) {
	var data []byte
	err := db.read.QueryRowContext(ctx, `SELECT data FROM sessions WHERE token = $1 AND expiry > $2`, token, tv(time.Now())).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("store: find session: %w", err)
	}
	return data, true, nil
}

// CommitSession stores or replaces a session.
func (db *DB) CommitSession(ctx context.Context, token string, data []byte, expiry time.Time) error {
	if data == nil {
		data = []byte{}
	}
	_, err := db.write.ExecContext(ctx,
		`INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
		 ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`,
		token, data, tv(expiry))
	if err != nil {
		return fmt.Errorf("store: commit session: %w", err)
	}
	return nil
}

// DeleteSession removes a session; removing a missing one is not an error.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM sessions WHERE token = $1`, token); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions that expired before now.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM sessions WHERE expiry < $1`, tv(now)); err != nil {
		return fmt.Errorf("store: delete expired sessions: %w", err)
	}
	return nil
}
