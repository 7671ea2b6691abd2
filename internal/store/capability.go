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

// Capability assessment (migration 00004): rounds over a published version
// of an own library, one answer per round, assessor and area, and each
// round's demand links from trends to capability areas.

const roundCols = `r.id, r.org_id, r.title, r.description, r.library_id, r.version_id, r.created_by, r.created_at, r.updated_at`

func roundDest(r *domain.AssessmentRound) []any {
	return []any{&r.ID, &r.OrgID, &r.Title, &r.Description, &r.LibraryID, &r.VersionID,
		scanNullStr(&r.CreatedBy), scanTime(&r.CreatedAt), scanTime(&r.UpdatedAt)}
}

func errRoundNotFound() error { return domain.Errorf(domain.ENOTFOUND, "Assessment round not found.") }

// publishedOwnVersion returns the library of versionID, which must be a
// version of a library the organisation owns (ENOTFOUND otherwise), and
// whether it is published.
func publishedOwnVersion(ctx context.Context, q queryer, orgID, versionID string) (libraryID string, published bool, err error) {
	var status domain.VersionStatus
	err = q.QueryRowContext(ctx,
		`SELECT v.library_id, v.status FROM library_versions v JOIN libraries l ON l.id = v.library_id
		 WHERE `+ownedByOrg+` AND v.id = $2`, orgID, versionID).Scan(&libraryID, (*string)(&status))
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, errVersionNotFound()
	}
	return libraryID, status == domain.Published, err
}

// libraryUsedByPortfolio returns ECONFLICT when an assessment round or the
// portfolio settings use a version of the library; DeleteLibrary asks.
func libraryUsedByPortfolio(ctx context.Context, q queryer, libraryID string) error {
	var n int
	err := q.QueryRowContext(ctx,
		`SELECT (SELECT COUNT(*) FROM assessment_rounds WHERE library_id = $1)
		      + (SELECT COUNT(*) FROM portfolio_settings WHERE library_id = $1)`, libraryID).Scan(&n)
	if err != nil {
		return err
	}
	if n > 0 {
		return domain.Errorf(domain.ECONFLICT, "The library cannot be deleted: a capability assessment or the portfolio uses it. Delete the assessment or choose another library version for the portfolio first.")
	}
	return nil
}

// CreateAssessmentRound stores a new round, setting ID, LibraryID (from the
// version), CreatedAt and UpdatedAt. The version must be a published
// version of a library the organisation owns: ENOTFOUND otherwise, EINVALID
// for a draft. An empty title is EINVALID (Problems at title).
func (db *DB) CreateAssessmentRound(ctx context.Context, r *domain.AssessmentRound) error {
	if strings.TrimSpace(r.Title) == "" {
		return domain.Problems{{Field: "title", Message: "is required"}}
	}
	id, at := newID(), now()
	var libraryID string
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var published bool
		var err error
		if libraryID, published, err = publishedOwnVersion(ctx, tx, r.OrgID, r.VersionID); err != nil {
			return err
		}
		if !published {
			return domain.Errorf(domain.EINVALID, "An assessment round needs a published library version; publish the draft first.")
		}
		_, err = tx.ExecContext(ctx,
			`INSERT INTO assessment_rounds (id, org_id, title, description, library_id, version_id, created_by, created_at, updated_at)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
			id, r.OrgID, r.Title, r.Description, libraryID, r.VersionID, nullStr(r.CreatedBy), tv(at))
		if isForeignKeyViolation(err) {
			return domain.Errorf(domain.ENOTFOUND, "Organisation, user or library version not found.")
		}
		return err
	})
	if err != nil {
		return wrap(err, "create assessment round")
	}
	r.ID, r.LibraryID, r.CreatedAt, r.UpdatedAt = id, libraryID, at, at
	return nil
}

// UpdateAssessmentRound saves a round's title and description and sets
// UpdatedAt; the version never changes.
func (db *DB) UpdateAssessmentRound(ctx context.Context, r *domain.AssessmentRound) error {
	if strings.TrimSpace(r.Title) == "" {
		return domain.Problems{{Field: "title", Message: "is required"}}
	}
	at := now()
	err := exec1(ctx, db.write, errRoundNotFound(),
		`UPDATE assessment_rounds SET title = $3, description = $4, updated_at = $5 WHERE id = $2 AND org_id = $1`,
		r.OrgID, r.ID, r.Title, r.Description, tv(at))
	if err != nil {
		return wrap(err, "update assessment round %s", r.ID)
	}
	r.UpdatedAt = at
	return nil
}

// AssessmentRound returns one of the organisation's rounds.
func (db *DB) AssessmentRound(ctx context.Context, orgID, id string) (*domain.AssessmentRound, error) {
	r := new(domain.AssessmentRound)
	err := db.read.QueryRowContext(ctx, `SELECT `+roundCols+` FROM assessment_rounds r WHERE r.id = $2 AND r.org_id = $1`, orgID, id).
		Scan(roundDest(r)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errRoundNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("store: find assessment round %s: %w", id, err)
	}
	return r, nil
}

// AssessmentRounds lists the organisation's rounds, newest first, with the
// number of assessors who answered and the time of the latest answer.
func (db *DB) AssessmentRounds(ctx context.Context, orgID string) ([]domain.AssessmentRoundSummary, error) {
	out, err := queryAll(ctx, db.read, scanRoundSummary,
		`SELECT `+roundCols+`,
			(SELECT COUNT(DISTINCT a.assessor_id) FROM capability_assessments a WHERE a.round_id = r.id),
			(SELECT MAX(a.at) FROM capability_assessments a WHERE a.round_id = r.id)
		 FROM assessment_rounds r WHERE r.org_id = $1
		 ORDER BY r.created_at DESC, r.id DESC`, orgID)
	if err != nil {
		return nil, fmt.Errorf("store: list assessment rounds of %s: %w", orgID, err)
	}
	return out, nil
}

func scanRoundSummary(sc scanner, s *domain.AssessmentRoundSummary) error {
	return sc.Scan(append(roundDest(&s.AssessmentRound), &s.Assessors, scanNullTime(&s.LastAnswerAt))...)
}

// DeleteAssessmentRound deletes a round with its answers and demand links
// (by cascade).
func (db *DB) DeleteAssessmentRound(ctx context.Context, orgID, id string) error {
	err := exec1(ctx, db.write, errRoundNotFound(), `DELETE FROM assessment_rounds WHERE id = $2 AND org_id = $1`, orgID, id)
	return wrap(err, "delete assessment round %s", id)
}

// rowInOrg returns notFound unless table has a row id of the
// organisation.
func rowInOrg(ctx context.Context, q queryer, table string, notFound error, orgID, id any) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM `+table+` WHERE id = $2 AND org_id = $1`, orgID, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound
	}
	return err
}

