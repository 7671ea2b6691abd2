package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/waymark/waymark/internal/domain"
)

const orgCols = "o.id, o.slug, o.name, o.type, o.country, o.size_band, o.created_at"

func orgDest(o *domain.Organisation) []any {
	return []any{&o.ID, &o.Slug, &o.Name, (*string)(&o.Type), &o.Country, (*string)(&o.SizeBand), scanTime(&o.CreatedAt)}
}

// CreateOrg stores a new organisation, setting ID and CreatedAt. Returns
// ECONFLICT if the slug is taken.
func (db *DB) CreateOrg(ctx context.Context, o *domain.Organisation) error {
	id, at := newID(), now()
	_, err := db.write.ExecContext(ctx,
		`INSERT INTO organisations (id, slug, name, type, country, size_band, created_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		id, o.Slug, o.Name, string(o.Type), o.Country, string(o.SizeBand), tv(at))
	if isUniqueViolation(err) {
		return domain.Errorf(domain.ECONFLICT, "An organisation with the address %q already exists.", o.Slug)
	}
	if err != nil {
		return fmt.Errorf("store: create organisation %s: %w", o.Slug, err)
	}
	o.ID, o.CreatedAt = id, at
	return nil
}

// UpdateOrg saves name, type, country and size band of an organisation.
func (db *DB) UpdateOrg(ctx context.Context, o *domain.Organisation) error {
	err := exec1(ctx, db.write, errOrgNotFound(),
		`UPDATE organisations SET name = $2, type = $3, country = $4, size_band = $5 WHERE id = $1`,
		o.ID, o.Name, string(o.Type), o.Country, string(o.SizeBand))
	if err != nil && !domain.IsNotFound(err) {
		return fmt.Errorf("store: update organisation %s: %w", o.ID, err)
	}
	return err
}

func errOrgNotFound() error { return domain.Errorf(domain.ENOTFOUND, "Organisation not found.") }

// OrgBySlug returns ENOTFOUND if there is no such organisation.
func (db *DB) OrgBySlug(ctx context.Context, slug string) (*domain.Organisation, error) {
	return db.org(ctx, "o.slug = $1", slug)
}

// OrgByID returns ENOTFOUND if there is no such organisation.
func (db *DB) OrgByID(ctx context.Context, id string) (*domain.Organisation, error) {
	return db.org(ctx, "o.id = $1", id)
}

func (db *DB) org(ctx context.Context, where, arg string) (*domain.Organisation, error) {
	var o domain.Organisation
	err := db.read.QueryRowContext(ctx, "SELECT "+orgCols+" FROM organisations o WHERE "+where, arg).Scan(orgDest(&o)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errOrgNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("store: find organisation %s: %w", arg, err)
	}
	return &o, nil
}

// lockOrg takes the organisation's row lock for the rest of the transaction
// (a no-op on SQLite, whose write transactions are serial anyway), so that
// checks such as "another owner remains" cannot race on PostgreSQL.
func lockOrg(ctx context.Context, tx *sql.Tx, orgID string) error {
	return exec1(ctx, tx, errOrgNotFound(), `UPDATE organisations SET name = name WHERE id = $1`, orgID)
}

// SetMembership adds a user to an organisation or changes the role. Returns
// ENOTFOUND if the organisation or the user does not exist and ECONFLICT if
// it would take the role of owner from the organisation's last owner.
func (db *DB) SetMembership(ctx context.Context, m *domain.Membership) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error { return setMembership(ctx, tx, m) })
	if err != nil && domain.ErrorCode(err) == domain.EINTERNAL {
		return fmt.Errorf("store: set membership %s in %s: %w", m.UserID, m.OrgID, err)
	}
	return err
}

func setMembership(ctx context.Context, tx *sql.Tx, m *domain.Membership) error {
	if !domain.ValidRole(m.Role) {
		return domain.Errorf(domain.EINVALID, "Unknown role %q.", m.Role)
	}
	if err := lockOrg(ctx, tx, m.OrgID); err != nil {
		return err
	}
	var cur string
	err := tx.QueryRowContext(ctx, `SELECT role FROM memberships WHERE org_id = $1 AND user_id = $2`, m.OrgID, m.UserID).Scan(&cur)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if cur == string(domain.Owner) && m.Role != domain.Owner {
		if err := otherOwnerExists(ctx, tx, m.OrgID, m.UserID); err != nil {
			return err
		}
	}
	var created int64
	err = tx.QueryRowContext(ctx,
		`INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
		 ON CONFLICT (org_id, user_id) DO UPDATE SET role = excluded.role
		 RETURNING created_at`,
		m.OrgID, m.UserID, string(m.Role), tv(now())).Scan(&created)
	if isForeignKeyViolation(err) {
		return domain.Errorf(domain.ENOTFOUND, "User not found.")
	}
	if err != nil {
		return err
	}
	m.CreatedAt = fromMicros(created)
	return nil
}

func otherOwnerExists(ctx context.Context, tx *sql.Tx, orgID, userID string) error {
	var n int
	err := tx.QueryRowContext(ctx,
		`SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role = 'owner' AND user_id <> $2`,
		orgID, userID).Scan(&n)
	if err != nil {
		return err
	}
	if n == 0 {
		return domain.Errorf(domain.ECONFLICT, "An organisation must keep at least one owner.")
	}
	return nil
}

func errNotMember() error { return domain.Errorf(domain.ENOTFOUND, "Membership not found.") }

// Membership returns ENOTFOUND if the user is not a member.
func (db *DB) Membership(ctx context.Context, orgID, userID string) (*domain.Membership, error) {
	var m domain.Membership
	err := db.read.QueryRowContext(ctx,
		`SELECT org_id, user_id, role, created_at FROM memberships WHERE org_id = $1 AND user_id = $2`,
		orgID, userID).Scan(&m.OrgID, &m.UserID, (*string)(&m.Role), scanTime(&m.CreatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotMember()
	}
	if err != nil {
		return nil, fmt.Errorf("store: find membership %s in %s: %w", userID, orgID, err)
	}
	return &m, nil
}

// Memberships lists a user's organisations by name, with Org filled.
func (db *DB) Memberships(ctx context.Context, userID string) ([]domain.Membership, error) {
	rows, err := db.read.QueryContext(ctx,
		`SELECT m.org_id, m.user_id, m.role, m.created_at, `+orgCols+`
		 FROM memberships m JOIN organisations o ON o.id = m.org_id
		 WHERE m.user_id = $1`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: list memberships of %s: %w", userID, err)
	}
	defer rows.Close()
	var ms []domain.Membership
	for rows.Next() {
		m := domain.Membership{Org: new(domain.Organisation)}
		dest := append([]any{&m.OrgID, &m.UserID, (*string)(&m.Role), scanTime(&m.CreatedAt)}, orgDest(m.Org)...)
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("store: list memberships of %s: %w", userID, err)
		}
		ms = append(ms, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list memberships of %s: %w", userID, err)
	}
	// Sorted here rather than in SQL so that both engines give the same
	// order whatever their collation.
	slices.SortFunc(ms, func(a, b domain.Membership) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Org.Name), strings.ToLower(b.Org.Name)), cmp.Compare(a.Org.Slug, b.Org.Slug))
	})
	return ms, nil
}

// Members lists an organisation's members by display name, with User filled.
func (db *DB) Members(ctx context.Context, orgID string) ([]domain.Membership, error) {
	rows, err := db.read.QueryContext(ctx,
		`SELECT m.org_id, m.user_id, m.role, m.created_at, `+userCols+`
		 FROM memberships m JOIN users u ON u.id = m.user_id
		 WHERE m.org_id = $1`, orgID)
	if err != nil {
		return nil, fmt.Errorf("store: list members of %s: %w", orgID, err)
	}
	defer rows.Close()
	var ms []domain.Membership
	for rows.Next() {
		m := domain.Membership{User: new(domain.User)}
		dest := append([]any{&m.OrgID, &m.UserID, (*string)(&m.Role), scanTime(&m.CreatedAt)}, userDest(m.User)...)
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("store: list members of %s: %w", orgID, err)
		}
		ms = append(ms, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list members of %s: %w", orgID, err)
	}
	slices.SortFunc(ms, func(a, b domain.Membership) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.User.DisplayName), strings.ToLower(b.User.DisplayName)), cmp.Compare(a.User.Email, b.User.Email))
	})
	return ms, nil
}

// RemoveMembership returns ENOTFOUND if the user is not a member and
// ECONFLICT if it would leave the organisation without an owner.
func (db *DB) RemoveMembership(ctx context.Context, orgID, userID string) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := lockOrg(ctx, tx, orgID); err != nil {
			if domain.IsNotFound(err) {
				return errNotMember()
			}
			return err
		}
		var role string
		err := tx.QueryRowContext(ctx, `SELECT role FROM memberships WHERE org_id = $1 AND user_id = $2`, orgID, userID).Scan(&role)
		if errors.Is(err, sql.ErrNoRows) {
			return errNotMember()
		}
		if err != nil {
			return err
		}
		if role == string(domain.Owner) {
			if err := otherOwnerExists(ctx, tx, orgID, userID); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM memberships WHERE org_id = $1 AND user_id = $2`, orgID, userID)
		return err
	})
	if err != nil && domain.ErrorCode(err) == domain.EINTERNAL {
		return fmt.Errorf("store: remove membership %s from %s: %w", userID, orgID, err)
	}
	return err
}

