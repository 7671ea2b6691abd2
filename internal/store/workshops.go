package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/waymark/waymark/internal/domain"
)

// Workshops keep their chosen trends, fields of tension, questions and
// groups as JSON text in their row: they are read and written whole, with
// the workshop, and never queried by their parts. The JSON has its own field
// names (questionJSON, groupJSON) so that renaming a Go field does not change
// what is stored.

// workshopColumns are the columns of a workshop in the order workshopRow
// scans them.
var workshopColumns = []string{"id", "org_id", "title", "purpose", "library_id", "version_id",
	"trend_keys", "tensions", "questions", "participant_groups", "mode", "opens_at", "closes_at",
	"language", "anonymous", "dots", "phase", "show_results", "code", "questions_frozen", "revision",
	"created_by", "created_at", "updated_at"}

// workshopCols returns the workshop columns, each prefixed with prefix
// (e.g. "w.", or "" where SQLite's RETURNING takes bare names).
func workshopCols(prefix string) string {
	if prefix == "" {
		return strings.Join(workshopColumns, ", ")
	}
	return prefix + strings.Join(workshopColumns, ", "+prefix)
}

type questionJSON struct {
	Key    string        `json:"key"`
	Label  domain.Text   `json:"label"`
	Help   domain.Text   `json:"help"`
	Min    int           `json:"min"`
	Max    int           `json:"max"`
	Labels []domain.Text `json:"labels,omitempty"`
}

type groupJSON struct {
	Key  string      `json:"key"`
	Name domain.Text `json:"name"`
}

// workshopLists holds a workshop's lists as stored.
type workshopLists struct{ trends, tensions, questions, groups string }

func encodeWorkshopLists(w *domain.Workshop) (workshopLists, error) {
	var l workshopLists
	var err error
	if l.trends, err = jsonList(w.TrendKeys); err != nil {
		return l, err
	}
	if l.tensions, err = jsonList(w.Tensions); err != nil {
		return l, err
	}
	if l.questions, err = encodeQuestions(w.Questions); err != nil {
		return l, err
	}
	gs := make([]groupJSON, len(w.Groups))
	for i, g := range w.Groups {
		gs[i] = groupJSON(g)
	}
	l.groups, err = jsonList(gs)
	return l, err
}

func encodeQuestions(qs []domain.Question) (string, error) {
	js := make([]questionJSON, len(qs))
	for i, q := range qs {
		js[i] = questionJSON(q)
	}
	return jsonList(js)
}

func decodeQuestions(s string) ([]domain.Question, error) {
	js, err := parseList[questionJSON](s)
	if err != nil || js == nil {
		return nil, err
	}
	qs := make([]domain.Question, len(js))
	for i, q := range js {
		if len(q.Labels) == 0 {
			q.Labels = nil
		}
		qs[i] = domain.Question(q)
	}
	return qs, nil
}

func (l workshopLists) decode(w *domain.Workshop) error {
	var err error
	if w.TrendKeys, err = parseList[string](l.trends); err != nil {
		return fmt.Errorf("trend keys: %w", err)
	}
	if w.Tensions, err = parseList[string](l.tensions); err != nil {
		return fmt.Errorf("tensions: %w", err)
	}
	if w.Questions, err = decodeQuestions(l.questions); err != nil {
		return fmt.Errorf("questions: %w", err)
	}
	gs, err := parseList[groupJSON](l.groups)
	if err != nil {
		return fmt.Errorf("groups: %w", err)
	}
	w.Groups = nil
	for _, g := range gs {
		w.Groups = append(w.Groups, domain.Group(g))
	}
	return nil
}

// workshopRow scans a row of workshopColumns into a workshop.
type workshopRow struct {
	w     *domain.Workshop
	lists workshopLists
}

