package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/waymark/waymark/internal/domain"
)

// Ideas, upvotes and dots refer to participants and ideas by (workshop_id,
// id), so that the schema itself refuses an upvote or a dot on another
// workshop's idea, or by another workshop's participant.

func errIdeaNotFound() error { return domain.Errorf(domain.ENOTFOUND, "Idea not found.") }

// AddIdea stores a consequence or idea, setting ID and CreatedAt (and
// clearing Hidden, Upvotes and Dots). Returns EINVALID for an empty text or
// one over domain.MaxIdeaLen characters, and ENOTFOUND if the participant is
// not of the workshop. The caller trims the text and checks the trend.
func (db *DB) AddIdea(ctx context.Context, idea *domain.Idea) error {
	if idea.Text == "" || utf8.RuneCountInString(idea.Text) > domain.MaxIdeaLen {
		return domain.Errorf(domain.EINVALID, "An idea needs a text of at most %d characters.", domain.MaxIdeaLen)
	}
	id, at := newID(), now()
	_, err := db.write.ExecContext(ctx,
		`INSERT INTO ideas (id, workshop_id, participant_id, trend_key, text, hidden, created_at)
		 VALUES ($1, $2, $3, $4, $5, FALSE, $6)`,
		id, idea.WorkshopID, idea.ParticipantID, idea.TrendKey, idea.Text, tv(at))
	if isForeignKeyViolation(err) {
		return errParticipantNotFound()
	}
	if err != nil {
		return fmt.Errorf("store: add idea to workshop %s: %w", idea.WorkshopID, err)
	}
	idea.ID, idea.CreatedAt, idea.Hidden, idea.Upvotes, idea.Dots = id, at, false, 0, 0
	return nil
}

// Ideas lists a workshop's ideas, hidden ones included, with upvote and dot
// counts, oldest first. Participants' views filter hidden ones.
func (db *DB) Ideas(ctx context.Context, workshopID string) ([]domain.Idea, error) {
	rows, err := db.read.QueryContext(ctx,
		`SELECT i.id, i.workshop_id, i.participant_id, i.trend_key, i.text, i.hidden, i.created_at,
			(SELECT COUNT(*) FROM upvotes u WHERE u.idea_id = i.id),
			(SELECT COALESCE(SUM(d.count), 0) FROM dots d WHERE d.idea_id = i.id)
		 FROM ideas i WHERE i.workshop_id = $1
		 ORDER BY i.created_at, i.id`, workshopID)
	if err != nil {
		return nil, fmt.Errorf("store: list ideas of workshop %s: %w", workshopID, err)
	}
	defer rows.Close()
	var ideas []domain.Idea
	for rows.Next() {
		var i domain.Idea
		if err := rows.Scan(&i.ID, &i.WorkshopID, &i.ParticipantID, &i.TrendKey, &i.Text, &i.Hidden,
			scanTime(&i.CreatedAt), &i.Upvotes, &i.Dots); err != nil {
			return nil, fmt.Errorf("store: list ideas of workshop %s: %w", workshopID, err)
		}
		ideas = append(ideas, i)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list ideas of workshop %s: %w", workshopID, err)
	}
	return ideas, nil
}

// SetIdeaHidden hides or shows an idea of an organisation's workshop.
// Upvotes and dots already given stay and count again when it is shown.
func (db *DB) SetIdeaHidden(ctx context.Context, orgID, workshopID, ideaID string, hidden bool) error {
	err := exec1(ctx, db.write, errIdeaNotFound(),
		`UPDATE ideas SET hidden = $4 WHERE id = $3 AND workshop_id = $2
			AND EXISTS (SELECT 1 FROM workshops w WHERE w.id = $2 AND w.org_id = $1)`,
		orgID, workshopID, ideaID, hidden)
	return wrap(err, "hide idea %s", ideaID)
}

// ideaHidden returns whether an idea of the workshop is hidden, or
// ENOTFOUND.
func ideaHidden(ctx context.Context, q queryer, workshopID, ideaID string) (bool, error) {
	var hidden bool
	err := q.QueryRowContext(ctx, `SELECT hidden FROM ideas WHERE id = $1 AND workshop_id = $2`, ideaID, workshopID).Scan(&hidden)
	if errors.Is(err, sql.ErrNoRows) {
		return false, errIdeaNotFound()
	}
	return hidden, err
}