const invCols = "id, org_id, email, role, token_hash, invited_by, created_at, expires_at, accepted_at, accepted_by"

func invDest(i *domain.Invitation) []any {
	return []any{&i.ID, &i.OrgID, &i.Email, (*string)(&i.Role), &i.TokenHash, scanNullStr(&i.InvitedBy),
		scanTime(&i.CreatedAt), scanTime(&i.ExpiresAt), scanNullTime(&i.AcceptedAt), scanNullStr(&i.AcceptedBy)}
}

func errInvitationNotFound() error { return domain.Errorf(domain.ENOTFOUND, "Invitation not found.") }

// CreateInvitation stores an invitation, setting ID and CreatedAt. Returns
// ECONFLICT if the token hash is taken and ENOTFOUND if the organisation or
// the inviting user does not exist.
func (db *DB) CreateInvitation(ctx context.Context, inv *domain.Invitation) error {
	id, at := newID(), now()
	_, err := db.write.ExecContext(ctx,
		`INSERT INTO invitations (`+invCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL)`,
		id, inv.OrgID, inv.Email, string(inv.Role), inv.TokenHash, nullStr(inv.InvitedBy), tv(at), tv(inv.ExpiresAt))
	switch {
	case isUniqueViolation(err):
		return domain.Errorf(domain.ECONFLICT, "The invitation token is already in use.")
	case isForeignKeyViolation(err):
		return domain.Errorf(domain.ENOTFOUND, "Organisation or user not found.")
	case err != nil:
		return fmt.Errorf("store: create invitation in %s: %w", inv.OrgID, err)
	}
	inv.ID, inv.CreatedAt, inv.AcceptedAt, inv.AcceptedBy = id, at, nil, ""
	return nil
}

// InvitationByTokenHash finds an invitation by the hash of its secret,
// whatever its state.
func (db *DB) InvitationByTokenHash(ctx context.Context, tokenHash string) (*domain.Invitation, error) {
	var inv domain.Invitation
	err := db.read.QueryRowContext(ctx, `SELECT `+invCols+` FROM invitations WHERE token_hash = $1`, tokenHash).Scan(invDest(&inv)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errInvitationNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("store: find invitation: %w", err)
	}
	return &inv, nil
}

// PendingInvitations lists an organisation's unused invitations that have not
// expired before now, oldest first.
func (db *DB) PendingInvitations(ctx context.Context, orgID string, now time.Time) ([]domain.Invitation, error) {
	rows, err := db.read.QueryContext(ctx,
		`SELECT `+invCols+` FROM invitations
		 WHERE org_id = $1 AND accepted_at IS NULL AND expires_at >= $2
		 ORDER BY created_at, id`, orgID, tv(now))
	if err != nil {
		return nil, fmt.Errorf("store: list invitations of %s: %w", orgID, err)
	}
	defer rows.Close()
	var invs []domain.Invitation
	for rows.Next() {
		var inv domain.Invitation
		if err := rows.Scan(invDest(&inv)...); err != nil {
			return nil, fmt.Errorf("store: list invitations of %s: %w", orgID, err)
		}
		invs = append(invs, inv)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list invitations of %s: %w", orgID, err)
	}
	return invs, nil
}

// RevokeInvitation deletes an unused invitation of the organisation. Returns
// ENOTFOUND if there is none and ECONFLICT if it has been accepted.
func (db *DB) RevokeInvitation(ctx context.Context, orgID, id string) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var accepted sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT accepted_at FROM invitations WHERE id = $1 AND org_id = $2`, id, orgID).Scan(&accepted)
		if errors.Is(err, sql.ErrNoRows) {
			return errInvitationNotFound()
		}
		if err != nil {
			return err
		}
		if accepted.Valid {
			return domain.Errorf(domain.ECONFLICT, "The invitation has already been accepted.")
		}
		return exec1(ctx, tx, errInvitationNotFound(),
			`DELETE FROM invitations WHERE id = $1 AND org_id = $2 AND accepted_at IS NULL`, id, orgID)
	})
	if err != nil && domain.ErrorCode(err) == domain.EINTERNAL {
		return fmt.Errorf("store: revoke invitation %s: %w", id, err)
	}
	return err
}

