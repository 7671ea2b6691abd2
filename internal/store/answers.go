package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/waymark/waymark/internal/domain"
)

// Answers and tension positions are keyed by participant and item: the
// primary key makes two rows for one participant, trend and question
// impossible, and every write is an upsert (INSERT … ON CONFLICT DO UPDATE),
// so the last write to commit wins.

// answerKey identifies an answer row.
type answerKey struct{ participant, trend, question string }

func keyOf(a *domain.Answer) answerKey {
	return answerKey{a.ParticipantID, a.TrendKey, a.QuestionKey}
}

func compareKeys(a, b answerKey) int {
	return cmp.Or(cmp.Compare(a.participant, b.participant), cmp.Compare(a.trend, b.trend), cmp.Compare(a.question, b.question))
}

// answerRows checks a batch and turns it into rows to upsert, one per key
// (the last answer in the batch for a key wins, as it would had they been
// written one by one), sorted by key, and the sorted ids of the workshops
// touched.
//
// Sorting matters on PostgreSQL: every transaction then takes the row locks
// of answers, and of workshops, in the same order, so that two committers
// (on two instances) writing overlapping batches wait for each other instead
// of deadlocking. It also removes duplicates, which one multi-row
// INSERT … ON CONFLICT DO UPDATE statement may not contain on PostgreSQL.
func answerRows(answers []domain.Answer) ([][]any, []string, error) {
	last := make(map[answerKey]int, len(answers))
	for i := range answers {
		a := &answers[i]
		if a.WorkshopID == "" || a.ParticipantID == "" || a.TrendKey == "" || a.QuestionKey == "" {
			return nil, nil, domain.Errorf(domain.EINVALID, "An answer needs a workshop, a participant, a trend and a question.")
		}
		last[keyOf(a)] = i
	}
	idx := make([]int, 0, len(last))
	for _, i := range last {
		idx = append(idx, i)
	}
	slices.SortFunc(idx, func(i, j int) int { return compareKeys(keyOf(&answers[i]), keyOf(&answers[j])) })

	var at0 time.Time
	rows := make([][]any, len(idx))
	vals := make([]any, 6*len(idx)) // one allocation for all rows
	var workshops []string
	for n, i := range idx {
		a := &answers[i]
		at := a.At
		if at.IsZero() {
			if at0.IsZero() {
				at0 = now()
			}
			at = at0
		}
		var v any
		if a.Value != nil {
			v = int64(*a.Value)
		}
		r := vals[6*n : 6*n+6 : 6*n+6]
		r[0], r[1], r[2], r[3], r[4], r[5] = a.WorkshopID, a.ParticipantID, a.TrendKey, a.QuestionKey, v, at.UnixMicro()
		rows[n] = r
		if !slices.Contains(workshops, a.WorkshopID) {
			workshops = append(workshops, a.WorkshopID)
		}
	}
	slices.Sort(workshops)
	return rows, workshops, nil
}

const (
	answersHead = `INSERT INTO answers (workshop_id, participant_id, trend_key, question_key, value, at) VALUES `
	// The WHERE keeps an answer that names the wrong workshop for its
	// participant from changing the participant's row: it affects no row,
	// which SaveAnswers counts and refuses.
	answersTail = ` ON CONFLICT (participant_id, trend_key, question_key) DO UPDATE
		SET value = excluded.value, at = excluded.at WHERE answers.workshop_id = excluded.workshop_id`
)

// SaveAnswers stores a batch of answers (of any workshops and participants)
// in one transaction: for each participant, trend and question the last
// write wins and there is never more than one row. Within a batch, a later
// answer for the same key wins over an earlier one; between transactions,
// the one that commits last wins (the answers' At does not decide). It marks
// the workshops' questions frozen. When it returns nil every answer is
// durable. An answer without At is stamped with the current time.
//
// It checks integrity, not meaning: an answer whose participant is not of
// its workshop (or does not exist) makes the whole batch fail with
// ENOTFOUND and nothing is stored; value ranges, trends, questions and the
// phase are the caller's to check. On PostgreSQL a transaction aborted by a
// deadlock or serialization failure is run again, up to three times.
func (db *DB) SaveAnswers(ctx context.Context, answers []domain.Answer) error {
	if len(answers) == 0 {
		return nil
	}
	rows, workshops, err := answerRows(answers)
	if err != nil {
		return err
	}
	// Questions never unfreeze: workshops this handle saw frozen need no
	// UPDATE (and, on PostgreSQL, no round trip).
	toFreeze := slices.DeleteFunc(slices.Clone(workshops), func(id string) bool {
		_, ok := db.frozen.Load(id)
		return ok
	})
	var stmt *sql.Stmt // SQLite's, prepared before the transaction takes the one write connection
	if db.dialect == SQLite {
		if stmt, err = db.answerStmt(ctx); err != nil {
			return wrap(err, "save %d answers", len(answers))
		}
	}
	for attempt := 1; ; attempt++ {
		err = db.inTx(ctx, func(tx *sql.Tx) error {
			return db.saveAnswers(ctx, tx, stmt, rows, toFreeze)
		})
		if attempt == 3 || !isTransient(err) {
			break
		}
	}
	if err == nil {
		for _, id := range toFreeze {
			db.frozen.Store(id, struct{}{})
		}
	}
	if isForeignKeyViolation(err) {
		err = errAnswerParticipant()
	}
	return wrap(err, "save %d answers", len(answers))
}