func (r *workshopRow) dest() []any {
	w := r.w
	return []any{&w.ID, &w.OrgID, &w.Title, &w.Purpose, &w.LibraryID, &w.VersionID,
		&r.lists.trends, &r.lists.tensions, &r.lists.questions, &r.lists.groups, (*string)(&w.Mode),
		scanNullTime(&w.OpensAt), scanNullTime(&w.ClosesAt), &w.Language, &w.Anonymous, &w.Dots,
		(*string)(&w.Phase), &w.ShowResults, &w.Code, &w.QuestionsFrozen, &w.Revision,
		scanNullStr(&w.CreatedBy), scanTime(&w.CreatedAt), scanTime(&w.UpdatedAt)}
}

// scanWorkshop scans one row of workshopColumns followed by extra columns.
func scanWorkshop(sc scanner, w *domain.Workshop, extra ...any) error {
	r := workshopRow{w: w}
	if err := sc.Scan(append(r.dest(), extra...)...); err != nil {
		return err
	}
	if err := r.lists.decode(w); err != nil {
		return fmt.Errorf("workshop %s: %w", w.ID, err)
	}
	return nil
}

func errWorkshopNotFound() error { return domain.Errorf(domain.ENOTFOUND, "Workshop not found.") }

func errCodeTaken(code string) error {
	return domain.Errorf(domain.ECONFLICT, "The join code %s is in use by another open workshop.", code)
}

// workshopVersion checks that versionID is a published version of a library
// the organisation owns (and of libraryID, unless it is empty), and returns
// its library's id. Workshops use own libraries only: a version in use can
// never be deleted, and another organisation must stay free to delete its
// public library (the service copies public libraries first).
func workshopVersion(ctx context.Context, q queryer, orgID, libraryID, versionID string) (string, error) {
	var lib string
	var status domain.VersionStatus
	err := q.QueryRowContext(ctx,
		`SELECT v.library_id, v.status FROM library_versions v JOIN libraries l ON l.id = v.library_id
		 WHERE `+ownedByOrg+` AND v.id = $2`, orgID, versionID).Scan(&lib, (*string)(&status))
	if errors.Is(err, sql.ErrNoRows) || err == nil && libraryID != "" && libraryID != lib {
		return "", errVersionNotFound()
	}
	if err != nil {
		return "", err
	}
	if status != domain.Published {
		return "", domain.Errorf(domain.EINVALID, "A workshop needs a published library version; publish the draft first.")
	}
	return lib, nil
}

// CreateWorkshop stores a new workshop, setting ID, Revision (1), CreatedAt
// and UpdatedAt, LibraryID from the version, and Phase to draft when empty.
// The version must be a published version of a library the organisation
// owns: ENOTFOUND otherwise, EINVALID for a draft. Returns ECONFLICT if
// w.Code is used by another workshop that is not closed (the caller draws a
// new code and tries again).
func (db *DB) CreateWorkshop(ctx context.Context, w *domain.Workshop) error {
	phase := cmp.Or(w.Phase, domain.PhaseDraft)
	if phase.Index() < 0 {
		return domain.Errorf(domain.EINVALID, "Unknown phase %q.", phase)
	}
	if w.Code == "" {
		return domain.Errorf(domain.EINVALID, "A workshop needs a join code.")
	}
	lists, err := encodeWorkshopLists(w)
	if err != nil {
		return fmt.Errorf("store: create workshop: %w", err)
	}
	id, at := newID(), now()
	var libraryID string
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if libraryID, err = workshopVersion(ctx, tx, w.OrgID, w.LibraryID, w.VersionID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx,
			`INSERT INTO workshops (`+workshopCols("")+`)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, 1, $21, $22, $22)`,
			id, w.OrgID, w.Title, w.Purpose, libraryID, w.VersionID, lists.trends, lists.tensions, lists.questions,
			lists.groups, string(w.Mode), ntv(w.OpensAt), ntv(w.ClosesAt), w.Language, w.Anonymous, w.Dots,
			string(phase), w.ShowResults, w.Code, w.QuestionsFrozen, nullStr(w.CreatedBy), tv(at))
		switch {
		case isUniqueViolation(err):
			return errCodeTaken(w.Code)
		case isForeignKeyViolation(err):
			return domain.Errorf(domain.ENOTFOUND, "Organisation, user or library version not found.")
		}
		return err
	})
	if err != nil {
		return wrap(err, "create workshop")
	}
	w.ID, w.LibraryID, w.Phase, w.Revision, w.CreatedAt, w.UpdatedAt = id, libraryID, phase, 1, at, at
	return nil
}