// AcceptInvitation marks the invitation used by userID and gives that user
// the invited role, in one transaction. Returns ENOTFOUND if there is no such
// invitation, ECONFLICT if it was already used and EINVALID if it expired
// before now.
func (db *DB) AcceptInvitation(ctx context.Context, id, userID string, now time.Time) (*domain.Membership, error) {
	var m *domain.Membership
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var inv domain.Invitation
		err := tx.QueryRowContext(ctx, `SELECT `+invCols+` FROM invitations WHERE id = $1`, id).Scan(invDest(&inv)...)
		if errors.Is(err, sql.ErrNoRows) {
			return errInvitationNotFound()
		}
		if err != nil {
			return err
		}
		if inv.AcceptedAt != nil {
			return domain.Errorf(domain.ECONFLICT, "The invitation has already been used.")
		}
		if inv.ExpiresAt.Before(now) {
			return domain.Errorf(domain.EINVALID, "The invitation has expired.")
		}
		// The condition on accepted_at makes a concurrent second accept on
		// PostgreSQL wait for the first and then change nothing.
		err = exec1(ctx, tx, domain.Errorf(domain.ECONFLICT, "The invitation has already been used."),
			`UPDATE invitations SET accepted_at = $2, accepted_by = $3 WHERE id = $1 AND accepted_at IS NULL`,
			id, tv(now), userID)
		if isForeignKeyViolation(err) {
			return domain.Errorf(domain.ENOTFOUND, "User not found.")
		}
		if err != nil {
			return err
		}
		m = &domain.Membership{OrgID: inv.OrgID, UserID: userID, Role: inv.Role}
		return setMembership(ctx, tx, m)
	})
	if err != nil {
		if domain.ErrorCode(err) == domain.EINTERNAL {
			return nil, fmt.Errorf("store: accept invitation %s: %w", id, err)
		}
		return nil, err
	}
	return m, nil
}