// roundInOrg returns ENOTFOUND unless the round is the organisation's.
func roundInOrg(ctx context.Context, q queryer, orgID, id string) error {
	return rowInOrg(ctx, q, "assessment_rounds", errRoundNotFound(), orgID, id)
}

// validAssessments checks what the schema also checks, so that callers get
// EINVALID with the field at fault instead of a constraint error.
func validAssessments(as []domain.Assessment) error {
	var ps domain.Problems
	for i, a := range as {
		f := fmt.Sprintf("assessments[%d]", i)
		if a.AreaKey == "" {
			ps = append(ps, domain.Problem{Field: f + ".area", Message: "is required"})
		}
		if a.AssessorID == "" {
			ps = append(ps, domain.Problem{Field: f + ".assessor", Message: "is required"})
		}
		if a.Current < domain.MaturityMin || a.Current > domain.MaturityMax {
			ps = append(ps, domain.Problem{Field: f + ".current", Message: fmt.Sprintf("must be between %d and %d", domain.MaturityMin, domain.MaturityMax)})
		}
		if a.Target < domain.MaturityMin || a.Target > domain.MaturityMax {
			ps = append(ps, domain.Problem{Field: f + ".target", Message: fmt.Sprintf("must be between %d and %d", domain.MaturityMin, domain.MaturityMax)})
		}
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}

// SaveAssessments stores answers in a round of orgID in one transaction,
// setting each one's RoundID and, when zero, At (truncated to the
// microsecond): for each assessor and area the last write wins. Returns
// EINVALID (Problems) for a level outside 1–5 or an empty area or
// assessor, EINVALID for an assessor who is not a user, and ENOTFOUND
// unless the round is the organisation's.
func (db *DB) SaveAssessments(ctx context.Context, orgID, roundID string, as []domain.Assessment) error {
	if err := validAssessments(as); err != nil {
		return err
	}
	at := now()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := roundInOrg(ctx, tx, orgID, roundID); err != nil {
			return err
		}
		for i := range as {
			a := &as[i]
			t := at
			if !a.At.IsZero() {
				t = a.At.UTC().Truncate(time.Microsecond)
			}
			_, err := tx.ExecContext(ctx,
				`INSERT INTO capability_assessments (round_id, assessor_id, area_key, current_level, target_level, evidence, at)
				 VALUES ($1, $2, $3, $4, $5, $6, $7)
				 ON CONFLICT (round_id, assessor_id, area_key) DO UPDATE SET
					current_level = excluded.current_level, target_level = excluded.target_level,
					evidence = excluded.evidence, at = excluded.at`,
				roundID, a.AssessorID, a.AreaKey, a.Current, a.Target, a.Evidence, tv(t))
			if isForeignKeyViolation(err) {
				return domain.Errorf(domain.EINVALID, "User not found.")
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return wrap(err, "save assessments in round %s", roundID)
	}
	for i := range as {
		as[i].RoundID = roundID
		if as[i].At.IsZero() {
			as[i].At = at
		} else {
			as[i].At = as[i].At.UTC().Truncate(time.Microsecond)
		}
	}
	return nil
}

// DeleteAssessment removes an assessor's answer on an area of a round of
// orgID; removing one that does not exist changes nothing. Returns
// ENOTFOUND unless the round is the organisation's.
func (db *DB) DeleteAssessment(ctx context.Context, orgID, roundID, assessorID, areaKey string) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := roundInOrg(ctx, tx, orgID, roundID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx,
			`DELETE FROM capability_assessments WHERE round_id = $1 AND assessor_id = $2 AND area_key = $3`,
			roundID, assessorID, areaKey)
		return err
	})
	return wrap(err, "delete assessment in round %s", roundID)
}

