package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/waymark/waymark/internal/domain"
)

// Priority decisions: a facilitator's pin or exclusion of a trend in a
// workshop's ranking, one per workshop and trend (migration 00003).

// validDecision checks what the schema also checks, so that callers get
// EINVALID with the field at fault instead of a constraint error. The
// service checks the kind; another kind is a programming error.
func validDecision(d *domain.PriorityDecision) error {
	if d.Kind != domain.PriorityPin && d.Kind != domain.PriorityExclude {
		return fmt.Errorf("store: priority decision of kind %q: not pin or exclude", string(d.Kind))
	}
	var ps domain.Problems
	if d.TrendKey == "" {
		ps = append(ps, domain.Problem{Field: "trend", Message: "is required"})
	}
	switch {
	case strings.TrimSpace(d.Reason) == "":
		ps = append(ps, domain.Problem{Field: "reason", Message: "is required"})
	case utf8.RuneCountInString(d.Reason) > domain.MaxDecisionReasonLen:
		ps = append(ps, domain.Problem{Field: "reason", Message: fmt.Sprintf("is longer than %d characters", domain.MaxDecisionReasonLen)})
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}

// SetPriorityDecision stores d in place of any decision on the same
// workshop and trend, setting DecidedAt when it is zero (and truncating it
// to the microsecond). Returns EINVALID (domain.Problems) for an empty
// trend key or an empty or too long reason, EINVALID for an author who is
// not a user, and ENOTFOUND unless the workshop is orgID's. A kind other
// than pin or exclude is a programming error.
func (db *DB) SetPriorityDecision(ctx context.Context, orgID string, d *domain.PriorityDecision) error {
	if err := validDecision(d); err != nil {
		return err
	}
	at := d.DecidedAt.UTC().Truncate(time.Microsecond)
	if d.DecidedAt.IsZero() {
		at = now()
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := workshopInOrg(ctx, tx, orgID, d.WorkshopID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx,
			`INSERT INTO priority_decisions (workshop_id, trend_key, kind, reason, decided_by, decided_at)
			 VALUES ($1, $2, $3, $4, $5, $6)
			 ON CONFLICT (workshop_id, trend_key) DO UPDATE SET
				kind = excluded.kind, reason = excluded.reason,
				decided_by = excluded.decided_by, decided_at = excluded.decided_at`,
			d.WorkshopID, d.TrendKey, string(d.Kind), d.Reason, nullStr(d.DecidedBy), tv(at))
		if isForeignKeyViolation(err) {
			return domain.Errorf(domain.EINVALID, "User not found.")
		}
		return err
	})
	if err != nil {
		return wrap(err, "set priority decision on trend %s of workshop %s", d.TrendKey, d.WorkshopID)
	}
	d.DecidedAt = at
	return nil
}

// DeletePriorityDecision removes the decision on a trend of a workshop of
// orgID; removing one that does not exist changes nothing. Returns
// ENOTFOUND unless the workshop is the organisation's.
func (db *DB) DeletePriorityDecision(ctx context.Context, orgID, workshopID, trendKey string) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := workshopInOrg(ctx, tx, orgID, workshopID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM priority_decisions WHERE workshop_id = $1 AND trend_key = $2`, workshopID, trendKey)
		return err
	})
	return wrap(err, "delete priority decision on trend %s of workshop %s", trendKey, workshopID)
}

// PriorityDecisions lists the decisions of a workshop of orgID, oldest
// first (then by trend key), with the deciding user's display name.
// Returns ENOTFOUND unless the workshop is the organisation's.
func (db *DB) PriorityDecisions(ctx context.Context, orgID, workshopID string) ([]domain.PriorityDecision, error) {
	var ds []domain.PriorityDecision
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		if err := workshopInOrg(ctx, tx, orgID, workshopID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx,
			`SELECT d.workshop_id, d.trend_key, d.kind, d.reason, d.decided_by, COALESCE(u.display_name, ''), d.decided_at
			 FROM priority_decisions d LEFT JOIN users u ON u.id = d.decided_by
			 WHERE d.workshop_id = $1
			 ORDER BY d.decided_at, d.trend_key`, workshopID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d domain.PriorityDecision
			var kind string
			if err := rows.Scan(&d.WorkshopID, &d.TrendKey, &kind, &d.Reason, scanNullStr(&d.DecidedBy), &d.DecidedByName, scanTime(&d.DecidedAt)); err != nil {
				return fmt.Errorf("scan: %w", err)
			}
			d.Kind = domain.PriorityKind(kind)
			ds = append(ds, d)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrap(err, "list priority decisions of workshop %s", workshopID)
	}
	return ds, nil
}
