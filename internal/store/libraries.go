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

// A library is visible to an organisation when the organisation owns it or
// it is public; only the owner may change it. Every query below says which
// of the two it needs with one of these conditions on libraries l ($1 is
// always the caller's organisation).
const (
	visibleToOrg = "(l.org_id = $1 OR l.visibility = 'public')"
	ownedByOrg   = "l.org_id = $1"
)

const libCols = `l.id, l.org_id, l.name_en, l.name_sv, l.description_en, l.description_sv,
	l.source_organisation, l.attribution_url, l.licence, l.visibility, l.starter_key, l.created_at, l.updated_at`

func libDest(l *domain.Library) []any {
	return []any{&l.ID, &l.OrgID, &l.Name.EN, &l.Name.SV, &l.Description.EN, &l.Description.SV,
		&l.Attribution.SourceOrganisation, &l.Attribution.URL, &l.Attribution.Licence, (*string)(&l.Visibility),
		&l.StarterKey, scanTime(&l.CreatedAt), scanTime(&l.UpdatedAt)}
}

const versionInfoCols = "v.id, v.library_id, v.number, v.status, v.note, v.created_at, v.published_at, v.trend_count"

func versionInfoDest(v *domain.VersionInfo) []any {
	return []any{&v.ID, &v.LibraryID, &v.Number, (*string)(&v.Status), &v.Note, scanTime(&v.CreatedAt),
		scanNullTime(&v.PublishedAt), &v.TrendCount}
}

func errLibraryNotFound() error { return domain.Errorf(domain.ENOTFOUND, "Library not found.") }
func errVersionNotFound() error { return domain.Errorf(domain.ENOTFOUND, "Library version not found.") }

// wrap adds the operation to errors that are not domain errors.
func wrap(err error, format string, args ...any) error {
	if err == nil || domain.ErrorCode(err) != domain.EINTERNAL {
		return err
	}
	return fmt.Errorf("store: "+format+": %w", append(args, err)...)
}

// CreateLibrary stores a new library owned by lib.OrgID with content as
// version 1 in the given status, in one transaction. It sets lib.ID,
// timestamps, the name, description and attribution from content, and
// Latest (and Published when status is Published). An empty Visibility means
// private.
func (db *DB) CreateLibrary(ctx context.Context, lib *domain.Library, content *domain.Content, status domain.VersionStatus, note string) (*domain.VersionInfo, error) {
	if status != domain.Draft && status != domain.Published {
		return nil, domain.Errorf(domain.EINVALID, "Unknown version status %q.", status)
	}
	vis := cmp.Or(lib.Visibility, domain.Private)
	if vis != domain.Private && vis != domain.Public {
		return nil, domain.Errorf(domain.EINVALID, "Unknown visibility %q.", vis)
	}
	id, at := newID(), now()
	vi := &domain.VersionInfo{ID: newID(), LibraryID: id, Number: 1, Status: status, Note: note, CreatedAt: at, TrendCount: len(content.Trends)}
	if status == domain.Published {
		vi.PublishedAt = &at
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		a := content.Attribution
		_, err := tx.ExecContext(ctx,
			`INSERT INTO libraries (id, org_id, name_en, name_sv, description_en, description_sv,
				source_organisation, attribution_url, licence, visibility, starter_key, created_at, updated_at)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`,
			id, lib.OrgID, content.Name.EN, content.Name.SV, content.Description.EN, content.Description.SV,
			a.SourceOrganisation, a.URL, a.Licence, string(vis), lib.StarterKey, tv(at))
		if isForeignKeyViolation(err) {
			return errOrgNotFound()
		}
		if err != nil {
			return err
		}
		if err := insertVersion(ctx, tx, vi, content); err != nil {
			return err
		}
		return insertContent(ctx, tx, db.batchParams, vi.ID, content)
	})
	if err != nil {
		return nil, wrap(err, "create library")
	}
	lib.ID, lib.Visibility, lib.CreatedAt, lib.UpdatedAt = id, vis, at, at
	lib.Name, lib.Description, lib.Attribution = content.Name, content.Description, content.Attribution
	lib.Latest, lib.Published = vi, nil
	if status == domain.Published {
		lib.Published = vi
	}
	return vi, nil
}