// Assessments lists the answers of a round of orgID by assessor id and
// area key, with the assessor's display name. Returns ENOTFOUND unless the
// round is the organisation's.
func (db *DB) Assessments(ctx context.Context, orgID, roundID string) ([]domain.Assessment, error) {
	var out []domain.Assessment
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		if err := roundInOrg(ctx, tx, orgID, roundID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx,
			`SELECT a.round_id, a.assessor_id, COALESCE(u.display_name, ''), a.area_key, a.current_level, a.target_level, a.evidence, a.at
			 FROM capability_assessments a LEFT JOIN users u ON u.id = a.assessor_id
			 WHERE a.round_id = $1`, roundID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a domain.Assessment
			if err := rows.Scan(&a.RoundID, &a.AssessorID, &a.AssessorName, &a.AreaKey, &a.Current, &a.Target, &a.Evidence, scanTime(&a.At)); err != nil {
				return fmt.Errorf("scan: %w", err)
			}
			out = append(out, a)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrap(err, "list assessments of round %s", roundID)
	}
	// Sorted here, not by SQL: the engines' collations differ.
	slices.SortFunc(out, func(a, b domain.Assessment) int {
		return cmp.Or(strings.Compare(a.AssessorID, b.AssessorID), strings.Compare(a.AreaKey, b.AreaKey))
	})
	return out, nil
}

// SetDemandLinks replaces the demand links of a round of orgID with links,
// leaving out those of level 0; of several links of one trend and area the
// last counts. It sets the round's UpdatedAt. Returns EINVALID (Problems at
// demand[i]) for a level outside 0–3 or an empty key, and ENOTFOUND unless
// the round is the organisation's.
func (db *DB) SetDemandLinks(ctx context.Context, orgID, roundID string, links []domain.DemandLink) error {
	var ps domain.Problems
	for i, l := range links {
		f := fmt.Sprintf("demand[%d]", i)
		if l.TrendKey == "" {
			ps = append(ps, domain.Problem{Field: f + ".trend", Message: "is required"})
		}
		if l.AreaKey == "" {
			ps = append(ps, domain.Problem{Field: f + ".area", Message: "is required"})
		}
		if l.Level < 0 || l.Level > domain.DemandMax {
			ps = append(ps, domain.Problem{Field: f + ".level", Message: fmt.Sprintf("must be between %d and %d", 0, domain.DemandMax)})
		}
	}
	if len(ps) > 0 {
		return ps
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		// Takes the round's row lock on PostgreSQL: replacements are serial.
		if err := exec1(ctx, tx, errRoundNotFound(),
			`UPDATE assessment_rounds SET updated_at = $3 WHERE id = $2 AND org_id = $1`, orgID, roundID, tv(now())); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM capability_demand WHERE round_id = $1`, roundID); err != nil {
			return err
		}
		for _, l := range links {
			if l.Level == 0 {
				continue
			}
			if _, err := tx.ExecContext(ctx,
				`INSERT INTO capability_demand (round_id, trend_key, area_key, level) VALUES ($1, $2, $3, $4)
				 ON CONFLICT (round_id, trend_key, area_key) DO UPDATE SET level = excluded.level`,
				roundID, l.TrendKey, l.AreaKey, l.Level); err != nil {
				return err
			}
		}
		return nil
	})
	return wrap(err, "set demand links of round %s", roundID)
}

// DemandLinks lists the demand links of a round of orgID by trend and area
// key. Returns ENOTFOUND unless the round is the organisation's.
func (db *DB) DemandLinks(ctx context.Context, orgID, roundID string) ([]domain.DemandLink, error) {
	var out []domain.DemandLink
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		if err := roundInOrg(ctx, tx, orgID, roundID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx,
			`SELECT trend_key, area_key, level FROM capability_demand WHERE round_id = $1`, roundID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var l domain.DemandLink
			if err := rows.Scan(&l.TrendKey, &l.AreaKey, &l.Level); err != nil {
				return fmt.Errorf("scan: %w", err)
			}
			out = append(out, l)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrap(err, "list demand links of round %s", roundID)
	}
	return domain.NormalizeDemand(out), nil
}