// insertAnswersSQLite upserts rows one at a time (the fastest way on
// modernc SQLite, see DB.batchParams) with the statement prepared once.
func insertAnswersSQLite(ctx context.Context, tx *sql.Tx, stmt *sql.Stmt, rows [][]any) (int64, error) {
	// On the write pool's one connection the prepared statement is reused,
	// not prepared again; closing the transaction's copy keeps it.
	ts := tx.StmtContext(ctx, stmt)
	defer ts.Close()
	var n int64
	for _, r := range rows {
		res, err := ts.ExecContext(ctx, r...)
		if err != nil {
			return 0, err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		n += k
	}
	return n, nil
}

// answerStmt returns SQLite's prepared statement for one answer. Call it
// outside a transaction: preparing takes the write pool's one connection.
func (db *DB) answerStmt(ctx context.Context) (*sql.Stmt, error) {
	db.answerMu.Lock()
	defer db.answerMu.Unlock()
	if db.answerInsert == nil {
		stmt, err := db.write.PrepareContext(ctx, valuesSQL(answersHead, 6, 1, answersTail))
		if err != nil {
			return nil, err
		}
		db.answerInsert = stmt
	}
	return db.answerInsert, nil
}

func errAnswerParticipant() error {
	return domain.Errorf(domain.ENOTFOUND, "Workshop or participant not found.")
}

func (db *DB) saveAnswers(ctx context.Context, tx *sql.Tx, stmt *sql.Stmt, rows [][]any, workshops []string) error {
	// Workshops first: the lock order is workshops, then participants' and
	// answers' rows, as when a workshop is deleted. Only the first answers
	// of a workshop change its row; later batches do not lock it.
	for _, id := range workshops {
		if _, err := tx.ExecContext(ctx,
			`UPDATE workshops SET questions_frozen = TRUE WHERE id = $1 AND NOT questions_frozen`, id); err != nil {
			return err
		}
	}
	var n int64
	var err error
	if db.dialect == Postgres {
		n, err = upsertAnswersPG(ctx, tx, rows)
	} else {
		n, err = insertAnswersSQLite(ctx, tx, stmt, rows)
	}
	if err != nil {
		return err
	}
	if n != int64(len(rows)) {
		return errAnswerParticipant()
	}
	return nil
}

// Answers returns every answer of an organisation's workshop, ordered by
// participant, trend and question.
func (db *DB) Answers(ctx context.Context, orgID, workshopID string) ([]domain.Answer, error) {
	var as []domain.Answer
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		if err := workshopInOrg(ctx, tx, orgID, workshopID); err != nil {
			return err
		}
		var err error
		as, err = queryAnswers(ctx, tx, `WHERE workshop_id = $1`, workshopID)
		return err
	})
	if err != nil {
		return nil, wrap(err, "read answers of workshop %s", workshopID)
	}
	return as, nil
}

// ParticipantAnswers returns one participant's answers, ordered by trend
// and question; none for a participant of another workshop.
func (db *DB) ParticipantAnswers(ctx context.Context, workshopID, participantID string) ([]domain.Answer, error) {
	as, err := queryAnswers(ctx, db.read, `WHERE participant_id = $1 AND workshop_id = $2`, participantID, workshopID)
	return as, wrap(err, "read answers of participant %s", participantID)
}