// UpdateWorkshop saves a workshop's settings: everything but ID, OrgID,
// Phase, ShowResults, Code, QuestionsFrozen, CreatedBy and CreatedAt. It
// increments Revision and sets w.Revision, w.UpdatedAt and w.LibraryID (from
// the version). When the questions are frozen and changed, it returns
// ECONFLICT unless overrideFrozen is true. The library version may change
// only while the workshop is a draft (ECONFLICT otherwise) and must be a
// published version of an own library (as for CreateWorkshop).
func (db *DB) UpdateWorkshop(ctx context.Context, w *domain.Workshop, overrideFrozen bool) error {
	lists, err := encodeWorkshopLists(w)
	if err != nil {
		return fmt.Errorf("store: update workshop %s: %w", w.ID, err)
	}
	at := now()
	var revision int64
	var libraryID string
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		// The first statement takes the row lock on PostgreSQL, so that the
		// frozen check below cannot race with SaveAnswers or another update.
		var oldQuestions, oldVersion string
		var frozen bool
		var phase domain.Phase
		err := tx.QueryRowContext(ctx,
			`UPDATE workshops SET revision = revision + 1, updated_at = $3 WHERE id = $1 AND org_id = $2
			 RETURNING revision, questions, questions_frozen, phase, library_id, version_id`,
			w.ID, w.OrgID, tv(at)).Scan(&revision, &oldQuestions, &frozen, (*string)(&phase), &libraryID, &oldVersion)
		if errors.Is(err, sql.ErrNoRows) {
			return errWorkshopNotFound()
		}
		if err != nil {
			return err
		}
		if frozen && !overrideFrozen {
			old, err := decodeQuestions(oldQuestions)
			if err != nil {
				return fmt.Errorf("questions: %w", err)
			}
			if same, err := encodeQuestions(old); err != nil || same != lists.questions {
				return domain.Errorf(domain.ECONFLICT, "The questions are frozen because answers have been given; changing them needs an explicit override.")
			}
		}
		if w.VersionID != oldVersion {
			if phase != domain.PhaseDraft {
				return domain.Errorf(domain.ECONFLICT, "The library version cannot change once the workshop has opened.")
			}
			if libraryID, err = workshopVersion(ctx, tx, w.OrgID, "", w.VersionID); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx,
			`UPDATE workshops SET title = $2, purpose = $3, library_id = $4, version_id = $5, trend_keys = $6,
				tensions = $7, questions = $8, participant_groups = $9, mode = $10, opens_at = $11, closes_at = $12,
				language = $13, anonymous = $14, dots = $15
			 WHERE id = $1`,
			w.ID, w.Title, w.Purpose, libraryID, w.VersionID, lists.trends, lists.tensions, lists.questions,
			lists.groups, string(w.Mode), ntv(w.OpensAt), ntv(w.ClosesAt), w.Language, w.Anonymous, w.Dots)
		if isForeignKeyViolation(err) {
			return errVersionNotFound()
		}
		return err
	})
	if err != nil {
		return wrap(err, "update workshop %s", w.ID)
	}
	w.Revision, w.UpdatedAt, w.LibraryID = revision, at, libraryID
	return nil
}