func insertVersion(ctx context.Context, tx *sql.Tx, v *domain.VersionInfo, c *domain.Content) error {
	_, err := tx.ExecContext(ctx,
		`INSERT INTO library_versions (id, library_id, number, status, note, created_at, published_at,
			name_en, name_sv, description_en, description_sv, source_organisation, attribution_url, licence, trend_count)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		v.ID, v.LibraryID, v.Number, string(v.Status), v.Note, tv(v.CreatedAt), ntv(v.PublishedAt),
		c.Name.EN, c.Name.SV, c.Description.EN, c.Description.SV,
		c.Attribution.SourceOrganisation, c.Attribution.URL, c.Attribution.Licence, len(c.Trends))
	if isUniqueViolation(err) {
		return domain.Errorf(domain.ECONFLICT, "The library already has a draft.")
	}
	return err
}

// Libraries lists the libraries an organisation owns, by name, with Latest
// and Published filled.
func (db *DB) Libraries(ctx context.Context, orgID string) ([]domain.Library, error) {
	libs, err := db.libraries(ctx, ownedByOrg, orgID)
	return libs, wrap(err, "list libraries of %s", orgID)
}

// PublicLibraries lists public libraries of other organisations, by name,
// with Latest and Published filled.
func (db *DB) PublicLibraries(ctx context.Context, orgID string) ([]domain.Library, error) {
	libs, err := db.libraries(ctx, "l.visibility = 'public' AND l.org_id <> $1", orgID)
	return libs, wrap(err, "list public libraries")
}

// LibraryOwner returns the id of the organisation that owns a library, or
// ENOTFOUND. It ignores visibility: it is for the command line, which acts
// for the owner, never for requests from people.
func (db *DB) LibraryOwner(ctx context.Context, libraryID string) (string, error) {
	var orgID string
	err := db.read.QueryRowContext(ctx, `SELECT org_id FROM libraries WHERE id = $1`, libraryID).Scan(&orgID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errLibraryNotFound()
	}
	if err != nil {
		return "", fmt.Errorf("store: find owner of library %s: %w", libraryID, err)
	}
	return orgID, nil
}

// Library returns a library the organisation can see, with Latest and
// Published filled.
func (db *DB) Library(ctx context.Context, orgID, id string) (*domain.Library, error) {
	libs, err := db.libraries(ctx, visibleToOrg+" AND l.id = $2", orgID, id)
	if err != nil {
		return nil, wrap(err, "find library %s", id)
	}
	if len(libs) == 0 {
		return nil, errLibraryNotFound()
	}
	return &libs[0], nil
}

// libraries reads the libraries matching where and, in a second query, the
// newest and the newest published version of each.
func (db *DB) libraries(ctx context.Context, where string, args ...any) ([]domain.Library, error) {
	var libs []domain.Library
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT "+libCols+" FROM libraries l WHERE "+where, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var l domain.Library
			if err := rows.Scan(libDest(&l)...); err != nil {
				return err
			}
			libs = append(libs, l)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(libs) == 0 {
			return nil
		}

		byID := make(map[string]*domain.Library, len(libs))
		for i := range libs {
			byID[libs[i].ID] = &libs[i]
		}
		rows, err = tx.QueryContext(ctx,
			`SELECT `+versionInfoCols+`
			 FROM library_versions v JOIN libraries l ON l.id = v.library_id
			 WHERE `+where+` AND (
				v.number = (SELECT MAX(x.number) FROM library_versions x WHERE x.library_id = v.library_id)
				OR v.number = (SELECT MAX(x.number) FROM library_versions x WHERE x.library_id = v.library_id AND x.status = 'published'))`,
			args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			v := new(domain.VersionInfo)
			if err := rows.Scan(versionInfoDest(v)...); err != nil {
				return err
			}
			l := byID[v.LibraryID]
			if l == nil {
				continue
			}
			if l.Latest == nil || v.Number > l.Latest.Number {
				l.Latest = v
			}
			if v.Status == domain.Published && (l.Published == nil || v.Number > l.Published.Number) {
				l.Published = v
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	// Sorted here rather than in SQL so that both engines give the same
	// order whatever their collation.
	slices.SortFunc(libs, func(a, b domain.Library) int {
		return cmp.Or(cmp.Compare(sortName(a.Name), sortName(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	return libs, nil
}

func sortName(t domain.Text) string { return strings.ToLower(cmp.Or(t.EN, t.SV)) }

// SetLibraryVisibility changes who can see an owned library.
func (db *DB) SetLibraryVisibility(ctx context.Context, orgID, id string, v domain.Visibility) error {
	if v != domain.Private && v != domain.Public {
		return domain.Errorf(domain.EINVALID, "Unknown visibility %q.", v)
	}
	err := exec1(ctx, db.write, errLibraryNotFound(),
		`UPDATE libraries SET visibility = $3, updated_at = $4 WHERE id = $2 AND org_id = $1`,
		orgID, id, string(v), tv(now()))
	return wrap(err, "set visibility of library %s", id)
}

// DeleteLibrary deletes an owned library with all its versions. Returns
// ECONFLICT, deleting nothing, while a workshop uses one of its versions.
func (db *DB) DeleteLibrary(ctx context.Context, orgID, id string) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := lockOwnedLibrary(ctx, tx, orgID, id, now()); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM workshops WHERE library_id = $1`, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errLibraryInUse(n)
		}
		if err := libraryUsedByPortfolio(ctx, tx, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM libraries WHERE id = $1`, id)
		if isForeignKeyViolation(err) { // a workshop created meanwhile
			return errLibraryInUse(1)
		}
		return err
	})
	return wrap(err, "delete library %s", id)
}

func errLibraryInUse(workshops int) error {
	if workshops == 1 {
		return domain.Errorf(domain.ECONFLICT, "The library cannot be deleted: it is used by a workshop. Delete the workshop first.")
	}
	return domain.Errorf(domain.ECONFLICT, "The library cannot be deleted: it is used by %d workshops. Delete them first.", workshops)
}

// Versions lists a visible library's versions, newest first.
func (db *DB) Versions(ctx context.Context, orgID, libraryID string) ([]domain.VersionInfo, error) {
	rows, err := db.read.QueryContext(ctx,
		`SELECT `+versionInfoCols+`
		 FROM library_versions v JOIN libraries l ON l.id = v.library_id
		 WHERE `+visibleToOrg+` AND v.library_id = $2
		 ORDER BY v.number DESC`, orgID, libraryID)
	if err != nil {
		return nil, fmt.Errorf("store: list versions of %s: %w", libraryID, err)
	}
	defer rows.Close()
	var vs []domain.VersionInfo
	for rows.Next() {
		var v domain.VersionInfo
		if err := rows.Scan(versionInfoDest(&v)...); err != nil {
			return nil, fmt.Errorf("store: list versions of %s: %w", libraryID, err)
		}
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list versions of %s: %w", libraryID, err)
	}
	if len(vs) == 0 { // every library has at least one version
		return nil, errLibraryNotFound()
	}
	return vs, nil
}

// Version returns one version of a visible library with its content, in six
// queries in one snapshot: the version and one per kind of item.
func (db *DB) Version(ctx context.Context, orgID, versionID string) (*domain.Version, error) {
	var v domain.Version
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		a := &v.Attribution
		dest := append(versionInfoDest(&v.VersionInfo), &v.Name.EN, &v.Name.SV, &v.Description.EN, &v.Description.SV,
			&a.SourceOrganisation, &a.URL, &a.Licence)
		err := tx.QueryRowContext(ctx,
			`SELECT `+versionInfoCols+`, v.name_en, v.name_sv, v.description_en, v.description_sv,
				v.source_organisation, v.attribution_url, v.licence
			 FROM library_versions v JOIN libraries l ON l.id = v.library_id
			 WHERE `+visibleToOrg+` AND v.id = $2`, orgID, versionID).Scan(dest...)
		if errors.Is(err, sql.ErrNoRows) {
			return errVersionNotFound()
		}
		if err != nil {
			return err
		}
		return loadContent(ctx, tx, versionID, &v.Content)
	})
	if err != nil {
		return nil, wrap(err, "read version %s", versionID)
	}
	return &v, nil
}

// lockOwnedLibrary takes the row lock of an owned library for the rest of
// the transaction and marks it updated. Every change to a library's versions
// starts with it, so that on PostgreSQL the checks that follow (is there a
// draft, is this version published) see the last committed state and cannot
// race; SQLite's write transactions are serial anyway.
func lockOwnedLibrary(ctx context.Context, tx *sql.Tx, orgID, libraryID string, at time.Time) error {
	return exec1(ctx, tx, errLibraryNotFound(),
		`UPDATE libraries SET updated_at = $3 WHERE id = $2 AND org_id = $1`, orgID, libraryID, tv(at))
}

// ownedVersion locks the library of version vid, which must be owned by the
// organisation, and returns the version's library, number and status.
func ownedVersion(ctx context.Context, tx *sql.Tx, orgID, vid string, at time.Time) (libraryID string, number int, status domain.VersionStatus, err error) {
	err = tx.QueryRowContext(ctx,
		`SELECT v.library_id FROM library_versions v JOIN libraries l ON l.id = v.library_id
		 WHERE `+ownedByOrg+` AND v.id = $2`, orgID, vid).Scan(&libraryID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, "", errVersionNotFound()
	}
	if err != nil {
		return "", 0, "", err
	}
	if err := lockOwnedLibrary(ctx, tx, orgID, libraryID, at); err != nil {
		return "", 0, "", err
	}
	// Read again under the lock.
	err = tx.QueryRowContext(ctx, `SELECT number, status FROM library_versions WHERE id = $1`, vid).
		Scan(&number, (*string)(&status))
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, "", errVersionNotFound()
	}
	return libraryID, number, status, err
}

// mirrorNewest copies the name, description and attribution of a library's
// newest version to the library.
func mirrorNewest(ctx context.Context, tx *sql.Tx, libraryID string) error {
	var c domain.Content
	a := &c.Attribution
	err := tx.QueryRowContext(ctx,
		`SELECT name_en, name_sv, description_en, description_sv, source_organisation, attribution_url, licence
		 FROM library_versions WHERE library_id = $1 ORDER BY number DESC LIMIT 1`, libraryID).
		Scan(&c.Name.EN, &c.Name.SV, &c.Description.EN, &c.Description.SV, &a.SourceOrganisation, &a.URL, &a.Licence)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx,
		`UPDATE libraries SET name_en = $2, name_sv = $3, description_en = $4, description_sv = $5,
			source_organisation = $6, attribution_url = $7, licence = $8
		 WHERE id = $1`,
		libraryID, c.Name.EN, c.Name.SV, c.Description.EN, c.Description.SV, a.SourceOrganisation, a.URL, a.Licence)
	return err
}

func errHasDraft() error {
	return domain.Errorf(domain.ECONFLICT, "The library already has a draft; edit or delete it first.")
}

func errPublished() error {
	return domain.Errorf(domain.ECONFLICT, "The version is published and cannot change; start a new draft.")
}

// CreateDraft starts a new draft of an owned library as a copy of the
// version fromID. Returns ECONFLICT if the library already has a draft and
// ENOTFOUND if fromID is not a version of the library.
func (db *DB) CreateDraft(ctx context.Context, orgID, libraryID, fromID string) (*domain.VersionInfo, error) {
	at := now()
	vi := &domain.VersionInfo{ID: newID(), LibraryID: libraryID, Status: domain.Draft, CreatedAt: at}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := lockOwnedLibrary(ctx, tx, orgID, libraryID, at); err != nil {
			return err
		}
		var drafts, from, next int
		err := tx.QueryRowContext(ctx,
			`SELECT
				(SELECT COUNT(*) FROM library_versions WHERE library_id = $1 AND status = 'draft'),
				(SELECT COUNT(*) FROM library_versions WHERE library_id = $1 AND id = $2),
				(SELECT COALESCE(MAX(number), 0) + 1 FROM library_versions WHERE library_id = $1)`,
			libraryID, fromID).Scan(&drafts, &from, &next)
		if err != nil {
			return err
		}
		if from == 0 {
			return errVersionNotFound()
		}
		if drafts > 0 {
			return errHasDraft()
		}
		vi.Number = next
		err = tx.QueryRowContext(ctx,
			`INSERT INTO library_versions (id, library_id, number, status, note, created_at, published_at,
				name_en, name_sv, description_en, description_sv, source_organisation, attribution_url, licence, trend_count)
			 SELECT CAST($1 AS TEXT), library_id, CAST($2 AS INTEGER), 'draft', '', CAST($3 AS BIGINT), NULL,
				name_en, name_sv, description_en, description_sv, source_organisation, attribution_url, licence, trend_count
			 FROM library_versions WHERE id = $4
			 RETURNING trend_count`,
			vi.ID, next, tv(at), fromID).Scan(&vi.TrendCount)
		if isUniqueViolation(err) {
			return errHasDraft()
		}
		if err != nil {
			return err
		}
		if err := copyContent(ctx, tx, vi.ID, fromID); err != nil {
			return err
		}
		return mirrorNewest(ctx, tx, libraryID)
	})
	if err != nil {
		return nil, wrap(err, "create draft of library %s", libraryID)
	}
	return vi, nil
}

// SaveDraft replaces the whole content and the note of a draft. Returns
// ECONFLICT if the version is published.
func (db *DB) SaveDraft(ctx context.Context, orgID, versionID string, content *domain.Content, note string) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		libraryID, _, status, err := ownedVersion(ctx, tx, orgID, versionID, now())
		if err != nil {
			return err
		}
		if status != domain.Draft {
			return errPublished()
		}
		c, a := content, content.Attribution
		_, err = tx.ExecContext(ctx,
			`UPDATE library_versions SET note = $2, name_en = $3, name_sv = $4, description_en = $5,
				description_sv = $6, source_organisation = $7, attribution_url = $8, licence = $9, trend_count = $10
			 WHERE id = $1`,
			versionID, note, c.Name.EN, c.Name.SV, c.Description.EN, c.Description.SV,
			a.SourceOrganisation, a.URL, a.Licence, len(c.Trends))
		if err != nil {
			return err
		}
		if err := deleteContent(ctx, tx, versionID); err != nil {
			return err
		}
		if err := insertContent(ctx, tx, db.batchParams, versionID, content); err != nil {
			return err
		}
		return mirrorNewest(ctx, tx, libraryID)
	})
	return wrap(err, "save draft %s", versionID)
}

// PublishVersion freezes a draft. Returns ECONFLICT if already published.
func (db *DB) PublishVersion(ctx context.Context, orgID, versionID string, at time.Time) error {
	if at.IsZero() {
		at = now()
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		_, _, status, err := ownedVersion(ctx, tx, orgID, versionID, now())
		if err != nil {
			return err
		}
		if status != domain.Draft {
			return domain.Errorf(domain.ECONFLICT, "The version is already published.")
		}
		_, err = tx.ExecContext(ctx,
			`UPDATE library_versions SET status = 'published', published_at = $2 WHERE id = $1`, versionID, tv(at))
		return err
	})
	return wrap(err, "publish version %s", versionID)
}

// DeleteDraft removes a draft. Returns ECONFLICT for a published version and
// for version 1, which goes only with its library (DeleteLibrary).
func (db *DB) DeleteDraft(ctx context.Context, orgID, versionID string) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		libraryID, number, status, err := ownedVersion(ctx, tx, orgID, versionID, now())
		if err != nil {
			return err
		}
		if status != domain.Draft {
			return errPublished()
		}
		if number == 1 {
			return domain.Errorf(domain.ECONFLICT, "The first version of a library cannot be deleted; delete the library instead.")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM library_versions WHERE id = $1`, versionID); err != nil {
			return err
		}
		return mirrorNewest(ctx, tx, libraryID)
	})
	return wrap(err, "delete draft %s", versionID)
}