// SetUpvote adds or removes a participant's one upvote on an idea of the
// same workshop; adding twice or removing twice changes nothing. Returns
// ENOTFOUND if the idea or the participant is not of the workshop and
// EINVALID when upvoting a hidden idea.
func (db *DB) SetUpvote(ctx context.Context, workshopID, ideaID, participantID string, on bool) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		hidden, err := ideaHidden(ctx, tx, workshopID, ideaID)
		if err != nil {
			return err
		}
		if !on {
			_, err := tx.ExecContext(ctx, `DELETE FROM upvotes WHERE idea_id = $1 AND participant_id = $2`, ideaID, participantID)
			return err
		}
		if hidden {
			return domain.Errorf(domain.EINVALID, "The idea has been hidden by the facilitator.")
		}
		_, err = tx.ExecContext(ctx,
			`INSERT INTO upvotes (workshop_id, idea_id, participant_id) VALUES ($1, $2, $3)
			 ON CONFLICT (idea_id, participant_id) DO NOTHING`, workshopID, ideaID, participantID)
		if isForeignKeyViolation(err) {
			return errParticipantNotFound()
		}
		return err
	})
	return wrap(err, "upvote idea %s", ideaID)
}

// ParticipantUpvotes returns the ids of the ideas a participant upvoted,
// sorted.
func (db *DB) ParticipantUpvotes(ctx context.Context, workshopID, participantID string) ([]string, error) {
	rows, err := db.read.QueryContext(ctx,
		`SELECT idea_id FROM upvotes WHERE workshop_id = $1 AND participant_id = $2`, workshopID, participantID)
	if err != nil {
		return nil, fmt.Errorf("store: upvotes of participant %s: %w", participantID, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: upvotes of participant %s: %w", participantID, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: upvotes of participant %s: %w", participantID, err)
	}
	slices.Sort(ids)
	return ids, nil
}

// SetDots replaces a participant's dots: idea id → number of dots (entries
// of 0 are left out). It returns EINVALID, changing nothing, if a number is
// negative, the total is over max, or an idea is hidden or of another
// workshop, and ENOTFOUND if the participant is not of the workshop. The
// checks and the change are one transaction, which first locks the
// participant's row: two concurrent calls for one participant cannot
// together exceed max.
func (db *DB) SetDots(ctx context.Context, workshopID, participantID string, dots map[string]int, max int) error {
	total := 0
	ids := make([]string, 0, len(dots))
	for id, n := range dots {
		if n < 0 {
			return domain.Errorf(domain.EINVALID, "A number of dots cannot be negative.")
		}
		if n > 0 {
			total += n
			ids = append(ids, id)
		}
	}
	if total > max {
		return domain.Errorf(domain.EINVALID, "You have %d dots to place and placed %d.", max, total)
	}
	slices.Sort(ids)
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		err := exec1(ctx, tx, errParticipantNotFound(),
			`UPDATE participants SET group_key = group_key WHERE id = $1 AND workshop_id = $2`, participantID, workshopID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			hidden, err := ideaHidden(ctx, tx, workshopID, id)
			if domain.IsNotFound(err) {
				return domain.Errorf(domain.EINVALID, "A dot is placed on an idea that is not in this workshop.")
			}
			if err != nil {
				return err
			}
			if hidden {
				return domain.Errorf(domain.EINVALID, "A dot is placed on an idea the facilitator has hidden.")
			}
		}
		if _, err := tx.ExecContext(ctx,
			`DELETE FROM dots WHERE workshop_id = $1 AND participant_id = $2`, workshopID, participantID); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx,
				`INSERT INTO dots (workshop_id, idea_id, participant_id, count) VALUES ($1, $2, $3, $4)`,
				workshopID, id, participantID, dots[id]); err != nil {
				return err
			}
		}
		return nil
	})
	return wrap(err, "set dots of participant %s", participantID)
}

// ParticipantDots returns a participant's dots by idea id.
func (db *DB) ParticipantDots(ctx context.Context, workshopID, participantID string) (map[string]int, error) {
	rows, err := db.read.QueryContext(ctx,
		`SELECT idea_id, count FROM dots WHERE workshop_id = $1 AND participant_id = $2`, workshopID, participantID)
	if err != nil {
		return nil, fmt.Errorf("store: dots of participant %s: %w", participantID, err)
	}
	defer rows.Close()
	dots := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("store: dots of participant %s: %w", participantID, err)
		}
		dots[id] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: dots of participant %s: %w", participantID, err)
	}
	return dots, nil
}