// SetWorkshopState moves a workshop from phase `from` to `to` and sets
// whether results show on participants' screens, atomically: it returns
// ECONFLICT if the phase is no longer `from` (someone else moved it), and
// also when reopening a closed workshop whose code another open workshop
// now uses. It increments Revision and returns the workshop as saved. The
// store does not judge which moves are allowed; the service does.
func (db *DB) SetWorkshopState(ctx context.Context, orgID, id string, from, to domain.Phase, showResults bool) (*domain.Workshop, error) {
	if to.Index() < 0 {
		return nil, domain.Errorf(domain.EINVALID, "Unknown phase %q.", to)
	}
	w := new(domain.Workshop)
	err := scanWorkshop(db.write.QueryRowContext(ctx,
		`UPDATE workshops SET phase = $4, show_results = $5, revision = revision + 1, updated_at = $6
		 WHERE id = $2 AND org_id = $1 AND phase = $3
		 RETURNING `+workshopCols(""),
		orgID, id, string(from), string(to), showResults, tv(now())), w)
	switch {
	case err == nil:
		return w, nil
	case isUniqueViolation(err):
		return nil, domain.Errorf(domain.ECONFLICT, "Another open workshop uses this workshop's join code now; the workshop cannot reopen.")
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("store: set state of workshop %s: %w", id, err)
	}
	var phase domain.Phase
	err = db.write.QueryRowContext(ctx, `SELECT phase FROM workshops WHERE id = $2 AND org_id = $1`, orgID, id).
		Scan((*string)(&phase))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errWorkshopNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("store: set state of workshop %s: %w", id, err)
	}
	return nil, domain.Errorf(domain.ECONFLICT, "The workshop has moved on to the %s phase meanwhile; reload and try again.", phase)
}

// Workshop returns one of the organisation's workshops.
func (db *DB) Workshop(ctx context.Context, orgID, id string) (*domain.Workshop, error) {
	return db.workshop(ctx, "w.id = $2 AND w.org_id = $1", orgID, id)
}

// WorkshopByCode finds a workshop that is not closed by its join code
// (already normalised: upper case, no separators). Draft workshops are
// found too; the caller decides whether one can be joined.
func (db *DB) WorkshopByCode(ctx context.Context, code string) (*domain.Workshop, error) {
	return db.workshop(ctx, "w.code = $1 AND w.phase <> 'closed'", code)
}

func (db *DB) workshop(ctx context.Context, where string, args ...any) (*domain.Workshop, error) {
	w := new(domain.Workshop)
	err := scanWorkshop(db.read.QueryRowContext(ctx, "SELECT "+workshopCols("w.")+" FROM workshops w WHERE "+where, args...), w)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errWorkshopNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("store: find workshop: %w", err)
	}
	return w, nil
}

