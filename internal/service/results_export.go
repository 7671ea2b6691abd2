package service

import (
	"context"

	"github.com/waymark/waymark/internal/domain"
)

// ResultsExport is what a workshop's report files are made from: its
// analysis and, for the anonymised answers, every answer with each
// participant's group, and every idea (hidden ones included; the files
// count them and leave their text out).
type ResultsExport struct {
	*Results
	Answers           []domain.Answer
	ParticipantGroups map[string]string // participant id → group key
	Ideas             []domain.Idea
}

// WorkshopExport returns what the report files of a workshop need, with the
// answers only when withAnswers (the PDF and the aggregates do without
// them, which spares reading every answer of a large workshop). Every
// member of the organisation may read it, like the results page; another
// organisation's workshop gives ENOTFOUND. Participant ids are in it: the
// caller replaces them (internal/report numbers participants) before
// anything leaves the server.
func (s *Service) WorkshopExport(ctx context.Context, a domain.Actor, workshopID string, opt ResultsOptions, withAnswers bool) (*ResultsExport, error) {
	r, err := s.WorkshopResults(ctx, a, workshopID, opt)
	if err != nil {
		return nil, err
	}
	e := &ResultsExport{Results: r}
	w := r.Workshop
	if withAnswers {
		if e.Answers, err = s.store.Answers(ctx, w.OrgID, w.ID); err != nil {
			return nil, err
		}
		if e.ParticipantGroups, err = s.store.ParticipantGroups(ctx, w.ID); err != nil {
			return nil, err
		}
	}
	if e.Ideas, err = s.store.Ideas(ctx, w.ID); err != nil {
		return nil, err
	}
	return e, nil
}
