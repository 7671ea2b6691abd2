package store

import (
	"context"
	"fmt"
	"time"

	"github.com/waymark/waymark/internal/domain"
)

// DefaultAuditLimit is how many entries AuditLog returns when limit <= 0.
const DefaultAuditLimit = 100

// Audit appends an entry, setting ID (and At when zero). Returns ENOTFOUND
// if the organisation does not exist.
func (db *DB) Audit(ctx context.Context, e *domain.AuditEntry) error {
	id, at := newID(), e.At
	if at.IsZero() {
		at = now()
	}
	at = at.UTC().Truncate(time.Microsecond)
	_, err := db.write.ExecContext(ctx,
		`INSERT INTO audit_log (id, org_id, user_id, action, object_type, object_id, detail, at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		id, e.OrgID, e.UserID, e.Action, e.ObjectType, e.ObjectID, e.Detail, tv(at))
	if isForeignKeyViolation(err) {
		return errOrgNotFound()
	}
	if err != nil {
		return fmt.Errorf("store: audit %s: %w", e.Action, err)
	}
	e.ID, e.At = id, at
	return nil
}

// AuditLog lists an organisation's newest entries first, at most limit of
// them (DefaultAuditLimit when limit <= 0).
func (db *DB) AuditLog(ctx context.Context, orgID string, limit int) ([]domain.AuditEntry, error) {
	if limit <= 0 {
		limit = DefaultAuditLimit
	}
	rows, err := db.read.QueryContext(ctx,
		`SELECT id, org_id, user_id, action, object_type, object_id, detail, at
		 FROM audit_log WHERE org_id = $1 ORDER BY at DESC, id DESC LIMIT $2`, orgID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: audit log of %s: %w", orgID, err)
	}
	defer rows.Close()
	var es []domain.AuditEntry
	for rows.Next() {
		var e domain.AuditEntry
		if err := rows.Scan(&e.ID, &e.OrgID, &e.UserID, &e.Action, &e.ObjectType, &e.ObjectID, &e.Detail, scanTime(&e.At)); err != nil {
			return nil, fmt.Errorf("store: audit log of %s: %w", orgID, err)
		}
		es = append(es, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: audit log of %s: %w", orgID, err)
	}
	return es, nil
}