// Workshops lists the organisation's workshops, newest first, with the
// number of participants of each and the time of its latest answer.
func (db *DB) Workshops(ctx context.Context, orgID string) ([]domain.WorkshopSummary, error) {
	rows, err := db.read.QueryContext(ctx,
		`SELECT `+workshopCols("w.")+`,
			(SELECT COUNT(*) FROM participants p WHERE p.workshop_id = w.id),
			(SELECT MAX(a.at) FROM answers a WHERE a.workshop_id = w.id)
		 FROM workshops w WHERE w.org_id = $1
		 ORDER BY w.created_at DESC, w.id DESC`, orgID)
	if err != nil {
		return nil, fmt.Errorf("store: list workshops of %s: %w", orgID, err)
	}
	defer rows.Close()
	var ws []domain.WorkshopSummary
	for rows.Next() {
		var s domain.WorkshopSummary
		if err := scanWorkshop(rows, &s.Workshop, &s.Participants, scanNullTime(&s.LastAnswerAt)); err != nil {
			return nil, fmt.Errorf("store: list workshops of %s: %w", orgID, err)
		}
		ws = append(ws, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list workshops of %s: %w", orgID, err)
	}
	return ws, nil
}

// DeleteWorkshop deletes a workshop with everything given in it:
// participants, answers, positions, ideas, upvotes and dots (by cascade).
func (db *DB) DeleteWorkshop(ctx context.Context, orgID, id string) error {
	err := exec1(ctx, db.write, errWorkshopNotFound(), `DELETE FROM workshops WHERE id = $2 AND org_id = $1`, orgID, id)
	return wrap(err, "delete workshop %s", id)
}

// workshopInOrg returns ENOTFOUND unless the workshop is the organisation's.
func workshopInOrg(ctx context.Context, q queryer, orgID, id string) error {
	return rowInOrg(ctx, q, "workshops", errWorkshopNotFound(), orgID, id)
}

// --- participants ---

const participantCols = "p.id, p.workshop_id, p.token_hash, p.group_key, p.display_name, p.joined_at"

func participantDest(p *domain.Participant) []any {
	return []any{&p.ID, &p.WorkshopID, &p.TokenHash, &p.Group, &p.DisplayName, scanTime(&p.JoinedAt)}
}

func errParticipantNotFound() error { return domain.Errorf(domain.ENOTFOUND, "Participant not found.") }

// AddParticipant stores a participant, setting ID and JoinedAt. Returns
// ENOTFOUND if the workshop does not exist and ECONFLICT if the token hash
// is taken. It does not check the phase; the caller does.
func (db *DB) AddParticipant(ctx context.Context, p *domain.Participant) error {
	if p.TokenHash == "" {
		return domain.Errorf(domain.EINVALID, "A participant needs a token.")
	}
	id, at := newID(), now()
	_, err := db.write.ExecContext(ctx,
		`INSERT INTO participants (id, workshop_id, token_hash, group_key, display_name, joined_at)
		 VALUES ($1, $2, $3, $4, $5, $6)`,
		id, p.WorkshopID, p.TokenHash, p.Group, p.DisplayName, tv(at))
	switch {
	case isUniqueViolation(err):
		return domain.Errorf(domain.ECONFLICT, "The participant token is already in use.")
	case isForeignKeyViolation(err):
		return errWorkshopNotFound()
	case err != nil:
		return fmt.Errorf("store: add participant to workshop %s: %w", p.WorkshopID, err)
	}
	p.ID, p.JoinedAt = id, at
	return nil
}

// ParticipantByToken returns the workshop and the participant whose token
// hashes to tokenHash, or ENOTFOUND when the token belongs to another
// workshop or to none.
func (db *DB) ParticipantByToken(ctx context.Context, workshopID, tokenHash string) (*domain.Workshop, *domain.Participant, error) {
	w, p := new(domain.Workshop), new(domain.Participant)
	err := scanWorkshop(db.read.QueryRowContext(ctx,
		`SELECT `+workshopCols("w.")+`, `+participantCols+`
		 FROM participants p JOIN workshops w ON w.id = p.workshop_id
		 WHERE p.token_hash = $1 AND p.workshop_id = $2`, tokenHash, workshopID), w, participantDest(p)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errParticipantNotFound()
	}
	if err != nil {
		return nil, nil, fmt.Errorf("store: find participant of workshop %s: %w", workshopID, err)
	}
	return w, p, nil
}

// ParticipantCounts returns how many participants each group has; groups
// without participants, and workshops that do not exist, give no entries.
func (db *DB) ParticipantCounts(ctx context.Context, workshopID string) (map[string]int, error) {
	rows, err := db.read.QueryContext(ctx,
		`SELECT group_key, COUNT(*) FROM participants WHERE workshop_id = $1 GROUP BY group_key`, workshopID)
	if err != nil {
		return nil, fmt.Errorf("store: count participants of workshop %s: %w", workshopID, err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var g string
		var n int
		if err := rows.Scan(&g, &n); err != nil {
			return nil, fmt.Errorf("store: count participants of workshop %s: %w", workshopID, err)
		}
		counts[g] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: count participants of workshop %s: %w", workshopID, err)
	}
	return counts, nil
}

// ParticipantGroups returns each participant's group: participant id →
// group key; empty for a workshop without participants or that does not
// exist.
func (db *DB) ParticipantGroups(ctx context.Context, workshopID string) (map[string]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, group_key FROM participants WHERE workshop_id = $1`, workshopID)
	if err != nil {
		return nil, fmt.Errorf("store: groups of participants of workshop %s: %w", workshopID, err)
	}
	defer rows.Close()
	groups := map[string]string{}
	for rows.Next() {
		var id, g string
		if err := rows.Scan(&id, &g); err != nil {
			return nil, fmt.Errorf("store: groups of participants of workshop %s: %w", workshopID, err)
		}
		groups[id] = g
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: groups of participants of workshop %s: %w", workshopID, err)
	}
	return groups, nil
}