func queryAnswers(ctx context.Context, q queryer, where string, args ...any) ([]domain.Answer, error) {
	rows, err := q.QueryContext(ctx,
		`SELECT workshop_id, participant_id, trend_key, question_key, value, at FROM answers `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var as []domain.Answer
	for rows.Next() {
		var a domain.Answer
		var v sql.NullInt64
		if err := rows.Scan(&a.WorkshopID, &a.ParticipantID, &a.TrendKey, &a.QuestionKey, &v, scanTime(&a.At)); err != nil {
			return nil, err
		}
		if v.Valid {
			n := int(v.Int64)
			a.Value = &n
		}
		as = append(as, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Sorted here, not in SQL, so that both engines give the same order
	// whatever their collation.
	slices.SortFunc(as, func(a, b domain.Answer) int { return compareKeys(keyOf(&a), keyOf(&b)) })
	return as, nil
}

// --- tension positions ---

// SaveTensionPosition stores a participant's position on a field of
// tension; the last write wins. Returns EINVALID for a position outside
// −100 … 100 and ENOTFOUND if the participant is not of the workshop. An
// empty At is stamped with the current time.
func (db *DB) SaveTensionPosition(ctx context.Context, p domain.TensionPosition) error {
	for _, v := range []int{p.Now, p.Want} {
		if v < domain.TensionMin || v > domain.TensionMax {
			return domain.Errorf(domain.EINVALID, "A position must be between %d and %d.", domain.TensionMin, domain.TensionMax)
		}
	}
	if p.TensionKey == "" {
		return domain.Errorf(domain.EINVALID, "A position needs a field of tension.")
	}
	at := p.At
	if at.IsZero() {
		at = now()
	}
	err := exec1(ctx, db.write, errParticipantNotFound(),
		`INSERT INTO tension_positions (workshop_id, participant_id, tension_key, now, want, at)
		 VALUES ($1, $2, $3, $4, $5, $6)
		 ON CONFLICT (participant_id, tension_key) DO UPDATE
		 SET now = excluded.now, want = excluded.want, at = excluded.at
		 WHERE tension_positions.workshop_id = excluded.workshop_id`,
		p.WorkshopID, p.ParticipantID, p.TensionKey, p.Now, p.Want, at.UnixMicro())
	if isForeignKeyViolation(err) {
		return errParticipantNotFound()
	}
	return wrap(err, "save tension position of participant %s", p.ParticipantID)
}

// TensionPositions returns every position given in an organisation's
// workshop, ordered by participant and field of tension.
func (db *DB) TensionPositions(ctx context.Context, orgID, workshopID string) ([]domain.TensionPosition, error) {
	var ps []domain.TensionPosition
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		if err := workshopInOrg(ctx, tx, orgID, workshopID); err != nil {
			return err
		}
		var err error
		ps, err = queryTensions(ctx, tx, `WHERE workshop_id = $1`, workshopID)
		return err
	})
	if err != nil {
		return nil, wrap(err, "read tension positions of workshop %s", workshopID)
	}
	return ps, nil
}

// ParticipantTensions returns one participant's positions, ordered by
// field of tension.
func (db *DB) ParticipantTensions(ctx context.Context, workshopID, participantID string) ([]domain.TensionPosition, error) {
	ps, err := queryTensions(ctx, db.read, `WHERE participant_id = $1 AND workshop_id = $2`, participantID, workshopID)
	return ps, wrap(err, "read tension positions of participant %s", participantID)
}

func queryTensions(ctx context.Context, q queryer, where string, args ...any) ([]domain.TensionPosition, error) {
	rows, err := q.QueryContext(ctx,
		`SELECT workshop_id, participant_id, tension_key, now, want, at FROM tension_positions `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ps []domain.TensionPosition
	for rows.Next() {
		var p domain.TensionPosition
		if err := rows.Scan(&p.WorkshopID, &p.ParticipantID, &p.TensionKey, &p.Now, &p.Want, scanTime(&p.At)); err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(ps, func(a, b domain.TensionPosition) int {
		return cmp.Or(cmp.Compare(a.ParticipantID, b.ParticipantID), cmp.Compare(a.TensionKey, b.TensionKey))
	})
	return ps, nil
}

// upsertAnswersPG upserts rows on PostgreSQL in one statement whatever
// their number: six arrays, one per column, unnested into rows.
func upsertAnswersPG(ctx context.Context, tx *sql.Tx, rows [][]any) (int64, error) {
	ws, ps, ts, qs := make([]string, len(rows)), make([]string, len(rows)), make([]string, len(rows)), make([]string, len(rows))
	vs, ats := make([]*int64, len(rows)), make([]int64, len(rows))
	for i, r := range rows {
		ws[i], ps[i], ts[i], qs[i] = r[0].(string), r[1].(string), r[2].(string), r[3].(string)
		if v, ok := r[4].(int64); ok {
			vs[i] = &v
		}
		ats[i] = r[5].(int64)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO answers (workshop_id, participant_id, trend_key, question_key, value, at)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])`+answersTail,
		ws, ps, ts, qs, vs, ats)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
